// SPDX-License-Identifier: MIT
/*
 * Syscall User Dispatch, the safety net's kernel half. The loader's whole
 * text is the region whose syscalls always pass (the raw-syscall helper is
 * inlined all over it, and syscall_entry.S's paths live there too); any
 * other syscall traps with SIGSYS while the thread's selector byte says
 * BLOCK. SUD is per thread and not inherited by fork or clone: every new
 * thread and child turns it on for itself.
 */
#include <asm/unistd.h>
#include <linux/elf.h>
#include <linux/prctl.h>
#include <sys.h>

#include "arch.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF          0
#define PR_SYS_DISPATCH_ON           1
#endif

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

/* The loader's executable segment. */
static void text_range(uintptr_t *lo, uintptr_t *len)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);

	*lo = *len = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
			*lo = (uintptr_t)eh + ph[i].p_vaddr;
			*len = ph[i].p_memsz;
		}
	}
}

void arch_self_range(uintptr_t *lo, uintptr_t *hi)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);

	*lo = (uintptr_t)eh;
	*hi = *lo;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && *lo + ph[i].p_vaddr + ph[i].p_memsz > *hi)
			*hi = *lo + ph[i].p_vaddr + ph[i].p_memsz;
	*hi = (*hi + 4095) & ~4095UL;
}

int arch_sud_on(uint8_t *selector)
{
	uintptr_t lo, len;

	text_range(&lo, &len);
	return (int)sys_prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (long)lo, (long)len,
			      (long)selector);
}
