// SPDX-License-Identifier: MIT
/*
 * rewrite-golden: the rewriter's golden test (the model is syscall_intercept's
 * test/asm_pattern.c). It takes NAME.in.elf, decodes each of its
 * functions with arch_decode(), plans a window for every syscall with
 * arch_plan_sites() (all of a function's sites together, as site_find.c
 * plans them), and for each accepted window emits the stub
 * (arch_stub_emit) and the window's new bytes (arch_stub_site_bytes) the
 * way patch/patch.c does: sites in address order, stubs back to back from
 * STUB_BASE. The patched .text must equal NAME.out.elf's .text and the
 * stubs its .stubs, byte for byte. With --refused instead of an out.elf,
 * every site must be refused and nothing may change.
 *
 * Each site's outcome is checked too: NAME.in.S states it, one line per
 * site in its header comment (expect.c reads them),
 *	expect <site>: rewritten
 *	expect <site>: refused: <reason as arch_refusal_text() spells it>
 * where <site> is the closest label at or before the syscall (the
 * function's name when no label of its own comes between), with #1, #2...
 * in address order when several sites follow the same label. Every site
 * must have its line and every line its site; a difference is printed as
 * NAME.in.S:line, the site, what was expected and what the rewriter did.
 *
 * Both ELF files are linked with golden.ld, so that addresses are the same
 * in both; this program checks that before it compares anything. It prints
 * one line per site (its window or why it was refused), so that the test's
 * log says what the rewriter did, and everything on stdout, so that the
 * log keeps the order.
 *
 * Besides the bytes, one invariant of the planner is checked: two accepted
 * windows never share a byte. The rewriter plans each site on its own; a
 * window that starts inside an earlier one could not be applied (patch.c
 * would find its bytes changed and leave the site to the safety net), so
 * such a site is reported as a failure of the planner and, like patch.c
 * does, not applied.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "expect.h"
#include "image.h"
#include "rewrite.h"
#include "stub.h"

#define TEXT_BASE 0x401000ULL /* golden.ld */
#define STUB_BASE 0x500000ULL /* golden.ld */

struct site {
	uint64_t addr;
	const char *fn;
	const char *label; /* the closest label at or before addr */
	char name[96];     /* label, or label#k: what NAME.in.S's expect lines say */
	enum arch_refusal refusal;
	struct arch_window w;
};

static const char *pattern; /* the test's name, first on every line */

/* One line about a broken input; returns -1. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", pattern);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return -1;
}

/* The closest label at or before addr in in's .text: a function's name,
 * or a label of its own such as case0; at one address, the function's. */
static const char *label_at(const struct image *in, const Elf64_Shdr *text, uint64_t addr)
{
	size_t count = 0, str_size = 0;
	const char *str = NULL;
	const Elf64_Sym *sym = image_symbols(in, &count, &str, &str_size), *b = NULL;

	for (size_t i = 0; sym && i < count; i++) {
		int type = ELF64_ST_TYPE(sym[i].st_info);
		if ((type != STT_FUNC && type != STT_NOTYPE) ||
		    sym[i].st_shndx != (size_t)(text - in->sh) || sym[i].st_value > addr ||
		    *image_symbol_name(&sym[i], str, str_size) == 0)
			continue;
		if (b && (sym[i].st_value < b->st_value ||
			  (sym[i].st_value == b->st_value &&
			   (type != STT_FUNC || ELF64_ST_TYPE(b->st_info) == STT_FUNC))))
			continue;
		b = &sym[i];
	}
	return b ? image_symbol_name(b, str, str_size) : "?";
}

/* Name every site by its label, with #1, #2... when several sites share
 * one (sites are in address order). */
static void name_sites(const struct image *in, const Elf64_Shdr *text, struct site *sites,
		       size_t nsites)
{
	for (size_t k = 0; k < nsites; k++)
		sites[k].label = label_at(in, text, sites[k].addr);
	for (size_t k = 0; k < nsites; k++) {
		size_t same = 0, rank = 0;
		for (size_t j = 0; j < nsites; j++)
			if (strcmp(sites[j].label, sites[k].label) == 0) {
				same++;
				rank += j < k;
			}
		if (same > 1)
			snprintf(sites[k].name, sizeof(sites[k].name), "%s#%zu", sites[k].label,
				 rank + 1);
		else
			snprintf(sites[k].name, sizeof(sites[k].name), "%s", sites[k].label);
	}
}

