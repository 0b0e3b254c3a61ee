// SPDX-License-Identifier: MIT
/*
 * The loader's one line on stderr: "libos-loader: " and the message,
 * with every control byte written as \xNN, so that a file name carrying
 * escape sequences or newlines can neither drive the terminal nor forge
 * a second line. Every layer says its one line through this, in one
 * write.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

void libc_say(const char *fmt, ...)
{
	char text[3 * 4096 + 256]; /* a program and an interpreter path, and words */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	size_t size = 4 * strlen(text) + 1, n = 0;
	char *line = malloc(size);
	for (unsigned char *c = (unsigned char *)text; *c; c++) {
		if (*c >= 0x20 && *c != 0x7f)
			continue;
		if (!line)
			*c = '?'; /* no memory for \xNN: still no control byte */
	}
	if (!line) {
		dprintf(2, "libos-loader: %s\n", text);
		return;
	}
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			n += (size_t)snprintf(line + n, size - n, "\\x%02x", *c);
		else
			line[n++] = (char)*c;
	}
	line[n] = '\0';
	dprintf(2, "libos-loader: %s\n", line);
	free(line);
}
