/* SPDX-License-Identifier: MIT */
/*
 * The %gs base, the LibOS TCB's address (entry.h).
 *
 * struct arch_tcb *arch_gs_self(void)
 *   The TCB's self pointer at %gs:TCB_SELF. No register but %rax.
 * void arch_wrgsbase(void *base)
 *   wrgsbase %rdi: only where the kernel enabled FSGSBASE (AT_HWCAP2).
 * uintptr_t arch_rdgsbase(void)
 *   rdgsbase %rax, the same.
 * uint8_t arch_gs_program
 *   Set once the program owns %gs (entry.h); the signal entries read it
 *   before they trust %gs.
 * uint8_t arch_has_fsgsbase
 *   AT_HWCAP2 has HWCAP2_FSGSBASE: wrgsbase's value is the kernel's too.
 */
#include "asm-offsets.h"

	.text
	.globl	arch_gs_self
	.hidden	arch_gs_self
	.type	arch_gs_self, @function
arch_gs_self:
	.cfi_startproc
	mov	%gs:TCB_SELF, %rax
	ret
	.cfi_endproc
	.size	arch_gs_self, . - arch_gs_self

	.globl	arch_wrgsbase
	.hidden	arch_wrgsbase
	.type	arch_wrgsbase, @function
arch_wrgsbase:
	.cfi_startproc
	wrgsbase %rdi
	ret
	.cfi_endproc
	.size	arch_wrgsbase, . - arch_wrgsbase

	.globl	arch_rdgsbase
	.hidden	arch_rdgsbase
	.type	arch_rdgsbase, @function
arch_rdgsbase:
	.cfi_startproc
	rdgsbase %rax
	ret
	.cfi_endproc
	.size	arch_rdgsbase, . - arch_rdgsbase

	.bss
	.globl	arch_gs_program
	.hidden	arch_gs_program
	.type	arch_gs_program, @object
arch_gs_program:
	.byte	0
	.size	arch_gs_program, 1
	.globl	arch_has_fsgsbase
	.hidden	arch_has_fsgsbase
	.type	arch_has_fsgsbase, @object
arch_has_fsgsbase:
	.byte	0
	.size	arch_has_fsgsbase, 1

	.section .note.GNU-stack, "", @progbits
