// SPDX-License-Identifier: MIT
/* tsc_split: prints what tsc_split_value (tsc_split.S) returns. */
#include <stdio.h>

long tsc_split_value(void);

int main(void)
{
	printf("tsc_split_value: %#lx\n", tsc_split_value());
	return 0;
}
