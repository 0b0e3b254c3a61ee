/* SPDX-License-Identifier: MIT */
/*
 * Finding and planning the `syscall` instructions of an object without a
 * LibOS note: scan its code for the bytes 0f 05, decode with Capstone only
 * the function around each hit (its bounds from the code index), keep the
 * hits that really are instructions, and plan each one's rewrite window.
 */
#ifndef ARCH_SITE_FIND_H
#define ARCH_SITE_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "code_index.h"
#include "rewrite.h"

struct arch_site {
	uint64_t vaddr;            /* the syscall instruction (link time) */
	uint64_t fn_lo, fn_hi;     /* the region decoded to find it */
	enum ldr_bounds bounds;    /* how that region was found */
	enum arch_refusal refusal; /* ARCH_OK: window is valid */
	struct arch_window window;
};

struct arch_sites {
	struct arch_site *v;
	size_t count, cap;
	size_t candidates;       /* 0f 05 byte pairs seen in code */
	size_t regions;          /* functions (or gaps) decoded */
	uint64_t bytes;          /* bytes decoded */
};

/* Append every syscall instruction of ix's code to out, in address order,
 * each with its planned window or the reason it is refused. Returns 0,
 * -ENOMEM, or -ENOSYS when Capstone cannot be opened. */
int arch_find_sites(const struct ldr_code_index *ix, struct arch_sites *out);
void arch_sites_free(struct arch_sites *s);

#endif
