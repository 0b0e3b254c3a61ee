// SPDX-License-Identifier: MIT
/* strcmp: compare two strings as unsigned char. */
#include <string.h>
#include <stdint.h>

int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return *(const unsigned char *)a - *(const unsigned char *)b;
}
