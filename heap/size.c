// SPDX-License-Identifier: MIT
/*
 * Reading a heap size as a person writes it: 512M, 2G, 1048576. Powers of
 * 1024, as ulimit and the kernel's mem= do; no fractions, no other units,
 * nothing after the suffix, so that a typo is an error and not a budget
 * a thousand times smaller than meant.
 */
#include <errno.h>
#include <string.h>

#include "heap.h"

int heap_size_parse(const char *s, uint64_t *size)
{
	uint64_t n = 0;
	int shift = 0;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');
		if (n > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		n = n * 10 + digit;
	}
	if (*p) {
		static const char units[4] = {'k', 'm', 'g', 't'};
		const char *u = memchr(units, *p | 0x20, sizeof(units)); /* either case */
		if (!u)
			return -EINVAL;
		shift = 10 * (int)(u - units + 1);
		p++;
	}
	if (*p != '\0')
		return -EINVAL;
	if (shift && n > (UINT64_MAX >> shift))
		return -ERANGE;
	*size = n << shift;
	return 0;
}
