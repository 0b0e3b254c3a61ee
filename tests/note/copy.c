// SPDX-License-Identifier: MIT
/*
 * copy SRC DST: a file copier on the LibOS-ready libc. Copies in small
 * chunks (many read/write pairs), then reads the copy back and prints its
 * size and an FNV-1a hash, so that native and loaded runs can be compared.
 */
#include <stdio.h>
#include <sys.h>

int main(int argc, char **argv)
{
	char buf[512];
	long src, dst, n, total = 0;
	uint64_t hash = 0xcbf29ce484222325ULL;

	if (argc != 3) {
		dprintf(2, "usage: copy SRC DST\n");
		return 2;
	}
	src = sys_open(argv[1], O_RDONLY);
	dst = sys_openat(AT_FDCWD, argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (src < 0 || dst < 0) {
		dprintf(2, "copy: cannot open %s\n", src < 0 ? argv[1] : argv[2]);
		return 1;
	}
	while ((n = sys_read((int)src, buf, sizeof(buf))) > 0)
		if (sys_write((int)dst, buf, (size_t)n) != n)
			return 1;
	sys_close((int)src);
	sys_close((int)dst);
	dst = sys_open(argv[2], O_RDONLY);
	while (dst >= 0 && (n = sys_read((int)dst, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++)
			hash = (hash ^ (uint8_t)buf[i]) * 0x100000001b3ULL;
		total += n;
	}
	sys_close((int)dst);
	dprintf(1, "copied %ld bytes, fnv1a %016lx\n", total, (unsigned long)hash);
	return 0;
}
