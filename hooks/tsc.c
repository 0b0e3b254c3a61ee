// SPDX-License-Identifier: MIT
/*
 * --trap-rdtsc: the program's rdtsc and rdtscp answered by the module.
 *
 * PR_SET_TSC(PR_TSC_SIGSEGV) makes both instructions fault in this thread
 * and every thread or child it creates (the flag is inherited, and kept
 * across execve: hooks/exec.c lifts it around an exec). The fault is a
 * SIGSEGV whose real action is the loader's (the same entry as the net's
 * SIGSYS, hooks/sigsys.c). Some hypervisors accept the setting and never
 * fault: a probe finds out, and there every rdtsc/rdtscp of the code the
 * program maps is rewritten into ud2 instead (patch/tsc_sites.c), whose
 * SIGILL is the loader's. Either way the instruction is answered by the
 * module's rdtsc hook (or, without one, by the real counter) and skipped;
 * any other SIGSEGV or SIGILL is the program's: its own action, virtual
 * while the loader holds the real one, runs as the kernel would have run
 * it (deliver.c).
 *
 * The vDSO reads the counter too, for every clock_gettime: the program is
 * given no vDSO (loader/run.c), so its clock reads are syscalls, which
 * the LibOS sees as well.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/prctl.h>

#include "arch.h"
#include "hooks.h"
#include "module.h"
#include "signals.h"
#include "tsc_sites.h"

#define SI_KERNEL 0x80

static volatile int probing, probe_trapped;

static long set_tsc(int mode)
{
	return sys_prctl(PR_SET_TSC, mode, 0, 0, 0);
}

static long take(int sig)
{
	hook_app_action_take(sig);
	return hook_take_signal(sig);
}

int hook_tsc_trap_start(void)
{
	long r;

	hook_state.tsc_mode = HOOK_TSC_TRAP;
	r = take(HOOK_SIGSEGV);
	if (r == 0)
		r = set_tsc(PR_TSC_SIGSEGV);
	if (r < 0)
		return (int)r;
	/* One rdtsc that hook_tsc_fault recognises as the probe. */
	probing = 1;
	arch_read_tsc();
	probing = 0;
	if (probe_trapped)
		return 0;
	/* Not enforced here: rewrite instead. */
	set_tsc(PR_TSC_ENABLE);
	sys_rt_sigaction(HOOK_SIGSEGV, hook_app_action(HOOK_SIGSEGV), NULL);
	hook_state.tsc_mode = HOOK_TSC_REWRITE;
	return (int)take(HOOK_SIGILL);
}

void hook_tsc_allow(int allow)
{
	if (hook_state.tsc_mode == HOOK_TSC_TRAP)
		set_tsc(allow ? PR_TSC_ENABLE : PR_TSC_SIGSEGV);
}

static uint32_t real_tsc_aux(void)
{
	unsigned cpu = 0, node = 0;

	sys_getcpu(&cpu, &node);
	return node << 12 | cpu; /* what Linux keeps in TSC_AUX */
}

static uint64_t real_tsc(void)
{
	uint64_t v;

	if (hook_state.tsc_mode != HOOK_TSC_TRAP)
		return arch_read_tsc();
	set_tsc(PR_TSC_ENABLE);
	v = arch_read_tsc();
	set_tsc(PR_TSC_SIGSEGV);
	return v;
}

/* The length of the rdtsc/rdtscp the signal is about, or 0. */
static int tsc_instruction(const struct hook_siginfo *info, uintptr_t pc, int *rdtscp)
{
	uint8_t code[3] = {0, 0, 0};

	if (info->si_signo == HOOK_SIGILL) {
		int len = patch_tsc_site_at(pc);
		*rdtscp = len == 3;
		return len;
	}
	if (info->si_code != SI_KERNEL || hook_copy_from(code, pc, 2) < 0)
		return 0;
	if (code[0] == 0x0f && code[1] == 0x01)
		hook_copy_from(&code[2], pc + 2, 1);
	return arch_tsc_instruction(code, sizeof(code), rdtscp);
}

void hook_tsc_fault(const struct hook_siginfo *info, struct arch_ucontext *uc, struct tls_tcb *t,
		    const uint64_t *words)
{
	struct sigcontext *m = &uc->uc_mcontext;
	int rdtscp = 0, len = tsc_instruction(info, m->rip, &rdtscp);

	if (len && probing) {
		probe_trapped = 1;
		m->rip += (uint64_t)len;
		return;
	}
	if (!len) {
		hook_deliver(info->si_signo, info, uc, t, words, hook_app_action(info->si_signo));
		return;
	}
	uint32_t aux = rdtscp ? real_tsc_aux() : 0;
	uint64_t v =
		hook_state.module->rdtsc ? hook_state.module->rdtsc(&t->ctx, &aux) : real_tsc();
	m->rax = (uint32_t)v;
	m->rdx = v >> 32;
	if (rdtscp)
		m->rcx = aux;
	m->rip += (uint64_t)len;
}
