// SPDX-License-Identifier: MIT
/*
 * syscall_storm: THREADS threads make COUNT syscalls each, raw `syscall`
 * instructions and libc calls mixed, every answer checked, while a signal
 * storm hits them: a thread of the process sends SIGUSR1 to each worker
 * (tgkill) and a child process sends SIGALRM to the process (kill), each
 * as soon as the previous one of its kind was handled, so that no signal
 * is merged with a pending one and every one sent must be handled exactly
 * once. The handlers make syscalls too (raw and libc) and check them.
 *
 * It runs a short warm-up round first (glibc's cached thread stacks, the
 * loader's first-use allocations), counts its mappings, runs the measured
 * round and counts again. Verdict lines on stdout (the same natively and
 * under the loader when all is right), figures on stderr, among them
 * "syscalls made: N", a lower bound the runner compares with the report.
 *
 * usage: syscall_storm [THREADS [COUNT]]   (8, 1000000; COUNT times
 *        $STRESS_SCALE when set)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "maps_count.h"

#define MAX_THREADS 64

static long ppid, pid;
static int devnull;
static int nthreads;
static long count;

struct worker {
	pthread_t id;
	_Atomic long tid;
	long right; /* answers that were right */
	_Atomic long usr1_sent, usr1_handled;
	_Atomic int finished, released; /* released: no more SIGUSR1 */
};

static struct worker workers[MAX_THREADS];
static _Atomic long handler_wrong, handler_syscalls;
static _Atomic long alrm_handled_here;
static __thread int my_index = -1;

/* Shared with the child that sends SIGALRM. */
struct shared {
	_Atomic long alrm_sent, alrm_handled;
	_Atomic int stop, stopped;
};
static struct shared *sh;

static long raw0(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr) : "rcx", "r11", "memory");
	return r;
}

static long raw3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

/* Three syscalls, each checked: raw getppid, libc gettid, raw write. */
static void handler_syscalls_checked(void)
{
	long tid = syscall(SYS_gettid);

	if (raw0(SYS_getppid) != ppid || raw3(SYS_write, devnull, (long)"s", 1) != 1 ||
	    (my_index >= 0 && tid != workers[my_index].tid) || tid <= 0)
		handler_wrong++;
	handler_syscalls += 3;
}

static void on_usr1(int sig)
{
	(void)sig;
	handler_syscalls_checked();
	if (my_index >= 0)
		workers[my_index].usr1_handled++;
	else
		handler_wrong++; /* sent to workers only */
}

static void on_alrm(int sig)
{
	(void)sig;
	handler_syscalls_checked();
	alrm_handled_here++;
	sh->alrm_handled++;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	long tid = raw0(SYS_gettid), right = 0;
	char buf[8] = "abcdefg";

	w->tid = tid; /* before my_index: a SIGALRM handler may look */
	my_index = (int)(w - workers);
	for (long i = 0; i < count; i++) {
		switch (i % 6) {
		case 0:
			right += raw0(SYS_getppid) == ppid;
			break;
		case 1:
			right += raw0(SYS_gettid) == tid;
			break;
		case 2:
			right += getppid() == ppid;
			break;
		case 3:
			right += syscall(SYS_gettid) == tid;
			break;
		case 4:
			right += raw3(SYS_write, devnull, (long)buf, i % 7 + 1) == i % 7 + 1;
			break;
		default:
			right += getpid() == pid;
			break;
		}
	}
	w->right = right;
	/* No SIGUSR1 after the sender saw this; then wait for the last one
	 * sent (it may still be pending: a thread's own signal dies with it). */
	w->finished = 1;
	while (!w->released)
		sched_yield();
	while (w->usr1_handled != w->usr1_sent)
		sched_yield();
	return NULL;
}

/* Sends SIGUSR1 to each worker as soon as its previous one was handled. */
static void *send_usr1(void *arg)
{
	int left = nthreads, sent = 1;

	(void)arg;
	while (left > 0) {
		if (!sent)
			sched_yield(); /* all pending: let the workers run */
		left = sent = 0;
		for (int i = 0; i < nthreads; i++) {
			struct worker *w = &workers[i];
			if (w->released)
				continue;
			if (w->finished) {
				w->released = 1;
				continue;
			}
			left++;
			if (w->tid && w->usr1_handled == w->usr1_sent) {
				w->usr1_sent++;
				sent++;
				if (syscall(SYS_tgkill, pid, w->tid, SIGUSR1) != 0)
					handler_wrong++;
			}
		}
	}
	return NULL;
}

