// SPDX-License-Identifier: MIT
/*
 * musl-hello: a corpus program built with musl-gcc (musl libc instead of
 * glibc), once dynamic (ld-musl as PT_INTERP) and once static. It does a
 * bit of everything a small C program does: stdio with buffering and
 * number formatting, the environment, a file written and read back in
 * the current directory, qsort and strtod.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *words = "3.5 -1e3 42 0.125 2.718281828 -0.5";
	double values[8];
	char line[128];
	int count = 0;
	char *end;
	FILE *f;

	printf("hello from musl, argc %d, argv[1] %s\n", argc, argc > 1 ? argv[1] : "(none)");
	printf("LC_ALL=%s TZ=%s\n", getenv("LC_ALL"), getenv("TZ"));
	printf("HOME is the current directory: %s\n",
	       getcwd(line, sizeof(line)) && strcmp(line, getenv("HOME")) == 0 ? "yes" : "no");

	for (const char *p = words; count < 8; p = end) {
		double v = strtod(p, &end);

		if (end == p)
			break;
		values[count++] = v;
	}
	qsort(values, count, sizeof(values[0]), by_value);

	f = fopen("musl-out.txt", "w+");
	if (!f) {
		perror("fopen");
		return 1;
	}
	for (int i = 0; i < count; i++)
		fprintf(f, "%d %.6g %a\n", i, values[i], values[i]);
	rewind(f);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	remove("musl-out.txt");

	fprintf(stderr, "a line on stderr\n");
	return 3;
}
