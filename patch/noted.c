// SPDX-License-Identifier: MIT
/*
 * Noted objects (see noted.h).
 *
 * Each entry of the list is checked before it is believed: the site and
 * its padding lie in an executable segment of this object, the bytes are
 * `0f 05` followed by the stated nops, and no other entry names the same
 * site. A refused entry gets one line on stderr; when it does name a real
 * `0f 05` (only its padding was wrong), the function around it is
 * disassembled and planned like any unnoted code, so the site is still
 * rewritten or, failing that, left to the net.
 *
 * Trust, but verify: when the note says the list is complete
 * (LIBOS_NOTE_COMPLETE), the object's code is still scanned for the bytes
 * `0f 05` (a byte scan, no disassembly), and only the functions around
 * bytes no entry names are disassembled, as unnoted code is: a `syscall`
 * the producer failed to list is rewritten anyway, and a list that really
 * is complete costs no Capstone call. Without the flag, the rest of the
 * object is disassembled as usual, and listed sites are simply not
 * disassembled again.
 *
 * The weak hooks of note.h are interposed here too: a defined function
 * with a hook's name and exactly note.h's body becomes a site whose stub
 * enters the LibOS with the hook's private number (libc_hooks.c). A body
 * that differs is the object's own definition and is left alone.
 */
#include <errno.h>
#include <libos/note.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "code_index.h"
#include "listed_site.h"
#include "noted.h"
#include "site_find.h"
#include "site_list.h"
#include "symbols.h"

/* Refused entries reported one per line; the rest are counted. */
#define WARN_LINES 10

static const struct {
	const char *name;
	uint32_t nr;
} hooks[] = {
	{"__libos_map_library", LIBOS_NR_HOOK_MAP_LIBRARY},
	{"__libos_register_library", LIBOS_NR_HOOK_REGISTER_LIBRARY},
	{"__libos_init", LIBOS_NR_HOOK_INIT},
};

