/* SPDX-License-Identifier: MIT */
/*
 * void arch_exit_thread(uintptr_t app_sp, void *base, size_t size, int status)
 * A thread's end, from C (the net's path; a stub's entry ends the same way
 * in syscall_entry.S): off the LibOS stack, which is about to be
 * unmapped, onto app_sp (the program's %rsp, where nothing is written),
 * unmap [base, base + size), the thread's TCB and LibOS stack, and exit
 * with status. Registers only in between: %rbx keeps the status.
 */
#include <asm/unistd.h>

	.text
	.globl	arch_exit_thread
	.hidden	arch_exit_thread
	.type	arch_exit_thread, @function
arch_exit_thread:
	.cfi_startproc
	mov	%rdi, %rsp
	.cfi_undefined rip
	mov	%ecx, %ebx
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	test	%rsi, %rsi		/* 0: kept (the program's seccomp */
	jz	1f			/* forbids the unmap: hooks/exit.c) */
	mov	$__NR_munmap, %eax
	syscall
1:	mov	%ebx, %edi
	mov	$__NR_exit, %eax
	syscall
	ud2
	.cfi_endproc
	.size	arch_exit_thread, . - arch_exit_thread

	.section .note.GNU-stack, "", @progbits
