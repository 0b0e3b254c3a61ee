// SPDX-License-Identifier: MIT
/*
 * The program's memory syscalls against the budget, following the rules
 * of the kernel's overcommit accounting (mm/mmap.c accountable_mapping,
 * mm/mprotect.c mprotect_fixup, mm/mremap.c):
 *
 *   mmap      private and writable, without MAP_NORESERVE: committed;
 *             other private mappings are only reserved; a shared one
 *             is not the budget's. MAP_FIXED first gives back what it
 *             replaces: like the kernel (6.12 on), only the rest must
 *             fit.
 *   mprotect  made writable: the private pages it covers become
 *             committed (MAP_NORESERVE ones too: that is what "made
 *             accessible" means for glibc's arenas, which reserve 64 MiB
 *             MAP_NORESERVE and mprotect them as they grow; the kernel
 *             never charges those, so they would escape the budget);
 *             made read-only or PROT_NONE: given back (the kernel keeps
 *             the charge of touched pages; glibc's thread-stack guard is
 *             the case that matters, and it never touched them).
 *   munmap    given back.
 *   mremap    growth is committed if the mapping was (the whole new
 *             range under MREMAP_DONTUNMAP, which keeps the old one),
 *             and must fit before an MREMAP_FIXED target goes;
 *             the moved pages keep their state; shrinking gives back.
 *
 * Past the budget the syscall does not run and fails with ENOMEM, as the
 * kernel's own commit limit fails it.
 *
 * The heap lock is held from the check to the books' update, across the
 * syscall: the books must see the address space change in the kernel's
 * order. Updated after the syscall without it, a munmap's range could be
 * reused by another thread's mmap, which then counts its pages as
 * already counted, before the munmap gives them back: both end up
 * uncounted and the budget is passed (likewise an mprotect or MAP_FIXED
 * against another, or a MAP_FIXED against brk's growth). The kernel
 * serialises these syscalls too (mmap_lock taken for writing), so the
 * lock costs no parallelism the kernel would give; none of them waits on
 * another thread of the program (MAP_POPULATE's reads are the longest).
 */
#include <asm/unistd.h>
#include <errno.h>
#include <sys.h>

#include "books.h"
#include "heap.h"

#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#define MAP_TYPE_MASK 0x0f

static int is_private(uint64_t flags)
{
	return (flags & MAP_TYPE_MASK) == MAP_PRIVATE;
}

/* What mmap(prot, flags) makes of its pages. */
static enum heap_state mmap_state(uint64_t prot, uint64_t flags)
{
	if (!is_private(flags))
		return HEAP_UNKNOWN;
	if ((prot & PROT_WRITE) && !(flags & MAP_NORESERVE))
		return HEAP_COMMITTED;
	return HEAP_RESERVED;
}

/* Bytes of committed memory the call would add, with the books as they
 * are now (the heap lock held): what the kernel charges, net of what it
 * gives back first. */
static uint64_t need_of(const struct heap_call *c)
{
	uint64_t lo = HEAP_PAGE_DOWN(c->a[0]), hi = HEAP_PAGE_UP(c->a[0] + c->a[1]);
	uint64_t old_size = HEAP_PAGE_UP(c->a[1]), new_size = HEAP_PAGE_UP(c->a[2]), need;

	switch (c->nr) {
	case __NR_mmap: /* (addr, len, prot, flags, fd) */
		if (mmap_state(c->a[2], c->a[3]) != HEAP_COMMITTED)
			return 0;
		need = HEAP_PAGE_UP(c->a[1]);
		/* MAP_FIXED unmaps what it replaces first, and the kernel
		 * charges only the rest (mm/vma.c __mmap_region: charged -=
		 * nr_accounted). */
		if (c->a[3] & MAP_FIXED)
			need -= heap_ranges_count(lo, lo + need, HEAP_COMMITTED);
		return need;
	case __NR_mprotect:
	case __NR_pkey_mprotect: /* (addr, len, prot) */
		return (c->a[2] & PROT_WRITE) ? heap_ranges_count(lo, hi, HEAP_RESERVED) : 0;
	case __NR_mremap: /* (old, old_len, new_len, flags, new) */
		if (c->state != HEAP_COMMITTED || !old_size)
			return 0;
		/* MREMAP_DONTUNMAP leaves the old range mapped and
		 * committed: the kernel charges the whole new one
		 * (mm/mremap.c vrm_charge). */
		if (c->a[3] & MREMAP_DONTUNMAP)
			return new_size;
		/* Unlike MAP_FIXED, an MREMAP_FIXED growth must fit before
		 * the target goes (mm/mremap.c checks the limit first). */
		return new_size > old_size ? new_size - old_size : 0;
	}
	return 0;
}

long heap_call_before(struct heap_call *c)
{
	heap_lock();
	c->state = c->nr == __NR_mremap ? heap_ranges_state_at(c->a[0]) : HEAP_UNKNOWN;
	c->reserved = need_of(c);
	if (c->reserved > 0 && heap_budget_reserve(c->reserved) < 0) {
		c->reserved = 0;
		heap_unlock();
		return -ENOMEM;
	}
	return 0;
}

static int64_t after_mremap(const struct heap_call *c, uint64_t to)
{
	uint64_t from = HEAP_PAGE_DOWN(c->a[0]);
	uint64_t old_size = HEAP_PAGE_UP(c->a[1]), new_size = HEAP_PAGE_UP(c->a[2]);
	int64_t delta = 0;

	if (old_size == 0) /* a second mapping of shared memory */
		return 0;
	if (to == from) {
		if (new_size < old_size)
			return heap_ranges_set(from + new_size, from + old_size, HEAP_UNKNOWN);
		return heap_ranges_set(from + old_size, from + new_size, (enum heap_state)c->state);
	}
	if (!(c->a[3] & MREMAP_DONTUNMAP))
		delta += heap_ranges_set(from, from + old_size, HEAP_UNKNOWN);
	delta += heap_ranges_set(to, to + new_size, (enum heap_state)c->state);
	heap_brk_clip(to, to + new_size);
	return delta;
}

void heap_call_after(struct heap_call *c, long result)
{
	uint64_t lo = HEAP_PAGE_DOWN(c->a[0]), hi = HEAP_PAGE_UP(c->a[0] + c->a[1]);
	int64_t delta = 0;

	if (sys_is_err(result)) {
		heap_unlock();
		heap_budget_settle(c->reserved, 0);
		return;
	}
	switch (c->nr) {
	case __NR_mmap:
		lo = (uint64_t)result;
		hi = lo + HEAP_PAGE_UP(c->a[1]);
		delta = heap_ranges_set(lo, hi, mmap_state(c->a[2], c->a[3]));
		if (c->a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			heap_brk_clip(lo, hi);
		break;
	case __NR_munmap:
		delta = heap_ranges_set(lo, hi, HEAP_UNKNOWN);
		heap_brk_clip(lo, hi);
		break;
	case __NR_mprotect:
	case __NR_pkey_mprotect:
		delta = heap_ranges_protect(lo, hi, (c->a[2] & PROT_WRITE) != 0);
		break;
	case __NR_mremap:
		delta = after_mremap(c, (uint64_t)result);
		break;
	}
	heap_unlock();
	heap_budget_settle(c->reserved, delta);
}
