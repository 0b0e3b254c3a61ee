/* SPDX-License-Identifier: MIT */
/*
 * The program's registers as the interception core holds them.
 *
 * struct arch_frame is what a stub and arch_syscall_entry leave on the LibOS
 * stack (syscall_entry.S builds it, lowest address first): the registers
 * the kernel would have kept across the syscall, the number in rax (the
 * result is written back there), and the four words the stub pushed.
 * struct arch_resume is a thread's first register set after clone: where
 * it starts, with which registers and flags, on which stack.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct arch_frame {
	uint64_t pad; /* keeps the C call 16-byte aligned */
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t r9, r8, r10, rdx, rsi, rdi; /* arguments 6..1 */
	uint64_t rax;      /* the number on entry, the result on return */
	uint64_t cont;     /* the stub's epilogue, where arch_syscall_entry returns */
	uint64_t rflags;   /* the program's flags at the syscall */
	uint64_t entry_sp; /* the top of this entry's stack slice */
	uint64_t app_sp;   /* the program's %rsp */
};

_Static_assert(offsetof(struct arch_frame, rax) == 13 * 8, "syscall_entry.S push order");
_Static_assert(offsetof(struct arch_frame, cont) == 14 * 8, "syscall_entry.S frame");
_Static_assert(offsetof(struct arch_frame, app_sp) == 17 * 8, "syscall_entry.S frame");
_Static_assert(sizeof(struct arch_frame) % 16 == 0, "16-byte aligned C call");

struct arch_resume {
	uint64_t r15, r14, r13, r12, rbp, rbx;
	uint64_t r9, r8, r10, rdx, rsi, rdi, rax;
	uint64_t rip;    /* where to start; also the value of rcx, as after a syscall */
	uint64_t rflags; /* also the value of r11, as after a syscall */
	uint64_t rsp;
};

_Static_assert(offsetof(struct arch_resume, rip) == 13 * 8, "syscall_entry.S resume");
_Static_assert(offsetof(struct arch_resume, rsp) == 15 * 8, "syscall_entry.S resume");

#endif
