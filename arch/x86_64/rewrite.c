// SPDX-License-Identifier: MIT
/*
 * The window planner. A window is a run of whole instructions that holds
 * the syscall and is at least 5 bytes long; its first byte becomes the
 * `jmp` to the stub, so every other instruction in it disappears from the
 * original code and must be one nothing jumps to. Rules, each a way a
 * rewrite could break a program:
 *  - no instruction but the first may be a branch target;
 *  - the window never runs past an instruction after which control does
 *    not fall through (ret, jmp, ud2): what follows is reached only by
 *    branches, possibly indirect ones we cannot see;
 *  - every instruction must be movable (call would push a stub address,
 *    loop/jrcxz have no rel32 form);
 *  - the window stays inside the decoded function;
 *  - no instruction but the first may be a function entry known from
 *    symbols or other code's direct branches (ARCH_INSN_ENTRY), and none
 *    may be split by one (ARCH_INSN_SPLIT): the bounds the function was
 *    decoded in are .eh_frame's, which one FDE around several functions
 *    of a hand-written file makes wrong, and a caller of the hidden
 *    function would land in the middle of the jmp;
 *  - when the function has an indirect jump whose table was not found,
 *    any instruction may be a target: only a window that starts at the
 *    syscall and displaces nothing a branch could reach is taken, i.e.
 *    none; such sites are refused and left to the safety net.
 * Preference: start at the syscall and take what follows (the common
 * `syscall; cmp $-4095,%rax`), else start one, two... instructions before
 * it (the common `mov $nr,%eax; syscall; ret` at a function's end).
 * Several syscalls of one function are planned together (arch_plan_sites):
 * `mov $1,%eax; syscall; mov $2,%eax; syscall; ret` rewrites both, the
 * first one backwards, because its forward window would take the second
 * one's only room.
 */
#include <stddef.h>

#include "rewrite.h"

#define MAX_BACK 4

static int movable(const struct arch_insn *in)
{
	return in->cls != ARCH_INSN_FIXED;
}

/* Windows already planned in this function (those of w[0..count) that
 * were not refused, and one more, extra, when not NULL). */
struct taken {
	const struct arch_window *w;
	const enum arch_refusal *refusals;
	size_t count;
	const struct arch_window *extra;
};

/* [lo, hi) overlaps the window, or the window's stub returns into it. */
static int clashes(const struct arch_window *w, uint64_t lo, uint64_t hi)
{
	uint64_t a = w->start, b = a + w->len;

	return (lo < b && a < hi) || (b > lo && b < hi);
}

static int conflicts(const struct taken *t, uint64_t lo, uint64_t hi)
{
	if (!t)
		return 0;
	for (size_t i = 0; i < t->count; i++)
		if (t->refusals[i] == ARCH_OK && clashes(&t->w[i], lo, hi))
			return 1;
	return t->extra && clashes(t->extra, lo, hi);
}

/* Whether entries matter to a search (always, but for asking whether
 * they alone refused a site). */
enum entries { ENTRIES_BAR, ENTRIES_IGNORED };

/* Try the window starting at index first; fills w when valid. */
static int try_window(const struct arch_decoded *d, size_t first, size_t sys,
		      const struct taken *taken, enum entries entries, struct arch_window *w)
{
	unsigned len = 0;
	size_t i;

	for (i = first; i < d->count; i++) {
		const struct arch_insn *in = &d->insn[i];
		if (i > first && (in->flags & ARCH_INSN_TARGET))
			return 0;
		if (entries == ENTRIES_BAR &&
		    ((i > first && (in->flags & ARCH_INSN_ENTRY)) || (in->flags & ARCH_INSN_SPLIT)))
			return 0;
		if (i > first && (d->insn[i - 1].flags & ARCH_INSN_STOPS))
			return 0;
		if (in->cls == ARCH_INSN_SYSCALL ? i != sys : !movable(in))
			return 0;
		if (i - first >= ARCH_WINDOW_INSNS || len + in->len > ARCH_WINDOW_MAX)
			return 0;
		w->insn[i - first] =
			(struct arch_window_insn){(uint8_t)len, in->len, in->cls, in->aux};
		len += in->len;
		if (len >= ARCH_JMP_SIZE && i >= sys)
			break;
	}
	if (i == d->count)
		return 0; /* ran off the end of the function */
	if (conflicts(taken, d->insn[first].addr, d->insn[first].addr + len))
		return 0;
	w->start = d->insn[first].addr;
	w->syscall = d->insn[sys].addr;
	w->len = (uint8_t)len;
	w->count = (uint8_t)(i - first + 1);
	return 1;
}

