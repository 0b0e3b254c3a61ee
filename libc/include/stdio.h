/* SPDX-License-Identifier: MIT */
/*
 * Formatted output of the loader's own libc. There is no FILE: the loader
 * formats into buffers and writes whole lines to a descriptor. Floating
 * point conversions are not supported (the loader is built without vector
 * registers); they print "?".
 */
#ifndef LIBC_STDIO_H
#define LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vdprintf(int fd, const char *restrict fmt, va_list ap);
int dprintf(int fd, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
