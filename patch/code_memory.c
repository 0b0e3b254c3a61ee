// SPDX-License-Identifier: MIT
/*
 * Memory for patching code: the room held below each image the loader
 * maps (for that object's stubs), stub arenas within a rel32 jump of the
 * code, and writes into code that may be running (through /proc/self/mem,
 * which never makes live code non-executable). Every arena is in the
 * loader's list of its own ranges as stubs (own_ranges.h): the program
 * cannot map over it while code jumps there (hooks/memory.c).
 * An arena whose code went is retired (retired.c), never unmapped while
 * a thread may be inside it.
 */
#include <errno.h>
#include <own_ranges.h>
#include <sys.h>

#include "code_memory.h"
#include "elf.h"
#include "patch.h"

/* Space the loader reserved right below the images it mapped itself
 * (the program, ld.so), for their stubs: its own memory would otherwise be
 * placed there first. */
static struct {
	uintptr_t lo, hi;
} reserved[4];

void patch_note_reserved(uintptr_t lo, uintptr_t base)
{
	if (lo >= base)
		return;
	for (int i = 0; i < 4; i++) {
		if (!reserved[i].hi) {
			reserved[i].lo = lo;
			reserved[i].hi = base;
			return;
		}
	}
	sys_munmap((void *)lo, base - lo);
}

/* Give back the reservation right below base, if there is one. */
void patch_release_below(uintptr_t base)
{
	for (int i = 0; i < 4; i++) {
		if (reserved[i].hi == base) {
			sys_munmap((void *)reserved[i].lo, reserved[i].hi - reserved[i].lo);
			reserved[i].lo = reserved[i].hi = 0;
		}
	}
}

void patch_reserved_unmapped(uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < 4; i++) {
		uintptr_t a = reserved[i].lo, b = reserved[i].hi;
		if (!b || hi <= a || b <= lo)
			continue;
		/* The program took some of it: give back what is still ours,
		 * and never unmap the rest later (it may be the program's). */
		if (a < lo)
			sys_munmap((void *)a, lo - a);
		if (hi < b)
			sys_munmap((void *)hi, b - hi);
		reserved[i].lo = reserved[i].hi = 0;
	}
}

/* Anonymous memory for the stubs: right below the object when free, else
 * at a place of the loader's choosing within reach, and where the kernel
 * finds room only when none is free. The kernel fills the highest gap
 * first, often a hole the program has just made (code moved away by
 * mremap) to fill again itself with MREMAP_FIXED or MAP_FIXED, which
 * stubs in use would refuse (hooks/memory.c): 1 run in ~50 of
 * faults/net-mremap-away-and-back met it. Places 64 MiB apart from the
 * code are rarely a hole of the program's. */
uintptr_t patch_arena_near(uintptr_t lo, uintptr_t hi, size_t size)
{
	static const long hints[] = {0,          -(64L << 20),  64L << 20,  -(128L << 20),
				     128L << 20, -(256L << 20), 256L << 20, -(512L << 20),
				     512L << 20};
	const unsigned n = sizeof(hints) / sizeof(hints[0]);

	size = PAGE_UP(size);
	patch_release_below(lo);
	for (unsigned k = 0; k <= n; k++) {
		/* k == n: the kernel's choice near the object. */
		uintptr_t want = PAGE_DOWN(lo) - size + (k < n ? (uintptr_t)hints[k] : 0);
		long r = sys_mmap((void *)want, size, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | (k < n ? MAP_FIXED_NOREPLACE : 0),
				  -1, 0);
		if (sys_is_err(r))
			continue;
		uintptr_t a = (uintptr_t)r;
		uintptr_t far = a < lo ? hi - a : a + size - lo;
		if (far < (1UL << 30)) {
			libc_own_add(a, a + size, LIBC_OWN_STUBS);
			return a;
		}
		sys_munmap((void *)r, size);
	}
	return 0;
}

void patch_arena_free(uintptr_t a, size_t size)
{
	libc_own_remove(a, a + PAGE_UP(size));
	sys_munmap((void *)a, PAGE_UP(size));
}

int patch_arena_seal(uintptr_t arena, size_t size)
{
	long r = sys_mprotect((void *)arena, size, PROT_READ | PROT_EXEC);

	if (r < 0)
		patch_arena_free(arena, size);
	return (int)r;
}

/* Write len bytes at addr in live code: through /proc/self/mem. */
int patch_write_live(uintptr_t addr, const uint8_t *bytes, size_t len)
{
	long fd = sys_open("/proc/self/mem", O_RDWR), r;

	if (fd < 0)
		return (int)fd;
	r = sys_pwrite((int)fd, bytes, len, (long)addr);
	sys_close((int)fd);
	return r == (long)len ? 0 : -EIO;
}
