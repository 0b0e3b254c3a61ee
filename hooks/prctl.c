// SPDX-License-Identifier: MIT
/*
 * prctl and arch_prctl: the program's own Syscall User Dispatch would
 * replace the safety net, and its %gs base would replace our TCB. The
 * first is refused (EBUSY, as for a second user of SUD), the second is
 * kept virtual: ARCH_GET_GS answers what ARCH_SET_GS was given. Every
 * other use goes to the module.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>
#include <errno.h>
#include <linux/prctl.h>

#include "hooks.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

static uint64_t virtual_gs; /* the program's ARCH_SET_GS value */

static long answer(struct arch_frame *f, struct tls_tcb *t)
{
	if (f->rax == __NR_prctl && f->rdi == PR_SET_SYSCALL_USER_DISPATCH)
		return -EBUSY;
	if (f->rax == __NR_arch_prctl && f->rdi == ARCH_SET_GS) {
		virtual_gs = f->rsi;
		return 0;
	}
	if (f->rax == __NR_arch_prctl && f->rdi == ARCH_GET_GS)
		return hook_copy_to(f->rsi, &virtual_gs, sizeof(virtual_gs));
	return hook_module_frame(t, f);
}

long hook_prctl_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	(void)trap;
	f->rax = (uint64_t)answer(f, t);
	return ARCH_ENTRY_RETURN;
}
