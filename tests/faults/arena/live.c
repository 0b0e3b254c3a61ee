// SPDX-License-Identifier: MIT
/*
 * Loader memory under threads that are using it: a library's code is
 * replaced or moved while threads run it or are blocked inside one of its
 * syscalls (blocklib.c). Under the loader those threads are in a stub of
 * the library's arena, or about to jump to one; the arena must not vanish
 * under them, and they come back with the kernel's answer, as natively.
 *
 * usage: live LIB MODE CYCLES
 *   MODE, each cycle:
 *     fixed    4 threads call raw_getppid while the main thread maps the
 *              code again with MAP_FIXED over itself (same file, offset)
 *     blocked-fixed   a thread blocked in raw_read on a pipe; the code
 *              mapped again over itself; then a byte is written
 *     blocked-remap   the same, the code unmapped and mapped back
 *     blocked-mprotect  the same, the code made PROT_NONE and back
 *     blocked-mremap  the same, the code moved away with mremap and back
 *     blocked-anon    the same, the code replaced by an anonymous copy of
 *              its bytes (built elsewhere, moved over it with mremap)
 *     blocked-anon-below  blocked-anon, then, once the reader has come
 *              back, the page right below the library (where the stubs
 *              of its code were, under the loader) mapped with
 *              MAP_FIXED_NOREPLACE and unmapped again: it is as free as
 *              natively (the stubs the code lost are not in the way),
 *              while another thread spins in the program's own code
 *              (no syscalls: the loader must tell it is in no stub)
 * Prints one line: the mode, the cycles, whether every answer was right
 * and whether the address space stayed steady (and, for -below, how many
 * times the page below was free).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../common/proc_status.h"

typedef long (*getppid_fn)(void);
typedef long (*read_fn)(long, void *, long);

static getppid_fn raw_getppid;
static read_fn raw_read;
static long ppid;
static volatile int stop, bad;
static uintptr_t lo, hi, below;
static long off;
static int pipe_in[2], pipe_ack[2];
static volatile pid_t reader_tid;

static int find_segment(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t f = (uintptr_t)raw_getppid;

	(void)size, (void)arg;
	for (int i = 0, first = 1; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t a = (info->dlpi_addr + p->p_vaddr) & ~4095UL;
		uintptr_t b = (info->dlpi_addr + p->p_vaddr + p->p_memsz + 4095) & ~4095UL;
		if (p->p_type == PT_LOAD && first) {
			below = a - 4096; /* the page below the library */
			first = 0;
		}
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && f >= a && f < b) {
			lo = a, hi = b, off = (long)(p->p_offset & ~4095UL);
			return 1;
		}
	}
	return 0;
}

static void fail(const char *what)
{
	fprintf(stderr, "%s:%d: %s: %m\n", __FILE__, __LINE__, what);
	exit(1);
}

