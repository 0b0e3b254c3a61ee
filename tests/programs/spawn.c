// SPDX-License-Identifier: MIT
/*
 * spawn: a corpus program for the vfork family. glibc's posix_spawn,
 * system() and popen() create the child with clone3(CLONE_VM|CLONE_VFORK)
 * on a separate stack, and vfork() is the vfork syscall itself: the
 * child shares the parent's memory until it execs or exits. Each child's
 * end is printed in a fixed order.
 */
#define _GNU_SOURCE
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

static void with_posix_spawn(void)
{
	char *argv[] = {"echo", "from posix_spawn", NULL};
	int status;
	pid_t pid;

	fflush(stdout);
	if (posix_spawn(&pid, "/bin/echo", NULL, NULL, argv, environ) != 0) {
		printf("posix_spawn failed\n");
		return;
	}
	waitpid(pid, &status, 0);
	report("posix_spawn", status);
}

static void with_system(void)
{
	fflush(stdout);
	report("system", system("echo from system; exit 4"));
}

static void with_popen(void)
{
	char line[64];
	int count = 0;
	FILE *f = popen("printf 'one\\ntwo\\nthree\\n'", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("popen line %d: %s\n", ++count, line);
	}
	report("popen", pclose(f));
}

static void with_vfork(const char *text)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/echo", "echo", text, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	report("vfork+exec", status);

	pid = vfork();
	if (pid == 0)
		_exit(9);
	waitpid(pid, &status, 0);
	report("vfork+_exit", status);
}

int main(void)
{
	with_posix_spawn();
	with_system();
	with_popen();
	with_vfork("from vfork");
	printf("done\n");
	return 0;
}
