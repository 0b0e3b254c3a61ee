/* SPDX-License-Identifier: MIT */
/*
 * _start: the first instruction the kernel runs in libos-loader.
 *
 * Register contract on entry (x86-64 psABI, as set by binfmt_elf):
 *   %rsp  -> argc, argv[], NULL, envp[], NULL, auxv[], AT_NULL
 *   %rdx  =  0 (no rtld fini function); all other registers are 0.
 *
 * Stage 1 (arch_self_relocate) runs before any relocation is applied, so
 * until it returns nothing may load an address from memory. Stage 2
 * (libc_start) may use everything; it never returns.
 *
 * Stack layout when calling stage 1 and 2: 16-byte aligned, %rbp = 0 so
 * that unwinders stop here.
 */
	.text
	.globl	_start
	.hidden	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xor	%ebp, %ebp
	mov	%rsp, %r12		/* callee-saved: the kernel's stack */
	and	$-16, %rsp
	lea	__ehdr_start(%rip), %rdi
	lea	_DYNAMIC(%rip), %rsi
	call	arch_self_relocate
	mov	%r12, %rdi
	call	libc_start
	hlt
	.cfi_endproc
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
