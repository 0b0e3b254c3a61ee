/* SPDX-License-Identifier: MIT */
/* `libos-loader --list-sites FILE`: the site finder, run on one file. */
#ifndef LOADER_LIST_SITES_H
#define LOADER_LIST_SITES_H

/* Print every syscall instruction of FILE's code, one per line (address,
 * function), then a total. Returns the exit status. */
int ldr_list_sites(const char *path);

#endif
