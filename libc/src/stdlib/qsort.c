// SPDX-License-Identifier: MIT
/*
 * qsort: heapsort, which needs no memory and has no quadratic worst case.
 * Capstone sorts its small tables with it; the loader sorts site lists.
 */
#include <stdlib.h>

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
	for (; size; size--, a++, b++) {
		unsigned char t = *a;
		*a = *b;
		*b = t;
	}
}

static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= count)
			return;
		if (child + 1 < count && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base;

	if (count < 2 || size == 0)
		return;
	for (size_t i = count / 2; i-- > 0;)
		sift_down(b, i, count, size, cmp);
	for (size_t end = count - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}
