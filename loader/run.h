/* SPDX-License-Identifier: MIT */
/* Running a program: from its name to the jump into its first instruction. */
#ifndef LOADER_RUN_H
#define LOADER_RUN_H

#include <libc.h>

#include "options.h"

/* Resolve, map and start the program named by argv[0] (argc words of
 * argv are its argv). Returns only on failure, with the exit status after
 * the message was printed. */
int ldr_run(const struct libc_start_info *start, const struct ldr_options *opt, int argc,
	    char **argv);

#endif
