/* SPDX-License-Identifier: MIT */
/* The kernel's signal structures, as the signal hooks handle them. */
#ifndef HOOKS_SIGNALS_H
#define HOOKS_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

#define HOOK_SIGILL       4
#define HOOK_SIGSEGV      11
#define HOOK_SIGSYS       31
#define HOOK_SA_SIGINFO   0x00000004UL
#define HOOK_SA_ONSTACK   0x08000000UL
#define HOOK_SA_RESTORER  0x04000000UL
#define HOOK_SA_RESTART   0x10000000UL
#define HOOK_SA_NODEFER   0x40000000UL
#define HOOK_SA_RESETHAND 0x80000000UL
#define HOOK_SIG_DFL      0
#define HOOK_SIG_IGN      1

/* struct sigaction as rt_sigaction(2) takes it on x86-64. */
struct hook_ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* siginfo_t, the parts the loader reads. */
struct hook_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
		} kill;
		struct {
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		} sys;
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value; /* sigval */
		} queue;
	};
};
_Static_assert(offsetof(struct hook_siginfo, sys.syscall) == 24, "kernel siginfo");

#define HOOK_SI_TKILL     (-6)
#define HOOK_SI_QUEUE     (-1)
#define HOOK_SIGINFO_SIZE 128 /* siginfo_t, as the kernel copies it */

/* The vector state in a signal frame (deliver.c, stub_context.c): its
 * largest size (xsave areas are ~2.7 KiB with AVX-512), the legacy
 * fxsave part, and where struct _fpx_sw_bytes sits in it, with its magic. */
#define HOOK_FPSTATE_MAX     8192
#define HOOK_FXSAVE_SIZE     512
#define HOOK_SW_BYTES_OFFSET 464
#define HOOK_XSTATE_MAGIC1   0x46505853U
/* The size of the vector state the kernel saved at fp (the xsave size its
 * software bytes give, else fxsave's): deliver.c. */
uint64_t hook_fpstate_size(const uint8_t *fp);

struct tls_tcb;
struct hook_trap;

/* The program's own (virtual) SIGSYS action. */
/* The program's own action for sig if the loader owns sig's real action
 * (SIGSYS; SIGSEGV under --trap-rdtsc), else NULL. */
const struct hook_ksigaction *hook_app_action(int sig);
/* Start the program's action from the real one (before taking it). */
void hook_app_action_take(int sig);
/* SA_RESETHAND: the program's action becomes SIG_DFL. */
void hook_app_action_reset(int sig);

/* rt_sigaction for a signal whose real action is the program's (not
 * virtual): act (copied in, or NULL) with SIGSYS out of its mask and
 * arch_handler_entry as its handler; the old action, as the program set
 * it, to old_addr (app_handlers.c); in_trap: called from the net's
 * handler. Returns 0 or -errno. */
long hook_kernel_sigaction(struct tls_tcb *t, long sig, const struct hook_ksigaction *act,
			   uint64_t old_addr, int in_trap);
/* arch_entry_calls.handler: the program's virtual SIGSYS bit saved in
 * the frame at uc and set by the action's sa_mask; returns the
 * program's handler for sig. */
uintptr_t hook_handler_entry(int sig, void *info, void *uc);

/* Run the program's handler a (for sig, which the loader caught with
 * info and uc) as the kernel would have; returns only when the signal
 * goes to the default action (deliver.c). words: the entry's, as
 * hook_sigsys gets them. */
struct tls_tcb;
void hook_deliver(int sig, const void *info, struct arch_ucontext *uc, struct tls_tcb *t,
		  const uint64_t *words, const struct hook_ksigaction *a);

/* The program's registers at a stub's syscall (f) as a signal's ucontext
 * whose rax and rip (rcx too) are given, with the vector state saved in
 * fp (stub_context.c); every signal is blocked until rt_sigreturn puts
 * back the mask the context saved. */
#define HOOK_STUB_FP_SIZE (HOOK_FPSTATE_MAX + 64) /* + xsave's 64-byte alignment */
struct arch_frame;
void hook_stub_context(struct arch_ucontext *uc, uint8_t fp[HOOK_STUB_FP_SIZE],
		       const struct arch_frame *f, uint64_t rax, uint64_t rip);

/* The frame of a program's handler (its ucontext uc, at frame_uc in the
 * program's memory) that interrupted the program's syscall in the entry
 * whose slice ends at entry_top: the program's registers instead of the
 * loader's, which are kept for its rt_sigreturn (program_context.c).
 * return: that rt_sigreturn of the frame at app_sp: the loader's
 * registers back, or, if the handler changed the context, EINTR for the
 * loader and the change kept for the end of its entry: leave (from a
 * stub: does not return then) or trap_done (into the trap's context m). */
struct sigcontext;
void hook_program_context(struct tls_tcb *t, struct arch_ucontext *uc, uint64_t frame_uc,
			  uintptr_t entry_top);
void hook_program_context_return(struct tls_tcb *t, uint64_t app_sp);
void hook_program_context_leave(struct arch_frame *f, struct tls_tcb *t);
void hook_program_context_trap_done(struct sigcontext *m, uintptr_t entry_top,
				    const struct tls_tcb *t);

/* The loader's handler ran for a signal the program never sees (its
 * nudge, a SIGSYS the program blocks or ignores): a program syscall it
 * interrupted with EINTR at uc goes on as natively (interrupted.c). */
void hook_restart_unseen(struct arch_ucontext *uc);

/* The program's SIGSYS while it blocks it (sigsys_pending.c). hold:
 * keep the one that arrived (its siginfo at info), unless one is pending
 * already; held: one is pending for thread t; take: dequeue it into info
 * (1) or 0; discard: forget every one (SIG_IGN); release: if t no longer
 * blocks it, give it back to the kernel, which delivers it now. lend and
 * return: around a call with a mask of its own, make the held one the
 * kernel's (the real SIGSYS blocked meanwhile; lend says whether there
 * was one), then take back what it left. exec_prepare and exec_failed:
 * the program's SIGSYS mask, pending signal and SIG_IGN into the real
 * ones for an exec, and back when it failed; adopt: the new loader takes
 * them over. */
void hook_sigsys_hold(struct tls_tcb *t, const void *info);
int hook_sigsys_held(const struct tls_tcb *t);
int hook_sigsys_take(struct tls_tcb *t, void *info);
void hook_sigsys_discard(void);
void hook_sigsys_release(struct tls_tcb *t);
int hook_sigsys_lend(struct tls_tcb *t, const struct hook_trap *trap);
void hook_sigsys_return(struct tls_tcb *t, const struct hook_trap *trap);
void hook_sigsys_fork_child(struct tls_tcb *t);
int hook_sigsys_exec_prepare(struct tls_tcb *t, const struct hook_trap *trap);
void hook_sigsys_exec_failed(struct tls_tcb *t, const struct hook_trap *trap, int prepared);
void hook_sigsys_adopt(struct tls_tcb *t);

#endif
