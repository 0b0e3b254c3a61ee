// SPDX-License-Identifier: MIT
/*
 * Setting the %fs base. The loader needs its own thread pointer because
 * Capstone (built with the stack protector) reads its canary at %fs:0x28,
 * and must give the program %fs = 0 at hand-off, as the kernel does.
 */
#include <asm/prctl.h>
#include <asm/unistd.h>

#include "arch.h"
#include "syscall_arch.h"

long arch_set_thread_pointer(void *tp)
{
	return arch_syscall2(__NR_arch_prctl, ARCH_SET_FS, tp);
}

uintptr_t arch_get_thread_pointer(void)
{
	uintptr_t tp = 0;

	arch_syscall2(__NR_arch_prctl, ARCH_GET_FS, &tp);
	return tp;
}
