/* SPDX-License-Identifier: MIT */
/*
 * The patch cache: what the loader learnt about an object, kept on disk
 * for the next process that maps it. Keyed by the object's build-id (or,
 * without one, its device, inode, size and mtime), plus its size and
 * mtime, and tied to the loader's own build-id: a different loader, or a
 * changed file, never uses an old entry.
 *
 *   KEY.plan  the sites with their windows (no Capstone next time)
 *   KEY.img   a sparse copy of the object holding only its executable
 *             segments, already patched, and the stubs after its end:
 *             mapping text from here instead of patching it in memory
 *             avoids a copy-on-write fault per patched page (5-16 us each
 *             on this machine class), and shares the pages between
 *             processes. The stubs go right below the object's base.
 *
 * A noted object (docs/contract.md) is cached like any other: its plan keeps
 * each site's tier (listed, hook, disassembled), its disassembly count and
 * its __hp_timing_disabled. One whose site list had refused entries is
 * not stored (patch.c), so that its warnings appear at every start.
 *
 * The directory is LIBOS_CACHE_DIR, else $XDG_CACHE_HOME/libos-loader,
 * else /var/tmp/libos-loader-EUID (not under $HOME, where the program
 * could find a directory it did not make); it must belong to the user, be
 * private (0700) and not be a symlink. No cache in a secure-execution
 * process, or with --no-cache.
 */
#ifndef PATCH_CACHE_H
#define PATCH_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "objects.h"

/* Choose the cache directory (at start-up, with the loader's env). */
void patch_cache_init(int enabled);

/* The key of the object open at fd (st: its fstat), or of an image in
 * memory (the vDSO: fd < 0). Returns 0, or -ENOENT when caching is off. */
int patch_cache_key(int fd, const void *image, uint64_t size, uint64_t dev, uint64_t ino,
		    uint64_t mtime, char *key, size_t key_size);

/* Fill o (segments, sites, states, image facts) from a cached plan.
 * Returns 0, or -ENOENT. */
int patch_cache_load(const char *key, struct patch_object *o);

/* One window's new bytes, at a file offset of the object. */
struct patch_cache_patch {
	uint64_t offset;
	uint8_t len;
	uint8_t bytes[32];
};

/* Store o's plan and, given the original file at fd, the stub blob laid out
 * for an arena right below the object and the windows' new bytes, its
 * patched image. o->text_lo/hi and image_stub_off must be set; they are
 * cleared when no image could be written. Failures are silent: the cache
 * is only a cache. */
void patch_cache_store(const char *key, struct patch_object *o, int fd, const uint8_t *stubs,
		       const struct patch_cache_patch *patches, size_t patch_count);

/* Map o's cached image over [addr, addr + len) (file offset off), with its
 * stubs right below base, the object's base. Returns 0, or -errno when the
 * image cannot be used here (then the caller patches in memory). */
int patch_cache_map(struct patch_object *o, uintptr_t addr, size_t len, int prot, uint64_t off,
		    uintptr_t base);

#endif
