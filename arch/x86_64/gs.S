/* SPDX-License-Identifier: MIT */
/*
 * The %gs base, the LibOS TCB's address (entry.h).
 *
 * struct arch_tcb *arch_gs_self(void)
 *   The TCB's self pointer at %gs:TCB_SELF. No register but %rax.
 * void arch_wrgsbase(void *base)
 *   wrgsbase %rdi: only where the kernel enabled FSGSBASE (AT_HWCAP2).
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

	.section .note.GNU-stack, "", @progbits
