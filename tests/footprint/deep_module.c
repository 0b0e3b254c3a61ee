// SPDX-License-Identifier: MIT
/*
 * A test-only LibOS module that uses as much of the LibOS stack as the
 * program asks: getppid(DEEP_MAGIC, KiB) recurses KiB frames of 1 KiB
 * each, every one written, and returns KiB; every other call passes
 * through. overflow.py checks that a use beyond the committed top of a
 * slice (tls/tcb.h, TLS_STACK_COMMIT) dies by SIGSEGV on the guard below
 * it, instead of running on silently into the next slice.
 */
#include <libos/libos.h>

#define DEEP_MAGIC 0x5eedf00dL

static const struct libos_loader *ldr;

static int deep_init(const struct libos_loader *loader, int argc, char **argv, char **envp,
		     const uint64_t *auxv)
{
	(void)argc, (void)argv, (void)envp, (void)auxv;
	ldr = loader;
	return 0;
}

/* noinline and a written frame: the compiler may neither fold the
 * recursion into a loop nor leave the frame untouched. */
__attribute__((noinline)) static long recurse(long kib)
{
	volatile char frame[1024];

	for (unsigned i = 0; i < sizeof(frame); i += 64)
		frame[i] = (char)kib;
	if (kib <= 1)
		return frame[0] == 1;
	return recurse(kib - 1) + (frame[64] == (char)kib);
}

static long deep_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			 long a5, long a6)
{
	(void)ctx;
	if (nr == 110 /* getppid */ && a1 == DEEP_MAGIC)
		return recurse(a2);
	return ldr->syscall(nr, a1, a2, a3, a4, a5, a6);
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "deep",
	.init = deep_init,
	.syscall = deep_syscall,
};
