// SPDX-License-Identifier: MIT
/*
 * An alternate signal stack the program made read-only (a guard, or a
 * stack kept for a signal it never expects). Natively nothing writes
 * there unless one of its own SA_ONSTACK signals comes, and then the
 * kernel cannot write the frame either and kills it. The net's SIGSYS
 * (SA_ONSTACK: Go's goroutine stacks are too small for a signal frame)
 * would be put there too, and the process would die on a syscall.
 *
 * So while the program's alternate stack is not writable, the kernel has
 * none for that thread (SS_DISABLE) and the loader keeps the program's in
 * the TCB: sigaltstack answers it (hooks/signals.c), and it is given back
 * to the kernel as soon as it is writable again or replaced. A signal of
 * the program's own then runs on its current stack instead of being fatal.
 * What is seen is the calling thread's: mprotect of another thread's
 * alternate stack is not (that thread's next trapped syscall would die as
 * before).
 */
#include <libc.h>
#include <linux/signal.h>
#include <sys.h>

#include "hooks.h"

/* Whether every byte of [lo, hi) is mapped writable. */
static int writable(uintptr_t lo, uintptr_t hi)
{
	struct libc_mapping m;

	for (uintptr_t at = lo; at < hi; at = m.hi)
		if (libc_mapping_at(at, &m, NULL, 0) < 0 || !m.writable)
			return 0;
	return 1;
}

int hook_altstack_get(struct tls_tcb *t, struct sigaltstack *ss)
{
	if (t->alt_hidden) {
		ss->ss_sp = (void *)(uintptr_t)t->app_alt.sp;
		ss->ss_size = t->app_alt.size;
		ss->ss_flags = t->app_alt.flags; /* never on it: nothing runs there */
		return 0;
	}
	return (int)sys_sigaltstack(NULL, ss);
}

void hook_altstack_reveal(struct tls_tcb *t)
{
	stack_t ss = {(void *)(uintptr_t)t->app_alt.sp, t->app_alt.flags, t->app_alt.size};

	if (t->alt_hidden && sys_sigaltstack(&ss, NULL) == 0)
		t->alt_hidden = 0;
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
