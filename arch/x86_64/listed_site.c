// SPDX-License-Identifier: MIT
/*
 * Windows for listed sites and weak hooks (see listed_site.h).
 *
 * A listed site is `0f 05` followed by nops: the 5-byte jmp covers the
 * syscall and the first three nop bytes, the rest of the window is the
 * remaining padding, and the stub returns to the first byte after it. No
 * instruction but the syscall is displaced, so no branch target can be
 * hit, which is exactly what the producer promised by emitting the pair
 * with SYSCALL_INST; the check here only makes sure the bytes are what the
 * promise says.
 *
 * A weak hook body (note.h) is, at its entry:
 *    +0  31 c0        xor %eax,%eax    natively: return 0
 *    +2  c3           ret
 *    +3  49 89 ca     mov %rcx,%r10    what the stub runs ...
 *    +6  b8 NR        mov $NR,%eax
 *    +11 0f 05        syscall          ... the stub's entry into the LibOS
 *    +13 c3           ret              ... and its return
 *    +14 cc cc
 * The window is [+0, +14): the jmp replaces the native return, and the
 * stub holds the three instructions after it and the ret.
 */
#include <errno.h>
#include <string.h>

#include "arch.h"
#include "listed_site.h"

/* The length of the nop instruction at p (n bytes readable): 0x90, or one
 * of the recommended multi-byte forms (0f 1f /0, with 66 prefixes, as
 * assemblers emit for .nops and alignment). 0 when p is not one. */
static size_t nop_length(const uint8_t *p, size_t n)
{
	size_t prefixes = 0;

	if (n >= 1 && p[0] == 0x90)
		return 1;
	while (prefixes < n && prefixes < 6 && p[prefixes] == 0x66)
		prefixes++;
	if (prefixes && prefixes < n && p[prefixes] == 0x90)
		return prefixes + 1; /* 66 90: xchg %ax,%ax */
	if (prefixes < n && p[prefixes] == 0x2e)
		prefixes++; /* the cs prefix of GNU as's longest forms */
	p += prefixes;
	n -= prefixes;
	if (n < 3 || p[0] != 0x0f || p[1] != 0x1f || ((p[2] >> 3) & 7) != 0)
		return 0;
	/* 0f 1f /0 with only the ModRM forms assemblers use: (%rax),
	 * disp8(%rax), disp8(%rax,%rax,1), disp32(%rax), disp32(%rax,%rax,1);
	 * displacements and SIB of zero. */
	static const struct {
		uint8_t modrm;
		uint8_t len; /* after 0f 1f */
	} forms[] = {{0x00, 1}, {0x40, 2}, {0x44, 3}, {0x80, 5}, {0x84, 6}};
	for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (p[2] != forms[i].modrm || n < 2u + forms[i].len)
			continue;
		for (unsigned k = 1; k < forms[i].len; k++)
			if (p[2 + k] != 0)
				return 0;
		return prefixes + 2 + forms[i].len;
	}
	return 0;
}

enum arch_listed_refusal arch_listed_window(const uint8_t *code, uint64_t vaddr, unsigned padding,
					    struct arch_window *w)
{
	size_t at = ARCH_SYSCALL_SIZE, len = ARCH_SYSCALL_SIZE + (size_t)padding;

	if (!arch_is_syscall(code))
		return ARCH_LISTED_NOT_SYSCALL;
	if (len < ARCH_JMP_SIZE)
		return ARCH_LISTED_SHORT_PADDING;
	if (len > ARCH_WINDOW_MAX)
		return ARCH_LISTED_LONG_PADDING;
	while (at < len) {
		size_t n = nop_length(code + at, len - at);
		if (n == 0)
			return ARCH_LISTED_NOT_NOPS;
		at += n;
	}
	memset(w, 0, sizeof(*w));
	w->start = w->syscall = vaddr;
	w->len = (uint8_t)len;
	w->count = 1;
	w->insn[0] = (struct arch_window_insn){0, 2, ARCH_INSN_SYSCALL, 0};
	memcpy(w->bytes, code, len);
	return ARCH_LISTED_OK;
}

const char *arch_listed_refusal_text(enum arch_listed_refusal r)
{
	switch (r) {
	case ARCH_LISTED_OK:
		return "accepted";
	case ARCH_LISTED_NOT_SYSCALL:
		return "not a syscall instruction (0f 05)";
	case ARCH_LISTED_SHORT_PADDING:
		return "padding too short for a jump (under 3 bytes)";
	case ARCH_LISTED_LONG_PADDING:
		return "padding longer than 30 bytes";
	case ARCH_LISTED_NOT_NOPS:
		return "the padding after the syscall is not nops";
	}
	return "?";
}

int arch_hook_window(const uint8_t *code, uint64_t vaddr, uint32_t nr, struct arch_window *w)
{
	uint8_t body[ARCH_HOOK_BODY_SIZE] = {0x31, 0xc0, 0xc3, 0x49, 0x89, 0xca, 0xb8, 0,
					     0,    0,    0,    0x0f, 0x05, 0xc3, 0xcc, 0xcc};

	memcpy(body + 7, &nr, 4);
	if (memcmp(code, body, sizeof(body)) != 0)
		return -EINVAL;
	memset(w, 0, sizeof(*w));
	w->start = vaddr;
	w->syscall = vaddr + 11;
	w->len = 14;
	w->count = 4;
	w->insn[0] = (struct arch_window_insn){3, 3, ARCH_INSN_PLAIN, 0};
	w->insn[1] = (struct arch_window_insn){6, 5, ARCH_INSN_PLAIN, 0};
	w->insn[2] = (struct arch_window_insn){11, 2, ARCH_INSN_SYSCALL, 0};
	w->insn[3] = (struct arch_window_insn){13, 1, ARCH_INSN_PLAIN, 0};
	memcpy(w->bytes, code, w->len);
	return 0;
}
