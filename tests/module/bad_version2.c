// SPDX-License-Identifier: MIT
/* A module that is not acceptable: built for contract version 2. */
#include <libos/libos.h>

static long version2_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			     long a5, long a6)
{
	(void)ctx, (void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	return -38;
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = 2,
	.size = sizeof(struct libos_module),
	.name = "version2",
	.syscall = version2_syscall,
};
