/* SPDX-License-Identifier: MIT */
/*
 * A new thread's birth: the raw clone family, and its first instruction of
 * the program.
 *
 * long arch_clone_raw(long nr, long a1, long a2, long a3, long a4, long a5,
 *                     struct arch_tcb *child)
 *   clone, clone3 or vfork (nr) with its arguments as the program gave
 *   them. In the parent it returns the kernel's value. The child (%rax =
 *   0) may be on a new stack, or on the parent's stacks (vfork), which it
 *   must not write: it switches %gs to its own TCB (kept in %r12 across
 *   the syscall) and %rsp to its own LibOS stack with no stack access,
 *   then calls arch_entry_calls.child_start(child), which never returns.
 *   The child's stack: CHILD_STACK_GAP bytes below its stack_hi (the stub
 *   words it may resume through lie in that gap), 16-byte aligned.
 *
 * void arch_resume(const struct arch_resume *r)
 *   Start a thread with the registers in r: %rcx = rip and %r11 = rflags,
 *   as after a syscall. The flags are set while still on our stack;
 *   nothing is written on the program's.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "asm-offsets.h"
#include "program_gs.inc"
#include "syscall_abi.inc"

	.text
	.globl	arch_clone_raw
	.hidden	arch_clone_raw
	.type	arch_clone_raw, @function
arch_clone_raw:
	.cfi_startproc
	push	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	mov	16(%rsp), %r12
	c_args_to_syscall
	syscall
	test	%rax, %rax
	jz	1f
	pop	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	ret
1:	.cfi_undefined rip		/* the child: a new thread starts here */
	mov	$__NR_arch_prctl, %eax
	mov	$ARCH_SET_GS, %edi
	mov	%r12, %rsi
	syscall
	mov	TCB_STACK_HI(%r12), %rsp
	sub	$CHILD_STACK_GAP, %rsp
	xor	%ebp, %ebp
	mov	%r12, %rdi
	call	*arch_entry_calls+CALLS_CHILD_START(%rip)
	ud2
	.cfi_endproc
	.size	arch_clone_raw, . - arch_clone_raw

	.globl	arch_resume
	.hidden	arch_resume
	.type	arch_resume, @function
arch_resume:
	.cfi_startproc
	.cfi_undefined rip
	mov	%rdi, %r12
	program_gs_put			/* the program's %gs, when it owns it */
	mov	%r12, %r11
	mov	RESUME_R15(%r11), %r15
	mov	RESUME_R14(%r11), %r14
	mov	RESUME_R13(%r11), %r13
	mov	RESUME_R12(%r11), %r12
	mov	RESUME_RBP(%r11), %rbp
	mov	RESUME_RBX(%r11), %rbx
	mov	RESUME_R9(%r11), %r9
	mov	RESUME_R8(%r11), %r8
	mov	RESUME_R10(%r11), %r10
	mov	RESUME_RDX(%r11), %rdx
	mov	RESUME_RSI(%r11), %rsi
	mov	RESUME_RDI(%r11), %rdi
	mov	RESUME_RAX(%r11), %rax
	pushq	RESUME_RFLAGS(%r11)
	popfq
	mov	RESUME_RSP(%r11), %rsp
	mov	RESUME_RIP(%r11), %rcx
	mov	RESUME_RFLAGS(%r11), %r11
	jmp	*%rcx
	.cfi_endproc
	.size	arch_resume, . - arch_resume

	.section .note.GNU-stack, "", @progbits
