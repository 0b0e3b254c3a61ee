/* SPDX-License-Identifier: MIT */
/*
 * The interception core's entry and exit paths, and the syscalls that
 * cannot return through C: sigreturn, thread exit, clone children.
 *
 * arch_syscall_entry: called by every stub through %gs:0x10 (see
 * stub_template.S for the state on entry). Builds struct arch_frame
 * (frame.h) below the stub's four words, calls
 *     long hook_syscall(struct arch_frame *f, struct tls_tcb *t)
 * and acts on its answer:
 *     0                 return to the stub with the result in %rax
 *     HOOK_DO_SIGRETURN rt_sigreturn on the program's stack
 *     HOOK_DO_EXIT      free the thread's LibOS memory and exit
 * Stack layout (E = the slice top):
 *     E-0x08 .. E-0x20   the stub's words (A, E, flags, cont)
 *     E-0x28 .. E-0x88   rax rdi rsi rdx r10 r8 r9 rbx rbp r12 r13 r14 r15
 *     E-0x90             padding: %rsp = E-0x90 is 16-byte aligned
 * The only syscall instructions that reach the kernel are in the loader's
 * text (this file and the C raw-syscall helper): Syscall User Dispatch
 * lets exactly that range through.
 */
#include "offsets.h"

#define HOOK_DO_SIGRETURN 1
#define HOOK_DO_EXIT      2

#define F_RAX     0x68
#define F_ENTRY   0x80
#define F_APP_SP  0x88

	/* With hook_syscall and the passthrough module: one page of code
	 * for the whole fast path (tls/tcb.h says why that matters). */
	.section .text.hot.libos_entry, "ax", @progbits
	.globl	arch_syscall_entry
	.hidden	arch_syscall_entry
	.type	arch_syscall_entry, @function
arch_syscall_entry:
	.cfi_startproc
	push	%rax
	push	%rdi
	push	%rsi
	push	%rdx
	push	%r10
	push	%r8
	push	%r9
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp
	.cfi_adjust_cfa_offset 0x70
	cld				/* C may use string instructions */
	mov	%gs:TCB_STACK_HI, %rcx
	cmp	%rcx, F_ENTRY(%rsp)
	jne	3f			/* outer entries in progress */
0:	mov	%rsp, %rdi
	mov	%gs:TCB_SELF, %rsi
	call	hook_syscall
	test	%rax, %rax
	jnz	1f
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	pop	%r9
	pop	%r8
	pop	%r10
	pop	%rdx
	pop	%rsi
	pop	%rdi
	pop	%rax			/* the result */
	.cfi_adjust_cfa_offset -0x70
	ret
1:	cmp	$HOOK_DO_SIGRETURN, %rax
	jne	2f
	/* rt_sigreturn reads its frame at the program's %rsp: go there, give
	 * the slice back, and let the kernel restore everything. */
	mov	F_ENTRY(%rsp), %rcx
	mov	F_APP_SP(%rsp), %rsp
	mov	%rcx, %gs:TCB_ENTRY_SP
	mov	$15, %eax
	syscall
	ud2
2:	/* HOOK_DO_EXIT: hook_syscall left the exit status in the frame's rdi
	 * and the mapping to free in its rsi/rdx. Unmap from the program's
	 * stack, then exit: no memory of ours is touched in between. */
	mov	0x60(%rsp), %rbx	/* status (frame rdi) */
	mov	0x58(%rsp), %rdi	/* map base (frame rsi) */
	mov	0x50(%rsp), %rsi	/* map size (frame rdx) */
	mov	F_APP_SP(%rsp), %rsp
	mov	$11, %eax		/* munmap */
	syscall
	mov	%rbx, %rdi
	mov	$60, %eax		/* exit */
	syscall
	ud2
3:	/* Nested in another entry, or below entries a signal handler
	 * abandoned (hooks/reentry.c). If those are dead, move this frame
	 * (E-0x90..E) to the top of the outermost one and go on there:
	 * first the copy, then %rsp, then entry_sp, so that a handler
	 * running in between never finds a slice in use. */
	lea	F_ENTRY(%rsp), %rdi
	mov	%gs:TCB_SELF, %rsi
	call	hook_reentry_check
	test	%rax, %rax
	jz	0b
	lea	-0x90(%rax), %rdi
	mov	%rsp, %rsi
	mov	$0x12, %ecx
	rep movsq
	lea	-0x90(%rax), %rsp
	mov	%rax, F_ENTRY(%rsp)	/* the epilogue gives this slice back */
	sub	$ARCH_SLICE, %rax
	mov	%rax, %gs:TCB_ENTRY_SP
	jmp	0b
	.cfi_endproc
	.size	arch_syscall_entry, . - arch_syscall_entry

