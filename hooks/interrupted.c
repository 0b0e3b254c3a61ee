// SPDX-License-Identifier: MIT
/*
 * A program's syscall that a signal the program never sees interrupted.
 *
 * The loader's own handler runs for signals that natively run no handler
 * at all: its nudge (net.c: a thread arms the net itself), and a SIGSYS
 * the program blocks (held for it: sigsys_pending.c) or ignores. Natively
 * those leave a blocked read, futex, wait4, accept, poll, epoll_wait,
 * select, pause or nanosleep where it was; the kernel, which saw a
 * handler, made it fail with EINTR instead (ERESTARTNOHAND and
 * ERESTART_RESTARTBLOCK always, ERESTARTSYS unless the program's SIGSYS
 * action has SA_RESTART). The handler restarts it, as the kernel restarts
 * a call that no handler interrupted.
 *
 * Unless a signal with a handler of the program's is pending as well: it
 * runs right after, and natively it would have interrupted the call by
 * its own rules (EINTR for the calls that are never restarted, and for
 * the others without SA_RESTART), so the EINTR stays.
 *
 * A restarted call starts again with its own arguments. Natively the
 * kernel restarts a relative timeout with the time left (restart_block,
 * which rt_sigreturn clears, so restart_syscall cannot be used here):
 * nanosleep and clock_nanosleep with a remainder pointer get that
 * remainder (the kernel wrote it there), select, pselect6 and ppoll
 * update their timeout themselves; poll, epoll_wait and futex with a
 * relative timeout wait their whole time again, at most once per nudge.
 */
#include <asm/unistd.h>

#include "hooks.h"
#include "signals.h"

/* Calls a handler never restarts, SA_RESTART or not (signal(7)). */
static int never_restarted(long nr, struct arch_ucontext *uc)
{
	switch (nr) {
	case __NR_poll:
	case __NR_ppoll:
	case __NR_select:
	case __NR_pselect6:
	case __NR_epoll_wait:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
	case __NR_pause:
	case __NR_rt_sigsuspend:
	case __NR_rt_sigtimedwait:
	case __NR_nanosleep:
	case __NR_clock_nanosleep:
	case __NR_io_getevents:
	case __NR_io_pgetevents:
	case __NR_semop:
	case __NR_semtimedop:
	case __NR_msgrcv:
	case __NR_msgsnd:
		return 1;
	case __NR_futex: /* a wait with a timeout: ERESTART_RESTARTBLOCK */
		return arch_app_syscall_arg(uc, 3) != 0;
	}
	return 0;
}

/* Whether a signal pending for the thread, which the mask it returns to
 * lets in, runs a handler that natively would have ended the call with
 * EINTR. */
static int handler_interrupts(struct arch_ucontext *uc, long nr)
{
	uint64_t pending = 0;

	if (sys_rt_sigpending(&pending) < 0)
		return 0;
	pending &= ~uc->uc_sigmask & ~(1ULL << (HOOK_SIGSYS - 1));
	for (int sig = 1; pending; sig++, pending >>= 1) {
		struct hook_ksigaction now;
		const struct hook_ksigaction *a = hook_app_action(sig);

		if (!(pending & 1))
			continue;
		if (!a) {
			if (sys_rt_sigaction(sig, NULL, &now) < 0)
				continue;
			a = &now;
		}
		if (a->handler == HOOK_SIG_DFL || a->handler == HOOK_SIG_IGN)
			continue;
		if (never_restarted(nr, uc) || !(a->flags & HOOK_SA_RESTART))
			return 1;
	}
	return 0;
}

/* The time left, where the kernel wrote it for the program. */
static void time_left(struct arch_ucontext *uc, long nr)
{
	int req, rem;

	if (nr == __NR_nanosleep) {
		req = 0, rem = 1;
	} else if (nr == __NR_clock_nanosleep && !(arch_app_syscall_arg(uc, 1) & TIMER_ABSTIME)) {
		req = 2, rem = 3;
	} else {
		return;
	}
	if (arch_app_syscall_arg(uc, rem))
		arch_app_syscall_set_arg(uc, req, arch_app_syscall_arg(uc, rem));
}

void hook_restart_unseen(struct arch_ucontext *uc)
{
	long nr = arch_app_syscall_interrupted(uc);

	if (nr < 0 || handler_interrupts(uc, nr))
		return;
	time_left(uc, nr);
	arch_app_syscall_restart(uc, nr);
}
