// SPDX-License-Identifier: MIT
/*
 * A followed exec whose arguments did not fit with the loader's words
 * came as `LOADER --exec-args=N` alone, no environment, and memfd N
 * (hooks/exec_args.c): the count of words and of envp strings (8 bytes
 * each), then the words (the loader's options, --, the program's argv),
 * then envp, each string with its NUL. They become the loader's argv and
 * envp before anything reads either, as if the kernel had given them, and
 * N is closed (natively it never existed). The program's strings then go
 * onto its stack where the kernel would have put them (stack.c copies
 * those that are not the kernel's), and /proc/PID/cmdline and environ
 * show them there (identity.c). The buffer is never freed: getenv reads
 * the loader's environment from it as long as the program runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "error.h"
#include "exec.h"
#include "exec_args.h"

/* N of --exec-args=N, or -1. */
static int descriptor(const char *word)
{
	static const char opt[] = HOOK_EXEC_OPT_ARGS "=";
	long n = 0;

	if (strncmp(word, opt, sizeof(opt) - 1) != 0 || !word[sizeof(opt) - 1])
		return -1;
	for (const char *p = word + sizeof(opt) - 1; *p; p++) {
		if (*p < '0' || *p > '9' || (n = n * 10 + (*p - '0')) > 0x7fffffff)
			return -1;
	}
	return (int)n;
}

/* The memfd's bytes, NUL-terminated, in *buf; their count or -errno. */
static long slurp(int fd, char **buf)
{
	struct stat st;
	long r = sys_fstat(fd, &st);

	if (r < 0)
		return r;
	char *b = malloc((size_t)st.st_size + 1);
	if (!b)
		return -ENOMEM;
	for (long got = 0; got < st.st_size; got += r) {
		r = sys_pread(fd, b + got, (size_t)(st.st_size - got), got);
		if (r <= 0) {
			free(b);
			return r < 0 ? r : -EIO;
		}
	}
	b[st.st_size] = '\0';
	*buf = b;
	return st.st_size;
}

/* n strings from *at (up to end) into v[0..n), v[n] = NULL. */
static int split(char **at, const char *end, char **v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (*at >= end)
			return -EINVAL;
		v[i] = *at;
		*at += strlen(*at) + 1;
	}
	v[n] = NULL;
	return *at <= end + 1 ? 0 : -EINVAL;
}

void ldr_exec_args_take(const struct libc_start_info *start)
{
	uint64_t head[2];
	char *buf = NULL;
	int fd = start->argc == 2 ? descriptor(start->argv[1]) : -1;

	if (fd < 0)
		return;
	long size = slurp(fd, &buf);
	sys_close(fd);
	long r = size < 0 ? size : size < (long)sizeof(head) ? -EINVAL : 0;
	if (r == 0) {
		memcpy(head, buf, sizeof(head));
		/* Each string takes a byte at least. */
		if (head[0] == 0 || head[0] + head[1] > (uint64_t)size)
			r = -EINVAL;
	}
	char **v = r == 0 ? malloc((head[0] + head[1] + 2) * sizeof(*v)) : NULL;
	if (r == 0 && !v)
		r = -ENOMEM;
	if (r == 0) {
		char *at = buf + sizeof(head);
		r = split(&at, buf + size, v, head[0]);
		if (r == 0)
			r = split(&at, buf + size, v + head[0] + 1, head[1]);
	}
	if (r < 0)
		ldr_die(LDR_EXIT_CANNOT, "%s: cannot read the exec's arguments: %s", start->argv[1],
			strerror((int)r));
	libc_start_set_args((int)head[0], v, v + head[0] + 1);
}
