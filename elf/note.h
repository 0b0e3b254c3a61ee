/* SPDX-License-Identifier: MIT */
/*
 * Notes: the one walk over a PT_NOTE segment's contents, for the GNU
 * build-id (the patch cache's key) and the LibOS note (the site list).
 * Hostile input is bounded: a note that runs past the contents ends the
 * walk.
 */
#ifndef ELF_NOTE_H
#define ELF_NOTE_H

#include <stdint.h>

/* The GNU build-id's type (the owner is "GNU"). */
#define ELF_NT_GNU_BUILD_ID 3

struct elf_note {
	uint32_t type;
	const uint8_t *desc;
	uint32_t descsz;
	uint64_t desc_offset; /* where desc starts in the contents */
};

/* The note of owner (its name as the note stores it, NUL included: "GNU",
 * "LibOS") and type in the contents [notes, notes + size) of a PT_NOTE
 * whose p_align is p_align (8: the notes are 8-byte aligned; else 4).
 * Returns 0 with *n filled, or -ENOENT. */
int elf_note_find(const uint8_t *notes, uint64_t size, uint64_t p_align, const char *owner,
		  uint32_t type, struct elf_note *n);

#endif
