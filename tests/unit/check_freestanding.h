/* SPDX-License-Identifier: MIT */
/*
 * CHECK(cond, fmt, ...) for the unit tests built as the loader is built:
 * freestanding, on the loader's own libc, which has no FILE, fprintf or
 * exit. The same contract and output as check.h: a failed check prints
 * file:line and what differed (one write, so lines never interleave),
 * counts, and lets the test go on, up to CHECK_LIMIT of them.
 */
#ifndef TESTS_UNIT_CHECK_FREESTANDING_H
#define TESTS_UNIT_CHECK_FREESTANDING_H

#include <stdarg.h>
#include <stdio.h>
#include <sys.h>

#define CHECK_LIMIT 20

static int failures;

__attribute__((format(printf, 3, 4), unused)) static void check_failed(const char *file, int line,
								       const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n = snprintf(text, sizeof(text), "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(text))
		vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	dprintf(2, "%s\n", text);
	if (++failures > CHECK_LIMIT) {
		dprintf(2, "%s: more than %d failures, stopping\n", file, CHECK_LIMIT);
		sys_exit_group(1);
	}
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			check_failed(__FILE__, __LINE__, __VA_ARGS__);                             \
	} while (0)

/* A private, writable mapping of the file at path (its size in *size):
 * the pages past its end fault, so a read past the file does not go
 * unnoticed, and a test may damage its copy freely. Exits 2 (a broken
 * setup, not a failed check) when it cannot be made. */
__attribute__((unused)) static uint8_t *map_private_copy(const char *path, uint64_t *size)
{
	struct stat st;
	long fd = sys_open(path, O_RDONLY), r;

	if (fd < 0 || sys_fstat((int)fd, &st) < 0)
		sys_exit_group(2);
	r = sys_mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, (int)fd, 0);
	sys_close((int)fd);
	if (sys_is_err(r))
		sys_exit_group(2);
	*size = (uint64_t)st.st_size;
	return (uint8_t *)r;
}

#endif
