/* SPDX-License-Identifier: MIT */
/* /proc/self/exe under the loader: the program, not the loader. */
#ifndef HOOKS_PROCFS_H
#define HOOKS_PROCFS_H

/* path names this process's /proc/.../exe link. */
int hook_self_exe(const char *path);

#endif
