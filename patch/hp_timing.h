/* SPDX-License-Identifier: MIT */
/*
 * __hp_timing_disabled (include/libos/note.h): a LibOS-ready libc's
 * dynamic linker reads the TSC only while it is 0. When the LibOS takes
 * rdtsc over (--trap-rdtsc), the loader sets it in every noted object that
 * has it, now and in objects mapped later.
 */
#ifndef PATCH_HP_TIMING_H
#define PATCH_HP_TIMING_H

#include <stddef.h>
#include <stdint.h>

/* Set (on != 0) or clear every known object's __hp_timing_disabled, and
 * remember the choice for objects mapped later. Returns how many objects'
 * variables were written (those whose data is not mapped yet are written
 * by patch_hp_timing_mapped). */
int patch_hp_timing_set(int on);

/* A file mapping [addr, addr + len) appeared: write the variable of any
 * object whose variable it holds (the dynamic linker maps a library's data
 * after its code, which is when the loader first sees the object). Cheap
 * when nobody asked for the setting. */
void patch_hp_timing_mapped(uintptr_t addr, size_t len);

#endif
