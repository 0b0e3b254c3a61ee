// SPDX-License-Identifier: MIT
/*
 * Memory that becomes executable. A file mapped executable is patched
 * before the mmap returns (that is how every library ld.so loads, at
 * start-up or by dlopen, is patched before any of its code runs);
 * executable memory the loader cannot account for (anonymous, writable,
 * or made executable later) arms the safety net instead.
 *
 * With a heap budget, memory the program commits is counted first
 * (heap/account.c): past the budget the syscall fails with ENOMEM and
 * never runs.
 *
 * The loader's own ranges (libc's own_ranges.h: its image, its heap, the
 * room of TCBs and LibOS stacks, its list itself, stub arenas) are never
 * the program's: for the program they are a place where nothing can be
 * mapped. A MAP_FIXED mmap, a SHM_REMAP shmat or an mremap to a fixed
 * address over one fails as the kernel fails an impossible mapping
 * (ENOMEM; EINVAL for shmat, its answer for any address it will not
 * take); MAP_FIXED_NOREPLACE fails with EEXIST as the kernel's own check
 * would; an mprotect, madvise or mseal of one fails with ENOMEM, the
 * kernel's answer for a hole; an mremap of one fails with EFAULT as for an
 * old range not mapped; a munmap of one is refused with EINVAL, before
 * anything is unmapped (natively a hole's munmap succeeds: the one place
 * the answer differs, and the only one that keeps the loader alive). Each
 * call is refused whole: nothing of the program's in the range changes.
 *
 * Stub arenas are the exception, for munmap and for mapping over: an
 * arena is there for the code that jumps to it, and when that code goes
 * in the same call (a library's whole span unmapped, or a region the
 * program placed a library in), the arena goes with it
 * (patch/mapping_gone.c forgets both). Only while code outside the range
 * still jumps there is the arena the loader's to keep. An arena whose code
 * went (retired, patch/retired.c) is freed before any call that names its
 * place, as soon as no thread is inside it, so that the kernel answers as
 * natively; while a thread is (blocked in its syscall) it stays the
 * loader's.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <asm/shmbuf.h>
#include <linux/ipc.h>
#include <own_ranges.h>
#include <sys.h>

#include "heap.h"
#include "hooks.h"
#include "hp_timing.h"
#include "objects.h"
#include "patch.h"
#include "tsc_sites.h"

/* shmat's flags (linux/shm.h, which wants a hosted libc). */
#define SHM_RND   020000
#define SHM_REMAP 040000
#define SHM_EXEC  0100000

#ifndef __NR_mseal
#define __NR_mseal 462
#endif

/* How a call treats the range it names. */
enum over {
	TOUCH, /* changes what is there (mprotect, madvise, mseal, mremap's old range) */
	TAKE,  /* replaces or unmaps it (MAP_FIXED, munmap, SHM_REMAP, MREMAP_FIXED) */
};

/* Whether [addr, addr + len) holds any of the loader's ranges that the
 * call may not have. */
static int guarded(uint64_t addr, uint64_t len, enum over how)
{
	struct libc_own_range r[16];
	uint64_t end = addr + PAGE_UP(len);
	size_t n;

	if (!len || end <= addr)
		return 0; /* the kernel refuses it itself */
	/* A retired stub arena is nothing of the program's: natively the
	 * place is free. Gone before the call unless a thread is inside. */
	patch_retired_clear(addr, end);
	n = libc_own_find(addr, end, r, 16);
	if (n == 0)
		return 0;
	if (how == TOUCH || n > 16)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (r[i].kind != LIBC_OWN_STUBS)
			return 1;
	return patch_stubs_in_use(addr, end);
}

/* The size a shmat of the segment id maps, or 0 when it is not known
 * (the kernel then answers the call itself). */
static uint64_t shm_size(int id)
{
	struct shmid64_ds ds;

	return sys_shmctl(id, IPC_STAT, &ds) == 0 ? ds.shm_segsz : 0;
}

/* The address a shmat with these flags asks for (SHMLBA is a page here). */
static uint64_t shm_addr(uint64_t addr, uint64_t flags)
{
	return (flags & SHM_RND) ? PAGE_DOWN(addr) : addr;
}

/* -errno when the call would map, unmap or change the loader's memory. */
static long loader_guard(const struct arch_frame *f)
{
	switch (f->rax) {
	case __NR_mmap: /* (addr, len, prot, flags, fd, off) */
		if ((f->r10 & MAP_FIXED_NOREPLACE) && guarded(f->rdi, f->rsi, TOUCH))
			return -EEXIST;
		return (f->r10 & MAP_FIXED) && guarded(f->rdi, f->rsi, TAKE) ? -ENOMEM : 0;
	case __NR_mprotect:
	case __NR_pkey_mprotect:
	case __NR_madvise:
	case __NR_mseal: /* (addr, len, ...) */
		return guarded(f->rdi, f->rsi, TOUCH) ? -ENOMEM : 0;
	case __NR_munmap:
		return guarded(f->rdi, f->rsi, TAKE) ? -EINVAL : 0;
	case __NR_mremap: /* (old, old_len, new_len, flags, new) */
		if (guarded(f->rdi, f->rsi ? f->rsi : 1, TOUCH))
			return -EFAULT; /* as for an old range not mapped */
		return (f->r10 & MREMAP_FIXED) && guarded(f->r8, f->rdx, TAKE) ? -ENOMEM : 0;
	case __NR_shmat: /* (id, addr, flags) */
		/* Without SHM_REMAP the kernel refuses a taken place itself. */
		if (f->rsi && (f->rdx & SHM_REMAP) &&
		    guarded(shm_addr(f->rsi, f->rdx), shm_size((int)f->rdi), TAKE))
			return -EINVAL;
		return 0;
	}
	return 0;
}

