// SPDX-License-Identifier: MIT
/*
 * The patch cache (see cache.h): keys, plans and patched images on disk.
 *
 * Two files per entry:
 *   KEY.plan  a header, the object's PT_LOAD segments, its sites (struct
 *             arch_site as this very loader lays it out: entries are tied
 *             to the loader's build-id) and the stub layout; mapped
 *             read-only while the process lives
 *   KEY.img   the image, sparse: only the executable segments' pages hold
 *             data (at their own file offsets, already patched), then the
 *             stubs, page-aligned, after the original file's end; only
 *             when something is rewritten
 * They are separate so that the only mappings named after the image are
 * the object's code and its stubs, next to each other, as a program that
 * finds its code by the mapping's name expects. Files are written to a
 * temporary name and renamed into place, so a reader never sees half of
 * one, and concurrent writers only race to write the same bytes.
 */
#include <errno.h>
#include <libc.h>
#include <linux/auxvec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "cache.h"
#include "elf.h"
#include "note.h"
#include "patch.h"

#define MAGIC "LIBOSPC3"

struct plan_header {
	char magic[8];
	uint64_t seg_count, site_count;
	uint64_t stub_area;
	uint64_t image_stub_off;
	uint64_t text_lo, text_hi;
	uint64_t disassembled;    /* functions decoded to make the plan */
	uint64_t hp_timing_vaddr; /* the object's __hp_timing_disabled, or 0 */
};

static char dir[512];
static char loader_id[17]; /* the first 8 bytes of our build-id, in hex */

static void hex(char *out, const uint8_t *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The build-id in the notes of an ELF image whose first bytes are head
 * (the ELF header, program headers and notes usually fit in its first
 * page; further notes are read through read), as hex into out.
 * Returns 0 or -ENOENT. */
static int build_id(const uint8_t *head, size_t head_size,
		    long (*read)(void *ctx, void *buf, size_t n, uint64_t off), void *ctx,
		    char *out, size_t out_size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(const void *)head;
	uint8_t notes[512];

	if (head_size < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > head_size || (head_size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return -ENOENT;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(const void *)(head + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_NOTE)
			continue;
		size_t n = ph[i].p_filesz < sizeof(notes) ? ph[i].p_filesz : sizeof(notes);
		if (ph[i].p_offset <= head_size && head_size - ph[i].p_offset >= n)
			memcpy(notes, head + ph[i].p_offset, n);
		else if (read(ctx, notes, n, ph[i].p_offset) != (long)n)
			continue;
		struct elf_note note;
		if (elf_note_find(notes, n, ph[i].p_align, "GNU", ELF_NT_GNU_BUILD_ID, &note) ==
			    0 &&
		    note.descsz <= 64 && 2 * note.descsz + 1 <= out_size) {
			hex(out, note.desc, note.descsz);
			return 0;
		}
	}
	return -ENOENT;
}

static long read_fd(void *ctx, void *buf, size_t n, uint64_t off)
{
	return sys_pread(*(int *)ctx, buf, n, (long)off);
}

struct memory {
	const uint8_t *base;
	uint64_t size;
};

static long read_memory(void *ctx, void *buf, size_t n, uint64_t off)
{
	const struct memory *m = ctx;

	if (off > m->size || m->size - off < n)
		return -EIO;
	memcpy(buf, m->base + off, n);
	return (long)n;
}

/* mkdir -p path, each new level 0700. */
static int make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		long r = sys_mkdir(path, 0700);
		*p = c;
		if (r < 0 && r != -EEXIST)
			return (int)r;
		if (!c)
			return 0;
	}
}

static long lstat_dir(const char *path, struct stat *st)
{
	return sys_lstat(path, st);
}

