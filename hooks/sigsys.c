// SPDX-License-Identifier: MIT
/*
 * The safety net's handler: every SIGSYS arrives here first.
 *
 * A SIGSYS from Syscall User Dispatch is a syscall made outside the
 * loader's text while the net is armed. It is classified (an escape if
 * it came from a site of an object the loader believed patched, trapped
 * otherwise: a refused site, or code no object holds, which is then
 * rewritten when safe), counted, and executed through the same dispatcher
 * as a stub's, with its result written back into the trapped context. A
 * SIGSYS the loader sent (to make a thread arm the net) is consumed.
 * Anything else (seccomp's SECCOMP_RET_TRAP, a kill) belongs to the
 * program: its own SIGSYS action runs, as the kernel would have run it.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/signal.h>
#include <string.h>

#include "hooks.h"
#include "objects.h"
#include "patch.h"
#include "signals.h"

/* This process: a fork child's hook_state.pid is its parent's until
 * hook_fork_child, and a signal may come before that. */
static int self_pid(void)
{
	return (int)sys_getpid();
}

static void program_sigsys(struct hook_siginfo *info, struct arch_ucontext *uc, struct tls_tcb *t,
			   const uint64_t *words)
{
	const struct hook_ksigaction *a = hook_app_action(HOOK_SIGSYS);
	struct hook_ksigaction dfl = {HOOK_SIG_DFL, HOOK_SA_RESTORER,
				      (uint64_t)(uintptr_t)arch_sigsys_restorer, 0};

	if (info->si_code > 0) {
		/* The kernel's own (seccomp's trap): forced, as force_sig
		 * does: blocked or ignored, it takes the default action. */
		if (t->sigsys_blocked || a->handler == HOOK_SIG_IGN) {
			hook_app_action_reset(HOOK_SIGSYS);
			t->sigsys_blocked = 0;
		}
	} else if (t->sigsys_blocked || t->sigsys_waiting) {
		/* Sent while the program blocks it (or waits for it in a
		 * sigtimedwait that has not begun): pending. A blocked
		 * signal is kept even if ignored, as the kernel keeps it. */
		hook_sigsys_hold(t, info);
		hook_restart_unseen(uc);
		return;
	}
	if (a->handler == HOOK_SIG_IGN) {
		hook_restart_unseen(uc);
		return;
	}
	if (a->handler == HOOK_SIG_DFL) {
		/* Terminate with a core dump, as the default action does:
		 * sent again, it comes when this handler returns, to the
		 * mask it returns to (which the loader may have blocked it
		 * in, around a call with a mask of its own). */
		sys_rt_sigaction(HOOK_SIGSYS, &dfl, NULL);
		uc->uc_sigmask &= ~(1ULL << (HOOK_SIGSYS - 1));
		sys_tgkill(self_pid(), (int)sys_gettid(), HOOK_SIGSYS);
		return;
	}
	hook_deliver(HOOK_SIGSYS, info, uc, t, words, a); /* does not return */
}

/* Escape or trapped, and for code no object holds, a lazy rewrite.
 * Returns 1 for an escape. */
static int classify(uintptr_t pc)
{
	long site;
	struct patch_object *o = patch_object_at(pc, &site);

	if (o && site >= 0 &&
	    (o->state[site] == PATCH_SITE_REFUSED || o->state[site] == PATCH_SITE_TRAPPED)) {
		if (o->state[site] == PATCH_SITE_REFUSED) {
			o->state[site] = PATCH_SITE_TRAPPED;
			o->trapped++;
		}
		return 0;
	}
	if (o && o->analyzed) {
		/* Code the loader patched and called complete. */
		__atomic_add_fetch(&hook_state.escapes, 1, __ATOMIC_RELAXED);
		return 1;
	}
	struct patch_jit_site *j = patch_jit_record(pc);
	if (!j->rewritten)
		j->rewritten = patch_lazy(j);
	return 0;
}

/* Whether the kernel put the frame at uc on the alternate stack. */
static int on_alternate_stack(const struct arch_ucontext *uc)
{
	uintptr_t sp = (uintptr_t)uc->uc_stack.ss_sp;

	return !(uc->uc_stack.ss_flags & SS_DISABLE) && (uintptr_t)uc >= sp &&
	       (uintptr_t)uc - sp < uc->uc_stack.ss_size;
}

