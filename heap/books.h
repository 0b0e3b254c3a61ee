/* SPDX-License-Identifier: MIT */
/*
 * Inside heap/: the books kept on the program's committed memory. The
 * counter (budget.c) is an atomic any thread may move; the map of the
 * program's private mappings (ranges.c) and the brk area (brk.c) change
 * only under the heap lock (lock.c).
 */
#ifndef HEAP_BOOKS_H
#define HEAP_BOOKS_H

#include <stdint.h>

#define HEAP_PAGE         4096UL
#define HEAP_PAGE_DOWN(x) ((x) & ~(HEAP_PAGE - 1))
#define HEAP_PAGE_UP(x)   (((x) + HEAP_PAGE - 1) & ~(HEAP_PAGE - 1))

/* The heap lock. It blocks every signal while held: a handler that ran on
 * the holding thread and made a memory syscall would wait for it forever.
 * No allocation happens under it, and no program syscall but the one
 * memory syscall whose books it keeps in order (account.c). */
void heap_lock(void);
void heap_unlock(void);

/* The counter. reserve takes size bytes if they fit in the budget (0) or
 * takes nothing (-ENOMEM); settle replaces a reservation by what really
 * changed once the map has been updated (delta, may be negative). */
void heap_budget_set(uint64_t size);
int heap_budget_reserve(uint64_t size);
void heap_budget_settle(uint64_t reserved, int64_t delta);

/* What the map knows of a page: nothing (not mapped, shared, or not the
 * program's private mapping), a private mapping that is not committed
 * (PROT_NONE, read-only, MAP_NORESERVE), or committed memory. */
enum heap_state { HEAP_UNKNOWN, HEAP_RESERVED, HEAP_COMMITTED };

/* The map (ranges.c); lo and hi page-aligned. set gives [lo, hi) one
 * state; protect changes only the pages the map knows, to COMMITTED when
 * writable, RESERVED when not; both return the change of committed bytes.
 * count: bytes of [lo, hi) in state, RESERVED or COMMITTED (the map has no
 * ranges of UNKNOWN to count). state_at: the state of one page. */
int heap_ranges_init(void);
int64_t heap_ranges_set(uint64_t lo, uint64_t hi, enum heap_state state);
int64_t heap_ranges_protect(uint64_t lo, uint64_t hi, int writable);
uint64_t heap_ranges_count(uint64_t lo, uint64_t hi, enum heap_state state);
enum heap_state heap_ranges_state_at(uint64_t addr);

/* The brk area (brk.c): reserve it where the kernel would have put the
 * program's, and stop its growth below a mapping the program put in its
 * way (as natively brk cannot grow into one). */
int heap_brk_init(uint64_t start, uint64_t room);
void heap_brk_clip(uint64_t lo, uint64_t hi);

#endif