/* The candidate windows of one site, in preference order. */
static size_t candidates(const struct arch_decoded *d, size_t index, const struct taken *taken,
			 enum entries entries, struct arch_window *out)
{
	size_t n = 0;

	for (size_t back = 0; back <= MAX_BACK && back <= index; back++)
		if (try_window(d, index - back, index, taken, entries, &out[n]))
			n++;
	return n;
}

enum arch_refusal arch_plan_window(const struct arch_decoded *d, size_t index,
				   struct arch_window *w)
{
	struct arch_window c[MAX_BACK + 1];

	if (d->unknown_targets)
		return ARCH_REFUSE_UNKNOWN_TARGETS;
	/* A site found at run time is in code that is running: the trapped
	 * thread returns from SIGSYS right after the syscall, and any other
	 * thread may stand at any instruction boundary of the window. Only a
	 * window that ends at the syscall and whose first instruction is at
	 * least a jmp long is taken, and only its first 5 bytes are written:
	 * every boundary but the window's start keeps its original code. */
	size_t n = candidates(d, index, NULL, ENTRIES_BAR, c);
	for (size_t k = 0; k < n; k++)
		if (c[k].start + c[k].len == c[k].syscall + 2 /* the syscall */ &&
		    c[k].insn[0].len >= ARCH_JMP_SIZE) {
			*w = c[k];
			return ARCH_OK;
		}
	return ARCH_REFUSE_NO_ROOM;
}

void arch_plan_sites(const struct arch_decoded *d, const size_t *sites, size_t count,
		     struct arch_window *w, enum arch_refusal *refusals)
{
	struct arch_window mine[MAX_BACK + 1], next[MAX_BACK + 1];

	for (size_t k = 0; k < count; k++) {
		struct taken taken = {w, refusals, k, NULL};
		size_t nc, pick = 0;

		if (d->unknown_targets) {
			refusals[k] = ARCH_REFUSE_UNKNOWN_TARGETS;
			continue;
		}
		nc = candidates(d, sites[k], &taken, ENTRIES_BAR, mine);
		if (nc == 0) {
			/* Say so when only an entry stood in the way: the
			 * site's function bounds were wrong. */
			refusals[k] = candidates(d, sites[k], &taken, ENTRIES_IGNORED, mine)
					      ? ARCH_REFUSE_ENTRY
					      : ARCH_REFUSE_NO_ROOM;
			continue;
		}
		/* Keep the next site in mind: prefer a candidate that leaves it
		 * at least one window. */
		for (size_t c = 0; k + 1 < count && c < nc; c++) {
			taken.extra = &mine[c];
			if (candidates(d, sites[k + 1], &taken, ENTRIES_BAR, next) > 0) {
				pick = c;
				break;
			}
		}
		w[k] = mine[pick];
		refusals[k] = ARCH_OK;
	}
}

const char *arch_refusal_text(enum arch_refusal r)
{
	switch (r) {
	case ARCH_OK:
		return "rewritable";
	case ARCH_REFUSE_NO_ROOM:
		return "no room for a jump";
	case ARCH_REFUSE_UNKNOWN_TARGETS:
		return "indirect jump with unknown targets";
	case ARCH_REFUSE_ENTRY:
		return "window would cross a function entry";
	}
	return "?";
}
