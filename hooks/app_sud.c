// SPDX-License-Identifier: MIT
/*
 * The program's own Syscall User Dispatch. The real one is the loader's
 * net (net.c) and a thread has only one, so the program's is virtual, and
 * must be the kernel's in every way it can see (the kernel's
 * syscall_user_dispatch.c is the reference):
 *
 *   prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, offset, len, selector) is
 *   checked as the kernel checks it (EINVAL, EFAULT) and kept per thread:
 *   not inherited by a new thread or a fork child, gone at exec (a new
 *   TCB);
 *   every syscall of the thread that the loader sees (from a stub, or
 *   caught by the net) is then tested first, as the kernel tests it: the
 *   address after the syscall instruction against the range, then the
 *   selector byte (unreadable: killed by SIGSEGV; neither ALLOW nor
 *   BLOCK: killed by SIGSYS);
 *   a dispatched syscall does not run: the program's SIGSYS action is
 *   forced (blocked or ignored, the default action kills), with the
 *   kernel's siginfo (SYS_USER_DISPATCH, the address after the syscall,
 *   the number, AUDIT_ARCH_X86_64) and the registers of the syscall, rax
 *   rolled back to the number.
 *
 * A thread with SUD on takes every syscall through the slow path (its
 * copy of the special bitmap is all ones), so the fast path of every
 * other thread is unchanged.
 *
 * From a stub, the handler's context says the program is right after its
 * syscall, which in a rewritten site is the middle of the jmp: where the
 * kernel would return there, the program's rt_sigreturn goes on in the
 * stub instead, after its syscall (the same instructions, relocated).
 *
 * What stays the loader's: a tracer's PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG
 * reads the real SUD (the net's), and a tracer does not see the virtual
 * SIGSYS as a signal stop. The selector check assumes 47-bit user
 * addresses (no 5-level paging), as the kernel's access_ok does there.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>

#include "hooks.h"
#include "libc_hooks.h"
#include "signals.h"

#define SUD_OFF           0
#define SUD_EXCLUSIVE     1
#define SUD_INCLUSIVE     2
#define SELECTOR_ALLOW    0
#define SELECTOR_BLOCK    1
#define SYS_USER_DISPATCH 2
#define AUDIT_ARCH_X86_64 0xc000003eU
#define USER_END          0x7ffffffff000ULL /* TASK_SIZE_MAX with 4-level paging */
#define RESUME_SLOTS      4

long hook_app_sud_prctl(const struct arch_frame *f, struct tls_tcb *t)
{
	uint64_t mode = f->rsi, offset = f->rdx, len = f->r10, selector = f->r8;

	switch (mode) {
	case SUD_OFF:
		if (offset || len || selector)
			return -EINVAL;
		break;
	case SUD_EXCLUSIVE:
		if (offset && offset + len <= offset)
			return -EINVAL;
		break;
	case SUD_INCLUSIVE:
		if (len == 0 || offset + len <= offset)
			return -EINVAL;
		offset += len; /* the kernel's inversion: the test wraps */
		len = -len;
		break;
	default:
		return -EINVAL;
	}
	if (mode != SUD_OFF && selector >= USER_END)
		return -EFAULT;
	t->app_sud.offset = offset;
	t->app_sud.len = len;
	t->app_sud.selector = selector;
	t->app_sud.on = mode != SUD_OFF;
	if (t->app_sud.on)
		memset(t->special, 0xff, sizeof(t->special));
	else
		tls_tcb_model_special(t);
	return 0;
}

void hook_app_sud_reset(struct tls_tcb *t)
{
	if (t->app_sud.on)
		tls_tcb_model_special(t);
	memset(&t->app_sud, 0, sizeof(t->app_sud));
}

/* Killed by sig whatever the program's action, as force_exit_sig kills:
 * the default action, unblocked, sent to this thread, delivered as the
 * unblocking returns. */
