// SPDX-License-Identifier: MIT
/*
 * The program's SIGSYS mask bit across the handlers the kernel enters.
 *
 * The program's SIGSYS mask bit is virtual (signals.c): the kernel's copy
 * of every sa_mask loses SIGSYS, so on its own the kernel would enter a
 * handler whose sa_mask has SIGSYS with SIGSYS open (a SIGSYS sent then
 * would run the program's SIGSYS handler inside it), write the frame's
 * uc_sigmask without the program's bit, and at the handler's return
 * leave the bit as the handler left it, where natively rt_sigreturn puts
 * back the mask of before. So the real handler of each such action
 * (every one with a handler: the program's own actions for SIGSYS and
 * for --trap-rdtsc's signals are virtual, deliver.c) is
 * arch_handler_entry, which the kernel enters exactly as it would the
 * program's, and which calls hook_handler_entry before it goes on to the
 * program's handler with the kernel's registers: the bit is saved in the
 * frame's uc_sigmask (which the program's rt_sigreturn restores:
 * signals.c) and set when the action's sa_mask has SIGSYS. The program
 * reads its own handler and sa_mask back.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <lock.h>
#include <signal_mask.h>
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "signals.h"

#define SIGSYS_BIT (1ULL << (HOOK_SIGSYS - 1))

/* Each signal's program handler, while its real one is
 * arch_handler_entry; and the signals whose sa_mask the program gave
 * SIGSYS. Changed under the lock, with signals blocked, so that the
 * kernel's action and these agree for every reader, as one action. */
static struct libc_lock lock;
static struct tls_tcb *holder; /* the thread that holds it */
static uint64_t handlers[64];
static uint64_t sa_mask_had_sigsys;

static int has_handler(uint64_t handler)
{
	return handler != HOOK_SIG_DFL && handler != HOOK_SIG_IGN;
}

long hook_kernel_sigaction(struct tls_tcb *t, long sig, const struct hook_ksigaction *act,
			   uint64_t old_addr, int in_trap)
{
	const uint64_t entry = (uint64_t)(uintptr_t)arch_handler_entry;
	uint64_t bit = sig >= 1 && sig <= 64 ? 1ULL << (sig - 1) : 0, saved = 0;
	struct hook_ksigaction real, old;
	long r;

	if (act) {
		real = *act;
		real.mask &= ~SIGSYS_BIT;
		if (bit && has_handler(act->handler))
			real.handler = entry;
	}
	/* No handler of this thread may run while it holds the lock: in a
	 * trap every signal is blocked already (and rt_sigaction keeps them
	 * so: never_sleeps.c), else they are blocked for its duration. A
	 * module whose hook opens them anyway gets a nested call that goes
	 * on unlocked rather than a thread that waits for itself. */
	if (!in_trap)
		libc_block_signals(&saved);
	int nested = __atomic_load_n(&holder, __ATOMIC_RELAXED) == t;
	if (!nested) {
		libc_lock(&lock);
		holder = t;
	}
	/* The old action into a copy: the kernel would keep the new one
	 * even if it cannot write the old, and so must this. */
	r = hook_module_syscall(t, __NR_rt_sigaction, sig, act ? (long)(uintptr_t)&real : 0,
				old_addr ? (long)(uintptr_t)&old : 0, 8, 0, 0);
	if (r == 0 && old_addr && bit) {
		if (old.handler == entry)
			old.handler = handlers[sig - 1];
		if (sa_mask_had_sigsys & bit)
			old.mask |= SIGSYS_BIT;
	}
	if (r == 0 && act && bit) {
		uint64_t had = sa_mask_had_sigsys & ~bit;
		if (has_handler(act->handler))
			__atomic_store_n(&handlers[sig - 1], act->handler, __ATOMIC_RELAXED);
		if (act->mask & SIGSYS_BIT)
			had |= bit;
		__atomic_store_n(&sa_mask_had_sigsys, had, __ATOMIC_RELAXED);
	}
	if (!nested) {
		holder = NULL;
		libc_unlock(&lock);
	}
	if (!in_trap)
		libc_set_signal_mask(saved);
	if (r == 0 && old_addr && hook_copy_to(old_addr, &old, sizeof(old)) < 0)
		return -EFAULT;
	return r;
}

uintptr_t hook_handler_entry(int sig, void *info, void *uc_arg)
{
	struct arch_ucontext *uc = uc_arg;
	uint64_t bit = 1ULL << ((sig - 1) & 63);
	/* The program may own %gs: the TCB by tid then (gs.c). */
	struct tls_tcb *t = __atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE)
				    ? tls_find_tid((int32_t)sys_gettid())
				    : tls_self();

	(void)info;
	if (t) {
		if (t->sigsys_blocked)
			uc->uc_sigmask |= SIGSYS_BIT;
		if (__atomic_load_n(&sa_mask_had_sigsys, __ATOMIC_RELAXED) & bit)
			t->sigsys_blocked = 1;
		/* The program's registers, where it made its syscall. */
		hook_program_context(t, uc, (uint64_t)(uintptr_t)uc, t->arch.entry_sp + ARCH_SLICE);
	}
	return (uintptr_t)__atomic_load_n(&handlers[(sig - 1) & 63], __ATOMIC_RELAXED);
}
