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
	/* Code that sets %gs itself was mapped (reason for the report): the
	 * program is to own %gs before that code runs (hooks/gs.c). Called
	 * outside the loader context, after arm_net. */
	void (*gs_writer)(const char *reason);
};
void patch_configure(const struct patch_config *config);
/* Whether sites are rewritten at all (config.rewrite). */
int patch_rewrites(void);
/* Rewrite nothing from now on (patch_unrewrite_all). */
void patch_stop_rewriting(void);
/* Put the original bytes back at every rewritten site, and rewrite
 * nothing from now on: the net, armed in every thread first, catches
 * everything (unrewrite.c). */
void patch_unrewrite_all(void);
/* Arm the net through config.arm_net. */
void patch_arm_net(const char *reason);
/* Tell config.gs_writer. */
void patch_gs_writer(const char *reason);

/* Nanoseconds spent finding and patching sites so far (the report's
 * patch_ms), and adding to them. */
uint64_t patch_time_ns(void);
void patch_add_time(uint64_t ns);

/* A file mapping at addr (len bytes, from file offset off) became
 * executable with prot: patch the sites it holds. live: other threads may
 * be running there already (it replaced code they ran: patch_holds_code),
 * so its code is never made non-executable. */
void patch_file_mapping(uintptr_t addr, size_t len, int prot, int fd, uint64_t off, int live);
/* Whether [lo, hi) holds code the patcher knows (an object's mapping, a
 * trapped site of generated code). 1 or 0. */
int patch_holds_code(uintptr_t lo, uintptr_t hi);

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

/* The net caught a syscall at j->pc (the syscall instruction) in code no
 * object holds: rewrite it when that is safe, noting in j what was done.
 * Returns 1 when rewritten. */
struct patch_jit_site;
int patch_lazy(struct patch_jit_site *j);

/* [lo, hi) is no longer what it was (munmap, mmap MAP_FIXED over it,
 * mremap, dlclose): forget every site, mapping, stub arena and lazy
 * rewrite it held (mapping_gone.c). Cheap when it held none. */
void patch_unmapped(uintptr_t lo, uintptr_t hi);
/* mremap moved [lo, hi) to [to, to + to_len): the code there jumps to
 * stubs it can no longer reach; put its original bytes back (the net
 * catches it). [lo, hi) is then to be forgotten (patch_unmapped).
 * Returns 1 when it held code. */
int patch_moved(uintptr_t lo, uintptr_t hi, uintptr_t to, size_t to_len);
/* Whether a stub arena in [lo, hi) still serves code outside it (so that
 * the program may not take the arena's place). 1 or 0. */
int patch_stubs_in_use(uintptr_t lo, uintptr_t hi);
/* The program names [lo, hi) in a memory call: free the retired arenas
 * there that no thread can be in (patch/retired.c), waiting a little for
 * threads to show it. Returns 1 when one is left (a thread is inside). */
int patch_retired_clear(uintptr_t lo, uintptr_t hi);

#endif
