/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ELF harnesses: the fuzzer's bytes as a file image. The
 * copy is 8-aligned as a mapped file is, so that the view's alignment
 * checks see what they would see on a real file.
 */
#ifndef TESTS_FUZZ_FUZZ_VIEW_H
#define TESTS_FUZZ_FUZZ_VIEW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_view.h"

static inline void *fuzz_image(const uint8_t *data, size_t size)
{
	void *copy = aligned_alloc(16, size ? (size + 15) & ~(size_t)15 : 16);

	if (copy && size)
		memcpy(copy, data, size);
	return copy;
}

#endif
