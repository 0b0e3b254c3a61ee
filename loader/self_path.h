// SPDX-License-Identifier: MIT
/*
 * The loader's own file (self_path.c).
 */
#ifndef LDR_SELF_PATH_H
#define LDR_SELF_PATH_H

/* The absolute path of the loader's own file (malloc'ed), from
 * /proc/self/exe or, without /proc, from AT_EXECFN when that file is the
 * loader; NULL when neither names it. */
const char *ldr_self_path(void);

#endif
