// SPDX-License-Identifier: MIT
/* The note walk (see note.h). */
#include <errno.h>
#include <string.h>

#include "note.h"

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

int elf_note_find(const uint8_t *notes, uint64_t size, uint64_t p_align, const char *owner,
		  uint32_t type, struct elf_note *n)
{
	uint64_t align = p_align == 8 ? 8 : 4, at = 0, owner_size = strlen(owner) + 1;

	/* The last note's padding may run past the end: at > size then. */
	while (at <= size && size - at >= 12) {
		uint64_t namesz = u32(notes + at), descsz = u32(notes + at + 4);
		uint64_t name = at + 12;
		uint64_t desc = name + ((namesz + align - 1) & ~(align - 1));
		if (desc > size || size - desc < descsz)
			break;
		if (namesz == owner_size && memcmp(notes + name, owner, namesz) == 0 &&
		    u32(notes + at + 8) == type) {
			n->type = type;
			n->desc = notes + desc;
			n->descsz = (uint32_t)descsz;
			n->desc_offset = desc;
			return 0;
		}
		at = desc + ((descsz + align - 1) & ~(align - 1));
	}
	return -ENOENT;
}