void patch_cache_init(int enabled)
{
	extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
	struct memory self = {(const uint8_t *)&__ehdr_start, 1 << 20};
	int fresh = 0;
	const char *env;
	char id[129];
	struct stat st;

	dir[0] = '\0';
	if (!enabled || libc_getauxval(AT_SECURE, 0))
		return;
	/* Not under $HOME by default: the program must not find a directory
	 * there that it would not have made itself. */
	if ((env = getenv("LIBOS_CACHE_DIR")) && *env == '/')
		snprintf(dir, sizeof(dir), "%s", env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/')
		snprintf(dir, sizeof(dir), "%s/libos-loader", env);
	else
		snprintf(dir, sizeof(dir), "/var/tmp/libos-loader-%ld", sys_geteuid());
	/* A cache entry decides how code is rewritten: only a private
	 * directory of ours will do (no symlink: /var/tmp is everyone's). */
	if (lstat_dir(dir, &st) < 0)
		fresh = make_dirs(dir) == 0 && lstat_dir(dir, &st) == 0;
	else
		fresh = 1;
	if (!fresh || (st.st_mode & S_IFMT) != S_IFDIR || st.st_uid != (unsigned)sys_geteuid() ||
	    (st.st_mode & 077) ||
	    build_id(self.base, 4096, read_memory, &self, id, sizeof(id)) < 0) {
		dir[0] = '\0';
		return;
	}
	memcpy(loader_id, id, 16);
	loader_id[16] = '\0';
}

int patch_cache_key(int fd, const void *image, uint64_t size, uint64_t dev, uint64_t ino,
		    uint64_t mtime, char *key, size_t key_size)
{
	struct memory m = {image, size};
	char id[129];
	int r;

	if (!dir[0])
		return -ENOENT;
	if (fd >= 0) {
		uint8_t head[1024]; /* headers and notes: build_id reads the rest */
		long n = sys_pread(fd, head, sizeof(head), 0);
		r = build_id(head, n > 0 ? (size_t)n : 0, read_fd, &fd, id, sizeof(id));
	} else {
		r = build_id(image, size < 4096 ? size : 4096, read_memory, &m, id, sizeof(id));
	}
	if (r == 0)
		snprintf(key, key_size, "%s-%s-%lu-%lu", loader_id, id, (unsigned long)size,
			 (unsigned long)mtime);
	else
		snprintf(key, key_size, "%s-dev%lu-ino%lu-%lu-%lu", loader_id, (unsigned long)dev,
			 (unsigned long)ino, (unsigned long)size, (unsigned long)mtime);
	return 0;
}

static void entry_path(char *out, size_t n, const char *key, const char *suffix)
{
	snprintf(out, n, "%s/%s.%s", dir, key, suffix);
}

int patch_cache_load(const char *key, struct patch_object *o)
{
	char path[768];
	struct plan_header h;
	struct stat st;
	long fd, map = -ENOENT;

	entry_path(path, sizeof(path), key, "plan");
	fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return -ENOENT;
	/* The plan is mapped, not read: its pages are the page cache's,
	 * shared by every process, and nothing is copied. Its sites are never
	 * written. */
	size_t plan_size = 0;
	if (sys_fstat((int)fd, &st) == 0 && (uint64_t)st.st_size >= sizeof(h)) {
		plan_size = (size_t)st.st_size;
		map = sys_mmap(NULL, plan_size, PROT_READ, MAP_PRIVATE, (int)fd, 0);
	}
	sys_close((int)fd);
	if (sys_is_err(map))
		return -ENOENT;
	const uint8_t *buf = (const uint8_t *)map;
	memcpy(&h, buf, sizeof(h));
	size_t segs = h.seg_count * sizeof(o->seg[0]);
	size_t sites = h.site_count * sizeof(struct patch_site);
	size_t offs = h.site_count * sizeof(uint32_t);
	if (memcmp(h.magic, MAGIC, 8) != 0 || h.seg_count > 8 || h.site_count > (1 << 20) ||
	    plan_size != sizeof(h) + segs + sites + offs ||
	    !(o->state = calloc(h.site_count + 1, 1))) {
		sys_munmap((void *)map, plan_size);
		return -ENOENT;
	}
	memcpy(o->seg, buf + sizeof(h), segs);
	o->sites.v = (struct patch_site *)(uintptr_t)(buf + sizeof(h) + segs);
	o->stub_off = (uint32_t *)(uintptr_t)(buf + sizeof(h) + segs + sites);
	o->plan_mapped = 1;
	o->seg_count = (int)h.seg_count;
	o->sites.count = o->sites.cap = h.site_count;
	o->stub_area = h.stub_area;
	o->image_stub_off = h.image_stub_off;
	o->text_lo = h.text_lo;
	o->text_hi = h.text_hi;
	o->disassembled = h.disassembled;
	o->hp_timing_vaddr = h.hp_timing_vaddr;
	o->analyzed = 1;
	return 0;
}

/* Write size bytes to a new file named after key and suffix, via fill. */
static int write_entry(const char *key, const char *suffix, int (*fill)(int fd, const void *arg),
		       const void *arg)
{
	char final[768];

	entry_path(final, sizeof(final), key, suffix);
	return libc_replace_file(final, 0600, fill, arg);
}

static int put(int fd, const void *buf, size_t n, uint64_t off)
{
	return sys_pwrite(fd, buf, n, (long)off) == (long)n ? 0 : -EIO;
}

static int fill_plan(int fd, const void *arg)
{
	const struct patch_object *o = arg;
	struct plan_header h = {
		.seg_count = (uint64_t)o->seg_count,
		.site_count = o->sites.count,
		.stub_area = o->stub_area,
		.image_stub_off = o->image_stub_off,
		.text_lo = o->text_lo,
		.text_hi = o->text_hi,
		.disassembled = o->disassembled,
		.hp_timing_vaddr = o->hp_timing_vaddr,
	};
	size_t segs = h.seg_count * sizeof(o->seg[0]);
	size_t sites = h.site_count * sizeof(struct patch_site);

	size_t offs = h.site_count * sizeof(uint32_t);

	memcpy(h.magic, MAGIC, 8);
	if (put(fd, &h, sizeof(h), 0) || put(fd, o->seg, segs, sizeof(h)) ||
	    put(fd, o->sites.v, sites, sizeof(h) + segs) ||
	    put(fd, o->stub_off, offs, sizeof(h) + segs + sites))
		return -EIO;
	return 0;
}

struct image_source {
	int fd; /* the original file, or -1: no image */
	const struct patch_object *o;
	const uint8_t *stubs; /* o->stub_area bytes */
	const struct patch_cache_patch *patches;
	size_t patch_count;
};

static int fill_image(int fd, const struct image_source *s)
{
	const struct patch_object *o = s->o;
	const size_t chunk_size = 65536;
	uint8_t *chunk = malloc(chunk_size);
	int r = 0;

	if (!chunk || sys_ftruncate(fd, (long)(o->image_stub_off + o->stub_area)) < 0)
		r = -EIO;
	for (uint64_t at = o->text_lo; r == 0 && at < o->text_hi;) {
		uint64_t n = o->text_hi - at < chunk_size ? o->text_hi - at : chunk_size;
		long got = sys_pread(s->fd, chunk, n, (long)at);
		if (got <= 0)
			break; /* the end of the file, inside its last page */
		r = put(fd, chunk, (size_t)got, at);
		at += (uint64_t)got;
	}
	free(chunk);
	if (r < 0)
		return r;
	for (size_t i = 0; i < s->patch_count; i++)
		if (put(fd, s->patches[i].bytes, s->patches[i].len, s->patches[i].offset))
			return -EIO;
	return put(fd, s->stubs, o->stub_area, o->image_stub_off);
}

static int fill_image_entry(int fd, const void *arg)
{
	return fill_image(fd, arg);
}

/* Entries are only ever written by the loader build that reads them; when
 * a new one is written, those of other builds (older loaders) go. Files
 * being written (*.tmp) are left to their writers. */
static void prune(void)
{
	char buf[4096], path[768];
	long fd = sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0), n;

	if (fd < 0)
		return;
	while ((n = sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		/* struct linux_dirent64: d_reclen at 16, d_name at 19. */
		for (long at = 0; at < n;) {
			uint16_t reclen;
			const char *name = buf + at + 19;
			size_t len = strlen(name);
			memcpy(&reclen, buf + at + 16, sizeof(reclen));
			if (name[0] != '.' && strncmp(name, loader_id, 16) != 0 &&
			    !(len > 4 && strcmp(name + len - 4, ".tmp") == 0)) {
				snprintf(path, sizeof(path), "%s/%s", dir, name);
				sys_unlink(path);
			}
			at += reclen;
		}
	}
	sys_close((int)fd);
}

void patch_cache_store(const char *key, struct patch_object *o, int fd, const uint8_t *stubs,
		       const struct patch_cache_patch *patches, size_t patch_count)
{
	static int pruned;

	if (!dir[0])
		return;
	if (!pruned) {
		prune();
		pruned = 1;
	}
	struct image_source src = {fd, o, stubs, patches, patch_count};
	if (fd < 0 || !stubs || !patch_count || write_entry(key, "img", fill_image_entry, &src) < 0)
		o->text_lo = o->text_hi = 0; /* plan only */
	write_entry(key, "plan", fill_plan, o);
}

int patch_cache_map(struct patch_object *o, uintptr_t addr, size_t len, int prot, uint64_t off,
		    uintptr_t base)
{
	long fd, r;

	if (!dir[0] || !o->cache_key[0] || o->text_hi <= o->text_lo || !o->stub_area ||
	    off < o->text_lo || off + len > o->text_hi)
		return -ENOENT;
	if (o->arena && o->arena != base - o->stub_area)
		return -EEXIST; /* stubs already elsewhere: the image does not fit */
	char path[768];
	entry_path(path, sizeof(path), o->cache_key, "img");
	fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return (int)fd;
	r = 0;
	if (!o->arena) {
		patch_release_below(base);
		r = sys_mmap((void *)(base - o->stub_area), o->stub_area, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_FIXED_NOREPLACE, (int)fd, (long)o->image_stub_off);
		if (!sys_is_err(r) && (uintptr_t)r != base - o->stub_area) {
			sys_munmap((void *)r, o->stub_area);
			r = -EEXIST;
		}
		if (!sys_is_err(r)) {
			o->arena = (uintptr_t)r;
			r = 0;
		}
	}
	if (r == 0) {
		r = sys_mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_FIXED, (int)fd, (long)off);
		r = sys_is_err(r) ? r : 0;
	}
	sys_close((int)fd);
	return (int)r;
}
