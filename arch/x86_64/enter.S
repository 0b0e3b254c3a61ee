/* SPDX-License-Identifier: MIT */
/*
 * arch_enter_program: the hand-off from the loader to ld.so or the program.
 *
 * void arch_enter_program(const void *image, size_t size, void *sp, void *entry)
 *   %rdi  image: the finished initial stack (argc, argv, envp, auxv, strings),
 *         built by loader/stack.c in heap memory
 *   %rsi  size:  its size in bytes
 *   %rdx  sp:    where the program's %rsp must point (16-byte aligned)
 *   %rcx  entry: ld.so's or the program's entry point
 *
 * The destination lies on the process stack just below where the kernel put
 * our own argc, which is where this function's callers still have frames:
 * so the copy runs in registers only, and nothing of ours is used after it.
 * The program then starts as binfmt_elf starts it: %rsp at argc, every
 * general register zero (%rdx = 0 means "no rtld fini function"), DF clear.
 * The entry address is pushed below the new %rsp and taken by `ret`, which
 * leaves no register holding it; that word is unused stack below argc.
 */
#include "asm-offsets.h"
#include "program_gs.inc"

	.text
	.globl	arch_enter_program
	.hidden	arch_enter_program
	.type	arch_enter_program, @function
arch_enter_program:
	.cfi_startproc
	mov	%rcx, %r8		/* entry */
	mov	%rdx, %r9		/* new stack pointer */
	mov	%rsi, %rcx		/* count */
	mov	%rdi, %rsi		/* source */
	mov	%rdx, %rdi		/* destination */
	cld
	rep movsb
	mov	%r9, %rsp
	.cfi_undefined rip
	program_gs_put			/* the program owns %gs from the start */
	push	%r8
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
	.cfi_endproc
	.size	arch_enter_program, . - arch_enter_program

	.section .note.GNU-stack, "", @progbits
