/* SPDX-License-Identifier: MIT */
/*
 * uint64_t arch_read_tsc(void)
 * rdtsc, where the thread may (PR_SET_TSC lets it): the counter in %rax.
 * Clobbers %rdx only.
 */
	.text
	.globl	arch_read_tsc
	.hidden	arch_read_tsc
	.type	arch_read_tsc, @function
arch_read_tsc:
	.cfi_startproc
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	ret
	.cfi_endproc
	.size	arch_read_tsc, . - arch_read_tsc

	.section .note.GNU-stack, "", @progbits
