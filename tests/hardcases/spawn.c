// SPDX-License-Identifier: MIT
/*
 * spawn: posix_spawn, posix_spawnp, system() and popen(). glibc creates
 * each child with clone3(CLONE_VM|CLONE_VFORK) on a separate stack; the
 * child runs glibc code (file actions, signal resets, the exec) in the
 * parent's memory and reports a failed exec back through it. Covered: a
 * spawn whose output goes through a pipe (file actions: dup2, close), a
 * PATH search, a spawn of a missing program (the error must come back
 * from the child), a spawn with a signal mask and default actions reset,
 * system() with a status and with output, and popen() for reading and
 * for writing. The parent checks its own state after each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	fflush(stdout);
}

static void wait_report(const char *what, pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		printf("%s: waitpid failed\n", what);
	else
		report(what, status);
}

/* posix_spawn with its stdout on a pipe; the parent reads it back. */
static void spawn_into_pipe(void)
{
	char *argv[] = {"echo", "through", "a pipe", NULL};
	posix_spawn_file_actions_t fa;
	char buf[128];
	int fds[2], e;
	ssize_t got, total = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	e = posix_spawn(&pid, "/bin/echo", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e) {
		printf("posix_spawn into a pipe: %s\n", strerror(e));
		close(fds[0]);
		return;
	}
	while ((got = read(fds[0], buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += got;
	close(fds[0]);
	buf[total] = '\0';
	printf("posix_spawn into a pipe: read back \"%.*s\"\n", (int)strcspn(buf, "\n"), buf);
	wait_report("posix_spawn into a pipe", pid);
}

static void spawnp_with_attributes(void)
{
	char *argv[] = {"sh", "-c", "kill -USR1 $$; echo sh survived; exit 6", NULL};
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	pid_t pid;
	int e;

	/* The parent ignores SIGUSR1; the child gets it back at default. */
	signal(SIGUSR1, SIG_IGN);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGUSR1);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	fflush(stdout);
	e = posix_spawnp(&pid, "sh", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (e) {
		printf("posix_spawnp sh: %s\n", strerror(e));
		return;
	}
	wait_report("posix_spawnp sh", pid);
	signal(SIGUSR1, SIG_DFL);
}

static void spawn_missing(void)
{
	char *argv[] = {"missing", NULL};
	volatile int canary = 0x5eed;
	pid_t pid = -1;
	int e;

	e = posix_spawn(&pid, "/nonexistent/missing", NULL, NULL, argv, environ);
	printf("posix_spawn of a missing program: %s, canary intact: %s\n",
	       e == ENOENT ? "ENOENT"
	       : e         ? strerror(e)
			   : "started",
	       canary == 0x5eed ? "yes" : "no");
	if (e == 0)
		wait_report("posix_spawn of a missing program", pid);
	e = posix_spawnp(&pid, "no-such-command-anywhere", NULL, NULL, argv, environ);
	printf("posix_spawnp of a missing command: %s\n", e == ENOENT ? "ENOENT"
							  : e         ? strerror(e)
								      : "started");
	if (e == 0)
		wait_report("posix_spawnp of a missing command", pid);
	fflush(stdout);
}

static void with_system(void)
{
	fflush(stdout);
	report("system exit 3", system("exit 3"));
	report("system echo", system("echo '  from system'"));
	report("system kill", system("kill -TERM $$"));
}

static void with_popen(void)
{
	char line[64];
	int count = 0;
	FILE *f = popen("printf 'one\\ntwo\\nthree\\n'", "r");

	if (f) {
		while (fgets(line, sizeof(line), f))
			printf("popen read line %d: %.*s\n", ++count, (int)strcspn(line, "\n"),
			       line);
		report("popen read", pclose(f));
	}
	fflush(stdout);
	f = popen("tr a-z A-Z; exit 5", "w");
	if (f) {
		fputs("  popen write: upper case\n", f);
		report("popen write", pclose(f));
	}
}

int main(void)
{
	spawn_into_pipe();
	spawnp_with_attributes();
	spawn_missing();
	with_system();
	with_popen();
	printf("done\n");
	return 0;
}
