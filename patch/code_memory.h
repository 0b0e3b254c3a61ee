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

/* The arena at a (size bytes) lost the code that jumps to it, but a
 * thread may still be inside one of its stubs: kept mapped until none can
 * be (retired.c). owner and base say whose stubs they are and for which
 * place. */
void patch_arena_retire(uintptr_t a, size_t size, const void *owner, uintptr_t base);
/* A retired arena of owner's for its code at base (size bytes), taken
 * back for it, or 0. */
uintptr_t patch_arena_reclaim(const void *owner, uintptr_t base, size_t size);
/* After a call that retired arenas, outside the loader context: free
 * the retired arenas no thread is in, waiting 2 ms at most. */
void patch_retired_settle(void);
/* [lo, hi) went: forget the retired arenas it overlapped (what the
 * program now holds there is its own). */
void patch_retired_unmapped(uintptr_t lo, uintptr_t hi);
/* Whether [lo, hi) overlaps a retired arena. */
int patch_retired_overlaps(uintptr_t lo, uintptr_t hi);

/* Make the arena of size bytes at arena, its stubs written, executable
 * (and no longer writable). On failure (-errno) it is unmapped: no code
 * may ever jump to stubs that cannot run. */
int patch_arena_seal(uintptr_t arena, size_t size);

/* [lo, hi) went: drop the reservations below images it overlapped. */
void patch_reserved_unmapped(uintptr_t lo, uintptr_t hi);

/* Write len bytes at addr in code that may be running. 0 or -errno. */
int patch_write_live(uintptr_t addr, const uint8_t *bytes, size_t len);

#endif
