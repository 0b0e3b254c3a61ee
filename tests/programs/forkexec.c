// SPDX-License-Identifier: MIT
/*
 * forkexec: a corpus program that forks and execs with plain fork() (no
 * vfork, no posix_spawn). Children exec /bin/echo, re-exec this program
 * by argv[0], exit with a status, die by a signal, write into a pipe,
 * and fork a grandchild. The parent waits for each child in turn and
 * prints how it ended, so the output order is fixed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	else
		printf("%s: status 0x%x\n", what, status);
	fflush(stdout);
}

/* Forks; the child runs body(arg) and exits with its value. */
static void run_child(const char *what, int (*body)(const char *), const char *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0)
		_exit(body(arg));
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		exit(1);
	}
	report(what, status);
}

static int exec_echo(const char *text)
{
	execl("/bin/echo", "echo", text, (char *)NULL);
	perror("execl /bin/echo");
	return 127;
}

static int exec_self(const char *self)
{
	execl(self, self, "child", "two", "words", (char *)NULL);
	perror("execl self");
	return 127;
}

static int exit_with(const char *code)
{
	return atoi(code);
}

static int die_by_signal(const char *unused)
{
	(void)unused;
	raise(SIGTERM);
	return 0;
}

static int fork_grandchild(const char *unused)
{
	(void)unused;
	run_child("grandchild", exit_with, "5");
	return 6;
}

static void pipe_from_child(void)
{
	char buf[64];
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	if (pipe(fds) != 0)
		exit(1);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		execlp("printf", "printf", "%s-%s", "through", "a pipe", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	got = read(fds[0], buf, sizeof(buf) - 1);
	buf[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	printf("pipe read: \"%s\"\n", buf);
	report("printf", status);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		printf("re-exec'd child, argc %d:", argc);
		for (int i = 1; i < argc; i++)
			printf(" [%s]", argv[i]);
		printf("\n");
		return 7;
	}
	printf("parent starts\n");
	run_child("echo", exec_echo, "hello from /bin/echo");
	run_child("self", exec_self, argv[0]);
	run_child("exit", exit_with, "3");
	run_child("signal", die_by_signal, NULL);
	run_child("child", fork_grandchild, NULL);
	pipe_from_child();
	printf("parent done\n");
	return 0;
}
