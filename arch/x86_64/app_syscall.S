/* SPDX-License-Identifier: MIT */
/*
 * long arch_app_syscall6(long nr, long a1, long a2, long a3, long a4,
 *                        long a5, long a6)
 * The program's syscall, on the program's stack: the only way the LibOS
 * (and a module, through the loader's API) reaches the kernel for the
 * program.
 *
 * Register contract: the C calling convention (a6 on the stack); returns
 * the kernel's value in %rax. Callee-saved registers are kept: %rbx holds
 * our stack across the syscall (the kernel keeps it, and so does a
 * handler's sigreturn), %rbp the syscall's number, %r12 the trap's
 * ucontext on the masked path.
 *
 * A signal that interrupts the syscall finds %rip at one of the two
 * labels after it (arch_app_syscall_done, arch_app_syscall_masked_done)
 * with the kernel's answer in %rax and the syscall's registers intact
 * (the kernel keeps all but %rcx and %r11): a handler of the loader's own
 * can restart it there as the kernel restarts a syscall no handler
 * interrupted, %rip back onto the syscall and %rax = %rbp
 * (app_syscall_restart.c).
 *
 * Where it runs, from %gs:TCB_SYSCALL_SP (struct arch_tcb, tls/tcb.h):
 *   0        on our own stack (before the program runs);
 *   even     the program's %rsp at its syscall: the kernel then puts a
 *            signal frame 128 bytes below it, or on the alternate stack
 *            unless %rsp is on it already, exactly as for the program's
 *            own syscall instruction. Nothing is written there by us. A
 *            fork child comes back the same way on its copy.
 *   odd      a trap's SIGSYS ucontext (bit 0 set): the syscall runs below
 *            that frame (the red zone under it, with the restorer's
 *            address, stays), with the program's mask, saved in the
 *            frame (UC_SIGMASK), for exactly its duration; all signals
 *            are blocked again before %rsp leaves. A syscall that never
 *            sleeps (arch_never_sleeps, never_sleeps.c) skips the two
 *            mask changes.
 *
 * Once the program owns %gs (arch_gs_program, hooks/gs.c), the masked
 * path gives it the program's base (TCB_APP_GS) for the time the program's
 * mask is on: a signal of the program's delivered during a blocking
 * syscall (SIGCHLD in a shell's wait4) enters its handler with the %gs it
 * would have natively, and that handler's syscalls reach its own code's
 * stubs (a loader run by this one: its TCB). The TCB is kept in %r13 and
 * put back once every signal is blocked again. arch_app_gs_window_start
 * and _end bound where the program's base is on, for the net's handler
 * returning there (hooks/gs.c).
 *
 * Stack layout on the masked path, from the ucontext U down: the red zone
 * (RED_ZONE_SIZE bytes, untouched), alignment to 16, the call's seven
 * registers (pushed r9 first, kept across the first rt_sigprocmask),
 * which the syscall pops again. Nothing is written there after the
 * syscall (the all-blocked mask is a constant): the syscall may have
 * made that stack read-only.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "asm-offsets.h"
#include "syscall_abi.inc"

#define RED_ZONE_SIZE 128

	/* Part of the fast path's page (syscall_entry.S). */
	.section .text.hot.libos_entry, "ax", @progbits
	.globl	arch_app_syscall6
	.hidden	arch_app_syscall6
	.type	arch_app_syscall6, @function
arch_app_syscall6:
	.cfi_startproc
	c_args_to_syscall
	mov	8(%rsp), %r9
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	push	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	mov	%rax, %rbp		/* the number, for a restart */
	mov	%rsp, %rbx
	.cfi_def_cfa_register rbx
	mov	%gs:TCB_SYSCALL_SP, %rcx
	test	$1, %cl
	jnz	1f
	test	%rcx, %rcx
	cmovnz	%rcx, %rsp
	syscall
	.globl	arch_app_syscall_done
	.hidden	arch_app_syscall_done
arch_app_syscall_done:
0:	mov	%rbx, %rsp
	.cfi_remember_state
	.cfi_def_cfa_register rsp
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
	.cfi_restore_state
1:	cmpb	$0, arch_app_unmasked(%rip) /* the program's seccomp forbids */
	jne	7f			/* the mask changes: all blocked */
	cmp	$SYSCALL_MAX, %rax	/* one that never sleeps needs no mask: */
	jae	2f			/* nothing can arrive during it, and what */
	bt	%rax, arch_never_sleeps(%rip) /* is pending arrives at the */
	jnc	2f			/* net's sigreturn, right after it */
7:	syscall
	jmp	0b
2:	push	%r12			/* on our stack still: (%rbx) - 8 */
	.cfi_rel_offset r12, 0
	push	%r13			/* (%rbx) - 16 */
	.cfi_rel_offset r13, 0
	and	$-2, %rcx
	mov	%rcx, %r12		/* the ucontext */
	mov	%gs:TCB_SELF, %r13	/* the TCB, to come back to */
	lea	-RED_ZONE_SIZE(%rcx), %rsp
	and	$-16, %rsp
	push	%r9
	push	%r8
	push	%r10
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rax
	cmpb	$0, arch_gs_program(%rip)
	je	3f
	mov	TCB_APP_GS(%r13), %rsi	/* the program's %gs, for its mask's time */
	cmpb	$0, arch_has_fsgsbase(%rip)
	je	4f
	wrgsbase %rsi
	jmp	3f
4:	mov	$ARCH_SET_GS, %edi
	mov	$__NR_arch_prctl, %eax
	syscall
	.globl	arch_app_gs_window_start
	.hidden	arch_app_gs_window_start
arch_app_gs_window_start:
3:	mov	$__NR_rt_sigprocmask, %eax /* (SIG_SETMASK, the program's, 0, 8) */
	mov	$MASK_SETMASK, %edi
	lea	UC_SIGMASK(%r12), %rsi
	xor	%edx, %edx
	mov	$SIGSET_SIZE, %r10d
	syscall
	pop	%rax
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%r10
	pop	%r8
	pop	%r9
	syscall
	.globl	arch_app_syscall_masked_done
	.hidden	arch_app_syscall_masked_done
arch_app_syscall_masked_done:
	mov	%rax, %r12		/* nothing is written after the syscall: */
	mov	$__NR_rt_sigprocmask, %eax /* it may have made this stack */
	mov	$MASK_SETMASK, %edi	/* read-only (mprotect of the */
	lea	all_blocked(%rip), %rsi	/* alternate stack, trapped) */
	xor	%edx, %edx
	mov	$SIGSET_SIZE, %r10d
	syscall
	.globl	arch_app_gs_window_end
	.hidden	arch_app_gs_window_end
arch_app_gs_window_end:
	cmpb	$0, arch_gs_program(%rip)	/* the TCB again */
	je	5f
	cmpb	$0, arch_has_fsgsbase(%rip)
	je	6f
	wrgsbase %r13
	jmp	5f
6:	mov	$ARCH_SET_GS, %edi
	mov	%r13, %rsi
	mov	$__NR_arch_prctl, %eax
	syscall
5:	mov	%r12, %rax
	mov	-8(%rbx), %r12
	.cfi_restore r12
	mov	-16(%rbx), %r13
	.cfi_restore r13
	jmp	0b
	.cfi_endproc
	.size	arch_app_syscall6, . - arch_app_syscall6

	.section .rodata
	.balign	8
all_blocked:
	.quad	-1

	.section .note.GNU-stack, "", @progbits
