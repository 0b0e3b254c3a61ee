// SPDX-License-Identifier: MIT
/*
 * The life of a process under the interception core: set-up before the
 * program's first instruction, each new thread or child, and the end (the
 * report and the strict-mode verdict).
 */
#include <asm/unistd.h>
#include <linux/sched.h>
#include <own_ranges.h>
#include <stdio.h>
#include <string.h>
#include <libc.h>

#include "context.h"
#include "heap.h"
#include "hooks.h"
#include "module.h"
#include "patch.h"
#include "report.h"
#include "signals.h"

int hook_init(const struct hook_options *opt, struct tls_tcb *main_thread)
{
	static const struct arch_entry_calls calls = {
		.reentry_check = hook_reentry_check,
		.signal = hook_sigsys,
		.child_start = hook_child_start,
		.gs_enter = hook_gs_enter,
		.handler = hook_handler_entry,
	};
	int r;

	arch_entry_set_calls(&calls);
	uintptr_t self_lo, self_hi;
	arch_self_range(&self_lo, &self_hi); /* never the program's (hooks/memory.c) */
	libc_own_add(self_lo, self_hi, LIBC_OWN_LOADER);
	patch_configure(&(struct patch_config){
		.rewrite = opt->mode != HOOK_MODE_SUD_ONLY,
		.arm_net = hook_net_arm,
		.gs_writer = hook_gs_take,
	});
	hook_state.opt = *opt;
	if (!hook_state.module)
		hook_state.module = &hook_passthrough;
	hook_state.pid = hook_state.first_pid = (int)sys_getpid();
	hook_dispatch_init(main_thread);
	main_thread->ctx.tid = (int32_t)sys_gettid();
	main_thread->owner = TLS_OWNED_BY_THREAD;
	r = tls_install(main_thread);
	if (r < 0)
		return r;
	tls_register(main_thread);
	/* The program's SIGSYS as the exec left it: its action (SIG_IGN
	 * survives an exec), its mask bit and a pending one (hook_sigsys_adopt). */
	hook_app_action_take(HOOK_SIGSYS);
	r = hook_take_signal(HOOK_SIGSYS);
	if (r < 0)
		return r;
	hook_sigsys_adopt(main_thread);
	if (opt->mode != HOOK_MODE_DEFAULT) {
		/* A mode that promises the net cannot run without it: the
		 * loader says so (loader/run.c) and the program never starts. */
		hook_state.net_quiet = 1;
		hook_net_arm(opt->mode == HOOK_MODE_STRICT ? "--strict" : "--sud-only");
		hook_state.net_quiet = 0;
		if (hook_state.net_error)
			return hook_state.net_error;
	}
	/* The main thread's thread_start follows the module's init
	 * (loader/run.c). */
	return 0;
}

void hook_fork_child(struct tls_tcb *t)
{
	hook_state.pid = (int)sys_getpid();
	t->ctx.tid = (int32_t)sys_gettid();
	tls_reset_after_fork(t);
	heap_fork_child();              /* its copy of the books, taken whole */
	t->owner = TLS_OWNED_BY_THREAD; /* its copy of the TCB is its own to free */
	/* A new process counts its own syscalls from here. */
	hook_state.exited_syscalls = 0;
	hook_state.trapped_syscalls = 0;
	hook_state.escapes = 0;
	hook_state.threads_started = hook_state.threads_exited = 0;
	t->syscalls = 0;
	hook_sigsys_fork_child(t);
	/* Syscall User Dispatch is not inherited, the net's nor the
	 * program's. */
	t->sud_on = 0;
	hook_app_sud_reset(t);
	hook_net_apply(t);
}

void hook_thread_started(struct tls_tcb *t, uint64_t clone_flags)
{
	if (!(clone_flags & CLONE_VM)) {
		tls_fork_unlock();  /* taken for it in hook_clone_syscall */
		hook_fork_child(t); /* a process with its own memory, on a new stack */
	} else if (t->owner == TLS_OWNED_BY_THREAD)
		tls_register(t);
	hook_net_apply(t);
	if (clone_flags & CLONE_VM)
		hook_thread_start_event(t);
}

void hook_thread_start_event(struct tls_tcb *t)
{
	__atomic_add_fetch(&hook_state.threads_started, 1, __ATOMIC_RELAXED);
	if (hook_state.module->thread_start)
		hook_state.module->thread_start(&t->ctx);
}

void hook_thread_exit_event(struct tls_tcb *t)
{
	__atomic_add_fetch(&hook_state.threads_exited, 1, __ATOMIC_RELAXED);
	if (hook_state.module->thread_exit)
		hook_state.module->thread_exit(&t->ctx);
}

/* A vfork child runs in its parent's memory, hook_state included: the
 * counts are the parent's and so is the report, written when the parent's
 * image ends. The child is told apart by its pid. */
static int in_vfork_child(void)
{
	long pid = sys_getpid();

	/* Refused (the program's seccomp): the TCB says it, a vfork
	 * child's being its parent's to free. */
	if (pid < 0) {
		const struct tls_tcb *t = tls_self();

		return t && t->owner == TLS_OWNED_BY_PARENT;
	}
	return pid != hook_state.pid;
}

static int writes_report(void)
{
	const char *p = hook_state.opt.report_path;

	if (!p || in_vfork_child())
		return 0;
	/* Without a %p in the path only the process the loader started
	 * reports, so that its children do not overwrite its report. */
	return strstr(p, "%p") || hook_state.pid == hook_state.first_pid; /* no syscall: seccomp */
}

void hook_report(int at_exec)
{
	if (writes_report())
		hook_report_write(hook_state.opt.report_path,
				  at_exec ? hook_state.opt.exec_count : -1);
}

int hook_process_exit(int status)
{
	uint64_t escapes = hook_state.escapes;

	if (in_vfork_child())
		return status;
	hook_module_fini(status);
	hook_report(0);
	if (hook_state.opt.mode == HOOK_MODE_STRICT && escapes) {
		libc_say("%lu syscalls escaped interception", (unsigned long)escapes);
		if (status == 0)
			status = 1;
	}
	/* A thread that started after the program sandboxed itself ran with
	 * no net: the run proves nothing. */
	if (hook_state.opt.mode == HOOK_MODE_STRICT && hook_state.net_unarmed) {
		libc_say("the safety net was not armed in %u threads",
			 (unsigned)hook_state.net_unarmed);
		if (status == 0)
			status = 1;
	}
	return status;
}
