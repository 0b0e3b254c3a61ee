/* SPDX-License-Identifier: MIT */
/*
 * Patching code as it becomes executable: the program and ld.so before
 * they start, the vDSO, and every file ld.so (or anyone) maps executable
 * later, before any of its code runs. Whatever cannot be patched arms the
 * safety net.
 */
#ifndef LOADER_PATCH_H
#define LOADER_PATCH_H

#include <stddef.h>
#include <stdint.h>

/* A file mapping at addr (len bytes, from file offset off) became
 * executable with prot: patch the sites it holds. */
void ldr_patch_file_mapping(uintptr_t addr, size_t len, int prot, int fd, uint64_t off);

/* mprotect made [addr, addr + len) executable. */
void ldr_patch_protect(uintptr_t addr, size_t len, int prot);

/* [lo, base), right below an image the loader mapped, is held (PROT_NONE)
 * for that object's stubs; patching releases it when it places them. */
void ldr_patch_note_reserved(uintptr_t lo, uintptr_t base);
void ldr_patch_release_below(uintptr_t base);

/* The vDSO at base (AT_SYSINFO_EHDR). */
void ldr_patch_vdso(uintptr_t base);

/* The net caught a syscall at pc (the syscall instruction) in code no
 * object holds: rewrite it when that is safe. Returns 1 when rewritten. */
int ldr_patch_lazy(uintptr_t pc);

#endif
