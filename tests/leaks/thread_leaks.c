// SPDX-License-Identifier: MIT
/*
 * thread_leaks: proves that a thread's lifetime leaves nothing behind.
 * Under the loader every thread gets a LibOS stack and TCB mapping of its
 * own (tls/tcb.c), which its exit path must unmap; a leak of either shows
 * here as thousands of mappings or tens of MiB of RSS.
 *
 * It warms up with the same pattern it then measures (so that glibc's
 * cache of thread stacks, its arenas and the loader's own first-use
 * allocations already exist), counts its mappings (lines of
 * /proc/self/maps) and RSS (/proc/self/statm), runs LIFETIME_COUNT thread
 * lifetimes with at most WINDOW alive at once (each thread makes a few
 * syscalls), counts again and prints one verdict line per measure on
 * stdout: the same lines natively and under the loader when nothing leaks.
 * The figures go to stderr (they differ: the loader has mappings of its
 * own). Exits 0 when both are within their margin, 1 otherwise.
 *
 * The margins: natively, on Debian 12 (glibc 2.36), the mapping count
 * comes back exactly and RSS within a page (4 KiB), and so they do under
 * the loader when its exit path frees what it should. A leaked LibOS
 * mapping is two more mappings per thread (its PROT_NONE guard and the
 * rest), 20,000 in all, and a single leaked page per thread is 40 MiB:
 * MAPPING_MARGIN (2) and RSS_MARGIN (2 MiB) leave room for noise (a lazy
 * first use somewhere, a page of the stack cache) and none for a leak.
 *
 * usage: thread_leaks [LIFETIME_COUNT]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LIFETIME_COUNT 10000
#define WARMUP_COUNT   500
#define WINDOW         50
#define MAPPING_MARGIN 2
#define RSS_MARGIN     (2L << 20)

struct usage {
	long mappings;
	long rss; /* bytes */
};

static int devnull;

/* Reads a whole /proc file into buf (no malloc, so that measuring does not
 * change what it measures); returns its size or -1. */
static long read_proc(const char *path, char *buf, size_t size)
{
	long total = 0, got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((got = read(fd, buf + total, size - 1 - total)) > 0)
		total += got;
	close(fd);
	if (got < 0)
		return -1;
	buf[total] = '\0';
	return total;
}

/* Fills *u from /proc/self; returns 0 or -1. */
static int measure(struct usage *u)
{
	static char buf[1 << 20];
	long size = read_proc("/proc/self/maps", buf, sizeof(buf)), pages;

	if (size < 0 || size == (long)sizeof(buf) - 1)
		return -1;
	u->mappings = 0;
	for (long i = 0; i < size; i++)
		u->mappings += buf[i] == '\n';
	if (read_proc("/proc/self/statm", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%*d %ld", &pages) != 1)
		return -1;
	u->rss = pages * sysconf(_SC_PAGESIZE);
	return 0;
}

static void *lifetime(void *arg)
{
	struct timespec ts;

	(void)arg;
	/* A few syscalls of different kinds: plain, with a pointer, I/O, and
	 * one that gives the CPU away so that lifetimes overlap. */
	getppid();
	syscall(SYS_gettid);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	(void)!write(devnull, "x", 1);
	sched_yield();
	return NULL;
}

/* Runs count thread lifetimes, at most WINDOW alive at once: thread i
 * lives in slot i % WINDOW, joined when thread i + WINDOW needs the slot.
 * Returns 0 or -1 (every thread started is joined either way). */
static int run_lifetimes(int count)
{
	pthread_t slots[WINDOW];
	int started = 0, alive = 0, err = 0;

	for (; started < count; started++) {
		int slot = started % WINDOW;

		if (started >= WINDOW) {
			pthread_join(slots[slot], NULL);
			alive--;
		}
		err = pthread_create(&slots[slot], NULL, lifetime, NULL);
		if (err) {
			fprintf(stderr, "%s:%d: pthread_create #%d: error %d\n", __FILE__, __LINE__,
				started, err);
			break;
		}
		alive++;
	}
	/* The survivors, threads started - alive .. started - 1. */
	for (int i = started - alive; i < started; i++)
		pthread_join(slots[i % WINDOW], NULL);
	return err ? -1 : 0;
}

static int verdict(const char *what, long delta, long margin, long unit, const char *unit_name)
{
	int ok = labs(delta) <= margin;

	if (ok)
		printf("%s: back within %ld%s\n", what, margin / unit, unit_name);
	else
		printf("%s: changed by %ld%s, more than %ld%s (%s:%d)\n", what, delta / unit,
		       unit_name, margin / unit, unit_name, __FILE__, __LINE__);
	return ok;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : LIFETIME_COUNT;
	struct usage before, after;
	int ok;

	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0 || count < 1) {
		fprintf(stderr, "%s:%d: cannot open /dev/null or bad count\n", __FILE__, __LINE__);
		return 2;
	}
	/* Measuring once first also brings in the code measuring runs
	 * (sscanf's pages of libc count in RSS too). */
	if (run_lifetimes(WARMUP_COUNT) != 0 || measure(&before) != 0 || measure(&before) != 0) {
		fprintf(stderr, "%s:%d: warm-up failed\n", __FILE__, __LINE__);
		return 2;
	}
	if (run_lifetimes(count) != 0 || measure(&after) != 0) {
		fprintf(stderr, "%s:%d: the measured run failed\n", __FILE__, __LINE__);
		return 2;
	}
	fprintf(stderr, "mappings %ld -> %ld, RSS %ld -> %ld KiB\n", before.mappings,
		after.mappings, before.rss >> 10, after.rss >> 10);
	printf("thread lifetimes: %d, at most %d alive\n", count, WINDOW);
	ok = verdict("mappings", after.mappings - before.mappings, MAPPING_MARGIN, 1, "");
	ok &= verdict("RSS", after.rss - before.rss, RSS_MARGIN, 1L << 20, " MiB");
	return ok ? 0 : 1;
}
