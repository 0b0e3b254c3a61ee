// SPDX-License-Identifier: MIT
/*
 * __stack_chk_fail: a stack protector canary (at %fs:0x28) was overwritten
 * in code built with -fstack-protector (Capstone). Say so and abort.
 */
#include <stdio.h>
#include <stdlib.h>

void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	dprintf(2, "libos-loader: stack smashing detected\n");
	abort();
}
