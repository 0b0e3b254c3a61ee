// SPDX-License-Identifier: MIT
/*
 * Reading a golden pattern's expect lines (see expect.h): a line of the
 * NAME.in.S that is, once the blanks and the '*' of a comment are skipped,
 * "expect <site>: <outcome>". Anything else in the file is not looked at;
 * a line that starts with "expect" but does not read as one is an error,
 * so that a mistyped expectation fails instead of going unchecked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

/* enum arch_refusal numbers the reasons from 1 up, and arch_refusal_text()
 * says "?" for any value past the last one. */
static int last_refusal(void)
{
	int r = 1;

	while (r < 64 && strcmp(arch_refusal_text((enum arch_refusal)(r + 1)), "?") != 0)
		r++;
	return r;
}

/* The outcome written as text, or -1. */
static int outcome_named(const char *text)
{
	if (strcmp(text, "rewritten") == 0)
		return ARCH_OK;
	if (strncmp(text, "refused:", 8) != 0)
		return -1;
	text += 8 + strspn(text + 8, " \t");
	for (int r = 1; r <= last_refusal(); r++)
		if (strcmp(arch_refusal_text((enum arch_refusal)r), text) == 0)
			return r;
	return -1;
}

const char *expect_outcome_text(enum arch_refusal r, char *buf, size_t size)
{
	if (r == ARCH_OK)
		snprintf(buf, size, "rewritten");
	else
		snprintf(buf, size, "refused: %s", arch_refusal_text(r));
	return buf;
}

/* Parse one "<site>: <outcome>" (the text after "expect") into e. Returns
 * 0, or -1 after saying why at path:line. */
static int parse(char *p, const char *path, int line, const char *pattern, struct expect *e)
{
	char *end = p + strlen(p), *colon = strchr(p, ':'), *what;
	int outcome;

	while (end > p && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		*--end = 0;
	if (!colon || colon == p || (size_t)(colon - p) >= sizeof(e->site) ||
	    strcspn(p, " \t") < (size_t)(colon - p)) {
		printf("%s:%d: %s: not `expect <site>: <outcome>`\n", path, line, pattern);
		return -1;
	}
	*colon = 0;
	what = colon + 1 + strspn(colon + 1, " \t");
	outcome = outcome_named(what);
	if (outcome < 0) {
		printf("%s:%d: %s: site %s: unknown outcome \"%s\"; one of: rewritten", path, line,
		       pattern, p, what);
		for (int r = 1; r <= last_refusal(); r++)
			printf(", refused: %s", arch_refusal_text((enum arch_refusal)r));
		putchar('\n');
		return -1;
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->site, sizeof(e->site), "%s", p);
	e->outcome = (enum arch_refusal)outcome;
	e->line = line;
	return 0;
}

int expect_read(const char *path, const char *pattern, struct expects *out)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	char text[512];
	int line = 0;

	memset(out, 0, sizeof(*out));
	out->path = path;
	if (!f) {
		printf("%s: %s: cannot open it\n", path, pattern);
		return -1;
	}
	while (fgets(text, sizeof(text), f)) {
		char *p = text + strspn(text, " \t*");
		struct expect e;

		line++;
		if (strncmp(p, "expect", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
			continue;
		if (parse(p + 6 + strspn(p + 6, " \t"), path, line, pattern, &e) < 0)
			goto fail;
		for (size_t j = 0; j < out->count; j++)
			if (strcmp(out->v[j].site, e.site) == 0) {
				printf("%s:%d: %s: site %s already has an outcome, at line %d\n",
				       path, line, pattern, e.site, out->v[j].line);
				goto fail;
			}
		if (out->count == cap) {
			struct expect *v = realloc(out->v, (cap = cap ? 2 * cap : 16) * sizeof(*v));
			if (!v) {
				printf("%s: %s: out of memory\n", path, pattern);
				goto fail;
			}
			out->v = v;
		}
		out->v[out->count++] = e;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
}

struct expect *expect_find(struct expects *x, const char *site)
{
	for (size_t j = 0; j < x->count; j++)
		if (strcmp(x->v[j].site, site) == 0) {
			x->v[j].seen = 1;
			return &x->v[j];
		}
	return NULL;
}
