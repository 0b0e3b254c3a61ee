// SPDX-License-Identifier: MIT
/* strrchr: the last c in s (c may be NUL), or NULL. */
#include <string.h>
#include <stdint.h>

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
