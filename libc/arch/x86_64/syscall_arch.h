/* SPDX-License-Identifier: MIT */
/*
 * The raw system call: the one place where C reaches the `syscall`
 * instruction, and the libc's only machine-specific part (musl keeps its
 * syscall_arch.h the same way, below the rest of its libc). Every call returns the kernel's value
 * unchanged, which is -errno on failure; errno exists nowhere inside the loader. Later, the
 * interception core tells its own syscalls apart by their address, so all
 * of them must come through here.
 *
 * Built with LIBOS_READY (the LibOS-ready test libc, tests/note/), the
 * instruction is note.h's SYSCALL_INST instead: padded with nops and
 * listed in the object's LibOS site list, so that a LibOS rewrites it
 * without disassembling anything.
 */
#ifndef LIBC_SYSCALL_ARCH_H
#define LIBC_SYSCALL_ARCH_H

#ifdef LIBOS_READY
#include <libos/note.h>
#define LIBC_SYSCALL_INSN SYSCALL_INST
#else
#define LIBC_SYSCALL_INSN "syscall"
#endif

static inline long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile(LIBC_SYSCALL_INSN
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define __syscall0(n)             __syscall6((n), 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)          __syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)       __syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)    __syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d) __syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __syscall5(n, a, b, c, d, e)                                                               \
	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif
