/* SPDX-License-Identifier: MIT */
/*
 * Choosing how to rewrite one syscall site: which whole instructions
 * around the 2-byte `syscall` are displaced into its stub so that a 5-byte
 * `jmp` fits. The window is described so that a stub can be generated
 * from it and the original bytes alone (no disassembler needed), which
 * makes a window cacheable.
 */
#ifndef ARCH_REWRITE_H
#define ARCH_REWRITE_H

#include <stdint.h>

#include "decode.h"

#define ARCH_JMP_SIZE     5
#define ARCH_WINDOW_MAX   32 /* bytes */
#define ARCH_WINDOW_INSNS 8

struct arch_window_insn {
	uint8_t off; /* offset in the window */
	uint8_t len;
	uint8_t cls; /* enum arch_insn_class */
	uint8_t aux; /* as in struct arch_insn */
};

struct arch_window {
	uint64_t start;   /* address of the first displaced byte (link time) */
	uint64_t syscall; /* address of the syscall instruction */
	uint8_t len;      /* bytes displaced, >= ARCH_JMP_SIZE */
	uint8_t count;    /* instructions displaced */
	struct arch_window_insn insn[ARCH_WINDOW_INSNS];
	uint8_t bytes[ARCH_WINDOW_MAX]; /* the original bytes (filled by the caller) */
};

/* Why a site is refused (it stays for the safety net). */
enum arch_refusal {
	ARCH_OK = 0,
	ARCH_REFUSE_NO_ROOM = 1,         /* every window crosses a branch target, the
					    function's end or a non-movable instruction */
	ARCH_REFUSE_UNKNOWN_TARGETS = 2, /* an indirect jump without a known table */
	ARCH_REFUSE_ENTRY = 3,           /* every window would cross a function entry
					    that symbols or direct branches know */
};

/* Choose the window for the syscall at d->insn[index], alone in its code
 * (a site found at run time, in code that threads are running): the
 * window ends at the syscall and its first instruction is at least
 * ARCH_JMP_SIZE long, so that writing the jmp alone over that instruction
 * leaves every other instruction boundary as it was. Returns ARCH_OK and
 * fills w, or a refusal. */
enum arch_refusal arch_plan_window(const struct arch_decoded *d, size_t index,
				   struct arch_window *w);

/* Plan every syscall of a decoded function together: sites[i] is the
 * index of the i-th syscall (in address order); w[i] and the returned
 * refusals[i] are its plan. Windows never overlap, no window covers
 * another's return point (its end, where a stub jumps back) but at its
 * own start, and a site gives up its preferred window when that would
 * leave the next site none. */
void arch_plan_sites(const struct arch_decoded *d, const size_t *sites, size_t count,
		     struct arch_window *w, enum arch_refusal *refusals);

const char *arch_refusal_text(enum arch_refusal r);

/* Whether w is a window the planners could have made (window_check.c):
 * instructions in order inside it, one syscall at w->syscall, branches
 * and RIP-relative operands where their class says. Returns 0 or
 * -EINVAL. For windows read back from a file, before stub.c uses them. */
int arch_window_check(const struct arch_window *w);

#endif
