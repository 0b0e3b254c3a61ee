/* SPDX-License-Identifier: MIT */
/* --binfmt=register|unregister|status (binfmt.c). */
#ifndef LOADER_BINFMT_H
#define LOADER_BINFMT_H

/* The registration's name by default (--binfmt-name). */
#define LDR_BINFMT_NAME "libos-loader"

/* Run the action ("register", "unregister" or "status") on entry name of
 * /proc/sys/fs/binfmt_misc; loader is the loader's absolute path. Returns
 * the exit status: 0; 1 when status or unregister finds no such entry;
 * 2 for an unknown action or a bad name; 126 with one line when the
 * kernel refuses (not mounted, no permission, already registered). */
int ldr_binfmt(const char *action, const char *name, const char *loader);

/* The registration line for name and loader, in buf (size bytes): the
 * line binfmt.d holds too. Returns its length, or -ENAMETOOLONG. */
int ldr_binfmt_line(char *buf, unsigned long size, const char *name, const char *loader);

#endif
