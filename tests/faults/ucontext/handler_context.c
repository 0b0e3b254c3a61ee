// SPDX-License-Identifier: MIT
/*
 * What a signal handler sees in its ucontext when the signal interrupts a
 * blocking syscall, and what its changes do: one transcript, compared
 * with the native run (meson.build). A helper thread sends the signal
 * once the main thread sleeps in the call. Each case prints rip as an
 * offset from the syscall's function (dladdr), rsp from a marker in the
 * caller, rax, and callee-saved registers set before a raw syscall; then
 * a handler changes a register and the result, one moves rip (and rsp)
 * to a recovery function, and pthread_cancel ends a thread blocked in
 * read (glibc unwinds from the handler's frame).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

static volatile pid_t main_tid;
static volatile int fired;
static greg_t seen[NGREG];
static int change; /* 1: rbx and rax; 2: rip to recover() */
static int pipefd[2];
static char recovery_stack[65536] __attribute__((aligned(16)));

static void recover(void);

static void handler(int sig, siginfo_t *si, void *arg)
{
	ucontext_t *uc = arg;

	(void)sig, (void)si;
	memcpy(seen, uc->uc_mcontext.gregs, sizeof(seen));
	if (change == 1) {
		uc->uc_mcontext.gregs[REG_RBX] = 0x5eed;
		uc->uc_mcontext.gregs[REG_RAX] = 77;
	} else if (change == 2) {
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)recover;
		uc->uc_mcontext.gregs[REG_RSP] =
			(greg_t)(uintptr_t)(recovery_stack + sizeof(recovery_stack) - 8);
	}
	fired = 1;
}

/* Whether thread tid sleeps (state S in its stat). */
static int sleeping(pid_t tid)
{
	char path[64], buf[512];
	FILE *f;
	int ok = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f)) {
			char *p = strrchr(buf, ')');
			ok = p && p[2] == 'S';
		}
		fclose(f);
	}
	return ok;
}

static void *sender(void *arg)
{
	int sig = (int)(intptr_t)arg;
	struct timespec ts = {0, 2000000};

	while (!main_tid)
		nanosleep(&ts, NULL);
	/* Twice S with a pause between: in the call, not on the way. */
	for (int n = 0; n < 2;) {
		nanosleep(&ts, NULL);
		n = sleeping(main_tid) ? n + 1 : 0;
	}
	syscall(SYS_tgkill, getpid(), main_tid, sig);
	/* With SA_RESTART the call goes on: end it. */
	for (int i = 0; i < 500 && !fired; i++)
		nanosleep(&ts, NULL);
	nanosleep(&ts, NULL);
	if (write(pipefd[1], "x", 1) != 1)
		abort();
	return NULL;
}

static pthread_t start_sender(int sig)
{
	pthread_t th;

	fired = 0;
	main_tid = 0;
	pthread_create(&th, NULL, sender, (void *)(intptr_t)sig);
	return th;
}

