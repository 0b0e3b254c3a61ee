/* SPDX-License-Identifier: MIT */
/* Finding a program by name in PATH, as execvp (and so env and strace) do;
 * paths made absolute. */
#ifndef LOADER_PATH_H
#define LOADER_PATH_H

/* The search path glibc's execvp uses when PATH is unset. */
#define LDR_DEFAULT_PATH "/bin:/usr/bin"

/* The kernel's PATH_MAX: a path name of this many bytes or more is refused
 * (ENAMETOOLONG). */
#define LDR_PATH_MAX 4096

/* Resolve name: with a '/', it is used as is; without, each PATH entry
 * (path is the value of PATH, or NULL) is tried in order, an empty entry
 * meaning the current directory. Sets *out to a malloc'ed path. Returns 0;
 * -ENOENT when nothing was found; -EACCES when only candidates that cannot
 * be executed were found, as execvp reports. */
int ldr_path_search(const char *name, const char *path, char **out);

/* path made absolute against the current directory (malloc'ed), or path
 * itself when it is absolute, NULL, or the directory cannot be read: a
 * setting names the same file after the program changed directory, and
 * in a followed exec. */
const char *ldr_path_absolute(const char *path);

/* Where the symbolic link (a /proc one: /proc/self/exe, /proc/self/fd/N)
 * points, malloc'ed, or NULL. */
const char *ldr_link_target(const char *link);

#endif
