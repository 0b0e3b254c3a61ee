// SPDX-License-Identifier: MIT
/*
 * fork_storm: two spawner threads create processes as fast as they can
 * while four threads of the same process make syscalls all the while:
 * fork (the child checks its syscalls, forks a grandchild that does the
 * same, waits for it), vfork and exec of /bin/true, vfork and exec of
 * storm_helper (syscalls from two threads), fork and exec of it,
 * vfork and _exit, posix_spawn of it. Each child's status is a number of
 * its own, and every one is collected and compared with what it should be.
 *
 * A warm-up round, the mapping count, the measured round, the count again.
 * Verdict lines on stdout; on stderr the figures and "processes: N" (every
 * process created, grandchildren included, exec'd or not: under
 * `--report=DIR/%p.json` each writes a report of its own, but for the
 * vfork children that do not exec, also counted).
 *
 * usage: fork_storm HELPER [ROUNDS]   (per spawner; 300; times
 *        $STRESS_SCALE when set)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "maps_count.h"

#define SPAWNERS 2
#define BUSY     4
#define KINDS    6

extern char **environ;

static const char *helper;
static _Atomic int busy_done;
static _Atomic long busy_wrong, busy_calls, processes, vfork_exits;

static long raw0(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr) : "rcx", "r11", "memory");
	return r;
}

/* In a fork child or grandchild: its syscalls give its own answers. */
static int own_answers(pid_t parent)
{
	return raw0(SYS_getppid) == parent && raw0(SYS_getpid) == raw0(SYS_gettid) &&
	       getpid() == raw0(SYS_getpid);
}

static void *busy(void *arg)
{
	long pid = getpid(), calls = 0, wrong = 0;

	(void)arg;
	/* Alive and making syscalls, with a pause between them that leaves
	 * the two cores of a CI machine to the spawners. */
	while (!busy_done) {
		struct timespec pause = {0, 20000};
		wrong += raw0(SYS_getpid) != pid;
		wrong += getpid() != pid;
		wrong += nanosleep(&pause, NULL) != 0;
		calls += 3;
	}
	busy_wrong += wrong;
	busy_calls += calls;
	return NULL;
}

/* Starts child number i of its kind; returns its pid and the status it
 * must end with in *want, or -1. */
static pid_t start(int i, int *want)
{
	int kind = i % KINDS, code = i % 200 + 1;
	char arg[16];
	char *hargv[] = {(char *)helper, arg, NULL};
	char *targv[] = {"/bin/true", NULL};
	pid_t parent = getpid(), pid;

	snprintf(arg, sizeof(arg), "%d", code);
	*want = kind == 1 ? 0 : code;
	switch (kind) {
	case 0:
		pid = fork();
		if (pid == 0) {
			pid_t me = getpid(), g;
			int st;
			if (!own_answers(parent))
				_exit(250);
			g = fork();
			if (g == 0)
				_exit(own_answers(me) ? 7 : 251);
			if (g < 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st) ||
			    WEXITSTATUS(st) != 7)
				_exit(252);
			_exit(code);
		}
		processes += 2;
		return pid;
	case 1:
	case 2:
		pid = vfork();
		if (pid == 0) {
			execve(kind == 1 ? targv[0] : helper, kind == 1 ? targv : hargv, environ);
			_exit(253);
		}
		break;
	case 3:
		pid = fork();
		if (pid == 0) {
			execve(helper, hargv, environ);
			_exit(253);
		}
		break;
	case 4:
		pid = vfork();
		if (pid == 0)
			_exit(code);
		vfork_exits++;
		break;
	default:
		if (posix_spawn(&pid, helper, NULL, NULL, hargv, environ) != 0)
			pid = -1;
		break;
	}
	processes++;
	return pid;
}

struct spawner {
	pthread_t id;
	int first, rounds;
	long started, right;
};

static void *spawn_all(void *arg)
{
	struct spawner *s = arg;

	for (int i = s->first; i < s->first + s->rounds; i++) {
		int want, st;
		pid_t pid = start(i, &want);
		if (pid < 0)
			continue;
		s->started++;
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == want)
			s->right++;
		else
			fprintf(stderr, "child %d (kind %d): status 0x%x, expected exit %d\n", i,
				i % KINDS, st, want);
	}
	return NULL;
}

/* One round: returns the children started and sets *right. */
static long round_of(int rounds, long *right)
{
	struct spawner s[SPAWNERS] = {0};
	pthread_t b[BUSY];
	long started = 0;

	busy_done = 0;
	*right = 0;
	for (int i = 0; i < BUSY; i++)
		if (pthread_create(&b[i], NULL, busy, NULL) != 0)
			return -1;
	for (int i = 0; i < SPAWNERS; i++) {
		s[i].first = i * rounds;
		s[i].rounds = rounds;
		if (pthread_create(&s[i].id, NULL, spawn_all, &s[i]) != 0)
			return -1;
	}
	for (int i = 0; i < SPAWNERS; i++) {
		pthread_join(s[i].id, NULL);
		started += s[i].started;
		*right += s[i].right;
	}
	busy_done = 1;
	for (int i = 0; i < BUSY; i++)
		pthread_join(b[i], NULL);
	return started;
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 300;
	const char *scale = getenv("STRESS_SCALE");
	long warm_right, right, started, warm, maps_before, maps_after;

	if (scale)
		rounds = (int)(rounds * atof(scale));
	if (argc < 2 || rounds < KINDS) {
		fprintf(stderr, "usage: %s HELPER [ROUNDS (at least %d)]\n", argv[0], KINDS);
		return 2;
	}
	helper = argv[1];
	warm = round_of(KINDS, &warm_right);
	maps_before = maps_count();
	started = round_of(rounds, &right);
	maps_after = maps_count();
	if (warm < 0 || started < 0 || maps_before < 0 || maps_after < 0) {
		fprintf(stderr, "%s:%d: a thread or /proc/self/maps failed\n", __FILE__, __LINE__);
		return 2;
	}
	fprintf(stderr,
		"children %ld of %d, %ld right; busy threads: %ld syscalls, %ld wrong; "
		"mappings %ld -> %ld\n",
		started, SPAWNERS * rounds, right, (long)busy_calls, (long)busy_wrong, maps_before,
		maps_after);
	/* A vfork child that never execs runs in its parent's memory: its
	 * syscalls count in the parent's report, and it writes none. */
	fprintf(stderr, "processes: %ld, %ld of them vfork children that do not exec\n",
		processes + 1, (long)vfork_exits);
	printf("children: %d, %s\n", SPAWNERS * rounds,
	       started == SPAWNERS * rounds && right == started && warm_right == warm
		       ? "every status as expected"
		       : "WRONG OR MISSING STATUSES");
	printf("busy threads: %s\n", busy_wrong ? "WRONG ANSWERS" : "every answer right");
	printf("mappings: %s\n", maps_after == maps_before ? "as many at the end" : "CHANGED");
	return started == SPAWNERS * rounds && right == started && warm_right == warm &&
			       !busy_wrong && maps_after == maps_before
		       ? 0
		       : 1;
}
