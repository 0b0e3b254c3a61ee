// SPDX-License-Identifier: MIT
/*
 * Restarting the program's syscall that a signal of the loader's own
 * interrupted.
 *
 * The program's syscalls really run in arch_app_syscall6 (app_syscall.S),
 * with the real SIGSYS open: the loader's nudge, or a SIGSYS the program
 * blocks or ignores, runs the loader's handler there, and the kernel
 * then answers a blocked read, futex, poll or nanosleep with EINTR, where
 * natively no signal came. The kernel restarts a call itself when no
 * handler runs (%rip back by the syscall's two bytes, %rax the number
 * again); this does the same from the handler, with the number that
 * app_syscall.S keeps in %rbp.
 */
#include <errno.h>

#include "arch.h"

/* The instructions right after the two syscalls a signal can interrupt. */
extern const char arch_app_syscall_done[], arch_app_syscall_masked_done[];

long arch_app_syscall_interrupted(const struct arch_ucontext *uc)
{
	const struct sigcontext *m = &uc->uc_mcontext;

	if (m->rip != (uintptr_t)arch_app_syscall_done &&
	    m->rip != (uintptr_t)arch_app_syscall_masked_done)
		return -1;
	if ((long)m->rax != -EINTR)
		return -1;
	return (long)m->rbp;
}

void arch_app_syscall_restart(struct arch_ucontext *uc, long nr)
{
	uc->uc_mcontext.rip -= ARCH_SYSCALL_SIZE;
	uc->uc_mcontext.rax = (uint64_t)nr;
}

/* Where the syscall's argument i is, in the kernel's sigcontext. */
static __u64 *arg_at(struct arch_ucontext *uc, int i)
{
	struct sigcontext *m = &uc->uc_mcontext;

	switch (i) {
	case 0:
		return &m->rdi;
	case 1:
		return &m->rsi;
	case 2:
		return &m->rdx;
	case 3:
		return &m->r10;
	case 4:
		return &m->r8;
	default:
		return &m->r9;
	}
}

uint64_t arch_app_syscall_arg(struct arch_ucontext *uc, int i)
{
	return *arg_at(uc, i);
}

void arch_app_syscall_set_arg(struct arch_ucontext *uc, int i, uint64_t value)
{
	*arg_at(uc, i) = value;
}
