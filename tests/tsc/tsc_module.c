// SPDX-License-Identifier: MIT
/*
 * tsc_module: a LibOS module for the --trap-rdtsc tests. Every syscall is
 * passed through; rdtsc reads 1000, 2000, 3000... in each thread, and
 * rdtscp says it ran on "CPU 7". Freestanding, like any external module.
 */
#include <libos/libos.h>

static const struct libos_loader *loader;

static int init(const struct libos_loader *l, int argc, char **argv, char **envp,
		const uint64_t *auxv)
{
	(void)argc, (void)argv, (void)envp, (void)auxv;
	loader = l;
	return 0;
}

static long syscall_hook(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			 long a5, long a6)
{
	(void)ctx;
	return loader->syscall(nr, a1, a2, a3, a4, a5, a6);
}

static uint64_t rdtsc_hook(struct libos_context *ctx, uint32_t *aux)
{
	uintptr_t n = (uintptr_t)ctx->data + 1;

	ctx->data = (void *)n;
	*aux = 7;
	return 1000 * (uint64_t)n;
}

const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "tsc-test",
	.init = init,
	.syscall = syscall_hook,
	.rdtsc = rdtsc_hook,
};
