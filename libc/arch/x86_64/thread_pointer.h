/* SPDX-License-Identifier: MIT */
/*
 * The thread pointer, %fs on x86-64. The loader needs its own because
 * Capstone (built with the stack protector) reads its canary at %fs:0x28,
 * and must give the program %fs = 0 at hand-off, as the kernel does. The
 * libc sets it at start-up (libc_start); the loader switches it around
 * foreign code (tls/context.c).
 */
#ifndef LIBC_THREAD_POINTER_H
#define LIBC_THREAD_POINTER_H

#include <asm/prctl.h>
#include <asm/unistd.h>
#include <stdint.h>

#include "syscall_arch.h"

/* Point %fs at tp (ARCH_SET_FS). Returns 0 or -errno. */
static inline long libc_set_thread_pointer(void *tp)
{
	return __syscall2(__NR_arch_prctl, ARCH_SET_FS, tp);
}

/* The current %fs base (ARCH_GET_FS), or 0. */
static inline uintptr_t libc_get_thread_pointer(void)
{
	uintptr_t tp = 0;

	__syscall2(__NR_arch_prctl, ARCH_GET_FS, &tp);
	return tp;
}

#endif
