/* SPDX-License-Identifier: MIT */
/* The start as binfmt_misc's interpreter (binfmt_start.c). */
#ifndef LOADER_BINFMT_START_H
#define LOADER_BINFMT_START_H

#include <libc.h>

#include "options.h"

/* Whether the kernel's binfmt_misc started the loader for a binary it
 * opened (AT_EXECFD in the loader's auxv): then 1, with opt the
 * environment's settings and the binary's path, name and descriptor, and
 * *argc, *argv the program's argv; else 0 and nothing is touched. */
int ldr_binfmt_start(const struct libc_start_info *start, struct ldr_options *opt, int *argc,
		     char ***argv);

#endif