static void *caller(void *arg)
{
	(void)arg;
	while (!stop)
		if (raw_getppid() != ppid)
			__atomic_store_n(&bad, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* Busy in the program's own code, never making a syscall. */
static void *spinner(void *arg)
{
	static volatile unsigned long spins;

	(void)arg;
	while (!stop)
		spins++;
	return NULL;
}

/* Blocked in the library's read until the main thread writes a byte;
 * then acks with the answer's check. */
static void *reader(void *arg)
{
	char c, ok;

	(void)arg;
	reader_tid = gettid();
	for (;;) {
		long r = raw_read(pipe_in[0], &c, 1);
		if (r != 1 || c == 'q')
			break;
		ok = raw_getppid() == ppid ? 'y' : 'n';
		if (write(pipe_ack[1], &ok, 1) != 1)
			fail("write");
	}
	return NULL;
}

/* Whether the page below the library is free: mapped there without
 * replacing anything (and given back). */
static int below_free(void)
{
	void *p = mmap((void *)below, 4096, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	if (munmap(p, 4096) < 0)
		fail("munmap");
	return p == (void *)below;
}

/* Wait until the reader is blocked in its read of the pipe (the kernel
 * says so in /proc/self/task/TID/syscall: "0 FD ..."), so that it is
 * inside the library's syscall, not running the code about to change. */
static void settle(void)
{
	char path[64], buf[128], want[32];

	snprintf(want, sizeof(want), "0 0x%x ", pipe_in[0]);
	for (int tries = 0; tries < 100000; tries++) {
		int fd;
		ssize_t n = -1;
		if (reader_tid) {
			snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)reader_tid);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (fd >= 0)
				close(fd);
		}
		if (n > 0) {
			buf[n] = '\0';
			if (strncmp(buf, want, strlen(want)) == 0)
				return;
		}
		usleep(100);
	}
	fail("the reader never blocked in its read");
}

static void replace(const char *mode, int fd)
{
	size_t len = hi - lo;
	void *p;

	if (strstr(mode, "fixed")) {
		p = mmap((void *)lo, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, off);
	} else if (strstr(mode, "remap")) {
		if (munmap((void *)lo, len) < 0)
			fail("munmap");
		p = mmap((void *)lo, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, off);
	} else if (strstr(mode, "mprotect")) {
		if (mprotect((void *)lo, len, PROT_NONE) < 0)
			fail("mprotect");
		usleep(1000);
		p = mprotect((void *)lo, len, PROT_READ | PROT_EXEC) < 0 ? MAP_FAILED : (void *)lo;
	} else if (strstr(mode, "mremap")) {
		void *away = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (away == MAP_FAILED)
			fail("mmap");
		p = mremap((void *)lo, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, away);
		if (p == MAP_FAILED)
			fail("mremap");
		p = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo);
	} else if (strstr(mode, "anon")) {
		void *copy =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (copy == MAP_FAILED || pread(fd, copy, len, off) != (ssize_t)len ||
		    mprotect(copy, len, PROT_READ | PROT_EXEC) < 0)
			fail("the anonymous copy");
		p = mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo);
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", __FILE__, mode);
		exit(2);
	}
	if (p != (void *)lo)
		fail(mode);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s LIB MODE CYCLES\n", argv[0]);
		return 2;
	}
	const char *mode = argv[2];
	int cycles = atoi(argv[3]), fd, blocked = strncmp(mode, "blocked-", 8) == 0;
	void *h = dlopen(argv[1], RTLD_NOW);
	pthread_t t[4], spin;
	long before = 0, free_below = 0;

	ppid = getppid();
	if (!h || !(raw_getppid = (getppid_fn)dlsym(h, "raw_getppid")) ||
	    !(raw_read = (read_fn)dlsym(h, "raw_read")) || dl_iterate_phdr(find_segment, NULL) != 1)
		fail("the library");
	if ((fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0 || pipe(pipe_in) < 0 ||
	    pipe(pipe_ack) < 0)
		fail("open");
	for (int i = 0; i < (blocked ? 1 : 4); i++)
		if (pthread_create(&t[i], NULL, blocked ? reader : caller, NULL) != 0)
			fail("pthread_create");
	if (strstr(mode, "below") && pthread_create(&spin, NULL, spinner, NULL) != 0)
		fail("pthread_create");
	for (int i = 0; i < cycles && !bad; i++) {
		char c = 'x', ok;
		if (i == 5)
			before = proc_status_kb("VmSize:");
		if (blocked)
			settle();
		replace(mode, fd);
		if (blocked) {
			if (write(pipe_in[1], &c, 1) != 1 || read(pipe_ack[0], &ok, 1) != 1)
				fail("pipe");
			if (ok != 'y')
				bad = 1;
			if (strstr(mode, "below"))
				free_below += below_free();
		} else {
			usleep(100);
		}
	}
	stop = 1;
	if (blocked && write(pipe_in[1], "q", 1) != 1)
		fail("write");
	for (int i = 0; i < (blocked ? 1 : 4); i++)
		pthread_join(t[i], NULL);
	if (strstr(mode, "below"))
		pthread_join(spin, NULL);
	/* An arena or a stub page kept per cycle would be 4 kB or more each. */
	long grew = proc_status_kb("VmSize:") - before > cycles * 2L;
	printf("%s: %d cycles, %s, address space %s", mode, cycles,
	       bad ? "WRONG ANSWERS" : "answers right", grew ? "GREW" : "steady");
	if (strstr(mode, "below"))
		printf(", the page below free %ld times", free_below);
	printf("\n");
	return bad || grew;
}
