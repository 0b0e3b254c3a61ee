// SPDX-License-Identifier: MIT
/*
 * A settings file's lines (config.h): one setting per line, `name` or
 * `name = value`, the names the long options' without "--"; blank lines
 * and lines starting with '#' are skipped. No quoting and no comment
 * after a value: a path may hold spaces and '#'. Only the blanks around
 * the name and the value go. Apart from reading the file (config.c), so
 * that tests/fuzz/fuzz_options.c runs it on any bytes.
 */
#include <libc.h>
#include <string.h>

#include "config.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* s without the blanks around it, in place. */
static char *trimmed(char *s)
{
	while (blank(*s))
		s++;
	size_t n = strlen(s);
	while (n && blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

void ldr_config_lines(char *text, const char *path, int say, ldr_config_fn fn, void *ctx)
{
	const char *why;
	char *next = text;
	for (unsigned line = 1; next; line++) {
		char *s = next, *eol = strchr(s, '\n');
		next = eol ? eol + 1 : NULL;
		if (eol)
			*eol = '\0';
		s = trimmed(s);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '='), *value = NULL;
		if (eq) {
			*eq = '\0';
			value = trimmed(eq + 1);
		}
		const char *name = trimmed(s);
		why = NULL;
		for (const char *c = name; *c && !why; c++)
			if (!name_char(*c))
				why = "not a setting (`name` or `name = value`, the name in "
				      "a-z, 0-9 and -)";
		if (!*name)
			why = "no setting name before '='";
		if (!why)
			why = fn(ctx, name, value);
		if (why && say)
			libc_say("%s:%u: %s: the line is ignored", path, line, why);
	}
}
