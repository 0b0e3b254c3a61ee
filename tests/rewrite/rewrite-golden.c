// SPDX-License-Identifier: MIT
/*
 * rewrite-golden: the rewriter's golden test (the model is syscall_intercept's
 * test/asm_pattern.c). It takes patternN.in.elf, decodes each of its
 * functions with arch_decode(), plans a window for every syscall with
 * arch_plan_sites() (all of a function's sites together, as site_find.c
 * plans them), and for each accepted window emits the stub
 * (arch_stub_emit) and the window's new bytes (arch_stub_site_bytes) the
 * way loader/patch.c does: sites in address order, stubs back to back from
 * STUB_BASE. The patched .text must equal patternN.out.elf's .text and the
 * stubs its .stubs, byte for byte. With --refused instead of an out.elf,
 * every site must be refused and nothing may change.
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
#include "rewrite.h"
#include "stub.h"

#define TEXT_BASE 0x401000ULL /* golden.ld */
#define STUB_BASE 0x500000ULL /* golden.ld */

struct image {
	const char *path;
	uint8_t *data;
	size_t size;
	const Elf64_Shdr *sh;
	size_t shnum;
	const char *shstr;
	size_t shstr_size;
};

struct site {
	uint64_t addr;
	const char *fn;
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

/* Read a whole ELF file and check what this program relies on: a 64-bit
 * x86-64 file whose section headers and their names lie inside it. */
static int load(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	const Elf64_Ehdr *eh;
	long size;

	memset(img, 0, sizeof(*img));
	img->path = path;
	if (!f)
		return fail("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < (long)sizeof(Elf64_Ehdr) ||
	    fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return fail("%s: not an ELF file", path);
	}
	img->size = (size_t)size;
	img->data = malloc(img->size);
	if (!img->data || fread(img->data, 1, img->size, f) != img->size) {
		fclose(f);
		return fail("cannot read %s", path);
	}
	fclose(f);
	eh = (const Elf64_Ehdr *)img->data;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > img->size ||
	    eh->e_shnum > (img->size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return fail("%s: not a 64-bit x86-64 ELF file with section headers", path);
	img->sh = (const Elf64_Shdr *)(img->data + eh->e_shoff);
	img->shnum = eh->e_shnum;
	for (size_t i = 0; i < img->shnum; i++)
		if (img->sh[i].sh_type != SHT_NOBITS &&
		    (img->sh[i].sh_offset > img->size ||
		     img->sh[i].sh_size > img->size - img->sh[i].sh_offset))
			return fail("%s: a section lies outside the file", path);
	img->shstr = (const char *)img->data + img->sh[eh->e_shstrndx].sh_offset;
	img->shstr_size = img->sh[eh->e_shstrndx].sh_size;
	return 0;
}

static const char *section_name(const struct image *img, const Elf64_Shdr *s)
{
	if (s->sh_name >= img->shstr_size ||
	    !memchr(img->shstr + s->sh_name, 0, img->shstr_size - s->sh_name))
		return "";
	return img->shstr + s->sh_name;
}

static const Elf64_Shdr *section(const struct image *img, const char *name)
{
	for (size_t i = 0; i < img->shnum; i++)
		if (strcmp(section_name(img, &img->sh[i]), name) == 0)
			return &img->sh[i];
	return NULL;
}

/* The arch_read_fn over an image: bytes of its loaded sections (jump
 * tables live in .rodata). */
static const uint8_t *read_image(const void *ctx, uint64_t vaddr, uint64_t len)
{
	const struct image *img = ctx;

	for (size_t i = 0; i < img->shnum; i++) {
		const Elf64_Shdr *s = &img->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_type != SHT_PROGBITS)
			continue;
		if (vaddr >= s->sh_addr && len <= s->sh_size &&
		    vaddr - s->sh_addr <= s->sh_size - len)
			return img->data + s->sh_offset + (vaddr - s->sh_addr);
	}
	return NULL;
}

/* The symbol table's entries and names, or NULL when there is none. */
static const Elf64_Sym *symbols(const struct image *img, size_t *count, const char **str,
                                size_t *str_size)
{
	const Elf64_Shdr *s = section(img, ".symtab");

	if (!s || s->sh_link >= img->shnum || s->sh_entsize != sizeof(Elf64_Sym))
		return NULL;
	*count = s->sh_size / sizeof(Elf64_Sym);
	*str = (const char *)img->data + img->sh[s->sh_link].sh_offset;
	*str_size = img->sh[s->sh_link].sh_size;
	return (const Elf64_Sym *)(img->data + s->sh_offset);
}

static const char *symbol_name(const Elf64_Sym *sym, const char *str, size_t str_size)
{
	if (sym->st_name >= str_size || !memchr(str + sym->st_name, 0, str_size - sym->st_name))
		return "?";
	return str + sym->st_name;
}

/* "name+0xoff" for the closest named address at or below addr in img (the
 * expected files label windows and stubs, so this says which one). */
static void where(const struct image *img, uint64_t addr, char *buf, size_t size)
{
	size_t count = 0, str_size = 0;
	const char *str = NULL, *best = NULL;
	const Elf64_Sym *sym = symbols(img, &count, &str, &str_size);
	uint64_t best_addr = 0;

	for (size_t i = 0; sym && i < count; i++) {
		int type = ELF64_ST_TYPE(sym[i].st_info);
		if ((type != STT_FUNC && type != STT_NOTYPE) || sym[i].st_shndx == SHN_UNDEF ||
		    sym[i].st_value > addr || (best && sym[i].st_value <= best_addr))
			continue;
		if (*symbol_name(&sym[i], str, str_size) == 0)
			continue;
		best = symbol_name(&sym[i], str, str_size);
		best_addr = sym[i].st_value;
	}
	if (best)
		snprintf(buf, size, "%s+0x%" PRIx64, best, addr - best_addr);
	else
		snprintf(buf, size, "?");
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
	const Elf64_Sym *sym = symbols(in, &count, &str, &str_size);
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
		const char *name = symbol_name(&fn[f], str, str_size);
		const uint8_t *code = read_image(in, fn[f].st_value, fn[f].st_size);
		struct arch_decoded d;

		if (!code || fn[f].st_value < text->sh_addr ||
		    fn[f].st_value + fn[f].st_size > text->sh_addr + text->sh_size)
			return fail("function %s lies outside .text", name);
		if (arch_decode(code, fn[f].st_value, fn[f].st_size, read_image, in, &d) < 0)
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
 * reading beside `objdump -d patternN.out.elf`. */
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
	where(out, base + at, sym, sizeof(sym));
	if (at < n)
		printf("%s: %s differs at 0x%" PRIx64
		       " <%s> (expected %02x, got %02x); %zu bytes differ\n",
		       pattern, what, base + at, sym, want[at], got[at], diffs);
	if (want_size != got_size)
		printf("%s: %s is %zu bytes, expected %zu\n", pattern, what, got_size, want_size);
	dump(base, want, want_size, got, got_size, at);
	return -1;
}

int main(int argc, char **argv)
{
	struct image in, out;
	const Elf64_Shdr *text, *out_text = NULL, *out_stubs = NULL;
	struct site *sites = NULL;
	uint8_t *patched, *stubs;
	size_t stubs_size = 0;
	int refused_only, bad = 0;
	long nsites;
	char buf[160];

	if (argc != 4) {
		fprintf(stderr, "usage: %s NAME PATTERN.in.elf (PATTERN.out.elf | --refused)\n",
		        argv[0]);
		return 2;
	}
	pattern = argv[1];
	refused_only = strcmp(argv[3], "--refused") == 0;
	if (load(argv[2], &in) < 0 || (!refused_only && load(argv[3], &out) < 0))
		return 2;
	if (refused_only)
		out = in;
	text = section(&in, ".text");
	out_text = section(&out, ".text");
	out_stubs = section(&out, ".stubs");
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
		const Elf64_Shdr *o = section(&out, section_name(&in, &in.sh[i]));
		if ((in.sh[i].sh_flags & SHF_ALLOC) &&
		    (!o || o->sh_addr != in.sh[i].sh_addr || o->sh_size != in.sh[i].sh_size)) {
			fail("section %s is not at the same place in both files",
			     section_name(&in, &in.sh[i]));
			return 2;
		}
	}