/* "case2 (0x401028 in by_index)", or "getpid_leaf (0x401005)" when the
 * site's name is its function's: how every line speaks of a site. */
static const char *site_id(const struct site *s, char *buf, size_t size)
{
	if (strcmp(s->name, s->fn) == 0)
		snprintf(buf, size, "%s (0x%" PRIx64 ")", s->name, s->addr);
	else
		snprintf(buf, size, "%s (0x%" PRIx64 " in %s)", s->name, s->addr, s->fn);
	return buf;
}

static int by_value(const void *a, const void *b)
{
	const Elf64_Sym *x = a, *y = b;

	return (x->st_value > y->st_value) - (x->st_value < y->st_value);
}

/* Decode every function of in's .text and plan each of its syscalls, in
 * address order. Returns the number of sites, or -1. */
static long plan_sites(const struct image *in, const Elf64_Shdr *text, struct site **out)
{
	size_t count = 0, str_size = 0, nfn = 0, nsites = 0, cap = 16;
	const char *str = NULL;
	const Elf64_Sym *sym = image_symbols(in, &count, &str, &str_size);
	Elf64_Sym *fn = calloc(count + 1, sizeof(*fn));
	struct site *sites = malloc(cap * sizeof(*sites));

	if (!sym || !fn || !sites)
		return fail("%s: no symbol table, or out of memory", in->path);
	for (size_t i = 0; i < count; i++)
		if (ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC && sym[i].st_size > 0 &&
		    sym[i].st_shndx == (size_t)(text - in->sh))
			fn[nfn++] = sym[i];
	qsort(fn, nfn, sizeof(*fn), by_value);
	for (size_t f = 0; f < nfn; f++) {
		const char *name = image_symbol_name(&fn[f], str, str_size);
		const uint8_t *code = image_read(in, fn[f].st_value, fn[f].st_size);
		struct arch_decoded d;

		if (!code || fn[f].st_value < text->sh_addr ||
		    fn[f].st_value + fn[f].st_size > text->sh_addr + text->sh_size)
			return fail("function %s lies outside .text", name);
		if (arch_decode(code, fn[f].st_value, fn[f].st_size, image_read, in, &d) < 0)
			return fail("%s: arch_decode failed", name);
		/* Plan the function's sites together, as site_find.c does. */
		size_t n = 0, *idx = malloc(sizeof(size_t) * (d.count + 1));
		struct arch_window *w = malloc(sizeof(*w) * (d.count + 1));
		enum arch_refusal *ref = malloc(sizeof(*ref) * (d.count + 1));
		if (!idx || !w || !ref)
			return fail("out of memory");
		for (size_t i = 0; i < d.count; i++)
			if (d.insn[i].cls == ARCH_INSN_SYSCALL)
				idx[n++] = i;
		arch_plan_sites(&d, idx, n, w, ref);
		for (size_t k = 0; k < n; k++) {
			if (nsites == cap) {
				struct site *v = realloc(sites, 2 * cap * sizeof(*v));
				if (!v)
					return fail("out of memory");
				sites = v;
				cap *= 2;
			}
			struct site *s = &sites[nsites++];
			memset(s, 0, sizeof(*s));
			s->addr = d.insn[idx[k]].addr;
			s->fn = name;
			s->refusal = ref[k];
			if (ref[k] == ARCH_OK)
				s->w = w[k];
		}
		free(idx);
		free(w);
		free(ref);
		arch_decoded_free(&d);
	}
	free(fn);
	*out = sites;
	return (long)nsites;
}

/* The window as "start..end: b before the syscall, a after". */
static void describe(const struct arch_window *w, char *buf, size_t size)
{
	int s = 0;

	while (s < w->count && w->insn[s].cls != ARCH_INSN_SYSCALL)
		s++;
	snprintf(buf, size,
		 "window 0x%" PRIx64 "..0x%" PRIx64
		 " (%u bytes, %d insn before the syscall, %d after)",
		 w->start, w->start + w->len, w->len, s, w->count - s - 1);
}

/* Rows of 16 bytes around the first difference, expected above got, for
 * reading beside `objdump -d NAME.out.elf`. */
