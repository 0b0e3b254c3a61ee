/* SPDX-License-Identifier: MIT */
/* /proc/self/exe under the loader: the program, not the loader. */
#ifndef HOOKS_PROCFS_H
#define HOOKS_PROCFS_H

#include "hooks.h"

/* path (resolved from the working directory as the kernel would) names
 * one of this process's /proc/.../exe links. */
int hook_self_exe(const char *path);

/* The kernel's /proc/self/exe names the loader (loader/exe_link.c could
 * not change it): from now on the loader answers the program's readlink,
 * open and stat of it with its own file. Before any other thread exists. */
void hook_procfs_take(struct tls_tcb *main_thread);

#endif
