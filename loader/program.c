// SPDX-License-Identifier: MIT
/*
 * Resolving what to run, as execve(2) would: find the file (PATH), check
 * that it may be executed, follow `#!` interpreters (binfmt_script) up to
 * the kernel's depth, and read the ELF executable at the end of the chain
 * and the ELF interpreter it names. Every way this can fail ends in one
 * message that names the program and the reason, and the shell's status.
 */
#include <errno.h>
#include <seccomp_judge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "path.h"
#include "privileges.h"
#include "program.h"
#include "script.h"

/* The kernel's own open for exec of path, which nothing else in user
 * space makes: an execve whose argv pointer faults. The kernel opens the
 * file for exec first (do_open_execat: FMODE_EXEC, so fanotify's
 * FAN_OPEN_EXEC and FAN_OPEN_EXEC_PERM; and deny_write_access, ETXTBSY
 * while the file is open for writing), then fails to count argv (EFAULT),
 * long before the point of no return. 0 or the kernel's -errno. Under the
 * program's seccomp the call may be the judge's refusal, not the kernel's
 * answer: then only ETXTBSY, which only the kernel gives, counts. */
static int kernel_open_exec(const char *path)
{
	/* Past the user address space: the kernel's read of it faults. */
	char *const *faults = (char *const *)(uintptr_t)-4096;
	long r = sys_execve(path, faults, NULL);

	if (r == -EFAULT || (r != -ETXTBSY && libc_seccomp_on))
		return 0;
	return (int)r;
}

/* Open path as the kernel's open_exec does: a regular file, executable by
 * us, on a mount that allows execution, not open for writing (when
 * as_exec: the kernel's own open for exec, kernel_open_exec); read its
 * first bytes. */
