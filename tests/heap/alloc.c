// SPDX-License-Identifier: MIT
/*
 * Commits memory until the system says no, and says how much it got:
 *
 *   heap-alloc MODE LIMIT_MIB
 *
 * MODE malloc (1 MiB blocks), small (64 KiB blocks: glibc's brk heap),
 * sbrk, mmap (private anonymous), mremap (one mapping grown), mprotect
 * (a PROT_NONE reservation made writable piece by piece), threads (4 threads, 64 KiB blocks:
 * glibc's per-thread arenas), fork (the parent commits half, then a
 * child and the parent each go on until refused). Every block is
 * touched. It stops at 4 * LIMIT_MIB MiB in any case, and prints one line
 * per measure, "MODE: refused after N MiB" or "MODE: never refused (N
 * MiB)"; the runner (run-heap.py) compares N with the budget. MODE
 * where says where the brk area starts, relative to the end of the
 * program's bss, in the kernel's terms (binfmt_elf, arch_randomize_brk),
 * for the runner to compare with a native run. Extra
 * checks print "MODE: FAIL ..." and make the status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1UL << 20)

static unsigned long cap_mib;
static int status;

static void fail(const char *mode, const char *what)
{
	printf("%s: FAIL %s\n", mode, what);
	status = 1;
}

static void result(const char *mode, unsigned long bytes, int refused)
{
	if (refused)
		printf("%s: refused after %lu MiB\n", mode, bytes / MIB);
	else
		printf("%s: never refused (%lu MiB)\n", mode, bytes / MIB);
	fflush(stdout);
}

/* malloc blocks of size until NULL or cap; returns the bytes it got.
 * Keeps them (a list through their first word) in *list. */
static unsigned long take(size_t size, unsigned long cap, void **list, int *refused)
{
	unsigned long got = 0;

	*refused = 0;
	while (got < cap) {
		void **p = malloc(size);
		if (!p) {
			*refused = errno == ENOMEM;
			break;
		}
		memset(p, 1, size);
		*p = *list;
		*list = p;
		got += size;
	}
	return got;
}

static void give_back(void *list)
{
	while (list) {
		void *next = *(void **)list;
		free(list);
		list = next;
	}
}

static void by_malloc(const char *mode, size_t size)
{
	void *list = NULL;
	int refused;
	unsigned long got = take(size, cap_mib * MIB, &list, &refused);

	result(mode, got, refused);
	give_back(list);
}

static void by_sbrk(void)
{
	char *start = sbrk(0), *end;
	unsigned long got = 0;
	int refused = 0;

	while (got < cap_mib * MIB) {
		char *p = sbrk(MIB);
		if (p == (void *)-1) {
			refused = errno == ENOMEM;
			break;
		}
		memset(p, 1, MIB);
		got += MIB;
	}
	end = sbrk(0);
	result("sbrk", got, refused);
	if (end != start + got)
		fail("sbrk", "the break moved although sbrk failed");
	/* Given back, the memory comes again, zeroed, as the kernel's. */
	if (brk(start) != 0 || sbrk(0) != start)
		fail("sbrk", "cannot shrink the break");
	char *again = sbrk(MIB);
	if (again == (void *)-1)
		fail("sbrk", "the memory given back cannot be taken again");
	else if (again[0] != 0 || again[MIB - 1] != 0)
		fail("sbrk", "memory taken again is not zero");
}

static void by_mmap(void)
{
	/* A reservation far larger than the budget costs nothing. */
	void *reserved = mmap(NULL, 4 * cap_mib * MIB, PROT_NONE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (reserved == MAP_FAILED)
		fail("mmap", "a PROT_NONE reservation was refused");
	for (int round = 0; round < 2; round++) {
		static void *blocks[1 << 16];
		unsigned long n = 0;
		int refused = 0;
		while (n < cap_mib && n < sizeof(blocks) / sizeof(blocks[0])) {
			void *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED) {
				refused = errno == ENOMEM;
				break;
			}
			memset(p, 1, MIB);
			blocks[n++] = p;
		}
		result(round ? "mmap-again" : "mmap", n * MIB, refused);
		for (unsigned long i = 0; i < n; i++)
			munmap(blocks[i], MIB);
	}
}

/* One mapping grown by mremap, 1 MiB at a time (it may move). */
static void by_mremap(void)
{
	size_t size = MIB;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int refused = 0;

	if (p == MAP_FAILED) {
		fail("mremap", "the first mmap was refused");
		return;
	}
	memset(p, 1, size);
	while (size < cap_mib * MIB) {
		char *q = mremap(p, size, size + MIB, MREMAP_MAYMOVE);
		if (q == MAP_FAILED) {
			refused = errno == ENOMEM;
			break;
		}
		p = q;
		memset(p + size, 1, MIB);
		size += MIB;
	}
	result("mremap", size, refused);
	/* Shrinking gives back: the same growth again. */
	p = mremap(p, size, MIB, 0);
	if (p == MAP_FAILED || mremap(p, MIB, size, MREMAP_MAYMOVE) == MAP_FAILED)
		fail("mremap", "cannot grow again after shrinking");
}

