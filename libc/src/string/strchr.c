// SPDX-License-Identifier: MIT
/* strchr: the first c in s (c may be NUL), or NULL. */
#include <string.h>
#include <stdint.h>

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
