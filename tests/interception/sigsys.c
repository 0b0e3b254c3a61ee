// SPDX-License-Identifier: MIT
/*
 * sigsys: the program's own SIGSYS, under a loader that needs SIGSYS for
 * its safety net. The program installs a SIGSYS handler, blocks SIGSYS,
 * reads back its action and mask, unblocks, raises SIGSYS with kill and
 * checks its handler ran, then sets SIG_IGN and raises again. A second
 * handler, with SA_ONSTACK and an alternate stack, checks it runs as the
 * kernel runs handlers: on that stack, with its sa_mask and SIGSYS
 * blocked, and a context whose stack pointer is the interrupted one's
 * (and it changes a register there, which must take effect). Everything
 * it prints must be what it prints natively; under --strict the net keeps
 * working all along (the run is also checked for 0 escapes).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)

static volatile sig_atomic_t got;
static char *alt;
static volatile uintptr_t outside_sp;
static struct {
	int on_alt, mask_usr2, mask_sys, sp_right;
} seen;

static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	got = sig == SIGSYS && info->si_code == SI_USER && info->si_pid == getpid();
}

static void on_sigsys_alt(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	sigset_t now;
	char here;

	(void)sig;
	(void)info;
	seen.on_alt = &here >= alt && &here < alt + ALT_SIZE;
	sigprocmask(SIG_BLOCK, NULL, &now);
	seen.mask_usr2 = sigismember(&now, SIGUSR2);
	seen.mask_sys = sigismember(&now, SIGSYS);
	uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
	seen.sp_right = sp < outside_sp && outside_sp - sp < 4096;
	uc->uc_mcontext.gregs[REG_RAX] = 4242; /* the kill's result, as seen after */
}

/* A kill whose return value the handler replaces. */
static long raw_kill_self(void)
{
	char here;

	outside_sp = (uintptr_t)&here;
	return syscall(SYS_kill, getpid(), SIGSYS);
}

static void alternate_stack_handler(void)
{
	stack_t ss = {.ss_sp = alt = malloc(ALT_SIZE), .ss_size = ALT_SIZE};
	struct sigaction sa;
	long r;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys_alt;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGSYS, &sa, NULL);
	r = raw_kill_self();
	printf("SA_ONSTACK handler: on the alternate stack: %s, sa_mask applied: %s, "
	       "SIGSYS blocked: %s, context sp right: %s, context change kept: %s\n",
	       seen.on_alt ? "yes" : "no", seen.mask_usr2 ? "yes" : "no",
	       seen.mask_sys ? "yes" : "no", seen.sp_right ? "yes" : "no",
	       r == 4242 ? "yes" : "no");
}

int main(void)
{
	struct sigaction sa, old;
	sigset_t set, cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGSYS, &sa, NULL);
	sigaction(SIGSYS, NULL, &old);
	printf("handler is ours: %s, flags SA_SIGINFO: %s, mask has SIGUSR1: %s\n",
	       old.sa_sigaction == on_sigsys ? "yes" : "no",
	       (old.sa_flags & SA_SIGINFO) ? "yes" : "no",
	       sigismember(&old.sa_mask, SIGUSR1) ? "yes" : "no");

	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSYS blocked as far as we know: %s\n", sigismember(&cur, SIGSYS) ? "yes" : "no");
	/* Syscalls keep working while "blocked" (getpid, write above and below). */
	printf("getpid still works: %s\n", getpid() > 0 ? "yes" : "no");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGSYS unblocked: %s\n", sigismember(&cur, SIGSYS) ? "no" : "yes");

	kill(getpid(), SIGSYS);
	printf("our handler saw our kill: %s\n", got ? "yes" : "no");

	signal(SIGSYS, SIG_IGN);
	got = 0;
	kill(getpid(), SIGSYS);
	printf("ignored SIGSYS did nothing: %s\n", got ? "no" : "yes");
	alternate_stack_handler();
	return 0;
}
