// SPDX-License-Identifier: MIT
/*
 * Parsing a `#!` line, with binfmt_script's rules (fs/binfmt_script.c):
 * only the first 256 bytes count; the interpreter path ends at a space, tab
 * or NUL; everything after it, less surrounding blanks, is one optional
 * argument; a line cut off by the 256-byte limit is accepted only when the
 * interpreter path itself is complete. Matching the kernel byte for byte
 * means a script behaves under the loader as it does when run directly.
 */
#include <errno.h>
#include <string.h>

#include "elf.h"
#include "script.h"

static int spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* First byte in [first, last] that is not a blank, or NULL. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* First byte in [first, last] that ends a word (blank or NUL), or NULL. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/* The kernel's strnchr: stops at the first NUL. */
static char *find_newline(char *s, size_t n)
{
	for (; n-- && *s; s++)
		if (*s == '\n')
			return s;
	return NULL;
}

int ldr_script_parse(const void *head, size_t len, struct ldr_script *s)
{
	char buf[ELF_BINPRM_BUF_SIZE] = {0};
	char *buf_end = buf + sizeof(buf) - 1;
	char *i_name, *i_sep, *i_arg, *i_end;

	memcpy(buf, head, len < sizeof(buf) ? len : sizeof(buf));
	if (buf[0] != '#' || buf[1] != '!')
		return 0;

	i_end = find_newline(buf, sizeof(buf));
	if (!i_end) {
		i_end = next_non_spacetab(buf + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end))
			return -ENOEXEC; /* all blanks, or a truncated path */
		i_end = buf_end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC;
	i_arg = NULL;
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep != '\0')
		i_arg = next_non_spacetab(i_sep, i_end);
	*i_end = '\0';
	if (i_arg)
		*i_sep = '\0';

	strcpy(s->name, i_name);
	s->has_arg = i_arg != NULL;
	strcpy(s->arg, i_arg ? i_arg : "");
	return 1;
}
