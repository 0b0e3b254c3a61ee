/* SPDX-License-Identifier: MIT */
/*
 * Finding and planning the `syscall` instructions of an object without a
 * LibOS note: scan its code for the bytes 0f 05, decode with Capstone only
 * the function around each hit (its bounds from the code index), keep the
 * hits that really are instructions, and plan each one's rewrite window.
 */
#ifndef PATCH_SITE_FIND_H
#define PATCH_SITE_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "code_index.h"
#include "rewrite.h"

/* Where a site came from: the tier that planned it. */
enum patch_site_origin {
	PATCH_ORIGIN_FOUND,  /* disassembled (this finder) */
	PATCH_ORIGIN_LISTED, /* the object's LibOS site list (listed_site.h) */
	PATCH_ORIGIN_HOOK,   /* a weak hook's body (listed_site.h) */
};

struct patch_site {
	uint64_t vaddr;            /* the syscall instruction (link time) */
	uint64_t fn_lo, fn_hi;     /* the region decoded to find it */
	enum elf_bounds bounds;    /* how that region was found */
	enum arch_refusal refusal; /* ARCH_OK: window is valid */
	struct arch_window window;
	uint32_t origin; /* enum patch_site_origin */
};

struct patch_sites {
	struct patch_site *v;
	size_t count, cap;
	size_t candidates; /* 0f 05 byte pairs seen in code */
	size_t regions;    /* functions (or gaps) decoded */
	uint64_t bytes;    /* bytes decoded */
};

/* Append every syscall instruction of ix's code to out, in address order,
 * each with its planned window or the reason it is refused. Returns 0,
 * -ENOMEM, or -ENOSYS when Capstone cannot be opened. */
int patch_find_sites(const struct elf_code_index *ix, struct patch_sites *out);
/* The same, but only for the functions around the given addresses
 * (ascending): sites a LibOS site list named but could not vouch for. */
int patch_find_sites_at(const struct elf_code_index *ix, const uint64_t *pcs, size_t count,
			struct patch_sites *out);
/* Append site to s, growing it. Returns 0 or -ENOMEM. */
int patch_sites_push(struct patch_sites *s, const struct patch_site *site);
void patch_sites_free(struct patch_sites *s);

#endif
