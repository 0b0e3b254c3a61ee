// SPDX-License-Identifier: MIT
/*
 * libc_mapping_at: the line of /proc/self/maps that holds an address (see
 * libc.h). Read through a fixed buffer, a line at a time, with no
 * allocation: the safety net's lazy rewrite asks from a signal handler.
 * A line longer than the buffer (a path of thousands of bytes) is not
 * found.
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

static int parse(const char *line, const char *nl, uintptr_t addr, struct libc_mapping *m,
		 char *path, size_t path_size)
{
	char *end;
	uintptr_t lo = strtoul(line, &end, 16), hi = strtoul(end + 1, &end, 16);

	if (addr < lo || addr >= hi)
		return 0;
	m->lo = lo;
	m->hi = hi;
	m->readable = end[1] == 'r';
	m->writable = end[2] == 'w';
	m->executable = end[3] == 'x';
	if (path && path_size) {
		const char *p = memchr(end, '/', (size_t)(nl - end));
		path[0] = '\0';
		if (p)
			snprintf(path, path_size, "%.*s", (int)(nl - p), p);
	}
	return 1;
}

int libc_mapping_at(uintptr_t addr, struct libc_mapping *m, char *path, size_t path_size)
{
	char buf[8192];
	size_t have = 0;
	long fd = sys_open("/proc/self/maps", O_RDONLY), n;
	int found = 0;

	if (fd < 0)
		return (int)fd;
	while (!found && (n = sys_read((int)fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while (!found && (nl = strchr(line, '\n'))) {
			found = parse(line, nl, addr, m, path, path_size);
			line = nl + 1;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
	}
	sys_close((int)fd);
	return found ? 0 : -ENOENT;
}
