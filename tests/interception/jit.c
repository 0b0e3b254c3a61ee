// SPDX-License-Identifier: MIT
/*
 * jit: code generated at run time makes a syscall. It writes
 * `mov $39,%eax; syscall; ret` (getpid) into fresh executable memory and
 * calls it twice; both answers must be the real pid. Under the loader the
 * first call is caught by the safety net (the code was never part of any
 * object), the site is then rewritten, and the second call goes through a
 * stub: jit-check.py reads that from the report.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/generated_getpid.h"

int main(void)
{
	long (*fn)(void) = generated_getpid();

	if (!fn)
		return 2;
	long first = fn(), second = fn(), pid = getpid();
	printf("generated getpid: first call %s, second call %s\n",
	       first == pid ? "right" : "WRONG", second == pid ? "right" : "WRONG");
	return first == pid && second == pid ? 0 : 1;
}
