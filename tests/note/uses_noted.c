// SPDX-License-Identifier: MIT
/*
 * A glibc program that calls into libnoted.so: its output is written by
 * the library's own listed syscalls.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

long noted_write(int fd, const void *buf, unsigned long n);
long noted_getppid(void);
long noted_register(const char *name);

int main(void)
{
	char line[128];

	for (int i = 0; i < 5; i++) {
		int n = snprintf(line, sizeof(line), "line %d from libnoted\n", i);
		if (noted_write(1, line, (unsigned long)n) != n)
			return 1;
	}
	printf("getppid agrees: %s\n", noted_getppid() == getppid() ? "yes" : "no");
	printf("register: %ld\n", noted_register("libnoted"));
	return 0;
}
