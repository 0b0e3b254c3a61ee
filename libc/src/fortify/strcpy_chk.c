// SPDX-License-Identifier: MIT
/* __strcpy_chk: glibc's checked strcpy, for Capstone's prebuilt objects. */
#include <stdlib.h>
#include <string.h>

char *__strcpy_chk(char *dst, const char *src, size_t dst_size);

char *__strcpy_chk(char *dst, const char *src, size_t dst_size)
{
	size_t n = strlen(src) + 1;

	if (n > dst_size)
		abort();
	return memcpy(dst, src, n);
}
