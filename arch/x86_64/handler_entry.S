/* SPDX-License-Identifier: MIT */
/*
 * The real handler of every program signal action that has a handler
 * (one the kernel enters, not SIGSYS nor --trap-rdtsc's): it lets the
 * hooks keep the program's virtual SIGSYS mask bit as the kernel would
 * (hooks/app_handlers.c), then enters the program's handler exactly
 * where and as the kernel entered this one.
 *
 * void arch_handler_entry(int sig, siginfo_t *info, ucontext_t *uc)
 *   Entered by the kernel for the program's action: %rsp at the frame it
 *   wrote for the program (the program's sa_restorer at 0(%rsp)), %rax 0,
 *   the other registers the interrupted code's, the action's mask, the
 *   handler's clean vector state. It calls
 *       target = arch_entry_calls.handler(sig, info, uc)
 *   on this stack, below the frame (where the program's handler's own
 *   frames would go), puts back every register and the flags the call may
 *   change, and jumps to target: the program's handler starts with the
 *   registers, stack, frame and mask the kernel gave, as natively.
 *   Touches no %gs (the callback finds the TCB without it) and no vector
 *   register (the hooks are built with -mgeneral-regs-only).
 *
 *   Stack layout during the call (F: %rsp at entry, F + 8 16-aligned):
 *       F - 0x08   the flags
 *       F - 0x10   %r11, %r10, %r9, %r8, %rcx, %rdx, %rsi, down to
 *       F - 0x48   %rdi, then the target
 *   The target is read at F - 0x48 after %rsp is back at F: within the
 *   128 bytes below %rsp that the kernel skips (the red zone) when it
 *   puts another signal's frame there.
 */
#include "asm-offsets.h"

	.text
	.globl	arch_handler_entry
	.hidden	arch_handler_entry
	.type	arch_handler_entry, @function
arch_handler_entry:
	.cfi_startproc
	pushfq
	.cfi_adjust_cfa_offset 8
	sub	$0x40, %rsp
	.cfi_adjust_cfa_offset 0x40
	mov	%rdi, 0x00(%rsp)
	mov	%rsi, 0x08(%rsp)
	mov	%rdx, 0x10(%rsp)
	mov	%rcx, 0x18(%rsp)
	mov	%r8, 0x20(%rsp)
	mov	%r9, 0x28(%rsp)
	mov	%r10, 0x30(%rsp)
	mov	%r11, 0x38(%rsp)
	call	*arch_entry_calls+CALLS_HANDLER(%rip)
	mov	0x00(%rsp), %rdi
	mov	0x08(%rsp), %rsi
	mov	0x10(%rsp), %rdx
	mov	0x18(%rsp), %rcx
	mov	0x20(%rsp), %r8
	mov	0x28(%rsp), %r9
	mov	0x30(%rsp), %r10
	mov	0x38(%rsp), %r11
	mov	%rax, 0x00(%rsp)
	lea	0x40(%rsp), %rsp	/* lea: the flags are still to come */
	.cfi_adjust_cfa_offset -0x40
	popfq
	.cfi_adjust_cfa_offset -8
	mov	$0, %eax		/* as the kernel left it; mov keeps the flags */
	jmp	*-0x48(%rsp)
	.cfi_endproc
	.size	arch_handler_entry, . - arch_handler_entry

	.section .note.GNU-stack, "", @progbits
