// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for symbol tables and the code index (elf/symbols.c,
 * elf/code_index.c): loading .symtab/.dynsym, function bounds around
 * every code address and their printable names stay inside the file,
 * and bounds always hold the address asked for.
 */
#include <stdint.h>
#include <stdlib.h>

#include "code_index.h"
#include "elf_view.h"
#include "fuzz_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct elf_view v;
	struct elf_code_index ix;
	char name[128];
	void *image = fuzz_image(data, size);

	if (!image)
		return 0;
	if (elf_view_open_memory(&v, image, size, &why) == 0) {
		if (elf_code_index_open(&ix, &v) == 0) {
			for (size_t r = 0; r < ix.range_count; r++) {
				const struct elf_code_range *cr = &ix.ranges[r];
				uint64_t step = (cr->hi - cr->lo) / 64 + 1;
				for (uint64_t pc = cr->lo; pc < cr->hi; pc += step) {
					uint64_t lo, hi;
					elf_code_bounds(&ix, cr, pc, &lo, &hi);
					if (!(lo <= pc && pc < hi && lo >= cr->lo && hi <= cr->hi))
						abort();
					elf_code_symbolize(&ix, pc, name, sizeof(name));
				}
			}
			elf_code_index_free(&ix);
		}
		elf_view_close(&v);
	}
	free(image);
	return 0;
}
