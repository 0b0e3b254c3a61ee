// SPDX-License-Identifier: MIT
/*
 * dlopen_calls: libraries of raw syscalls (tests/faults/net/rawlib.c,
 * built twice, LIB_A and LIB_B) dlclosed and dlopened again by the main
 * thread, CYCLES times in turn, while THREADS threads call into them: the
 * library's own inline `syscall`s (getppid, gettid, a write to a pipe),
 * every answer checked, and every byte written read back from the pipe
 * by a thread of its own, in order and whole. So the threads run the code
 * of one library while the other is unmapped, mapped and patched again,
 * and run each library's fresh code between its cycles.
 *
 * Each library has a reader-writer lock: a thread calls into it only while
 * it holds it for reading, and the main thread dlcloses and dlopens it only
 * while it holds it for writing, so no thread ever calls into a library
 * that is not mapped (that would crash natively too). A thread that finds
 * one library busy calls into the other.
 *
 * A warm-up round first, then the mappings are counted (maps_count.h), the
 * measured round runs, and they are counted again: as many at the end.
 * Verdict lines on stdout (the same natively and under the loader when all
 * is right), figures on stderr, among them "syscalls made: N", the calls
 * into the libraries, a lower bound the runner compares with the report.
 *
 * usage: dlopen_calls LIB_A LIB_B [CYCLES [THREADS]]   (200, 4; CYCLES
 *        times $STRESS_SCALE when set)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "maps_count.h"

#define MAX_THREADS 32
#define BATCH       8   /* calls of each kind per hold of a library's lock */
#define CHUNK_MAX   100 /* bytes per write: below PIPE_BUF, so never split */

struct lib {
	pthread_rwlock_t lock;
	const char *path;
	void *handle; /* NULL while the library is not mapped */
	long (*getppid)(void);
	long (*gettid)(void);
	long (*write)(long fd, const void *buf, long len);
};

struct worker {
	pthread_t id;
	long calls; /* into the libraries */
	long wrong;
	long bytes; /* written to the pipe */
};

static struct lib libs[2];
static struct worker workers[MAX_THREADS];
static int nthreads;
static long ppid;
static int pipe_fd[2];
static atomic_int stop;
static atomic_long main_calls, main_wrong, main_bytes;

static int lib_open(struct lib *l)
{
	l->handle = dlopen(l->path, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle) {
		fprintf(stderr, "%s:%d: dlopen %s: %s\n", __FILE__, __LINE__, l->path, dlerror());
		return -1;
	}
	l->getppid = (long (*)(void))dlsym(l->handle, "raw_getppid");
	l->gettid = (long (*)(void))dlsym(l->handle, "raw_gettid");
	l->write = (long (*)(long, const void *, long))dlsym(l->handle, "raw_write");
	if (!l->getppid || !l->gettid || !l->write) {
		fprintf(stderr, "%s:%d: %s lacks raw_getppid, raw_gettid or raw_write\n", __FILE__,
			__LINE__, l->path);
		return -1;
	}
	return 0;
}

static void lib_close(struct lib *l)
{
	if (l->handle)
		dlclose(l->handle);
	l->handle = NULL;
	l->getppid = l->gettid = NULL;
	l->write = NULL;
}

/* BATCH calls of each of the library's functions; the caller holds its
 * lock. Returns the wrong answers; adds to *calls and *bytes. */
static long call_lib(const struct lib *l, long tid, unsigned seed, long *calls, long *bytes)
{
	char buf[CHUNK_MAX];
	long wrong = 0;

	for (int i = 0; i < BATCH; i++) {
		long len = (long)((seed + (unsigned)i * 7) % (CHUNK_MAX - 1)) + 1;
		memset(buf, (int)len, (size_t)len);
		wrong += l->getppid() != ppid;
		wrong += l->gettid() != tid;
		if (l->write(pipe_fd[1], buf, len) == len)
			*bytes += len;
		else
			wrong++;
		*calls += 3;
	}
	return wrong;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	long tid = syscall(SYS_gettid);
	unsigned k = (unsigned)(w - workers);

	while (!stop) {
		struct lib *l = &libs[k++ % 2];
		if (pthread_rwlock_tryrdlock(&l->lock) != 0)
			continue; /* being cycled: the other one */
		if (l->handle)
			w->wrong += call_lib(l, tid, k, &w->calls, &w->bytes);
		pthread_rwlock_unlock(&l->lock);
		w->wrong += getppid() != ppid; /* libc's own site between */
	}
	return NULL;
}

