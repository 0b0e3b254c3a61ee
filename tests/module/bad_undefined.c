// SPDX-License-Identifier: MIT
/* A module that is not acceptable: it calls a function it does not define
 * (linked without -Wl,-z,defs, which would have caught it). */
#include <libos/libos.h>

long somewhere_else(long nr);

static long undefined_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3,
			      long a4, long a5, long a6)
{
	(void)ctx, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	return somewhere_else(nr);
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "undefined",
	.syscall = undefined_syscall,
};
