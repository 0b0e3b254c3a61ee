// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the external module loader's checks
 * (hooks/module_image.c): the bytes are a module file, laid out in memory
 * as elf_map would map its PT_LOADs, with everything between and around
 * them poisoned for ASan, so that any read or write the linker makes
 * outside the module's segments is a report. A module it accepts has
 * its libos_module, every hook and its name where the loader will use
 * them.
 */
#include <linux/elf.h>
#include <sanitizer/asan_interface.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "module_image.h"

#define SPAN_MAX (1u << 20)

static int in_segment(const struct hook_module_image *im, uintptr_t p, size_t len, uint32_t flags)
{
	for (int i = 0; i < im->seg_count; i++)
		if ((im->seg[i].flags & flags) == flags && p >= im->seg[i].lo &&
		    p + len <= im->seg[i].hi)
			return 1;
	return 0;
}

static void check_accepted(const struct hook_module_image *im, const struct libos_module *m)
{
	if (!in_segment(im, (uintptr_t)m, offsetof(struct libos_module, name) + sizeof(void *),
			PF_R))
		abort();
	if (m->version != LIBOS_CONTRACT_VERSION)
		return; /* hook_module_select refuses it, reading no further */
	const uintptr_t hooks[] = {
		(uintptr_t)m->init,          (uintptr_t)m->syscall,     (uintptr_t)m->map_library,
		(uintptr_t)m->unmap_library, (uintptr_t)m->heap_size,   (uintptr_t)m->rdtsc,
		(uintptr_t)m->thread_start,  (uintptr_t)m->thread_exit, (uintptr_t)m->fini,
	};
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (hooks[i] && !in_segment(im, hooks[i], 1, PF_X))
			abort();
	if (m->name && !in_segment(im, (uintptr_t)m->name, strlen(m->name) + 1, PF_R))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	Elf64_Phdr ph[32];
	uint64_t lo = UINT64_MAX, hi = 0;

	if (size < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum > 32 ||
	    eh->e_phoff > size || (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return 0;
	memcpy(ph, data + eh->e_phoff, eh->e_phnum * sizeof(Elf64_Phdr));
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > size ||
		    size - ph[i].p_offset < ph[i].p_filesz || ph[i].p_vaddr > SPAN_MAX ||
		    ph[i].p_memsz > SPAN_MAX)
			return 0; /* elf_check refuses these before the linker sees them */
		lo = ph[i].p_vaddr < lo ? ph[i].p_vaddr : lo;
		hi = ph[i].p_vaddr + ph[i].p_memsz > hi ? ph[i].p_vaddr + ph[i].p_memsz : hi;
	}
	if (lo >= hi || hi - lo > SPAN_MAX)
		return 0;
	lo &= ~(uint64_t)4095;
	size_t span = (size_t)(hi - lo + 4095) & ~(size_t)4095;
	uint8_t *image = aligned_alloc(4096, span);
	if (!image)
		return 0;
	memset(image, 0, span);
	ASAN_POISON_MEMORY_REGION(image, span);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uint8_t *at = image + (ph[i].p_vaddr - lo);
		ASAN_UNPOISON_MEMORY_REGION(at, ph[i].p_memsz);
	}
	for (int i = 0; i < eh->e_phnum; i++) /* later segments' bytes win, as mmap's */
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			memcpy(image + (ph[i].p_vaddr - lo), data + ph[i].p_offset, ph[i].p_filesz);

	struct hook_module_image im;
	const struct libos_module *m;
	const char *why = NULL;
	uintptr_t bias = (uintptr_t)image - lo;
	if (hook_module_image_segments(&im, bias, ph, eh->e_phnum, &why) == 0 &&
	    hook_module_image_link(&im, ph, eh->e_phnum, &m, &why) == 0)
		check_accepted(&im, m);
	else if (!why)
		abort(); /* every refusal says why */
	ASAN_UNPOISON_MEMORY_REGION(image, span);
	free(image);
	return 0;
}
