/* SPDX-License-Identifier: MIT */
/*
 * The expected outcome of each syscall site of a golden pattern, read from
 * the header comment of its NAME.in.S, where one line per site says
 *	expect <site>: rewritten
 *	expect <site>: refused: <reason>
 * with the reason spelt as arch_refusal_text() spells it: the list of
 * reasons then lives only in arch/x86_64/rewrite.c, and a new one can be
 * expected as soon as it has a text. rewrite-golden names the sites and
 * compares; this file only reads the lines and says them back.
 */
#ifndef GOLDEN_EXPECT_H
#define GOLDEN_EXPECT_H

#include <stddef.h>

#include "rewrite.h"

struct expect {
	char site[96];
	enum arch_refusal outcome; /* ARCH_OK: rewritten */
	int line;                  /* in the file, from 1 */
	int seen;                  /* a site of that name was found */
};

struct expects {
	const char *path;
	struct expect *v;
	size_t count;
};

/* Read the expect lines of path into out. Returns 0, or -1 after printing
 * path:line, pattern and what is wrong with the line (not "site: outcome",
 * an outcome that is not one of the above, a site stated twice). */
int expect_read(const char *path, const char *pattern, struct expects *out);

/* The line stating site's outcome, marked seen, or NULL. */
struct expect *expect_find(struct expects *x, const char *site);

/* "rewritten" or "refused: <reason>" in buf, as expect lines write it. */
const char *expect_outcome_text(enum arch_refusal r, char *buf, size_t size);

#endif
