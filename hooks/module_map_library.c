// SPDX-License-Identifier: MIT
/*
 * TODO(merge): a stand-in for hooks/module.c's hook_module_map_library,
 * which main is adding: weak, so that main's definition replaces it, and
 * a no-op, because this branch's passthrough module has no map_library
 * hook. Delete this file at the merge.
 */
#include "libc_hooks.h"

__attribute__((weak)) void hook_module_map_library(const struct libos_object *o)
{
	(void)o;
}
