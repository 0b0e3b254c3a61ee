/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 contract the rest of the loader relies on: what arch/x86_64
 * provides, declared in one place. Generic code includes this header, never
 * an assembly file's internals.
 */
#ifndef ARCH_X86_64_ARCH_H
#define ARCH_X86_64_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* Start the program: copy the finished initial stack to sp and jump to
 * entry with every register as the kernel leaves it. Never returns. */
__attribute__((noreturn)) void arch_enter_program(const void *image, size_t size, void *sp,
						  uintptr_t entry);

/* Point %fs at tp (ARCH_SET_FS). Returns 0 or -errno. */
long arch_set_thread_pointer(void *tp);

#endif
