// SPDX-License-Identifier: MIT
/*
 * The safety net's switch. Arming Syscall User Dispatch makes every
 * syscall of a thread slower (measured here: ~87 ns on a ~185 ns getppid),
 * so by default it stays off while every executable byte is accounted for,
 * and is armed in every thread the moment that stops being true; --strict
 * and --sud-only arm it before the first instruction. It is never
 * disarmed. SUD is per thread: arming bumps a generation; each thread
 * applies it itself, at its next syscall or when nudged with a SIGSYS the
 * loader sends it (hooks/sigsys.c tells that one from the program's).
 */
#include <asm/unistd.h>

#include "hooks.h"
#include "signals.h"

void hook_net_apply(struct tls_tcb *t)
{
	t->net_pending = 0;
	t->sud_generation = hook_state.net_generation;
	if (hook_state.net_armed && !t->sud_on) {
		t->arch.sud_selector = ARCH_SUD_BLOCK;
		if (arch_sud_on(&t->arch.sud_selector) == 0)
			t->sud_on = 1;
	}
}

static void nudge(struct tls_tcb *t, void *self)
{
	t->net_pending = 1;
	if (t != self && t->ctx.tid)
		sys_tgkill(hook_state.pid, t->ctx.tid, HOOK_SIGSYS);
}

void hook_net_arm(const char *reason)
{
	struct tls_tcb *self = tls_self();

	if (!hook_state.net_armed) {
		hook_state.net_reason = reason;
		hook_state.net_armed = 1;
		__atomic_add_fetch(&hook_state.net_generation, 1, __ATOMIC_SEQ_CST);
		tls_for_each(nudge, self);
	}
	if (self)
		hook_net_apply(self);
}
