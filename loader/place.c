// SPDX-License-Identifier: MIT
/*
 * Where the program and its brk area go: the places binfmt_elf picks for a
 * PIE and for the brk start (mapping itself is elf/map.c's), so that the
 * program's address space is laid out as the kernel would lay it out.
 */
#include <page.h>
#include <sys.h>

#include "place.h"

/* ELF_ET_DYN_BASE on x86-64: two thirds of the 47-bit address space. */
#define ET_DYN_BASE 0x555555554000UL
/* arch_randomize_brk() moves brk by at most this much past ET_DYN_BASE. */
#define BRK_RANDOM_RANGE (1UL << 30)

uintptr_t ldr_program_base(uint64_t span, uint64_t align)
{
	uintptr_t brk = (uintptr_t)sys_brk(0);

	/* With ASLR the kernel put the brk area of a static PIE like us at
	 * ET_DYN_BASE plus a random offset: the place where it would have put
	 * the program's. The program goes right below it, so that its brk
	 * area follows its image as it would natively. */
	if (brk >= ET_DYN_BASE && brk - ET_DYN_BASE < BRK_RANDOM_RANGE && brk > span + align)
		return (brk - span) & ~(uintptr_t)(align - 1);
	/* Without randomization the kernel puts a PIE exactly here. */
	return ET_DYN_BASE & ~(uintptr_t)(align - 1);
}

/* The kernel's randomize_va_space and the process's personality: is
 * there address-space randomization for brk (level 2)? */
static int brk_randomized(void)
{
	char c = '2';
	long persona = sys_personality(0xffffffff);
	int fd = (int)sys_open("/proc/sys/kernel/randomize_va_space", O_RDONLY);

	if (fd >= 0) {
		sys_read(fd, &c, 1);
		sys_close(fd);
	}
	return c >= '2' && !(persona >= 0 && (persona & 0x0040000 /* ADDR_NO_RANDOMIZE */));
}

uintptr_t ldr_brk_start(uintptr_t bss_end, int loader_like)
{
	/* load_elf_binary (6.x): a static PIE ("a loader", mapped in the
	 * mmap area) gets its brk moved out of the way to ELF_ET_DYN_BASE,
	 * randomized or not; with randomization anything else keeps a
	 * one-page gap after its bss, and then arch_randomize_brk moves it by
	 * randomize_page(brk, 1 GiB) on x86-64. */
	uintptr_t brk = loader_like ? ET_DYN_BASE : PAGE_UP(bss_end);
	uint64_t random = 0;

	if (!brk_randomized())
		return brk;
	if (!loader_like)
		brk += PAGE_SIZE;
	if (sys_getrandom(&random, sizeof(random), 1 /* GRND_NONBLOCK */) != sizeof(random))
		return brk;
	return brk + (random % (BRK_RANDOM_RANGE / PAGE_SIZE)) * PAGE_SIZE;
}