/* mremap moved or resized [addr, addr + old_len) to [to, to + new_len). */
static void remapped(uintptr_t addr, size_t old_len, uintptr_t to, size_t new_len)
{
	long site;
	int code = patch_object_at(addr, &site) != NULL;

	if (to != addr) {
		/* Whatever was at the new place went (MREMAP_FIXED). Moved
		 * patched code jumps to stubs out of its reach: it gets its own
		 * bytes back, and the net takes it; the old place is fresh
		 * memory (even under MREMAP_DONTUNMAP). */
		hook_objects_unmapped(to, to + new_len);
		if (patch_moved(addr, addr + old_len, to, new_len) || code)
			hook_net_arm("code may have been moved by mremap");
		hook_objects_unmapped(addr, addr + old_len);
		return;
	}
	if (new_len < old_len)
		hook_objects_unmapped(addr + PAGE_UP(new_len), addr + old_len);
	else if (new_len > old_len && code)
		hook_net_arm("code grown by mremap"); /* the new tail was never patched */
}

long hook_memory_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	struct heap_call hc = {(long)f->rax, {f->rdi, f->rsi, f->rdx, f->r10, f->r8}, 0, 0};
	int budget = heap_budget_size() != 0, live = 0;
	long r;

	if ((r = loader_guard(f)) < 0 || (budget && (r = heap_call_before(&hc)) < 0)) {
		f->rax = (uint64_t)r;
		return ARCH_ENTRY_RETURN;
	}
	/* Code mapped over code that threads may be running: patched
	 * without ever making it non-executable. */
	if (f->rax == __NR_mmap && (f->r10 & MAP_FIXED) && (f->rdx & PROT_EXEC))
		live = patch_holds_code(f->rdi, f->rdi + f->rsi);
	r = hook_module_frame(t, f);
	if (budget)
		heap_call_after(&hc, r);

	switch (f->rax) {
	case __NR_mmap: /* (addr, len, prot, flags, fd, off) */
		/* MAP_FIXED replaced whatever was there: fresh memory. */
		if (!sys_is_err(r) && (f->r10 & MAP_FIXED))
			hook_objects_unmapped((uintptr_t)r, (uintptr_t)r + f->rsi);
		if (!sys_is_err(r) && !(f->r10 & MAP_ANONYMOUS))
			patch_hp_timing_mapped((uintptr_t)r, f->rsi);
		if (sys_is_err(r) || !(f->rdx & PROT_EXEC))
			break;
		if ((f->r10 & MAP_ANONYMOUS) || (long)f->r8 < 0)
			hook_net_arm("anonymous executable memory");
		else {
			patch_file_mapping((uintptr_t)r, f->rsi, (int)f->rdx, (int)f->r8, f->r9,
					   live);
			if (hook_state.tsc_mode == HOOK_TSC_REWRITE)
				patch_tsc_sites((int)f->r8, (uintptr_t)r, f->rsi, f->r9);
			hook_object_mapped_fd((uintptr_t)r, (int)f->r8);
		}
		break;
	case __NR_munmap: /* (addr, len) */
		if (r == 0)
			hook_objects_unmapped(f->rdi, f->rdi + f->rsi);
		break;
	case __NR_shmat: /* (id, addr, flags): SHM_REMAP replaced what was there */
		if (!sys_is_err(r) && (f->rdx & SHM_REMAP))
			hook_objects_unmapped((uintptr_t)r, (uintptr_t)r + shm_size((int)f->rdi));
		if (!sys_is_err(r) && (f->rdx & SHM_EXEC))
			hook_net_arm("executable shared memory");
		break;
	case __NR_mprotect:
	case __NR_pkey_mprotect: /* (addr, len, prot, ...) */
		if (r == 0 && (f->rdx & PROT_EXEC))
			patch_protect(f->rdi, f->rsi, (int)f->rdx);
		if (r == 0)
			hook_altstack_check(t, f->rdi, f->rdi + f->rsi);
		break;
	case __NR_mremap: /* (addr, old_len, new_len, flags, new_addr) */
		if (!sys_is_err(r))
			remapped(f->rdi, f->rsi, (uintptr_t)r, f->rdx);
		break;
	}
	f->rax = (uint64_t)r;
	return ARCH_ENTRY_RETURN;
}

long hook_brk_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	(void)trap;
	/* Taken only with a budget; the net brings every syscall. */
	if (heap_budget_size())
		f->rax = heap_brk(f->rdi);
	else
		f->rax = (uint64_t)hook_module_frame(t, f);
	return ARCH_ENTRY_RETURN;
}
