/* SPDX-License-Identifier: MIT */
/*
 * The patch cache's directory (cache_dir.c): which one, whether it may be
 * trusted, and the only ways the cache touches a file in it.
 *
 * Trust is checked on the descriptor that is used, every time: the
 * directory is opened (O_NOFOLLOW) and fstat'ed for each lookup or store,
 * and an entry is opened relative to that descriptor (O_NOFOLLOW |
 * O_NONBLOCK) and fstat'ed before a byte of it is read. So a directory or
 * entry swapped after the start-up check is refused, never used. No
 * descriptor is held between lookups: the program would see it in
 * /proc/self/fd, and could close it or reuse its number.
 *
 * The cache deletes only files it can prove are its own: regular files of
 * the user whose names match an entry's name exactly (cache_dir_name_ok),
 * so a directory the user named that holds other files loses none.
 */
#ifndef PATCH_CACHE_DIR_H
#define PATCH_CACHE_DIR_H

#include <stddef.h>
#include <stdint.h>
#include <sys.h>

/* Choose the directory from the environment, make it when it is the
 * default and missing, and check it. Says once on stderr why the cache
 * is off when a setting cannot be honoured or the directory is refused,
 * unless quiet. Returns 0, or -errno (no cache). */
int cache_dir_init(int quiet);

/* The directory, opened and checked again (a private directory of the
 * user's), or -errno. */
int cache_dir_open(void);

/* Entry name (KEY.SUFFIX) in the directory open at dfd, opened for
 * reading and checked (a regular file of the user's that no one else can
 * write); st receives its fstat. Returns the descriptor or -errno. */
int cache_entry_open(int dfd, const char *name, struct stat *st);

/* Remove the entries of other loader builds (the loader id is not id)
 * and temporary files left by writers that died, over an hour old. */
void cache_dir_prune(int dfd, const char *id);

/* Whether name is exactly an entry's (ID-KEY.plan, ID-KEY.img) or a
 * writer's temporary (ENTRY.RANDOM.tmp, as libc_replace_file_at names it):
 * ID 16 hex digits, KEY hex digits
 * and '-', RANDOM 16 hex digits. Returns 1 (entry), 2 (temporary) or 0. */
int cache_dir_name_ok(const char *name);

#endif
