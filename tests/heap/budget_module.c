// SPDX-License-Identifier: MIT
/*
 * A LibOS module for the heap tests: passes every syscall through and
 * asks for a 32 MiB budget through the heap_size hook, so that the suite
 * can check the hook is honoured and that --heap-size wins over it.
 */
#include <libos/libos.h>

static const struct libos_loader *loader;

static int init(const struct libos_loader *l, int argc __attribute__((unused)),
		char **argv __attribute__((unused)), char **envp __attribute__((unused)),
		const uint64_t *auxv __attribute__((unused)))
{
	loader = l;
	return 0;
}

static long syscall_hook(struct libos_context *ctx __attribute__((unused)), long nr, long a1,
			 long a2, long a3, long a4, long a5, long a6)
{
	return loader->syscall(nr, a1, a2, a3, a4, a5, a6);
}

static uint64_t heap_size(void)
{
	return 32ULL << 20;
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "heap-budget-test",
	.init = init,
	.syscall = syscall_hook,
	.heap_size = heap_size,
};
