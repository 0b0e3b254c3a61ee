// SPDX-License-Identifier: MIT
/*
 * libc_random64 (see libc.h). GRND_NONBLOCK: early in boot, before the
 * pool is ready, a name must still be made, not waited for; the fallback
 * is still not one another user can predict to the nanosecond.
 */
#include <libc.h>
#include <linux/random.h>
#include <sys.h>

uint64_t libc_random64(void)
{
	uint64_t r;

	if (sys_getrandom(&r, sizeof(r), GRND_NONBLOCK) == (long)sizeof(r))
		return r;
	return libc_now_ns() * 0x9e3779b97f4a7c15ull + (uint64_t)sys_gettid();
}
