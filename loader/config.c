// SPDX-License-Identifier: MIT
/*
 * Settings files, for the runs that have no command line of their own to
 * give (a binfmt_misc interpreter, a container's entrypoint, a wrapper).
 * Their lines are config_lines.c's, what they mean options.c's; this file
 * only reads one, and only
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
	ldr_config_lines(text, path, say, fn, ctx);
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
