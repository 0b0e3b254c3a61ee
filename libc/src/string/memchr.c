// SPDX-License-Identifier: MIT
/* memchr: the first byte equal to c in n bytes, or NULL. */
#include <string.h>
#include <stdint.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
