// SPDX-License-Identifier: MIT
/*
 * The generator of asm-offsets.h: every offset, size and constant that the
 * .S files share with C, taken from the C structs and headers themselves
 * (entry.h, frame.h), as the kernel's and Gramine's asm-offsets do. The
 * build compiles this file to assembly only (never to an object, never
 * linked) and gen-asm-offsets.py turns each "->NAME VALUE" line the
 * DEFINE()s emit into a #define. Its asm strings produce text, not code.
 */
#include <stddef.h>

#include <asm/signal.h>

#include "entry.h"
#include "frame.h"

#define DEFINE(name, value)        __asm__ volatile("\n.ascii \"->" #name " %c0\"" : : "i"((long)(value)))
#define OFFSET(name, type, member) DEFINE(name, offsetof(type, member))

void asm_offsets(void);

void asm_offsets(void)
{
	/* The TCB head, through %gs (entry.h). */
	OFFSET(TCB_SELF, struct arch_tcb, self);
	OFFSET(TCB_ENTRY_SP, struct arch_tcb, entry_sp);
	OFFSET(TCB_ENTRY_FN, struct arch_tcb, entry_fn);
	OFFSET(TCB_STACK_HI, struct arch_tcb, stack_hi);
	OFFSET(TCB_SYSCALL_SP, struct arch_tcb, syscall_sp);
	OFFSET(TCB_DISPATCH, struct arch_tcb, dispatch);
	OFFSET(TCB_GS_PROGRAM, struct arch_tcb, gs_program);
	OFFSET(TCB_APP_GS, struct arch_tcb, app_gs);
	DEFINE(SLICE_SIZE, ARCH_SLICE);
	DEFINE(CHILD_STACK_GAP, ARCH_CHILD_STACK_GAP);
	DEFINE(SYSCALL_MAX, ARCH_SYSCALL_MAX);

	/* What an entry does after the dispatcher (enum arch_entry_action). */
	DEFINE(ENTRY_RETURN, ARCH_ENTRY_RETURN);
	DEFINE(ENTRY_SIGRETURN, ARCH_ENTRY_SIGRETURN);
	DEFINE(ENTRY_EXIT, ARCH_ENTRY_EXIT);

	/* The callbacks (struct arch_entry_calls). */
	OFFSET(CALLS_REENTRY_CHECK, struct arch_entry_calls, reentry_check);
	OFFSET(CALLS_SIGNAL, struct arch_entry_calls, signal);
	OFFSET(CALLS_CHILD_START, struct arch_entry_calls, child_start);
	OFFSET(CALLS_GS_ENTER, struct arch_entry_calls, gs_enter);
	OFFSET(CALLS_HANDLER, struct arch_entry_calls, handler);

	/* A stub's words at the top of its slice, and the entry's frame. */
	DEFINE(WORDS_SIZE, sizeof(struct arch_stub_words));
	OFFSET(WORDS_CONT, struct arch_stub_words, cont);
	OFFSET(WORDS_RFLAGS, struct arch_stub_words, rflags);
	OFFSET(WORDS_ENTRY_SP, struct arch_stub_words, entry_sp);
	OFFSET(WORDS_APP_SP, struct arch_stub_words, app_sp);
	DEFINE(STUB_EPILOGUE_SIZE, ARCH_STUB_EPILOGUE_SIZE);
	DEFINE(FRAME_SIZE, sizeof(struct arch_frame));
	OFFSET(FRAME_RAX, struct arch_frame, rax);
	OFFSET(FRAME_RDI, struct arch_frame, rdi);
	OFFSET(FRAME_RSI, struct arch_frame, rsi);
	OFFSET(FRAME_RDX, struct arch_frame, rdx);
	OFFSET(FRAME_WORDS, struct arch_frame, stub);
	OFFSET(FRAME_ENTRY_SP, struct arch_frame, stub.entry_sp);
	OFFSET(FRAME_APP_SP, struct arch_frame, stub.app_sp);

	/* A clone child's first registers (struct arch_resume). */
	OFFSET(RESUME_R15, struct arch_resume, r15);
	OFFSET(RESUME_R14, struct arch_resume, r14);
	OFFSET(RESUME_R13, struct arch_resume, r13);
	OFFSET(RESUME_R12, struct arch_resume, r12);
	OFFSET(RESUME_RBP, struct arch_resume, rbp);
	OFFSET(RESUME_RBX, struct arch_resume, rbx);
	OFFSET(RESUME_R9, struct arch_resume, r9);
	OFFSET(RESUME_R8, struct arch_resume, r8);
	OFFSET(RESUME_R10, struct arch_resume, r10);
	OFFSET(RESUME_RDX, struct arch_resume, rdx);
	OFFSET(RESUME_RSI, struct arch_resume, rsi);
	OFFSET(RESUME_RDI, struct arch_resume, rdi);
	OFFSET(RESUME_RAX, struct arch_resume, rax);
	OFFSET(RESUME_RIP, struct arch_resume, rip);
	OFFSET(RESUME_RFLAGS, struct arch_resume, rflags);
	OFFSET(RESUME_RSP, struct arch_resume, rsp);

	/* The kernel's signal frame: the mask a trap's syscall runs with, and
	 * the registers the restorer's CFI reads. */
	OFFSET(UC_SIGMASK, struct arch_ucontext, uc_sigmask);
	OFFSET(UC_R8, struct arch_ucontext, uc_mcontext.r8);
	OFFSET(UC_R9, struct arch_ucontext, uc_mcontext.r9);
	OFFSET(UC_R10, struct arch_ucontext, uc_mcontext.r10);
	OFFSET(UC_R11, struct arch_ucontext, uc_mcontext.r11);
	OFFSET(UC_R12, struct arch_ucontext, uc_mcontext.r12);
	OFFSET(UC_R13, struct arch_ucontext, uc_mcontext.r13);
	OFFSET(UC_R14, struct arch_ucontext, uc_mcontext.r14);
	OFFSET(UC_R15, struct arch_ucontext, uc_mcontext.r15);
	OFFSET(UC_RDI, struct arch_ucontext, uc_mcontext.rdi);
	OFFSET(UC_RSI, struct arch_ucontext, uc_mcontext.rsi);
	OFFSET(UC_RBP, struct arch_ucontext, uc_mcontext.rbp);
	OFFSET(UC_RBX, struct arch_ucontext, uc_mcontext.rbx);
	OFFSET(UC_RDX, struct arch_ucontext, uc_mcontext.rdx);
	OFFSET(UC_RAX, struct arch_ucontext, uc_mcontext.rax);
	OFFSET(UC_RCX, struct arch_ucontext, uc_mcontext.rcx);
	OFFSET(UC_RSP, struct arch_ucontext, uc_mcontext.rsp);
	OFFSET(UC_RIP, struct arch_ucontext, uc_mcontext.rip);
	DEFINE(SIGSET_SIZE, sizeof(uint64_t));
	DEFINE(MASK_SETMASK, SIG_SETMASK);
}
