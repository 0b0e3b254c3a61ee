// SPDX-License-Identifier: MIT
/* libc_now_ns: the monotonic clock in nanoseconds (see libc.h). */
#include <libc.h>
#include <sys.h>

uint64_t libc_now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
