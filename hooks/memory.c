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
 * The loader's own image is never the program's to replace: for the
 * program it is a place where nothing can be mapped. A MAP_FIXED mmap or
 * an mremap to a fixed address over it, or an mprotect of it, fails with
 * ENOMEM (what the kernel answers for an impossible mapping, and for an
 * mprotect of a hole); MAP_FIXED_NOREPLACE fails with EEXIST as the
 * kernel's own check would; an mremap of it fails with EFAULT as for an
 * old range not mapped; a munmap of it is refused with EINVAL, before
 * anything is unmapped (natively a hole's munmap succeeds: the one place
 * the answer differs, and the only one that keeps the loader alive). Other loader ranges (stub
 * areas, TCBs, stacks) are not guarded yet.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <sys.h>

#include "heap.h"
#include "hooks.h"
#include "hp_timing.h"
#include "objects.h"
#include "patch.h"
#include "tsc_sites.h"

static int over_loader(uint64_t addr, uint64_t len)
{
	uintptr_t lo, hi;

	arch_self_range(&lo, &hi);
	return len && addr < hi && lo < addr + len && addr + len > addr;
}

/* -errno when the call would map, unmap or change the loader itself. */
static long loader_guard(const struct arch_frame *f)
{
	switch (f->rax) {
	case __NR_mmap:
		if ((f->r10 & MAP_FIXED_NOREPLACE) && over_loader(f->rdi, f->rsi))
			return -EEXIST;
		return (f->r10 & MAP_FIXED) && over_loader(f->rdi, f->rsi) ? -ENOMEM : 0;
	case __NR_mprotect:
	case __NR_pkey_mprotect:
		return over_loader(f->rdi, f->rsi) ? -ENOMEM : 0;
	case __NR_munmap:
		return over_loader(f->rdi, f->rsi) ? -EINVAL : 0;
	case __NR_mremap: /* (old, old_len, new_len, flags, new) */
		if (over_loader(f->rdi, f->rsi))
			return -EFAULT; /* as for an old range not mapped */
		return (f->r10 & MREMAP_FIXED) && over_loader(f->r8, f->rdx) ? -ENOMEM : 0;
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
	int budget = heap_budget_size() != 0;
	long r;

	if ((r = loader_guard(f)) < 0 || (budget && (r = heap_call_before(&hc)) < 0)) {
		f->rax = (uint64_t)r;
		return ARCH_ENTRY_RETURN;
	}
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
			patch_file_mapping((uintptr_t)r, f->rsi, (int)f->rdx, (int)f->r8, f->r9);
			if (hook_state.tsc_mode == HOOK_TSC_REWRITE)
				patch_tsc_sites((int)f->r8, (uintptr_t)r, f->rsi, f->r9);
			hook_object_mapped_fd((uintptr_t)r, (int)f->r8);
		}
		break;
	case __NR_munmap: /* (addr, len) */
		if (r == 0)
			hook_objects_unmapped(f->rdi, f->rdi + f->rsi);
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
