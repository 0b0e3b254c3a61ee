// SPDX-License-Identifier: MIT
/*
 * The stub generator. A stub is, in order (see stub_template.S):
 *   the instructions displaced from before the syscall, relocated;
 *   the prologue template (switch to the LibOS stack, call the entry);
 *   the epilogue template, with the address after the original syscall
 *     in its final `lea`;
 *   the instructions displaced from after the syscall, relocated;
 *   jmp back to the first byte after the window.
 * Relocation keeps each instruction's meaning at its new address:
 *   RIP-relative disp32  += old address - new address (must stay 32-bit)
 *   jmp rel8/rel32       -> e9 rel32 to the same destination
 *   jcc rel8/rel32       -> 0f 8x rel32 to the same destination
 */
#include <errno.h>
#include <string.h>

#include "entry.h"
#include "frame.h"
#include "stub.h"

extern const uint8_t arch_stub_prologue[], arch_stub_epilogue[];
extern const uint64_t arch_stub_prologue_size, arch_stub_epilogue_size;

static int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

static void put32(uint8_t *p, int32_t v)
{
	memcpy(p, &v, 4);
}

/* Destination of a jmp/jcc in its original encoding at addr. Whatever
 * its prefixes, the displacement ends the instruction and the opcode
 * precedes it: e9 rel32, 0f 8x rel32, eb rel8 or 7x rel8. */
static uint64_t branch_target(const uint8_t *b, uint8_t len, uint64_t addr)
{
	int32_t rel;

	if ((len >= 5 && b[len - 5] == 0xe9) ||
	    (len >= 6 && b[len - 6] == 0x0f && (b[len - 5] & 0xf0) == 0x80))
		memcpy(&rel, b + len - 4, 4);
	else
		rel = (int8_t)b[len - 1];
	return addr + len + (uint64_t)(int64_t)rel;
}

/* Emit one displaced instruction at new address at; returns its size or
 * -ERANGE. */
static int emit_insn(const struct arch_window_insn *wi, const uint8_t *orig, uint64_t old_addr,
		     uint64_t at, uint8_t *out)
{
	const uint8_t *b = orig + wi->off;
	int64_t v;

	switch (wi->cls) {
	case ARCH_INSN_RIPREL: {
		int32_t disp;
		memcpy(out, b, wi->len);
		memcpy(&disp, b + wi->aux, 4);
		v = (int64_t)disp + (int64_t)(old_addr - at);
		if (!fits32(v))
			return -ERANGE;
		put32(out + wi->aux, (int32_t)v);
		return wi->len;
	}
	case ARCH_INSN_JMP:
		v = (int64_t)(branch_target(b, wi->len, old_addr) - (at + 5));
		if (!fits32(v))
			return -ERANGE;
		out[0] = 0xe9;
		put32(out + 1, (int32_t)v);
		return 5;
	case ARCH_INSN_JCC:
		v = (int64_t)(branch_target(b, wi->len, old_addr) - (at + 6));
		if (!fits32(v))
			return -ERANGE;
		out[0] = 0x0f;
		out[1] = (uint8_t)(0x80 | wi->aux);
		put32(out + 2, (int32_t)v);
		return 6;
	default:
		memcpy(out, b, wi->len);
		return wi->len;
	}
}

static int syscall_slot(const struct arch_window *w)
{
	for (int i = 0; i < w->count; i++)
		if (w->insn[i].cls == ARCH_INSN_SYSCALL)
			return i;
	return -1;
}

int arch_stub_emit(const struct arch_window *w, const uint8_t *orig, uint64_t win, uint64_t stub,
		   uint8_t *buf)
{
	size_t pro = arch_stub_prologue_size, epi = arch_stub_epilogue_size;
	int s = syscall_slot(w), n;
	size_t at = 0;

	if (s < 0)
		return -EINVAL;
	for (int i = 0; i < s; i++) {
		n = emit_insn(&w->insn[i], orig, win + w->insn[i].off, stub + at, buf + at);
		if (n < 0)
			return n;
		at += (size_t)n;
	}
	memcpy(buf + at, arch_stub_prologue, pro);
	at += pro;
	memcpy(buf + at, arch_stub_epilogue, epi);
	at += epi;
	/* The epilogue's last instruction is `lea disp32(%rip), %rcx`. */
	uint64_t after_syscall = win + w->insn[s].off + w->insn[s].len;
	int64_t v = (int64_t)(after_syscall - (stub + at));
	if (!fits32(v))
		return -ERANGE;
	put32(buf + at - 4, (int32_t)v);
	for (int i = s + 1; i < w->count; i++) {
		n = emit_insn(&w->insn[i], orig, win + w->insn[i].off, stub + at, buf + at);
		if (n < 0)
			return n;
		at += (size_t)n;
	}
	v = (int64_t)((win + w->len) - (stub + at + 5));
	if (!fits32(v))
		return -ERANGE;
	buf[at] = 0xe9;
	put32(buf + at + 1, (int32_t)v);
	return (int)(at + 5);
}

int arch_stub_site_bytes(const struct arch_window *w, uint64_t win, uint64_t stub, uint8_t *out)
{
	int64_t v = (int64_t)(stub - (win + 5));

	if (!fits32(v))
		return -ERANGE;
	out[0] = 0xe9;
	put32(out + 1, (int32_t)v);
	memset(out + 5, 0xcc, w->len - 5u);
	return 0;
}

uintptr_t arch_stub_resume(const struct arch_stub_words *w)
{
	const uint8_t *end = (const uint8_t *)w->cont + ARCH_STUB_EPILOGUE_SIZE;
	int32_t disp;

	memcpy(&disp, end - 4, sizeof(disp));
	return (uintptr_t)end + (intptr_t)disp;
}
