// SPDX-License-Identifier: MIT
/*
 * The loader's allocator: malloc, calloc, realloc and free.
 *
 * Blocks up to 1 MiB come from power-of-two size classes carved out of
 * regions and recycled through one free list per class; larger blocks
 * are their own anonymous mapping, returned to the kernel on free. Keeping
 * the loader's memory in one place keeps it out of the spots the
 * interception core wants right below each object (patch/patch.c).
 *
 * A region is address space reserved PROT_NONE (the first 2 MiB, each
 * next one twice the last, up to 64 MiB, placed right below the last) and
 * made read-write in steps of 256 KiB as the blocks reach it: memory the
 * loader never uses must not be read-write, or the program's
 * mlockall(MCL_CURRENT) faults it all in (ru_maxrss), and it counts
 * against strict overcommit; small reservations keep VmSize and
 * RLIMIT_AS close to the native run's. A step the kernel refuses
 * (ENOMEM) fails the allocation, as the mmap of an arena would have. Every
 * block has a 16-byte header in front of it that says which it is, so
 * that free and realloc need no search. The lock (lock.h) makes it safe
 * for the threads the interception core will bring; the loader never
 * calls it from a signal handler.
 *
 * Memory comes straight from mmap, never from brk: the brk area belongs
 * to the program. Each mapping is the loader's own (own_ranges.h): the
 * program can neither map over nor unmap it.
 */
#include <lock.h>
#include <own_ranges.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#define MIN_SHIFT         4
#define MAX_SHIFT         20
#define CLASS_COUNT       (MAX_SHIFT - MIN_SHIFT + 1)
#define FIRST_REGION_SIZE (2UL << 20)
#define MAX_REGION_SIZE   (64UL << 20)
#define COMMIT_STEP       (256UL << 10)
#define ARENA_SIZE        (1UL << MAX_SHIFT)
#define HEADER_SIZE       16
#define LARGE             ((size_t)-1)

struct header {
	size_t class_or_large; /* size class index, or LARGE */
	size_t map_size;       /* LARGE: the whole mapping's size */
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];
static unsigned char *arena_next, *arena_end;
static unsigned char *arena_committed; /* [arena, arena_committed) is read-write */
static unsigned char *region_lo, *region_next, *region_end;
static struct libc_lock lock;

static void *map_anon(size_t size)
{
	long r = sys_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_is_err(r))
		return NULL;
	libc_own_add((uintptr_t)r, (uintptr_t)r + size, LIBC_OWN_LOADER);
	return (void *)r;
}

/* A new region, twice the last (the first: FIRST_REGION_SIZE), right
 * below it if that place is free (the kernel takes the hint only then). */
static int new_region(void)
{
	size_t size = region_lo ? (size_t)(region_end - region_lo) * 2 : FIRST_REGION_SIZE;
	uintptr_t hint;
	long r;

	size = size > MAX_REGION_SIZE ? MAX_REGION_SIZE : size;
	hint = (uintptr_t)region_lo > size ? (uintptr_t)region_lo - size : 0;
	r = sys_mmap((void *)hint, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		     0);
	if (sys_is_err(r))
		return (int)r;
	region_lo = region_next = (unsigned char *)r;
	region_end = region_next + size;
	libc_own_add((uintptr_t)r, (uintptr_t)region_end, LIBC_OWN_LOADER);
	return 0;
}

/* An arena from a region (a new one when the last is used up), else a
 * read-write one from the kernel, as before there were regions. */
static unsigned char *new_arena(void)
{
	unsigned char *a;

	if (region_next == region_end) /* region sizes are whole arenas */
		new_region();
	if (region_next != region_end) {
		a = region_next;
		region_next += ARENA_SIZE;
		arena_committed = a;
		return a;
	}
	a = map_anon(ARENA_SIZE);
	if (a)
		arena_committed = a + ARENA_SIZE;
	return a;
}

/* Make the arena read-write up to end (in steps). 0 or -errno. */
static int commit(unsigned char *end)
{
	uintptr_t to = ((uintptr_t)end + COMMIT_STEP - 1) & ~(COMMIT_STEP - 1);
	long r;

	if (end <= arena_committed)
		return 0;
	to = to > (uintptr_t)arena_end ? (uintptr_t)arena_end : to;
	r = sys_mprotect(arena_committed, to - (uintptr_t)arena_committed, PROT_READ | PROT_WRITE);
	if (r < 0)
		return (int)r;
	arena_committed = (unsigned char *)to;
	return 0;
}

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (c + MIN_SHIFT)) < size + HEADER_SIZE)
		c++;
	return c;
}

static void *alloc_small(unsigned c)
{
	size_t block_size = (size_t)1 << (c + MIN_SHIFT);
	struct header *h;

	if (free_lists[c]) {
		h = (struct header *)(void *)free_lists[c];
		free_lists[c] = free_lists[c]->next;
	} else {
		if ((size_t)(arena_end - arena_next) < block_size) {
			/* The arena's tail is abandoned (less than the block). */
			unsigned char *a = new_arena();
			if (!a)
				return NULL;
			arena_next = a;
			arena_end = a + ARENA_SIZE;
		}
		if (commit(arena_next + block_size) < 0)
			return NULL;
		h = (struct header *)(void *)arena_next;
		arena_next += block_size;
	}
	h->class_or_large = c;
	return (unsigned char *)h + HEADER_SIZE;
}

void *malloc(size_t size)
{
	void *p;

	if (size > ((size_t)1 << MAX_SHIFT) - HEADER_SIZE) {
		if (size > ((size_t)1 << 46))
			return NULL;
		size_t map_size = (size + HEADER_SIZE + 4095) & ~(size_t)4095;
		struct header *h = map_anon(map_size);
		if (!h)
			return NULL;
		h->class_or_large = LARGE;
		h->map_size = map_size;
		return (unsigned char *)h + HEADER_SIZE;
	}
	libc_lock(&lock);
	p = alloc_small(class_of(size));
	libc_unlock(&lock);
	return p;
}

static struct header *header_of(void *p)
{
	return (struct header *)(void *)((unsigned char *)p - HEADER_SIZE);
}

static size_t usable_size(struct header *h)
{
	if (h->class_or_large == LARGE)
		return h->map_size - HEADER_SIZE;
	return ((size_t)1 << (h->class_or_large + MIN_SHIFT)) - HEADER_SIZE;
}

void free(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	if (h->class_or_large == LARGE) {
		/* Out of the list first: once unmapped, the place may be
		 * another thread's next block. */
		libc_own_remove((uintptr_t)h, (uintptr_t)h + h->map_size);
		sys_munmap(h, h->map_size);
		return;
	}
	size_t c = h->class_or_large; /* the link below overwrites the header */
	struct free_block *b = (struct free_block *)(void *)h;
	libc_lock(&lock);
	b->next = free_lists[c];
	free_lists[c] = b;
	libc_unlock(&lock);
}

void *calloc(size_t count, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(count, size, &total))
		return NULL;
	p = malloc(total);
	if (p)
		memset(p, 0, total);
	return p;
}

void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(size);
	if (size == 0) {
		free(p);
		return NULL;
	}
	old = usable_size(header_of(p));
	if (size <= old && (old <= 64 || size > old / 2))
		return p;
	q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	free(p);
	return q;
}

void libc_malloc_fork_lock(void)
{
	libc_lock(&lock);
}

void libc_malloc_fork_unlock(void)
{
	libc_unlock(&lock);
}
