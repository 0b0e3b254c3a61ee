/* SPDX-License-Identifier: MIT */
/*
 * The program's seccomp, as the kernel will judge the loader's own
 * syscalls by it. Once the program has put itself in strict mode or
 * installed a filter (hooks/seccomp.c tells us, from its own prctl or
 * seccomp call), every raw syscall of the loader (syscall_arch.h) is first
 * judged here, and one that the kernel would not simply run (kill, trap,
 * a tracer's or a supervisor's say) is not made: it fails with -EPERM (or
 * the filter's own errno), which every caller copes with, as with any
 * failure. The program's own syscalls (arch_app_syscall6) are not judged
 * here: the kernel judges them, as natively.
 *
 * The state is the process's, not each thread's: strict mode or a filter
 * in any thread governs the loader's syscalls in all of them (it can only
 * leave out what the kernel would have allowed, never make what it kills).
 */
#ifndef LIBC_SECCOMP_JUDGE_H
#define LIBC_SECCOMP_JUDGE_H

#include <stdint.h>

/* Non-zero once a mode is in force (read by every raw syscall). */
extern int libc_seccomp_on;

/* A classic BPF program as seccomp takes it (struct sock_filter). */
struct libc_bpf_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

/* Strict mode is in force (from now on). */
void libc_seccomp_strict(void);
/* Room for the copy of a filter of count instructions, which the caller
 * fills, or NULL (no memory: then nothing is made any more once it is
 * committed, what the filter says is unknown). Called before the
 * program's install, to take the copy while every call is still allowed,
 * then libc_seccomp_commit(1) if it succeeded or (0) if it did not (or
 * the copy could not be made). The copy goes straight to the heap: a
 * filter is up to 32 KiB, too much for a LibOS stack (tls/tcb.h). */
struct libc_bpf_insn *libc_seccomp_prepare(unsigned count);
void libc_seccomp_commit(int installed);

/* 0 if the kernel would run syscall nr with these arguments, else the
 * -errno the loader's call answers with instead of being made. */
long libc_seccomp_judge(long nr, const long args[6]);

/* The program's run of one classic BPF program over a struct
 * seccomp_data (64 bytes): the action word (bpf_run.c). */
uint32_t libc_bpf_run(const struct libc_bpf_insn *insns, unsigned count, const void *data,
		      unsigned size);

#endif
