// SPDX-License-Identifier: MIT
/*
 * /proc/self/exe names the loader, which the kernel executed, wherever
 * the loader could not make it the program's file (loader/exe_link.c:
 * that needs CAP_CHECKPOINT_RESTORE). Programs that read it (Perl's $^X,
 * coreutils' stdbuf finding its library, a program re-executing itself)
 * must find themselves, by every way they may reach it: readlink, open,
 * openat, openat2, stat, newfstatat, statx, of /proc/self/exe,
 * /proc/thread-self/exe, /proc/PID/exe, /proc/self/task/TID/exe, a path
 * relative to a /proc descriptor, one built at run time.
 *
 * So the kernel answers first, with the program's path and flags as they
 * are: O_NOFOLLOW, RESOLVE_NO_MAGICLINKS or RESOLVE_NO_SYMLINKS fail with
 * ELOOP, O_PATH|O_NOFOLLOW opens the link itself, AT_SYMLINK_NOFOLLOW
 * stats it, exactly as natively. Only an answer that is the loader's own
 * file (its device and inode, or its path for readlink) is looked at
 * again: if the path reached it through one of this process's exe links,
 * the same call is made on the program's file and answers instead, an
 * open's descriptor keeping its number. Asking the path's directory of
 * the kernel (what it resolves to) rather than reading the path's words
 * makes "/proc/self/../self/exe" or an openat on a /proc descriptor
 * count too. The cost without the capability: an fstat after each open
 * that succeeds, and each stat's result copied once more.
 *
 * execve of such a path (hooks/exec.c) runs the program's file.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "hooks.h"
#include "procfs.h"

#ifndef O_PATH
#define O_PATH 010000000
#endif

#define OPEN_HOW_SIZE_VER0 24 /* openat2's smallest struct open_how */

struct open_how_head { /* its first two words */
	uint64_t flags, mode;
};

static int procfs_on;
static uint64_t loader_dev, loader_ino;

void hook_procfs_take(struct tls_tcb *main_thread)
{
	static const long nrs[] = {__NR_readlink, __NR_readlinkat, __NR_open,       __NR_openat,
				   __NR_openat2,  __NR_stat,       __NR_newfstatat, __NR_statx};
	struct stat st;

	if (!hook_state.opt.program_exe || !hook_state.opt.loader_exe ||
	    sys_stat("/proc/self/exe", &st) < 0)
		return; /* no /proc: nothing to answer */
	loader_dev = st.st_dev;
	loader_ino = st.st_ino;
	procfs_on = 1;
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		hook_dispatch_take(nrs[i], main_thread);
}

/* n is a number, and names a thread of this process. */
static int own_thread(const char *s, const char *end)
{
	char *stop;
	long n = strtol(s, &stop, 10);

	if (stop == s || stop != end || n <= 0)
		return 0;
	return n == hook_state.pid || sys_tgkill(hook_state.pid, (int)n, 0) == 0;
}

/* dir (canonical, as the kernel names it) is /proc/N or /proc/N/task/M
 * of this process. */
static int own_proc_dir(const char *dir)
{
	if (strncmp(dir, "/proc/", 6) != 0)
		return 0;
	const char *n = dir + 6, *slash = strchr(n, '/');
	if (!slash)
		return own_thread(n, n + strlen(n));
	if (!own_thread(n, slash) || strncmp(slash, "/task/", 6) != 0)
		return 0;
	const char *m = slash + 6;
	return own_thread(m, m + strlen(m));
}

/* Whether (dirfd, path) names one of this process's exe links: its last
 * component is "exe" and its directory resolves to this process's /proc
 * entry or one of its threads'. */
