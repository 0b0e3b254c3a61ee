/* SPDX-License-Identifier: MIT */
/*
 * The program's registers as the interception core holds them.
 *
 * struct arch_frame is what a stub and arch_syscall_entry leave on the LibOS
 * stack (syscall_entry.S builds it, lowest address first): the registers
 * the kernel would have kept across the syscall, the number in rax (the
 * result is written back there), and the four words the stub pushed
 * (struct arch_stub_words, stub_template.S).
 * struct arch_resume is a thread's first register set after clone: where
 * it starts, with which registers and flags, on which stack.
 * struct arch_ucontext is the ucontext the kernel writes for a signal.
 * asm-offsets.c gives the .S files every offset they use from these.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <asm/sigcontext.h>
#include <stddef.h>
#include <stdint.h>

/* What a stub pushes at the top of its LibOS slice (E), lowest first: it
 * ends at E, so app_sp is at E - 8. */
struct arch_stub_words {
	uint64_t cont;     /* the stub's epilogue, where arch_syscall_entry returns */
	uint64_t rflags;   /* the program's flags at the syscall */
	uint64_t entry_sp; /* E, the top of this entry's stack slice */
	uint64_t app_sp;   /* the program's %rsp */
};

struct arch_frame {
	uint64_t pad; /* keeps the C call 16-byte aligned */
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t r9, r8, r10, rdx, rsi, rdi; /* arguments 6..1 */
	uint64_t rax;                        /* the number on entry, the result on return */
	struct arch_stub_words stub;
};

_Static_assert(sizeof(struct arch_frame) % 16 == 0, "16-byte aligned C call");

struct arch_resume {
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t r9, r8, r10, rdx, rsi, rdi, rax;
	uint64_t rip;    /* where to start; also the value of rcx, as after a syscall */
	uint64_t rflags; /* also the value of r11, as after a syscall */
	uint64_t rsp;
};

/* ucontext_t as the kernel writes it on x86-64 (uc_sigmask: the mask to
 * restore at rt_sigreturn, 8 bytes of it). */
struct arch_ucontext {
	uint64_t uc_flags;
	struct arch_ucontext *uc_link;
	struct {
		uint64_t ss_sp;
		int32_t ss_flags;
		uint64_t ss_size;
	} uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};
_Static_assert(offsetof(struct arch_ucontext, uc_mcontext) == 0x28, "the kernel's ucontext");
_Static_assert(offsetof(struct arch_ucontext, uc_sigmask) == 0x128, "the kernel's ucontext");

#endif
