/* SPDX-License-Identifier: MIT */
/*
 * The objects whose code the loader has seen mapped executable: for each,
 * its syscall sites (found once, from the file), where it is mapped, and
 * what became of each site. The safety net asks it whether a trapped
 * address is a known refused site (trapped) or a site the loader believed
 * patched (an escape); the report lists it.
 */
#ifndef PATCH_OBJECTS_H
#define PATCH_OBJECTS_H

#include <stdint.h>

#include "elf.h"
#include "site_find.h"

struct stat;

/* What identifies a file's content, short of reading it: the cache's key
 * and plan, and an unmapped object reused for a new mapping, all rest on
 * it. */
struct patch_identity {
	uint64_t dev, ino, size, mtime_ns, ctime_ns;
};

/* The identity of the file st describes, size bytes of it. */
struct patch_identity patch_identity_of(const struct stat *st, uint64_t size);

enum patch_site_state {
	PATCH_SITE_PENDING,   /* found, not (yet) mapped executable */
	PATCH_SITE_REWRITTEN, /* its window jumps to its stub */
	PATCH_SITE_REFUSED,   /* left to the safety net */
	PATCH_SITE_TRAPPED,   /* refused, and the net has caught it */
};

#define PATCH_OBJECT_MAPS 8

struct patch_object {
	struct patch_object *next;
	char path[256];
	uint64_t dev, ino;
	/* The file's when it was analysed: an unmapped object is reused
	 * for a new mapping only if the file is still this one (the same
	 * identity the cache keys on). */
	struct patch_identity id;
	uintptr_t bias; /* runtime address = bias + link-time address */
	struct {
		uint64_t vaddr, offset, filesz, memsz;
		uint32_t flags;
	} seg[8]; /* its PT_LOAD segments */
	int seg_count;
	int analyzed;       /* sites are valid */
	int analysis_error; /* -errno when the file could not be analysed */
	struct patch_sites sites;
	uint8_t *state; /* enum patch_site_state, one per site */
	struct {
		uintptr_t lo, hi;
	} maps[PATCH_OBJECT_MAPS]; /* its executable mappings */
	int map_count;
	/* Sites by tier: rewritten from the LibOS site list (note), weak
	 * hooks interposed (hooks), rewritten after disassembly (rewritten). */
	unsigned note, hooks, rewritten, refused, trapped;
	/* Functions Capstone decoded to plan this object (now, or when its
	 * cached plan was made): 0 for an object its site list covers. */
	uint64_t disassembled;
	int writes_gs;            /* its code may set %gs (arch_code_writes_gs) */
	int note_refused;         /* site list entries refused (noted.c) */
	uint64_t hp_timing_vaddr; /* its __hp_timing_disabled, or 0 */
	/* The stub layout: every rewritable site's stub at stub_off[i] in an
	 * arena of stub_area bytes, right below the object's base when that
	 * space is free (always, for a cached image). */
	uint32_t *stub_off;
	uint64_t stub_area;
	uintptr_t arena; /* the arena once mapped, or 0 */
	/* The cache entry (cache.h). */
	char cache_key[192];
	int plan_mapped;           /* sites and stub_off point into a cached plan */
	uint64_t image_stub_off;   /* where the stubs are in the image */
	uint64_t text_lo, text_hi; /* the file range of code the image holds */
	uint64_t image_tag;        /* the image's random tag, which its plan repeats */
	int announced;             /* the module was told of it (hooks/map_events.c) */
};

/* Whether o is mapped now. An object whose last executable mapping went
 * is kept (its plan serves the next mapping of its file, wherever that
 * is) but holds no address, no arena and no site state. */
static inline int patch_object_mapped(const struct patch_object *o)
{
	return __atomic_load_n(&o->map_count, __ATOMIC_ACQUIRE) > 0;
}

/* Site i of o is now in state s; o's counts follow. */
void patch_site_set(struct patch_object *o, size_t i, enum patch_site_state s);

/* Fill o's segments from its program headers (the first 8 PT_LOADs). */
void patch_object_set_segments(struct patch_object *o, const Elf64_Phdr *ph, int phnum);

/* The file offset of o's link-time address vaddr (its segments), or -1. */
int64_t patch_file_offset(const struct patch_object *o, uint64_t vaddr);

/* Every object, newest first. Objects are never removed while the process
 * lives (an object whose mapping went is reused for the next mapping of
 * its file), so the list can be read without a lock. */
struct patch_object *patch_objects(void);
void patch_objects_push(struct patch_object *o);

/* The object mapped at pc and, when pc is one of its sites, the site's
 * index (else -1). NULL when no known object maps pc. */
struct patch_object *patch_object_at(uintptr_t pc, long *site);

/* Sites trapped in code no object holds (generated code). */
struct patch_jit_site {
	uintptr_t pc;  /* 0: a free entry (its code went) */
	int rewritten; /* rewritten lazily after its first trap */
	/* Once rewritten: the window [start, start + len), its original
	 * bytes, and the page its stub is in. */
	uintptr_t start, arena;
	uint8_t len;
	uint8_t bytes[ARCH_WINDOW_MAX];
};
/* Give every rewritten site of o its own bytes back, left to the net
 * (refused from now on): its stubs cannot serve it any more
 * (unrewrite.c). Under the loader context. Returns 1 when any was. */
int patch_object_unrewrite(struct patch_object *o);

/* How many addresses in generated code have trapped, over the run. */
unsigned patch_jit_count(void);
/* Record a trapped address; returns its entry (new or known). */
struct patch_jit_site *patch_jit_record(uintptr_t pc);
/* Call fn for every live entry (under the loader context's lock). */
void patch_jit_for_each(void (*fn)(struct patch_jit_site *j, void *arg), void *arg);

#endif
