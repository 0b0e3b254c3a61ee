// SPDX-License-Identifier: MIT
/* memmove: copy n bytes between buffers that may overlap. */
#include <string.h>
#include <stdint.h>

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n); /* d below s, or no overlap */
	while (n--)
		d[n] = s[n];
	return dst;
}
