// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for .eh_frame_hdr and .eh_frame (elf/eh_frame.c):
 * opening the table and looking up addresses in and around every code
 * segment never reads outside the file, and an answer is an interval
 * that holds the address asked for.
 */
#include <stdint.h>
#include <stdlib.h>

#include "eh_frame.h"
#include "elf_view.h"
#include "fuzz_view.h"

static void look_up(const struct elf_eh_frame *t, uint64_t pc)
{
	uint64_t lo, hi, prev_end, next_start;

	if (elf_eh_frame_find(t, pc, &lo, &hi, &prev_end, &next_start) == 0 &&
	    !(lo <= pc && pc < hi))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct elf_view v;
	struct elf_eh_frame t;
	void *image = fuzz_image(data, size);

	if (!image)
		return 0;
	if (elf_view_open_memory(&v, image, size, &why) == 0) {
		if (elf_eh_frame_open(&t, &v) == 0) {
			for (int i = 0; i < v.eh->e_phnum; i++) {
				const Elf64_Phdr *p = &v.ph[i];
				if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
					continue;
				for (uint64_t off = 0; off < p->p_filesz && off < 0x10000;
				     off += 61)
					look_up(&t, p->p_vaddr + off);
				look_up(&t, p->p_vaddr - 1);
				look_up(&t, p->p_vaddr + p->p_memsz);
			}
		}
		elf_view_close(&v);
	}
	free(image);
	return 0;
}
