// SPDX-License-Identifier: MIT
/*
 * The program's own %gs. The stubs and the entry paths find the thread's
 * TCB through %gs, so a program that sets %gs (arch_prctl(ARCH_SET_GS),
 * or wrgsbase: Wine, some runtimes, and a second libos-loader run by the
 * first) would send every stub to its own memory. There is no free
 * register and no flag a stub could test without slowing every syscall
 * (stub_template.S), so the loader hands %gs over for good instead:
 *
 *   1. the net is armed in every thread, and the loader waits until each
 *      applied it (a syscall of a thread that had not would run unseen);
 *   2. every rewritten site gets its own bytes back and nothing is
 *      rewritten again (patch/unrewrite.c): all syscalls reach the net;
 *   3. arch_gs_program is set: the net's handler no longer trusts %gs,
 *      finds the TCB by tid (hook_gs_enter, which keeps the program's
 *      base in app_gs), and every way back into the program's code puts
 *      app_gs back last (sigsys_entry.S, syscall_entry.S, clone.S).
 *
 * Each thread's %gs is then the program's, as natively: 0 at exec,
 * inherited by clone, set per thread. Syscalls cost what --sud-only costs
 * (the report's net reason says why). It happens before the program's
 * first instruction when the program or ld.so has code that writes %gs,
 * before a library's first instruction when its mmap brings such code,
 * and at the first ARCH_SET_GS otherwise. ARCH_GET_GS reads the thread's
 * own value.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <signal_mask.h>
#include <libc.h>
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "patch.h"
#include "signals.h"

static int taken;

static int handed_over(void)
{
	return __atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE);
}

/* Until done() says so, 2 s at most: the thread handing over may be
 * stopped. */
static void wait_for(int (*done)(void))
{
	for (int i = 0; i < 20000 && !done(); i++) {
		struct timespec ts = {0, 100000};
		sys_nanosleep(&ts, NULL);
	}
}

static void program_owns_gs(struct tls_tcb *t, void *arg)
{
	(void)arg;
	t->arch.gs_program = 1;
}

void hook_gs_take(const char *why)
{
	struct tls_tcb *self = tls_self();

	if (__atomic_exchange_n(&taken, 1, __ATOMIC_SEQ_CST)) {
		/* Another thread is handing over: this caller may not run
		 * code that writes %gs before it is done. */
		wait_for(handed_over);
		return;
	}
	if (tls_tid_start(self) < 0) {
		libc_say("the program sets %%gs and there is no memory to "
			 "hand it over");
		sys_exit_group(127);
	}
	hook_net_arm(why); /* returns once every thread has applied it */
	patch_unrewrite_all();
	tls_for_each(program_owns_gs, NULL);
	self->arch.gs_program = 1;
	__atomic_store_n(&arch_gs_program, 1, __ATOMIC_SEQ_CST);
}

void hook_gs_enter(void)
{
	struct tls_tcb *t = tls_find_tid((int32_t)sys_gettid());
	uintptr_t gsbase = 0;

	if (!t) {
		static const char msg[] = "libos-loader: a thread the loader never saw made a "
					  "syscall after the program took %gs\n";
		sys_write(2, msg, sizeof(msg) - 1);
		sys_exit_group(127);
	}
	if (arch_has_fsgsbase)
		gsbase = arch_rdgsbase();
	else
		sys_arch_prctl(ARCH_GET_GS, (unsigned long)&gsbase);
	if (gsbase != (uintptr_t)&t->arch) {
		t->arch.app_gs = gsbase;
		tls_install(t);
	}
	t->arch.gs_program = 1;
}

void hook_gs_returning_to(struct tls_tcb *t, uint64_t rip)
{
	uintptr_t lo, hi;

	if (!__atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE))
		return;
	/* A program's handler that ran while the loader's own code was
	 * interrupted returns there: that code needs the TCB in %gs, but for
	 * the program's blocking syscalls (app_syscall.S). */
	arch_self_range(&lo, &hi);
	t->arch.gs_program =
		!(rip >= lo && rip < hi) || (rip >= (uintptr_t)arch_app_gs_window_start &&
					     rip < (uintptr_t)arch_app_gs_window_end);
}

void hook_gs_sigreturn(struct tls_tcb *t, uint64_t app_sp)
{
	uint64_t rip;

	/* Only once %gs is the program's: no copy for every rt_sigreturn. */
	if (__atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE) &&
	    hook_copy_from(&rip, app_sp + offsetof(struct arch_ucontext, uc_mcontext.rip),
			   sizeof(rip)) == 0)
		hook_gs_returning_to(t, rip);
}

/* From a stub, whose way out reads %gs to its last instruction: leave
 * through rt_sigreturn instead, on a frame of the program's registers
 * after the syscall, which puts app_gs last (arch_sigreturn). The site
 * has its own bytes again: the program goes on right after its syscall. */
__attribute__((noreturn)) static void leave_stub(struct arch_frame *f, struct tls_tcb *t,
						 long result)
{
	uint8_t fp[HOOK_STUB_FP_SIZE];
	struct arch_ucontext uc;

	hook_stub_context(&uc, fp, f, (uint64_t)result, arch_stub_resume(&f->stub));
	t->arch.gs_program = 1;
	t->arch.entry_sp = f->stub.entry_sp; /* nothing returns to this entry */
	arch_sigreturn((uintptr_t)&uc);
}

long hook_gs_arch_prctl(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	if (f->rdi == ARCH_GET_GS)
		return hook_copy_to(f->rsi, &t->arch.app_gs, sizeof(t->arch.app_gs));
	/* ARCH_SET_GS: natively any value is taken (a bad one faults at use). */
	t->arch.app_gs = f->rsi;
	hook_gs_take("the program sets its own %gs (arch_prctl)");
	if (!trap)
		leave_stub(f, t, 0);
	t->arch.gs_program = 1; /* the net's way out puts it there */
	return 0;
}
