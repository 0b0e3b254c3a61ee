// SPDX-License-Identifier: MIT
/*
 * An exec's arguments as the kernel counts them (fs/exec.c,
 * bprm_stack_limits and copy_strings): the file name it was given, envp
 * and argv, each string with its NUL, and the words of a #! chain, may
 * take a quarter of RLIMIT_STACK (at most 6 MiB, at least ARG_MAX, 128
 * KiB) less 8 bytes for each argv and envp pointer, and no string more
 * than MAX_ARG_STRLEN (128 KiB); else E2BIG, before the point of no
 * return.
 *
 * A followed exec adds the loader's path (the file name and argv[0]) and
 * its words (--exec=PATH ... --), about 150 bytes: an exec that fits
 * natively by less would fail. So when the kernel says E2BIG to it, the
 * program's own exec is counted here, the kernel's way; where it fits,
 * the argv and envp go to the new loader in a memfd, the kernel sees only
 * `LOADER --exec-args=N` with no environment, and the new loader reads
 * them back and closes N before the program runs (loader/exec_args.c).
 * Where it does not, E2BIG is the program's answer, as natively. The
 * memfd is written from the program's memory by the kernel (write), so a
 * bad pointer is EFAULT, never a fault of the loader.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "exec.h"
#include "exec_args.h"
#include "hooks.h"

#define MAX_ARG_STRLEN (32 * 4096) /* linux/binfmts.h */
#define ARG_MAX_BYTES  (32 * 4096) /* the kernel's ARG_MAX */
#define STK_LIM        (8UL << 20) /* _STK_LIM */

/* The size of the program's string at src, its NUL included; more than
 * MAX_ARG_STRLEN when the kernel would find it too long; or -EFAULT. */
static long string_size(uintptr_t src)
{
	char buf[4096];
	size_t n = 0;

	while (n <= MAX_ARG_STRLEN) {
		size_t chunk = 4096 - ((src + n) & 4095);
		if (hook_copy_from(buf, src + n, chunk) < 0)
			return -EFAULT;
		const char *nul = memchr(buf, 0, chunk);
		if (nul)
			return (long)(n + (size_t)(nul - buf) + 1);
		n += chunk;
	}
	return MAX_ARG_STRLEN + 1;
}

/* The bytes of strings the kernel takes with this many argv and envp
 * pointers; 0 for none (or when the stack limit cannot be read: then the
 * kernel's E2BIG stands). */
static size_t strings_limit(size_t pointers)
{
	struct rlimit64 rl;
	uint64_t limit = STK_LIM / 4 * 3;

	if (sys_getrlimit64(RLIMIT_STACK, &rl) < 0)
		return 0;
	if (rl.rlim_cur / 4 < limit)
		limit = rl.rlim_cur / 4;
	if (limit < ARG_MAX_BYTES)
		limit = ARG_MAX_BYTES;
	return limit > pointers * 8 ? limit - pointers * 8 : 0;
}

/* The program's own exec: 0 if the kernel's count lets it through, else
 * -E2BIG or -EFAULT. size[] gets the size of each argv string, then of
 * each envp one. */
static int program_fits(const char *name, const uint64_t *argv, size_t argc, const uint64_t *envp,
			size_t envc, size_t script_words, long *size)
{
	size_t file = strlen(name) + 1, total = file;

	for (size_t i = 0; i < argc + envc; i++) {
		size[i] = string_size(i < argc ? argv[i] : envp[i - argc]);
		if (size[i] < 0)
			return (int)size[i];
		if (size[i] > MAX_ARG_STRLEN)
			return -E2BIG;
		total += (size_t)size[i];
	}
	size_t argv0 = argc ? (size_t)size[0] : 1;
	if (argc == 0)
		total += 1; /* the kernel's empty argv[0] */
	size_t limit = strings_limit((argc ? argc : 1) + envc);
	/* binfmt_script drops argv[0], then adds the file name and, at each
	 * level, the interpreter and its argument: the most at the end. */
	if (script_words)
		total += file + script_words > argv0 ? file + script_words - argv0 : 0;
	return total <= limit ? 0 : -E2BIG;
}

static int write_all(int fd, const void *p, size_t n)
{
	while (n) {
		long w = sys_write(fd, p, n);
		if (w < 0)
			return (int)w;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return 0;
}

/* The memfd: the count of words and of envp (8 bytes each), then the
 * words, then envp, each string with its NUL. */
static long pack(const uint64_t *words, size_t count, size_t argc, const uint64_t *envp,
		 size_t envc, const long *size)
{
	uint64_t head[2] = {count, envc};
	size_t loader = count - argc;
	long fd = sys_memfd_create("libos-loader-exec-args", 0);
	int r = fd < 0 ? (int)fd : write_all((int)fd, head, sizeof(head));

	for (size_t i = 0; r == 0 && i < count + envc; i++) {
		uint64_t at = i < count ? words[i] : envp[i - count];
		size_t n = i < loader ? strlen((const char *)(uintptr_t)at) + 1
				      : (size_t)size[i - loader];
		r = write_all((int)fd, (const void *)(uintptr_t)at, n);
	}
	if (r < 0 && fd >= 0)
		sys_close((int)fd);
	return r < 0 ? r : fd;
}

long hook_exec_args_pack(const char *name, const uint64_t *words, size_t count, size_t argc,
			 const uint64_t *envp, size_t envc, size_t script_words)
{
	long *size = malloc((argc + envc + 1) * sizeof(*size));
	long r = size ? 0 : -E2BIG;

	if (r == 0)
		r = program_fits(name, words + count - argc, argc, envp, envc, script_words, size);
	if (r == 0)
		r = pack(words, count, argc, envp, envc, size);
	free(size);
	/* No memfd (a seccomp filter, no memory): the kernel's E2BIG. */
	return r == -EFAULT || r >= 0 ? r : -E2BIG;
}
