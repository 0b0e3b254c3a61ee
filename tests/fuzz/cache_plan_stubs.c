// SPDX-License-Identifier: MIT
/*
 * For fuzz_cache_plan: the loader's functions that patch/cache.c and
 * patch/patch.c refer to but that checking a plan never calls (the cache
 * directory, live writes, the net, Capstone's context, the clock). Each
 * aborts, so that a plan check that reached one would be a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <own_ranges.h>
#include <sys.h>

#include "cache_dir.h"
#include "code_memory.h"
#include "code_index.h"
#include "context.h"
#include "libc.h"
#include "noted.h"
#include "patch.h"
#include "site_find.h"

int cache_dir_init(int quiet)
{
	(void)quiet;
	return -1; /* patch_cache_init may ask: no directory */
}
int cache_dir_open(void)
{
	abort();
}
void cache_dir_prune(int dfd, const char *id)
{
	(void)dfd, (void)id;
	abort();
}
int cache_entry_open(int dfd, const char *name, struct stat *st)
{
	(void)dfd, (void)name, (void)st;
	abort();
}
long libc_fd_path(int fd, char *out, unsigned long size)
{
	(void)fd, (void)out, (void)size;
	abort();
}
uint64_t libc_getauxval(unsigned long key, uint64_t def)
{
	(void)key;
	return def;
}
uint64_t libc_now_ns(void)
{
	return 0;
}
uint64_t libc_random64(void)
{
	abort();
}
int libc_replace_file_at(int dirfd, const char *name, int mode, unsigned flags,
			 int (*fill)(int fd, const void *arg), const void *arg)
{
	(void)dirfd, (void)name, (void)mode, (void)flags, (void)fill, (void)arg;
	abort();
}
void patch_add_time(uint64_t ns)
{
	(void)ns;
}
uintptr_t patch_arena_near(uintptr_t lo, uintptr_t hi, size_t size)
{
	(void)lo, (void)hi, (void)size;
	abort();
}
uintptr_t patch_arena_reclaim(const void *owner, uintptr_t base, size_t size)
{
	(void)owner, (void)base, (void)size;
	return 0;
}

int patch_arena_seal(uintptr_t arena, size_t size)
{
	(void)arena, (void)size;
	abort();
}

int libc_own_add(uintptr_t lo, uintptr_t hi, int kind)
{
	(void)lo, (void)hi, (void)kind;
	abort();
}

void patch_gs_writer(const char *reason)
{
	(void)reason;
	abort();
}

void patch_arm_net(const char *reason)
{
	(void)reason;
	abort();
}
int patch_find_sites(const struct elf_code_index *ix, struct patch_sites *out)
{
	(void)ix, (void)out;
	abort();
}
int patch_noted_analyse(struct patch_object *o, const struct elf_view *v, const char *name)
{
	(void)o, (void)v, (void)name;
	abort();
}
void patch_release_below(uintptr_t base)
{
	(void)base;
	abort();
}
int patch_rewrites(void)
{
	abort();
}
int patch_write_live(uintptr_t addr, const uint8_t *bytes, size_t len)
{
	(void)addr, (void)bytes, (void)len;
	abort();
}
void tls_context_enter(struct tls_context *c)
{
	(void)c;
	abort();
}
void tls_context_foreign(struct tls_context *c)
{
	(void)c;
	abort();
}
void tls_context_leave(struct tls_context *c)
{
	(void)c;
	abort();
}