static void set_action(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

static void print_rip(const char *what, uintptr_t rip)
{
	Dl_info di;

	if (dladdr((void *)rip, &di) && di.dli_sname)
		printf("%s: rip %s+%#lx", what, di.dli_sname,
		       (unsigned long)(rip - (uintptr_t)di.dli_saddr));
	else
		printf("%s: rip unknown", what);
}

static void drain(void)
{
	char c;
	if (read(pipefd[0], &c, 1) != 1)
		abort();
}

/* A libc call: rip from its function, rsp from a marker of the caller. */
static void libc_call(const char *name, int sig, int flags)
{
	volatile char marker = 0;
	char c;
	long r;

	set_action(sig, flags);
	pthread_t th = start_sender(sig);
	main_tid = (pid_t)syscall(SYS_gettid);
	if (!strcmp(name, "read")) {
		r = read(pipefd[0], &c, 1);
	} else if (!strcmp(name, "pause")) {
		r = pause();
	} else {
		struct timespec ts = {20, 0};
		r = nanosleep(&ts, NULL);
	}
	int e = errno;
	pthread_join(th, NULL);
	if (r != 1)
		drain();
	print_rip(name, (uintptr_t)seen[REG_RIP]);
	printf(" rsp marker-%#lx rax %ld; returned %ld errno %d\n",
	       (unsigned long)((uintptr_t)&marker - (uintptr_t)seen[REG_RSP]), (long)seen[REG_RAX],
	       r, r < 0 ? e : 0);
}

extern const char raw_after[];

/* A raw read with callee-saved registers of our own. */
static void raw_call(int flags, int how)
{
	register uint64_t r12 __asm__("r12") = 0x1212, r15 __asm__("r15") = 0x1515;
	uint64_t rax = SYS_read, rbx = 0x1111, sp;
	char c;

	change = how;
	set_action(SIGUSR1, flags);
	pthread_t th = start_sender(SIGUSR1);
	main_tid = (pid_t)syscall(SYS_gettid);
	__asm__ volatile("mov %%rsp, %[sp]\n\t"
			 "syscall\n"
			 ".globl raw_after\n"
			 "raw_after:"
			 : "+a"(rax), "+b"(rbx), "+r"(r12), "+r"(r15), [sp] "=m"(sp)
			 : "D"((long)pipefd[0]), "S"(&c), "d"(1L)
			 : "rcx", "r11", "memory");
	pthread_join(th, NULL);
	if ((long)rax != 1)
		drain();
	change = 0;
	printf("raw%s%s: rip raw_after%+ld rsp %+ld rax %ld rbx %#lx r12 %#lx r15 %#lx eflags-if "
	       "%d;"
	       " after: rax %ld rbx %#lx r12 %#lx r15 %#lx\n",
	       flags ? " restart" : "", how ? " change" : "",
	       (long)((uintptr_t)seen[REG_RIP] - (uintptr_t)raw_after),
	       (long)((uintptr_t)seen[REG_RSP] - sp), (long)seen[REG_RAX],
	       (unsigned long)seen[REG_RBX], (unsigned long)seen[REG_R12],
	       (unsigned long)seen[REG_R15], (int)((seen[REG_EFL] >> 9) & 1), (long)rax,
	       (unsigned long)rbx, (unsigned long)r12, (unsigned long)r15);
}

static void *blocked_reader(void *arg)
{
	char c;

	(void)arg;
	main_tid = (pid_t)syscall(SYS_gettid);
	if (read(pipefd[0], &c, 1) == 1)
		printf("cancel: read returned\n");
	return NULL;
}

static void cancel(void)
{
	struct timespec ts = {0, 2000000};
	pthread_t th;
	void *ret;

	main_tid = 0;
	pthread_create(&th, NULL, blocked_reader, NULL);
	while (!main_tid)
		nanosleep(&ts, NULL);
	for (int n = 0; n < 2;) {
		nanosleep(&ts, NULL);
		n = sleeping(main_tid) ? n + 1 : 0;
	}
	pthread_cancel(th);
	pthread_join(th, &ret);
	printf("cancel: %s\n", ret == PTHREAD_CANCELED ? "canceled" : "not canceled");
}

static void recover(void)
{
	printf("recovered: the handler saw rip raw_after%+ld\n",
	       (long)((uintptr_t)seen[REG_RIP] - (uintptr_t)raw_after));
	fflush(stdout);
	exit(0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(pipefd))
		return 1;
	libc_call("read", SIGALRM, 0);
	libc_call("read", SIGALRM, SA_RESTART);
	libc_call("pause", SIGUSR1, 0);
	libc_call("pause", SIGUSR1, SA_RESTART);
	libc_call("nanosleep", SIGALRM, 0);
	libc_call("nanosleep", SIGALRM, SA_RESTART);
	/* SIGSYS: the loader's own action delivers it (hooks/deliver.c). */
	libc_call("read", SIGSYS, 0);
	libc_call("read", SIGSYS, SA_RESTART);
	raw_call(0, 0);
	raw_call(SA_RESTART, 0);
	cancel();
	raw_call(0, 1);
	raw_call(SA_RESTART, 1);
	raw_call(0, 2); /* does not return: recover() ends the run */
	return 1;
}
