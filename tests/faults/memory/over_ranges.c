// SPDX-License-Identifier: MIT
/*
 * over_ranges: map, protect, advise, remap, attach and unmap over every
 * range the loader holds, and over three found without its help: this
 * thread's TCB (the %gs base, read with rdgsbase), the stub arena of a
 * syscall site of this program (the target of the jmp the site became)
 * and the loader's heap (its allocator's region_next). Every call must
 * fail with the errno hooks/memory.c documents, and the program keeps
 * running. The list of the loader's ranges is read from its memory
 * (own_list in libc/src/mman/own_ranges.c, found through the loader
 * file's symbol table). A stub arena whose code goes in the same call is
 * the program's: a file mapped executable, patched, then unmapped with its
 * arena, succeeds, where unmapping the arena alone is refused.
 * Natively there is no loader: nothing to try, status 0.
 * Usage: over_ranges [under [LIB]]: with "under", a loader must be found;
 * LIB is a shared object with a syscall site that nothing else maps.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define PAGE 4096UL

struct own_range {
	uintptr_t lo, hi;
	int kind;
};
struct own_block {
	size_t cap;
	struct own_range v[];
};

static int bad, shm_id = -1;

/* The syscall site whose stub this program finds: the loader rewrites
 * it to a jmp (its window starts at the mov). */
long site_getpid(void);
__asm__(".text\n.globl site_getpid\nsite_getpid:\n\tmov $39, %eax\n\tsyscall\n\tret\n");

static void check(const char *what, uintptr_t at, long r, int err)
{
	int ok = r == -1 && errno == err;
	if (!ok)
		printf("  %#lx %s: %s\n", (unsigned long)at, what,
		       r == -1 ? strerror(errno) : "NOT REFUSED");
	bad |= !ok;
}

/* The protection of the mapping at addr, for an mprotect that would
 * change nothing if it ran. */
static int prot_at(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096], p[5] = "---";
	unsigned long lo, hi;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && addr >= lo && addr < hi)
			break;
	if (f)
		fclose(f);
	return (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
	       (p[2] == 'x' ? PROT_EXEC : 0);
}

/* Every call over the page at a. The harmless ones first (each changes
 * nothing if it runs); the ones that would break the loader only once
 * those were refused. */
static void over(uintptr_t a)
{
	int before = bad;

	a &= ~(PAGE - 1);
	check("mmap MAP_FIXED_NOREPLACE", a,
	      (long)mmap((void *)a, PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
	      EEXIST);
	check("mprotect", a, mprotect((void *)a, PAGE, prot_at(a)), ENOMEM);
	check("madvise", a, madvise((void *)a, PAGE, MADV_NORMAL), ENOMEM);
	check("mremap", a, (long)mremap((void *)a, PAGE, PAGE, 0), EFAULT);
	if (bad != before) {
		printf("  %#lx: not guarded, the rest not tried\n", (unsigned long)a);
		return;
	}
	check("mmap MAP_FIXED", a,
	      (long)mmap((void *)a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0),
	      ENOMEM);
	check("munmap", a, munmap((void *)a, PAGE), EINVAL);
	check("munmap across", a, munmap((void *)(a - PAGE), 3 * PAGE), EINVAL);
	check("madvise MADV_DONTNEED", a, madvise((void *)a, PAGE, MADV_DONTNEED), ENOMEM);
	check("shmat SHM_REMAP", a, (long)shmat(shm_id, (void *)a, SHM_REMAP), EINVAL);
	void *m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mremap MREMAP_FIXED onto it", a,
	      (long)mremap(m, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)a), ENOMEM);
	munmap(m, PAGE);
}

/* The loader's file and where it is mapped, from /proc/self/maps. */
static int find_loader(char *path, size_t size, uintptr_t *base)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		unsigned long lo, off;
		char *slash = strchr(line, '/'), *nl = strchr(line, '\n');
		if (!slash || sscanf(line, "%lx-%*x %*s %lx", &lo, &off) != 2 || off)
			continue;
		if (nl)
			*nl = 0;
		const char *name = strrchr(slash, '/') + 1;
		if (strcmp(name, "libos-loader") == 0) {
			snprintf(path, size, "%s", slash);
			*base = lo;
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

/* The value of the local symbol name in the file at path, or 0. */
static uintptr_t symbol(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uintptr_t v = 0;

	if (fd < 0 || fstat(fd, &st))
		return 0;
	const unsigned char *f = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		return 0;
	const Elf64_Ehdr *eh = (const void *)f;
	const Elf64_Shdr *sh = (const void *)(f + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum && !v; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const void *)(f + sh[i].sh_offset);
		const char *str = (const char *)f + sh[sh[i].sh_link].sh_offset;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (strcmp(str + sym[k].st_name, name) == 0)
				v = sym[k].st_value;
	}
	munmap((void *)f, st.st_size);
	return v;
}

static const struct own_range *held(const struct own_block *b, size_t n, uintptr_t a)
{
	for (size_t i = 0; b && i < n; i++)
		if (a >= b->v[i].lo && a < b->v[i].hi)
			return &b->v[i];
	return NULL;
}

/* This thread's TCB (%gs:0 is its address, struct arch_tcb's self) and
 * its LibOS stack (%gs:24, stack_hi, the top of its slice 0). */
static void tcb_checks(const struct own_block *b, size_t count)
{
	uintptr_t self, stack_hi;

	__asm__ volatile("mov %%gs:0, %0; mov %%gs:24, %1" : "=r"(self), "=r"(stack_hi));
	printf("TCB: %s\n", held(b, count, self) ? "listed" : "NOT LISTED");
	printf("LibOS stack: %s\n", held(b, count, stack_hi - 1) ? "listed" : "NOT LISTED");
	bad |= !held(b, count, self) || !held(b, count, stack_hi - 1);
	over(self);
	over(stack_hi - 1);
}

