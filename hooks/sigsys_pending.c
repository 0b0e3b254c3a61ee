// SPDX-License-Identifier: MIT
/*
 * The program's SIGSYS while it blocks it: pending, as the kernel would
 * keep it.
 *
 * The real SIGSYS is never blocked while program code runs (the net's
 * traps would kill the process), so a SIGSYS sent to the program (kill,
 * tgkill, sigqueue) always reaches the loader's handler at once. While
 * the program's own (virtual) mask blocks it, it is held here instead: one
 * for the thread (tgkill, tkill) and one for the process (anything else),
 * as the kernel keeps one of each for a signal below SIGRTMIN, a second
 * one merged into the first. sigpending and the waits (signals.c) see it;
 * when the program unblocks it, it goes back to the kernel, queued to the
 * thread with its siginfo unchanged (rt_tgsigqueueinfo to oneself allows
 * any si_code), and is delivered as any signal is, right then.
 *
 * A call that waits with a mask of its own (sigsuspend, ppoll, pselect6,
 * epoll_pwait) needs the kernel to see the held one as pending for
 * exactly the call, so that it answers as natively (EINTR, or 0 for a
 * zero-timeout epoll_pwait): the real SIGSYS is blocked around the call,
 * the held one queued for real, and what the call did not take is held
 * again after (hook_sigsys_lend, hook_sigsys_return). An exec does the
 * same, and the new loader takes both back (hook_sigsys_adopt): natively
 * a blocked mask and a pending signal survive execve.
 */
#include <asm/unistd.h>
#include <lock.h>
#include <signal_mask.h>
#include <string.h>

#include "hooks.h"
#include "signals.h"

#define SIGSYS_BIT (1ULL << (HOOK_SIGSYS - 1))

static struct {
	struct libc_lock lock;
	volatile int full;
	uint8_t info[HOOK_SIGINFO_SIZE];
} shared; /* the process's pending SIGSYS */

void hook_sigsys_hold(struct tls_tcb *t, const void *info)
{
	const struct hook_siginfo *si = info;

	if (si->si_code == HOOK_SI_TKILL) {
		if (!t->sigsys_pending) {
			memcpy(t->sigsys_info, info, HOOK_SIGINFO_SIZE);
			t->sigsys_pending = 1;
		}
		return;
	}
	libc_lock(&shared.lock);
	if (!shared.full) {
		memcpy(shared.info, info, HOOK_SIGINFO_SIZE);
		shared.full = 1;
	}
	libc_unlock(&shared.lock);
}

int hook_sigsys_held(const struct tls_tcb *t)
{
	return t->sigsys_pending || shared.full;
}

int hook_sigsys_take(struct tls_tcb *t, void *info)
{
	uint64_t old;
	int r = 0;

	if (!hook_sigsys_held(t))
		return 0;
	libc_block_signals(&old); /* the handler holds with the lock taken */
	if (t->sigsys_pending) {
		memcpy(info, t->sigsys_info, HOOK_SIGINFO_SIZE);
		t->sigsys_pending = 0;
		r = 1;
	} else {
		libc_lock(&shared.lock);
		if (shared.full) {
			memcpy(info, shared.info, HOOK_SIGINFO_SIZE);
			shared.full = 0;
			r = 1;
		}
		libc_unlock(&shared.lock);
	}
	libc_set_signal_mask(old);
	return r;
}

static void forget(struct tls_tcb *t, void *arg)
{
	(void)arg;
	t->sigsys_pending = 0;
}

void hook_sigsys_discard(void)
{
	tls_for_each(forget, NULL);
	shared.full = 0;
}

void hook_sigsys_fork_child(struct tls_tcb *t)
{
	t->sigsys_pending = 0; /* a fork child starts with nothing pending */
	shared.full = 0;
	shared.lock.held = 0;
}

/* Queued to this thread: its ids asked, not remembered, as a fork child
 * may be here before hook_fork_child. */
static void queue_to_self(const void *info)
{
	sys_rt_tgsigqueueinfo((int)sys_getpid(), (int)sys_gettid(), HOOK_SIGSYS, info);
}

void hook_sigsys_release(struct tls_tcb *t)
{
	uint8_t info[HOOK_SIGINFO_SIZE];

	if (!t->sigsys_blocked && hook_sigsys_take(t, info))
		queue_to_self(info);
}

/* The real SIGSYS bit of the mask the program's syscalls run with: the
 * thread's, or in a trap the one saved in its frame (signals.c says why). */
static void block_real(const struct hook_trap *trap, int block)
{
	static const uint64_t bit = SIGSYS_BIT;

	if (trap) {
		uint64_t *m = &((struct arch_ucontext *)trap->uc)->uc_sigmask;
		*m = block ? *m | bit : *m & ~bit;
	} else {
		sys_rt_sigprocmask(block ? 0 /* SIG_BLOCK */ : 1 /* SIG_UNBLOCK */, &bit, NULL);
	}
}

int hook_sigsys_lend(struct tls_tcb *t, const struct hook_trap *trap)
{
	uint8_t info[HOOK_SIGINFO_SIZE];

	if (!hook_sigsys_take(t, info))
		return 0;
	block_real(trap, 1);
	queue_to_self(info);
	return 1;
}

void hook_sigsys_return(struct tls_tcb *t, const struct hook_trap *trap)
{
	static const uint64_t set = SIGSYS_BIT;
	static const long zero[2]; /* a timespec of 0: only what is pending now */
	uint8_t info[HOOK_SIGINFO_SIZE];

	if (sys_rt_sigtimedwait(&set, info, &zero) == HOOK_SIGSYS)
		hook_sigsys_hold(t, info);
	block_real(trap, 0);
}

void hook_sigsys_adopt(struct tls_tcb *t)
{
	uint64_t mask = 0;

	sys_rt_sigprocmask(0, NULL, &mask);
	if (!(mask & SIGSYS_BIT))
		return;
	t->sigsys_blocked = 1;
	hook_sigsys_return(t, NULL);
}

int hook_sigsys_exec_prepare(struct tls_tcb *t, const struct hook_trap *trap)
{
	static const struct hook_ksigaction ign = {HOOK_SIG_IGN, 0, 0, 0};

	if (hook_app_action(HOOK_SIGSYS)->handler == HOOK_SIG_IGN)
		sys_rt_sigaction(HOOK_SIGSYS, &ign, NULL);
	if (!t->sigsys_blocked)
		return 0;
	if (!hook_sigsys_lend(t, trap))
		block_real(trap, 1);
	return 1;
}

void hook_sigsys_exec_failed(struct tls_tcb *t, const struct hook_trap *trap, int prepared)
{
	if (prepared)
		hook_sigsys_return(t, trap);
	if (hook_app_action(HOOK_SIGSYS)->handler == HOOK_SIG_IGN)
		hook_take_signal(HOOK_SIGSYS);
}
