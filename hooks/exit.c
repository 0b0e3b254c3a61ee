// SPDX-License-Identifier: MIT
/*
 * The ends of a thread and of a process.
 *
 * exit (one thread): the thread leaves the registry, its syscall count
 * goes to the process total, and its LibOS memory is unmapped from the
 * program's stack just before the real exit (syscall_entry.S). When it
 * was the last thread, the process ends too and reports.
 * exit_group: the process reports (hook_process_exit), then exits.
 */
#include <asm/unistd.h>
#include <seccomp_judge.h>
#include <signal_mask.h>

#include "hooks.h"
#include "signals.h"

static int live_threads;

static void count(struct tls_tcb *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
}

long hook_exit_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	int status = (int)f->rdi;

	switch (f->rax) {
	case __NR_exit_group:
		hook_thread_exit_event(t);
		status = hook_process_exit(status);
		hook_module_syscall(t, __NR_exit_group, status, 0, 0, 0, 0, 0);
		break;
	case __NR_exit:
		hook_thread_exit_event(t);
		if (t->owner != TLS_OWNED_BY_THREAD)
			break; /* a vfork child: its parent frees its TCB */
		/* From the unmap on, a handler would enter through a TCB that
		 * is gone: no handler may run any more (glibc's threads block
		 * everything before they exit too; raw threads need not). */
		libc_block_signals(NULL);
		tls_tid_remove(t);
		tls_unregister(t);
		tls_tcb_leaving(t);
		__atomic_add_fetch(&hook_state.exited_syscalls, t->syscalls, __ATOMIC_RELAXED);
		live_threads = 0;
		tls_for_each(count, &live_threads);
		if (live_threads == 0)
			status = hook_process_exit(status);
		/* Where the program's seccomp forbids the unmap, the memory is
		 * left (size 0: not unmapped) rather than the process killed. */
		size_t map_size = t->map_size;
		const long unmap[6] = {(long)t->map_base, (long)map_size};

		if (libc_seccomp_judge(__NR_munmap, unmap))
			map_size = 0;
		if (trap) {
			t->arch.entry_sp += TLS_STACK_SLICE; /* nothing of ours runs any more */
			const struct arch_ucontext *uc = trap->uc;
			arch_exit_thread(uc->uc_mcontext.rsp, t->map_base, map_size, status);
		}
		f->rdi = (uint64_t)status;
		f->rsi = (uint64_t)(uintptr_t)t->map_base;
		f->rdx = map_size;
		return ARCH_ENTRY_EXIT;
	}
	f->rax = (uint64_t)hook_module_frame(t, f);
	return ARCH_ENTRY_RETURN;
}
