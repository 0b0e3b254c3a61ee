// SPDX-License-Identifier: MIT
/*
 * prctl and arch_prctl: the program's own Syscall User Dispatch would
 * replace the safety net, and its %gs base would replace our TCB. The
 * first is virtual (app_sud.c); for the second, the loader hands %gs over
 * to the program (gs.c). The program's seccomp is learnt as it is put in
 * force (seccomp.c). Every other use goes to the module.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>
#include <errno.h>
#include <linux/prctl.h>

#include "hooks.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

static long answer(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	if (f->rax == __NR_prctl && f->rdi == PR_SET_SYSCALL_USER_DISPATCH)
		return hook_app_sud_prctl(f, t);
	if (f->rax == __NR_arch_prctl && (f->rdi == ARCH_SET_GS || f->rdi == ARCH_GET_GS))
		return hook_gs_arch_prctl(f, t, trap);
	if (f->rax == __NR_seccomp || (f->rax == __NR_prctl && f->rdi == PR_SET_SECCOMP))
		return hook_seccomp_install(f, t);
	return hook_module_frame(t, f);
}

long hook_prctl_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	f->rax = (uint64_t)answer(f, t, trap);
	return ARCH_ENTRY_RETURN;
}