struct tcb_args {
	struct own_block *const *list_at;
	const size_t *count_at;
};

/* A second thread's, made by clone: the list is read again. */
static void *thread_checks(void *arg)
{
	struct tcb_args *a = arg;
	tcb_checks(*a->list_at, *a->count_at);
	return NULL;
}

/* A file mapped executable is patched, its arena below it: unmapping the
 * arena alone is refused, unmapping both is the program's right. */
static void arena_goes_with_code(const struct own_block *b, const size_t *n, const char *lib)
{
	int fd = open(lib, O_RDONLY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return;
	/* As ld.so maps it: the whole file, then its code in place. */
	size_t len = (st.st_size + PAGE - 1) & ~(PAGE - 1);
	char *code = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	const Elf64_Ehdr *eh = (const void *)code;
	const Elf64_Phdr *ph = (const void *)(code + eh->e_phoff);
	for (int i = 0; code != MAP_FAILED && i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		uintptr_t at = ph[i].p_vaddr & ~(PAGE - 1);
		mmap(code + at, ph[i].p_vaddr + ph[i].p_filesz - at, PROT_READ | PROT_EXEC,
		     MAP_PRIVATE | MAP_FIXED, fd, (long)(ph[i].p_offset & ~(PAGE - 1)));
	}
	close(fd);
	/* Its arena: where the jmp its site became leads. */
	const unsigned char *site = (const unsigned char *)code + symbol(lib, "site_lib_getpid");
	const struct own_range *arena = NULL;
	if (site[0] == 0xe9)
		arena = held(b, *n, (uintptr_t)site + 5 + *(const int32_t *)(site + 1));
	if (!arena || arena->kind != 2) {
		printf("no stub arena for a file mapped executable\n");
		bad = 1;
		return;
	}
	uintptr_t lo = arena->lo, hi = arena->hi;
	check("munmap of an arena its code needs", lo, munmap((void *)lo, hi - lo), EINVAL);
	uintptr_t from = lo < (uintptr_t)code ? lo : (uintptr_t)code;
	uintptr_t to = hi > (uintptr_t)code + len ? hi : (uintptr_t)code + len;
	/* Only when nothing else of the loader's lies between them (the
	 * arena may be 64 MiB away, past its heap): else the code alone, and
	 * the arena must go with it. */
	int between = 0;
	for (size_t i = 0; i < *n; i++)
		between |= b->v[i].lo < to && from < b->v[i].hi && b->v[i].lo != lo;
	long r = between ? munmap(code, len) : munmap((void *)from, to - from);
	int gone = r == 0 && !held(b, *n, lo);
	printf("munmap of code with its arena: %s\n", r      ? strerror(errno)
						      : gone ? "done, arena gone"
							     : "ARENA KEPT");
	bad |= !gone;
}

int main(int argc, char **argv)
{
	char path[4096];
	uintptr_t base = 0;

	shm_id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
	if (shm_id >= 0)
		shmctl(shm_id, IPC_RMID, NULL); /* gone once detached */
	if (!find_loader(path, sizeof(path), &base)) {
		printf("no loader\n");
		return argc > 1 && strcmp(argv[1], "under") == 0;
	}
	uintptr_t list_at = symbol(path, "own_list"), count_at = symbol(path, "own_count");
	uintptr_t region_at = symbol(path, "region_next");
	const struct own_block *b = list_at ? *(struct own_block **)(base + list_at) : NULL;
	const size_t *n = count_at ? (const size_t *)(base + count_at) : NULL;
	size_t count = n ? *n : 0;
	struct own_range copy[4096];
	if (count > 4096)
		count = 4096;
	if (b)
		memcpy(copy, b->v, count * sizeof(copy[0]));
	printf("the loader holds %zu ranges\n", count);
	for (size_t i = 0; i < count; i++)
		over(copy[i].lo);
	for (size_t i = 0; i < count; i++)
		if (copy[i].hi - copy[i].lo > PAGE)
			over(copy[i].hi - PAGE);

	/* Found without the list. */
	tcb_checks(b, count);
	pthread_t th;
	struct tcb_args ta = {(struct own_block *const *)(base + list_at), n};
	if (b && n && pthread_create(&th, NULL, thread_checks, &ta) == 0)
		pthread_join(th, NULL);
	const unsigned char *site = (const unsigned char *)site_getpid;
	if (site[0] == 0xe9) {
		uintptr_t stub = (uintptr_t)site + 5 + *(const int32_t *)(site + 1);
		const struct own_range *r = held(b, count, stub);
		printf("stub arena: %s\n", r && r->kind == 2 ? "listed" : "NOT LISTED");
		bad |= !r || r->kind != 2;
		over(stub);
	}
	if (region_at && *(uintptr_t *)(base + region_at)) {
		uintptr_t heap = *(uintptr_t *)(base + region_at) - 1;
		printf("heap: %s\n", held(b, count, heap) ? "listed" : "NOT LISTED");
		bad |= !held(b, count, heap);
		over(heap);
	}
	/* Only where sites are rewritten (not --sud-only) are there arenas. */
	if (argc > 2 && site[0] == 0xe9)
		arena_goes_with_code(b, n, argv[2]);
	printf("%s, pid %d still running\n", bad ? "FAILED" : "all refused", getpid() > 0);
	return bad;
}
