// SPDX-License-Identifier: MIT
/*
 * pointer_module: a small, correct LibOS module that bad-pointers.py
 * breaks, one pointer at a time, in copies of its file: its hooks and
 * name are relocated pointers in libos_module, and `greeting` is one
 * more relocated data pointer that no hook field holds (volatile, so that
 * the compiler keeps it in memory, relocated). Passes every
 * syscall through; init writes the greeting to stderr only when asked
 * (--libos-options=greet), so that the good module's run is the
 * program's own.
 */
#include <asm/unistd.h>

#include <libos/libos.h>

static const struct libos_loader *loader;
static const char *volatile greeting = "pointer_module: init\n";

static unsigned length(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

static int init(const struct libos_loader *l, int argc, char **argv, char **envp,
		const uint64_t *auxv)
{
	(void)argc, (void)argv, (void)envp, (void)auxv;
	loader = l;
	if (l->options[0] == 'g')
		l->syscall(__NR_write, 2, (long)greeting, length(greeting), 0, 0, 0);
	return 0;
}

static long on_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
		       long a5, long a6)
{
	(void)ctx;
	return loader->syscall(nr, a1, a2, a3, a4, a5, a6);
}

static void fini(int status)
{
	(void)status;
}

const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "pointer_module",
	.init = init,
	.syscall = on_syscall,
	.fini = fini,
};
