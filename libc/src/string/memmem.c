// SPDX-License-Identifier: MIT
/* memmem: the first occurrence of a byte string in another, or NULL. */
#include <string.h>

void *memmem(const void *hay, size_t hn, const void *needle, size_t nn)
{
	const unsigned char *h = hay, *n = needle, *end;

	if (nn == 0)
		return (void *)h;
	if (hn < nn)
		return NULL;
	end = h + (hn - nn) + 1; /* the last place a match can start, plus one */
	while (h < end) {
		h = memchr(h, n[0], (size_t)(end - h));
		if (!h)
			return NULL;
		if (memcmp(h, n, nn) == 0)
			return (void *)h;
		h++;
	}
	return NULL;
}