static int own_exe_link(int dirfd, const char *path)
{
	const char *last = strrchr(path, '/');
	char dir[4096], link[64], target[4096];

	if (strcmp(last ? last + 1 : path, "exe") != 0)
		return 0;
	if (!last)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", last == path ? 1 : (int)(last - path), path);
	long fd = sys_openat(dirfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
	long n = sys_readlink(link, target, sizeof(target) - 1);
	sys_close((int)fd);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	return own_proc_dir(target);
}

int hook_self_exe(const char *path)
{
	return own_exe_link(AT_FDCWD, path);
}

/* The program's path at src names one of the exe links: read it. */
static int reached_through_link(int dirfd, uintptr_t src)
{
	char path[4096];

	return hook_copy_string(path, sizeof(path), src) == 0 && own_exe_link(dirfd, path);
}

static size_t shorter(size_t x, size_t y)
{
	return x < y ? x : y;
}

static int is_loader(uint64_t dev, uint64_t ino)
{
	return dev == loader_dev && ino == loader_ino;
}

static long module(struct tls_tcb *t, long nr, const uint64_t a[6])
{
	return hook_module_syscall(t, nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				   (long)a[4], (long)a[5]);
}

/* An open that gave the loader's file: give descriptor fd the program's,
 * opened with the same flags. */
static long open_program(struct tls_tcb *t, long fd, uint64_t flags, uint64_t mode)
{
	uint64_t a[6] = {(uint64_t)AT_FDCWD,
			 (uint64_t)(uintptr_t)hook_state.opt.program_exe,
			 flags,
			 mode,
			 0,
			 0};
	long again = module(t, __NR_openat, a);

	if (again >= 0) {
		long r = sys_dup3((int)again, (int)fd, (int)(flags & O_CLOEXEC));
		sys_close((int)again);
		if (r >= 0)
			return fd;
		again = r;
	}
	sys_close((int)fd);
	return again;
}

static long do_open(struct tls_tcb *t, long nr, const uint64_t a[6])
{
	int i = nr == __NR_open ? 0 : 1;
	int dirfd = nr == __NR_open ? AT_FDCWD : (int)a[0];
	uint64_t flags = a[i + 1], mode = a[i + 2];
	long fd = module(t, nr, a);
	struct stat st;

	if (fd < 0)
		return fd;
	if (nr == __NR_openat2) {
		struct open_how_head how;
		if (a[3] < OPEN_HOW_SIZE_VER0 || hook_copy_from(&how, a[2], sizeof(how)) < 0)
			return fd; /* it opened: it was readable a moment ago */
		flags = how.flags;
		mode = how.mode;
	}
	/* The last component not followed: the link itself, never the file. */
	if (flags & O_NOFOLLOW)
		return fd;
	if (sys_fstat((int)fd, &st) < 0 || !is_loader(st.st_dev, st.st_ino) ||
	    !reached_through_link(dirfd, a[i]))
		return fd;
	return open_program(t, fd, flags, mode);
}

/* stat and newfstatat (path, buf[, flags]) through a copy of the result. */
static long do_stat(struct tls_tcb *t, long nr, const uint64_t a[6])
{
	int at = nr == __NR_newfstatat;
	int dirfd = at ? (int)a[0] : AT_FDCWD;
	uintptr_t path = a[at], buf = a[at + 1];
	struct stat st = {0}; /* what the kernel fills */
	uint64_t b[6];

	if (at && (a[3] & AT_SYMLINK_NOFOLLOW))
		return module(t, nr, a);
	memcpy(b, a, sizeof(b));
	b[at + 1] = (uint64_t)(uintptr_t)&st;
	long r = module(t, nr, b);
	if (r == 0 && is_loader(st.st_dev, st.st_ino) && reached_through_link(dirfd, path)) {
		b[at] = (uint64_t)(uintptr_t)hook_state.opt.program_exe;
		r = module(t, nr, b);
	}
	if (r == 0 && hook_copy_to(buf, &st, sizeof(st)) < 0)
		r = -EFAULT;
	return r;
}

/* statx (dirfd, path, flags, mask, buf). */
static long do_statx(struct tls_tcb *t, const uint64_t a[6])
{
	uintptr_t path = a[1], buf = a[4];
	struct statx sx = {0};
	uint64_t b[6];

	if (a[2] & AT_SYMLINK_NOFOLLOW)
		return module(t, __NR_statx, a);
	memcpy(b, a, sizeof(b));
	b[4] = (uint64_t)(uintptr_t)&sx;
	long r = module(t, __NR_statx, b);
	uint64_t dev = ((uint64_t)(sx.stx_dev_major & 0xfff) << 8) |
		       ((uint64_t)(sx.stx_dev_major & ~0xfffU) << 32) | (sx.stx_dev_minor & 0xff) |
		       ((uint64_t)(sx.stx_dev_minor & ~0xffU) << 12);
	if (r == 0 && (sx.stx_mask & STATX_INO) && is_loader(dev, sx.stx_ino) &&
	    reached_through_link((int)a[0], path)) {
		b[1] = (uint64_t)(uintptr_t)hook_state.opt.program_exe;
		b[0] = (uint64_t)AT_FDCWD;
		r = module(t, __NR_statx, b);
	}
	if (r == 0 && hook_copy_to(buf, &sx, sizeof(sx)) < 0)
		r = -EFAULT;
	return r;
}

/* readlink (path, buf, size) and readlinkat (dirfd, path, buf, size). */
static long do_readlink(struct tls_tcb *t, long nr, const uint64_t a[6])
{
	int at = nr == __NR_readlinkat;
	int dirfd = at ? (int)a[0] : AT_FDCWD;
	uintptr_t path = a[at], buf = a[at + 1];
	long want = (long)a[at + 2];
	char target[4096];
	const char *loader = hook_state.opt.loader_exe, *exe = hook_state.opt.program_exe;
	uint64_t b[6];

	if (want <= 0)
		return module(t, nr, a); /* EINVAL, as the kernel says */
	size_t size = shorter((size_t)want, sizeof(target));
	memcpy(b, a, sizeof(b));
	b[at + 1] = (uint64_t)(uintptr_t)target;
	b[at + 2] = size;
	long n = module(t, nr, b);
	if (n < 0)
		return n;
	size_t len = strlen(loader);
	if ((size_t)n == shorter(len, size) && memcmp(target, loader, (size_t)n) == 0 &&
	    reached_through_link(dirfd, path)) {
		len = strlen(exe);
		n = (long)shorter(len, size);
		memcpy(target, exe, (size_t)n);
	}
	return hook_copy_to(buf, target, (size_t)n) < 0 ? -EFAULT : n;
}

long hook_procfs_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	uint64_t a[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
	long nr = (long)f->rax;

	(void)trap;
	if (!procfs_on)
		f->rax = (uint64_t)module(t, nr, a);
	else if (nr == __NR_readlink || nr == __NR_readlinkat)
		f->rax = (uint64_t)do_readlink(t, nr, a);
	else if (nr == __NR_stat || nr == __NR_newfstatat)
		f->rax = (uint64_t)do_stat(t, nr, a);
	else if (nr == __NR_statx)
		f->rax = (uint64_t)do_statx(t, a);
	else
		f->rax = (uint64_t)do_open(t, nr, a);
	return ARCH_ENTRY_RETURN;
}
