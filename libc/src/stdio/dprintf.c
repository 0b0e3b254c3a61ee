// SPDX-License-Identifier: MIT
/*
 * vdprintf and dprintf: format and write to a descriptor in one write(2),
 * so that a message is one line even when other processes share stderr.
 * Output longer than 4 KiB goes through a heap buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <sys.h>

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char small[4096], *buf = small;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (buf)
			vsnprintf(buf, (size_t)n + 1, fmt, ap2);
		else
			buf = small, n = sizeof(small) - 1;
	}
	va_end(ap2);
	for (int done = 0; n > 0 && done < n;) {
		long w = sys_write(fd, buf + done, (size_t)(n - done));
		if (w == -EINTR)
			continue;
		if (w <= 0)
			break;
		done += (int)w;
	}
	if (buf != small)
		free(buf);
	return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}
