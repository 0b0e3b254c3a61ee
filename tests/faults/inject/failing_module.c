// SPDX-License-Identifier: MIT
/*
 * A LibOS module whose hooks fail as --libos-options says: "init=N" (init
 * returns N: negative an -errno, positive a status), "heap=N" (heap_size
 * answers N bytes), "enosys" (every syscall but the exits answered
 * -ENOSYS). Everything else passes through. module-fails.py uses init.
 */
#include <libos/libos.h>

static const struct libos_loader *ldr;
static long init_value, heap_value;
static int enosys;

static long number(const char *s)
{
	long sign = 1, v = 0;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

static int starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int fail_init(const struct libos_loader *loader, int argc, char **argv, char **envp,
		     const uint64_t *auxv)
{
	const char *o = loader->options;

	(void)argc, (void)argv, (void)envp, (void)auxv;
	ldr = loader;
	if (starts(o, "init="))
		init_value = number(o + 5);
	else if (starts(o, "heap="))
		heap_value = number(o + 5);
	else if (starts(o, "enosys"))
		enosys = 1;
	return (int)init_value;
}

static long fail_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			 long a5, long a6)
{
	(void)ctx;
	if (enosys && nr != 231 /* exit_group */ && nr != 60 /* exit */)
		return -38; /* ENOSYS */
	return ldr->syscall(nr, a1, a2, a3, a4, a5, a6);
}

static uint64_t fail_heap_size(void)
{
	return (uint64_t)heap_value;
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "failing",
	.init = fail_init,
	.syscall = fail_syscall,
	.heap_size = fail_heap_size,
};
