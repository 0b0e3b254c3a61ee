// SPDX-License-Identifier: MIT
/*
 * passthrough: the builtin LibOS module that executes every syscall for
 * real, through the loader's raw-syscall path (the only syscalls allowed
 * past the safety net). It is the default module, and the baseline every
 * speed figure of the interception core is measured with.
 */
#include "arch.h"
#include "module.h"

__attribute__((section(".text.hot.libos"))) static long passthrough_syscall(void **slot, long nr, long a1, long a2, long a3, long a4, long a5,
				long a6)
{
	(void)slot;
	return arch_app_syscall6(nr, a1, a2, a3, a4, a5, a6);
}

const struct hook_module hook_passthrough = {
	.name = "passthrough",
	.syscall = passthrough_syscall,
};

const struct hook_module *hook_module_find(const char *name)
{
	static const struct hook_module *const builtin[] = {&hook_passthrough};

	for (unsigned i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		const char *a = builtin[i]->name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return builtin[i];
	}
	return NULL;
}
