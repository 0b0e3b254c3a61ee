/* SPDX-License-Identifier: MIT */
/* The program's name, command line and auxv, as /proc shows them. */
#ifndef LOADER_IDENTITY_H
#define LOADER_IDENTITY_H

#include <libc.h>

#include "program.h"
#include "stack.h"

/* Make comm, /proc/self/cmdline and /proc/self/auxv the program's, as
 * far as the kernel lets an unprivileged process: best effort, silent. */
void ldr_identity_set(const struct libc_start_info *kernel, const struct ldr_program *prog,
		      const struct ldr_stack_image *img);

#endif
