/* SPDX-License-Identifier: MIT */
/* Finding a program by name in PATH, as execvp (and so env and strace) do. */
#ifndef LOADER_PATH_H
#define LOADER_PATH_H

/* The search path glibc's execvp uses when PATH is unset. */
#define LDR_DEFAULT_PATH "/bin:/usr/bin"

/* Resolve name: with a '/', it is used as is; without, each PATH entry
 * (path is the value of PATH, or NULL) is tried in order, an empty entry
 * meaning the current directory. Sets *out to a malloc'ed path. Returns 0;
 * -ENOENT when nothing was found; -EACCES when only candidates that cannot
 * be executed were found, as execvp reports. */
int ldr_path_search(const char *name, const char *path, char **out);

#endif