static int by_site(const void *a, const void *b)
{
	const struct elf_listed *x = a, *y = b;

	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int by_vaddr(const void *a, const void *b)
{
	const struct patch_site *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* The file bytes of [vaddr, vaddr + len) when they lie inside one
 * executable segment of o, else NULL. */
static const uint8_t *code_at(const struct patch_object *o, const struct elf_view *v,
			      uint64_t vaddr, uint64_t len)
{
	for (int i = 0; i < o->seg_count; i++) {
		if (!(o->seg[i].flags & PF_X) || vaddr < o->seg[i].vaddr)
			continue;
		uint64_t off = vaddr - o->seg[i].vaddr;
		if (off <= o->seg[i].filesz && o->seg[i].filesz - off >= len &&
		    o->seg[i].offset + off + len <= v->file_size)
			return v->file + o->seg[i].offset + off;
	}
	return NULL;
}

static int by_address(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int clashes(const struct patch_sites *planned, size_t count, uint64_t lo, uint64_t hi);

/* Every `0f 05` in o's code that no planned window covers, added to the
 * addresses whose functions are disassembled (*pcs, grown as needed). */
static int add_unlisted(const struct patch_object *o, const struct elf_view *v,
			const struct patch_sites *out, uint64_t **pcs, size_t *count)
{
	for (int i = 0; i < o->seg_count; i++) {
		const uint8_t *code = code_at(o, v, o->seg[i].vaddr, o->seg[i].filesz);
		if (!(o->seg[i].flags & PF_X) || !code)
			continue;
		const uint8_t *end = code + o->seg[i].filesz;
		for (const uint8_t *hit = code; (hit = arch_find_syscall(hit, end)); hit++) {
			uint64_t vaddr = o->seg[i].vaddr + (uint64_t)(hit - code);
			if (clashes(out, out->count, vaddr, vaddr + ARCH_SYSCALL_SIZE))
				continue;
			uint64_t *grown = realloc(*pcs, (*count + 1) * sizeof(**pcs));
			if (!grown)
				return -ENOMEM;
			*pcs = grown;
			(*pcs)[(*count)++] = vaddr;
		}
	}
	qsort(*pcs, *count, sizeof(**pcs), by_address);
	return 0;
}

static struct patch_site site_of(const struct arch_window *w, enum patch_site_origin origin)
{
	struct patch_site s = {0};

	s.vaddr = w->syscall;
	s.fn_lo = w->start;
	s.fn_hi = w->start + w->len;
	s.bounds = ELF_BOUNDS_GAP;
	s.refusal = ARCH_OK;
	s.window = *w;
	s.origin = origin;
	return s;
}

/* Check every entry; accepted ones go to out, sites worth disassembling to
 * fallback. Returns the number refused, or -ENOMEM. */
static long check_entries(const struct patch_object *o, const struct elf_view *v, const char *name,
			  struct elf_site_list *l, struct patch_sites *out, uint64_t *fallback,
			  size_t *fallback_count)
{
	long refused = 0;

	qsort(l->v, l->count, sizeof(*l->v), by_site);
	for (size_t i = 0; i < l->count; i++) {
		const struct elf_listed *e = &l->v[i];
		const uint8_t *code = code_at(o, v, e->site, 2);
		const char *why = NULL;
		struct arch_window w;
		if (!code) {
			why = "outside the object's executable code";
		} else if (i > 0 && l->v[i - 1].site == e->site) {
			why = "a duplicate of an earlier entry";
		} else if (!arch_is_syscall(code)) {
			why = arch_listed_refusal_text(ARCH_LISTED_NOT_SYSCALL);
		} else {
			const uint8_t *all = code_at(o, v, e->site, 2 + (uint64_t)e->padding);
			enum arch_listed_refusal r =
				all ? arch_listed_window(all, e->site, e->padding, &w)
				    : ARCH_LISTED_NOT_NOPS;
			if (r != ARCH_LISTED_OK) {
				why = all ? arch_listed_refusal_text(r)
					  : "the padding runs past the executable code";
				fallback[(*fallback_count)++] = e->site;
			}
		}
		if (why) {
			if (refused++ < WARN_LINES)
				elf_site_list_warn(name,
						   "LibOS site list: entry at 0x%lx, site 0x%lx: "
						   "%s; refused",
						   (unsigned long)e->entry, (unsigned long)e->site,
						   why);
			continue;
		}
		struct patch_site s = site_of(&w, PATCH_ORIGIN_LISTED);
		if (patch_sites_push(out, &s) < 0)
			return -ENOMEM;
	}
	if (refused > WARN_LINES)
		elf_site_list_warn(name, "LibOS site list: %ld more entries refused",
				   refused - WARN_LINES);
	return refused;
}

/* The weak hooks o defines with note.h's bodies, and its
 * __hp_timing_disabled. */
static int add_hooks(struct patch_object *o, const struct elf_view *v, struct patch_sites *out)
{
	uint64_t addr, size;

	for (unsigned i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		struct arch_window w;
		if (elf_symbol_by_name(v, hooks[i].name, STT_FUNC, &addr, &size) < 0 ||
		    size != ARCH_HOOK_BODY_SIZE)
			continue;
		const uint8_t *code = code_at(o, v, addr, ARCH_HOOK_BODY_SIZE);
		if (!code || arch_hook_window(code, addr, hooks[i].nr, &w) < 0)
			continue;
		struct patch_site s = site_of(&w, PATCH_ORIGIN_HOOK);
		if (patch_sites_push(out, &s) < 0)
			return -ENOMEM;
	}
	if (elf_symbol_by_name(v, "__hp_timing_disabled", STT_OBJECT, &addr, &size) == 0 &&
	    size == 4)
		o->hp_timing_vaddr = addr;
	return 0;
}

/* Whether [lo, hi) meets a window of planned (sorted by nothing: few). */
static int clashes(const struct patch_sites *planned, size_t count, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < count; i++) {
		const struct arch_window *w = &planned->v[i].window;
		if (lo < w->start + w->len && w->start < hi)
			return 1;
	}
	return 0;
}

/* Add the disassembler's sites, minus those already planned; one whose
 * window would meet a planned window is refused (left to the net). */
static int merge_found(struct patch_sites *out, const struct patch_sites *found)
{
	size_t planned = out->count;

	for (size_t i = 0; i < found->count; i++) {
		struct patch_site s = found->v[i];
		if (clashes(out, planned, s.vaddr, s.vaddr + 2))
			continue; /* listed already, or a hook's own body */
		if (s.refusal == ARCH_OK &&
		    clashes(out, planned, s.window.start, s.window.start + s.window.len))
			s.refusal = ARCH_REFUSE_NO_ROOM;
		if (patch_sites_push(out, &s) < 0)
			return -ENOMEM;
	}
	return 0;
}

int patch_noted_analyse(struct patch_object *o, const struct elf_view *v, const char *name)
{
	struct elf_site_list l;
	struct patch_sites out = {0}, found = {0};
	size_t fallback_count = 0;
	uint64_t *fallback = NULL;
	long refused;
	int r = elf_site_list_read(v, name, &l);

	if (r < 0 || l.layout == ELF_SITE_LIST_NONE)
		return r;
	fallback = malloc(sizeof(*fallback) * (l.count + 1));
	refused =
		fallback ? check_entries(o, v, name, &l, &out, fallback, &fallback_count) : -ENOMEM;
	r = refused < 0 ? (int)refused : add_hooks(o, v, &out);
	if (r == 0 && (l.flags & LIBOS_NOTE_COMPLETE))
		r = add_unlisted(o, v, &out, &fallback, &fallback_count);
	if (r == 0 && (fallback_count || !(l.flags & LIBOS_NOTE_COMPLETE))) {
		struct elf_code_index ix;
		r = elf_code_index_open(&ix, v);
		if (r == 0) {
			r = (l.flags & LIBOS_NOTE_COMPLETE)
				    ? patch_find_sites_at(&ix, fallback, fallback_count, &found)
				    : patch_find_sites(&ix, &found);
			elf_code_index_free(&ix);
		}
		if (r == 0)
			r = merge_found(&out, &found);
	}
	if (r == 0) {
		qsort(out.v, out.count, sizeof(*out.v), by_vaddr);
		out.candidates = found.candidates;
		out.regions = found.regions;
		out.bytes = found.bytes;
		o->sites = out;
		o->disassembled = found.regions;
		o->note_refused = (int)refused;
	} else {
		patch_sites_free(&out);
	}
	patch_sites_free(&found);
	free(fallback);
	elf_site_list_free(&l);
	return r < 0 ? r : 1;
}
