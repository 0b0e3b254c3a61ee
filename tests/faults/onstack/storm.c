// SPDX-License-Identifier: MIT
/*
 * SA_ONSTACK handlers under a storm of signals (issue 10, D12): while a
 * handler runs on the alternate stack, the loader's own code runs for it
 * (its syscalls, its rt_sigreturn); a second SA_ONSTACK signal arriving
 * then must be placed below the live frame, never at the alternate
 * stack's top over it. Natively this program finishes in about a second.
 *
 * usage: storm MODE
 *   syscalls   SIGUSR1 and SIGALRM handlers (SA_ONSTACK, each open to the
 *              other: nested delivery) write to a pipe and call getpid,
 *              for 0.5 s of two timers of the main thread's and a thread
 *              sending both to it
 *   sigreturn  the same handlers without syscalls: the loader's only
 *              code for them is the emulated rt_sigreturn
 *   blocking   a handler on the alternate stack blocks in read(); a
 *              second SA_ONSTACK signal interrupts it, without SA_RESTART
 *              (EINTR) and with it (the read restarts and gets its byte)
 * Each handler checks that its own frame (siginfo, ucontext) and locals
 * survived its syscalls; only yes/no answers and fixed lines are printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)

static char *alt;
static int with_syscalls;
static int storm_pipe[2];
static pid_t main_tid;
static volatile sig_atomic_t stop, corrupted, handled, max_depth;
static volatile sig_atomic_t depth;

static int on_alt(const void *p)
{
	return (const char *)p >= alt && (const char *)p < alt + ALT_SIZE;
}

static void handler(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	volatile uint64_t canary[8];
	greg_t rip = uc->uc_mcontext.gregs[REG_RIP];
	greg_t rsp = uc->uc_mcontext.gregs[REG_RSP];
	int errno_saved = errno;

	for (int i = 0; i < 8; i++)
		canary[i] = 0x5a5a5a5a00000000ULL ^ (uint64_t)(uintptr_t)&canary[i] ^ (uint64_t)sig;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (with_syscalls) {
		for (int i = 0; i < 16; i++) {
			char c = (char)sig;
			if (getpid() <= 0)
				corrupted = 1;
			if (write(storm_pipe[1], &c, 1) != 1 && errno != EAGAIN)
				corrupted = 1;
		}
	} else {
		for (volatile int i = 0; i < 200; i++)
			;
	}
	for (int i = 0; i < 8; i++)
		if (canary[i] !=
		    (0x5a5a5a5a00000000ULL ^ (uint64_t)(uintptr_t)&canary[i] ^ (uint64_t)sig))
			corrupted = 1;
	if (info->si_signo != sig || uc->uc_mcontext.gregs[REG_RIP] != rip ||
	    uc->uc_mcontext.gregs[REG_RSP] != rsp)
		corrupted = 1;
	handled++;
	depth--;
	errno = errno_saved;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		abort();
}

static void install_altstack(void)
{
	stack_t ss = {.ss_sp = malloc(ALT_SIZE), .ss_size = ALT_SIZE, .ss_flags = 0};

	if (!ss.ss_sp || sigaltstack(&ss, NULL) < 0)
		abort();
	alt = ss.ss_sp;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The storm: two timers of the main thread's (SIGALRM every 0.7 ms,
 * SIGUSR1 every 1.1 ms: they fire wherever the thread is, in the loader's
 * code too) and a thread sending both as fast as it is scheduled. */
static void *storm_thread(void *arg)
{
	(void)arg;
	for (unsigned long sent = 0; !stop; sent++) {
		syscall(SYS_tgkill, getpid(), main_tid, (sent & 1) ? SIGUSR1 : SIGALRM);
		sched_yield();
	}
	return NULL;
}

static timer_t start_timer(int sig, long interval_ns)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = sig};
	struct itimerspec its = {.it_interval = {0, interval_ns}, .it_value = {0, interval_ns}};
	timer_t timer;

	ev._sigev_un._tid = main_tid;
	if (timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0 ||
	    timer_settime(timer, 0, &its, NULL) < 0)
		abort();
	return timer;
}

