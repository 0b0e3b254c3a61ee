// SPDX-License-Identifier: MIT
/*
 * The program's own Syscall User Dispatch, as the kernel gives it: one
 * transcript, compared with the native run's (meson.build says what it
 * covers). Every line the kernel decides is printed, nothing about the
 * loader: the test is that the loader cannot be seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SUD               59
#define OFF               0
#define EXCLUSIVE         1
#define INCLUSIVE         2
#define ALLOW             0
#define BLOCK             1
#define SYS_USER_DISPATCH 2
#define FAKE_RESULT       4242

/* Raw getppid sites the test knows the address after: raw_getppid's
 * syscall ends at raw_getppid_after. raw_other is a second function, for
 * the ranges. Each has the number in rax only, so that the loader
 * rewrites it as it rewrites libc's. raw_late's syscall is a branch
 * target, so a rewrite's jmp starts there and covers the instruction
 * after it: the address after the syscall is inside the jmp. */
long raw_getppid(void);
long raw_other(void);
long raw_late(void);
extern char raw_getppid_after[], raw_getppid_end[], raw_other_after[], raw_late_syscall[];
#define raw_late_after (raw_late_syscall + 2) /* no symbol: it would be an entry */
__asm__(".text\n"
	".globl raw_getppid\n"
	"raw_getppid:\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	".globl raw_getppid_after\n"
	"raw_getppid_after:\n"
	"	ret\n"
	".globl raw_getppid_end\n"
	"raw_getppid_end:\n"
	"	nop\n"
	".globl raw_other\n"
	"raw_other:\n"
	"	mov $39, %eax\n" /* getpid */
	"	syscall\n"
	".globl raw_other_after\n"
	"raw_other_after:\n"
	"	ret\n"
	".globl raw_late\n"
	"raw_late:\n"
	"	mov $110, %eax\n"
	"	test %eax, %eax\n"
	"	jz raw_late_syscall\n" /* never taken */
	".globl raw_late_syscall\n"
	"raw_late_syscall:\n"
	"	syscall\n"
	"	mov %rax, %rdx\n"
	"	mov %rdx, %rax\n"
	"	ret\n");

static volatile char selector = ALLOW;
static volatile int trapped;
static volatile int bad_info;

static int sud(unsigned long mode, unsigned long off, unsigned long len, const volatile char *sel)
{
	/* Through libc's syscall(): its site is outside every range used. */
	return (int)syscall(SYS_prctl, SUD, mode, off, len, sel);
}

static void on_sigsys(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	selector = ALLOW; /* the handler's own syscalls (its rt_sigreturn) run */
	trapped++;
	/* What the kernel gives: SIGSYS, SYS_USER_DISPATCH, errno 0, the
	 * address after the syscall (also the context's rip), the number
	 * (also the context's rax, rolled back), x86-64. */
	if (sig != SIGSYS || info->si_code != SYS_USER_DISPATCH || info->si_errno ||
	    info->si_arch != 0xc000003e || (uintptr_t)info->si_call_addr != (uintptr_t)g[REG_RIP] ||
	    g[REG_RAX] != info->si_syscall)
		bad_info++;
	printf("  SIGSYS: syscall %d at %s\n", info->si_syscall,
	       info->si_call_addr == raw_getppid_after ? "raw_getppid"
	       : info->si_call_addr == raw_other_after ? "raw_other"
	       : info->si_call_addr == raw_late_after  ? "raw_late"
						       : "elsewhere");
	g[REG_RAX] = FAKE_RESULT; /* the emulated call's result */
}

/* One raw call with the selector at sel: what it returned, and whether it
 * was dispatched. */
static void call(const char *what, long (*fn)(void), char sel)
{
	int before = trapped;
	long r;

	selector = sel;
	r = fn();
	selector = ALLOW;
	printf("%s: %s%s\n", what,
	       r == FAKE_RESULT ? "emulated"
	       : r == getppid() ? "ran (ppid)"
	       : r == getpid()  ? "ran (pid)"
				: "?",
	       trapped != before ? "" : ", not dispatched");
}

static void show(const char *what, int r)
{
	int e = errno;

	printf("%s: %d %s\n", what, r, r < 0 ? strerror(e) : "");
}

static void errors(void)
{
	show("off with an offset", sud(OFF, 1, 0, NULL));
	show("off with a selector", sud(OFF, 0, 0, &selector));
	show("mode 3", sud(3, 0, 0, NULL));
	show("exclusive wrapping", sud(EXCLUSIVE, ~0UL, 2, NULL));
	show("inclusive empty", sud(INCLUSIVE, 4096, 0, NULL));
	show("inclusive wrapping", sud(INCLUSIVE, ~0UL, 2, NULL));
	show("kernel selector", sud(EXCLUSIVE, 0, 0, (char *)0xffff800000000000UL));
	show("off", sud(OFF, 0, 0, NULL));
}

