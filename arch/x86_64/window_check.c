// SPDX-License-Identifier: MIT
/*
 * arch_window_check: whether a window read back from a file (the patch
 * cache's plan) is one the planner could have made, so that the stub
 * generator, which trusts its input, never reads or writes outside it.
 */
#include <errno.h>

#include "decode.h"
#include "rewrite.h"
#include "arch.h"

/* Whether the bytes of a jmp or jcc of length len end in the encoding
 * stub.c's branch_target decodes, with condition cond for a jcc. */
static int branch_ok(const uint8_t *b, uint8_t len, int jcc, uint8_t cond)
{
	if (jcc)
		return (len >= 6 && b[len - 6] == 0x0f && b[len - 5] == (0x80 | cond)) ||
		       (len >= 2 && b[len - 2] == (0x70 | cond));
	return (len >= 5 && b[len - 5] == 0xe9) || (len >= 2 && b[len - 2] == 0xeb);
}

int arch_window_check(const struct arch_window *w)
{
	unsigned end = 0, syscalls = 0;

	if (w->len < ARCH_JMP_SIZE || w->len > ARCH_WINDOW_MAX || w->count < 1 ||
	    w->count > ARCH_WINDOW_INSNS || w->syscall < w->start ||
	    w->syscall - w->start > (uint64_t)w->len - ARCH_SYSCALL_SIZE)
		return -EINVAL;
	for (unsigned i = 0; i < w->count; i++) {
		const struct arch_window_insn *in = &w->insn[i];
		if (in->off < end || in->len < 1 || in->len > 15 || in->off + in->len > w->len)
			return -EINVAL;
		const uint8_t *b = w->bytes + in->off; /* in->off checked first: inside bytes */
		end = in->off + in->len;
		switch (in->cls) {
		case ARCH_INSN_PLAIN:
			break;
		case ARCH_INSN_RIPREL:
			if (in->aux + 4u > in->len)
				return -EINVAL;
			break;
		case ARCH_INSN_JMP:
		case ARCH_INSN_JCC:
			if (in->aux > 15 ||
			    !branch_ok(b, in->len, in->cls == ARCH_INSN_JCC, in->aux))
				return -EINVAL;
			break;
		case ARCH_INSN_SYSCALL:
			if (in->len != ARCH_SYSCALL_SIZE || !arch_is_syscall(b) ||
			    w->start + in->off != w->syscall)
				return -EINVAL;
			syscalls++;
			break;
		default: /* ARCH_INSN_FIXED never moves */
			return -EINVAL;
		}
	}
	return syscalls == 1 ? 0 : -EINVAL;
}
