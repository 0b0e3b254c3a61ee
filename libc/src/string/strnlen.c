// SPDX-License-Identifier: MIT
/* strnlen: the length of a string, at most max. */
#include <string.h>
#include <stdint.h>

size_t strnlen(const char *s, size_t max)
{
	const char *p = memchr(s, 0, max);

	return p ? (size_t)(p - s) : max;
}
