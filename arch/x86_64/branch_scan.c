// SPDX-License-Identifier: MIT
/*
 * Where code is entered from elsewhere, as bytes: every `call rel32`
 * (e8), `jmp rel32` (e9) and `jcc rel32` (0f 80..8f) pattern of a code
 * range, and the address it would branch to. A byte scan, like the one
 * for syscall: it sees the direct calls and tail jumps of functions that
 * are never decoded (they hold no syscall), which is where the callers
 * of a function hidden in another's FDE usually are. A pattern inside
 * another instruction gives a wrong target now and then; the planner
 * only refuses one more window for it, which the net then covers.
 */
#include <string.h>

#include "arch.h"

static int rel32_at(const uint8_t *p, const uint8_t *end, int *insn_len)
{
	if (p[0] == 0xe8 || p[0] == 0xe9)
		*insn_len = 5;
	else if (p[0] == 0x0f && end - p >= 2 && (p[1] & 0xf0) == 0x80)
		*insn_len = 6;
	else
		return 0;
	return end - p >= *insn_len;
}

int arch_scan_branches(const uint8_t *code, uint64_t addr, size_t size, uint64_t lo, uint64_t hi,
		       int (*add)(void *ctx, uint64_t target), void *ctx)
{
	const uint8_t *end = code + size;

	for (const uint8_t *p = code; p < end; p++) {
		int len, r;
		int32_t rel;
		if (!rel32_at(p, end, &len))
			continue;
		memcpy(&rel, p + len - 4, 4);
		uint64_t target =
			addr + (uint64_t)(p - code) + (uint64_t)len + (uint64_t)(int64_t)rel;
		if (target >= lo && target < hi && (r = add(ctx, target)) < 0)
			return r;
	}
	return 0;
}
