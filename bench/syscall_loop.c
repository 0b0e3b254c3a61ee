// SPDX-License-Identifier: MIT
/*
 * syscall_loop: time one syscall in a tight loop, through glibc as a
 * program would make it. Prints nanoseconds per call (the best of several
 * rounds: the least disturbed by the rest of the machine).
 *
 * usage: syscall_loop getppid|write ITERATIONS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	int do_write = argc > 1 && strcmp(argv[1], "write") == 0;
	int fd = open("/dev/null", O_WRONLY);
	double best = 1e30;

	for (int round = 0; round < 7; round++) {
		double t0 = now_ns();
		if (do_write)
			for (long i = 0; i < n; i++)
				(void)!write(fd, "x", 1);
		else
			for (long i = 0; i < n; i++)
				getppid();
		double per = (now_ns() - t0) / n;
		if (per < best)
			best = per;
	}
	printf("%.1f\n", best);
	return 0;
}
