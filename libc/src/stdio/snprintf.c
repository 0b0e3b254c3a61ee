// SPDX-License-Identifier: MIT
/* snprintf: vsnprintf with its arguments inline. */
#include <stdio.h>

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
