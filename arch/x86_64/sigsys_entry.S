/* SPDX-License-Identifier: MIT */
/*
 * The loader's own signal handler, its restorer, and rt_sigreturn on a
 * frame of the program's.
 *
 * void arch_sigsys_entry(int sig, siginfo_t *info, ucontext_t *uc)
 *   The handler the kernel calls for SIGSYS (the net), and for SIGSEGV
 *   and SIGILL under --trap-rdtsc: on the program's stack or its
 *   alternate stack, every signal blocked, %rsp at the return address
 *   (arch_sigsys_restorer). It takes a LibOS slice with the stubs'
 *   protocol (stub_template.S), leaves the words {E, the handler's %rsp}
 *   at E - 0x10 as a stub leaves them (struct arch_stub_words' last two),
 *   and calls
 *       arch_entry_calls.signal(info, uc, %gs:TCB_SELF, words)
 *   then gives the slice back and returns to the restorer. Registers need
 *   no care: the restorer's rt_sigreturn restores them all, flags too.
 *   Once the program owns %gs (arch_gs_program), %gs is the program's
 *   when the kernel calls us: arch_entry_calls.gs_enter puts the TCB
 *   there first (on the handler's stack: three words and its frame), and
 *   the way out puts the program's base (TCB_APP_GS) back, signals still
 *   blocked, right before the restorer's rt_sigreturn.
 *
 *   Stack layout on the slice (E its top):
 *       E - 0x08   the handler's %rsp (A): the restorer's address is at A
 *       E - 0x10   E
 *   The CFI finds the caller (the restorer) through A.
 *
 * arch_sigsys_restorer: rt_sigreturn, the handler's return address; %rsp
 *   is at the kernel's ucontext then. Its CFI (a signal frame, glibc's
 *   __restore_rt's) takes every register from that ucontext, so that a
 *   backtrace goes on into the code that trapped; its instructions are
 *   the ones debuggers recognise as a signal trampoline.
 *
 * void arch_sigreturn(uintptr_t app_sp)
 *   rt_sigreturn for a frame at app_sp, from the handler: the net caught
 *   the program's own rt_sigreturn, which must run on its stack. With
 *   every signal blocked: the program's %gs goes back first when it owns
 *   it.
 */
#include <asm/unistd.h>

#include "asm-offsets.h"
#include "cfi.inc"
#include "program_gs.inc"

	.text
	.globl	arch_sigsys_entry
	.hidden	arch_sigsys_entry
	.type	arch_sigsys_entry, @function
arch_sigsys_entry:
	.cfi_startproc
	cmpb	$0, arch_gs_program(%rip)
	jne	2f
3:	mov	%gs:TCB_ENTRY_SP, %rcx
	lea	-SLICE_SIZE(%rcx), %r11
	mov	%r11, %gs:TCB_ENTRY_SP
	mov	%rsp, %r11
	.cfi_def_cfa r11, 8
	mov	%rcx, %rsp
	push	%r11
	cfi_cfa_at_rsp 0, 8
	push	%rcx
	cfi_cfa_at_rsp 8, 8
	cmp	%gs:TCB_STACK_HI, %rcx
	jne	1f			/* outer entries in progress */
0:	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%gs:TCB_SELF, %rdx
	mov	%rsp, %rcx
	call	*arch_entry_calls+CALLS_SIGNAL(%rip)
	pop	%rcx
	cfi_cfa_at_rsp 0, 8
	pop	%r11
	.cfi_def_cfa r11, 8
	mov	%r11, %rsp
	.cfi_def_cfa rsp, 8
	mov	%rcx, %gs:TCB_ENTRY_SP
	program_gs_put
	ret
	cfi_cfa_at_rsp 8, 8
2:	/* The program may own %gs: the TCB goes there first. */
	push	%rdi
	.cfi_adjust_cfa_offset 8
	push	%rsi
	.cfi_adjust_cfa_offset 8
	push	%rdx
	.cfi_adjust_cfa_offset 8
	call	*arch_entry_calls+CALLS_GS_ENTER(%rip)
	pop	%rdx
	.cfi_adjust_cfa_offset -8
	pop	%rsi
	.cfi_adjust_cfa_offset -8
	pop	%rdi
	.cfi_adjust_cfa_offset -8
	jmp	3b
1:	/* As in arch_syscall_entry: move to the top of the outermost slice
	 * abandoned entries left, if any: the words first, then %rsp. */
	mov	%rsi, %rbx
	mov	%rdx, %r12
	mov	%rsp, %rdi
	mov	%gs:TCB_SELF, %rsi
	call	*arch_entry_calls+CALLS_REENTRY_CHECK(%rip)
	mov	%rbx, %rsi
	mov	%r12, %rdx
	test	%rax, %rax
	jz	0b
	mov	8(%rsp), %r11		/* the handler's %rsp */
	mov	%r11, -8(%rax)
	mov	%rax, -16(%rax)
	lea	-16(%rax), %rsp
	sub	$SLICE_SIZE, %rax
	mov	%rax, %gs:TCB_ENTRY_SP
	jmp	0b
	.cfi_endproc
	.size	arch_sigsys_entry, . - arch_sigsys_entry

/* The restorer, as a signal frame: the unwinder looks its caller's rules
 * up at the return address less one, hence the nop inside the FDE. */
	.cfi_startproc
	.cfi_signal_frame
	cfi_cfa_at_rsp UC_RSP, 0
	cfi_saved_at_rsp 8, UC_R8
	cfi_saved_at_rsp 9, UC_R9
	cfi_saved_at_rsp 10, UC_R10
	cfi_saved_at_rsp 11, UC_R11
	cfi_saved_at_rsp 12, UC_R12
	cfi_saved_at_rsp 13, UC_R13
	cfi_saved_at_rsp 14, UC_R14
	cfi_saved_at_rsp 15, UC_R15
	cfi_saved_at_rsp 5, UC_RDI
	cfi_saved_at_rsp 4, UC_RSI
	cfi_saved_at_rsp 6, UC_RBP
	cfi_saved_at_rsp 3, UC_RBX
	cfi_saved_at_rsp 1, UC_RDX
	cfi_saved_at_rsp 0, UC_RAX
	cfi_saved_at_rsp 2, UC_RCX
	cfi_saved_at_rsp DW_REG_RIP, UC_RIP
	nop
	.globl	arch_sigsys_restorer
	.hidden	arch_sigsys_restorer
	.type	arch_sigsys_restorer, @function
arch_sigsys_restorer:
	mov	$__NR_rt_sigreturn, %rax
	syscall
	ud2
	.cfi_endproc
	.size	arch_sigsys_restorer, . - arch_sigsys_restorer

	.globl	arch_sigreturn
	.hidden	arch_sigreturn
	.type	arch_sigreturn, @function
arch_sigreturn:
	.cfi_startproc
	mov	%rdi, %rsp
	.cfi_undefined rip		/* the program's frame: nothing returns */
	program_gs_put			/* its %gs last (signals are blocked) */
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
	.cfi_endproc
	.size	arch_sigreturn, . - arch_sigreturn

	.section .note.GNU-stack, "", @progbits
