// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the ELF header and program header checks
 * (elf/elf_check.c): whatever the bytes, the checks answer without
 * reading past the file, and a layout they accept is consistent.
 */
#include <stdint.h>
#include <stdlib.h>

#include "elf.h"
#include "fuzz_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct elf_layout layout;
	uint8_t *image;

	if (size < sizeof(Elf64_Ehdr))
		return 0;
	image = fuzz_image(data, size);
	if (!image)
		return 0;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(void *)image;
	if (elf_check_header(eh, size, &why) == 0 && eh->e_phoff % 8 == 0) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(void *)(image + eh->e_phoff);
		if (elf_check_phdrs(eh, ph, size, &layout, &why) == 0 && layout.hi < layout.lo)
			abort();
	}
	free(image);
	return 0;
}
