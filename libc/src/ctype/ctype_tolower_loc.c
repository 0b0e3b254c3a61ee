// SPDX-License-Identifier: MIT
/*
 * __ctype_tolower_loc: glibc's tolower() table, which Capstone's prebuilt
 * objects reach for through glibc's <ctype.h> macros. The table is indexed
 * from -128 to 255, "C" locale.
 */
#include <stdint.h>

static int32_t table[384];
static const int32_t *table_ptr;

const int32_t **__ctype_tolower_loc(void);

const int32_t **__ctype_tolower_loc(void)
{
	if (!table_ptr) {
		for (int c = -128; c < 256; c++)
			table[c + 128] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
		table_ptr = table + 128;
	}
	return &table_ptr;
}