/* A reservation made writable 1 MiB at a time, as glibc grows an arena. */
static void by_mprotect(void)
{
	char *p = mmap(NULL, cap_mib * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	unsigned long got = 0;
	int refused = 0;

	if (p == MAP_FAILED) {
		fail("mprotect", "a PROT_NONE reservation was refused");
		return;
	}
	while (got < cap_mib * MIB) {
		if (mprotect(p + got, MIB, PROT_READ | PROT_WRITE) != 0) {
			refused = errno == ENOMEM;
			break;
		}
		memset(p + got, 1, MIB);
		got += MIB;
	}
	result("mprotect", got, refused);
	/* Made PROT_NONE again, it no longer counts (glibc's stack guards). */
	if (mprotect(p, got, PROT_NONE) != 0 || mprotect(p, MIB, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect", "memory made PROT_NONE still counts");
}

struct worker {
	pthread_t id;
	unsigned long got;
	int refused;
	void *list;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	w->got = take(64 << 10, cap_mib * MIB / 4, &w->list, &w->refused);
	return NULL;
}

static void by_threads(void)
{
	struct worker w[4] = {0};
	pthread_attr_t attr;
	unsigned long got = 0;
	int refused = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10);
	for (int i = 0; i < 4; i++)
		if (pthread_create(&w[i].id, &attr, work, &w[i]) != 0)
			fail("threads", "pthread_create");
	for (int i = 0; i < 4; i++) {
		pthread_join(w[i].id, NULL);
		got += w[i].got;
		refused |= w[i].refused;
	}
	result("threads", got, refused);
	for (int i = 0; i < 4; i++)
		give_back(w[i].list);
}

static void by_fork(void)
{
	void *list = NULL;
	int refused, st;
	unsigned long half = take(MIB, cap_mib * MIB / 8, &list, &refused);
	pid_t pid;

	result("fork-parent-first", half, refused);
	pid = fork();
	if (pid == 0) {
		void *more = NULL;
		unsigned long got = take(MIB, cap_mib * MIB, &more, &refused);
		result("fork-child", got, refused);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		fail("fork", "the child did not end well");
	void *more = NULL;
	unsigned long got = take(MIB, cap_mib * MIB, &more, &refused);
	result("fork-parent-then", got, refused);
}

extern char end; /* the linker's: the end of the bss */

static void where(void)
{
	uintptr_t bss = ((uintptr_t)&end + 4095) & ~4095UL, brk0 = (uintptr_t)sbrk(0);
	uintptr_t et_dyn_base = 0x555555554000UL; /* a static PIE's, on x86-64 */
	const char *place = "elsewhere";

	if (brk0 == bss)
		place = "right after the bss (not randomized)";
	else if (brk0 >= bss + 4096 && brk0 < bss + 4096 + (1UL << 30) && !(brk0 & 4095))
		place = "one page to 1 GiB after the bss, page-aligned (randomized)";
	else if (brk0 >= et_dyn_base && brk0 < et_dyn_base + (1UL << 30) + MIB)
		place = "at ELF_ET_DYN_BASE, up to 1 GiB above (a static PIE's)";
	char *p = sbrk(3 * MIB);

	printf("where: the brk area starts %s\n", place);
	if (p == (void *)-1 || p != (char *)brk0)
		fail("where", "cannot grow the brk area from its start");
	else
		memset(p, 1, 3 * MIB);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr,
			"usage: heap-alloc "
			"malloc|small|sbrk|mmap|mremap|mprotect|threads|fork|where LIMIT_MIB\n");
		return 2;
	}
	cap_mib = 4 * strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "malloc"))
		by_malloc("malloc", MIB);
	else if (!strcmp(argv[1], "small"))
		by_malloc("small", 64 << 10);
	else if (!strcmp(argv[1], "sbrk"))
		by_sbrk();
	else if (!strcmp(argv[1], "mmap"))
		by_mmap();
	else if (!strcmp(argv[1], "threads"))
		by_threads();
	else if (!strcmp(argv[1], "fork"))
		by_fork();
	else if (!strcmp(argv[1], "mremap"))
		by_mremap();
	else if (!strcmp(argv[1], "mprotect"))
		by_mprotect();
	else if (!strcmp(argv[1], "where"))
		where();
	else
		return 2;
	return status;
}
