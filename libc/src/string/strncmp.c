// SPDX-License-Identifier: MIT
/* strncmp: compare at most n characters of two strings. */
#include <string.h>
#include <stdint.h>

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return *(const unsigned char *)a - *(const unsigned char *)b;
		if (!*a)
			return 0;
	}
	return 0;
}
