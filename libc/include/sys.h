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
#include <linux/time_types.h> /* before resource.h, which needs it (hosted fuzz builds) */
#include <linux/resource.h>
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
	return __syscall3(__NR_read, fd, buf, n);
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return __syscall3(__NR_write, fd, buf, n);
}

static inline long sys_pwrite(int fd, const void *buf, size_t n, long off)
{
	return __syscall4(__NR_pwrite64, fd, buf, n, off);
}

static inline long sys_readlink(const char *path, char *buf, size_t n)
{
	return __syscall4(__NR_readlinkat, AT_FDCWD, path, buf, n);
}

static inline long sys_pread(int fd, void *buf, size_t n, long off)
{
	return __syscall4(__NR_pread64, fd, buf, n, off);
}

static inline long sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return __syscall4(__NR_openat, dirfd, path, flags, mode);
}

static inline long sys_open(const char *path, int flags)
{
	return sys_openat(AT_FDCWD, path, flags | O_CLOEXEC, 0);
}

static inline long sys_close(int fd)
{
	return __syscall1(__NR_close, fd);
}

static inline long sys_dup3(int old, int new_fd, int flags)
{
	return __syscall3(__NR_dup3, old, new_fd, flags);
}

static inline long sys_fcntl(int fd, int cmd, long arg)
{
	return __syscall3(__NR_fcntl, fd, cmd, arg);
}

static inline long sys_fstat(int fd, struct stat *st)
{
	return __syscall2(__NR_fstat, fd, st);
}

static inline long sys_fstatfs(int fd, struct statfs *st)
{
	return __syscall2(__NR_fstatfs, fd, st);
}

static inline long sys_fgetxattr(int fd, const char *name, void *value, size_t size)
{
	return __syscall4(__NR_fgetxattr, fd, name, value, size);
}

static inline long sys_geteuid(void)
{
	return __syscall0(__NR_geteuid);
}

static inline long sys_getegid(void)
{
	return __syscall0(__NR_getegid);
}

static inline long sys_stat(const char *path, struct stat *st)
{
	return __syscall4(__NR_newfstatat, AT_FDCWD, path, st, 0);
}

static inline long sys_faccessat(int dirfd, const char *path, int mode, int flags)
{
	return __syscall4(__NR_faccessat2, dirfd, path, mode, flags);
}

static inline long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return __syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

static inline long sys_munmap(void *addr, size_t len)
{
	return __syscall2(__NR_munmap, addr, len);
}

static inline long sys_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return __syscall5(__NR_mremap, old, old_len, new_len, flags, new_addr);
}

/* cmd as the x86-64 kernel takes it (always IPC_64's layout). */
static inline long sys_shmctl(int id, int cmd, void *buf)
{
	return __syscall3(__NR_shmctl, id, cmd, buf);
}

static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return __syscall3(__NR_mprotect, addr, len, prot);
}

static inline long sys_madvise(void *addr, size_t len, int advice)
{
	return __syscall3(__NR_madvise, addr, len, advice);
}

static inline long sys_brk(void *addr)
{
	return __syscall1(__NR_brk, addr);
}

static inline long sys_prctl(int op, long a2, long a3, long a4, long a5)
{
	return __syscall5(__NR_prctl, op, a2, a3, a4, a5);
}

static inline long sys_getrandom(void *buf, size_t n, unsigned flags)
{
	return __syscall3(__NR_getrandom, buf, n, flags);
}

static inline long sys_clock_gettime(int clock, struct timespec *ts)
{
	return __syscall2(__NR_clock_gettime, clock, ts);
}

static inline long sys_getpid(void)
{
	return __syscall0(__NR_getpid);
}

static inline long sys_getppid(void)
{
	return __syscall0(__NR_getppid);
}

static inline long sys_gettid(void)
{
	return __syscall0(__NR_gettid);
}

static inline long sys_tgkill(int pid, int tid, int sig)
{
	return __syscall3(__NR_tgkill, pid, tid, sig);
}

static inline long sys_getcpu(unsigned *cpu, unsigned *node)
{
	return __syscall3(__NR_getcpu, cpu, node, 0);
}

static inline long sys_personality(unsigned long persona)
{
	return __syscall1(__NR_personality, persona);
}

static inline long sys_arch_prctl(int code, unsigned long addr)
{
	return __syscall2(__NR_arch_prctl, code, addr);
}

/* The kernel's sigset is 64 bits on x86-64; every mask here is one word. */
static inline long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return __syscall4(__NR_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}

