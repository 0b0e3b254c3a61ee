// SPDX-License-Identifier: MIT
/* showargs: prints its argv, one word per line, as a `#!` interpreter. */
#include <stdio.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=[%s]\n", i, argv[i]);
	return 0;
}
