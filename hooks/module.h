/* SPDX-License-Identifier: MIT */
/*
 * The LibOS module, as the rest of the loader calls it: choosing one
 * (builtin by name, or an external shared object by path), and calling
 * its hooks (include/libos/libos.h) at the right moments. Every hook but
 * syscall is optional; these functions skip the missing ones.
 */
#ifndef HOOKS_MODULE_H
#define HOOKS_MODULE_H

#include <libos/libos.h>

#include "tcb.h"

/* Choose the module: spec is a builtin's name, or the path of a shared
 * object (it has a '/'); NULL for passthrough. options is what the module
 * gets as loader->options. Returns 0, or -errno with *why set to a reason
 * for the one-line message. */
int hook_module_select(const char *spec, const char *options, const char **why);

/* The module's hooks. */
int hook_module_init(int argc, char **argv, char **envp, const uint64_t *auxv);
void hook_module_map_library(const struct libos_object *o);
void hook_module_unmap_library(const struct libos_object *o);
uint64_t hook_module_heap_size(void);
void hook_module_fini(int status);

/* Map the external module at path (module_load.c); *m is its
 * libos_module. Returns 0 or -errno with *why set. */
int hook_module_load(const char *path, const struct libos_module **m, const char **why);

extern const struct libos_module hook_passthrough;

#endif
