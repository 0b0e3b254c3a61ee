// SPDX-License-Identifier: MIT
/*
 * Handing a signal the loader caught to the program's own action, as the
 * kernel would have delivered it.
 *
 * The loader owns the real action of a few signals (SIGSEGV under
 * --trap-rdtsc); the program's action for them is virtual (signals.c).
 * When one arrives that is not the loader's business (a real fault), the
 * program's handler must run exactly as natively: on the stack the kernel
 * would choose (the alternate stack for SA_ONSTACK, else below the red
 * zone), with a frame the kernel would have written (its siginfo, its
 * ucontext with the interrupted registers, signal mask and vector state),
 * its sa_restorer as return address, and the mask the kernel would set.
 * So the frame is written there (a copy of the one the kernel wrote for
 * us), and the thread enters the handler through rt_sigreturn on a
 * second, crafted frame whose registers are the handler's first ones.
 * The program's frame may lie where the kernel put ours (both on the
 * alternate stack): ours is read fully before anything is written.
 *
 * With no handler (SIG_DFL, or SIG_IGN, which a fault cannot be), the
 * real action becomes the default, the signal is unblocked, and the
 * faulting instruction runs again: the kernel then ends the process as
 * it would have, core dump included.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>

#include "arch.h"
#include "hooks.h"
#include "signals.h"

#define SS_ONSTACK_FLAG    1
#define SS_DISABLE_FLAG    2
#define SS_AUTODISARM_FLAG (-0x7fffffff - 1) /* bit 31 of the int ss_flags */

struct rt_sigframe {
	uint64_t pretcode;
	struct arch_ucontext uc;
	uint8_t info[128]; /* siginfo_t, as the kernel sizes it */
};

static void die_by_default(int sig, struct arch_ucontext *uc)
{
	struct hook_ksigaction dfl = {HOOK_SIG_DFL, 0, 0, 0};

	sys_rt_sigaction(sig, &dfl, NULL);
	uc->uc_sigmask &= ~(1ULL << (sig - 1));
}

uint64_t hook_fpstate_size(const uint8_t *fp)
{
	uint32_t magic, extended;

	memcpy(&magic, fp + HOOK_SW_BYTES_OFFSET, 4);
	memcpy(&extended, fp + HOOK_SW_BYTES_OFFSET + 4, 4);
	if (magic == HOOK_XSTATE_MAGIC1 && extended >= HOOK_FXSAVE_SIZE &&
	    extended <= HOOK_FPSTATE_MAX)
		return extended;
	return HOOK_FXSAVE_SIZE;
}

static int on_stack(uint64_t sp, const struct arch_ucontext *uc)
{
	return sp > uc->uc_stack.ss_sp && sp - uc->uc_stack.ss_sp <= uc->uc_stack.ss_size;
}

