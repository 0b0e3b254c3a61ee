// SPDX-License-Identifier: MIT
/*
 * The number of the process's mappings that hold memory (lines of
 * /proc/self/maps whose permissions are not ---p), read without malloc so
 * that counting does not change what it counts. The stress programs count
 * at their start (after a warm-up round, so that glibc's cached thread
 * stacks and arenas already exist) and at their end: a mapping left
 * behind per thread, per signal or per cycle shows as hundreds more.
 * PROT_NONE reservations are not counted: they hold nothing, and the
 * loader's room for TCBs grows to the most threads alive at once, which
 * a warm-up round need not reach (a TCB given back is PROT_NONE again;
 * one left behind is read-write, and counted).
 */
#ifndef STRESS_MAPS_COUNT_H
#define STRESS_MAPS_COUNT_H

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static inline long maps_count(void)
{
	static char buf[1 << 16];
	char head[64]; /* the start of the current line: "lo-hi perms ..." */
	size_t at = 0;
	long lines = 0;
	ssize_t got;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				if (at < sizeof(head) - 1)
					head[at++] = buf[i];
				continue;
			}
			head[at] = '\0';
			const char *perms = strchr(head, ' ');
			lines += !perms || strncmp(perms + 1, "---p", 4) != 0;
			at = 0;
		}
	close(fd);
	return got < 0 ? -1 : lines;
}

#endif
