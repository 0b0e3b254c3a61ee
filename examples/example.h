/* SPDX-License-Identifier: MIT */
/*
 * example.h: what the files of the example LibOS module share. The module
 * answers getpid, getppid and uname itself (identity.c), redirects a path
 * prefix to another directory (redirect.c), is configured through
 * loader->options (options.c) and brings the few memory functions the
 * compiler may call (mem.c): it has no libc. example.c is the module
 * itself, the one exported symbol. Everything declared here is hidden:
 * libos_module is all the module exports.
 */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include <libos/libos.h>

#pragma GCC visibility push(hidden)

#define EX_HOSTNAME_SIZE 65   /* the kernel's __NEW_UTS_LEN + 1 */
#define EX_PATH_SIZE     4096 /* PATH_MAX: a path and its NUL */
#define EX_REDIRECT_MAX  8

struct ex_redirect {
	char from[256], to[256]; /* absolute, no trailing '/' ("/" is "") */
	size_t from_len, to_len;
};

struct ex_config {
	char hostname[EX_HOSTNAME_SIZE]; /* "" when not set */
	struct ex_redirect redirect[EX_REDIRECT_MAX];
	int redirect_count;
};

/* Set by init: the loader's services and the configuration. */
extern const struct libos_loader *ex_loader;
extern struct ex_config ex_config;

/* The real system call, as the program would have made it. */
static inline long ex_sys(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return ex_loader->syscall(nr, a1, a2, a3, a4, a5, a6);
}

/* options.c: parse "key=value,..." into *c. Returns 0, or -EINVAL with
 * *bad pointing at the offending item and *why saying what is wrong. */
int ex_options_parse(const char *s, struct ex_config *c, const char **bad, size_t *bad_len,
		     const char **why);

/* identity.c: getpid, getppid and uname answered from what is cached. */
int ex_identity_init(void);
void ex_identity_thread_start(struct libos_context *ctx);
void ex_identity_forked(struct libos_context *ctx);
long ex_getpid(struct libos_context *ctx);
long ex_getppid(struct libos_context *ctx);
long ex_uname(uintptr_t buf);
void ex_identity_hostname_changed(void);

/* redirect.c: whether syscall nr takes paths, and the syscall made with
 * its redirected paths. */
unsigned ex_path_args(long nr);
long ex_redirected_syscall(long nr, const long args[6], unsigned path_args);

/* mem.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#pragma GCC visibility pop

#endif
