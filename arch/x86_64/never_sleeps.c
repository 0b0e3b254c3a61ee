// SPDX-License-Identifier: MIT
/*
 * Syscalls that never wait for anything a signal could interrupt.
 *
 * A syscall the safety net trapped runs with the program's signal mask
 * only for its duration, which costs two rt_sigprocmask calls around it
 * (arch_app_syscall6). For the calls below that buys nothing: a
 * signal cannot interrupt them, and one that is pending is delivered at
 * the net's rt_sigreturn, right after the call, as it would have been
 * natively. Anything that may sleep (read, write, open of a FIFO, close
 * on some file systems, fcntl locks, ioctl, futex, wait, poll...) is not
 * here. One bit per syscall number, read by app_syscall.S.
 */
#include <asm/unistd.h>
#include <stdint.h>

#include "arch.h"

/* clang-format off: a list, packed */
static const int numbers[] = {
	__NR_getpid,
	__NR_getppid,
	__NR_gettid,
	__NR_getuid,
	__NR_geteuid,
	__NR_getgid,
	__NR_getegid,
	__NR_getpgrp,
	__NR_getpgid,
	__NR_getsid,
	__NR_getresuid,
	__NR_getresgid,
	__NR_getgroups,
	__NR_uname,
	__NR_clock_gettime,
	__NR_clock_getres,
	__NR_gettimeofday,
	__NR_time,
	__NR_getcwd,
	__NR_lseek,
	__NR_fstat,
	__NR_brk,
	__NR_mmap,
	__NR_munmap,
	__NR_mprotect,
	__NR_madvise,
	__NR_getrlimit,
	__NR_prlimit64,
	__NR_umask,
	__NR_dup,
	__NR_dup2,
	__NR_dup3,
	__NR_getrusage,
	__NR_sched_yield,
	__NR_sched_getaffinity,
	__NR_set_tid_address,
	__NR_set_robust_list,
	__NR_rseq,
	__NR_arch_prctl,
	__NR_sysinfo,
	__NR_times,
	__NR_getpriority,
	__NR_kill,
	__NR_tgkill,
	__NR_tkill,
	__NR_rt_sigaction,
	__NR_rt_sigprocmask,
	__NR_sigaltstack,
	__NR_pipe,
	__NR_pipe2,
	__NR_socket,
	__NR_getsockname,
	__NR_getpeername,
	__NR_getsockopt,
	__NR_setsockopt,
};
/* clang-format on */

uint64_t arch_never_sleeps[ARCH_SYSCALL_MAX / 64];
uint8_t arch_app_unmasked;

void arch_never_sleeps_init(void)
{
	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		arch_never_sleeps[numbers[i] / 64] |= 1ULL << (numbers[i] % 64);
}
