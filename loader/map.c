// SPDX-License-Identifier: MIT
/*
 * Mapping an ELF image the way binfmt_elf's elf_load() does: reserve the
 * whole span first (so that nothing else can land between segments while
 * they are mapped), map each PT_LOAD from the file at its fixed place,
 * zero the bss tail of its last file page, map the rest of the bss as
 * anonymous memory, and finally give back the holes between segments, as
 * the kernel leaves them.
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "map.h"

int ldr_prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

static long map_segment(int fd, const Elf64_Phdr *p, uintptr_t bias)
{
	int prot = ldr_prot_of(p->p_flags);
	uintptr_t addr = bias + p->p_vaddr;
	uintptr_t file_end = addr + p->p_filesz, mem_end = addr + p->p_memsz;
	uintptr_t anon_start = LDR_PAGE_DOWN(addr);
	long r;

	if (p->p_filesz) {
		uintptr_t page = LDR_PAGE_DOWN(addr);
		size_t len = LDR_PAGE_UP(file_end) - page;
		/* A bss that starts inside the last file page must read as
		 * zeros, so that page is briefly writable even in a read-only
		 * segment. Without a bss the page keeps the file's bytes, as
		 * the kernel leaves them. */
		int tail = mem_end > file_end && (file_end & (LDR_PAGE_SIZE - 1));

		r = sys_mmap((void *)page, len, prot | (tail ? PROT_WRITE : 0),
			     MAP_PRIVATE | MAP_FIXED, fd, (long)LDR_PAGE_DOWN(p->p_offset));
		if (sys_is_err(r))
			return r;
		if (tail) {
			/* Like padzero(): to the end of the page, not just to
			 * p_memsz. ld.so's first allocations live past its bss
			 * in that page and must find zeros there. */
			memset((void *)file_end, 0, LDR_PAGE_UP(file_end) - file_end);
			if (!(prot & PROT_WRITE)) {
				r = sys_mprotect((void *)page, len, prot);
				if (r < 0)
					return r;
			}
		}
		anon_start = LDR_PAGE_UP(file_end);
	}
	if (LDR_PAGE_UP(mem_end) > anon_start) {
		r = sys_mmap((void *)anon_start, LDR_PAGE_UP(mem_end) - anon_start, prot,
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
	uint64_t extra = fixed || align <= LDR_PAGE_SIZE ? 0 : align - LDR_PAGE_SIZE;
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

int ldr_map_elf(const struct ldr_elf *e, uintptr_t base, size_t below, struct ldr_mapped *m,
		const char **why)
{
	const struct ldr_elf_layout *l = &e->layout;
	uint64_t span = l->hi - l->lo;
	int fixed = e->ehdr.e_type == ET_EXEC || base;
	uintptr_t want = e->ehdr.e_type == ET_EXEC ? l->lo : base, start = 0, cursor;
	long r = -EEXIST;

	below = LDR_PAGE_UP(below);
	if (below && fixed && want > below + 0x10000) {
		/* Exactly at want, with the room right below. */
		long q = sys_mmap((void *)(want - below), span + below, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1,
				  0);
		if (!sys_is_err(q) && (uintptr_t)q == want - below) {
			start = want;
			r = 0;
		} else if (!sys_is_err(q)) {
			sys_munmap((void *)q, span + below);
		}
	} else if (below && !fixed) {
		/* Anywhere: room, then the image at its alignment. */
		size_t total = span + below + (l->align > LDR_PAGE_SIZE ? l->align : 0);
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
		*why = r == -EEXIST ? "its address range is already in use"
		       : r == -EPERM ? "its address range is below the lowest mappable address"
				     : "cannot reserve its address range";
		return (int)r;
	}
	m->start = start;
	m->end = start + span;
	m->bias = start - l->lo;
	m->entry = m->bias + e->ehdr.e_entry;
	m->phdr = l->phdr_vaddr == LDR_NO_PHDR ? 0 : m->bias + l->phdr_vaddr;

	cursor = start;
	for (int i = 0; i < e->ehdr.e_phnum; i++) {
		const Elf64_Phdr *p = &e->phdrs[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		r = map_segment(e->fd, p, m->bias);
		if (r < 0) {
			sys_munmap((void *)start, span);
			*why = "cannot map a segment";
			return (int)r;
		}
		uintptr_t seg_lo = LDR_PAGE_DOWN(m->bias + p->p_vaddr);
		if (seg_lo > cursor)
			sys_munmap((void *)cursor, seg_lo - cursor);
		uintptr_t seg_hi = LDR_PAGE_UP(m->bias + p->p_vaddr + p->p_memsz);
		if (seg_hi > cursor)
			cursor = seg_hi;
	}
	return 0;
}

/* ELF_ET_DYN_BASE on x86-64: two thirds of the 47-bit address space. */
#define ET_DYN_BASE 0x555555554000UL
/* arch_randomize_brk() moves brk by at most this much past ET_DYN_BASE. */
#define BRK_RANDOM_RANGE (1UL << 30)

uintptr_t ldr_program_base(uint64_t span, uint64_t align)
{
	uintptr_t brk = (uintptr_t)sys_brk(0);

	/* With ASLR the kernel put the brk area of a static PIE like us at
	 * ET_DYN_BASE plus a random offset: the place where it would have put
	 * the program's. The program goes right below it, so that its brk
	 * area follows its image as it would natively. */
	if (brk >= ET_DYN_BASE && brk - ET_DYN_BASE < BRK_RANDOM_RANGE && brk > span + align)
		return (brk - span) & ~(uintptr_t)(align - 1);
	/* Without randomization the kernel puts a PIE exactly here. */
	return ET_DYN_BASE & ~(uintptr_t)(align - 1);
}

/* The kernel's randomize_va_space and the process's personality: is
 * there address-space randomization for brk (level 2)? */
static int brk_randomized(void)
{
	char c = '2';
	long persona = arch_syscall1(__NR_personality, 0xffffffff);
	int fd = (int)sys_open("/proc/sys/kernel/randomize_va_space", O_RDONLY);

	if (fd >= 0) {
		sys_read(fd, &c, 1);
		sys_close(fd);
	}
	return c >= '2' && !(persona >= 0 && (persona & 0x0040000 /* ADDR_NO_RANDOMIZE */));
}

uintptr_t ldr_brk_start(uintptr_t bss_end, int loader_like)
{
	/* load_elf_binary (6.x): a static PIE ("a loader", mapped in the
	 * mmap area) gets its brk moved out of the way to ELF_ET_DYN_BASE,
	 * randomized or not; with randomization anything else keeps a
	 * one-page gap after its bss, and then arch_randomize_brk moves it by
	 * randomize_page(brk, 1 GiB) on x86-64. */
	uintptr_t brk = loader_like ? ET_DYN_BASE : LDR_PAGE_UP(bss_end);
	uint64_t random = 0;

	if (!brk_randomized())
		return brk;
	if (!loader_like)
		brk += LDR_PAGE_SIZE;
	if (sys_getrandom(&random, sizeof(random), 1 /* GRND_NONBLOCK */) != sizeof(random))
		return brk;
	return brk + (random % (BRK_RANDOM_RANGE / LDR_PAGE_SIZE)) * LDR_PAGE_SIZE;
}
