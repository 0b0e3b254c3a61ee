// SPDX-License-Identifier: MIT
/*
 * The syscall site finder (tier 2 of DESIGN.md's tiers).
 *
 * A byte scan for 0f 05 over libc's 1.4 MiB of code takes well under a
 * millisecond; disassembling all of it with Capstone takes tens. So the
 * scan goes first, and Capstone decodes only the function around each hit,
 * from its first byte, so that instruction boundaries are the compiler's
 * and a 0f 05 inside another instruction (an immediate, a displacement, a
 * multi-byte nop) is recognised as not being a syscall. A function holding
 * several hits is decoded once.
 *
 * Capstone is built with the stack protector: it reads %fs:0x28, which the
 * loader's own thread control block provides.
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "site_find.h"

static csh capstone;

static int capstone_open(void)
{
	if (capstone)
		return 0;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &capstone) != CS_ERR_OK) {
		capstone = 0;
		return -ENOSYS;
	}
	return 0;
}

static int push_site(struct arch_sites *s, const struct arch_site *site)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct arch_site *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->count++] = *site;
	return 0;
}

/* Decode [lo, hi) and record its syscall instructions. Undecodable bytes
 * (data in code, padding) are stepped over one at a time. */
static int decode_region(const struct ldr_code_index *ix, uint64_t lo, uint64_t hi,
			 enum ldr_bounds bounds, cs_insn *insn, struct arch_sites *out)
{
	const uint8_t *code = ldr_view_at(ix->view, lo, hi - lo);
	size_t size = hi - lo;
	uint64_t addr = lo;

	if (!code)
		return 0;
	out->regions++;
	out->bytes += size;
	while (size) {
		if (!cs_disasm_iter(capstone, &code, &size, &addr, insn)) {
			code++;
			size--;
			addr++;
			continue;
		}
		if (insn->id == X86_INS_SYSCALL) {
			struct arch_site site = {insn->address, lo, hi, bounds};
			if (push_site(out, &site) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

int arch_find_sites(const struct ldr_code_index *ix, struct arch_sites *out)
{
	cs_insn *insn;
	int r = capstone_open();

	if (r < 0)
		return r;
	insn = cs_malloc(capstone);
	if (!insn)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < ix->range_count; i++) {
		const struct ldr_code_range *range = &ix->ranges[i];
		const uint8_t *code = ldr_view_at(ix->view, range->lo, range->hi - range->lo);
		uint64_t done_hi = range->lo;

		for (uint64_t off = 0; r == 0 && off + 1 < range->hi - range->lo; off++) {
			const uint8_t *hit = memchr(code + off, 0x0f, range->hi - range->lo - off - 1);
			if (!hit)
				break;
			off = (uint64_t)(hit - code);
			if (hit[1] != 0x05)
				continue;
			out->candidates++;
			uint64_t pc = range->lo + off, lo, hi;
			if (pc < done_hi)
				continue; /* inside a region already decoded */
			enum ldr_bounds b = ldr_code_bounds(ix, range, pc, &lo, &hi);
			if (lo < done_hi)
				lo = done_hi; /* overlapping bounds: never decode twice */
			r = decode_region(ix, lo, hi, b, insn, out);
			done_hi = hi;
		}
	}
	cs_free(insn, 1);
	return r;
}

void arch_sites_free(struct arch_sites *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