	nsites = plan_sites(&in, text, &sites);
	patched = malloc(text->sh_size);
	stubs = malloc((nsites > 0 ? (size_t)nsites : 1) * ARCH_STUB_MAX);
	if (nsites < 0 || !patched || !stubs)
		return 2;
	memcpy(patched, in.data + text->sh_offset, text->sh_size);

	for (long k = 0; k < nsites; k++) {
		struct site *s = &sites[k];
		struct arch_window *w = &s->w;
		uint64_t stub = STUB_BASE + stubs_size;
		uint8_t site_bytes[ARCH_WINDOW_MAX];
		int n;

		if (s->refusal != ARCH_OK) {
			printf("%s: site 0x%" PRIx64 " (%s): refused: %s\n", pattern, s->addr,
			       s->fn, arch_refusal_text(s->refusal));
			continue;
		}
		describe(w, buf, sizeof(buf));
		if (w->start > s->addr || w->start + w->len < s->addr + 2 ||
		    w->len < ARCH_JMP_SIZE || w->start < text->sh_addr ||
		    w->start + w->len > text->sh_addr + text->sh_size) {
			printf("%s: site 0x%" PRIx64 ": impossible %s\n", pattern, s->addr, buf);
			bad = 1;
			continue;
		}
		for (long j = 0; j < k; j++) {
			const struct arch_window *e = &sites[j].w;
			if (sites[j].refusal == ARCH_OK && w->start < e->start + e->len &&
			    e->start < w->start + w->len) {
				printf("%s: site 0x%" PRIx64 " (%s): the planner's %s overlaps the "
				       "window 0x%" PRIx64 "..0x%" PRIx64
				       " of the site at 0x%" PRIx64
				       ": both cannot be applied; this one is not (loader/patch.c "
				       "would "
				       "find its bytes changed and refuse it)\n",
				       pattern, s->addr, s->fn, buf, e->start, e->start + e->len,
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
			printf("%s: site 0x%" PRIx64 ": the stub could not be emitted (%d)\n",
			       pattern, s->addr, n);
			bad = 1;
			continue;
		}
		memcpy(patched + (w->start - text->sh_addr), site_bytes, w->len);
		stubs_size += (size_t)n;
		printf("%s: site 0x%" PRIx64 " (%s): %s, stub 0x%" PRIx64 " (%d bytes)\n", pattern,
		       s->addr, s->fn, buf, stub, n);
		if (refused_only) {
			printf("%s: site 0x%" PRIx64 " must be refused\n", pattern, s->addr);
			bad = 1;
		}
	}
	if (nsites == 0) {
		printf("%s: no syscall instruction in %s\n", pattern, in.path);
		bad = 1;
	}

	if (compare(".text", text->sh_addr, out.data + out_text->sh_offset, out_text->sh_size,
	            patched, text->sh_size, &out) < 0)
		bad = 1;
	if (compare(".stubs", STUB_BASE, out_stubs ? out.data + out_stubs->sh_offset : NULL,
	            out_stubs ? out_stubs->sh_size : 0, stubs, stubs_size, &out) < 0)
		bad = 1;
	printf("%s: %s\n", pattern, bad ? "FAIL" : "ok");
	return bad;
}
