// SPDX-License-Identifier: MIT
/*
 * sigaltstack: handlers on an alternate signal stack. Three parts:
 *  - a handler on the alternate stack makes syscalls, and sigaltstack()
 *    inside it says SS_ONSTACK (and refuses a new stack with EPERM), as
 *    the kernel decides from the caller's stack pointer; outside, it
 *    does not;
 *  - stack overflow: unbounded recursion (with syscalls on the way) in
 *    the main thread and in a thread with a small stack; the SIGSEGV
 *    handler runs on the alternate stack and siglongjmps out, twice;
 *  - nesting (last, as a broken loader may never come back from it): a
 *    handler on the alternate stack blocks in read(); a second signal
 *    arrives; the kernel must see that the thread is already on the
 *    alternate stack and put the second frame below the first, so the
 *    first handler's frame and locals survive.
 * Only yes/no answers are printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

#define ALT_SIZE (64 * 1024)

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

static int on_stack(const void *p, const char *base)
{
	return (const char *)p >= base && (const char *)p < base + ALT_SIZE;
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static char *install_altstack(void)
{
	stack_t ss = {.ss_sp = malloc(ALT_SIZE), .ss_size = ALT_SIZE, .ss_flags = 0};

	if (!ss.ss_sp || sigaltstack(&ss, NULL) < 0)
		abort();
	return ss.ss_sp;
}

/* What a handler on the alternate stack sees. */
static char *main_alt;
static struct {
	int local_on_alt, onstack_flag, eperm, syscalls_ok;
} seen;

static void simple_handler(int sig)
{
	stack_t now, other = {.ss_sp = main_alt, .ss_size = ALT_SIZE};
	int fds[2];
	char c = 0;

	(void)sig;
	seen.local_on_alt = on_stack(&c, main_alt);
	seen.onstack_flag = sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_ONSTACK);
	seen.eperm = sigaltstack(&other, NULL) < 0 && errno == EPERM;
	seen.syscalls_ok = pipe(fds) == 0 && write(fds[1], "k", 1) == 1 &&
			   read(fds[0], &c, 1) == 1 && c == 'k' && close(fds[0]) == 0 &&
			   close(fds[1]) == 0;
}

static void simple(void)
{
	stack_t now;

	set_handler(SIGUSR1, simple_handler, SA_ONSTACK);
	raise(SIGUSR1);
	printf("handler: local on the alternate stack: %s\n", yes(seen.local_on_alt));
	printf("handler: sigaltstack says SS_ONSTACK: %s\n", yes(seen.onstack_flag));
	printf("handler: changing the stack fails with EPERM: %s\n", yes(seen.eperm));
	printf("handler: pipe, write, read, close: %s\n", yes(seen.syscalls_ok));
	printf("outside: sigaltstack says SS_ONSTACK: %s\n",
	       yes(sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_ONSTACK)));
}

/* Nesting: a second signal while a handler on the alternate stack waits in
 * read(). */
static int nest_pipe[2];
static char *nest_alt;
static volatile pid_t nest_tid;
static volatile int outer_waiting, inner_done;
static struct {
	uintptr_t outer_local, inner_local;
	int inner_on_alt, inner_onstack_flag, outer_intact, outer_read_ok;
} nest;

static void inner_handler(int sig)
{
	stack_t now;
	char c = 0;

	(void)sig;
	nest.inner_local = (uintptr_t)&c;
	nest.inner_on_alt = on_stack(&c, nest_alt);
	nest.inner_onstack_flag = sigaltstack(NULL, &now) == 0 && (now.ss_flags & SS_ONSTACK);
	inner_done = 1;
}

