// SPDX-License-Identifier: MIT
/*
 * lock_rss: mlockall(MCL_CURRENT), then print the process's peak RSS
 * (KiB): every accessible page of the process is faulted in, the
 * loader's included, so the figure is what a program that locks its
 * memory pays. VmHWM, not ru_maxrss: the two are the same peak, but
 * ru_maxrss survives execve and would carry the forking parent's (the
 * test's python) into the child's figure.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char line[256];
	FILE *f;

	if (mlockall(MCL_CURRENT) != 0) {
		perror("mlockall");
		return 1;
	}
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			fputs(line + 6, stdout);
	return f ? 0 : 1;
}
