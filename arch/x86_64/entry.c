// SPDX-License-Identifier: MIT
/*
 * The C half of the entry paths' contract (entry.h): a new TCB head, and
 * the callbacks the .S files call through arch_entry_calls.
 */
#include <string.h>

#include "arch.h"
#include "entry.h"

/* Read by sigsys_entry.S, syscall_entry.S and clone.S. */
struct arch_entry_calls arch_entry_calls;

void arch_entry_set_calls(const struct arch_entry_calls *calls)
{
	arch_entry_calls = *calls;
}

void arch_tcb_init(struct arch_tcb *t, uintptr_t stack_hi, arch_dispatch_fn dispatch)
{
	t->self = t;
	t->stack_hi = stack_hi;
	t->entry_sp = stack_hi;
	t->entry_fn = (uintptr_t)arch_syscall_entry;
	t->sud_selector = ARCH_SUD_BLOCK;
	t->syscall_sp = 0;
	t->dispatch = dispatch;
}