/*
 * long arch_app_syscall6(long nr, long a1, ..., long a6)
 * The program's syscall, on the program's stack (%gs:TCB_SYSCALL_SP, the
 * %rsp it made the syscall with): the kernel puts a signal frame 128
 * bytes below %rsp, or on the alternate stack unless %rsp is on it
 * already, exactly as for the program's own syscall instruction. Nothing
 * is written there by us; %rbx holds our stack across the syscall (the
 * kernel keeps it, and so does a handler's sigreturn). A fork child comes
 * back the same way on its copy.
 * In a trap (bit 0 set, tls/tcb.h) the value is the SIGSYS ucontext: the
 * syscall runs below that frame (the restorer's address just under it
 * stays), with the program's mask, saved in the frame, for exactly its
 * duration; all signals are blocked again before %rsp leaves. A syscall
 * that never sleeps (hooks/never_sleeps.c) skips the two mask changes.
 */
	.globl	arch_app_syscall6
	.hidden	arch_app_syscall6
	.type	arch_app_syscall6, @function
arch_app_syscall6:
	.cfi_startproc
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	mov	%rsp, %rbx
	.cfi_def_cfa_register rbx
	mov	%gs:TCB_SYSCALL_SP, %rcx
	test	$1, %cl
	jnz	1f
	test	%rcx, %rcx
	cmovnz	%rcx, %rsp
	syscall
0:	mov	%rbx, %rsp
	.cfi_def_cfa_register rsp
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
	.cfi_def_cfa_register rbx
1:	cmp	$512, %rax		/* one that never sleeps needs no mask: */
	jae	2f			/* nothing can arrive during it, and what */
	bt	%rax, hook_never_sleeps(%rip) /* is pending arrives at the */
	jnc	2f			/* net's sigreturn, right after it */
	syscall
	jmp	0b
2:	push	%r12			/* on our stack still: (%rbx) - 8 */
	and	$-2, %rcx
	mov	%rcx, %r12		/* the ucontext */
	lea	-0x80(%rcx), %rsp
	and	$-16, %rsp
	push	%r9
	push	%r8
	push	%r10
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rax
	mov	$14, %eax		/* rt_sigprocmask(SIG_SETMASK, saved, 0, 8) */
	mov	$2, %edi
	lea	0x128(%r12), %rsi
	xor	%edx, %edx
	mov	$8, %r10d
	syscall
	pop	%rax
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%r10
	pop	%r8
	pop	%r9
	syscall
	mov	%rax, %r12
	push	$-1			/* all */
	mov	$14, %eax
	mov	$2, %edi
	mov	%rsp, %rsi
	xor	%edx, %edx
	mov	$8, %r10d
	syscall
	mov	%r12, %rax
	mov	-8(%rbx), %r12
	jmp	0b
	.cfi_endproc
	.size	arch_app_syscall6, . - arch_app_syscall6

	.text

/*
 * void arch_sigreturn(uintptr_t app_sp)
 * rt_sigreturn for a frame at app_sp, from the SIGSYS handler: the net
 * caught the program's own rt_sigreturn, which must run on its stack.
 */
	.globl	arch_sigreturn
	.hidden	arch_sigreturn
	.type	arch_sigreturn, @function
arch_sigreturn:
	.cfi_startproc
	mov	%rdi, %rsp
	mov	$15, %eax
	syscall
	ud2
	.cfi_endproc
	.size	arch_sigreturn, . - arch_sigreturn

/* The restorer of the loader's own SIGSYS handler. */
	.globl	arch_sigsys_restorer
	.hidden	arch_sigsys_restorer
	.type	arch_sigsys_restorer, @function
arch_sigsys_restorer:
	mov	$15, %eax
	syscall
	ud2
	.size	arch_sigsys_restorer, . - arch_sigsys_restorer

/*
 * long arch_clone_raw(long nr, long a1, long a2, long a3, long a4, long a5,
 *                     struct tls_tcb *child)
 * The raw clone/clone3/vfork. In the parent it returns the kernel's value.
 * The child (%rax = 0) may be on a new stack, or on the parent's stacks
 * (vfork), which it must not write: it switches %gs to its own TCB
 * (kept in %r12 across the syscall) and %rsp to its own LibOS stack with
 * no stack access, then calls tls_child_entry(child), which never returns.
 */
	.globl	arch_clone_raw
	.hidden	arch_clone_raw
	.type	arch_clone_raw, @function
arch_clone_raw:
	.cfi_startproc
	push	%r12
	.cfi_adjust_cfa_offset 8
	mov	16(%rsp), %r12
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	syscall
	test	%rax, %rax
	jz	1f
	pop	%r12
	.cfi_adjust_cfa_offset -8
	ret
1:	.cfi_undefined rip
	mov	$158, %eax		/* arch_prctl(ARCH_SET_GS, child) */
	mov	$0x1001, %edi
	mov	%r12, %rsi
	syscall
	mov	TCB_STACK_HI(%r12), %rsp /* the child's stack_hi, less the words */
	sub	$0x40, %rsp		/* tls_child_entry may lay out there */
	xor	%ebp, %ebp
	mov	%r12, %rdi
	call	tls_child_entry
	ud2
	.cfi_endproc
	.size	arch_clone_raw, . - arch_clone_raw

