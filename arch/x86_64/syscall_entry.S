/* SPDX-License-Identifier: MIT */
/*
 * arch_syscall_entry: where every stub enters the LibOS.
 *
 * Register contract on entry (called by a stub's prologue through
 * %gs:TCB_ENTRY_FN, see stub_template.S): every register is the program's
 * but %rcx and %r11 (free: a syscall clobbers them), %rax is the syscall
 * number, %rsp is on this entry's LibOS slice below the stub's words.
 * On return (to the stub's epilogue, cont): every register the program's,
 * %rax the result, %rsp = E - WORDS_SIZE + 8 (the words but cont).
 *
 * Stack layout, E the slice's top (struct arch_stub_words, struct
 * arch_frame in frame.h; the offsets come from asm-offsets.h):
 *
 *     E - 0x08            app_sp   the program's %rsp (A)
 *     E - 0x10            entry_sp E
 *     E - 0x18            rflags   the program's flags
 *     E - 0x20            cont     the return address, in the stub
 *     E - 0x28 .. E-0x88  rax rdi rsi rdx r10 r8 r9 rbx rbp r12 r13 r14 r15
 *     E - 0x90            pad      %rsp, 16-byte aligned for the C call
 *
 * It calls the dispatcher, %gs:TCB_DISPATCH (struct arch_tcb):
 *     long dispatch(struct arch_frame *f, struct arch_tcb *t)
 * and acts on its answer (enum arch_entry_action, entry.h):
 *     ENTRY_RETURN     return to the stub with the result in %rax
 *     ENTRY_SIGRETURN  rt_sigreturn on the program's stack
 *     ENTRY_EXIT       unmap the thread's LibOS memory and exit
 *
 * The CFI describes the program's frame as this function's caller, not
 * the stub's: the caller's %rsp is A, and its return address is the
 * instruction after the program's syscall, which the stub's epilogue
 * holds in its final `lea disp32(%rip)` (at cont + STUB_EPILOGUE_SIZE - 4,
 * relative to cont + STUB_EPILOGUE_SIZE). A debugger's backtrace from the
 * dispatcher therefore goes on into the program's own frames.
 */
#include <asm/unistd.h>

#include "asm-offsets.h"
#include "cfi.inc"
#include "program_gs.inc"

	/* With the dispatcher and the passthrough module: one page of code
	 * for the whole fast path (tls/tcb.h says why that matters). */
	.section .text.hot.libos_entry, "ax", @progbits
	.globl	arch_syscall_entry
	.hidden	arch_syscall_entry
	.type	arch_syscall_entry, @function
arch_syscall_entry:
	.cfi_startproc
	/* The CFA is E: the stub's words lie just below it. */
	.cfi_def_cfa rsp, WORDS_SIZE
	.cfi_escape DW_CFA_val_expression, DW_REG_RSP, 4, \
		DW_OP_constu, WORDS_SIZE - WORDS_APP_SP, DW_OP_minus, DW_OP_deref
	.cfi_escape DW_CFA_val_expression, DW_REG_RIP, 24, \
		DW_OP_constu, WORDS_SIZE - WORDS_CONT, DW_OP_minus, DW_OP_deref, \
		DW_OP_plus_uconst, STUB_EPILOGUE_SIZE, DW_OP_dup, DW_OP_lit4, DW_OP_minus, \
		DW_OP_deref_size, 4, \
		DW_OP_const4u, 0, 0, 0, 0x80, DW_OP_xor, DW_OP_const4u, 0, 0, 0, 0x80, DW_OP_minus, \
		DW_OP_plus
	.cfi_offset DW_REG_RFLAGS, WORDS_RFLAGS - WORDS_SIZE
	push	%rax
	.cfi_adjust_cfa_offset 8
	push	%rdi
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rdi, 0
	push	%rsi
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rsi, 0
	push	%rdx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rdx, 0
	push	%r10
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r10, 0
	push	%r8
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r8, 0
	push	%r9
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r9, 0
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	push	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	push	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	push	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r13, 0
	push	%r14
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r14, 0
	push	%r15
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r15, 0
	sub	$8, %rsp
	.cfi_adjust_cfa_offset 8
	/* From here on the CFA is %rsp + FRAME_SIZE, on every path that
	 * stays on this stack. */
	cld				/* C may use string instructions */
	mov	%gs:TCB_STACK_HI, %rcx
	cmp	%rcx, FRAME_ENTRY_SP(%rsp)
	jne	3f			/* outer entries in progress */
