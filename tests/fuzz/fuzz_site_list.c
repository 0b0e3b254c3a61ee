// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the LibOS note and the site list (elf/note.c,
 * elf/site_list.c): a damaged note or section is refused (a warning)
 * or read, never followed outside the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "elf_view.h"
#include "fuzz_view.h"
#include "site_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	struct elf_view v;
	struct elf_site_list l;
	void *image = fuzz_image(data, size);

	if (!image)
		return 0;
	if (elf_view_open_memory(&v, image, size, &why) == 0) {
		if (elf_site_list_read(&v, "fuzz", &l) == 0)
			elf_site_list_free(&l);
		elf_view_close(&v);
	}
	free(image);
	return 0;
}