static void dispatch(void)
{
	uintptr_t fn = (uintptr_t)raw_getppid, after = (uintptr_t)raw_getppid_after;

	printf("exclusive, no range, selector:\n");
	sud(EXCLUSIVE, 0, 0, &selector);
	call(" allow", raw_getppid, ALLOW);
	call(" block", raw_getppid, BLOCK);
	call(" block other", raw_other, BLOCK);
	call(" block late", raw_late, BLOCK);
	call(" allow late", raw_late, ALLOW);
	call(" allow again", raw_getppid, ALLOW);
	sud(OFF, 0, 0, NULL);
	call("off, block", raw_getppid, BLOCK);

	printf("exclusive, raw_getppid allowed:\n");
	sud(EXCLUSIVE, fn, (uintptr_t)raw_getppid_end - fn, &selector);
	call(" block", raw_getppid, BLOCK);
	call(" block other", raw_other, BLOCK);
	sud(OFF, 0, 0, NULL);
	/* The kernel checks the address after the syscall: a range that
	 * ends at it leaves the syscall out; one byte more takes it in. */
	printf("exclusive, range ending at the syscall's end:\n");
	sud(EXCLUSIVE, fn, after - fn, &selector);
	call(" block", raw_getppid, BLOCK);
	sud(OFF, 0, 0, NULL);
	sud(EXCLUSIVE, fn, after - fn + 1, &selector);
	call(" one byte more, block", raw_getppid, BLOCK);
	sud(OFF, 0, 0, NULL);

	printf("inclusive, raw_getppid dispatched:\n");
	sud(INCLUSIVE, fn, (uintptr_t)raw_getppid_end - fn, &selector);
	call(" block", raw_getppid, BLOCK);
	call(" block other", raw_other, BLOCK);
	call(" allow", raw_getppid, ALLOW);
	sud(OFF, 0, 0, NULL);

	printf("no selector, raw_other's side allowed:\n");
	sud(INCLUSIVE, fn, (uintptr_t)raw_getppid_end - fn, NULL);
	/* Every syscall in raw_getppid is dispatched, the handler's too
	 * would be if it were there: it is not. */
	call(" raw_getppid", raw_getppid, ALLOW);
	call(" raw_other", raw_other, ALLOW);
	sud(OFF, 0, 0, NULL);
	printf("info as the kernel's: %s\n", bad_info ? "no" : "yes");
}

/* How a child process ends when fn runs in it. */
static void in_child(const char *what, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	else
		printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

static void bad_selector_value(void)
{
	sud(EXCLUSIVE, 0, 0, &selector);
	selector = 7;
	raw_getppid();
}

static void unreadable_selector(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	sud(EXCLUSIVE, 0, 0, p);
	munmap(p, 4096); /* through libc: allowed, the selector is ALLOW */
	raw_getppid();
}

static void blocked_sigsys(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sud(EXCLUSIVE, 0, 0, &selector);
	selector = BLOCK;
	raw_getppid();
	selector = ALLOW;
	printf("survived a blocked SIGSYS\n");
}

static void ignored_sigsys(void)
{
	signal(SIGSYS, SIG_IGN);
	sud(EXCLUSIVE, 0, 0, &selector);
	selector = BLOCK;
	raw_getppid();
	selector = ALLOW;
	printf("survived an ignored SIGSYS\n");
}

static void default_sigsys(void)
{
	signal(SIGSYS, SIG_DFL);
	sud(EXCLUSIVE, 0, 0, &selector);
	selector = BLOCK;
	raw_getppid();
	selector = ALLOW;
	printf("survived SIGSYS's default action\n");
}

/* Whether SUD set in this thread reaches a new thread and a fork child. */
static void *thread_call(void *arg)
{
	(void)arg;
	call(" in a new thread, block", raw_getppid, BLOCK);
	return NULL;
}

static void inherited(void)
{
	pthread_t th;

	printf("set before pthread_create and fork:\n");
	sud(EXCLUSIVE, 0, 0, &selector);
	pthread_create(&th, NULL, thread_call, NULL);
	pthread_join(th, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		call(" in a fork child, block", raw_getppid, BLOCK);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	call(" in the thread that set it, block", raw_getppid, BLOCK);
	sud(OFF, 0, 0, NULL);
}

static void exec_self(const char *self)
{
	sud(EXCLUSIVE, 0, 0, &selector);
	execl(self, self, "after-exec", (char *)NULL);
	_exit(3);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		/* An exec ends it: the new image's syscalls all run. */
		printf("after exec: %s\n", raw_getppid() == getppid() ? "ran" : "?");
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);

	errors();
	dispatch();
	inherited();
	in_child("selector 7", bad_selector_value);
	in_child("selector unmapped", unreadable_selector);
	in_child("blocked SIGSYS", blocked_sigsys);
	in_child("ignored SIGSYS", ignored_sigsys);
	in_child("default SIGSYS", default_sigsys);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		exec_self(argv[0]);
	int status;
	waitpid(pid, &status, 0);
	printf("exec child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
	return 0;
}
