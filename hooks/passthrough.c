// SPDX-License-Identifier: MIT
/*
 * passthrough: the builtin LibOS module that executes every syscall for
 * real, through the loader's raw-syscall path (the only syscalls allowed
 * past the safety net). It is the default module, and the baseline every
 * speed figure of the interception core is measured with.
 */
#include "arch.h"
#include "module.h"

__attribute__((section(".text.hot.libos"))) static long
passthrough_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4, long a5,
		    long a6)
{
	(void)ctx;
	return arch_app_syscall6(nr, a1, a2, a3, a4, a5, a6);
}

const struct libos_module hook_passthrough = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "passthrough",
	.syscall = passthrough_syscall,
};
LIBOS_BUILTIN_MODULE(hook_passthrough);
