// SPDX-License-Identifier: MIT
/* A program that spends its time in two libc functions (memset, memcpy),
 * for a profiler to name (tests/perf). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char a[1 << 16], b[1 << 16];

int main(int argc, char **argv)
{
	unsigned long sum = 0;
	int rounds = argc > 1 ? atoi(argv[1]) : 40000;

	for (int i = 0; i < rounds; i++) {
		memset(a, i, sizeof(a));
		memcpy(b, a, sizeof(b));
		sum += (unsigned char)b[i % sizeof(b)];
	}
	printf("%lu\n", sum);
	return 0;
}
