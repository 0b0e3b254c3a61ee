/* SPDX-License-Identifier: MIT */
/* Settings files: /etc/libos-loader.conf and the user's (config.c). */
#ifndef LOADER_CONFIG_H
#define LOADER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* The system-wide file; trusted only when root owns it. */
#define LDR_CONFIG_SYSTEM "/etc/libos-loader.conf"
/* The user's, under $XDG_CONFIG_HOME (absolute), else $HOME/.config. */
#define LDR_CONFIG_USER_NAME "libos-loader.conf"

/* Called for each setting line: name, and the value after '=' (NULL for a
 * bare name). Returns NULL when taken, else why not (the caller's words,
 * said with the file and line). */
typedef const char *(*ldr_config_fn)(void *ctx, const char *name, const char *value);

/* Read the settings file at path, if there is one, and pass each setting
 * to fn in the file's order. The file is used only when it is a regular
 * file owned by root or by owner, and nobody else may write it; a file
 * refused, too large or unreadable, and each line that is not a setting or
 * that fn refuses, is one line on stderr when say (FILE: or FILE:LINE:),
 * and is skipped: the run goes on without it, as with a LIBOS_* variable.
 * The values stay valid for the whole run. */
void ldr_config_read(const char *path, uint32_t owner, int say, ldr_config_fn fn, void *ctx);

/* The settings in text (a whole file, NUL-terminated, changed in place:
 * the values point into it), passed to fn; each line that is not a
 * setting or that fn refuses is one line on stderr when say
 * (PATH:LINE:). */
void ldr_config_lines(char *text, const char *path, int say, ldr_config_fn fn, void *ctx);

/* The user's settings file's path into buf (n bytes), from the
 * environment: 0, or -ENOENT when there is none to read (no absolute
 * $XDG_CONFIG_HOME nor $HOME) or it would not fit. */
int ldr_config_user_path(char *buf, size_t n);

#endif