static void dump(uint64_t base, const uint8_t *want, size_t want_size, const uint8_t *got,
		 size_t got_size, size_t at)
{
	size_t size = want_size > got_size ? want_size : got_size;
	size_t row = at & ~(size_t)15, lo = row >= 32 ? row - 32 : 0, hi = row + 48;

	if (hi > size)
		hi = size;
	for (size_t r = lo; r < hi; r += 16) {
		const char *label[2] = {"expected", "got     "};
		const uint8_t *v[2] = {want, got};
		const size_t n[2] = {want_size, got_size};
		for (int k = 0; k < 2; k++) {
			printf("  %s 0x%08" PRIx64 ":", label[k], base + r);
			for (size_t i = r; i < r + 16 && i < hi; i++) {
				if (i < n[k])
					printf(" %02x", v[k][i]);
				else
					fputs(" --", stdout);
			}
			putchar('\n');
		}
	}
}

/* Compare one section's bytes; prints the first difference. */
static int compare(const char *what, uint64_t base, const uint8_t *want, size_t want_size,
		   const uint8_t *got, size_t got_size, const struct image *out)
{
	size_t n = want_size < got_size ? want_size : got_size, at = 0, diffs = 0;
	char sym[128];

	while (at < n && want[at] == got[at])
		at++;
	if (at == n && want_size == got_size)
		return 0;
	for (size_t i = at; i < n; i++)
		diffs += want[i] != got[i];
	image_where(out, base + at, sym, sizeof(sym));
	if (at < n)
		printf("%s: %s differs at 0x%" PRIx64
		       " <%s> (expected %02x, got %02x); %zu bytes differ\n",
		       pattern, what, base + at, sym, want[at], got[at], diffs);
	if (want_size != got_size)
		printf("%s: %s is %zu bytes, expected %zu\n", pattern, what, got_size, want_size);
	dump(base, want, want_size, got, got_size, at);
	return -1;
}

/* Compare each site's outcome with its expect line; every line must name a
 * site. Returns 0, or -1 after printing every difference. */
