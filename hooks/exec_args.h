/* SPDX-License-Identifier: MIT */
/*
 * A followed exec's arguments where the loader's own words would not fit
 * (exec_args.c): in a memfd, for the new loader to read back.
 */
#ifndef HOOKS_EXEC_ARGS_H
#define HOOKS_EXEC_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* After the kernel's E2BIG to a followed exec of words (count of them:
 * the loader's first, then the program's argc) with the program's envc
 * envp: whether the program's own exec (the file named name, which a #!
 * chain makes script_words longer) would have got past the kernel's
 * count. If so, a memfd that holds words and envp, ready to be inherited
 * (its descriptor); else -E2BIG (or -EFAULT), the program's answer. */
long hook_exec_args_pack(const char *name, const uint64_t *words, size_t count, size_t argc,
			 const uint64_t *envp, size_t envc, size_t script_words);

#endif
