// SPDX-License-Identifier: MIT
/*
 * The dispatcher: where every syscall of the program arrives, from a stub
 * (hook_syscall, the fast path) or from the safety net (hook_sigsys, with
 * a hook_trap). Most syscalls go straight to the module. The ones in the
 * table below the loader must see first, because they would break the
 * interception if executed blindly: signal masks and the SIGSYS action
 * (the net needs SIGSYS), clone and fork (a child needs its own TCB and
 * stack), exit (a thread's LibOS memory must be freed, a process reports),
 * exec (the new program stays under the loader), rt_sigreturn (it must
 * run on the program's stack), memory that becomes executable (it must be
 * patched or watched) or committed (the heap budget, which also takes brk
 * when there is one), /proc/self/exe, and the program's own use of %gs
 * and of SUD. Adding one is one line of the table.
 *
 * The fast path touches only this thread's TCB: no locks, no atomics. Its
 * test is the TCB's copy of the table's bitmap (tls/tcb.h says why).
 */
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>

#include "arch.h"
#include "hooks.h"
#include "libc_hooks.h"
#include "module.h"
#include "signals.h"

#ifndef __NR_mseal
#define __NR_mseal 462 /* newer than the headers may be */
#endif

struct hook_state hook_state;

typedef long (*hook_handler)(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);

/* The handlers, by kind. */
enum kind { NONE, SIGNAL, CLONE, EXIT, EXEC, MEMORY, BRK, PROCFS, PRCTL, KIND_COUNT };

/* clang-format off: a table, one entry a line */
static const hook_handler handlers[KIND_COUNT] = {
	[SIGNAL] = hook_signal_syscall, [CLONE] = hook_clone_syscall,   [EXIT] = hook_exit_syscall,
	[EXEC] = hook_exec_syscall,     [MEMORY] = hook_memory_syscall, [BRK] = hook_brk_syscall,
	[PROCFS] = hook_procfs_syscall, [PRCTL] = hook_prctl_syscall,
};
/* clang-format on */

/* Only some runs need these: a run takes them with hook_dispatch_take:
 * brk with a heap budget, /proc/self/exe where the kernel's names the
 * loader (procfs.c). */
#define TAKEN_ONLY(kind) ((kind) == BRK || (kind) == PROCFS)

/* The syscalls the loader handles itself: the kind of handler of each
 * number. Bytes, not pointers: a table of 512 pointers would be 8 KiB of
 * relocations applied, two pages copied, at every start. */
static const uint8_t table[ARCH_SYSCALL_MAX] = {
	[__NR_rt_sigreturn] = SIGNAL,   [__NR_rt_sigaction] = SIGNAL,
	[__NR_rt_sigprocmask] = SIGNAL, [__NR_rt_sigsuspend] = SIGNAL,
	[__NR_rt_sigpending] = SIGNAL,  [__NR_rt_sigtimedwait] = SIGNAL,
	[__NR_pselect6] = SIGNAL,       [__NR_ppoll] = SIGNAL,
	[__NR_epoll_pwait] = SIGNAL,    [__NR_epoll_pwait2] = SIGNAL,
	[__NR_sigaltstack] = SIGNAL,    [__NR_clone] = CLONE,
	[__NR_clone3] = CLONE,          [__NR_fork] = CLONE,
	[__NR_vfork] = CLONE,           [__NR_exit] = EXIT,
	[__NR_exit_group] = EXIT,       [__NR_execve] = EXEC,
	[__NR_execveat] = EXEC,         [__NR_mmap] = MEMORY,
	[__NR_mprotect] = MEMORY,       [__NR_pkey_mprotect] = MEMORY,
	[__NR_munmap] = MEMORY,         [__NR_mremap] = MEMORY,
	[__NR_madvise] = MEMORY,        [__NR_shmat] = MEMORY,
	[__NR_mseal] = MEMORY,          [__NR_brk] = BRK,
	[__NR_readlink] = PROCFS,       [__NR_readlinkat] = PROCFS,
	[__NR_open] = PROCFS,           [__NR_openat] = PROCFS,
	[__NR_openat2] = PROCFS,        [__NR_stat] = PROCFS,
	[__NR_newfstatat] = PROCFS,     [__NR_statx] = PROCFS,
	[__NR_prctl] = PRCTL,           [__NR_arch_prctl] = PRCTL,
	[__NR_seccomp] = PRCTL,
};