static int storm(void)
{
	pthread_t thread;
	sigset_t both;
	char buf[256];
	double end = now() + 0.5;

	if (pipe2(storm_pipe, O_NONBLOCK) < 0)
		return 1;
	set_handler(SIGUSR1, handler, 0);
	set_handler(SIGALRM, handler, 0);
	/* The storm thread blocks both: every signal is the main thread's. */
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &both, NULL);
	if (pthread_create(&thread, NULL, storm_thread, NULL) != 0)
		return 1;
	pthread_sigmask(SIG_UNBLOCK, &both, NULL);
	timer_t alrm = start_timer(SIGALRM, 700000), usr1 = start_timer(SIGUSR1, 1100000);
	while (now() < end) {
		if (getppid() <= 0)
			corrupted = 1;
		while (read(storm_pipe[0], buf, sizeof(buf)) > 0)
			;
	}
	pthread_sigmask(SIG_BLOCK, &both, NULL);
	timer_delete(alrm);
	timer_delete(usr1);
	stop = 1;
	pthread_join(thread, NULL);
	printf("handlers ran: %s\n", handled > 0 ? "yes" : "no");
	printf("frames intact: %s\n", corrupted ? "no" : "yes");
	if (getenv("STORM_DEBUG"))
		fprintf(stderr, "handled %d, deepest %d\n", (int)handled, (int)max_depth);
	return 0;
}

/* The blocking case: SIGUSR2's handler reads an empty pipe on the
 * alternate stack; SIGALRM (outer_flags) interrupts it. */
static int block_pipe[2];
static volatile sig_atomic_t reading, interrupted;
static long read_result;
static int read_errno, inner_on_alt;

static void reader(int sig, siginfo_t *info, void *ctx)
{
	char c = 0;

	(void)sig, (void)info, (void)ctx;
	reading = 1;
	read_result = read(block_pipe[0], &c, 1);
	read_errno = read_result < 0 ? errno : 0;
	if (!on_alt(&c))
		corrupted = 1;
}

static void interrupter(int sig, siginfo_t *info, void *ctx)
{
	char c;

	(void)sig, (void)info, (void)ctx;
	inner_on_alt = on_alt(&c);
	interrupted = 1;
}

static void *poke(void *arg)
{
	int restart = *(int *)arg;

	while (!reading)
		usleep(1000);
	usleep(20000); /* well inside the read */
	syscall(SYS_tgkill, getpid(), main_tid, SIGALRM);
	while (!interrupted)
		usleep(1000);
	if (restart)
		write(block_pipe[1], "x", 1);
	return NULL;
}

static int blocking_once(int restart)
{
	pthread_t thread;

	reading = interrupted = 0;
	read_result = 0;
	if (pipe(block_pipe) < 0)
		return 1;
	set_handler(SIGUSR2, reader, 0);
	set_handler(SIGALRM, interrupter, restart ? SA_RESTART : 0);
	if (pthread_create(&thread, NULL, poke, &restart) != 0)
		return 1;
	raise(SIGUSR2);
	pthread_join(thread, NULL);
	printf("%s: interrupting handler on the alternate stack: %s\n",
	       restart ? "SA_RESTART" : "no SA_RESTART", inner_on_alt ? "yes" : "no");
	if (restart)
		printf("SA_RESTART: read restarted and got its byte: %s\n",
		       read_result == 1 ? "yes" : "no");
	else
		printf("no SA_RESTART: read failed with EINTR: %s\n",
		       read_result == -1 && read_errno == EINTR ? "yes" : "no");
	close(block_pipe[0]);
	close(block_pipe[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	main_tid = (pid_t)syscall(SYS_gettid);
	install_altstack();
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[1], "syscalls")) {
		with_syscalls = 1;
		return storm();
	}
	if (!strcmp(argv[1], "sigreturn"))
		return storm();
	if (!strcmp(argv[1], "blocking")) {
		if (blocking_once(0) || blocking_once(1))
			return 1;
		printf("frames intact: %s\n", corrupted ? "no" : "yes");
		return 0;
	}
	return 2;
}
