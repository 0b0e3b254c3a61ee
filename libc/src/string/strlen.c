// SPDX-License-Identifier: MIT
/* strlen: the length of a NUL-terminated string. */
#include <string.h>
#include <stdint.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}
