/* SPDX-License-Identifier: MIT */
/*
 * --trap-rdtsc where the machine does not enforce PR_SET_TSC: every rdtsc
 * and rdtscp of the program's code becomes ud2, a trap the loader answers
 * (hooks/tsc.c). See tsc_sites.c.
 */
#ifndef PATCH_TSC_SITES_H
#define PATCH_TSC_SITES_H

#include <stddef.h>
#include <stdint.h>

/* The file fd was mapped at addr (len bytes from offset off) executable:
 * rewrite the rdtsc/rdtscp instructions it holds. */
void patch_tsc_sites(int fd, uintptr_t addr, size_t len, uint64_t off);

/* [lo, hi) went: forget the rdtsc sites it held. */
void patch_tsc_sites_unmapped(uintptr_t lo, uintptr_t hi);

/* The length of the rdtsc (2) or rdtscp (3) that was at pc, or 0. */
int patch_tsc_site_at(uintptr_t pc);

#endif
