// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for `#!` lines (loader/script.c): any first bytes of a
 * file give "not a script", a refusal, or an interpreter path without
 * blanks (empty only where the kernel's is: `#!` then a NUL, which its
 * open then refuses) and an argument without blanks at either end of a
 * whole line, both inside their buffers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ldr_script s;
	int r;

	memset(&s, 0x5a, sizeof(s)); /* no NUL to rely on but the parser's */
	r = ldr_script_parse(data, size, &s);
	if (r == 0 || r == -ENOEXEC)
		return 0;
	if (r != 1)
		abort();
	size_t name_len = strnlen(s.name, sizeof(s.name)), arg_len = strnlen(s.arg, sizeof(s.arg));
	if (name_len == sizeof(s.name) || arg_len == sizeof(s.arg))
		abort();
	for (size_t i = 0; i < name_len; i++)
		if (blank(s.name[i]) || s.name[i] == '\n')
			abort();
	/* Without a newline the kernel trims nothing at the end (the line
	 * ends in the NULs past the 256-byte limit): an argument may end in
	 * blanks, or be empty (`#!name ` then NULs), there too. */
	size_t head = size < 256 ? size : 256;
	const uint8_t *nul = memchr(data, 0, head);
	int cut = !memchr(data, '\n', nul ? (size_t)(nul - data) : head);
	if ((!s.has_arg && arg_len != 0) || (arg_len && blank(s.arg[0])) ||
	    (!cut && s.has_arg && (arg_len == 0 || blank(s.arg[arg_len - 1]))))
		abort();
	return 0;
}
