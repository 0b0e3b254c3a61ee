/* SPDX-License-Identifier: MIT */
/* Memory for patching code (code_memory.c). */
#ifndef PATCH_CODE_MEMORY_H
#define PATCH_CODE_MEMORY_H

#include <stddef.h>
#include <stdint.h>

/* Anonymous read-write memory of size bytes for stubs that code in
 * [lo, hi) jumps to: right below lo when free, else near enough for a
 * rel32 jump. 0 when there is none. */
uintptr_t patch_arena_near(uintptr_t lo, uintptr_t hi, size_t size);

/* Unmap the arena at a (from patch_arena_near) that nothing jumps to. */
void patch_arena_free(uintptr_t a, size_t size);

/* Make the arena of size bytes at arena, its stubs written, executable
 * (and no longer writable). On failure (-errno) it is unmapped: no code
 * may ever jump to stubs that cannot run. */
int patch_arena_seal(uintptr_t arena, size_t size);

/* [lo, hi) went: drop the reservations below images it overlapped. */
void patch_reserved_unmapped(uintptr_t lo, uintptr_t hi);

/* Write len bytes at addr in code that may be running. 0 or -errno. */
int patch_write_live(uintptr_t addr, const uint8_t *bytes, size_t len);

#endif
