/* SPDX-License-Identifier: MIT */
/*
 * An external LibOS module once mapped: its segments where they landed,
 * and linking it (its dynamic section, relocations and libos_module)
 * with every pointer it holds checked against those segments first. No
 * system call: module_load.c maps the file, the fuzz suite lays one out
 * in memory, and both link it the same way.
 */
#ifndef HOOKS_MODULE_IMAGE_H
#define HOOKS_MODULE_IMAGE_H

#include <linux/elf.h>
#include <stdint.h>

#include <libos/libos.h>

#define HOOK_MODULE_SEGMENTS_MAX 16

struct hook_module_segment {
	uintptr_t lo, hi; /* [bias + p_vaddr, + p_memsz) */
	uint32_t flags;   /* PF_R, PF_W, PF_X */
};

struct hook_module_image {
	uintptr_t bias; /* runtime address = bias + p_vaddr */
	struct hook_module_segment seg[HOOK_MODULE_SEGMENTS_MAX];
	int seg_count;
};

/* Record the PT_LOADs of ph[0..phnum) mapped at bias. Returns 0, or
 * -ENOEXEC with *why set when there are none or too many. */
int hook_module_image_segments(struct hook_module_image *im, uintptr_t bias, const Elf64_Phdr *ph,
			       int phnum, const char **why);

/* Link the module: find its dynamic section (ph[0..phnum)), apply its
 * relocations and find its libos_module, refusing (-ENOEXEC, *why set)
 * a table, relocation, symbol, hook or name that is not inside its own
 * segments: code for hooks, writable for what a relocation writes, a
 * NUL-terminated one-line name. Returns 0 with *m set. */
int hook_module_image_link(const struct hook_module_image *im, const Elf64_Phdr *ph, int phnum,
			   const struct libos_module **m, const char **why);

#endif
