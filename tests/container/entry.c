// SPDX-License-Identifier: MIT
/*
 * A container's entrypoint program, built static and dynamic
 * (tests/container/container.py). Each mode prints what a container's
 * PID 1 sees of itself, so that the run under the loader can be compared
 * line for line with the same image run without it:
 *   echo ARGS...    argv, pid, ppid, and exit 0
 *   exit N          exit N
 *   uname           the nodename (a module may answer uname itself)
 *   term N          a SIGTERM handler that says so and exits N; "ready",
 *                   then waits for the signal
 *   wait            "ready", then waits with no handler (PID 1 ignores
 *                   a SIGTERM it has no handler for)
 *   reap N          N children exit (one leaves an orphan that PID 1
 *                   inherits), the processes in /proc while they are
 *                   zombies, then each reaped and /proc again
 *   exec PROG ARGS  execv(PROG, PROG ARGS): the next program
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int term_status;

static void on_term(int sig)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "got signal %d\n", sig);

	write(1, line, (size_t)n);
	_exit(term_status);
}

static void ready_and_wait(void)
{
	printf("ready pid %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}

static int by_pid(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name) - atoi((*b)->d_name);
}

static int numeric(const struct dirent *d)
{
	return d->d_name[0] >= '1' && d->d_name[0] <= '9';
}

/* Every process /proc shows: pid, comm, parent, and Z for a zombie (a
 * process the loader added would show here, and its pids would shift). */
static void processes(const char *when)
{
	struct dirent **list;
	int n = scandir("/proc", &list, numeric, by_pid);

	if (n < 0) {
		printf("%s: no /proc\n", when);
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[300], stat[512] = "", comm[64] = "?", state = '?';
		int pid = 0, ppid = 0;
		snprintf(path, sizeof(path), "/proc/%s/stat", list[i]->d_name);
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(stat, sizeof(stat), f))
				stat[0] = '\0';
			fclose(f);
		}
		/* "PID (COMM) STATE PPID ...": COMM may hold spaces. */
		char *open = strchr(stat, '('), *close = strrchr(stat, ')');
		if (open && close && close > open) {
			pid = atoi(stat);
			snprintf(comm, sizeof(comm), "%.*s", (int)(close - open - 1), open + 1);
			sscanf(close + 1, " %c %d", &state, &ppid);
		}
		printf("%s: %d (%s) %s ppid %d\n", when, pid, comm,
		       state == 'Z' ? "zombie" : "alive", ppid);
		free(list[i]);
	}
	free(list);
}

/* count children exit, the first after forking an orphan that PID 1
 * inherits (it waits for the end of a pipe PID 1 holds, so that it is
 * alive and PID 1's when /proc is read); then each is reaped. */
static int reap(int count)
{
	pid_t kids[64];
	int hold[2];

	if (count > 64 || pipe(hold) < 0)
		return 1;
	for (int i = 0; i < count; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			return perror("fork"), 1;
		if (kids[i] > 0) {
			siginfo_t si;
			/* The first one (and its orphan) before the next fork,
			 * so that every run gives the same pids. */
			if (i == 0 && waitid(P_PID, (id_t)kids[0], &si, WEXITED | WNOWAIT) < 0)
				return perror("waitid"), 1;
			continue;
		}
		if (i == 0 && fork() == 0) {
			char c;
			close(hold[1]);
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(100);
		}
		_exit(10 + i);
	}
	for (int i = 0; i < count; i++) {
		siginfo_t si;
		/* Until it is a zombie, without reaping it. */
		if (waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOWAIT) < 0)
			return perror("waitid"), 1;
	}
	processes("zombies");
	close(hold[1]);
	int status, reaped = 0, results[65];
	while (reaped < 65 && wait(&status) > 0)
		results[reaped++] = WEXITSTATUS(status);
	/* Children end in any order: their statuses sorted. */
	for (int i = 0; i < reaped; i++)
		for (int j = i + 1; j < reaped; j++)
			if (results[j] < results[i]) {
				int t = results[i];
				results[i] = results[j];
				results[j] = t;
			}
	for (int i = 0; i < reaped; i++)
		printf("reaped status %d\n", results[i]);
	processes("after");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "echo";

	if (strcmp(mode, "echo") == 0) {
		for (int i = 0; i < argc; i++)
			printf("argv[%d] %s\n", i, argv[i]);
		printf("pid %d ppid %d\n", (int)getpid(), (int)getppid());
		return 0;
	}
	if (strcmp(mode, "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	if (strcmp(mode, "uname") == 0) {
		struct utsname u;
		uname(&u);
		printf("nodename %s\n", u.nodename);
		return 0;
	}
	if (strcmp(mode, "term") == 0 && argc > 2) {
		term_status = atoi(argv[2]);
		signal(SIGTERM, on_term);
		ready_and_wait();
	}
	if (strcmp(mode, "wait") == 0)
		ready_and_wait();
	if (strcmp(mode, "reap") == 0 && argc > 2) {
		printf("pid %d\n", (int)getpid());
		return reap(atoi(argv[2]));
	}
	if (strcmp(mode, "exec") == 0 && argc > 2) {
		fflush(stdout);
		execv(argv[2], argv + 2);
		perror("execv");
		return 127;
	}
	fprintf(stderr, "%s: unknown mode %s\n", argv[0], mode);
	return 2;
}
