/* SPDX-License-Identifier: MIT */
/*
 * A program resolved as execve would resolve it: the file found in PATH,
 * the chain of `#!` scripts followed to an ELF executable, the argv that
 * the chain produces, and the ELF interpreter that executable names.
 */
#ifndef LOADER_PROGRAM_H
#define LOADER_PROGRAM_H

#include "elf.h"
#include "error.h"

struct ldr_program {
	char *filename;   /* what execve was given: AT_EXECFN, and comm's source */
	char *exe_path;   /* the ELF executable at the end of the script chain */
	int argc;
	char **argv;      /* the program's argv: NULL-terminated, malloc'ed */
	struct ldr_elf exe;
	int has_interp;
	struct ldr_elf interp;
};

/* Resolve name (argv[0] of the program is argv[0] as given) with the PATH
 * value path (or NULL). Returns 0, or -errno with err filled in. */
int ldr_program_open(struct ldr_program *prog, const char *name, int argc, char **argv,
		     const char *path, struct ldr_error *err);

/* Close the descriptors ldr_program_open holds: the program must not see
 * any descriptor the loader opened. */
void ldr_program_close_files(struct ldr_program *prog);

#endif