void hook_deliver(int sig, const void *info, struct arch_ucontext *uc, struct tls_tcb *t,
		  const uint64_t *words, const struct hook_ksigaction *a)
{
	uint8_t fp[HOOK_FPSTATE_MAX];
	struct rt_sigframe frame;
	uint64_t fp_size = 0, sp = uc->uc_mcontext.rsp;
	const uint8_t *kernel_fp = (const uint8_t *)(uintptr_t)uc->uc_mcontext.fpstate;

	if (a->handler == HOOK_SIG_DFL || a->handler == HOOK_SIG_IGN) {
		die_by_default(sig, uc);
		return;
	}
	/* Everything of ours first: the program's frame may overwrite it. */
	memset(&frame, 0, sizeof(frame));
	frame.uc = *uc;
	memcpy(frame.info, info, sizeof(frame.info));
	if (kernel_fp)
		fp_size = hook_fpstate_size(kernel_fp);

	/* The kernel's choice of stack (get_sigframe). A size of 0 is no
	 * stack whatever the flags say (a thread that never set one has
	 * flags 0 in its frames, as sas_ss_flags reads only the size). */
	if ((a->flags & HOOK_SA_ONSTACK) && uc->uc_stack.ss_size &&
	    !(uc->uc_stack.ss_flags & SS_DISABLE_FLAG) && !on_stack(sp, uc))
		sp = uc->uc_stack.ss_sp + uc->uc_stack.ss_size;
	else
		sp -= 128; /* the red zone */
	uint64_t fp_at = 0;
	if (fp_size) {
		sp = (sp - fp_size) & ~63ULL;
		fp_at = sp;
	}
	sp = ((sp - sizeof(frame)) & ~15ULL) - 8;
	/* A signal that interrupted the program's syscall shows the program's
	 * registers there, not the loader's (program_context.c: the vector
	 * state of a trap's goes into kernel_fp, copied next). Its entry is
	 * the one above the slice this handler took. */
	hook_program_context(t, &frame.uc, sp + offsetof(struct rt_sigframe, uc),
			     words[0] + ARCH_SLICE);
	if (fp_size)
		memcpy(fp, kernel_fp, fp_size);
	frame.pretcode = a->restorer;
	/* The program's virtual SIGSYS bit is saved in the frame, to be
	 * restored by its rt_sigreturn (signals.c). */
	if (t->sigsys_blocked)
		frame.uc.uc_sigmask |= 1ULL << (HOOK_SIGSYS - 1);
	frame.uc.uc_link = 0;
	frame.uc.uc_mcontext.fpstate = (void *)(uintptr_t)fp_at;
	if ((fp_size && hook_copy_to(fp_at, fp, fp_size) < 0) ||
	    hook_copy_to(sp, &frame, sizeof(frame)) < 0) {
		/* No room for the frame: the kernel kills with SIGSEGV. */
		die_by_default(HOOK_SIGSEGV, uc);
		if (sig != HOOK_SIGSEGV)
			sys_kill(hook_state.pid, HOOK_SIGSEGV);
		return;
	}

	/* The handler's first registers, entered through rt_sigreturn. */
	struct arch_ucontext entry = frame.uc;
	struct sigcontext *m = &entry.uc_mcontext;
	m->rip = a->handler;
	m->rsp = sp;
	m->rdi = (uint64_t)sig;
	m->rsi = sp + offsetof(struct rt_sigframe, info);
	m->rdx = sp + offsetof(struct rt_sigframe, uc);
	m->rax = 0;
	m->eflags &= ~(0x400ULL | 0x100ULL); /* DF and TF clear, as the kernel */
	entry.uc_sigmask = uc->uc_sigmask | a->mask;
	if (!(a->flags & HOOK_SA_NODEFER))
		entry.uc_sigmask |= 1ULL << (sig - 1);
	if (entry.uc_sigmask & (1ULL << (HOOK_SIGSYS - 1)))
		t->sigsys_blocked = 1; /* virtually, as always */
	entry.uc_sigmask &= ~(1ULL << (HOOK_SIGSYS - 1));
	if (a->flags & HOOK_SA_ONSTACK && on_stack(sp, uc)) {
		/* SS_AUTODISARM (the program's, or altstack.c's): the kernel
		 * has no stack while the handler runs on it, and the
		 * program's frame gives it back. */
		if (uc->uc_stack.ss_flags & SS_AUTODISARM_FLAG) {
			entry.uc_stack.ss_sp = 0;
			entry.uc_stack.ss_size = 0;
			entry.uc_stack.ss_flags = SS_DISABLE_FLAG;
		} else {
			entry.uc_stack.ss_flags = SS_ONSTACK_FLAG;
		}
	}
	if (a->flags & HOOK_SA_RESETHAND)
		hook_app_action_reset(sig);
	/* Nothing returns to this entry: give its slice back. */
	t->arch.entry_sp = words[0];
	hook_gs_returning_to(t, m->rip);
	arch_sigreturn((uintptr_t)&entry);
}
