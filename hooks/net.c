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
#include <stdio.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "hooks.h"
#include "signals.h"

/* The kernel refused Syscall User Dispatch in this thread: whatever the
 * loader did not rewrite runs with no net. Said once per process. */
static void refused(int r)
{
	int first = 0;

	__atomic_add_fetch(&hook_state.net_unarmed, 1, __ATOMIC_RELAXED);
	first = __atomic_compare_exchange_n(&hook_state.net_error, &first, r, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	if (first && !hook_state.net_quiet)
		libc_say("the safety net is needed (%s) but cannot be armed: "
			 "prctl(PR_SET_SYSCALL_USER_DISPATCH): %s",
			 hook_state.net_reason ? hook_state.net_reason : "", strerror(-r));
}

/* A thread (or child) started in a mode that promises the net, and the
 * kernel refused it: it would run its syscalls past the LibOS, every one
 * of them in --sud-only. It has run no instruction of the program yet:
 * the process ends here, as hook_init's refusal ends it before the
 * program starts (one line, 126). */
static void unarmed_thread(int r)
{
	dprintf(2,
		"libos-loader: the safety net (%s) cannot be armed in a new thread: "
		"prctl(PR_SET_SYSCALL_USER_DISPATCH): %s\n",
		hook_state.opt.mode == HOOK_MODE_STRICT ? "--strict" : "--sud-only", strerror(-r));
	sys_exit_group(126);
}

void hook_net_apply(struct tls_tcb *t)
{
	t->net_pending = 0;
	t->sud_generation = hook_state.net_generation;
	if (hook_state.net_armed && !t->sud_on) {
		t->arch.sud_selector = ARCH_SUD_BLOCK;
		int r = arch_sud_on(&t->arch.sud_selector);
		if (r == 0)
			t->sud_on = 1;
		else if (hook_state.opt.mode != HOOK_MODE_DEFAULT && !hook_state.net_quiet)
			unarmed_thread(r);
		else
			refused(r);
	}
}

/* A random word only the loader's nudges carry (the program could queue a
 * SIGSYS with any other value). */
static uint64_t nudge_token;

int hook_net_nudge(const void *info)
{
	const struct hook_siginfo *si = info;

	return si->si_signo == HOOK_SIGSYS && si->si_code == HOOK_SI_QUEUE &&
	       si->queue.pid == hook_state.pid && nudge_token && si->queue.value == nudge_token;
}

static void nudge(struct tls_tcb *t, void *self)
{
	union {
		struct hook_siginfo si;
		// cppcheck-suppress unusedStructMember ; sizes u: the kernel copies that much
		uint8_t size[HOOK_SIGINFO_SIZE];
	} u;

	t->net_pending = 1;
	if (t == self || !t->ctx.tid)
		return;
	memset(&u, 0, sizeof(u));
	u.si.si_signo = HOOK_SIGSYS;
	u.si.si_code = HOOK_SI_QUEUE;
	u.si.queue.pid = hook_state.pid;
	u.si.queue.value = nudge_token;
	sys_rt_tgsigqueueinfo(hook_state.pid, t->ctx.tid, HOOK_SIGSYS, &u);
}

/* The net's arming ends, for every caller, when every other thread has
 * applied it: its nudge is only queued, and a caller that returned to the
 * program before then could hand another thread code (generated, moved,
 * shared) that it would run unseen. 2 s at most after the net was armed:
 * a thread that is stopped (SIGSTOP, a debugger) may never do its part,
 * and a later call does not wait for it again. */
static uint64_t wait_end_ns;

struct behind {
	const struct tls_tcb *self;
	int count;
};

static void count_behind(struct tls_tcb *t, void *arg)
{
	struct behind *b = arg;

	if (t != b->self && t->ctx.tid &&
	    __atomic_load_n(&t->sud_generation, __ATOMIC_ACQUIRE) != hook_state.net_generation)
		b->count++;
}

static void wait_applied(const struct tls_tcb *self)
{
	for (;;) {
		struct behind b = {self, 0};
		struct timespec ts = {0, 100000};

		tls_for_each(count_behind, &b);
		if (!b.count || libc_now_ns() >= __atomic_load_n(&wait_end_ns, __ATOMIC_ACQUIRE))
			return;
		sys_nanosleep(&ts, NULL);
	}
}

void hook_net_arm(const char *reason)
{
	struct tls_tcb *self = tls_self();

	if (!hook_state.net_armed) {
		while (!nudge_token)
			nudge_token = libc_random64();
		__atomic_store_n(&wait_end_ns, libc_now_ns() + 2000000000ULL, __ATOMIC_RELEASE);
		hook_state.net_reason = reason;
		hook_state.net_armed = 1;
		__atomic_add_fetch(&hook_state.net_generation, 1, __ATOMIC_SEQ_CST);
		tls_for_each(nudge, self);
	}
	if (self)
		hook_net_apply(self);
	wait_applied(self);
}
