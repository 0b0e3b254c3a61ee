/* SPDX-License-Identifier: MIT */
/*
 * A program resolved as execve would resolve it: the file found in PATH,
 * the chain of `#!` scripts followed to an ELF executable, the argv that
 * the chain produces, and the ELF interpreter that executable names.
 */
#ifndef LOADER_PROGRAM_H
#define LOADER_PROGRAM_H

#include <sys.h>

#include "elf.h"
#include "error.h"

struct ldr_program {
	char *filename;   /* what execve was given: AT_EXECFN, and comm's source */
	const char *comm; /* comm's source instead, when not filename (fd-based exec) */
	char *exe_path;   /* the ELF executable at the end of the script chain */
	int argc;
	char **argv; /* the program's argv: NULL-terminated, malloc'ed */
	/* Headers only: the descriptors are closed once read (fd -1), and
	 * ldr_program_file opens each file again while it is used, so that
	 * the loader never holds two (the program may have only one free:
	 * `ulimit -n 4` with stdio open, which ld.so needs too). */
	struct elf_file exe;
	int has_interp;
	struct elf_file interp;
	struct stat exe_st, interp_st; /* what each file was when its headers were read */
	/* Where /proc/self/fd/N of each pointed when first opened again
	 * (its absolute path as the kernel names it), malloc'ed, or NULL. */
	const char *exe_link, *interp_link;
	/* Not NULL when executing exe would change the credentials (its
	 * kind, privileges.h): the program then runs natively, and nothing
	 * after the ELF headers was checked. */
	const char *privileges;
	/* The bytes the #! chain adds to an exec's strings: each level's
	 * interpreter and argument, NULs included (0: no script). */
	size_t script_words;
};

/* ldr_program_open's flags. */
#define LDR_OPEN_SEARCH 1 /* name is searched in PATH, as execvp does */
/* Each file of the chain (scripts, executable, ELF interpreter) is also
 * opened for exec by the kernel, as execve opens it: ETXTBSY while it is
 * open for writing, fanotify's FAN_OPEN_EXEC. Not again in a followed
 * exec's new loader: the exec's check made that open, once, as natively. */
#define LDR_OPEN_AS_EXEC 2

/* Resolve name with the PATH value path (or NULL; without LDR_OPEN_SEARCH
 * name is the exact path, as execve takes it, even without a '/'); argv
 * is the program's argv, argc words of it. Returns 0, or -errno with err
 * filled in. */
int ldr_program_open(struct ldr_program *prog, const char *name, unsigned flags, int argc,
		     char **argv, const char *path, struct ldr_error *err);

/* Open e (prog->exe or prog->interp) again: its descriptor in e->fd and
 * returned, or -ESTALE when the path no longer names the file whose
 * headers were read (replaced or rewritten since), or another -errno.
 * ldr_program_file_done closes it. */
int ldr_program_file(struct ldr_program *prog, struct elf_file *e);
void ldr_program_file_done(struct elf_file *e);

/* Release what ldr_program_open holds: the program must not see any
 * descriptor the loader opened. */
void ldr_program_close_files(struct ldr_program *prog);

/* What following an exec needs (hook_options.exec_check): whether
 * execve(path) would run a file the loader can run, resolved and checked
 * as above but not mapped: 0, with *privileges set when it must run
 * natively instead and *script_words to the chain's, or -errno. */
int ldr_program_check_exec(const char *path, const char **privileges, size_t *script_words);

#endif
