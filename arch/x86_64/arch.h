/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 contract the rest of the loader relies on: what arch/x86_64
 * provides, declared in one place. Generic code includes this header, never
 * an assembly file's internals.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "frame.h"

/* Start the program: copy the finished initial stack to sp and jump to
 * entry with every register as the kernel leaves it. Never returns. */
__attribute__((noreturn)) void arch_enter_program(const void *image, size_t size, void *sp,
						  uintptr_t entry);

/* Apply the relocations start-up left for later (Capstone's tables):
 * call before Capstone's first use. Not thread-safe. */
void arch_relocate_lazy(void);

/* --- the syscall instruction (syscall_insn.c) --- */

#define ARCH_SYSCALL_SIZE 2 /* 0f 05 */

/* Whether the ARCH_SYSCALL_SIZE bytes at p encode syscall. */
static inline int arch_is_syscall(const uint8_t *p)
{
	return p[0] == 0x0f && p[1] == 0x05;
}

/* The first syscall encoding in [p, end), or NULL. A byte pattern, not an
 * instruction: it may lie inside another one, which only decoding tells. */
const uint8_t *arch_find_syscall(const uint8_t *p, const uint8_t *end);
/* Whether [p, end) holds the bytes of a wrgsbase (f3 [rex] 0f ae /3,
 * register form): code that may set %gs behind the loader's back. A byte
 * pattern too, so it may say yes for code that has none (never no for
 * code that has one); no object of this machine's /usr has it. */
int arch_code_writes_gs(const uint8_t *p, const uint8_t *end);

/* --- direct branches as bytes (branch_scan.c) --- */

/* Call add(ctx, target) for the target of every call/jmp/jcc rel32
 * encoding in [code, code + size) (code at address addr) that lands in
 * [lo, hi). A byte pattern, like arch_find_syscall's. Returns 0 or the
 * first negative value add returned. */
int arch_scan_branches(const uint8_t *code, uint64_t addr, size_t size, uint64_t lo, uint64_t hi,
		       int (*add)(void *ctx, uint64_t target), void *ctx);

/* --- the time-stamp counter (tsc.c) --- */

/* The length of the rdtsc (2) or rdtscp (3) at code (n bytes readable),
 * else 0. */
int arch_tsc_instruction(const uint8_t *code, size_t n, int *is_rdtscp);
/* rdtsc, where the thread may (PR_SET_TSC). */
uint64_t arch_read_tsc(void);

/* --- the interception core (syscall_entry.S and the other entry paths) --- */

/* A syscall of the program, made with %rsp = the TCB's syscall_sp (the
 * program's stack) so that signals arrive there as they would natively
 * (app_syscall.S). Returns the kernel's value. */
long arch_app_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* A signal handler of the loader's own, with the ucontext uc the kernel
 * gave it (app_syscall_restart.c). interrupted: the number of the
 * program's syscall that the signal interrupted with EINTR at uc (a
 * syscall of arch_app_syscall6's), else -1; restart: make uc go back into
 * that syscall, as the kernel restarts one that no handler interrupted.
 * arg, set_arg: syscall argument i (0 to 5) of the interrupted call, in
 * uc. */
long arch_app_syscall_interrupted(const struct arch_ucontext *uc);
void arch_app_syscall_restart(struct arch_ucontext *uc, long nr);
uint64_t arch_app_syscall_arg(struct arch_ucontext *uc, int i);
void arch_app_syscall_set_arg(struct arch_ucontext *uc, int i, uint64_t value);
/* Called by every stub through the TCB's entry_fn. */
void arch_syscall_entry(void);
/* rt_sigreturn with the frame at app_sp. Never returns. */
__attribute__((noreturn)) void arch_sigreturn(uintptr_t app_sp);
/* The loader's own signal handler (SIGSYS; SIGSEGV and SIGILL for
 * --trap-rdtsc): calls arch_entry_calls.signal on a LibOS slice. */
void arch_sigsys_entry(void);
/* The real handler of each program action with a handler: enters it with
 * the kernel's registers, after arch_entry_calls.handler. */
void arch_handler_entry(void);
/* The restorer of the loader's own signal handlers. */
void arch_sigsys_restorer(void);
/* The raw clone family; the child starts on child's TCB and LibOS stack
 * with arch_entry_calls.child_start(child). */
long arch_clone_raw(long nr, long a1, long a2, long a3, long a4, long a5, struct arch_tcb *child);
/* Start a thread with registers r. Never returns. */
__attribute__((noreturn)) void arch_resume(const struct arch_resume *r);
/* The TCB at %gs:0. */
struct arch_tcb *arch_gs_self(void);
/* wrgsbase, only where AT_HWCAP2 has HWCAP2_FSGSBASE. */
void arch_wrgsbase(void *base);
/* Unmap [base, base + size) and exit the thread, from the stack app_sp. */
__attribute__((noreturn)) void arch_exit_thread(uintptr_t app_sp, void *base, size_t size,
						int status);

/* One bit per syscall that never sleeps (never_sleeps.c), for
 * app_syscall.S; filled once, before the program runs. */
extern uint64_t arch_never_sleeps[ARCH_SYSCALL_MAX / 64];
void arch_never_sleeps_init(void);
/* Non-zero: a trapped syscall runs with every signal blocked, without the
 * two mask changes around it, because the program's seccomp would not let
 * them through (hooks/seccomp.c). */
extern uint8_t arch_app_unmasked;

/* --- vector state, around code that may use it (Capstone) --- */

/* Bytes arch_fpu_save needs (64-byte aligned buffer). */
size_t arch_fpu_size(void);
void arch_fpu_save(void *buf);
void arch_fpu_restore(const void *buf);
uint64_t arch_fpu_features(void);

/* --- Syscall User Dispatch --- */

/* Turn SUD on for the calling thread: syscalls outside the loader's own
 * text trap when *selector is BLOCK. Returns 0 or -errno. */
int arch_sud_on(uint8_t *selector);
/* [lo, hi): the loader's own image, every PT_LOAD segment, page-rounded. */
void arch_self_range(uintptr_t *lo, uintptr_t *hi);
#define ARCH_SUD_ALLOW 0
#define ARCH_SUD_BLOCK 1
/* si_code of a SIGSYS raised by SUD. */
#define ARCH_SYS_USER_DISPATCH 2

#endif
