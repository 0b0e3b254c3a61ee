// SPDX-License-Identifier: MIT
/*
 * execve and execveat: the new program stays under the loader.
 *
 * By default (--no-follow-exec turns it off) the exec becomes an exec of
 * the loader itself, with this run's options, the exact path (no PATH
 * search: execve takes paths as they are) and the program's argv
 * verbatim: `libos-loader [options] --exec=PATH -- ARGV...`. The
 * environment is passed unchanged. First the path is checked the way the
 * kernel would check it (exists, executable, an ELF or #! chain the loader
 * can run, and the kernel's own open for exec of each file of it: ETXTBSY
 * while one is open for writing, fanotify's FAN_OPEN_EXEC): an exec that
 * would fail must fail here, with the kernel's errno, while the program
 * still runs (execvp tries each PATH entry and expects ENOENT from all but
 * one). If the loader itself cannot be
 * executed any more, the program is executed natively instead, and so is
 * one that the exec would give privileges (set-ID, file capabilities:
 * loader/privileges.c), as the loader runs such a PROGRAM (run.c): under
 * --strict it is refused instead (EACCES), with one line, since it could
 * not be intercepted (hook_exec_privileged).
 * Before the image goes, it writes its report under a name of its own.
 *
 * A LibOS module other than passthrough may redirect or virtualise paths:
 * the file to run is then the one the module's own open of the path finds
 * (an O_PATH open through its syscall hook, named by /proc/self/fd), so
 * that an exec of a path it redirects runs what it redirects to. The
 * program still gets the name it gave (AT_EXECFN, --exec-as).
 *
 * execveat names the file by a directory descriptor, or is one
 * (AT_EMPTY_PATH: fexecve, often of a memfd): it is resolved here as the
 * kernel resolves it, to a path that names the file, or else to
 * /proc/self/fd/N of a descriptor handed over to the new loader
 * (--exec-close-fd), which closes it once the file is open.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "context.h"
#include "exec.h"
#include "exec_args.h"
#include "hooks.h"
#include "module.h"
#include "procfs.h"
#include "signals.h"

#define MAX_ARGS (1 << 20)

/* The argv pointer array at src: its count (into *count), and the array
 * itself, malloc'ed, with room for prefix words before it. */