static int check_outcomes(struct expects *x, const struct site *sites, size_t nsites)
{
	char want[128], got[128], id[192];
	int bad = 0;

	for (size_t k = 0; k < nsites; k++) {
		const struct site *s = &sites[k];
		const struct expect *e = expect_find(x, s->name);

		expect_outcome_text(s->refusal, got, sizeof(got));
		site_id(s, id, sizeof(id));
		if (!e) {
			printf("%s: %s: site %s has no `expect %s:` line; it was %s\n", x->path,
			       pattern, id, s->name, got);
			bad = 1;
		} else if (e->outcome != s->refusal) {
			printf("%s:%d: %s: site %s: expected %s, got %s\n", x->path, e->line,
			       pattern, id, expect_outcome_text(e->outcome, want, sizeof(want)),
			       got);
			bad = 1;
		}
	}
	for (size_t j = 0; j < x->count; j++)
		if (!x->v[j].seen) {
			printf("%s:%d: %s: no syscall site is named %s\n", x->path, x->v[j].line,
			       pattern, x->v[j].site);
			bad = 1;
		}
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct image in, out;
	const Elf64_Shdr *text, *out_text = NULL, *out_stubs = NULL;
	struct site *sites = NULL;
	struct expects expects;
	uint8_t *patched, *stubs;
	size_t stubs_size = 0;
	int refused_only, bad = 0;
	long nsites;
	char buf[160], id[192];

	if (argc != 5) {
		fprintf(stderr, "usage: %s NAME NAME.in.S NAME.in.elf (NAME.out.elf | --refused)\n",
			argv[0]);
		return 2;
	}
	pattern = argv[1];
	refused_only = strcmp(argv[4], "--refused") == 0;
	char why[4200];
	if (image_load(argv[3], &in, why, sizeof(why)) < 0 ||
	    (!refused_only && image_load(argv[4], &out, why, sizeof(why)) < 0)) {
		fail("%s", why);
		return 2;
	}
	if (expect_read(argv[2], pattern, &expects) < 0)
		return 2;
	if (refused_only)
		out = in;
	text = image_section(&in, ".text");
	out_text = image_section(&out, ".text");
	out_stubs = image_section(&out, ".stubs");
	if (!text || !out_text || text->sh_addr != TEXT_BASE || out_text->sh_addr != TEXT_BASE ||
	    text->sh_type != SHT_PROGBITS || out_text->sh_type != SHT_PROGBITS) {
		fail(".text must be at 0x401000 in both files (golden.ld)");
		return 2;
	}
	if (out_stubs && (out_stubs->sh_addr != STUB_BASE || out_stubs->sh_type != SHT_PROGBITS)) {
		fail(".stubs must be at 0x500000 (golden.ld)");
		return 2;
	}
	/* The data the code refers to must be where it was. */
	for (size_t i = 0; i < in.shnum; i++) {
		const Elf64_Shdr *o = image_section(&out, image_section_name(&in, &in.sh[i]));
		if ((in.sh[i].sh_flags & SHF_ALLOC) &&
		    (!o || o->sh_addr != in.sh[i].sh_addr || o->sh_size != in.sh[i].sh_size)) {
			fail("section %s is not at the same place in both files",
			     image_section_name(&in, &in.sh[i]));
			return 2;
		}
	}

	nsites = plan_sites(&in, text, &sites);
	patched = malloc(text->sh_size);
	stubs = malloc((nsites > 0 ? (size_t)nsites : 1) * ARCH_STUB_MAX);
	if (nsites < 0 || !patched || !stubs)
		return 2;
	name_sites(&in, text, sites, (size_t)nsites);
	memcpy(patched, in.data + text->sh_offset, text->sh_size);

	for (long k = 0; k < nsites; k++) {
		struct site *s = &sites[k];
		struct arch_window *w = &s->w;
		uint64_t stub = STUB_BASE + stubs_size;
		uint8_t site_bytes[ARCH_WINDOW_MAX];
		int n;

		site_id(s, id, sizeof(id));
		if (s->refusal != ARCH_OK) {
			printf("%s: site %s: refused: %s\n", pattern, id,
			       arch_refusal_text(s->refusal));
			continue;
		}
		describe(w, buf, sizeof(buf));
		if (w->start > s->addr || w->start + w->len < s->addr + 2 ||
		    w->len < ARCH_JMP_SIZE || w->start < text->sh_addr ||
		    w->start + w->len > text->sh_addr + text->sh_size) {
			printf("%s: site %s: impossible %s\n", pattern, id, buf);
			bad = 1;
			continue;
		}
		for (long j = 0; j < k; j++) {
			const struct arch_window *e = &sites[j].w;
			if (sites[j].refusal == ARCH_OK && w->start < e->start + e->len &&
			    e->start < w->start + w->len) {
				printf("%s: site %s: the planner's %s overlaps the window "
				       "0x%" PRIx64 "..0x%" PRIx64 " of the site at 0x%" PRIx64
				       ": both cannot be applied; this one is not (patch/patch.c "
				       "would find its bytes changed and refuse it)\n",
				       pattern, id, buf, e->start, e->start + e->len,
				       sites[j].addr);
				s->refusal = ARCH_REFUSE_NO_ROOM; /* as patch.c ends up */
				bad = 1;
				break;
			}
		}
		if (s->refusal != ARCH_OK)
			continue;
		memcpy(w->bytes, in.data + text->sh_offset + (w->start - text->sh_addr), w->len);
		n = arch_stub_emit(w, w->bytes, w->start, stub, stubs + stubs_size);
		if (n < 0 || n > ARCH_STUB_MAX ||
		    arch_stub_site_bytes(w, w->start, stub, site_bytes) < 0) {
			printf("%s: site %s: the stub could not be emitted (%d)\n", pattern, id, n);
			bad = 1;
			continue;
		}
		memcpy(patched + (w->start - text->sh_addr), site_bytes, w->len);
		stubs_size += (size_t)n;
		printf("%s: site %s: %s, stub 0x%" PRIx64 " (%d bytes)\n", pattern, id, buf, stub,
		       n);
		if (refused_only) {
			printf("%s: site %s must be refused\n", pattern, id);
			bad = 1;
		}
	}
	if (nsites == 0) {
		printf("%s: no syscall instruction in %s\n", pattern, in.path);
		bad = 1;
	}
	/* After the loop: a site whose window overlapped is refused by now. */
	if (check_outcomes(&expects, sites, (size_t)nsites) < 0)
		bad = 1;

	if (compare(".text", text->sh_addr, out.data + out_text->sh_offset, out_text->sh_size,
		    patched, text->sh_size, &out) < 0)
		bad = 1;
	if (compare(".stubs", STUB_BASE, out_stubs ? out.data + out_stubs->sh_offset : NULL,
		    out_stubs ? out_stubs->sh_size : 0, stubs, stubs_size, &out) < 0)
		bad = 1;
	printf("%s: %s\n", pattern, bad ? "FAIL" : "ok");
	return bad;
}
