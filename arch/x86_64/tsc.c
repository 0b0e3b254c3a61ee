// SPDX-License-Identifier: MIT
/*
 * The time-stamp counter: recognising the instructions that read it (for
 * --trap-rdtsc, where they fault); tsc.S reads it.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

int arch_tsc_instruction(const uint8_t *code, size_t n, int *is_rdtscp)
{
	if (n >= 2 && code[0] == 0x0f && code[1] == 0x31) {
		*is_rdtscp = 0;
		return 2; /* rdtsc */
	}
	if (n >= 3 && code[0] == 0x0f && code[1] == 0x01 && code[2] == 0xf9) {
		*is_rdtscp = 1;
		return 3; /* rdtscp */
	}
	return 0;
}
