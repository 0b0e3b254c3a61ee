// SPDX-License-Identifier: MIT
/*
 * Code that goes and comes back: a library of raw syscalls (rawlib.c)
 * dlopened, called and dlclosed again and again (mostly at the same
 * address), from one thread or from several at once; its code mapped again
 * with MAP_FIXED over itself, unmapped and mapped back, replaced by an
 * anonymous copy, moved with mremap. Each call's answer is checked against
 * getppid(), and the process's address space must not grow with the
 * cycles. Under `libos-loader --strict` every one of those syscalls
 * must reach the LibOS (run-remap.py reads the report).
 *
 * usage: remap LIB MODE CYCLES [THREADS]
 *   MODE: dlopen | threads | fixed | remap | anon | mremap
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../common/proc_status.h"

typedef long (*raw_fn)(void);

static const char *lib;
static int cycles;
static long ppid;
static volatile int bad;

/* The process's address space in kB (VmSize). Not the count of its
 * mappings: /proc/self/maps takes one read per page of it, and the
 * loader's own mappings would change the number of syscalls. */
static long mapped_kb(void)
{
	return proc_status_kb("VmSize:");
}

static void call(raw_fn f, const char *what, int i)
{
	long r = f();

	if (r != ppid) {
		fprintf(stderr, "%s:%d: %s cycle %d: raw getppid gave %ld, not %ld\n", __FILE__,
			__LINE__, what, i, r, ppid);
		bad = 1;
	}
}

static volatile int done;

/* A thread making syscalls all the while (through libc: its own sites,
 * rewritten once) until the cycles end. */
static void *busy(void *arg)
{
	(void)arg;
	while (!done && !bad) {
		if (getppid() != ppid) {
			fprintf(stderr, "%s:%d: getppid in a thread went wrong\n", __FILE__,
				__LINE__);
			bad = 1;
		}
	}
	return NULL;
}

static void *dlopen_cycles(void *arg)
{
	(void)arg;
	for (int i = 0; i < cycles && !bad; i++) {
		void *h = dlopen(lib, RTLD_NOW);
		if (!h) {
			fprintf(stderr, "%s:%d: dlopen: %s\n", __FILE__, __LINE__, dlerror());
			bad = 1;
			break;
		}
		call((raw_fn)dlsym(h, "raw_getppid"), "dlopen", i);
		dlclose(h);
	}
	return NULL;
}

/* The library's executable mapping: where, how long, at what offset. */
struct code {
	uintptr_t lo, hi;
	long off;
	raw_fn f;
};

/* From the program headers, not /proc/self/maps: no syscall, so the same
 * count natively and under the loader. */
static int find_segment(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct code *c = arg;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE) - 1, f = (uintptr_t)c->f;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t lo = (info->dlpi_addr + p->p_vaddr) & ~page;
		uintptr_t hi = (info->dlpi_addr + p->p_vaddr + p->p_memsz + page) & ~page;
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && f >= lo && f < hi) {
			c->lo = lo;
			c->hi = hi;
			c->off = (long)(p->p_offset & ~page);
			return 1;
		}
	}
	return 0;
}

static int find_code(raw_fn f, struct code *c)
{
	c->f = f;
	return f && dl_iterate_phdr(find_segment, c) == 1 ? 0 : -1;
}

static void fail(const char *what)
{
	fprintf(stderr, "%s:%d: %s: %m\n", __FILE__, __LINE__, what);
	exit(1);
}

/* One cycle of mode on the library's code c (file fd). */
static void cycle(const char *mode, struct code *c, int fd, int i)
{
	size_t len = c->hi - c->lo;
	void *p;

	if (strcmp(mode, "fixed") == 0) {
		/* The same bytes, fresh from the file, over the old ones. */
		p = mmap((void *)c->lo, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
			 c->off);
	} else if (strcmp(mode, "remap") == 0) {
		if (munmap((void *)c->lo, len) < 0)
			fail("munmap");
		p = mmap((void *)c->lo, len, PROT_READ | PROT_EXEC,
			 MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, c->off);
	} else if (strcmp(mode, "anon") == 0) {
		/* Generated code: the file's bytes copied into anonymous
		 * memory at the same place. */
		p = mmap((void *)c->lo, len, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED && pread(fd, p, len, c->off) != (ssize_t)len)
			fail("pread");
		if (p != MAP_FAILED && mprotect(p, len, PROT_READ | PROT_EXEC) < 0)
			fail("mprotect");
		/* Next time the file's again: fresh code each cycle. */
		if (i % 2 == 0) {
			call(c->f, mode, i);
			p = mmap((void *)c->lo, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
				 fd, c->off);
		}
	} else if (strcmp(mode, "mremap") == 0) {
		/* Move the code away and back: the syscalls run at both places. */
		void *away = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (away == MAP_FAILED)
			fail("mmap");
		p = mremap((void *)c->lo, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, away);
		if (p == MAP_FAILED)
			fail("mremap");
		call((raw_fn)((uintptr_t)c->f - c->lo + (uintptr_t)p), mode, i);
		p = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)c->lo);
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", __FILE__, mode);
		exit(2);
	}
	if (p != (void *)c->lo)
		fail(mode);
	call(c->f, mode, i);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s LIB MODE CYCLES [THREADS]\n", argv[0]);
		return 2;
	}
	lib = argv[1];
	cycles = atoi(argv[3]);
	ppid = getppid();
	mallopt(M_ARENA_MAX, 1); /* no arena per thread: a steady count */
	const char *mode = argv[2];
	long before = 0;
	int settle = cycles < 10 ? cycles : 10;

	if (strcmp(mode, "dlopen") == 0 || strcmp(mode, "threads") == 0) {
		int n = strcmp(mode, "threads") == 0 ? (argc > 4 ? atoi(argv[4]) : 4) : 0;
		pthread_t t[64];
		/* The library is mapped and unmapped by the main thread alone
		 * (a thread's dlopen would keep it mapped for the others), while
		 * the threads make syscalls. A round of settle cycles first, so
		 * that what the first ones allocate for good (ld.so's, libc's
		 * and its cached thread stacks, the loader's) is not counted. */
		int total = cycles;
		for (int round = 0; round < 2; round++) {
			cycles = round ? total : settle;
			done = 0;
			if (round)
				before = mapped_kb();
			for (int i = 0; i < n && i < 64; i++)
				if (pthread_create(&t[i], NULL, busy, NULL) != 0)
					fail("pthread_create");
			dlopen_cycles(NULL);
			done = 1;
			for (int i = 0; i < n && i < 64; i++)
				pthread_join(t[i], NULL);
		}
	} else {
		void *h = dlopen(lib, RTLD_NOW);
		struct code c;
		int fd = open(lib, O_RDONLY | O_CLOEXEC);
		if (!h || fd < 0 || find_code((raw_fn)dlsym(h, "raw_getppid"), &c) < 0)
			fail("the library's code");
		for (int i = 0; i < cycles && !bad; i++) {
			if (i == settle)
				before = mapped_kb();
			cycle(mode, &c, fd, i);
		}
		if (cycles <= settle)
			before = mapped_kb();
	}
	/* A stub page or an arena kept per cycle would be 4 kB or more each. */
	long after = mapped_kb(), grew = after - before > cycles * 2L;
	printf("%s: %d cycles, %s, address space %s\n", mode, cycles,
	       bad ? "WRONG ANSWERS" : "answers right", grew ? "GREW" : "steady");
	if (grew)
		fprintf(stderr, "%s: %ld kB mapped before, %ld kB after\n", __FILE__, before,
			after);
	return bad || grew;
}
