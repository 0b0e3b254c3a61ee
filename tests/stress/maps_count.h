// SPDX-License-Identifier: MIT
/*
 * The number of the process's mappings (lines of /proc/self/maps), read
 * without malloc so that counting does not change what it counts. The
 * stress programs count at their start (after a warm-up round, so that
 * glibc's cached thread stacks and arenas already exist) and at their end:
 * a mapping left behind per thread, per signal or per cycle shows as
 * hundreds more.
 */
#ifndef STRESS_MAPS_COUNT_H
#define STRESS_MAPS_COUNT_H

#include <fcntl.h>
#include <unistd.h>

static inline long maps_count(void)
{
	static char buf[1 << 16];
	long lines = 0;
	ssize_t got;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			lines += buf[i] == '\n';
	close(fd);
	return got < 0 ? -1 : lines;
}

#endif
