// SPDX-License-Identifier: MIT
/*
 * Many different system calls through the LibOS-ready libc, each result
 * printed in a form that is the same natively and under the loader (no
 * pids, no times): files, directories, pipes, descriptors, memory, time,
 * identity, and the libc's weak hooks called as a libc would.
 */
#include <libos/note.h>
#include <linux/utsname.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>

#define CHECK(what, cond) dprintf(1, "%-28s %s\n", what, (cond) ? "ok" : "FAILED")

int main(void)
{
	char dir[64], path[96], buf[256];
	struct new_utsname u;
	struct timespec t0, t1, nap = {0, 1000000};
	int fds[2];
	long pid = sys_getpid();

	CHECK("uname", __syscall1(__NR_uname, &u) == 0 && strcmp(u.sysname, "Linux") == 0);
	CHECK("getcwd", __syscall2(__NR_getcwd, buf, sizeof(buf)) > 0 && buf[0] == '/');
	CHECK("getppid", __syscall0(__NR_getppid) > 0);
	CHECK("gettid is getpid", __syscall0(__NR_gettid) == pid);
	CHECK("getuid/geteuid", __syscall0(__NR_getuid) == sys_geteuid());
	CHECK("getgid/getegid", __syscall0(__NR_getgid) == sys_getegid());
	CHECK("umask", __syscall1(__NR_umask, 022) >= 0);

	snprintf(dir, sizeof(dir), "/tmp/libos-note-%ld", pid);
	snprintf(path, sizeof(path), "%s/f", dir);
	CHECK("mkdirat", __syscall3(__NR_mkdirat, AT_FDCWD, dir, 0700) == 0);
	long fd = sys_openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK("openat O_EXCL", fd >= 0);
	CHECK("pwrite", sys_pwrite((int)fd, "hello, note\n", 12, 100) == 12);
	CHECK("lseek SEEK_END", __syscall3(__NR_lseek, fd, 0, 2) == 112);
	CHECK("ftruncate", __syscall2(__NR_ftruncate, fd, 50) == 0);
	struct stat st;
	CHECK("fstat size", sys_fstat((int)fd, &st) == 0 && st.st_size == 50);
	CHECK("fsync", __syscall1(__NR_fsync, fd) == 0);
	long fd2 = __syscall1(__NR_dup, fd);
	CHECK("dup", fd2 > fd);
	CHECK("dup3", __syscall3(__NR_dup3, fd, 100, O_CLOEXEC) == 100);
	CHECK("fcntl F_GETFD", __syscall2(__NR_fcntl, 100, 1 /* F_GETFD */) == 1);
	CHECK("close x3",
	      sys_close((int)fd) == 0 && sys_close((int)fd2) == 0 && sys_close(100) == 0);
	CHECK("faccessat", sys_faccessat(AT_FDCWD, path, 4 /* R_OK */, 0) == 0);
	snprintf(buf, sizeof(buf), "%s/g", dir);
	CHECK("renameat", __syscall4(__NR_renameat, AT_FDCWD, path, AT_FDCWD, buf) == 0);
	CHECK("stat after rename", sys_stat(buf, &st) == 0 && st.st_size == 50);
	CHECK("unlinkat", __syscall3(__NR_unlinkat, AT_FDCWD, buf, 0) == 0);
	CHECK("rmdir", __syscall3(__NR_unlinkat, AT_FDCWD, dir, 0x200 /* REMOVEDIR */) == 0);
	CHECK("stat ENOENT", sys_stat(dir, &st) == -2);

	CHECK("pipe2", __syscall2(__NR_pipe2, fds, O_CLOEXEC) == 0);
	CHECK("write pipe", sys_write(fds[1], "through the pipe", 16) == 16);
	CHECK("read pipe",
	      sys_read(fds[0], buf, sizeof(buf)) == 16 && memcmp(buf, "through the pipe", 16) == 0);
	sys_close(fds[0]);
	sys_close(fds[1]);

	long m = sys_mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap", !sys_is_err(m));
	((char *)m)[4096] = 1;
	CHECK("mprotect", sys_mprotect((void *)m, 4096, PROT_READ) == 0);
	CHECK("madvise", __syscall3(__NR_madvise, m, 8192, 4 /* MADV_DONTNEED */) == 0);
	CHECK("munmap", sys_munmap((void *)m, 8192) == 0);
	CHECK("brk", sys_brk(0) > 0);

	CHECK("clock_gettime", sys_clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	CHECK("nanosleep", __syscall2(__NR_nanosleep, &nap, 0) == 0);
	CHECK("time moves on", sys_clock_gettime(CLOCK_MONOTONIC, &t1) == 0 &&
				       (t1.tv_sec > t0.tv_sec || t1.tv_nsec > t0.tv_nsec));
	CHECK("getrandom", sys_getrandom(buf, 16, 0) == 16);
	CHECK("sched_yield", sys_sched_yield() == 0);
	long n = sys_readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK("/proc/self/exe", n > 0 && strstr(buf, "note-syscalls") != NULL);
	CHECK("bad fd EBADF", sys_close(12345) == -9);

	/* The weak hooks, called as a LibOS-ready dynamic linker would. */
	dprintf(1, "__libos_map_library        %d\n",
		__libos_map_library("/libos/test/libmapped.so", 0x10000, NULL, 0));
	dprintf(1, "__libos_register_library   %d\n",
		__libos_register_library("/libos/test/libearlier.so", 0x20000));
	dprintf(1, "__hp_timing_disabled       %d\n", __hp_timing_disabled);
	return 0;
}