static void outer_handler(int sig)
{
	unsigned char pattern[512];
	char buf[8];
	int intact = 1;

	(void)sig;
	for (int i = 0; i < 512; i++)
		pattern[i] = (unsigned char)(i * 7 + 3);
	nest.outer_local = (uintptr_t)pattern;
	outer_waiting = 1;
	nest.outer_read_ok = read(nest_pipe[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "wake", 4);
	for (int i = 0; i < 512; i++)
		intact &= pattern[i] == (unsigned char)(i * 7 + 3);
	nest.outer_intact = intact;
}

static void *nest_thread(void *arg)
{
	(void)arg;
	nest_alt = install_altstack();
	nest_tid = (pid_t)syscall(SYS_gettid);
	raise(SIGUSR1); /* the outer handler returns when main writes the pipe */
	return NULL;
}

/* Under a broken loader the thread may never come back: give up after
 * a while with a line that says where, rather than hang. */
static void give_up(const char *what)
{
	printf("nested: %s: no (gave up after 10 s)\n", what);
	fflush(stdout);
	_exit(1);
}

static void nested(void)
{
	const struct timespec pause = {0, 200000};
	struct timespec deadline;
	pthread_t thread;
	int polls = 0;

	if (pipe(nest_pipe) < 0)
		abort();
	set_handler(SIGUSR1, outer_handler, SA_ONSTACK | SA_RESTART);
	set_handler(SIGUSR2, inner_handler, SA_ONSTACK | SA_RESTART);
	if (pthread_create(&thread, NULL, nest_thread, NULL) != 0)
		abort();
	while (!outer_waiting || SYS_read != blocked_in(nest_tid))
		if (nanosleep(&pause, NULL) == 0 && ++polls > 50000)
			give_up("outer handler blocked in read");
	pthread_kill(thread, SIGUSR2);
	while (!inner_done)
		if (nanosleep(&pause, NULL) == 0 && ++polls > 50000)
			give_up("inner handler ran");
	printf("nested: inner handler on the alternate stack: %s\n", yes(nest.inner_on_alt));
	printf("nested: inner handler sees SS_ONSTACK: %s\n", yes(nest.inner_onstack_flag));
	printf("nested: inner frame below the outer one: %s\n",
	       yes(nest.inner_local < nest.outer_local));
	if (write(nest_pipe[1], "wake", 4) != 4)
		abort();
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	if (pthread_timedjoin_np(thread, NULL, &deadline) != 0)
		give_up("thread came back from its handlers");
	printf("nested: outer handler's read completed: %s\n", yes(nest.outer_read_ok));
	printf("nested: outer handler's locals intact: %s\n", yes(nest.outer_intact));
}

/* Stack overflow caught on the alternate stack. */
static __thread sigjmp_buf *overflow_jump;
static __thread char *overflow_alt;
static __thread int overflow_on_alt;

static void segv_handler(int sig)
{
	char here;

	(void)sig;
	overflow_on_alt = on_stack(&here, overflow_alt) && getppid() > 0;
	siglongjmp(*overflow_jump, 1);
}

static __attribute__((noinline)) long recurse(long depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth % 64 == 0 && getppid() <= 0)
		return -1;
	return recurse(depth + 1) + frame[0];
}

/* Two overflows in a row on the calling thread. */
static void overflow(const char *who)
{
	sigjmp_buf jump;
	volatile int caught = 0, round;

	overflow_alt = install_altstack();
	overflow_jump = &jump;
	for (round = 0; round < 2; round++) {
		overflow_on_alt = 0;
		if (sigsetjmp(jump, 1) == 0)
			recurse(0);
		else
			caught++;
		printf("%s overflow %d: caught on the alternate stack: %s\n", who, round + 1,
		       yes(overflow_on_alt));
	}
	printf("%s: both caught, syscalls still work: %s\n", who,
	       yes(caught == 2 && getppid() > 0 && close(-1) < 0 && errno == EBADF));
}

static void *overflow_thread(void *arg)
{
	overflow(arg);
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t thread;

	setvbuf(stdout, NULL, _IOLBF, 0);
	main_alt = install_altstack();
	simple();
	set_handler(SIGSEGV, segv_handler, SA_ONSTACK | SA_NODEFER);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (pthread_create(&thread, &attr, overflow_thread, "small-stack thread") != 0)
		abort();
	pthread_join(thread, NULL);
	overflow("main thread");
	nested(); /* last: a broken loader may never come back from it */
	return 0;
}
