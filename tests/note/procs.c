// SPDX-License-Identifier: MIT
/*
 * Processes and signals on the LibOS-ready libc: a handler installed with
 * rt_sigaction (its restorer a listed site, restorer.S), signals sent to
 * itself and blocked/unblocked, fork children that talk through a pipe
 * and exit with chosen statuses, and wait4 collecting them.
 */
#include <stdio.h>
#include <string.h>
#include <sys.h>

struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

void note_restorer(void);

static volatile int caught;

static void on_usr1(int sig)
{
	caught += sig;
	sys_write(1, "handler ran\n", 12);
}

static long wait_child(long pid, int *status)
{
	return __syscall4(__NR_wait4, pid, status, 0, 0);
}

int main(void)
{
	struct k_sigaction sa = {on_usr1, 0x04000000 /* SA_RESTORER */, note_restorer, 0};
	uint64_t block = 1ULL << (10 - 1), old = 0;
	int fds[2], status = 0;
	char buf[64];

	if (__syscall4(__NR_rt_sigaction, 10 /* SIGUSR1 */, &sa, 0, 8) != 0)
		return 1;
	sys_kill((int)sys_getpid(), 10);
	dprintf(1, "caught %d\n", caught);
	__syscall4(__NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &block, &old, 8);
	sys_kill((int)sys_getpid(), 10);
	dprintf(1, "blocked: caught %d\n", caught);
	__syscall4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &old, 0, 8);
	dprintf(1, "unblocked: caught %d\n", caught);

	if (__syscall2(__NR_pipe2, fds, 0) != 0)
		return 1;
	for (int k = 1; k <= 3; k++) {
		long pid = __syscall0(__NR_fork);
		if (pid == 0) {
			int n = snprintf(buf, sizeof(buf), "child %d says hello\n", k);
			sys_write(fds[1], buf, (size_t)n);
			sys_exit_group(10 + k);
		}
		if (pid < 0 || wait_child(pid, &status) != pid)
			return 1;
		long n = sys_read(fds[0], buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		dprintf(1, "%sexit status %d\n", buf, (status >> 8) & 0xff);
	}
	/* A child killed by a signal. */
	long pid = __syscall0(__NR_fork);
	if (pid == 0) {
		for (;;)
			__syscall0(__NR_pause);
	}
	sys_kill((int)pid, 9);
	wait_child(pid, &status);
	dprintf(1, "killed by signal %d\n", status & 0x7f);
	return 0;
}
