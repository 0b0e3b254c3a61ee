// SPDX-License-Identifier: MIT
/*
 * exec_self: what a program sees of itself, and exec of itself and of a
 * script. It prints the basename of readlink("/proc/self/exe"), its
 * /proc/self/comm, the basename of AT_EXECFN and its /proc/self/cmdline
 * (basenames), which must be the program's, not the loader's. Then a child
 * re-execs /proc/self/exe with arguments and prints the same from the new
 * image, a child execs a #!/bin/sh script (given as argv[1]) that reports
 * its own $0, arguments, comm and exe, and finally the process itself
 * execs /proc/self/exe (same pid). Under the loader every exec'd program
 * must stay under the loader and look exactly as it does natively.
 *
 * usage: exec_self SCRIPT | exec_self child ARGS... | exec_self last
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_self(const char *who)
{
	char exe[4096], comm[64], cmdline[4096], line[4096] = "";
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	ssize_t n;
	int fd;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	printf("%s: /proc/self/exe basename: %s\n", who, n > 0 ? basename(exe) : "(none)");

	fd = open("/proc/self/comm", O_RDONLY);
	n = fd >= 0 ? read(fd, comm, sizeof(comm) - 1) : -1;
	comm[n > 0 ? n : 0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	if (fd >= 0)
		close(fd);
	printf("%s: comm: %s\n", who, comm);

	snprintf(exe, sizeof(exe), "%s", execfn ? execfn : "(none)");
	printf("%s: AT_EXECFN basename: %s\n", who, basename(exe));

	fd = open("/proc/self/cmdline", O_RDONLY);
	n = fd >= 0 ? read(fd, cmdline, sizeof(cmdline) - 1) : -1;
	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(cmdline + i) + 1) {
		strncat(line, " [", sizeof(line) - strlen(line) - 1);
		strncat(line, basename(cmdline + i), sizeof(line) - strlen(line) - 1);
		strncat(line, "]", sizeof(line) - strlen(line) - 1);
	}
	printf("%s: cmdline (basenames):%s\n", who, line);
}

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
}

/* Fork; the child execs path with argv; wait and print how it ended. */
static void run(const char *what, const char *path, char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(path, argv);
		perror("execv");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		perror("fork/waitpid");
		return;
	}
	report(what, status);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "child") == 0) {
		printf("  re-exec'd: argc %d, argv[0] %s, argv[1..]:", argc, argv[0]);
		for (int i = 1; i < argc; i++)
			printf(" [%s]", argv[i]);
		printf("\n");
		show_self("  re-exec'd");
		return 4;
	}
	if (argc == 2 && strcmp(argv[1], "last") == 0) {
		show_self("exec'd in place");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: exec_self SCRIPT\n");
		return 2;
	}
	show_self("first");

	char *self_argv[] = {"exec_self", "child", "two words", "", NULL};
	run("re-exec of /proc/self/exe", "/proc/self/exe", self_argv);

	char *script_argv[] = {argv[1], "alpha", "beta gamma", NULL};
	run("exec of a #! script", argv[1], script_argv);

	char *last_argv[] = {"exec_self", "last", NULL};
	fflush(stdout);
	execv("/proc/self/exe", last_argv);
	perror("execv /proc/self/exe");
	return 1;
}
