// SPDX-License-Identifier: MIT
/*
 * __sprintf_chk: glibc's checked sprintf, called by Capstone's prebuilt
 * objects (built with _FORTIFY_SOURCE). An overflow aborts, as in glibc.
 */
#include <stdio.h>
#include <stdlib.h>

int __sprintf_chk(char *buf, int flag, size_t size, const char *fmt, ...);

int __sprintf_chk(char *buf, int flag, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		abort();
	return n;
}
