/* SPDX-License-Identifier: MIT */
/*
 * blocked_in(tid): the syscall number the thread tid of this process is
 * asleep in, from /proc/self/task/TID/syscall, or -1 while it runs. The
 * hard cases use it to send a signal exactly while a thread is blocked.
 */
#ifndef HARDCASES_BLOCKED_IN_H
#define HARDCASES_BLOCKED_IN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static inline long blocked_in(pid_t tid)
{
	char path[64], buf[256];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;
	buf[got] = '\0';
	return strtol(buf, NULL, 10);
}

#endif