/*
 * void arch_resume(const struct arch_resume *r)
 * Start a thread with the registers in r: %rcx = rip and %r11 = rflags,
 * as after a syscall. The flags are set while still on our stack; nothing
 * is written on the program's.
 */
#define R_RIP    0x68
#define R_RFLAGS 0x70
#define R_RSP    0x78
	.globl	arch_resume
	.hidden	arch_resume
	.type	arch_resume, @function
arch_resume:
	.cfi_startproc
	.cfi_undefined rip
	mov	%rdi, %r11
	mov	0x00(%r11), %r15
	mov	0x08(%r11), %r14
	mov	0x10(%r11), %r13
	mov	0x18(%r11), %r12
	mov	0x20(%r11), %rbp
	mov	0x28(%r11), %rbx
	mov	0x30(%r11), %r9
	mov	0x38(%r11), %r8
	mov	0x40(%r11), %r10
	mov	0x48(%r11), %rdx
	mov	0x50(%r11), %rsi
	mov	0x58(%r11), %rdi
	mov	0x60(%r11), %rax
	pushq	R_RFLAGS(%r11)
	popfq
	mov	R_RSP(%r11), %rsp
	mov	R_RIP(%r11), %rcx
	mov	R_RFLAGS(%r11), %r11
	jmp	*%rcx
	.cfi_endproc
	.size	arch_resume, . - arch_resume

/*
 * void arch_exit_thread(uintptr_t app_sp, void *base, size_t size, int status)
 * A thread's end: off the LibOS stack (it is about to be unmapped), unmap
 * the thread's LibOS memory, exit. Registers only in between.
 */
	.globl	arch_exit_thread
	.hidden	arch_exit_thread
	.type	arch_exit_thread, @function
arch_exit_thread:
	.cfi_startproc
	mov	%rdi, %rsp
	mov	%ecx, %ebx
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	$11, %eax		/* munmap */
	syscall
	mov	%ebx, %edi
	mov	$60, %eax		/* exit */
	syscall
	ud2
	.cfi_endproc
	.size	arch_exit_thread, . - arch_exit_thread

/*
 * void arch_sigsys_entry(int sig, siginfo_t *info, ucontext_t *uc)
 * The SIGSYS handler the kernel calls, on the program's stack or its
 * alternate stack. Moves to a LibOS stack slice with the stubs' protocol
 * (stub_template.S), calls hook_sigsys(info, uc, tcb, words) where words
 * is {E, the handler's %rsp} at E-0x10 as a stub leaves them, comes back
 * and returns to the restorer. Flags need no care: sigreturn restores
 * them.
 */
	.globl	arch_sigsys_entry
	.hidden	arch_sigsys_entry
	.type	arch_sigsys_entry, @function
arch_sigsys_entry:
	.cfi_startproc
	mov	%gs:TCB_ENTRY_SP, %rcx
	lea	-ARCH_SLICE(%rcx), %r11
	mov	%r11, %gs:TCB_ENTRY_SP
	mov	%rsp, %r11
	mov	%rcx, %rsp
	push	%r11
	push	%rcx
	cmp	%gs:TCB_STACK_HI, %rcx
	jne	1f			/* outer entries in progress */
0:	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%gs:TCB_SELF, %rdx
	mov	%rsp, %rcx
	call	hook_sigsys
	pop	%rcx
	pop	%r11
	mov	%r11, %rsp
	mov	%rcx, %gs:TCB_ENTRY_SP
	ret
1:	/* As in arch_syscall_entry: move to the top of the outermost slice
	 * abandoned entries left, if any. Any register may be used: the
	 * restorer's rt_sigreturn restores them all. */
	mov	%rsi, %rbx
	mov	%rdx, %r12
	mov	%rsp, %rdi
	mov	%gs:TCB_SELF, %rsi
	call	hook_reentry_check
	mov	%rbx, %rsi
	mov	%r12, %rdx
	test	%rax, %rax
	jz	0b
	mov	8(%rsp), %r11		/* the handler's %rsp */
	lea	-0x10(%rax), %rsp
	mov	%r11, 8(%rsp)
	mov	%rax, (%rsp)
	sub	$ARCH_SLICE, %rax
	mov	%rax, %gs:TCB_ENTRY_SP
	jmp	0b
	.cfi_endproc
	.size	arch_sigsys_entry, . - arch_sigsys_entry

/* struct tls_tcb *arch_gs_self(void): the TCB's self pointer at %gs:0. */
	.globl	arch_gs_self
	.hidden	arch_gs_self
	.type	arch_gs_self, @function
arch_gs_self:
	mov	%gs:TCB_SELF, %rax
	ret
	.size	arch_gs_self, . - arch_gs_self

/* void arch_wrgsbase(void *base): where FSGSBASE is enabled. */
	.globl	arch_wrgsbase
	.hidden	arch_wrgsbase
	.type	arch_wrgsbase, @function
arch_wrgsbase:
	wrgsbase %rdi
	ret
	.size	arch_wrgsbase, . - arch_wrgsbase

	.section .note.GNU-stack, "", @progbits
