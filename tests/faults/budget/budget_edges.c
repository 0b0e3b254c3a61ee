// SPDX-License-Identifier: MIT
/*
 * budget_edges: what a memory syscall may do with the budget exhausted,
 * the same natively under RLIMIT_DATA and under the loader with
 * --heap-size: the kernel charges only what a call adds net of what it
 * replaces, and all of what it adds.
 *
 * Each case first maps 1 MiB blocks (private, writable, touched) until
 * refused, so that less than 1 MiB is left, then:
 *
 *   fixed           mmap MAP_FIXED of 1 MiB over one of its own blocks:
 *                   replaces as much as it adds, so it succeeds
 *   mremap-fixed    mremap of a block to 2 MiB at MREMAP_FIXED over a
 *                   2 MiB block of its own: unlike MAP_FIXED, the growth
 *                   must fit before the target goes: ENOMEM
 *   dontunmap       mremap MREMAP_DONTUNMAP of a block: the old range
 *                   stays, the new 1 MiB is charged whole: ENOMEM
 *   munmap-part     munmap of 1 MiB in the middle of a 4 MiB block, then
 *                   mmap of 1 MiB: fits again
 *
 * One verdict line per case on stdout ("CASE: ok" or the errno's name);
 * status 0.
 *
 * usage: budget_edges CASE...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define MIB        (1L << 20)
#define MAX_BLOCKS 4096

static void *blocks[MAX_BLOCKS];
static int count;

static void *map(long size)
{
	void *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, (size_t)size);
	return p;
}

/* Map 1 MiB blocks until refused; the number of blocks, -1 if never refused. */
static int exhaust(void)
{
	void *p;

	while (count < MAX_BLOCKS && (p = map(MIB)))
		blocks[count++] = p;
	return count < MAX_BLOCKS && errno == ENOMEM ? count : -1;
}

static void release(void)
{
	while (count > 0)
		munmap(blocks[--count], MIB);
}

static int verdict(const char *name, int ok)
{
	if (ok)
		printf("%s: ok\n", name);
	else
		printf("%s: %s\n", name, strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return 0;
}

static int fixed(void)
{
	void *p;

	if (exhaust() < 1)
		return -1;
	p = mmap(blocks[count - 1], MIB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != MAP_FAILED)
		memset(p, 1, MIB);
	verdict("fixed", p != MAP_FAILED);
	release();
	return 0;
}

static int mremap_fixed(void)
{
	void *target = map(2 * MIB), *p;

	if (!target || exhaust() < 1)
		return -1;
	p = mremap(blocks[count - 1], MIB, 2 * MIB, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	if (p != MAP_FAILED) {
		memset(p, 1, 2 * MIB);
		blocks[count - 1] = map(MIB); /* keeps release simple */
		munmap(p, 2 * MIB);
	} else {
		munmap(target, 2 * MIB);
	}
	verdict("mremap-fixed", p != MAP_FAILED);
	release();
	return 0;
}

static int dontunmap(void)
{
	void *p;

	if (exhaust() < 1)
		return -1;
	p = mremap(blocks[count - 1], MIB, MIB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
	if (p != MAP_FAILED) {
		memset(p, 1, MIB);
		memset(blocks[count - 1], 1, MIB); /* the old range: fresh pages */
		munmap(p, MIB);
	}
	verdict("dontunmap", p != MAP_FAILED);
	release();
	return 0;
}

static int munmap_part(void)
{
	char *big = map(4 * MIB);
	void *p;

	if (!big || exhaust() < 0)
		return -1;
	munmap(big + MIB, MIB);
	p = map(MIB);
	verdict("munmap-part", p != NULL);
	if (p)
		munmap(p, MIB);
	munmap(big, MIB);
	munmap(big + 2 * MIB, 2 * MIB);
	release();
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(void);
	} cases[] = {{"fixed", fixed},
		     {"mremap-fixed", mremap_fixed},
		     {"dontunmap", dontunmap},
		     {"munmap-part", munmap_part}};

	for (int i = 1; i < argc; i++) {
		size_t c = 0;
		while (c < sizeof(cases) / sizeof(cases[0]) && strcmp(cases[c].name, argv[i]))
			c++;
		if (c == sizeof(cases) / sizeof(cases[0])) {
			fprintf(stderr, "budget_edges: no case %s\n", argv[i]);
			return 2;
		}
		if (cases[c].run() < 0) {
			fprintf(stderr, "budget_edges: %s: could not set up\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
