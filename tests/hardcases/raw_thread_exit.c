// SPDX-License-Identifier: MIT
/*
 * raw_thread_exit: threads that end with a raw exit syscall while signals
 * keep arriving. glibc's threads block every signal before they exit; a
 * thread made with a raw clone3 (a Go runtime's, a hand-made one) does
 * not, so a signal may be delivered at any instruction of its way out,
 * up to the exit syscall itself, and its handler (and the handler's
 * rt_sigreturn) runs there. A sender thread (raw too, glibc-free) sends
 * SIGUSR1 with tgkill to the current victim without pause while
 * THREAD_COUNT victims, one after another, make a few syscalls and exit;
 * the main thread, which blocks SIGUSR1, waits for each through
 * CLONE_CHILD_CLEARTID. It proves that a thread's exit path never leaves
 * it without its LibOS state while it can still take a signal.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREAD_COUNT 5000
#define THREAD_FLAGS                                                                               \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |        \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

struct hc_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

long hc_clone3(struct hc_clone_args *args, size_t size, long (*fn)(void *), void *arg);
long hc_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

static _Alignas(16) char victim_stack[64 * 1024], sender_stack[64 * 1024];
static volatile int stop, victim_tid, wrong;
static pid_t pid;

static void on_signal(int sig)
{
	(void)sig;
	if (hc_syscall(SYS_getpid, 0, 0, 0, 0, 0) != pid)
		wrong = 1;
}

static long victim(void *arg)
{
	uint64_t usr1 = 1ULL << (SIGUSR1 - 1);

	(void)arg;
	hc_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&usr1, 0, 8, 0);
	for (int i = 0; i < 10; i++)
		if (hc_syscall(SYS_getpid, 0, 0, 0, 0, 0) != pid)
			wrong = 1;
	return 0; /* hc_clone3 makes the exit syscall */
}

static long sender(void *arg)
{
	(void)arg;
	while (!stop) {
		int tid = victim_tid;
		if (tid > 0)
			hc_syscall(SYS_tgkill, pid, tid, SIGUSR1, 0, 0);
	}
	return 0;
}

/* Start fn on stack as a raw thread; returns its tid or -errno. */
static long start(long (*fn)(void *), char *stack, size_t size, int *tid_word)
{
	struct hc_clone_args a = {
		.flags = THREAD_FLAGS,
		.child_tid = (uint64_t)(uintptr_t)tid_word,
		.parent_tid = (uint64_t)(uintptr_t)tid_word,
		.stack = (uint64_t)(uintptr_t)stack,
		.stack_size = size,
	};

	return hc_clone3(&a, sizeof(a), fn, NULL);
}

/* The kernel clears *tid_word and wakes it when the thread is gone. */
static void wait_gone(int *tid_word)
{
	int v;

	while ((v = __atomic_load_n(tid_word, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, tid_word, FUTEX_WAIT, v, NULL, NULL, 0);
}

int main(void)
{
	struct sigaction sa;
	sigset_t usr1;
	int sender_tid = 0, created = 0;

	pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL); /* inherited: only victims unblock it */
	if (start(sender, sender_stack, sizeof(sender_stack), &sender_tid) < 0)
		return 1;
	for (int i = 0; i < THREAD_COUNT; i++) {
		int tid_word = 0;
		long tid = start(victim, victim_stack, sizeof(victim_stack), &tid_word);
		if (tid < 0)
			break;
		victim_tid = (int)tid;
		wait_gone(&tid_word);
		created++;
	}
	stop = 1;
	wait_gone(&sender_tid);
	printf("raw threads created and exited under signals: %d, wrong results: %s\n", created,
	       wrong ? "yes" : "no");
	return created == THREAD_COUNT && !wrong ? 0 : 1;
}