/* One bit per syscall the fast path leaves to hook_dispatch_slow: the
 * table's, less the ones not taken. Copied into every TCB. */
static uint64_t special[ARCH_SYSCALL_MAX / 64];

static void publish(struct tls_tcb *main_thread)
{
	tls_tcb_set_model(special, (void *)hook_state.module->syscall, hook_syscall);
	memcpy(main_thread->special, special, sizeof(special));
}

void hook_dispatch_init(struct tls_tcb *main_thread)
{
	for (unsigned nr = 0; nr < ARCH_SYSCALL_MAX; nr++)
		if (table[nr] != NONE && !TAKEN_ONLY(table[nr]))
			special[nr / 64] |= 1ULL << (nr % 64);
	arch_never_sleeps_init();
	publish(main_thread);
	main_thread->module_syscall = hook_state.module->syscall;
	main_thread->arch.dispatch = hook_syscall;
}

void hook_dispatch_take(long nr, struct tls_tcb *main_thread)
{
	special[nr / 64] |= 1ULL << (nr % 64);
	publish(main_thread);
}

long hook_module_syscall(struct tls_tcb *t, long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6)
{
	return t->module_syscall(&t->ctx, nr, a1, a2, a3, a4, a5, a6);
}

long hook_module_frame(struct tls_tcb *t, const struct arch_frame *f)
{
	return t->module_syscall(&t->ctx, (long)f->rax, (long)f->rdi, (long)f->rsi, (long)f->rdx,
				 (long)f->r10, (long)f->r8, (long)f->r9);
}

/* The fast path. It reads and writes this thread's TCB page only (see
 * tls/tcb.h for why), and lives in .text.hot with arch_syscall_entry and
 * the passthrough module, so that its code is one page too. */
__attribute__((section(".text.hot.libos"))) long hook_syscall(struct arch_frame *f,
							      struct arch_tcb *a)
{
	struct tls_tcb *t = tls_of(a);
	unsigned long nr = f->rax;
	long action = ARCH_ENTRY_RETURN;
	uintptr_t outer_sp = t->arch.syscall_sp;

	t->syscalls++;
	t->arch.syscall_sp = f->stub.app_sp & ~(uintptr_t)15; /* bit 0 clear: not a trap */
	if (__builtin_expect(t->net_pending, 0))
		hook_net_apply(t);
	if (__builtin_expect(nr >= ARCH_SYSCALL_MAX || (t->special[nr >> 6] >> (nr & 63)) & 1, 0)) {
		/* The program's own SUD makes every bit 1 (app_sud.c). */
		if (__builtin_expect(t->app_sud.on, 0))
			hook_app_sud_check(f, t, NULL, outer_sp); /* returns if it runs */
		action = hook_dispatch_slow(f, t, NULL);
	} else
		f->rax = (uint64_t)t->module_syscall(&t->ctx, (long)nr, (long)f->rdi, (long)f->rsi,
						     (long)f->rdx, (long)f->r10, (long)f->r8,
						     (long)f->r9);
	t->arch.syscall_sp = outer_sp;
	/* A handler of the program's that interrupted this call may have
	 * changed where the program goes on (program_context.c). */
	if (__builtin_expect((long)f->rax == -EINTR, 0) && action == ARCH_ENTRY_RETURN)
		hook_program_context_leave(f, t);
	return action;
}

long hook_dispatch_slow(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	if (f->rax < ARCH_SYSCALL_MAX && table[f->rax] != NONE)
		return handlers[table[f->rax]](f, t, trap);
	if (hook_is_libc_hook(f->rax))
		return hook_libc_hook_syscall(f, t, trap);
	f->rax = (uint64_t)hook_module_frame(t, f);
	return ARCH_ENTRY_RETURN;
}
