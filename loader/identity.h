/* SPDX-License-Identifier: MIT */
/* The program's name, command line and auxv, as /proc shows them. */
#ifndef LOADER_IDENTITY_H
#define LOADER_IDENTITY_H

#include <libc.h>
#include <linux/prctl.h>

#include "program.h"
#include "stack.h"

/* Make comm, /proc/self/cmdline and /proc/self/auxv the program's, as
 * far as the kernel lets an unprivileged process: best effort, silent. */
void ldr_identity_set(const struct libc_start_info *kernel, const struct ldr_program *prog,
		      const struct ldr_stack_image *img);

/* The process's PR_SET_MM_MAP fields as they are now (/proc/self/stat,
 * brk), exe_fd -1 and no auxv: for a call that changes only some.
 * Returns 0 or -errno. */
int ldr_identity_mm_map(struct prctl_mm_map *map);

#endif
