// SPDX-License-Identifier: MIT
/*
 * The relocations stage 1 left out: those of the `capstone_lazy` section
 * (Capstone's x86 tables, ~1,900 pointers over ~10 pages). With the patch
 * cache warm, Capstone never runs, and applying them at every start would
 * cost a copy-on-write fault per page. arch_relocate_lazy applies them the
 * first time Capstone is needed; the caller serialises (the loader
 * context's lock).
 */
#include <linux/elf.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR   36
#endif
#define R_X86_64_RELATIVE 8

/* Recorded by arch_self_relocate (stage 1: plain stores, no relocation). */
uintptr_t arch_load_base;
const Elf64_Dyn *arch_dynamic;

static int done;

void arch_relocate_lazy(void)
{
	uintptr_t rela = 0, relasz = 0, relr = 0, relrsz = 0, base = arch_load_base;
	uintptr_t lo = arch_lazy_start(), hi = arch_lazy_end();

	if (done || !arch_dynamic)
		return;
	for (const Elf64_Dyn *d = arch_dynamic; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = d->d_un.d_ptr;
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
		else if (d->d_tag == DT_RELR)
			relr = d->d_un.d_ptr;
		else if (d->d_tag == DT_RELRSZ)
			relrsz = d->d_un.d_val;
	}
	const Elf64_Rela *r = (const Elf64_Rela *)(base + rela);
	for (size_t i = 0; i < relasz / sizeof(*r); i++) {
		uintptr_t where = base + r[i].r_offset;
		if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE && where >= lo && where < hi)
			*(uint64_t *)where = base + r[i].r_addend;
	}
	const uint64_t *w = (const uint64_t *)(base + relr);
	uint64_t *at = 0;
	for (size_t i = 0; i < relrsz / sizeof(*w); i++) {
		if ((w[i] & 1) == 0) {
			at = (uint64_t *)(base + w[i]);
			if ((uintptr_t)at >= lo && (uintptr_t)at < hi)
				*at += base;
			at++;
		} else {
			uint64_t bits = w[i] >> 1;
			for (int j = 0; bits; j++, bits >>= 1)
				if ((bits & 1) && (uintptr_t)&at[j] >= lo && (uintptr_t)&at[j] < hi)
					at[j] += base;
			at += 63;
		}
	}
	done = 1;
}

extern char __start_capstone_lazy[] __attribute__((visibility("hidden")));
extern char __stop_capstone_lazy[] __attribute__((visibility("hidden")));

uintptr_t arch_lazy_start(void)
{
	return (uintptr_t)__start_capstone_lazy;
}

uintptr_t arch_lazy_end(void)
{
	return (uintptr_t)__stop_capstone_lazy;
}
