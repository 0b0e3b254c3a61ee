// SPDX-License-Identifier: MIT
/*
 * sigsys: the program's own SIGSYS, under a loader that needs SIGSYS for
 * its safety net. The program installs a SIGSYS handler, blocks SIGSYS,
 * reads back its action and mask, unblocks, raises SIGSYS with kill and
 * checks its handler ran, then sets SIG_IGN and raises again. Everything
 * it prints must be what it prints natively; under --strict the net keeps
 * working all along (the run is also checked for 0 escapes).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	got = sig == SIGSYS && info->si_code == SI_USER && info->si_pid == getpid();
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
	return 0;
}
