// SPDX-License-Identifier: MIT
/*
 * A minimal ptrace tracer, as a test harness or a debugger would be:
 * PTRACE_TRACEME and exec of the command, then PTRACE_CONT at every
 * signal-delivery-stop, passing the signal on (as strace does, and gdb
 * after its stop) or, with "drop", passing 0 for SIGSYS (a tracer that
 * suppresses signals it does not own). Prints on stderr how many SIGSYS
 * stops it saw; exits as the command did.
 *
 * usage: tracer pass|drop COMMAND [ARGS...]
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st, stops = 0, drop;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: %s pass|drop COMMAND [ARGS...]\n", argv[0]);
		return 2;
	}
	drop = strcmp(argv[1], "drop") == 0;
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	waitpid(pid, &st, 0); /* the exec's SIGTRAP */
	ptrace(PTRACE_CONT, pid, 0, 0);
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		int sig = WSTOPSIG(st);
		stops += sig == SIGSYS;
		ptrace(PTRACE_CONT, pid, 0, sig == SIGSYS && drop ? 0 : sig);
	}
	fprintf(stderr, "tracer: %d SIGSYS stops\n", stops);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
