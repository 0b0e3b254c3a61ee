// SPDX-License-Identifier: MIT
/*
 * A new thread's (or child's) first instructions, on its own TCB and LibOS
 * stack, before any instruction of the program: arch_clone_raw already
 * pointed %gs here and calls this through arch_entry_calls. Let the hooks
 * set the thread up (registry, the safety net, which is per thread and not
 * inherited; the module's thread_start), then start it as the kernel would
 * have (arch_resume).
 */
#include <linux/sched.h>
#include <signal_mask.h>
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "tcb.h"

void hook_child_start(struct arch_tcb *a)
{
	struct tls_tcb *t = tls_of(a);

	t->arch.self = &t->arch;
	t->ctx.tid = (int32_t)sys_gettid();
	hook_thread_started(t, t->clone_flags);
	if (t->clone_flags & CLONE_VM)
		tls_tid_add(t);  /* found by tid once the program owns %gs (gs.c) */
	if (t->resume_sets_mask) /* cloned from a trap, whose mask blocks all */
		libc_set_signal_mask(t->resume_mask);
	arch_resume(&t->resume);
}
