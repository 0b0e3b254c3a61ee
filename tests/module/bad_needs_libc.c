// SPDX-License-Identifier: MIT
/* A module that is not acceptable: linked against libc (DT_NEEDED). */
#include <stdio.h>

#include <libos/libos.h>

static long needs_libc_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3,
			       long a4, long a5, long a6)
{
	(void)ctx, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6;
	printf("syscall %ld\n", nr);
	return -38;
}

const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "needs-libc",
	.syscall = needs_libc_syscall,
};
