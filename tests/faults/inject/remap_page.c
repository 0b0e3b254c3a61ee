// SPDX-License-Identifier: MIT
/*
 * Map one page of a loaded library's code again from its file, with
 * MAP_FIXED, while the rest of its code stays mapped (as a program that
 * reloads part of its code does), then call the functions of every page.
 * Each answer must be getppid()'s. usage: remap_page LIB (pagedlib.c)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*raw_fn)(void);

int main(int argc, char **argv)
{
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
	raw_fn f[3];
	Dl_info info;

	if (!h)
		return 2;
	for (int i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof(name), "raw_page%d", i);
		f[i] = (raw_fn)dlsym(h, name);
		if (!f[i])
			return 2;
		printf("page %d before: %s\n", i, f[i]() == getppid() ? "ok" : "wrong");
	}
	/* The page of raw_page1, at its file offset (base-relative, as the
	 * file's first segment maps offset 0 at the base). */
	if (!dladdr((void *)f[1], &info))
		return 2;
	uintptr_t page = (uintptr_t)f[1] & ~4095UL;
	off_t off = (off_t)(page - (uintptr_t)info.dli_fbase);
	int fd = open(argv[1], O_RDONLY);
	void *p = mmap((void *)page, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, off);
	close(fd);
	printf("remapped: %s\n", p == (void *)page ? "yes" : "no");
	for (int i = 0; i < 3; i++)
		printf("page %d after: %s\n", i, f[i]() == getppid() ? "ok" : "wrong");
	return 0;
}
