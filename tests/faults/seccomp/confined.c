// SPDX-License-Identifier: MIT
/*
 * A program that confines itself with seccomp and then ends as it would
 * natively (issue 11 item 7): whatever the loader does for itself after
 * that (signal masks, unmapping a thread's stack, its report) must not be
 * judged by the program's filter in its place.
 *
 * usage: confined CASE [SYSCALL...]
 *   strict         SECCOMP_MODE_STRICT (prctl), then write, read and _exit
 *   strict-call    the same through seccomp(SECCOMP_SET_MODE_STRICT)
 *   strict-group   strict mode, then exit_group: killed (SIGKILL) natively
 *   strict-thread  a thread made before enters strict mode itself, writes,
 *                  and ends with _exit; main joins it and exits normally
 *   filter         a filter that kills the process on each SYSCALL named,
 *                  then stdio and the normal exit path (exit_group)
 *   filter-thread  the same filter with TSYNC while a thread made before
 *                  waits; that thread then ends (_exit) under it
 * Each prints what it did; the transcript and the status are compared
 * with the native run.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOAD(field)                                                                                \
	(struct sock_filter)                                                                       \
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define RET(what) (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, (what))

static int names_to_numbers(char **names, int count, long *nr)
{
	static const struct {
		const char *name;
		long nr;
	} known[] = {
		{"rt_sigprocmask", __NR_rt_sigprocmask},
		{"getpid", __NR_getpid},
		{"mprotect", __NR_mprotect},
		{"munmap", __NR_munmap},
		{"madvise", __NR_madvise},
		{"clock_gettime", __NR_clock_gettime},
		{"openat", __NR_openat},
		{"rename", __NR_rename},
		{"arch_prctl", __NR_arch_prctl},
		{"gettid", __NR_gettid},
		{"futex", __NR_futex},
	};

	for (int i = 0; i < count; i++) {
		size_t k = 0;

		while (k < sizeof(known) / sizeof(known[0]) && strcmp(known[k].name, names[i]) != 0)
			k++;
		if (k == sizeof(known) / sizeof(known[0])) {
			fprintf(stderr, "confined: no syscall called %s here\n", names[i]);
			return -1;
		}
		nr[i] = known[k].nr;
	}
	return 0;
}

/* Kill the process on each of nr[0..count), allow the rest. */
static int install_filter(const long *nr, int count, unsigned flags)
{
	struct sock_filter f[64];
	int n = 0;

	f[n++] = LOAD(arch);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
	f[n++] = LOAD(nr);
	for (int i = 0; i < count; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr[i], 0, 1);
		f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
	}
	f[n++] = RET(SECCOMP_RET_ALLOW);

	struct sock_fprog prog = {(unsigned short)n, f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) != 0) {
		perror("seccomp");
		return -1;
	}
	return 0;
}

static void say(const char *s)
{
	/* write(2) alone: strict mode allows nothing that stdio might add. */
	if (write(1, s, strlen(s)) < 0)
		syscall(__NR_exit, 3);
}

/* Strict mode in the calling thread, then a read of what a pipe made
 * before holds, and its echo. */
static void strict_read_write(int through_seccomp, int in)
{
	char buf[32];

	if (through_seccomp ? syscall(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL)
			    : prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT))
		syscall(__NR_exit, 4);
	say("strict mode on\n");
	ssize_t got = read(in, buf, sizeof(buf));

	if (got <= 0)
		syscall(__NR_exit, 5);
	if (write(1, buf, (size_t)got) != got)
		syscall(__NR_exit, 6);
}

static int pipe_holding(const char *what)
{
	int p[2];

	if (pipe(p) || write(p[1], what, strlen(what)) != (ssize_t)strlen(what))
		return -1;
	close(p[1]);
	return p[0];
}

static int go; /* main says the waiting thread may end */

static void *strict_thread(void *arg)
{
	strict_read_write(0, *(int *)arg);
	syscall(__NR_exit, 0); /* the only exit strict mode allows */
	return NULL;
}

static void *waiting_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		syscall(__NR_sched_yield);
	say("thread ends under the filter\n");
	syscall(__NR_exit, 0); /* no glibc clean-up: only the thread's end */
	return NULL;
}

int main(int argc, char **argv)
{
	long nr[32];
	int kills = argc - 2;
	pthread_t th;

	if (argc < 2 || kills > 32 || names_to_numbers(argv + 2, kills, nr))
		return 2;
	const char *what = argv[1];

	if (strcmp(what, "strict") == 0 || strcmp(what, "strict-call") == 0 ||
	    strcmp(what, "strict-group") == 0) {
		int in = pipe_holding("read under strict mode\n");

		if (in < 0)
			return 1;
		strict_read_write(strcmp(what, "strict-call") == 0, in);
		if (strcmp(what, "strict-group") == 0)
			syscall(__NR_exit_group, 0); /* natively: SIGKILL */
		syscall(__NR_exit, 0);
	}
	if (strcmp(what, "strict-thread") == 0) {
		int in = pipe_holding("read by a strict thread\n");

		if (in < 0 || pthread_create(&th, NULL, strict_thread, &in) ||
		    pthread_join(th, NULL))
			return 1;
		printf("main after the strict thread\n");
		return 0;
	}
	if (strcmp(what, "filter") == 0) {
		if (install_filter(nr, kills, 0))
			return 1;
		printf("filter on, %d syscalls kill\n", kills);
		return 0; /* glibc's exit: atexit, stdio, exit_group */
	}
	if (strcmp(what, "filter-thread") == 0) {
		if (pthread_create(&th, NULL, waiting_thread, NULL) ||
		    install_filter(nr, kills, SECCOMP_FILTER_FLAG_TSYNC))
			return 1;
		say("filter on in both threads\n");
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		if (pthread_join(th, NULL))
			return 1;
		printf("main after the thread\n");
		return 0;
	}
	fprintf(stderr, "confined: no case called %s\n", what);
	return 2;
}
