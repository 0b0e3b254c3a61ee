/* SPDX-License-Identifier: MIT */
/*
 * One field of /proc/self/status in kB (VmSize, VmData, ...), read with
 * one open, one read and one close and no malloc, so the same syscalls
 * natively and under the loader. -1 when it cannot be read.
 */
#ifndef TESTS_PROC_STATUS_H
#define TESTS_PROC_STATUS_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long proc_status_kb(const char *field)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	char *at;

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	at = strstr(buf, field);
	return at ? atol(at + strlen(field)) : -1;
}

#endif
