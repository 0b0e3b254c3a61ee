// SPDX-License-Identifier: MIT
/* A library whose code sets %gs itself (for gs_prog dlopen): wrgsbase
 * where the kernel says FSGSBASE is usable, else arch_prctl; either way
 * its code holds a wrgsbase, so the loader must hand %gs over when its
 * mmap brings this code, before any of it runs. */
#include <asm/prctl.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

void gs_lib_set(void *block)
{
	if (getauxval(AT_HWCAP2) & 2)
		__asm__ volatile("wrgsbase %0" ::"r"(block) : "memory");
	else
		syscall(SYS_arch_prctl, ARCH_SET_GS, block);
}
