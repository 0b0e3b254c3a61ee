// SPDX-License-Identifier: MIT
/*
 * map_over_loader: map, protect, remap and unmap over the loader's own
 * image (its mappings in /proc/self/maps name the loader's file; natively
 * there are none). Every call must fail cleanly with the errno
 * hooks/memory.c documents, and the program keeps running.
 * Usage: map_over_loader [NAME [under]]: with "under", finding no mapping
 * named NAME is a failure too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static int bad;

static void expect(const char *what, long r, int err)
{
	int ok = r == -1 && errno == err;
	printf("  %s: %s\n", what, ok ? "refused" : r == -1 ? strerror(errno) : "NOT REFUSED");
	bad |= !ok;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "libos-loader";
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		const char *slash = strrchr(line, '/');
		if (!slash || strncmp(slash + 1, name, strlen(name)) ||
		    slash[1 + strlen(name)] != '\n' || sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		void *a = (void *)lo;
		size_t len = hi - lo;
		found++;
		printf("loader mapping %d\n", found);
		expect("mmap MAP_FIXED",
		       (long)mmap(a, 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		       ENOMEM);
		expect("mmap MAP_FIXED_NOREPLACE",
		       (long)mmap(a, 4096, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		       EEXIST);
		expect("mprotect", mprotect(a, len, PROT_READ | PROT_WRITE), ENOMEM);
		expect("mremap", (long)mremap(a, len, len * 2, MREMAP_MAYMOVE), EFAULT);
		void *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		expect("mremap MREMAP_FIXED onto it",
		       (long)mremap(m, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, a), ENOMEM);
		expect("munmap", munmap(a, len), EINVAL);
		expect("munmap across it", munmap((char *)a - 4096, len + 8192), EINVAL);
	}
	fclose(f);
	printf("%d loader mappings, still running (pid %s)\n", found, getpid() > 0 ? "ok" : "?");
	/* Under the loader (argv[2] given) its image must have been seen. */
	return bad || (argc > 2 && found == 0);
}
