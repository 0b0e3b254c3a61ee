/* SPDX-License-Identifier: MIT */
/* A followed exec's arguments that came in a memfd (exec_args.c). */
#ifndef LOADER_EXEC_ARGS_H
#define LOADER_EXEC_ARGS_H

#include <libc.h>

/* When the loader was run as `LOADER --exec-args=N` (hooks/exec_args.c),
 * make the words and environment in memfd N its argv and envp, and close
 * N; else nothing. A memfd that cannot be read ends the run: one line,
 * 126. */
void ldr_exec_args_take(const struct libc_start_info *start);

#endif
