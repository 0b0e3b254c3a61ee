/* SPDX-License-Identifier: MIT */
/*
 * Planning an object that carries a LibOS site list (tier 1 of DESIGN.md's
 * tiers): its listed sites checked one by one and rewritten in place, its
 * weak hooks interposed, and only what the list could not vouch for left
 * to disassembly (tier 2) or the safety net.
 */
#ifndef PATCH_NOTED_H
#define PATCH_NOTED_H

#include "elf_view.h"
#include "objects.h"

/* Plan o (its segments already filled from v) from its site list: fills
 * o->sites (address order), o->disassembled, o->note_refused and
 * o->hp_timing_vaddr. Each refused entry gets a line on stderr naming
 * name. Returns 1 when o has a list, 0 when it has none (the caller then
 * scans it), or -errno. Capstone may run (for refused entries): the caller
 * must be in the loader's foreign context. */
int patch_noted_analyse(struct patch_object *o, const struct elf_view *v, const char *name);

#endif
