/* SPDX-License-Identifier: MIT */
/*
 * The rewrite windows of code a LibOS note vouches for (tier 1 of
 * DESIGN.md's tiers): a listed `syscall` with its nop padding, and a weak
 * hook's fixed body. Both are checked byte for byte and described as
 * windows the stub generator understands, with no disassembler involved.
 */
#ifndef ARCH_LISTED_SITE_H
#define ARCH_LISTED_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "rewrite.h"

/* Why a listed site was refused (0: accepted). */
enum arch_listed_refusal {
	ARCH_LISTED_OK = 0,
	ARCH_LISTED_NOT_SYSCALL,   /* the bytes are not 0f 05 */
	ARCH_LISTED_SHORT_PADDING, /* fewer than 3 bytes of padding: no room for a jmp */
	ARCH_LISTED_LONG_PADDING,  /* more than a window holds */
	ARCH_LISTED_NOT_NOPS,      /* the padding is not whole nop instructions */
};

/* Check the syscall at code (vaddr, at least 2 + padding bytes readable)
 * and its padding; fill w (bytes included) for a window of the syscall
 * and its nops. */
enum arch_listed_refusal arch_listed_window(const uint8_t *code, uint64_t vaddr, unsigned padding,
					    struct arch_window *w);
const char *arch_listed_refusal_text(enum arch_listed_refusal r);

/* Size of a weak hook's body (include/libos/note.h). */
#define ARCH_HOOK_BODY_SIZE 16

/* Check that the ARCH_HOOK_BODY_SIZE bytes at code (a function at vaddr)
 * are the weak hook body of note.h for private number nr; fill w: the
 * window is the body's first 14 bytes, its stub runs `mov %rcx,%r10;
 * mov $nr,%eax`, the LibOS, and the body's `ret`. Returns 0, or -EINVAL
 * when the body is not exactly that (the object defined its own). */
int arch_hook_window(const uint8_t *code, uint64_t vaddr, uint32_t nr, struct arch_window *w);

#endif
