/* SPDX-License-Identifier: MIT */
/*
 * Reading an object's LibOS site list from its file (docs/contract.md):
 * the LibOS note (owner "LibOS", type 1) and the list it points at, or the
 * proposal's earlier layout (a `.syscall_instructions` section of 8-byte
 * addresses and 1-byte window lengths). Only the shape is checked here:
 * whether each entry really is a syscall is for noted.c to decide.
 */
#ifndef ELF_SITE_LIST_H
#define ELF_SITE_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "elf_view.h"

/* A list larger than this is refused whole (no real object comes near). */
#define ELF_SITE_LIST_MAX (1u << 20)

enum elf_site_list_layout {
	ELF_SITE_LIST_NONE,    /* no list: the object is not noted */
	ELF_SITE_LIST_NOTE,    /* the LibOS note of include/libos/note.h */
	ELF_SITE_LIST_EARLIER, /* the proposal's .syscall_instructions */
};

struct elf_listed {
	uint64_t entry;   /* the entry's link-time address (messages) */
	uint64_t site;    /* the syscall it names (link time) */
	unsigned padding; /* nop bytes after it */
};

struct elf_site_list {
	enum elf_site_list_layout layout;
	uint32_t flags; /* the note's (LIBOS_NOTE_*); COMPLETE for the earlier layout */
	struct elf_listed *v;
	size_t count;
};

/* Read v's list into out. A note or section that cannot be used is
 * reported on stderr (one line, naming the object name) and ignored, as if
 * the object had none. Returns 0, or -ENOMEM. */
int elf_site_list_read(const struct elf_view *v, const char *name, struct elf_site_list *out);
void elf_site_list_free(struct elf_site_list *l);

/* "libos-loader: NAME: ..." on stderr, one line (control characters
 * shown as '?'). */
void elf_site_list_warn(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
