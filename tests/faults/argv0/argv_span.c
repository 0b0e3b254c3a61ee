// SPDX-License-Identifier: MIT
/*
 * What a program can see of its own arguments: argv[0], each word, whether
 * its strings are one span followed by the environment's (as the kernel
 * lays them out, and as setproctitle-style code assumes), and
 * /proc/self/cmdline and comm.
 */
#include <stdio.h>
#include <string.h>

extern char **environ;

static void show_file(const char *path)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	printf("%s:", path);
	for (size_t i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : '|');
	putchar('\n');
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	int contiguous = 1;

	for (int i = 0; i < argc; i++) {
		printf("argv[%d]=%s\n", i, argv[i]);
		const char *next = i + 1 < argc ? argv[i + 1] : environ[0];
		if (next && argv[i] + strlen(argv[i]) + 1 != next)
			contiguous = 0;
	}
	printf("argv then environ in one span: %d\n", contiguous);
	show_file("/proc/self/cmdline");
	show_file("/proc/self/comm");
	return 0;
}
