// SPDX-License-Identifier: MIT
/*
 * Mapping an ELF image the way binfmt_elf's elf_load() does: reserve the
 * whole span first (so that nothing else can land between segments while
 * they are mapped), map each PT_LOAD from the file at its fixed place,
 * zero the bss tail of its last file page when it is writable, map the
 * rest of the bss as anonymous memory, and finally give back the holes between segments, as
 * the kernel leaves them.
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "map.h"

int elf_prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* binfmt_elf's elf_load(), in 6.x: the file's pages with the segment's
 * protection; the bss tail of the last file page zeroed (padzero) only
 * when the segment is writable, since the kernel ignores the fault of
 * zeroing a read-only page and leaves the file's bytes there; the rest of
 * the bss anonymous, read-write (vm_brk_flags gives VM_DATA_DEFAULT_FLAGS,
 * with VM_EXEC added for an executable segment) whatever p_flags say.
 * ld.so maps libraries its own way (it zeroes every tail), but what this
 * maps is what the kernel would have: the program, ld.so, a module. */
static long map_segment(int fd, const Elf64_Phdr *p, uintptr_t bias)
{
	int prot = elf_prot_of(p->p_flags);
	uintptr_t addr = bias + p->p_vaddr;
	uintptr_t file_end = addr + p->p_filesz, mem_end = addr + p->p_memsz;
	uintptr_t anon_start = PAGE_DOWN(addr);
	long r;

	if (p->p_filesz) {
		uintptr_t page = PAGE_DOWN(addr);
		size_t len = PAGE_UP(file_end) - page;

		r = sys_mmap((void *)page, len, prot, MAP_PRIVATE | MAP_FIXED, fd,
			     (long)PAGE_DOWN(p->p_offset));
		if (sys_is_err(r))
			return r;
		/* Like padzero(): to the end of the page, not just to
		 * p_memsz. ld.so's first allocations live past its bss in
		 * that page and must find zeros there. */
		if (mem_end > file_end && (prot & PROT_WRITE))
			memset((void *)file_end, 0, PAGE_UP(file_end) - file_end);
		anon_start = PAGE_UP(file_end);
	}
	if (mem_end > file_end && PAGE_UP(mem_end) > anon_start) {
		r = sys_mmap((void *)anon_start, PAGE_UP(mem_end) - anon_start,
			     PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
			     MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (sys_is_err(r))
			return r;
	}
	return 0;
}

/* Reserve span bytes aligned to align: exactly at want when fixed (even
 * at address 0, which only the kernel's mmap_min_addr may refuse), or
 * anywhere. */
static long reserve(int fixed, uintptr_t want, uint64_t span, uint64_t align, uintptr_t *out)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	uint64_t extra = fixed || align <= PAGE_SIZE ? 0 : align - PAGE_SIZE;
	long r;

	if (fixed)
		flags |= MAP_FIXED_NOREPLACE;
	r = sys_mmap((void *)want, span + extra, PROT_NONE, flags, -1, 0);
	if (sys_is_err(r))
		return r;
	if (fixed && (uintptr_t)r != want) {
		/* A kernel without MAP_FIXED_NOREPLACE treats it as a hint. */
		sys_munmap((void *)r, span);
		return -EEXIST;
	}
	uintptr_t start = ((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1);
	if (start > (uintptr_t)r)
		sys_munmap((void *)r, start - (uintptr_t)r);
	if ((uintptr_t)r + span + extra > start + span)
		sys_munmap((void *)(start + span), (uintptr_t)r + span + extra - (start + span));
	*out = start;
	return 0;
}

int elf_map(const struct elf_file *e, uintptr_t base, size_t below, struct elf_mapped *m,
	    const char **why)
{
	const struct elf_layout *l = &e->layout;
	uint64_t span = l->hi - l->lo;
	int fixed = e->ehdr.e_type == ET_EXEC || base;
	uintptr_t want = e->ehdr.e_type == ET_EXEC ? l->lo : base, start = 0, cursor;
	long r = -EEXIST;

	below = PAGE_UP(below);
	if (below && fixed && want > below + 0x10000) {
		/* Exactly at want, with the room right below. */
		long q = sys_mmap((void *)(want - below), span + below, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
				  -1, 0);
		if (!sys_is_err(q) && (uintptr_t)q == want - below) {
			start = want;
			r = 0;
		} else if (!sys_is_err(q)) {
			sys_munmap((void *)q, span + below);
		}
	} else if (below && !fixed) {
		/* Anywhere: room, then the image at its alignment. */
		size_t total = span + below + (l->align > PAGE_SIZE ? l->align : 0);
		long q = sys_mmap(NULL, total, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (!sys_is_err(q)) {
			uintptr_t lo = (uintptr_t)q, hi = lo + total;
			start = (lo + below + l->align - 1) & ~(uintptr_t)(l->align - 1);
			if (start - below > lo)
				sys_munmap((void *)lo, start - below - lo);
			if (start + span < hi)
				sys_munmap((void *)(start + span), hi - (start + span));
			r = 0;
		}
	}
	if (r == 0) {
		m->reserved_lo = start - below;
	} else {
		r = reserve(fixed, want, span, l->align, &start);
		m->reserved_lo = start;
	}
	if (r < 0) {
		*why = r == -EEXIST  ? "its address range is already in use"
		       : r == -EPERM ? "its address range is below the lowest mappable address"
				     : "cannot reserve its address range";
		return (int)r;
	}
	m->start = start;
	m->end = start + span;
	m->bias = start - l->lo;
	m->entry = m->bias + e->ehdr.e_entry;
	m->phdr = l->phdr_vaddr == ELF_NO_PHDR ? 0 : m->bias + l->phdr_vaddr;

	cursor = start;
	for (int i = 0; i < e->ehdr.e_phnum; i++) {
		const Elf64_Phdr *p = &e->phdrs[i];
		if (!elf_is_load(p))
			continue;
		r = map_segment(e->fd, p, m->bias);
		if (r < 0) {
			sys_munmap((void *)start, span);
			*why = "cannot map a segment";
			return (int)r;
		}
		uintptr_t seg_lo = PAGE_DOWN(m->bias + p->p_vaddr);
		if (seg_lo > cursor)
			sys_munmap((void *)cursor, seg_lo - cursor);
		uintptr_t seg_hi = PAGE_UP(m->bias + p->p_vaddr + p->p_memsz);
		if (seg_hi > cursor)
			cursor = seg_hi;
	}
	return 0;
}
