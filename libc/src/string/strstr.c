// SPDX-License-Identifier: MIT
/* strstr: the first occurrence of needle in hay, or NULL. */
#include <string.h>
#include <stdint.h>

char *strstr(const char *hay, const char *needle)
{
	return memmem(hay, strlen(hay), needle, strlen(needle));
}
