// SPDX-License-Identifier: MIT
/*
 * A program that owns %gs, as Wine and some runtimes do: each thread
 * points %gs at a block of its own (arch_prctl(ARCH_SET_GS), wrgsbase, or
 * a dlopened library's wrgsbase), reads it back through %gs-relative
 * loads around syscalls, in a signal handler, and in a thread that
 * inherits it. It prints what it saw; run natively and under the loader,
 * the transcripts must be equal.
 *
 *   gs_prog arch_prctl|wrgsbase|dlopen [LIBRARY]
 * Exit 77 (skip) for wrgsbase where the kernel does not advertise FSGSBASE.
 */
#include <asm/prctl.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 4

struct block {
	unsigned long self; /* %gs:0 */
	unsigned long tag;  /* %gs:8 */
};

static const char *how;
static void (*lib_set_gs)(void *);
static volatile unsigned long handler_tag;

static unsigned long gs_tag(void)
{
	unsigned long v;

	__asm__ volatile("mov %%gs:8, %0" : "=r"(v));
	return v;
}

static void set_gs(struct block *b)
{
	if (!strcmp(how, "arch_prctl"))
		syscall(SYS_arch_prctl, ARCH_SET_GS, b);
	else if (!strcmp(how, "wrgsbase"))
		__asm__ volatile("wrgsbase %0" ::"r"(b) : "memory");
	else
		lib_set_gs(b);
}

static void on_usr1(int sig)
{
	(void)sig;
	getppid();
	handler_tag = gs_tag();
}

static volatile unsigned long blocked_tag;

static void on_alarm(int sig)
{
	(void)sig;
	blocked_tag = gs_tag();
	getppid(); /* a syscall from the handler, through its own %gs */
	if (gs_tag() != blocked_tag)
		blocked_tag = 0;
}

/* A handler that interrupts a blocking syscall (SIGCHLD in a shell's
 * wait4) sees the program's %gs, and its read ends as natively. */
static void blocking_read(void)
{
	struct sigaction sa;
	struct itimerval it = {{0, 0}, {0, 50000}};
	int p[2];
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: the read ends, EINTR */
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(p) < 0)
		return;
	setitimer(ITIMER_REAL, &it, NULL);
	long r = read(p[0], &c, 1);
	printf("main: a handler during a blocking read saw %#lx, read %s\n", blocked_tag,
	       r < 0 && errno == EINTR ? "EINTR" : "?");
	close(p[0]);
	close(p[1]);
}

static void *inherits(void *arg)
{
	unsigned long got;

	(void)arg;
	syscall(SYS_arch_prctl, ARCH_GET_GS, &got);
	return (void *)(gs_tag() == 0x1000 && got != 0 ? 1L : 0L);
}

static void *thread(void *arg)
{
	long n = (long)arg;
	struct block *b = calloc(1, sizeof(*b));
	unsigned long got = 0, bad = 0;

	b->self = (unsigned long)b;
	b->tag = 0x1000 + (unsigned long)n;
	set_gs(b);
	for (int i = 0; i < 2000; i++) {
		getppid();
		if (gs_tag() != b->tag)
			bad++;
		write(-1, "", 0);
	}
	syscall(SYS_arch_prctl, ARCH_GET_GS, &got);
	printf("thread %ld: tag %#lx, ARCH_GET_GS %s, %lu bad reads\n", n, gs_tag(),
	       got == (unsigned long)b ? "is its block" : "differs", bad);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS], child;
	void *inherited;

	how = argc > 1 ? argv[1] : "arch_prctl";
	/* Where the kernel does not advertise FSGSBASE, it does not keep a
	 * wrgsbase value across a context switch: natively too, reads would
	 * fail at random. The test skips then. */
	if (!strcmp(how, "wrgsbase") && !(getauxval(AT_HWCAP2) & 2)) {
		printf("no FSGSBASE\n");
		return 77;
	}
	if (!strcmp(how, "dlopen")) {
		void *h = dlopen(argc > 2 ? argv[2] : "./libgs_lib.so", RTLD_NOW);
		if (!h || !(lib_set_gs = (void (*)(void *))dlsym(h, "gs_lib_set"))) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	for (long i = 0; i < THREADS; i++) {
		pthread_create(&t[i], NULL, thread, (void *)(i + 1));
		pthread_join(t[i], NULL); /* one at a time: the transcript is ordered */
	}
	struct block *b = calloc(1, sizeof(*b));
	b->self = (unsigned long)b;
	b->tag = 0x1000;
	set_gs(b);
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	printf("main: handler saw %#lx\n", handler_tag);
	blocking_read();
	pthread_create(&child, NULL, inherits, NULL);
	pthread_join(child, &inherited);
	printf("main: a new thread %s its parent's %%gs\n",
	       inherited ? "inherits" : "does not inherit");
	printf("main: tag %#lx after all\n", gs_tag());
	return 0;
}