static void frame_from(struct arch_frame *f, const struct sigcontext *m)
{
	memset(f, 0, sizeof(*f));
	f->r15 = m->r15;
	f->r14 = m->r14;
	f->r13 = m->r13;
	f->r12 = m->r12;
	f->rbp = m->rbp;
	f->rbx = m->rbx;
	f->r9 = m->r9;
	f->r8 = m->r8;
	f->r10 = m->r10;
	f->rdx = m->rdx;
	f->rsi = m->rsi;
	f->rdi = m->rdi;
	f->rax = m->rax; /* SUD rolls rax back to the syscall number */
	f->stub.rflags = m->eflags;
	f->stub.app_sp = m->rsp;
}

void hook_sigsys(void *info_arg, void *uc_arg, struct arch_tcb *a, const uint64_t *words)
{
	struct tls_tcb *t = tls_of(a);
	struct hook_siginfo *info = info_arg;
	struct arch_ucontext *uc = uc_arg;
	struct sigcontext *m = &uc->uc_mcontext;
	struct arch_frame f;
	long action;

	if (info->si_signo == HOOK_SIGSEGV || info->si_signo == HOOK_SIGILL) {
		hook_tsc_fault(info, uc, t, words); /* only under --trap-rdtsc */
		goto out;
	}
	if (info->si_code != ARCH_SYS_USER_DISPATCH) {
		if (hook_net_nudge(info)) {
			hook_net_apply(t); /* the loader's nudge: arm here too */
			hook_restart_unseen(uc);
			goto out;
		}
		program_sigsys(info, uc, t, words);
		goto out;
	}
	/* The program's syscall runs below the kernel's SIGSYS frame. */
	uintptr_t outer_sp = t->arch.syscall_sp;
	t->arch.syscall_sp = (uintptr_t)uc | 1; /* a trap's: see tls/tcb.h */
	/* A frame on the program's alternate stack is never written: the
	 * syscall may make that stack read-only. The net edits a copy and
	 * returns through it (rt_sigreturn only reads; the vector state it
	 * points to stays where the kernel put it). */
	struct arch_ucontext copy;
	struct hook_trap trap = {m->rip, uc, uc, words};
	if (on_alternate_stack(uc)) {
		copy = *uc;
		trap.uc = &copy;
		m = &copy.uc_mcontext;
	}
	if (hook_state.opt.mode == HOOK_MODE_SUD_ONLY || !classify(m->rip - ARCH_SYSCALL_SIZE)) {
		t->syscalls++;
		__atomic_add_fetch(&hook_state.trapped_syscalls, 1, __ATOMIC_RELAXED);
	}
	if (t->net_pending)
		hook_net_apply(t);

	frame_from(&f, m);
	if (__builtin_expect(t->app_sud.on, 0))
		hook_app_sud_check(&f, t, &trap, outer_sp); /* returns if it runs */
	action = hook_dispatch_slow(&f, t, &trap);
	t->arch.syscall_sp = outer_sp;
	if (action == ARCH_ENTRY_SIGRETURN) {
		/* The program's own rt_sigreturn: run it on its frame. Give
		 * back the slice arch_sigsys_entry took; nothing returns there. */
		t->arch.entry_sp = words[0];
		arch_sigreturn(m->rsp);
	}
	m->rax = f.rax;
	/* A handler of the program's changed its context (program_context.c). */
	hook_program_context_trap_done(m, words[0], t);
	if (trap.uc != uc) {
		/* The stack the thread has now (the syscall may have been a
		 * sigaltstack, or made the stack hidden: altstack.c), not the
		 * one the frame saved, which rt_sigreturn would put back. */
		struct sigaltstack now;
		if (hook_altstack_get(t, &now) == 0 && t->alt_hidden) {
			copy.uc_stack.ss_sp = 0;
			copy.uc_stack.ss_size = 0;
			copy.uc_stack.ss_flags = SS_DISABLE;
		}
		t->arch.entry_sp = words[0];
		hook_gs_returning_to(t, copy.uc_mcontext.rip);
		arch_sigreturn((uintptr_t)&copy);
	}
out:
	/* Where the handler returns (through the kernel's frame) decides
	 * which %gs it needs (gs.c). */
	hook_gs_returning_to(t, uc->uc_mcontext.rip);
}
