// SPDX-License-Identifier: MIT
/*
 * Entries a signal handler abandoned.
 *
 * Each entry into the LibOS takes the next slice of the thread's LibOS
 * stack and gives it back on the way out (tls/tcb.h). A handler that
 * interrupts an entry (during its syscall, or in the LibOS's own code)
 * and leaves with siglongjmp never lets that entry finish: its slice would
 * stay taken, and after seven such jumps the next entry would run onto
 * the guard page. So an entry that finds outer entries in progress asks,
 * of each from the innermost out, whether it can still be resumed, using
 * the program's %rsp of each (A, kept at the top of its slice) and its own:
 *
 *   - its own A on the LibOS stack: a handler interrupted the LibOS's own
 *     code; every outer entry is live.
 *   - an outer A on the LibOS stack, its own not: that handler is gone.
 *   - its own A on the alternate signal stack, the outer's not: a handler
 *     on the alternate stack, over a live entry; the reverse: it left it.
 *   - both on the same stack: a live outer entry's handler runs below the
 *     outer's A (the kernel put its frame there); at or above it, the
 *     program has unwound past that entry.
 *
 * The alternate stack is the program's (the kernel has none while a
 * handler runs on it: hooks/altstack.c).
 * The first live one ends the search (what it interrupted is live too).
 * The entry then moves its few words up to the top of the outermost dead
 * slice and carries on there (syscall_entry.S, sigsys_entry.S): it may be abandoned in
 * turn, and the next entry must not start lower than it did.
 * A user-level thread switch inside a handler (a coroutine library
 * preempting with signals) could make a live entry look dead if the
 * other stack lies higher: not supported.
 */
#include <linux/signal.h>
#include <asm/unistd.h>

#include "hooks.h"

struct range {
	uintptr_t lo, hi;
};

static int in(const struct range *r, uintptr_t a)
{
	return a >= r->lo && a < r->hi;
}

static int live(uintptr_t a, uintptr_t outer, const struct range *libos, const struct range *alt)
{
	if (in(libos, outer))
		return 0;
	if (in(alt, a) != in(alt, outer))
		return in(alt, a);
	return a < outer;
}

uintptr_t hook_reentry_check(const uint64_t *words, struct arch_tcb *tcb)
{
	struct tls_tcb *t = tls_of(tcb);
	uintptr_t e = words[0], a = words[1], top = e;
	struct range libos = {(uintptr_t)t->map_base, (uintptr_t)t->map_base + t->map_size};
	struct range alt = {0, 0};
	stack_t ss;

	if (in(&libos, a))
		return 0;
	if (hook_altstack_get(t, &ss) == 0 && !(ss.ss_flags & SS_DISABLE))
		alt = (struct range){(uintptr_t)ss.ss_sp, (uintptr_t)ss.ss_sp + ss.ss_size};
	for (uintptr_t outer_e = e + TLS_STACK_SLICE; outer_e <= t->arch.stack_hi;
	     outer_e += TLS_STACK_SLICE) {
		const struct arch_stub_words *outer =
			(const struct arch_stub_words *)(outer_e - sizeof(*outer));
		if (live(a, outer->app_sp, &libos, &alt))
			break;
		top = outer_e;
	}
	return top == e ? 0 : top;
}
