/* SPDX-License-Identifier: MIT */
/*
 * The heap budget: how much memory the program may commit (--heap-size, or
 * the module's heap_size hook), and what enforces it. When no budget is
 * set nothing here runs: brk stays the kernel's and the memory syscalls
 * only pay one test of heap_budget_size().
 *
 * What counts (committed memory, as the kernel's overcommit accounting
 * counts VM_ACCOUNT in mm/mmap.c): the brk area the LibOS emulates, and
 * the program's private writable mappings, anonymous or of a file, from
 * the moment they are writable. A MAP_NORESERVE or PROT_NONE reservation
 * counts only once mprotect makes it writable; munmap, mremap shrinking,
 * mprotect taking write away and brk shrinking give it back. Shared
 * mappings, the program's image and the loader's and module's own memory
 * never count.
 */
#ifndef HEAP_HEAP_H
#define HEAP_HEAP_H

#include <stdint.h>

/* Parse SIZE: digits with an optional K, M, G or T suffix (powers of 1024,
 * either case). Returns 0 with *size set, -EINVAL for anything else,
 * -ERANGE when it does not fit in 64 bits. */
int heap_size_parse(const char *s, uint64_t *size);

/* Set the budget (0: none, and nothing changes) and, with one, take the
 * brk area over, starting at brk_start (where the kernel would have put
 * the program's: loader/place.c). Once, before the program's first
 * instruction. Returns 0 or -errno. */
int heap_setup(uint64_t size, uint64_t brk_start);

/* The budget in bytes, 0 when there is none. */
uint64_t heap_budget_size(void);

/* brk, as the kernel answers it: the new break, or the old one when it
 * cannot move (heap/brk.c). */
uint64_t heap_brk(uint64_t want);

/* One memory syscall of the program (mmap, munmap, mprotect,
 * pkey_mprotect, mremap), around its execution: heap_call_before takes
 * the heap lock and reserves what it would commit (0, or -ENOMEM past the
 * budget: the lock is let go and the syscall must not run);
 * heap_call_after settles the books with its result and lets the lock go.
 * Between them only the syscall itself (no other memory syscall of the
 * loader's, no wait on another thread): every signal is blocked. */
struct heap_call {
	long nr;
	uint64_t a[5];
	uint64_t reserved; /* bytes reserved by heap_call_before */
	int state;         /* mremap: the state of the range it moves */
};
long heap_call_before(struct heap_call *c);
void heap_call_after(struct heap_call *c, long result);

/* Around a fork (or a clone without CLONE_VM): the child gets a copy of
 * the books, never one half updated. prepare before the syscall; then
 * parent in the parent and child in the child. */
void heap_fork_prepare(void);
void heap_fork_parent(void);
void heap_fork_child(void);

#endif
