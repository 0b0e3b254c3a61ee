// SPDX-License-Identifier: MIT
/*
 * A new thread's (or child's) first instructions, on its own TCB and LibOS
 * stack, before any instruction of the program: arch_clone_raw already
 * pointed %gs here. Register it, let the hooks set it up (the safety net
 * is per thread and not inherited), then start it as the kernel would
 * have (arch_resume).
 */
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "tcb.h"

void tls_child_entry(struct tls_tcb *t);

void tls_child_entry(struct tls_tcb *t)
{
	t->self = t;
	t->ctx.tid = (int32_t)arch_syscall0(__NR_gettid);
	hook_thread_started(t, t->clone_flags);
	if (t->resume_sets_mask) /* cloned from a trap, whose mask blocks all */
		arch_syscall4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &t->resume_mask, 0, 8);
	arch_resume(&t->resume);
}
