/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls, one inline wrapper each. Every wrapper returns what the
 * kernel returned: a value, or -errno. Nothing here sets errno (there is
 * none) and nothing retries; callers decide.
 */
#ifndef LIBC_SYS_H
#define LIBC_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/time.h>

#include "syscall_arch.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Raw mmap result: an address, or -errno in [-4095, -1]. */
static inline int sys_is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

static inline long sys_read(int fd, void *buf, size_t n)
{
	return arch_syscall3(__NR_read, fd, buf, n);
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return arch_syscall3(__NR_write, fd, buf, n);
}

static inline long sys_pwrite(int fd, const void *buf, size_t n, long off)
{
	return arch_syscall4(__NR_pwrite64, fd, buf, n, off);
}

static inline long sys_readlink(const char *path, char *buf, size_t n)
{
	return arch_syscall4(__NR_readlinkat, AT_FDCWD, path, buf, n);
}

static inline long sys_pread(int fd, void *buf, size_t n, long off)
{
	return arch_syscall4(__NR_pread64, fd, buf, n, off);
}

static inline long sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return arch_syscall4(__NR_openat, dirfd, path, flags, mode);
}

static inline long sys_open(const char *path, int flags)
{
	return sys_openat(AT_FDCWD, path, flags | O_CLOEXEC, 0);
}

static inline long sys_close(int fd)
{
	return arch_syscall1(__NR_close, fd);
}

static inline long sys_fcntl(int fd, int cmd, long arg)
{
	return arch_syscall3(__NR_fcntl, fd, cmd, arg);
}

static inline long sys_fstat(int fd, struct stat *st)
{
	return arch_syscall2(__NR_fstat, fd, st);
}

static inline long sys_fstatfs(int fd, struct statfs *st)
{
	return arch_syscall2(__NR_fstatfs, fd, st);
}

static inline long sys_fgetxattr(int fd, const char *name, void *value, size_t size)
{
	return arch_syscall4(__NR_fgetxattr, fd, name, value, size);
}

static inline long sys_geteuid(void)
{
	return arch_syscall0(__NR_geteuid);
}

static inline long sys_getegid(void)
{
	return arch_syscall0(__NR_getegid);
}

static inline long sys_stat(const char *path, struct stat *st)
{
	return arch_syscall4(__NR_newfstatat, AT_FDCWD, path, st, 0);
}

static inline long sys_faccessat(int dirfd, const char *path, int mode, int flags)
{
	return arch_syscall4(__NR_faccessat2, dirfd, path, mode, flags);
}

static inline long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return arch_syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

static inline long sys_munmap(void *addr, size_t len)
{
	return arch_syscall2(__NR_munmap, addr, len);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return arch_syscall3(__NR_mprotect, addr, len, prot);
}

static inline long sys_brk(void *addr)
{
	return arch_syscall1(__NR_brk, addr);
}

static inline long sys_prctl(int op, long a2, long a3, long a4, long a5)
{
	return arch_syscall5(__NR_prctl, op, a2, a3, a4, a5);
}

static inline long sys_getrandom(void *buf, size_t n, unsigned flags)
{
	return arch_syscall3(__NR_getrandom, buf, n, flags);
}

static inline long sys_clock_gettime(int clock, struct timespec *ts)
{
	return arch_syscall2(__NR_clock_gettime, clock, ts);
}

static inline long sys_getpid(void)
{
	return arch_syscall0(__NR_getpid);
}

static inline long sys_kill(int pid, int sig)
{
	return arch_syscall2(__NR_kill, pid, sig);
}

static inline long sys_sched_yield(void)
{
	return arch_syscall0(__NR_sched_yield);
}

__attribute__((noreturn)) static inline void sys_exit_group(int status)
{
	for (;;)
		arch_syscall1(__NR_exit_group, status);
}

#endif
