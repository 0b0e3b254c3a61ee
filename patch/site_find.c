// SPDX-License-Identifier: MIT
/*
 * The syscall site finder (tier 2 of DESIGN.md's tiers).
 *
 * A byte scan for 0f 05 over libc's 1.4 MiB of code is cheap; decoding all
 * of it with Capstone is not. So the scan goes first, and Capstone decodes
 * only the function around each hit, from its first byte, so that
 * instruction boundaries are the compiler's and a 0f 05 inside another
 * instruction (an immediate, a displacement, a multi-byte nop) is
 * recognised as not being a syscall. A function holding several hits is
 * decoded once; its decoding also gives the branch targets the rewrite
 * windows must respect.
 *
 * Capstone is built with the stack protector: it reads %fs:0x28, so the
 * caller must run it with the loader's own thread pointer in %fs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "decode.h"
#include "site_find.h"

int patch_sites_push(struct patch_sites *s, const struct patch_site *site)
{
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct patch_site *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->count++] = *site;
	return 0;
}

/* Decode [lo, hi) and record its syscall instructions with their plans. */
static int decode_region(const struct elf_code_index *ix, uint64_t lo, uint64_t hi,
			 enum elf_bounds bounds, struct patch_sites *out)
{
	const uint8_t *code = elf_view_at(ix->view, lo, hi - lo);
	struct arch_decoded d;
	int r;

	if (!code)
		return 0;
	out->regions++;
	out->bytes += hi - lo;
	r = arch_decode(code, lo, hi - lo, elf_view_read, ix->view, &d);
	if (r < 0)
		return r;
	/* The bounds may be a wrong FDE's: what else enters this code. */
	r = arch_mark_entries(&d, code, elf_entry_points_next, &ix->entries);
	size_t n = 0, *idx = malloc(sizeof(size_t) * (d.count + 1));
	struct arch_window *w = malloc(sizeof(*w) * (d.count + 1));
	enum arch_refusal *ref = malloc(sizeof(*ref) * (d.count + 1));
	if (!idx || !w || !ref)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < d.count; i++)
		if (d.insn[i].cls == ARCH_INSN_SYSCALL)
			idx[n++] = i;
	if (r == 0)
		arch_plan_sites(&d, idx, n, w, ref);
	for (size_t k = 0; r == 0 && k < n; k++) {
		struct patch_site site = {d.insn[idx[k]].addr, lo, hi, bounds, ref[k], {0},
					  PATCH_ORIGIN_FOUND};
		if (ref[k] == ARCH_OK) {
			site.window = w[k];
			memcpy(site.window.bytes, code + (w[k].start - lo), w[k].len);
		}
		r = patch_sites_push(out, &site);
	}
	free(idx);
	free(w);
	free(ref);
	arch_decoded_free(&d);
	return r;
}

int patch_find_sites(const struct elf_code_index *ix, struct patch_sites *out)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < ix->range_count; i++) {
		const struct elf_code_range *range = &ix->ranges[i];
		const uint8_t *code = elf_view_at(ix->view, range->lo, range->hi - range->lo);
		const uint8_t *end = code + (range->hi - range->lo), *hit = code;
		uint64_t done_hi = range->lo;

		while (r == 0 && (hit = arch_find_syscall(hit, end))) {
			uint64_t pc = range->lo + (uint64_t)(hit - code), lo, hi;
			hit++;
			out->candidates++;
			if (pc < done_hi)
				continue; /* inside a region already decoded */
			enum elf_bounds b = elf_code_bounds(ix, range, pc, &lo, &hi);
			if (lo < done_hi)
				lo = done_hi; /* overlapping bounds: never decode twice */
			r = decode_region(ix, lo, hi, b, out);
			done_hi = hi;
		}
	}
	return r;
}

int patch_find_sites_at(const struct elf_code_index *ix, const uint64_t *pcs, size_t count,
			struct patch_sites *out)
{
	uint64_t done_hi = 0;
	int r = 0;

	for (size_t k = 0; r == 0 && k < count; k++) {
		uint64_t pc = pcs[k], lo, hi;
		for (size_t i = 0; i < ix->range_count; i++) {
			const struct elf_code_range *range = &ix->ranges[i];
			if (pc < range->lo || pc >= range->hi || pc < done_hi)
				continue;
			enum elf_bounds b = elf_code_bounds(ix, range, pc, &lo, &hi);
			if (lo < done_hi)
				lo = done_hi;
			r = decode_region(ix, lo, hi, b, out);
			done_hi = hi;
			break;
		}
	}
	return r;
}

void patch_sites_free(struct patch_sites *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
