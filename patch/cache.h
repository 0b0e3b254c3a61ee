/* SPDX-License-Identifier: MIT */
/*
 * The patch cache: what the loader learnt about an object, kept on disk
 * for the next process that maps it.
 *
 *   KEY.plan  the sites with their windows (no Capstone next time)
 *   KEY.img   a copy of the object, its executable segments already
 *             patched (the rest as it is, so that symbolizers that find
 *             the file by the mapping's name read the object's symbols and
 *             build-id), and the stubs after its end:
 *             mapping text from here instead of patching it in memory
 *             avoids a copy-on-write fault per patched page (5-16 us each
 *             on this machine class), and shares the pages between
 *             processes. The stubs go right below the object's base.
 *
 * An entry is never trusted for being there. The key names the loader
 * build, the object's build-id and a digest of what identifies the file's
 * content (device, inode, size, mtime and ctime to the nanosecond: ctime
 * cannot be set back, so `cp -p`, `touch -r` or a hex edit with the times
 * restored all change it); the plan repeats them in full. Before use the
 * plan's own checksum, the identity, every field of every site and the
 * stub layout are checked, and the object's code is hashed and compared
 * with the hash the plan was made from; the image must be the plan's
 * (a random tag in both) and exactly its size. Anything wrong is a miss,
 * and the entry is made again. So the code run is always the file's bytes
 * plus the loader's own patches.
 *
 * A noted object (docs/contract.md) is cached like any other: its plan keeps
 * each site's tier (listed, hook, disassembled), its disassembly count and
 * its __hp_timing_disabled. One whose site list had refused entries is
 * not stored (patch.c), so that its warnings appear at every start.
 *
 * The directory, its checks and its files: cache_dir.h. No cache in a
 * secure-execution process, or with --no-cache.
 */
#ifndef PATCH_CACHE_H
#define PATCH_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys.h>

#include "objects.h"

/* Choose the cache directory (at start-up, with the loader's env). quiet:
 * do not say why the cache is off (a followed exec: the first loader of
 * the tree has said it). */
void patch_cache_init(int enabled, int quiet);

/* What an entry is made from and checked against: the object's file open
 * at fd, with its fstat st, or (fd < 0) its image in memory, of size
 * bytes (the vDSO). */
struct patch_cache_source {
	int fd;
	const struct stat *st;
	const void *image;
	uint64_t size;
};

/* The key of src's entry. Returns 0, or -ENOENT when caching is off. */
int patch_cache_key(const struct patch_cache_source *src, char *key, size_t key_size);

/* Fill o (segments, sites, states, image facts) from a cached plan made
 * from src, once it is checked. Returns 0, or -ENOENT. */
int patch_cache_load(const char *key, struct patch_object *o, const struct patch_cache_source *src);

/* One window's new bytes, at a file offset of the object. */
struct patch_cache_patch {
	uint64_t offset;
	uint8_t len;
	uint8_t bytes[32];
};

/* Store o's plan and, given the original file at src->fd, the stub blob laid
 * out for an arena right below the object and the windows' new bytes, its
 * patched image. o->text_lo/hi and image_stub_off must be set; they are
 * cleared when no image could be written. Failures are silent: the cache
 * is only a cache. */
void patch_cache_store(const char *key, struct patch_object *o,
		       const struct patch_cache_source *src, const uint8_t *stubs,
		       const struct patch_cache_patch *patches, size_t patch_count);

/* Map o's cached image over [addr, addr + len) (file offset off), with its
 * stubs right below base, the object's base. Returns 0, or -errno when the
 * image cannot be used here (then the caller patches in memory): -ESTALE
 * when the image is not the plan's (the caller may store the entry again). */
int patch_cache_map(struct patch_object *o, uintptr_t addr, size_t len, int prot, uint64_t off,
		    uintptr_t base);

#endif
