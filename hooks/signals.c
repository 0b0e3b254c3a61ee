// SPDX-License-Identifier: MIT
/*
 * Keeping SIGSYS for the safety net without the program noticing.
 *
 * The net's SIGSYS must never be blocked while program code runs (a SUD
 * trap while it is blocked kills the process) and never handled by anyone but the loader. So every
 * signal mask the program hands the kernel loses its SIGSYS bit (in a copy:
 * the program's memory is never changed), while the program's view stays
 * exact: its own SIGSYS action and its SIGSYS mask bit live here, and
 * rt_sigaction / rt_sigprocmask report them back. A SIGSYS that is not the
 * net's (seccomp's SECCOMP_RET_TRAP, kill) goes to the program's action
 * (hooks/sigsys.c).
 */
#include <linux/signal.h>
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "hooks.h"
#include "signals.h"

#define SIGSYS_BIT (1ULL << (HOOK_SIGSYS - 1))

/* The program's own actions for the signals whose real action is the
 * loader's: SIGSYS always, SIGSEGV or SIGILL under --trap-rdtsc
 * (hooks/tsc.c). */
static struct hook_ksigaction app_sigsys, app_sigsegv, app_sigill;

static struct hook_ksigaction *virtual_action(long sig)
{
	if (sig == HOOK_SIGSYS)
		return &app_sigsys;
	if (sig == HOOK_SIGSEGV && hook_state.tsc_mode == HOOK_TSC_TRAP)
		return &app_sigsegv;
	if (sig == HOOK_SIGILL && hook_state.tsc_mode == HOOK_TSC_REWRITE)
		return &app_sigill;
	return NULL;
}

const struct hook_ksigaction *hook_app_action(int sig)
{
	return virtual_action(sig);
}

void hook_app_action_take(int sig)
{
	struct hook_ksigaction *a = virtual_action(sig);

	if (a)
		sys_rt_sigaction(sig, NULL, a);
}

void hook_app_action_reset(int sig)
{
	struct hook_ksigaction *a = virtual_action(sig);

	if (a)
		a->handler = HOOK_SIG_DFL;
}

static long pass(struct tls_tcb *t, const struct arch_frame *f, long a1, long a2, long a3, long a4,
		 long a5, long a6)
{
	return hook_module_syscall(t, (long)f->rax, a1, a2, a3, a4, a5, a6);
}

/* Replace the mask pointer *arg by a pointer to a copy without SIGSYS;
 * *blocks: whether the mask had SIGSYS, or -1 with no mask. */
static int strip(uint64_t *arg, uint64_t size, uint64_t *copy, int *blocks)
{
	*blocks = -1;
	if (*arg == 0 || size != sizeof(*copy))
		return 0; /* the kernel judges NULL and odd sizes itself */
	if (hook_copy_from(copy, *arg, sizeof(*copy)) < 0)
		return -EFAULT;
	*blocks = (*copy & SIGSYS_BIT) != 0;
	*copy &= ~SIGSYS_BIT;
	*arg = (uint64_t)(uintptr_t)copy;
	return 0;
}

/* The program's SIGSYS action changed: SIG_IGN discards a pending one
 * (as the kernel does), and the real action restarts interrupted calls
 * exactly when the program's does. */
static void sigsys_action_changed(uint64_t old_flags, const struct hook_ksigaction *now)
{
	if (now->handler == HOOK_SIG_IGN)
		hook_sigsys_discard();
	if ((old_flags ^ now->flags) & HOOK_SA_RESTART)
		hook_take_signal(HOOK_SIGSYS);
}

static long sigaction_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	long sig = (long)f->rdi;
	struct hook_ksigaction act, *app = virtual_action(sig);
	uint64_t new_act = f->rsi;

	if (f->r10 != 8)
		return pass(t, f, sig, (long)new_act, (long)f->rdx, (long)f->r10, 0, 0);
	if (new_act && hook_copy_from(&act, new_act, sizeof(act)) < 0)
		return -EFAULT;
	if (!app) /* the kernel's action (app_handlers.c) */
		return hook_kernel_sigaction(t, sig, new_act ? &act : NULL, f->rdx, trap != NULL);
	/* The program's action is virtual. */
	if (f->rdx && hook_copy_to(f->rdx, app, sizeof(*app)) < 0)
		return -EFAULT;
	if (new_act) {
		uint64_t old_flags = app->flags;
		act.mask &= ~((1ULL << 8) | (1ULL << 18)); /* never SIGKILL, SIGSTOP */
		*app = act;
		if (sig == HOOK_SIGSYS)
			sigsys_action_changed(old_flags, app);
	}
	return 0;
}