/* Reads the pipe to its end: every chunk is len bytes of the value len. */
static void *drain(void *arg)
{
	long *total = arg, left = 0;
	unsigned char want = 0, buf[4096];
	ssize_t got;

	while ((got = read(pipe_fd[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (left == 0) {
				want = buf[i];
				left = want;
				if (want == 0 || want >= CHUNK_MAX)
					return (void *)1;
			}
			if (buf[i] != want)
				return (void *)1;
			left--;
		}
		*total += got;
	}
	return got < 0 || left ? (void *)1 : NULL;
}

struct totals {
	long calls, wrong, written, read;
	int drained_right;
};

/* One round: cycles of dlclose and dlopen of each library in turn while
 * the threads call into them. Returns 0, or -1 when a thread, dlopen or the
 * pipe failed. */
static int round_of(int cycles, struct totals *t)
{
	pthread_t reader;
	void *bad_stream;
	long tid = syscall(SYS_gettid);

	memset(workers, 0, sizeof(workers));
	memset(t, 0, sizeof(*t));
	main_calls = main_wrong = main_bytes = 0;
	stop = 0;
	if (pipe2(pipe_fd, O_CLOEXEC) != 0 || pthread_create(&reader, NULL, drain, &t->read) != 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (lib_open(&libs[i]) != 0)
			return -1;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&workers[i].id, NULL, work, &workers[i]) != 0)
			return -1;
	for (int c = 0; c < cycles; c++) {
		struct lib *l = &libs[c % 2];
		long calls = 0, bytes = 0;
		pthread_rwlock_wrlock(&l->lock);
		lib_close(l);
		if (lib_open(l) != 0) {
			pthread_rwlock_unlock(&l->lock);
			return -1;
		}
		pthread_rwlock_unlock(&l->lock);
		/* The main thread's own calls, the lock taken as the others do. */
		pthread_rwlock_rdlock(&l->lock);
		main_wrong += call_lib(l, tid, (unsigned)c, &calls, &bytes);
		pthread_rwlock_unlock(&l->lock);
		main_calls += calls;
		main_bytes += bytes;
	}
	stop = 1;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(workers[i].id, NULL);
		t->calls += workers[i].calls;
		t->wrong += workers[i].wrong;
		t->written += workers[i].bytes;
	}
	for (int i = 0; i < 2; i++)
		lib_close(&libs[i]);
	close(pipe_fd[1]);
	pthread_join(reader, &bad_stream);
	close(pipe_fd[0]);
	t->calls += main_calls;
	t->wrong += main_wrong;
	t->written += main_bytes;
	t->drained_right = !bad_stream && t->read == t->written;
	return 0;
}

int main(int argc, char **argv)
{
	int cycles = argc > 3 ? atoi(argv[3]) : 200;
	const char *scale = getenv("STRESS_SCALE");
	pthread_rwlockattr_t attr;
	struct totals warm, t;
	long maps_before, maps_after;

	nthreads = argc > 4 ? atoi(argv[4]) : 4;
	if (scale)
		cycles = (int)(cycles * atof(scale));
	if (argc < 3 || cycles < 1 || nthreads < 1 || nthreads > MAX_THREADS) {
		fprintf(stderr, "usage: %s LIB_A LIB_B [CYCLES [THREADS (1-%d)]]\n", argv[0],
			MAX_THREADS);
		return 2;
	}
	ppid = getppid();
	/* Writers first: a library's readers cannot keep it from cycling. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	for (int i = 0; i < 2; i++) {
		pthread_rwlock_init(&libs[i].lock, &attr);
		libs[i].path = argv[1 + i];
	}
	if (round_of(cycles / 10 + 2, &warm) != 0 || (maps_before = maps_count()) < 0 ||
	    round_of(cycles, &t) != 0 || (maps_after = maps_count()) < 0) {
		fprintf(stderr, "%s:%d: a thread, dlopen, the pipe or /proc/self/maps failed\n",
			__FILE__, __LINE__);
		return 2;
	}
	fprintf(stderr,
		"%d cycles, %d threads: %ld calls into the libraries (%ld by the main thread), "
		"%ld wrong; %ld bytes written, %ld read; mappings %ld -> %ld\n",
		cycles, nthreads, t.calls, (long)main_calls, t.wrong, t.written, t.read,
		maps_before, maps_after);
	fprintf(stderr, "syscalls made: %ld\n", t.calls + warm.calls);
	printf("calls: %s\n", t.wrong || warm.wrong ? "WRONG ANSWERS" : "every answer right");
	printf("pipe: %s\n", t.drained_right && warm.drained_right ? "every byte read back in order"
								   : "BYTES LOST OR WRONG");
	printf("threads: %s\n", t.calls > main_calls ? "called into the libraries"
						     : "NEVER CALLED INTO THE LIBRARIES");
	printf("mappings: %s\n", maps_after == maps_before ? "as many at the end" : "CHANGED");
	return !t.wrong && !warm.wrong && t.drained_right && warm.drained_right &&
			       t.calls > main_calls && maps_after == maps_before
		       ? 0
		       : 1;
}
