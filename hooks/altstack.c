// SPDX-License-Identifier: MIT
/*
 * The program's alternate signal stack, and the kernel's copy of it.
 *
 * A handler on the alternate stack that makes a syscall (or returns:
 * rt_sigreturn) runs the LibOS's code on the LibOS stack, with signals
 * open. The kernel decides "already on the alternate stack" from the
 * current %rsp only, so a second SA_ONSTACK signal arriving then would be
 * placed at the alternate stack's top, over the live frame of the first
 * (issue 10, D12: the thread loops in rt_sigreturn or dies). No check in
 * the stubs can close that window (it opens at their stack switch), so
 * the kernel is told before: its copy of the program's alternate stack
 * has SS_AUTODISARM, which makes it drop the stack for as long as a
 * handler it put there runs and give it back at that handler's
 * rt_sigreturn (the frame's uc_stack). A signal arriving during a
 * handler on it then lands below the current %rsp: on the alternate
 * stack below the handler's frame when the handler's own code runs (as
 * natively), on the LibOS stack while the LibOS works for it (as any
 * signal that arrives in the LibOS's own code). The program still sees
 * the stack it set: sigaltstack answers from app_alt, with SS_ONSTACK and
 * EPERM from the program's %rsp. A handler that leaves with siglongjmp
 * never sigreturns: its mask restore (rt_sigprocmask) off the alternate
 * stack, outside any entry, gives the kernel the stack back
 * (hook_altstack_rearm). What differs from a native run: uc_stack in a
 * handler's frame shows SS_AUTODISARM (or, nested, no stack), and until
 * that rt_sigprocmask a signal after such a siglongjmp runs on the current
 * stack.
 *
 * A stack the program made read-only (a guard, or one kept for a signal
 * it never expects): natively nothing writes there unless one of its own
 * SA_ONSTACK signals comes, and then the kernel cannot write the frame
 * either and kills it. The net's SIGSYS (SA_ONSTACK: Go's goroutine
 * stacks are too small for a signal frame) would be put there too, and
 * the process would die on a syscall. So while it is not writable the
 * kernel has none for that thread (SS_DISABLE), and it is given back as
 * soon as it is writable again or replaced. A signal of the program's
 * own then runs on its current stack instead of being fatal. What is seen
 * is the calling thread's: mprotect of another thread's alternate stack
 * is not (that thread's next trapped syscall would die as before).
 */
#include <errno.h>
#include <libc.h>
#include <linux/signal.h>
#include <sys.h>

#include "hooks.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

/* Whether every byte of [lo, hi) is mapped writable. */
static int writable(uintptr_t lo, uintptr_t hi)
{
	struct libc_mapping m;

	for (uintptr_t at = lo; at < hi; at = m.hi)
		if (libc_mapping_at(at, &m, NULL, 0) < 0 || !m.writable)
			return 0;
	return 1;
}

/* The kernel's on_sig_stack, for the program's stack. */
static int on_app_alt(const struct tls_tcb *t, uintptr_t sp)
{
	return sp > t->app_alt.sp && sp - t->app_alt.sp <= t->app_alt.size;
}

static int virtual(const struct tls_tcb *t)
{
	return t->alt_hidden || t->alt_disarm;
}

int hook_altstack_get(struct tls_tcb *t, struct sigaltstack *ss)
{
	if (virtual(t)) {
		ss->ss_sp = (void *)(uintptr_t)t->app_alt.sp;
		ss->ss_size = t->app_alt.size;
		ss->ss_flags = t->app_alt.flags; /* without SS_ONSTACK */
		return 0;
	}
	return (int)sys_sigaltstack(NULL, ss);
}

/* The stack the kernel is to have for the program's. */
static stack_t kernel_copy(const struct tls_tcb *t)
{
	stack_t ss = {(void *)(uintptr_t)t->app_alt.sp, t->app_alt.flags, t->app_alt.size};

	if (t->alt_disarm)
		ss.ss_flags |= (int)SS_AUTODISARM;
	return ss;
}

void hook_altstack_reveal(struct tls_tcb *t)
{
	stack_t ss = kernel_copy(t);

	if (t->alt_hidden && sys_sigaltstack(&ss, NULL) == 0)
		t->alt_hidden = 0;
}

long hook_altstack_syscall(struct tls_tcb *t, uint64_t new_at, uint64_t old_at, uintptr_t app_sp)
{
	stack_t view, set;
	int was_virtual = virtual(t);
	long r = 0;

	if (was_virtual) {
		hook_altstack_get(t, &view);
		if (on_app_alt(t, app_sp))
			view.ss_flags |= SS_ONSTACK;
	}
	if (new_at) {
		if (hook_copy_from(&set, new_at, sizeof(set)) < 0)
			return -EFAULT;
		if (was_virtual && (view.ss_flags & SS_ONSTACK))
			return -EPERM; /* what the kernel says on the stack it knows */
		int mode = set.ss_flags & ~(int)SS_AUTODISARM;
		int disarm = mode != SS_DISABLE && !(set.ss_flags & (int)SS_AUTODISARM);
		stack_t kernel = set;
		if (disarm)
			kernel.ss_flags |= (int)SS_AUTODISARM;
		r = hook_module_syscall(t, __NR_sigaltstack, (long)(uintptr_t)&kernel,
					was_virtual ? 0 : (long)old_at, 0, 0, 0, 0);
		if (r < 0)
			return r;
		t->alt_hidden = 0;
		t->alt_disarm = (uint8_t)disarm;
		t->app_alt.sp = (uint64_t)(uintptr_t)set.ss_sp;
		t->app_alt.size = set.ss_size;
		t->app_alt.flags = set.ss_flags & (int)SS_AUTODISARM;
		hook_altstack_check(t, 0, 0); /* the new one may not be writable */
	} else if (!was_virtual) {
		r = hook_module_syscall(t, __NR_sigaltstack, 0, (long)old_at, 0, 0, 0, 0);
	}
	if (was_virtual && old_at && hook_copy_to(old_at, &view, sizeof(view)) < 0)
		return -EFAULT;
	return r;
}

int hook_altstack_rearm(struct tls_tcb *t, uintptr_t app_sp, uintptr_t entry_sp)
{
	uintptr_t libos = (uintptr_t)t->map_base;
	stack_t ss = kernel_copy(t);

	if (!t->alt_disarm || t->alt_hidden || on_app_alt(t, app_sp) ||
	    (app_sp >= libos && app_sp - libos < t->map_size) ||
	    (entry_sp && entry_sp != t->arch.stack_hi))
		return 0; /* in a handler still, or none can be on it */
	return sys_sigaltstack(&ss, NULL) == 0;
}

void hook_altstack_check(struct tls_tcb *t, uintptr_t lo, uintptr_t hi)
{
	stack_t ss, off = {.ss_flags = SS_DISABLE};

	if (!t || hook_altstack_get(t, &ss) < 0 || (ss.ss_flags & SS_DISABLE))
		return;
	uintptr_t a = (uintptr_t)ss.ss_sp, b = a + ss.ss_size;
	if (hi && (hi <= a || b <= lo))
		return; /* not the alternate stack's memory */
	int ok = writable(a, b);
	if (ok && t->alt_hidden) {
		hook_altstack_reveal(t);
	} else if (!ok && !t->alt_hidden && sys_sigaltstack(&off, NULL) == 0) {
		t->app_alt.sp = a;
		t->app_alt.size = ss.ss_size;
		t->app_alt.flags = ss.ss_flags & ~SS_ONSTACK;
		t->alt_hidden = 1;
	}
}