/* The alternate stack the kernel has now, into the trap's frame, which
 * the net's rt_sigreturn restores. */
static void trap_stack_now(const struct hook_trap *trap)
{
	struct arch_ucontext *uc = trap->uc;
	stack_t now;

	if (sys_sigaltstack(NULL, &now) == 0) {
		uc->uc_stack.ss_sp = (uint64_t)(uintptr_t)now.ss_sp;
		uc->uc_stack.ss_flags = now.ss_flags;
		uc->uc_stack.ss_size = now.ss_size;
	}
}

/* The mask the program's syscalls run with: the kernel's, or, in a trap,
 * the one saved in the SIGSYS frame, which the kernel puts back at the
 * net's rt_sigreturn (the handler itself runs with all blocked). */
static uint64_t *trapped_mask(const struct hook_trap *trap)
{
	return trap ? &((struct arch_ucontext *)trap->uc)->uc_sigmask : NULL;
}

static long sigprocmask_syscall(struct arch_frame *f, struct tls_tcb *t,
				const struct hook_trap *trap)
{
	uint64_t set = f->rsi, copy = 0, kernel_copy, old, *saved = trapped_mask(trap);
	int was_blocked = t->sigsys_blocked;
	long r = 0;

	/* The mask restore of a siglongjmp out of a handler on the
	 * alternate stack: the kernel never got it back (altstack.c). */
	if (hook_altstack_rearm(t, f->stub.app_sp, f->stub.entry_sp) && trap)
		trap_stack_now(trap);

	if (f->r10 != 8)
		return pass(t, f, (long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, 0, 0);
	if (set && hook_copy_from(&copy, set, sizeof(copy)) < 0)
		return -EFAULT;
	if (set && f->rdi > 2)
		return -EINVAL;
	kernel_copy = copy & ~SIGSYS_BIT;
	if (saved) {
		/* The kernel's own rules, on the saved mask. */
		old = *saved;
		if (f->rdx && hook_copy_to(f->rdx, &old, sizeof(old)) < 0)
			return -EFAULT;
		if (set) {
			uint64_t next = f->rdi == 0   ? old | kernel_copy
					: f->rdi == 1 ? old & ~kernel_copy
						      : kernel_copy;
			*saved = next & ~((1ULL << 8) | (1ULL << 18)); /* not SIGKILL, SIGSTOP */
		}
	} else {
		r = pass(t, f, (long)f->rdi, set ? (long)(uintptr_t)&kernel_copy : 0, (long)f->rdx,
			 8, 0, 0);
		if (r < 0)
			return r;
	}
	if (set) {
		int in_set = (copy & SIGSYS_BIT) != 0;
		if (f->rdi == 0 /* SIG_BLOCK */ && in_set)
			t->sigsys_blocked = 1;
		else if (f->rdi == 1 /* SIG_UNBLOCK */ && in_set)
			t->sigsys_blocked = 0;
		else if (f->rdi == 2 /* SIG_SETMASK */)
			t->sigsys_blocked = (uint8_t)in_set;
	}
	if (f->rdx && was_blocked && hook_copy_from(&old, f->rdx, sizeof(old)) == 0) {
		old |= SIGSYS_BIT;
		hook_copy_to(f->rdx, &old, sizeof(old));
	}
	if (was_blocked && !t->sigsys_blocked)
		hook_sigsys_release(t); /* a pending one is delivered now */
	return r;
}

/* rt_sigpending: the kernel's, and a SIGSYS the program blocks and that
 * waits for it (sigsys_pending.c). */
static long sigpending_syscall(struct arch_frame *f, struct tls_tcb *t)
{
	uint64_t set;
	long r = pass(t, f, (long)f->rdi, (long)f->rsi, 0, 0, 0, 0);

	if (r < 0 || f->rsi != 8 || !t->sigsys_blocked || !hook_sigsys_held(t))
		return r;
	if (hook_copy_from(&set, f->rdi, sizeof(set)) < 0)
		return -EFAULT;
	set |= SIGSYS_BIT;
	return hook_copy_to(f->rdi, &set, sizeof(set));
}

/* rt_sigtimedwait for a set with SIGSYS: a held one is the answer at
 * once (the kernel dequeues the synchronous-class signals, SIGSYS among
 * them, before others); else the kernel waits with SIGSYS in the set, so
 * that one sent meanwhile is taken by the wait and not delivered, blocked
 * by the program or not, as natively. The loader's own nudge (net.c) is
 * not the program's: it is applied and the wait goes on. */
static long sigtimedwait_syscall(struct arch_frame *f, struct tls_tcb *t)
{
	uint8_t info[HOOK_SIGINFO_SIZE];
	const struct hook_siginfo *si = (const void *)info;
	uint64_t set;
	long r;

	if (!f->rdi || f->r10 != 8 || hook_copy_from(&set, f->rdi, sizeof(set)) < 0 ||
	    !(set & SIGSYS_BIT))
		return pass(t, f, (long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, 0, 0);
	for (;;) {
		if (hook_sigsys_take(t, info)) {
			r = HOOK_SIGSYS;
			break;
		}
		t->sigsys_waiting = 1;
		r = pass(t, f, (long)f->rdi, (long)(uintptr_t)info, (long)f->rdx, 8, 0, 0);
		t->sigsys_waiting = 0;
		if (r == -EINTR && hook_sigsys_take(t, info))
			r = HOOK_SIGSYS; /* it came just before the wait began */
		if (r != HOOK_SIGSYS || !hook_net_nudge(si))
			break;
		hook_net_apply(t);
	}
	if (r > 0 && f->rsi && hook_copy_to(f->rsi, info, sizeof(info)) < 0)
		return -EFAULT;
	return r;
}

/* sigaltstack's SS_ONSTACK (and its EPERM) follow the caller's %rsp
 * (altstack.c answers them for the stack it keeps). A trap's syscalls
 * run below the SIGSYS frame, which is on the alternate stack whenever
 * the program has one and is not on it already: this one runs at the
 * program's %rsp instead. It never blocks, so it can keep the trap's
 * all-blocked mask, and no signal frame can land anywhere. And as with
 * the mask, the net's rt_sigreturn would put back the stack saved in its
 * frame: the kernel's new one is written there too. */
static long sigaltstack_syscall(struct arch_frame *f, struct tls_tcb *t,
				const struct hook_trap *trap)
{
	uintptr_t outer_sp = t->arch.syscall_sp;
	long r;

	if (trap)
		t->arch.syscall_sp =
			((struct arch_ucontext *)trap->uc)->uc_mcontext.rsp & ~(uintptr_t)1;
	r = hook_altstack_syscall(t, f->rdi, f->rsi, f->stub.app_sp);
	t->arch.syscall_sp = outer_sp;
	if (trap && r == 0 && f->rdi)
		trap_stack_now(trap);
	return r;
}

/* rt_sigreturn restores the mask saved in the frame (uc_sigmask, at the
 * program's %rsp + 0x128 when its restorer runs): SIGSYS must stay out of
 * it, and the program's virtual SIGSYS bit is what it says, as natively.
 * Every frame of a handler of the program has the bit as the program had
 * it: the loader writes it into the frames it builds (deliver.c) and into
 * those the kernel builds for the program's handlers (app_handlers.c), and
 * the program's own (getcontext, a sigprocmask it read) have it from the
 * loader's answers. The rest happens on the program's stack
 * (ARCH_ENTRY_SIGRETURN). */
static void clean_sigreturn_mask(uint64_t app_sp, struct tls_tcb *t)
{
	uint64_t mask;

	if (hook_copy_from(&mask, app_sp + 0x128, sizeof(mask)) < 0)
		return;
	t->sigsys_blocked = (mask & SIGSYS_BIT) != 0;
	if (mask & SIGSYS_BIT) {
		mask &= ~SIGSYS_BIT;
		hook_copy_to(app_sp + 0x128, &mask, sizeof(mask));
	}
	/* A held SIGSYS the restored mask lets in is delivered right after
	 * it, where the program resumes: queued now with the real SIGSYS
	 * blocked, which the frame's mask then opens. */
	if (!t->sigsys_blocked)
		hook_sigsys_lend(t, NULL);
}

/* A call with a mask of its own (sigsuspend, ppoll, pselect6,
 * epoll_pwait): the program's SIGSYS bit is the call's for exactly its
 * duration, and a held SIGSYS the call's mask lets in is the kernel's,
 * so that the call answers as natively. */
static long with_temporary_mask(struct arch_frame *f, struct tls_tcb *t,
				const struct hook_trap *trap, int blocks_sigsys,
				const uint64_t *args)
{
	int outer = t->sigsys_blocked, lent = 0;
	long r;

	t->sigsys_blocked = (uint8_t)blocks_sigsys;
	if (!blocks_sigsys)
		lent = hook_sigsys_lend(t, trap);
	r = pass(t, f, (long)args[0], (long)args[1], (long)args[2], (long)args[3], (long)args[4],
		 (long)args[5]);
	if (lent)
		hook_sigsys_return(t, trap);
	t->sigsys_blocked = (uint8_t)outer;
	hook_sigsys_release(t);
	return r;
}

long hook_signal_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	uint64_t copy, args[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
	struct {
		uint64_t set, size;
	} pselect_data;
	long r = 0;
	int blocks = -1;

	switch (f->rax) {
	case __NR_rt_sigreturn:
		hook_program_context_return(t, f->stub.app_sp);
		clean_sigreturn_mask(f->stub.app_sp, t);
		hook_app_sud_sigreturn(t, f->stub.app_sp);
		hook_gs_sigreturn(t, f->stub.app_sp);
		return ARCH_ENTRY_SIGRETURN;
	case __NR_rt_sigaction:
		f->rax = (uint64_t)sigaction_syscall(f, t, trap);
		return ARCH_ENTRY_RETURN;
	case __NR_rt_sigprocmask:
		f->rax = (uint64_t)sigprocmask_syscall(f, t, trap);
		return ARCH_ENTRY_RETURN;
	case __NR_sigaltstack:
		f->rax = (uint64_t)sigaltstack_syscall(f, t, trap);
		return ARCH_ENTRY_RETURN;
	case __NR_rt_sigpending:
		f->rax = (uint64_t)sigpending_syscall(f, t);
		return ARCH_ENTRY_RETURN;
	case __NR_rt_sigtimedwait:
		f->rax = (uint64_t)sigtimedwait_syscall(f, t);
		return ARCH_ENTRY_RETURN;
	case __NR_rt_sigsuspend: /* (mask, size) */
		r = strip(&args[0], args[1], &copy, &blocks);
		break;
	case __NR_ppoll: /* (fds, n, timeout, mask, size) */
		r = strip(&args[3], args[4], &copy, &blocks);
		break;
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2: /* (epfd, events, max, timeout, mask, size) */
		r = strip(&args[4], args[5], &copy, &blocks);
		break;
	case __NR_pselect6: /* (n, in, out, ex, timeout, {mask, size}) */
		if (args[5]) {
			if (hook_copy_from(&pselect_data, args[5], sizeof(pselect_data)) < 0) {
				r = -EFAULT;
				break;
			}
			r = strip(&pselect_data.set, pselect_data.size, &copy, &blocks);
			args[5] = (uint64_t)(uintptr_t)&pselect_data;
		}
		break;
	}
	if (r == 0 && blocks >= 0)
		r = with_temporary_mask(f, t, trap, blocks, args);
	else if (r == 0)
		r = pass(t, f, (long)args[0], (long)args[1], (long)args[2], (long)args[3],
			 (long)args[4], (long)args[5]);
	f->rax = (uint64_t)r;
	return ARCH_ENTRY_RETURN;
}

int hook_take_signal(int sig)
{
	struct hook_ksigaction sa = {
		.handler = (uint64_t)(uintptr_t)arch_sigsys_entry,
		/* SA_ONSTACK: programs with small stacks set an alternate
		 * stack for exactly this. Every signal blocked, SIGSYS too:
		 * see tls/tcb.h's syscall_sp. No program code runs in the
		 * handler with that mask (its syscall runs with the program's
		 * mask, and its own handlers are entered by rt_sigreturn,
		 * deliver.c), so no trap can find SIGSYS blocked. */
		.flags = HOOK_SA_SIGINFO | HOOK_SA_ONSTACK | HOOK_SA_NODEFER | HOOK_SA_RESTORER,
		.restorer = (uint64_t)(uintptr_t)arch_sigsys_restorer,
		.mask = ~0ULL,
	};

	const struct hook_ksigaction *app = virtual_action(sig);

	/* A signal that interrupts a call restarts it as the program's
	 * action says. */
	if (app)
		sa.flags |= app->flags & HOOK_SA_RESTART;
	return (int)sys_rt_sigaction(sig, &sa, NULL);
}
