/* SPDX-License-Identifier: MIT */
/* Allocation, sorting and number parsing of the loader's own libc. */
#ifndef LIBC_STDLIB_H
#define LIBC_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *));
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
__attribute__((noreturn)) void abort(void);
/* The value of an environment variable of the loader's own environment. */
char *getenv(const char *name);

#endif
