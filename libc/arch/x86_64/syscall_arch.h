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
 *
 * Built with LIBC_FAULT_INJECTION (the test-only libos-loader-faults,
 * meson option fault_injection), every call first asks libc_fault_check
 * (libc/src/fault/fault.c) whether LIBOS_TEST_FAULT makes it fail: the one
 * place where each of the loader's own raw syscalls can be refused. The
 * installed loader is built without it and has no such knob.
 *
 * Once the program has put itself under seccomp, each call is first judged
 * by the program's filter (libc/src/seccomp/judge.c), and one it would not
 * let through fails instead of being made.
 */
#ifndef LIBC_SYSCALL_ARCH_H
#define LIBC_SYSCALL_ARCH_H

#ifdef LIBOS_READY
#include <libos/note.h>
#define LIBC_SYSCALL_INSN SYSCALL_INST
#else
#define LIBC_SYSCALL_INSN "syscall"
#endif

static inline long __syscall6_raw(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
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

/* Once the program is under seccomp, each call is judged first
 * (seccomp_judge.h): one the program's filter would not let through is
 * not made. */
extern int libc_seccomp_on;
long libc_seccomp_judge(long nr, const long args[6]);

static inline long __syscall6_judged(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	if (__builtin_expect(__atomic_load_n(&libc_seccomp_on, __ATOMIC_ACQUIRE), 0)) {
		const long args[6] = {a1, a2, a3, a4, a5, a6};
		long j = libc_seccomp_judge(nr, args);

		if (j)
			return j;
	}
	return __syscall6_raw(nr, a1, a2, a3, a4, a5, a6);
}

#ifdef LIBC_FAULT_INJECTION
/* 0 to make the call (*a3 may have been shortened), or the -errno it
 * fails with. */
long libc_fault_check(long nr, long a1, long a2, long *a3);

static inline long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long f = libc_fault_check(nr, a1, a2, &a3);

	return f ? f : __syscall6_judged(nr, a1, a2, a3, a4, a5, a6);
}
#else
#define __syscall6 __syscall6_judged
#endif

#define __syscall0(n)             __syscall6((n), 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)          __syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)       __syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)    __syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d) __syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __syscall5(n, a, b, c, d, e)                                                               \
	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif
