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

#define XSTATE_MAGIC1        0x46505853U
#define XSTATE_MAGIC2        0x46505845U
#define SW_BYTES_OFFSET      464
#define FPSTATE_MAX          8192
#define UC_FP_XSTATE         1
#define UC_SIGCONTEXT_SS     2
#define UC_STRICT_RESTORE_SS 4
#define USER_CS              0x33
#define USER_DS              0x2b

static int taken;

static void count_unarmed(struct tls_tcb *t, void *arg)
{
	if (t->ctx.tid &&
	    __atomic_load_n(&t->sud_generation, __ATOMIC_ACQUIRE) != hook_state.net_generation)
		++*(int *)arg;
}

static int all_armed(void)
{
	int unarmed = 0;

	tls_for_each(count_unarmed, &unarmed);
	return !unarmed;
}

static int handed_over(void)
{
	return __atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE);
}

/* Until done() says so, 2 s at most: a thread that is stopped may never
 * do its part. */
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
	hook_net_arm(why);
	wait_for(all_armed); /* each thread applies it when its nudge arrives (net.c) */
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
	// cppcheck-suppress unassignedVariable ; written through xs, its aligned part
	uint8_t fp[FPSTATE_MAX + 64];
	uint8_t *xs = (uint8_t *)(((uintptr_t)fp + 63) & ~(uintptr_t)63);
	uint32_t size = (uint32_t)arch_fpu_size(), magic = XSTATE_MAGIC2;
	uint64_t old = 0, resume = arch_stub_resume(&f->stub);
	struct arch_ucontext uc;
	struct sigcontext *m = &uc.uc_mcontext;
	uint64_t xf = arch_fpu_features();
	/* struct _fpx_sw_bytes: magic1, extended_size, xfeatures, xstate_size */
	const uint32_t sw[12] = {XSTATE_MAGIC1, size + 4, (uint32_t)xf, (uint32_t)(xf >> 32), size};

	libc_block_signals(&old); /* until rt_sigreturn sets old */
	if (size + 4 > FPSTATE_MAX)
		size = 0; /* cannot happen on x86-64 today (2.7 KiB with AVX-512) */
	memset(&uc, 0, sizeof(uc));
	if (size) {
		memset(xs, 0, size);
		arch_fpu_save(xs); /* the program's: the loader's code never touches them */
		memcpy(xs + SW_BYTES_OFFSET, &sw, sizeof(sw));
		memcpy(xs + size, &magic, sizeof(magic));
		m->fpstate = (void *)xs;
	}
	sys_sigaltstack(NULL, &uc.uc_stack); /* rt_sigreturn sets it again */
	uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	uc.uc_sigmask = old;
	m->r8 = f->r8, m->r9 = f->r9, m->r10 = f->r10, m->r11 = f->stub.rflags;
	m->r12 = f->r12, m->r13 = f->r13, m->r14 = f->r14, m->r15 = f->r15;
	m->rdi = f->rdi, m->rsi = f->rsi, m->rbp = f->rbp, m->rbx = f->rbx, m->rdx = f->rdx;
	m->rax = (uint64_t)result, m->rcx = resume, m->rsp = f->stub.app_sp;
	m->rip = resume, m->eflags = f->stub.rflags, m->cs = USER_CS, m->ss = USER_DS;
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
