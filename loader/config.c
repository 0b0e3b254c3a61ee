// SPDX-License-Identifier: MIT
/*
 * Settings files, for the runs that have no command line of their own to
 * give (a binfmt_misc interpreter, a container's entrypoint, a wrapper):
 * one setting per line, `name` or `name = value`, the names the long
 * options' without "--"; blank lines and lines starting with '#' are
 * skipped. No quoting and no comment after a value: a path may hold
 * spaces and '#'. Only the blanks around the name and the value go.
 *
 * What the file means is options.c's; this file only reads it, and only
 * a file nobody but its owner (root, or the user for the user's) can have
 * written: settings load code (a module) and write files (a report).
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "config.h"

/* Far more than every setting takes, each value a longest path. */
#define CONFIG_MAX (64 * 1024)

/* Why the file cannot be trusted, or NULL. */
static const char *refusal(const struct stat *st, uint32_t owner, char *why, size_t n)
{
	if ((st->st_mode & S_IFMT) != S_IFREG)
		return "not a regular file";
	if (st->st_uid != 0 && st->st_uid != owner) {
		snprintf(why, n, "owned by uid %u, not by root%s", (unsigned)st->st_uid,
			 owner ? " or you" : "");
		return why;
	}
	if (st->st_mode & 022) {
		snprintf(why, n, "others can write it (mode %03o)", (unsigned)(st->st_mode & 0777));
		return why;
	}
	if (st->st_size > CONFIG_MAX)
		return "larger than 64 KiB";
	return NULL;
}

/* The whole file, NUL-terminated, malloc'ed (the values point into it for
 * the whole run); NULL with *why set, or with *why NULL when there is no
 * file. */
static char *file_text(const char *path, uint32_t owner, const char **why, char *buf, size_t n)
{
	long fd = sys_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	*why = NULL;
	if (fd == -ENOENT || fd == -ENOTDIR)
		return NULL;
	if (fd < 0) {
		*why = strerror((int)-fd);
		return NULL;
	}
	if (sys_fstat((int)fd, &st) < 0)
		*why = "cannot stat it";
	else
		*why = refusal(&st, owner, buf, n);
	if (!*why && !(text = malloc((size_t)st.st_size + 1)))
		*why = "out of memory";
	while (!*why) {
		/* One byte more than its size: a file that grew is refused. */
		long r = sys_read((int)fd, text + len, (size_t)st.st_size + 1 - len);
		if (r < 0)
			*why = strerror((int)-r);
		else if (r == 0)
			break;
		else if ((len += (size_t)r) > (size_t)st.st_size)
			*why = "it changed while it was read";
	}
	sys_close((int)fd);
	if (*why) {
		free(text);
		return NULL;
	}
	text[len] = '\0';
	if (strlen(text) != len) {
		*why = "it holds a NUL byte";
		free(text);
		return NULL;
	}
	return text;
}

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

void ldr_config_read(const char *path, uint32_t owner, int say, ldr_config_fn fn, void *ctx)
{
	char buf[64];
	const char *why;
	char *text = file_text(path, owner, &why, buf, sizeof(buf));

	if (!text) {
		if (why && say)
			libc_say("%s: %s: its settings are ignored", path, why);
		return;
	}
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

int ldr_config_user_path(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int len;

	/* A relative XDG_CONFIG_HOME is invalid and ignored (XDG). */
	if (xdg && *xdg == '/')
		len = snprintf(buf, n, "%s/%s", xdg, LDR_CONFIG_USER_NAME);
	else if (home && *home == '/')
		len = snprintf(buf, n, "%s/.config/%s", home, LDR_CONFIG_USER_NAME);
	else
		return -ENOENT;
	return len < 0 || (size_t)len >= n ? -ENOENT : 0;
}