static int copy_argv(uintptr_t src, size_t prefix, uint64_t **out, size_t *count)
{
	size_t cap = 64, n = 0;
	uint64_t *v = malloc((prefix + cap + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (; src;) {
		if (n == cap) {
			cap *= 2;
			uint64_t *w = realloc(v, (prefix + cap + 1) * sizeof(*v));
			if (!w || cap > MAX_ARGS) {
				free(w ? w : v);
				return -E2BIG;
			}
			v = w;
		}
		if (hook_copy_from(&v[prefix + n], src + n * 8, 8) < 0) {
			free(v);
			return -EFAULT;
		}
		if (!v[prefix + n])
			break;
		n++;
	}
	*out = v;
	*count = n;
	return 0;
}

int hook_exec_privileged(const char *name, const char *privileges, int strict, int report)
{
	if (strict) {
		libc_say("--strict: %s is %s: it can only run natively, out of the LibOS's "
			 "reach: refused",
			 name, privileges);
		return -EACCES;
	}
	if (report)
		libc_say("%s is %s: it runs natively, out of the LibOS's reach, with no report",
			 name, privileges);
	return 0;
}

/* Would the kernel execute path, given to execve as name? The loader's
 * own checks, without mapping anything (hook_options.exec_check): its
 * errno, or 0; 1 when the program must run natively (the exec gives it
 * privileges the loader cannot carry). *script_words: the bytes a #!
 * chain adds to the exec's strings. */
static int check(const char *path, const char *name, size_t *script_words)
{
	const char *privileges = NULL;
	int r = hook_state.opt.exec_check(path, &privileges, script_words);

	if (r < 0 || !privileges)
		return r;
	r = hook_exec_privileged(name, privileges, hook_state.opt.mode == HOOK_MODE_STRICT,
				 hook_state.opt.report_path != NULL);
	return r < 0 ? r : 1;
}

/* The exec itself. The TSC trap of --trap-rdtsc would survive it. */
static long exec(struct tls_tcb *t, const struct hook_trap *trap, long nr, long a1, long a2,
		 long a3, long a4, long a5)
{
	long r;
	int sigsys = hook_sigsys_exec_prepare(t, trap);

	hook_tsc_allow(1);
	r = hook_module_syscall(t, nr, a1, a2, a3, a4, a5, 0);
	hook_tsc_allow(0);
	hook_sigsys_exec_failed(t, trap, sigsys);
	return r;
}

static long native(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	hook_report(0);
	return exec(t, trap, (long)f->rax, (long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10,
		    (long)f->r8);
}

/* Follow the exec of path, given to execve as name; returns only when it
 * failed. */
static long follow(struct tls_tcb *t, const struct hook_trap *trap, const char *path,
		   const char *name, uintptr_t argv, uintptr_t envp, int close_fd)
{
	const struct hook_options *o = &hook_state.opt;
	/* The words v points to: they must live until the execve. */
	// cppcheck-suppress variableScope
	char exec_opt[4200], as_opt[4200], count_opt[32], close_opt[32], args_opt[32];
	enum { PREFIX = 6 + HOOK_FORWARD_MAX }; /* the most words put before argv */
	uint64_t *v = NULL, *env = NULL;
	size_t n = 0, k = 0, envc = 0, script_words = 0;
	struct tls_context ctx;
	long r;

	tls_context_enter(&ctx);
	r = check(path, name, &script_words);
	if (r == 0)
		r = copy_argv(argv, PREFIX, &v, &n);
	tls_context_leave(&ctx);
	if (r != 0)
		return r;
	snprintf(exec_opt, sizeof(exec_opt), HOOK_EXEC_OPT_PATH "=%s", path);
	snprintf(count_opt, sizeof(count_opt), HOOK_EXEC_OPT_COUNT "=%d", o->exec_count + 1);
	v[k++] = (uintptr_t)o->loader_exe;
	for (int i = 0; i < o->forward_count; i++)
		v[k++] = (uintptr_t)o->forward[i];
	v[k++] = (uintptr_t)exec_opt;
	if (strcmp(path, name) != 0) {
		snprintf(as_opt, sizeof(as_opt), HOOK_EXEC_OPT_AS "=%s", name);
		v[k++] = (uintptr_t)as_opt;
	}
	if (close_fd >= 0) {
		snprintf(close_opt, sizeof(close_opt), HOOK_EXEC_OPT_CLOSE_FD "=%d", close_fd);
		v[k++] = (uintptr_t)close_opt;
	}
	v[k++] = (uintptr_t)count_opt;
	v[k++] = (uintptr_t) "--";
	/* The program's argv words follow at v[PREFIX]: close the gap. */
	memmove(&v[k], &v[PREFIX], (n + 1) * sizeof(*v));
	hook_report(1);
	r = exec(t, trap, __NR_execve, (long)o->loader_exe, (long)v, (long)envp, 0, 0);
	if (r == -E2BIG) {
		/* Maybe only the loader's words are too many: exec_args.c. */
		tls_context_enter(&ctx);
		r = copy_argv(envp, 0, &env, &envc);
		if (r == 0)
			r = hook_exec_args_pack(name, v, k + n, n, env, envc, script_words);
		tls_context_leave(&ctx);
	}
	if (r >= 0) {
		int fd = (int)r;
		char *small[] = {(char *)o->loader_exe, args_opt, NULL}, *none[] = {NULL};
		snprintf(args_opt, sizeof(args_opt), HOOK_EXEC_OPT_ARGS "=%d", fd);
		r = exec(t, trap, __NR_execve, (long)o->loader_exe, (long)small, (long)none, 0, 0);
		sys_close(fd);
	}
	free(v);
	free(env);
	return r;
}

/* The file the module finds at name, as a path the loader can open:
 * 0 with path set, or the errno of the module's open. */
static long through_module(struct tls_tcb *t, const char *name, char *path, size_t size)
{
	long fd, n;

	if (hook_state.module == &hook_passthrough) {
		snprintf(path, size, "%s", name);
		return 0;
	}
	fd = hook_module_syscall(t, __NR_openat, AT_FDCWD, (long)name, O_PATH | O_CLOEXEC, 0, 0, 0);
	if (fd < 0)
		return fd;
	n = libc_fd_path((int)fd, path, size);
	hook_module_syscall(t, __NR_close, fd, 0, 0, 0, 0, 0);
	if (n <= 0 || path[0] != '/') /* not a file of the kernel's: as given */
		snprintf(path, size, "%s", name);
	return 0;
}

/* execveat's file, resolved as the kernel resolves it (dirfd, name,
 * AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW), into a path the new loader can
 * open: the file's own path when it has one that still names it, else
 * /proc/self/fd/N of a descriptor that survives the exec (memfd_create
 * and fexecve, a deleted file); *close_fd is N when the loader made that
 * descriptor, for the new loader to close. shown is the name the kernel
 * gives the new program (AT_EXECFN, comm): /dev/fd/N, or /dev/fd/N/name
 * relative to a descriptor. Returns 0, 1 when this is just execve(name),
 * or -errno. */
static long execveat_target(struct tls_tcb *t, int dirfd, const char *name, uint64_t flags,
			    char *path, size_t psize, char *shown, size_t ssize, int *close_fd)
{
	struct stat st, named;
	long fd, n;
	int empty = name[0] == '\0', nofollow = (flags & AT_SYMLINK_NOFOLLOW) != 0;

	if (flags & ~(uint64_t)(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	if (empty && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (!empty && (name[0] == '/' || dirfd == AT_FDCWD) && !nofollow)
		return 1;
	fd = empty ? dirfd
		   : hook_module_syscall(t, __NR_openat, dirfd, (long)name,
					 O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0), 0, 0, 0);
	if (fd < 0)
		return fd;
	if (sys_fstat((int)fd, &st) < 0 || (st.st_mode & S_IFMT) == S_IFLNK) {
		if (fd != dirfd)
			sys_close((int)fd);
		return -ELOOP; /* AT_SYMLINK_NOFOLLOW on a symbolic link */
	}
	if (empty)
		snprintf(shown, ssize, "/dev/fd/%d", dirfd);
	else if (name[0] == '/' || dirfd == AT_FDCWD)
		snprintf(shown, ssize, "%s", name);
	else
		snprintf(shown, ssize, "/dev/fd/%d/%s", dirfd, name);
	n = libc_fd_path((int)fd, path, psize);
	if (n <= 0 || path[0] != '/' || sys_stat(path, &named) < 0 || named.st_dev != st.st_dev ||
	    named.st_ino != st.st_ino) {
		/* No path names it (any more): hand the descriptor over. */
		long keep = sys_fcntl((int)fd, F_DUPFD, 3);
		if (keep < 0) {
			if (fd != dirfd)
				sys_close((int)fd);
			return keep;
		}
		*close_fd = (int)keep;
		snprintf(path, psize, "/proc/self/fd/%ld", keep);
	}
	if (fd != dirfd)
		sys_close((int)fd);
	return 0;
}

long hook_exec_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	int at = f->rax == __NR_execveat;
	uintptr_t path_ptr = at ? f->rsi : f->rdi, argv = at ? f->rdx : f->rsi;
	uintptr_t envp = at ? f->r10 : f->rdx;
	char path[4096], name[4096], shown[4200];
	int close_fd = -1;
	long r;

	if (!hook_state.opt.follow_exec || !hook_state.opt.loader_exe) {
		f->rax = (uint64_t)native(f, t, trap);
		return ARCH_ENTRY_RETURN;
	}
	r = hook_copy_string(name, sizeof(name), path_ptr);
	snprintf(shown, sizeof(shown), "%s", name);
	if (r == 0 && at)
		r = execveat_target(t, (int)f->rdi, name, f->r8, path, sizeof(path), shown,
				    sizeof(shown), &close_fd);
	if (r == 1 || (r == 0 && !at)) {
		/* /proc/self/exe would name the loader in the new process: run
		 * the program's file, under the name the program gave. */
		r = 0;
		if (hook_self_exe(name))
			snprintf(path, sizeof(path), "%s", hook_state.opt.program_exe);
		else
			r = through_module(t, name, path, sizeof(path));
	}
	if (r == 0)
		r = follow(t, trap, path, shown, argv, envp, close_fd);
	if (close_fd >= 0)
		sys_close(close_fd); /* the exec failed: it is ours to close */
	if (r == 1) {
		/* A set-ID or capability program: natively, with its privileges
		 * (out of the LibOS's reach, like under strace). */
		f->rax = (uint64_t)native(f, t, trap);
		return ARCH_ENTRY_RETURN;
	}
	if (r == -ENOEXEC || r == -ENOENT || r == -EACCES || r == -EFAULT || r == -E2BIG ||
	    r == -ENAMETOOLONG || r == -ELOOP || r == -ENOTDIR || r == -EINVAL || r == -EBADF ||
	    r == -ETXTBSY) {
		f->rax = (uint64_t)r; /* the kernel's answer: the program goes on */
		return ARCH_ENTRY_RETURN;
	}
	/* The loader itself could not be executed: run the program natively. */
	f->rax = (uint64_t)native(f, t, trap);
	return ARCH_ENTRY_RETURN;
}