static int open_exec(const char *path, int as_exec, int *fd_out, char *head, size_t *head_len,
		     const char **why)
{
	struct stat st;
	long fd, r;

	fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	if (fd < 0)
		return (int)fd;
	r = sys_fstat((int)fd, &st);
	if (r == 0 && (st.st_mode & S_IFMT) != S_IFREG) {
		/* The kernel's EACCES, with the reason it does not give. */
		*why = (st.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file";
		r = -EACCES;
	}
	if (r == 0) {
		/* X_OK on the descriptor also refuses noexec mounts. */
		r = sys_faccessat((int)fd, "", 1 /* X_OK */, AT_EACCESS | AT_EMPTY_PATH);
		if (r == -ENOSYS || r == -EINVAL)
			r = sys_faccessat(AT_FDCWD, path, 1, AT_EACCESS);
		if (r < 0) {
			*why = "no execute permission";
			r = -EACCES;
		}
	}
	if (r == 0 && as_exec)
		r = kernel_open_exec(path);
	if (r == 0) {
		r = sys_pread((int)fd, head, ELF_BINPRM_BUF_SIZE, 0);
		if (r >= 0) {
			*head_len = (size_t)r;
			r = 0;
		}
	}
	if (r < 0) {
		sys_close((int)fd);
		return (int)r;
	}
	*fd_out = (int)fd;
	return 0;
}

/* The headers of e are read: note what the file is, and close it. */
static int headers_read(struct elf_file *e, struct stat *st)
{
	int r = (int)sys_fstat(e->fd, st);

	sys_close(e->fd);
	e->fd = -1;
	return r;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtime == b->st_mtime && a->st_mtime_nsec == b->st_mtime_nsec &&
	       a->st_ctime == b->st_ctime && a->st_ctime_nsec == b->st_ctime_nsec;
}

int ldr_program_file(struct ldr_program *prog, struct elf_file *e)
{
	const char *path = e == &prog->exe ? prog->exe_path : prog->exe.interp;
	const struct stat *was = e == &prog->exe ? &prog->exe_st : &prog->interp_st;
	struct stat st;

	if (e->fd >= 0)
		return e->fd;
	long fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	if (fd < 0)
		return (int)fd;
	/* A rename over it or a write into it since its headers were read
	 * (ctime moves with either): the kernel's exec would have had the
	 * old file throughout; mapping the new one would mix the two. */
	if (sys_fstat((int)fd, &st) < 0 || !same_file(&st, was)) {
		sys_close((int)fd);
		return -ESTALE;
	}
	e->fd = (int)fd;
	const char **link = e == &prog->exe ? &prog->exe_link : &prog->interp_link;
	if (!*link) {
		char name[32];
		snprintf(name, sizeof(name), "/proc/self/fd/%d", e->fd);
		*link = ldr_link_target(name);
	}
	return e->fd;
}

void ldr_program_file_done(struct elf_file *e)
{
	if (e->fd >= 0)
		sys_close(e->fd);
	e->fd = -1;
}

static int is_elf(const char *head, size_t len)
{
	return len >= SELFMAG && memcmp(head, ELFMAG, SELFMAG) == 0;
}

/* Replace argv[0] with the words a `#!` line adds: interpreter, optional
 * argument, and the script's path, as binfmt_script splices them. */
static int splice_script_argv(struct ldr_program *prog, const struct ldr_script *sc,
			      const char *script_path)
{
	int extra = sc->has_arg ? 3 : 2;
	char **argv = malloc(sizeof(char *) * (size_t)(prog->argc + extra + 1));
	int n = 0;

	if (!argv)
		return -ENOMEM;
	argv[n++] = strdup(sc->name);
	if (sc->has_arg)
		argv[n++] = strdup(sc->arg);
	argv[n++] = strdup(script_path);
	for (int i = 1; i < prog->argc; i++)
		argv[n++] = prog->argv[i];
	argv[n] = NULL;
	for (int i = 0; i < extra; i++)
		if (!argv[i])
			return -ENOMEM;
	free(prog->argv);
	prog->argv = argv;
	prog->argc = n;
	return 0;
}

/* Report a failure on the file at depth (0: the program itself; deeper:
 * the interpreter of a script). */
static int fail_file(struct ldr_error *err, const struct ldr_program *prog, int depth,
		     const char *path, int code, const char *why)
{
	char reason[256];

	ldr_describe(reason, sizeof(reason), code, why);
	if (depth == 0)
		ldr_error_set(err, code == -ENOENT ? LDR_EXIT_NOT_FOUND : LDR_EXIT_CANNOT, "%s: %s",
			      path, reason);
	else
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: bad interpreter %s: %s", prog->filename,
			      path, reason);
	return code;
}

static int open_interp(struct ldr_program *prog, int as_exec, struct ldr_error *err)
{
	const char *path = prog->exe.interp, *why = NULL;
	char head[ELF_BINPRM_BUF_SIZE];
	size_t head_len = 0;
	int fd, r;

	r = open_exec(path, as_exec, &fd, head, &head_len, &why);
	if (r == 0 && !is_elf(head, head_len)) {
		sys_close(fd);
		r = -ENOEXEC;
		why = "not an ELF file";
	} else if (r == 0) {
		r = elf_load_headers(&prog->interp, fd, head, head_len, &why);
		if (r < 0)
			sys_close(fd);
		else
			r = headers_read(&prog->interp, &prog->interp_st);
	}
	if (r < 0) {
		char reason[256];
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot use ELF interpreter %s: %s",
			      prog->filename, path, ldr_describe(reason, sizeof(reason), r, why));
		return r;
	}
	prog->has_interp = 1;
	return 0;
}

