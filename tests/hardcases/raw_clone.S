/* SPDX-License-Identifier: MIT */
/*
 * Raw clone3 and raw syscalls for clone_raw.c, without glibc: a child that
 * starts on a new stack cannot return through the C frame that called
 * clone3, and a thread made without CLONE_SETTLS must not touch glibc's
 * thread state. Both syscall instructions are ordinary sites of the
 * program for the loader to rewrite.
 *
 * long hc_clone3(struct hc_clone_args *args, size_t size, long (*fn)(void *), void *arg)
 *   Parent: returns the kernel's value (child's pid, or -errno).
 *   Child:  calls fn(arg) on its stack (16-byte aligned, no return
 *           address above it), then exit(fn's value): only its thread.
 *   fn and arg ride in %r8 and %r9, which the kernel gives the child
 *   unchanged.
 *
 * long hc_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
 *   The syscall's raw result (-errno on failure); errno is not touched.
 */
#include <asm/unistd.h>

	.text
	.globl	hc_clone3
	.type	hc_clone3, @function
hc_clone3:
	.cfi_startproc
	mov	%rdx, %r8
	mov	%rcx, %r9
	mov	$__NR_clone3, %eax
	syscall
	test	%rax, %rax
	jz	1f
	ret
1:	.cfi_undefined rip
	xor	%ebp, %ebp
	and	$-16, %rsp
	mov	%r9, %rdi
	call	*%r8
	mov	%rax, %rdi
	mov	$__NR_exit, %eax
	syscall
	ud2
	.cfi_endproc
	.size	hc_clone3, . - hc_clone3

	.globl	hc_syscall
	.type	hc_syscall, @function
hc_syscall:
	.cfi_startproc
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	syscall
	ret
	.cfi_endproc
	.size	hc_syscall, . - hc_syscall

	.section .note.GNU-stack, "", @progbits
