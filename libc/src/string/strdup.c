// SPDX-License-Identifier: MIT
/* strdup: a malloc'ed copy of a string, or NULL. */
#include <stdlib.h>
#include <string.h>

char *strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}
