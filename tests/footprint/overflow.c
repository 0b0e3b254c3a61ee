// SPDX-License-Identifier: MIT
/*
 * overflow main|thread KiB: getppid(DEEP_MAGIC, KiB) (deep_module.c) on
 * the main thread, or on a thread created after mlockall(MCL_CURRENT |
 * MCL_FUTURE) (its LibOS stack then made read-write range by range, as
 * the kernel refuses guard pages in a locked mapping); prints the answer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEEP_MAGIC 0x5eedf00dL

static void *deep(void *kib)
{
	return (void *)syscall(SYS_getppid, DEEP_MAGIC, (long)kib);
}

int main(int argc, char **argv)
{
	long kib = argc > 2 ? atol(argv[2]) : 16;
	void *r;
	pthread_t t;

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "thread") == 0) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
			perror("mlockall");
			return 1;
		}
		if (pthread_create(&t, NULL, deep, (void *)kib) != 0 || pthread_join(t, &r) != 0)
			return 1;
	} else {
		r = deep((void *)kib);
	}
	printf("%ld\n", (long)r);
	return 0;
}
