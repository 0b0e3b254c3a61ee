// SPDX-License-Identifier: MIT
/*
 * PATH search with execvp's rules: the first entry holding an executable
 * regular file wins; entries holding something that cannot be executed are
 * skipped but remembered, so that "permission denied" is reported instead
 * of "not found", as env and the shell do. And a setting's path made
 * absolute, so that it names the same file from anywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "path.h"

static int executable_file(const char *candidate)
{
	struct stat st;

	if (sys_stat(candidate, &st) < 0)
		return -ENOENT;
	if ((st.st_mode & S_IFMT) != S_IFREG)
		return -EACCES;
	if (sys_faccessat(AT_FDCWD, candidate, 1 /* X_OK */, AT_EACCESS) < 0)
		return -EACCES;
	return 0;
}

int ldr_path_search(const char *name, const char *path, char **out)
{
	size_t name_len = strlen(name);
	int seen_eacces = 0;

	*out = NULL;
	if (name_len == 0)
		return -ENOENT;
	if (strchr(name, '/')) {
		*out = strdup(name);
		return *out ? 0 : -ENOMEM;
	}
	if (name_len > 255)
		return -ENAMETOOLONG;
	if (!path)
		path = LDR_DEFAULT_PATH;

	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t dir_len = end ? (size_t)(end - p) : strlen(p);
		char candidate[LDR_PATH_MAX];

		if (dir_len + 1 + name_len < sizeof(candidate)) {
			memcpy(candidate, p, dir_len);
			size_t n = dir_len;
			if (n)
				candidate[n++] = '/';
			memcpy(candidate + n, name, name_len + 1);
			int r = executable_file(candidate);
			if (r == 0) {
				*out = strdup(candidate);
				return *out ? 0 : -ENOMEM;
			}
			if (r == -EACCES)
				seen_eacces = 1;
		}
		if (!end)
			break;
		p = end;
	}
	return seen_eacces ? -EACCES : -ENOENT;
}

const char *ldr_path_absolute(const char *path)
{
	char cwd[LDR_PATH_MAX];
	long n;

	if (!path || path[0] == '/')
		return path;
	n = sys_getcwd(cwd, sizeof(cwd));
	if (n < 0)
		return path;
	size_t len = strlen(cwd) + 1 + strlen(path) + 1;
	char *abs = malloc(len);
	if (!abs)
		return path;
	snprintf(abs, len, "%s/%s", cwd, path);
	return abs;
}

const char *ldr_link_target(const char *link)
{
	char target[LDR_PATH_MAX];
	long len = sys_readlink(link, target, sizeof(target) - 1);

	if (len <= 0)
		return NULL;
	target[len] = '\0';
	return strdup(target);
}
