// SPDX-License-Identifier: MIT
/*
 * The dispatcher: where every syscall of the program arrives, from a stub
 * (hook_syscall, the fast path) or from the safety net (hook_sigsys, with
 * a hook_trap). Most syscalls go straight to the module. A few the loader
 * must see first, because they would break the interception if executed
 * blindly: signal masks and the SIGSYS action (the net needs SIGSYS),
 * clone and fork (a child needs its own TCB and stack), exit (a thread's
 * LibOS memory must be freed, a process reports), rt_sigreturn (it must
 * run on the program's stack), memory that becomes executable (it must be
 * patched or watched) or committed (the heap budget, which also takes brk
 * when there is one), and the program's own use of %gs and of SUD.
 *
 * The fast path touches only this thread's TCB: no locks, no atomics.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>

#include "heap.h"
#include "hooks.h"
#include "libc_hooks.h"
#include "module.h"

struct hook_state hook_state;

/* One bit per syscall number the loader handles itself. */
static uint64_t special[512 / 64];

static void mark(long nr)
{
	special[nr >> 6] |= 1ULL << (nr & 63);
}

void hook_dispatch_init(struct tls_tcb *main_thread);
void hook_dispatch_init(struct tls_tcb *main_thread)
{
	static const long numbers[] = {
		__NR_rt_sigreturn, __NR_rt_sigaction, __NR_rt_sigprocmask,
		__NR_rt_sigsuspend, __NR_rt_sigtimedwait, __NR_pselect6, __NR_ppoll,
		__NR_sigaltstack,
		__NR_epoll_pwait, __NR_epoll_pwait2,
		__NR_clone, __NR_clone3, __NR_fork, __NR_vfork,
		__NR_exit, __NR_exit_group, __NR_execve, __NR_execveat,
		__NR_mmap, __NR_mprotect, __NR_pkey_mprotect, __NR_munmap, __NR_mremap,
		__NR_prctl, __NR_arch_prctl,
		__NR_readlink, __NR_readlinkat, __NR_open, __NR_openat, __NR_openat2,
	};

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		mark(numbers[i]);
	hook_never_sleeps_init();
	tls_tcb_set_model(special, (void *)hook_state.module->syscall);
	memcpy(main_thread->special, special, sizeof(special));
	main_thread->module_syscall = hook_state.module->syscall;
}

void hook_dispatch_take(long nr, struct tls_tcb *main_thread)
{
	mark(nr);
	tls_tcb_set_model(special, (void *)hook_state.module->syscall);
	memcpy(main_thread->special, special, sizeof(special));
}

long hook_module_syscall(struct tls_tcb *t, long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6)
{
	return t->module_syscall(&t->ctx, nr, a1, a2, a3, a4, a5, a6);
}

/* The fast path. It reads and writes this thread's TCB page only (see
 * tls/tcb.h for why), and lives in .text.hot with arch_syscall_entry and
 * the passthrough module, so that its code is one page too. */
__attribute__((section(".text.hot.libos"))) long hook_syscall(struct arch_frame *f,
								struct tls_tcb *t)
{
	unsigned long nr = f->rax;
	long action = HOOK_DO_RETURN;
	uintptr_t outer_sp = t->syscall_sp;

	t->syscalls++;
	t->syscall_sp = f->app_sp & ~(uintptr_t)15; /* bit 0 clear: not a trap */
	if (__builtin_expect(t->net_pending, 0))
		hook_net_apply(t);
	if (__builtin_expect(nr >= 512 || (t->special[nr >> 6] >> (nr & 63)) & 1, 0))
		action = hook_dispatch_slow(f, t, NULL);
	else
		f->rax = (uint64_t)t->module_syscall(&t->ctx, (long)nr, (long)f->rdi,
						     (long)f->rsi, (long)f->rdx, (long)f->r10,
						     (long)f->r8, (long)f->r9);
	t->syscall_sp = outer_sp;
	return action;
}

/* The program's own Syscall User Dispatch would replace the net, and its
 * %gs base would replace our TCB: both are refused or kept virtual. */
static long prctl_or_arch_prctl(struct arch_frame *f, struct tls_tcb *t)
{
	static uint64_t virtual_gs; /* the program's ARCH_SET_GS value */

	if (f->rax == __NR_prctl && f->rdi == 59 /* PR_SET_SYSCALL_USER_DISPATCH */)
		return -EBUSY;
	if (f->rax == __NR_arch_prctl && f->rdi == 0x1001 /* ARCH_SET_GS */) {
		virtual_gs = f->rsi;
		return 0;
	}
	if (f->rax == __NR_arch_prctl && f->rdi == 0x1004 /* ARCH_GET_GS */)
		return hook_copy_to(f->rsi, &virtual_gs, sizeof(virtual_gs));
	return hook_module_syscall(t, (long)f->rax, (long)f->rdi, (long)f->rsi, (long)f->rdx,
				   (long)f->r10, (long)f->r8, (long)f->r9);
}

long hook_dispatch_slow(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	switch (f->rax) {
	case __NR_rt_sigreturn:
	case __NR_rt_sigaction:
	case __NR_rt_sigprocmask:
	case __NR_rt_sigsuspend:
	case __NR_rt_sigtimedwait:
	case __NR_pselect6:
	case __NR_ppoll:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
	case __NR_sigaltstack:
		return hook_signal_syscall(f, t, trap);
	case __NR_clone:
	case __NR_clone3:
	case __NR_fork:
	case __NR_vfork:
		return hook_clone_syscall(f, t, trap);
	case __NR_exit:
	case __NR_exit_group:
	case __NR_execve:
	case __NR_execveat:
		return hook_exit_syscall(f, t, trap);
	case __NR_mmap:
	case __NR_mprotect:
	case __NR_pkey_mprotect:
	case __NR_munmap:
	case __NR_mremap:
		return hook_memory_syscall(f, t);
	case __NR_readlink:
	case __NR_readlinkat:
	case __NR_open:
	case __NR_openat:
	case __NR_openat2:
		return hook_procfs_syscall(f, t);
	case __NR_prctl:
	case __NR_arch_prctl:
		f->rax = (uint64_t)prctl_or_arch_prctl(f, t);
		return HOOK_DO_RETURN;
	case __NR_brk:
		/* Marked only with a budget; the net brings every syscall. */
		if (!heap_budget_size())
			break;
		f->rax = heap_brk(f->rdi);
		return HOOK_DO_RETURN;
	}
	if (hook_is_libc_hook(f->rax))
		return hook_libc_hook_syscall(f, t);
	f->rax = (uint64_t)hook_module_syscall(t, (long)f->rax, (long)f->rdi, (long)f->rsi,
					       (long)f->rdx, (long)f->r10, (long)f->r8,
					       (long)f->r9);
	return HOOK_DO_RETURN;
}