__attribute__((noreturn)) static void die_by(int sig)
{
	struct hook_ksigaction dfl = {HOOK_SIG_DFL, 0, 0, 0};
	uint64_t bit = 1ULL << (sig - 1);

	sys_rt_sigaction(sig, &dfl, NULL);
	sys_tgkill((int)sys_getpid(), (int)sys_gettid(), sig);
	sys_rt_sigprocmask(1 /* SIG_UNBLOCK */, &bit, NULL);
	sys_exit_group(128 + sig); /* not reached */
}

/* Whether the kernel would dispatch a syscall whose instruction ends at
 * rip. */
static int dispatched(const struct tls_tcb *t, uint64_t rip)
{
	uint8_t state;

	if (rip - t->app_sud.offset < t->app_sud.len)
		return 0;
	if (!t->app_sud.selector)
		return 1;
	if (hook_copy_from(&state, t->app_sud.selector, 1) < 0)
		die_by(HOOK_SIGSEGV);
	if (state == SELECTOR_ALLOW)
		return 0;
	if (state != SELECTOR_BLOCK)
		die_by(HOOK_SIGSYS);
	return 1;
}

void hook_app_sud_check(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap,
			uintptr_t outer_sp)
{
	uint64_t rip = trap ? trap->rip : arch_stub_resume(&f->stub);
	const struct hook_ksigaction *a = hook_app_action(HOOK_SIGSYS);
	struct hook_siginfo info;

	/* A weak hook's number is no syscall: natively the hook returns. */
	if (hook_is_libc_hook(f->rax) || !dispatched(t, rip))
		return;
	/* Forced, as force_sig_info forces it: blocked or ignored, the
	 * default action, which kills. */
	if (t->sigsys_blocked || a->handler == HOOK_SIG_IGN || a->handler == HOOK_SIG_DFL)
		die_by(HOOK_SIGSYS);
	memset(&info, 0, sizeof(info));
	info.si_signo = HOOK_SIGSYS;
	info.si_code = SYS_USER_DISPATCH;
	info.sys.call_addr = rip;
	info.sys.syscall = (int32_t)f->rax;
	info.sys.arch = AUDIT_ARCH_X86_64;
	t->arch.syscall_sp = outer_sp; /* this entry is over */
	if (trap) {
		/* The kernel's SUD rolled rax back already; rip is after. */
		hook_deliver(HOOK_SIGSYS, &info, trap->uc, t, trap->words, a);
	} else {
		unsigned slot = t->app_sud.next++ % RESUME_SLOTS;
		uint8_t fp[HOOK_STUB_FP_SIZE];
		struct arch_ucontext uc;

		t->app_sud.live |= (uint8_t)(1u << slot);
		t->app_sud.from[slot] = rip;
		t->app_sud.to[slot] = f->stub.cont + ARCH_STUB_EPILOGUE_SIZE;
		hook_stub_context(&uc, fp, f, f->rax, rip);
		hook_deliver(HOOK_SIGSYS, &info, &uc, t, &f->stub.entry_sp, a);
	}
	die_by(HOOK_SIGSYS); /* not reached: the action is a handler */
}

void hook_app_sud_sigreturn(struct tls_tcb *t, uint64_t app_sp)
{
	uintptr_t at = app_sp + offsetof(struct arch_ucontext, uc_mcontext.rip);
	uint64_t rip;

	/* Only after a SIGSYS from a stub: no copy for every rt_sigreturn. */
	if (!t->app_sud.live || hook_copy_from(&rip, at, sizeof(rip)) < 0)
		return;
	for (unsigned i = 0; i < RESUME_SLOTS; i++)
		if ((t->app_sud.live & (1u << i)) && t->app_sud.from[i] == rip) {
			hook_copy_to(at, &t->app_sud.to[i], sizeof(rip));
			t->app_sud.live &= (uint8_t) ~(1u << i);
			return;
		}
}