0:	mov	%rsp, %rdi
	mov	%gs:TCB_SELF, %rsi
	call	*%gs:TCB_DISPATCH
	test	%rax, %rax
	jnz	1f
	.cfi_remember_state
	add	$8, %rsp
	.cfi_adjust_cfa_offset -8
	pop	%r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore r15
	pop	%r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore r14
	pop	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	pop	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	pop	%r9
	.cfi_adjust_cfa_offset -8
	.cfi_restore r9
	pop	%r8
	.cfi_adjust_cfa_offset -8
	.cfi_restore r8
	pop	%r10
	.cfi_adjust_cfa_offset -8
	.cfi_restore r10
	pop	%rdx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rdx
	pop	%rsi
	.cfi_adjust_cfa_offset -8
	.cfi_restore rsi
	pop	%rdi
	.cfi_adjust_cfa_offset -8
	.cfi_restore rdi
	pop	%rax			/* the result */
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_restore_state
	.cfi_remember_state
1:	cmp	$ENTRY_SIGRETURN, %rax
	jne	2f
	/* rt_sigreturn reads its frame at the program's %rsp: go there, give
	 * the slice back, and let the kernel restore everything. */
	mov	FRAME_ENTRY_SP(%rsp), %rcx
	mov	FRAME_APP_SP(%rsp), %rsp
	.cfi_undefined rip		/* nothing returns from here */
	mov	%rcx, %gs:TCB_ENTRY_SP
	program_gs_put			/* the program's %gs, when it owns it */
	mov	$__NR_rt_sigreturn, %eax
	syscall
	ud2
	.cfi_restore_state
	.cfi_remember_state
2:	/* ENTRY_EXIT: the dispatcher left the exit status in the frame's rdi
	 * and the mapping to free in its rsi and rdx. Unmap from the
	 * program's stack, then exit: no memory of ours is touched in
	 * between. */
	mov	FRAME_RDI(%rsp), %rbx	/* status */
	mov	FRAME_RSI(%rsp), %rdi	/* map base */
	mov	FRAME_RDX(%rsp), %rsi	/* map size */
	mov	FRAME_APP_SP(%rsp), %rsp
	.cfi_undefined rip
	test	%rsi, %rsi		/* 0: kept (the program's seccomp */
	jz	4f			/* forbids the unmap: hooks/exit.c) */
	mov	$__NR_munmap, %eax
	syscall
4:	mov	%rbx, %rdi
	mov	$__NR_exit, %eax
	syscall
	ud2
	.cfi_restore_state
3:	/* Nested in another entry, or below entries a signal handler
	 * abandoned (hooks/reentry.c). If those are dead, move this frame
	 * (E - FRAME_SIZE .. E) to the top of the outermost one and go on
	 * there: first the copy, then %rsp, then entry_sp, so that a handler
	 * running in between never finds a slice in use. */
	lea	FRAME_ENTRY_SP(%rsp), %rdi
	mov	%gs:TCB_SELF, %rsi
	call	*arch_entry_calls+CALLS_REENTRY_CHECK(%rip)
	test	%rax, %rax
	jz	0b
	lea	-FRAME_SIZE(%rax), %rdi
	mov	%rsp, %rsi
	mov	$(FRAME_SIZE / 8), %ecx
	rep movsq
	lea	-FRAME_SIZE(%rax), %rsp
	mov	%rax, FRAME_ENTRY_SP(%rsp) /* the epilogue gives this slice back */
	sub	$SLICE_SIZE, %rax
	mov	%rax, %gs:TCB_ENTRY_SP
	jmp	0b
	.cfi_endproc
	.size	arch_syscall_entry, . - arch_syscall_entry

	.section .note.GNU-stack, "", @progbits
