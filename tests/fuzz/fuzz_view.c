// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the analysis view (elf/elf_view.c): every lookup
 * a reader makes (segments by address, sections, program headers) stays
 * inside the file, whatever the headers claim. The bytes returned are
 * read, so that ASan sees any that lie outside.
 */
#include <stdint.h>
#include <stdlib.h>

#include "elf_view.h"
#include "fuzz_view.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, uint64_t len)
{
	if (p && len) {
		sink ^= p[0];
		sink ^= p[len - 1];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct elf_view v;
	void *image = fuzz_image(data, size);

	if (!image)
		return 0;
	if (elf_view_open_memory(&v, image, size, &why) == 0) {
		for (int i = 0; i < v.eh->e_phnum; i++) {
			const Elf64_Phdr *p = &v.ph[i];
			uint64_t len = p->p_filesz > 4096 ? 4096 : p->p_filesz;
			touch(elf_view_at(&v, p->p_vaddr, len), len);
			touch(elf_view_at(&v, p->p_vaddr + p->p_filesz - 1, 1), 1);
		}
		for (int i = 0; i < v.shnum; i++) {
			uint64_t len = 0;
			touch(elf_view_section(&v, i, &len), len);
			len = v.sh[i].sh_size > 4096 ? 4096 : v.sh[i].sh_size;
			touch(elf_view_at(&v, v.sh[i].sh_addr, len), len);
		}
		elf_view_phdr(&v, PT_DYNAMIC);
		elf_view_close(&v);
	}
	free(image);
	return 0;
}