/* The child: SIGALRM to the parent as soon as the previous one was handled. */
static void send_alrm(void)
{
	while (!sh->stop) {
		if (sh->alrm_handled == sh->alrm_sent) {
			sh->alrm_sent++;
			if (kill((pid_t)pid, SIGALRM) != 0)
				_exit(3);
		} else {
			sched_yield();
		}
	}
	sh->stopped = 1;
	_exit(0);
}

struct totals {
	long right, usr1, alrm;
	int ok;
};

static int round_of(int threads, long n, struct totals *t)
{
	pthread_t sender;
	pid_t child;
	int st;

	nthreads = threads;
	count = n;
	memset(workers, 0, sizeof(workers));
	memset(t, 0, sizeof(*t));
	memset(sh, 0, sizeof(*sh));
	alrm_handled_here = 0;
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0)
		send_alrm();
	for (int i = 0; i < threads; i++)
		if (pthread_create(&workers[i].id, NULL, work, &workers[i]) != 0)
			return -1;
	if (pthread_create(&sender, NULL, send_usr1, NULL) != 0)
		return -1;
	for (int i = 0; i < threads; i++)
		pthread_join(workers[i].id, NULL);
	pthread_join(sender, NULL);
	sh->stop = 1;
	while (!sh->stopped)
		sched_yield();
	while (sh->alrm_handled != sh->alrm_sent)
		sched_yield();
	if (waitpid(child, &st, 0) != child || st != 0)
		return -1;
	t->ok = 1;
	for (int i = 0; i < threads; i++) {
		t->right += workers[i].right;
		t->usr1 += workers[i].usr1_sent;
		t->ok &= workers[i].usr1_sent == workers[i].usr1_handled;
	}
	t->alrm = sh->alrm_sent;
	t->ok &= sh->alrm_sent == sh->alrm_handled && alrm_handled_here == sh->alrm_handled;
	return 0;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 8;
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	const char *scale = getenv("STRESS_SCALE");
	struct sigaction sa;
	struct totals warm, t;
	long maps_before, maps_after;

	if (scale)
		n = (long)(n * atof(scale));
	if (threads < 1 || threads > MAX_THREADS || n < 1) {
		fprintf(stderr, "usage: %s [THREADS (1-%d) [COUNT]]\n", argv[0], MAX_THREADS);
		return 2;
	}
	ppid = getppid();
	pid = getpid();
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (devnull < 0 || sh == MAP_FAILED)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, NULL);

	if (round_of(threads, n / 100 + 1, &warm) != 0 || (maps_before = maps_count()) < 0 ||
	    round_of(threads, n, &t) != 0 || (maps_after = maps_count()) < 0) {
		fprintf(stderr, "%s:%d: a thread, the child or /proc/self/maps failed\n", __FILE__,
			__LINE__);
		return 2;
	}
	fprintf(stderr,
		"%d threads x %ld syscalls: %ld right; SIGUSR1 %ld, SIGALRM %ld; handler "
		"syscalls %ld, %ld wrong; mappings %ld -> %ld\n",
		threads, n, t.right, t.usr1, t.alrm, (long)handler_syscalls, (long)handler_wrong,
		maps_before, maps_after);
	fprintf(stderr, "syscalls made: %ld\n",
		threads * n + (long)handler_syscalls + t.usr1 + warm.usr1);
	printf("workers: %d x %ld syscalls, %s\n", threads, n,
	       t.right == threads * n ? "every answer right" : "WRONG ANSWERS");
	printf("signals: %s\n", t.ok && warm.ok ? "every one sent handled once" : "LOST OR EXTRA");
	printf("handlers: %s\n", handler_wrong ? "WRONG ANSWERS" : "every answer right");
	printf("mappings: %s\n", maps_after == maps_before ? "as many at the end" : "CHANGED");
	return t.right == threads * n && t.ok && warm.ok && !handler_wrong &&
			       maps_after == maps_before
		       ? 0
		       : 1;
}