int ldr_program_open(struct ldr_program *prog, const char *name, unsigned flags, int argc,
		     char **argv, const char *path, struct ldr_error *err)
{
	int as_exec = (flags & LDR_OPEN_AS_EXEC) != 0;
	char head[ELF_BINPRM_BUF_SIZE];
	char *cur;
	int r;

	memset(prog, 0, sizeof(*prog));
	prog->exe.fd = prog->interp.fd = -1;
	if (flags & LDR_OPEN_SEARCH) {
		r = ldr_path_search(name, path, &prog->filename);
	} else {
		prog->filename = strdup(name);
		r = prog->filename ? 0 : -ENOMEM;
	}
	if (r < 0)
		return fail_file(err, prog, 0, name, r, NULL);

	prog->argc = argc;
	prog->argv = malloc(sizeof(char *) * (size_t)(argc + 1));
	if (!prog->argv)
		return fail_file(err, prog, 0, name, -ENOMEM, NULL);
	memcpy(prog->argv, argv, sizeof(char *) * (size_t)argc);
	prog->argv[argc] = NULL;

	cur = prog->filename;
	for (int depth = 0;; depth++) {
		struct ldr_script sc;
		const char *why = NULL;
		size_t head_len = 0;
		int fd;

		r = open_exec(cur, as_exec, &fd, head, &head_len, &why);
		if (r < 0)
			return fail_file(err, prog, depth, cur, r, why);
		r = ldr_script_parse(head, head_len, &sc);
		if (r == 1) {
			sys_close(fd);
			if (depth >= LDR_MAX_SCRIPT_DEPTH)
				return fail_file(err, prog, depth, cur, -ELOOP, NULL);
			prog->script_words += strlen(sc.name) + 1;
			if (sc.has_arg)
				prog->script_words += strlen(sc.arg) + 1;
			r = splice_script_argv(prog, &sc, cur);
			if (r < 0)
				return fail_file(err, prog, depth, cur, r, NULL);
			cur = prog->argv[0];
			continue;
		}
		if (r < 0) {
			why = "bad #! line";
		} else if (!is_elf(head, head_len)) {
			r = -ENOEXEC;
			why = "not an ELF executable or a #! script";
		} else {
			r = elf_load_headers(&prog->exe, fd, head, head_len, &why);
		}
		if (r < 0) {
			sys_close(fd);
			return fail_file(err, prog, depth, cur, r, why);
		}
		break;
	}
	prog->exe_path = strdup(cur);
	if (!prog->exe_path)
		return fail_file(err, prog, 0, name, -ENOMEM, NULL);
	/* The kernel takes the credentials from the file at the end of the
	 * chain (a script's own set-ID bits are ignored); such a program runs
	 * natively, so nothing else of it is the loader's to check. */
	prog->privileges = ldr_exec_privileges(prog->exe.fd);
	if (prog->privileges)
		return 0;
	r = headers_read(&prog->exe, &prog->exe_st);
	if (r < 0)
		return fail_file(err, prog, 0, prog->filename, r, NULL);
	if (prog->exe.layout.phdr_vaddr == ELF_NO_PHDR)
		return fail_file(err, prog, 0, prog->filename, -ENOEXEC,
				 "program headers are not in a loaded segment");
	if (prog->exe.interp)
		return open_interp(prog, as_exec, err);
	return 0;
}

void ldr_program_close_files(struct ldr_program *prog)
{
	elf_release(&prog->exe);
	if (prog->has_interp)
		elf_release(&prog->interp);
}

/* Free what ldr_program_open allocated (after ldr_program_close_files). */
static void program_free(struct ldr_program *prog)
{
	/* The #! words spliced into argv were strdup'ed; the others are the
	 * caller's. Only the validation of an exec frees a program, and it
	 * never splices more than the chain's words. */
	free(prog->filename);
	free(prog->exe_path);
	free(prog->argv);
	prog->filename = prog->exe_path = NULL;
	prog->argv = NULL;
}

int ldr_program_check_exec(const char *path, const char **privileges, size_t *script_words)
{
	struct ldr_program prog;
	struct ldr_error err;
	char *argv[] = {(char *)path, NULL};
	int r = ldr_program_open(&prog, path, LDR_OPEN_AS_EXEC, 1, argv, NULL, &err);

	*privileges = r == 0 ? prog.privileges : NULL;
	*script_words = prog.script_words;
	ldr_program_close_files(&prog);
	program_free(&prog);
	return r;
}
