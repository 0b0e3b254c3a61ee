// SPDX-License-Identifier: MIT
/*
 * /proc/PID/exe names the file the kernel executed: the loader. ps, pidof,
 * lsof, systemd, container tools and gdb -p read it from outside, where no
 * hook can answer. PR_SET_MM_MAP's exe_fd makes it the program's file, for
 * a process with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN (root, and a
 * container's root). The kernel then answers every way of reaching it
 * (readlink, open with any flags, stat, a path built at run time, another
 * process), exactly as natively, and hooks/procfs.c stands aside.
 *
 * The kernel refuses (EBUSY) while any mapping still has the old file:
 * the loader's own image. So each of its file mappings is first replaced
 * by an anonymous copy of the same bytes at the same address (an mremap
 * over it: the code that runs is never absent, not even for the mremap
 * itself), the exe is switched, and the read-only data (1.3 MiB, most of
 * the image) is mapped from the loader's file again, so that it stays
 * shared page cache, as before; the text (which a debugger may have
 * written breakpoints into) and the data segment (written by the
 * relocation anyway) stay anonymous. Without the capability the kernel
 * says EPERM before it changes anything: one prctl, and hooks/procfs.c
 * takes over.
 */
#include <errno.h>
#include <libc.h>
#include <linux/elf.h>
#include <page.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "exe_link.h"
#include "identity.h"
#include "program.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2
#endif

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

/* The switch with the program's file, open only for the call. */
static int switch_exe(struct prctl_mm_map *map, struct ldr_program *prog)
{
	int fd = ldr_program_file(prog, &prog->exe);

	if (fd < 0)
		return fd;
	map->exe_fd = (uint32_t)fd;
	long r = sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (long)map, sizeof(*map), 0);
	ldr_program_file_done(prog, &prog->exe);
	return (int)r;
}

/* Put an anonymous copy of [lo, hi) in its place, with prot. */
static int copy_in_place(uintptr_t lo, uintptr_t hi, int prot)
{
	size_t size = hi - lo;
	long copy =
		sys_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_is_err(copy))
		return (int)copy;
	memcpy((void *)copy, (const void *)lo, size);
	long r = sys_mprotect((void *)copy, size, prot);
	if (r == 0)
		r = sys_mremap((void *)copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo);
	if (sys_is_err(r)) {
		sys_munmap((void *)copy, size);
		return (int)r;
	}
	return 0;
}

/* Every file mapping of the loader's image made anonymous. 0 or -errno
 * (then some may be, which changes nothing the loader needs). */
static int image_anonymous(void)
{
	uintptr_t lo, hi;

	arch_self_range(&lo, &hi);
	for (uintptr_t at = lo; at < hi;) {
		struct libc_mapping m;
		char path[2];
		int r = libc_mapping_at(at, &m, path, sizeof(path));
		if (r == -ENOENT) { /* a hole between segments */
			at += PAGE_SIZE;
			continue;
		}
		if (r < 0)
			return r;
		uintptr_t end = m.hi < hi ? m.hi : hi;
		int prot = (m.readable ? PROT_READ : 0) | (m.writable ? PROT_WRITE : 0) |
			   (m.executable ? PROT_EXEC : 0);
		if (path[0] && (r = copy_in_place(at, end, prot)) < 0)
			return r;
		at = end;
	}
	return 0;
}

/* The pages [*lo, *hi) less those a writable segment owns (the kernel
 * mapped that one last, over a page the two may share). */
static void less_writable(const Elf64_Phdr *ph, int n, uintptr_t base, uintptr_t *lo, uintptr_t *hi)
{
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W))
			continue;
		uintptr_t wlo = PAGE_DOWN(base + ph[i].p_vaddr);
		uintptr_t whi = PAGE_UP(base + ph[i].p_vaddr + ph[i].p_memsz);
		if (wlo >= *lo && wlo < *hi)
			*hi = wlo;
		if (whi > *lo && whi <= *hi)
			*lo = whi;
	}
}

/* Map the read-only data segments from the loader's file again, as the
 * kernel had: their bytes never changed. Not the text: a debugger that
 * started the loader may have written breakpoints into it, which the copy
 * keeps (192 KiB of private memory). Best effort: a copy that stays is
 * only private memory. */
static void share_read_only(int fd)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uintptr_t base = (uintptr_t)eh;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || (ph[i].p_flags & (PF_W | PF_X)) ||
		    ph[i].p_filesz == 0)
			continue;
		uintptr_t seg = PAGE_DOWN(base + ph[i].p_vaddr), lo = seg;
		uintptr_t hi = PAGE_UP(base + ph[i].p_vaddr + ph[i].p_filesz);
		less_writable(ph, eh->e_phnum, base, &lo, &hi);
		if (lo >= hi)
			continue;
		int prot = ((ph[i].p_flags & PF_R) ? PROT_READ : 0) |
			   ((ph[i].p_flags & PF_X) ? PROT_EXEC : 0);
		sys_mmap((void *)lo, hi - lo, prot, MAP_PRIVATE | MAP_FIXED, fd,
			 (long)(PAGE_DOWN(ph[i].p_offset) + (lo - seg)));
	}
}

/* The loader's own file again, after the switch (when /proc/self/exe
 * names the program's): by the path it had, if that is still the file
 * (self). */
static int open_self(const char *path, const struct stat *self)
{
	struct stat st;
	long fd = sys_open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return (int)fd;
	if (sys_fstat((int)fd, &st) < 0 || st.st_dev != self->st_dev || st.st_ino != self->st_ino) {
		sys_close((int)fd);
		return -ESTALE;
	}
	return (int)fd;
}

int ldr_exe_link_set(struct ldr_program *prog, const char *loader_path)
{
	struct prctl_mm_map map;
	int r = ldr_identity_mm_map(&map);

	if (r < 0)
		return r;
	r = switch_exe(&map, prog);
	if (r != -EBUSY)
		return r;
	/* The capability is there: only the loader's mappings are in the way.
	 * Each step holds one descriptor at most (the program may have only
	 * one free), so the loader's file is not held across the switch but
	 * found again by its path and identity. */
	struct stat self;
	int known = loader_path && sys_stat("/proc/self/exe", &self) == 0;
	r = image_anonymous();
	if (r == 0)
		r = switch_exe(&map, prog);
	/* Even if the switch failed (EBUSY again under a loader whose own
	 * text maps the same file): the copies are only private memory. */
	if (known) {
		int fd = open_self(loader_path, &self);
		if (fd >= 0) {
			share_read_only(fd);
			sys_close(fd);
		}
	}
	return r;
}
