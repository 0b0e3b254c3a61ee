/* SPDX-License-Identifier: MIT */
/* `#!` scripts, parsed exactly as binfmt_script parses them. */
#ifndef LOADER_SCRIPT_H
#define LOADER_SCRIPT_H

#include <stddef.h>

/* The kernel follows at most this many scripts in a chain (ELOOP beyond);
 * measured on this kernel: five nested scripts run, a sixth fails. */
#define LDR_MAX_SCRIPT_DEPTH 5

struct ldr_script {
	char name[256]; /* the interpreter path */
	char arg[256];  /* its optional single argument */
	int has_arg;
};

/* Parse the first bytes of a file (len of them, at most ELF_BINPRM_BUF_SIZE
 * are looked at). Returns 1 and fills s for a `#!` script, 0 when the file
 * is not a script, -ENOEXEC for a `#!` line without a usable interpreter
 * (empty, or cut off by the 256-byte limit). */
int ldr_script_parse(const void *head, size_t len, struct ldr_script *s);

#endif