/* info: a siginfo_t (128 bytes); to the calling thread, any si_code. */
static inline long sys_rt_tgsigqueueinfo(int pid, int tid, int sig, const void *info)
{
	return __syscall4(__NR_rt_tgsigqueueinfo, pid, tid, sig, info);
}

static inline long sys_rt_sigtimedwait(const uint64_t *set, void *info, const void *timeout)
{
	return __syscall4(__NR_rt_sigtimedwait, set, info, timeout, sizeof(uint64_t));
}

static inline long sys_rt_sigpending(uint64_t *set)
{
	return __syscall2(__NR_rt_sigpending, set, sizeof(uint64_t));
}

/* act and old are struct sigaction as the kernel takes it (handler, flags,
 * restorer, mask). */
static inline long sys_rt_sigaction(int sig, const void *act, void *old)
{
	return __syscall4(__NR_rt_sigaction, sig, act, old, sizeof(uint64_t));
}

static inline long sys_sigaltstack(const void *ss, void *old)
{
	return __syscall2(__NR_sigaltstack, ss, old);
}

static inline long sys_getcwd(char *buf, size_t size)
{
	return __syscall2(__NR_getcwd, buf, size);
}

static inline long sys_mkdir(const char *path, int mode)
{
	return __syscall3(__NR_mkdirat, AT_FDCWD, path, mode);
}

static inline long sys_lstat(const char *path, struct stat *st)
{
	return __syscall4(__NR_newfstatat, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

static inline long sys_rename(const char *from, const char *to)
{
	return __syscall4(__NR_renameat, AT_FDCWD, from, AT_FDCWD, to);
}

static inline long sys_fchmod(int fd, int mode)
{
	return __syscall2(__NR_fchmod, fd, mode);
}

static inline long sys_fchown(int fd, unsigned uid, unsigned gid)
{
	return __syscall3(__NR_fchown, fd, uid, gid);
}

static inline long sys_unlink(const char *path)
{
	return __syscall3(__NR_unlinkat, AT_FDCWD, path, 0);
}

static inline long sys_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return __syscall4(__NR_newfstatat, dirfd, path, st, flags);
}

static inline long sys_renameat(int from_dir, const char *from, int to_dir, const char *to)
{
	return __syscall4(__NR_renameat, from_dir, from, to_dir, to);
}

static inline long sys_unlinkat(int dirfd, const char *path, int flags)
{
	return __syscall3(__NR_unlinkat, dirfd, path, flags);
}

static inline long sys_ftruncate(int fd, long size)
{
	return __syscall2(__NR_ftruncate, fd, size);
}

static inline long sys_getdents64(int fd, void *buf, size_t size)
{
	return __syscall3(__NR_getdents64, fd, buf, size);
}

/* struct iovec, as process_vm_readv and _writev take it. */
struct sys_iovec {
	const void *base;
	size_t len;
};

/* process_vm_readv/writev on one local and one remote range of n bytes.
 * local is read's destination: what it holds before does not matter. */
static inline long sys_process_vm_read(int pid, void *local, const void *remote, size_t n)
{
	struct sys_iovec r = {remote, n};
	// cppcheck-suppress ctuuninitvar
	struct sys_iovec l = {local, n};

	return __syscall6(__NR_process_vm_readv, pid, (long)&l, 1, (long)&r, 1, 0);
}

static inline long sys_process_vm_write(int pid, const void *local, void *remote, size_t n)
{
	struct sys_iovec l = {local, n}, r = {remote, n};

	return __syscall6(__NR_process_vm_writev, pid, (long)&l, 1, (long)&r, 1, 0);
}

static inline long sys_kill(int pid, int sig)
{
	return __syscall2(__NR_kill, pid, sig);
}

static inline long sys_sched_yield(void)
{
	return __syscall0(__NR_sched_yield);
}

static inline long sys_memfd_create(const char *name, unsigned flags)
{
	return __syscall2(__NR_memfd_create, name, flags);
}

/* The calling process's limit of resource (RLIMIT_*) into *old. */
static inline long sys_getrlimit64(int resource, struct rlimit64 *old)
{
	return __syscall4(__NR_prlimit64, 0, resource, NULL, old);
}

/* Returns only when the exec failed. */
static inline long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return __syscall3(__NR_execve, path, argv, envp);
}

static inline long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return __syscall2(__NR_nanosleep, req, rem);
}

__attribute__((noreturn)) static inline void sys_exit_group(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

#endif
