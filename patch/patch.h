/* SPDX-License-Identifier: MIT */
/*
 * Patching code as it becomes executable: the program and ld.so before
 * they start, the vDSO, and every file ld.so (or anyone) maps executable
 * later, before any of its code runs. Whatever cannot be patched arms the
 * safety net.
 */
#ifndef PATCH_PATCH_H
#define PATCH_PATCH_H

#include <stddef.h>
#include <stdint.h>

/* What the layer above decides for the patcher (hooks/lifecycle.c), set
 * once before the first object is patched. */
struct patch_config {
	int rewrite; /* 0 (--sud-only): nothing is rewritten, the net catches all */
	/* Arm the safety net, reason for the report. Called outside the
	 * loader context (arming signals the other threads). */
	void (*arm_net)(const char *reason);
};
void patch_configure(const struct patch_config *config);
/* Whether sites are rewritten at all (config.rewrite). */
int patch_rewrites(void);
/* Arm the net through config.arm_net. */
void patch_arm_net(const char *reason);

/* Nanoseconds spent finding and patching sites so far (the report's
 * patch_ms), and adding to them. */
uint64_t patch_time_ns(void);
void patch_add_time(uint64_t ns);

/* A file mapping at addr (len bytes, from file offset off) became
 * executable with prot: patch the sites it holds. */
void patch_file_mapping(uintptr_t addr, size_t len, int prot, int fd, uint64_t off);

/* mprotect made [addr, addr + len) executable. */
void patch_protect(uintptr_t addr, size_t len, int prot);

/* [lo, base), right below an image the loader mapped, is held (PROT_NONE)
 * for that object's stubs; patching releases it when it places them. */
void patch_note_reserved(uintptr_t lo, uintptr_t base);
void patch_release_below(uintptr_t base);

struct patch_object;
/* Where each rewritable site of o's stub goes in its arena (sizes do not
 * depend on addresses): offs[i] (0 for a refused site), *area the arena's
 * size. A site whose stub could not reach from right below the object is
 * refused when refuse is set (a fresh plan), else the layout is -EINVAL
 * (a cached plan that this loader would not have made). */
int patch_stub_layout(struct patch_object *o, uint32_t *offs, uint64_t *area, int refuse);

/* The vDSO at base (AT_SYSINFO_EHDR). */
void patch_vdso(uintptr_t base);

/* The net caught a syscall at pc (the syscall instruction) in code no
 * object holds: rewrite it when that is safe. Returns 1 when rewritten. */
int patch_lazy(uintptr_t pc);

#endif
