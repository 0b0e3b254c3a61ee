// SPDX-License-Identifier: MIT
/*
 * example: a small LibOS, as an external module of libos-loader
 * (--libos=PATH/example.so --libos-options=hostname=NAME,redirect=/FROM:/TO).
 *
 * It answers getpid, getppid and uname (so gethostname and hostname(1))
 * itself, without a kernel call (identity.c), and redirects absolute paths
 * under /FROM to /TO for the syscalls that look paths up (redirect.c).
 * Every other syscall is made for real through loader->syscall. Its limits
 * are in identity.c, redirect.c and README.md.
 *
 * Built freestanding (no libc, no syscall instruction of its own): see
 * meson.build, or `pkg-config --cflags --libs libos-loader`.
 */
#include <asm/unistd.h>

#include "example.h"

const struct libos_loader *ex_loader;
struct ex_config ex_config;

static int example_init(const struct libos_loader *loader, int argc, char **argv, char **envp,
			const uint64_t *auxv)
{
	const char *bad = "", *why = "";
	size_t bad_len = 0;

	(void)argc, (void)argv, (void)envp, (void)auxv;
	ex_loader = loader;
	if (ex_options_parse(loader->options, &ex_config, &bad, &bad_len, &why) < 0) {
		char item[128];
		size_t n = bad_len < sizeof(item) - 1 ? bad_len : sizeof(item) - 1;
		memcpy(item, bad, n);
		item[n] = '\0';
		loader->log("bad option '%s': %s", item, why);
		return 2; /* the status of a bad option */
	}
	if (ex_identity_init() < 0) {
		loader->log("cannot read uname");
		return 1;
	}
	return 0;
}

static long example_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			    long a5, long a6)
{
	long r;

	switch (nr) {
	case __NR_getpid:
		return ex_getpid(ctx);
	case __NR_getppid:
		return ex_getppid(ctx);
	case __NR_uname:
		return ex_uname((uintptr_t)a1);
	case __NR_fork:
	case __NR_clone:
	case __NR_clone3:
		/* Only a child with its own memory returns here (the loader
		 * starts the others on their own stacks). */
		r = ex_sys(nr, a1, a2, a3, a4, a5, a6);
		if (r == 0)
			ex_identity_forked(ctx);
		return r;
	case __NR_sethostname:
	case __NR_setdomainname:
		r = ex_sys(nr, a1, a2, a3, a4, a5, a6);
		if (r == 0)
			ex_identity_hostname_changed();
		return r;
	}
	unsigned paths = ex_config.redirect_count ? ex_path_args(nr) : 0;
	if (paths) {
		const long args[6] = {a1, a2, a3, a4, a5, a6};
		return ex_redirected_syscall(nr, args, paths);
	}
	return ex_sys(nr, a1, a2, a3, a4, a5, a6);
}

static void example_thread_start(struct libos_context *ctx)
{
	ex_identity_thread_start(ctx);
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "example",
	.init = example_init,
	.syscall = example_syscall,
	.thread_start = example_thread_start,
};
