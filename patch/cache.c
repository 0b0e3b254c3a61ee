// SPDX-License-Identifier: MIT
/*
 * The patch cache (see cache.h): keys, plans and patched images on disk.
 *
 * Two files per entry, in the directory of cache_dir.c:
 *   KEY.plan  a header, the object's PT_LOAD segments, its sites (struct
 *             patch_site as this very loader lays it out: entries are tied
 *             to the loader's build-id) and the stub layout; mapped
 *             read-only while the process lives
 *   KEY.img   the image: the whole file, its executable segments already
 *             patched, then the stubs, page-aligned, after the original
 *             file's end, then a trailer with the plan's tag; only when
 *             something is rewritten. Whole, not only the code: whatever
 *             finds an object's file by its mapping's name (perf, a
 *             sanitizer's symbolizer, uprobes tools) reads an ELF file with
 *             the object's own headers, symbols and build-id there
 * They are separate so that the only mappings named after the image are
 * the object's code and its stubs, next to each other, as a program that
 * finds its code by the mapping's name expects. Files are written whole
 * under a temporary name and renamed into place, so a reader never sees
 * half of one, and concurrent writers only race to write the same bytes.
 */
#include <errno.h>
#include <libc.h>
#include <linux/auxvec.h>
#include <own_ranges.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "cache.h"
#include "cache_dir.h"
#include "elf.h"
#include "note.h"
#include "patch.h"

#define MAGIC       "LIBOSPC5"
#define IMAGE_MAGIC "LIBOSIM5"

struct plan_header {
	char magic[8];
	uint64_t checksum; /* libc_hash64 of the plan after this field */
	/* What the plan was made from: the file's identity and a hash of
	 * its first code_checked bytes. */
	struct patch_identity id;
	uint64_t code_checked, code_hash;
	uint64_t image_tag; /* the image's trailer repeats it; 0: no image */
	uint64_t seg_count, site_count;
	uint64_t stub_area;
	uint64_t image_stub_off;
	uint64_t text_lo, text_hi;
	uint64_t disassembled;    /* functions decoded to make the plan */
	uint64_t hp_timing_vaddr; /* the object's __hp_timing_disabled, or 0 */
	uint64_t writes_gs;       /* its code may set %gs (arch_code_writes_gs) */
};

struct image_trailer {
	char magic[8];
	uint64_t tag;
};

static int enabled;
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

void patch_cache_init(int on, int quiet)
{
	extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
	struct memory self = {(const uint8_t *)&__ehdr_start, 1 << 20};
	char id[129];

	enabled = 0;
	if (!on || libc_getauxval(AT_SECURE, 0) ||
	    build_id(self.base, 4096, read_memory, &self, id, sizeof(id)) < 0 ||
	    cache_dir_init(quiet) < 0)
		return;
	memcpy(loader_id, id, 16);
	loader_id[16] = '\0';
	enabled = 1;
}

/* The identity of src's content, as the plan records it. */
static struct patch_identity identity(const struct patch_cache_source *src)
{
	const struct stat *st = src->st;

	if (src->fd < 0) /* memory (the vDSO) has no times: its bytes are its identity */
		return (struct patch_identity){0, 0, src->size,
					       libc_hash64(src->image, src->size, 0), 0};
	return patch_identity_of(st, src->size);
}

int patch_cache_key(const struct patch_cache_source *src, char *key, size_t key_size)
{
	struct memory m = {src->image, src->size};
	char id[129] = "0";
	int fd = src->fd;

	if (!enabled)
		return -ENOENT;
	if (fd >= 0) {
		uint8_t head[1024]; /* headers and notes: build_id reads the rest */
		long n = sys_pread(fd, head, sizeof(head), 0);
		build_id(head, n > 0 ? (size_t)n : 0, read_fd, &fd, id, sizeof(id));
	} else {
		build_id(src->image, src->size < 4096 ? src->size : 4096, read_memory, &m, id,
			 sizeof(id));
	}
	struct patch_identity content = identity(src);
	uint64_t digest = libc_hash64(&content, sizeof(content), 0);
	int n = snprintf(key, key_size, "%s-%s-%016llx", loader_id, id, (unsigned long long)digest);
	return n > 0 && (size_t)n < key_size ? 0 : -ENOENT;
}

/* The file range [lo, hi) of o's executable segments, whole pages. */
static void code_span(const struct patch_object *o, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (int i = 0; i < o->seg_count; i++) {
		if (!(o->seg[i].flags & PF_X))
			continue;
		uint64_t l = PAGE_DOWN(o->seg[i].offset);
		uint64_t h = PAGE_UP(o->seg[i].offset + o->seg[i].filesz);
		*lo = l < *lo ? l : *lo;
		*hi = h > *hi ? h : *hi;
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

/* Reading an object's bytes to check them: pread into one small static
 * buffer (patching runs under the loader context's lock, so there is one
 * reader at a time). Measured on this machine class for libc's first
 * 1.5 MB: 0.3 ms to pread and hash through 16 KB; a fresh 64 KB buffer
 * per object adds 0.1 ms of page faults, and mapping the file and touching
 * its pages costs 0.6-0.8 ms in faults. */
#define CHUNK 16384
static uint8_t chunk_buf[CHUNK];

/* n bytes of src at off into buf (a file), or a pointer into src's image.
 * Returns the bytes, or NULL when they are not all there. */
static const uint8_t *source_read(const struct patch_cache_source *src, uint8_t *buf, size_t n,
				  uint64_t off)
{
	if (off > src->size || src->size - off < n)
		return NULL;
	if (src->fd < 0)
		return (const uint8_t *)src->image + off;
	return sys_pread(src->fd, buf, n, (long)off) == (long)n ? buf : NULL;
}

/* The hash of src's first n bytes, read CHUNK bytes at a time (each
 * chunk's hash seeds the next). When o is given, also check on the way
 * that each rewritable site's window holds the file's own bytes (windows
 * in ascending file order, as a valid plan has them). Returns 0 and sets
 * *hash, or -EINVAL. */
static int code_hash(const struct patch_cache_source *src, uint64_t n, const struct patch_object *o,
		     uint64_t *hash)
{
	uint8_t *buf = chunk_buf, small[ARCH_WINDOW_MAX];
	uint64_t h = 0, prev = 0;
	size_t next = 0;
	int r = 0;

	for (uint64_t at = 0; r == 0 && at < n; at += CHUNK) {
		size_t len = n - at < CHUNK ? (size_t)(n - at) : CHUNK;
		const uint8_t *chunk = source_read(src, buf, len, at);
		if (!chunk) {
			r = -EINVAL;
			break;
		}
		h = libc_hash64(chunk, len, h);
		for (; o && r == 0 && next < o->sites.count; next++) {
			const struct arch_window *w = &o->sites.v[next].window;
			if (o->sites.v[next].refusal != ARCH_OK)
				continue;
			int64_t fo = patch_file_offset(o, w->start);
			if (fo < 0 || (uint64_t)fo < prev || (uint64_t)fo + w->len > n) {
				r = -EINVAL;
				break;
			}
			if ((uint64_t)fo + w->len > at + len)
				break; /* in a later chunk */
			prev = (uint64_t)fo + w->len;
			const uint8_t *b = (uint64_t)fo >= at
						   ? chunk + (fo - (int64_t)at)
						   : source_read(src, small, w->len, (uint64_t)fo);
			if (!b || memcmp(b, w->bytes, w->len) != 0)
				r = -EINVAL;
		}
	}
	if (r == 0 && o) {
		for (; next < o->sites.count; next++)
			if (o->sites.v[next].refusal == ARCH_OK)
				r = -EINVAL; /* a window past the bytes checked */
	}
	*hash = h;
	return r;
}

/* Bytes [0, checked) of the file are hashed: its headers and all of its
 * code (an object's first page holds its headers, so the span starts at 0). */
static uint64_t code_checked(const struct patch_object *o, uint64_t size)
{
	uint64_t lo, hi;

	code_span(o, &lo, &hi);
	return hi < size ? hi : size;
}

/* Whether the plan of o agrees with the file bytes it was made from (file:
 * its first h->code_checked bytes) and with this loader's rules: the
 * segments are the file's, every site is inside executable code, in
 * order, with a window the planner could have made over the file's own
 * bytes, and the stubs are laid out as this loader lays them out. */
static int plan_agrees(struct patch_object *o, const struct plan_header *h,
		       const struct patch_cache_source *src)
{
	uint8_t head[4096];
	const uint8_t *file =
		source_read(src, head, h->code_checked < 4096 ? h->code_checked : 4096, 0);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)(const void *)file;
	struct patch_object fresh;
	uint64_t lo, hi, area, prev_end = 0;

	if (!file || h->code_checked < sizeof(*eh) || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > sizeof(head) ||
	    (sizeof(head) - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return 0;
	memset(fresh.seg, 0, sizeof(fresh.seg)); /* compared whole, padding too */
	patch_object_set_segments(&fresh, (const Elf64_Phdr *)(const void *)(file + eh->e_phoff),
				  eh->e_phnum);
	if (fresh.seg_count != o->seg_count ||
	    memcmp(fresh.seg, o->seg, (size_t)o->seg_count * sizeof(o->seg[0])) != 0)
		return 0;
	code_span(o, &lo, &hi);
	if (h->code_checked != code_checked(o, h->id.size) ||
	    (h->text_hi && (h->text_lo != lo || h->text_hi != hi ||
			    h->image_stub_off != PAGE_UP(h->id.size) || !h->image_tag)))
		return 0;
	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		if ((i && s->vaddr <= o->sites.v[i - 1].vaddr) || s->refusal > ARCH_REFUSE_ENTRY ||
		    s->origin > PATCH_ORIGIN_HOOK || s->bounds > ELF_BOUNDS_GAP)
			return 0;
		if (s->refusal != ARCH_OK)
			continue;
		const struct arch_window *w = &s->window;
		int in_code = 0;
		for (int k = 0; k < o->seg_count; k++)
			if ((o->seg[k].flags & PF_X) && w->start >= o->seg[k].vaddr &&
			    w->start - o->seg[k].vaddr <= o->seg[k].filesz &&
			    o->seg[k].filesz - (w->start - o->seg[k].vaddr) >= w->len)
				in_code = 1;
		if (arch_window_check(w) < 0 || w->syscall != s->vaddr || !in_code ||
		    w->start < prev_end)
			return 0;
		prev_end = w->start + w->len;
	}
	if (patch_stub_layout(o, o->stub_off, &area, 0) < 0 || area != o->stub_area)
		return 0;
	return 1;
}

/* Fill o from the plan in buf (plan_size bytes, the file's), once it is
 * checked against src and this loader's rules. Returns 0, or -ENOENT with
 * o as it came. */
static int plan_read(const uint8_t *buf, size_t plan_size, struct patch_object *o,
		     const struct patch_cache_source *src)
{
	const size_t body = offsetof(struct plan_header, id);
	struct patch_identity want = identity(src);
	struct plan_header h;
	uint64_t hash;

	if (plan_size < sizeof(h))
		return -ENOENT;
	memcpy(&h, buf, sizeof(h));
	size_t segs = h.seg_count * sizeof(o->seg[0]);
	size_t sites = h.site_count * sizeof(struct patch_site);
	size_t offs = h.site_count * sizeof(uint32_t);
	if (memcmp(h.magic, MAGIC, 8) != 0 || h.seg_count > 8 || h.site_count > (1 << 20) ||
	    plan_size != sizeof(h) + segs + sites + offs ||
	    h.checksum != libc_hash64(buf + body, plan_size - body, 0) ||
	    memcmp(&h.id, &want, sizeof(want)) != 0 || !(o->state = calloc(h.site_count + 1, 1)) ||
	    !(o->stub_off = calloc(h.site_count + 1, sizeof(uint32_t))))
		goto miss;
	memcpy(o->seg, buf + sizeof(h), segs);
	o->seg_count = (int)h.seg_count;
	o->sites.v = (struct patch_site *)(uintptr_t)(buf + sizeof(h) + segs);
	o->sites.count = o->sites.cap = h.site_count;
	o->stub_area = h.stub_area;
	/* The plan against the rules and the file's headers, then the code
	 * it was made from (the windows' bytes on the way). */
	if (!plan_agrees(o, &h, src) ||
	    memcmp(o->stub_off, buf + sizeof(h) + segs + sites, offs) != 0 ||
	    code_hash(src, h.code_checked, o, &hash) < 0 || hash != h.code_hash)
		goto miss;
	o->image_stub_off = h.image_stub_off;
	o->text_lo = h.text_lo;
	o->text_hi = h.text_hi;
	o->image_tag = h.image_tag;
	o->disassembled = h.disassembled;
	o->hp_timing_vaddr = h.hp_timing_vaddr;
	o->writes_gs = h.writes_gs != 0;
	o->analyzed = 1;
	return 0;

miss: /* o as it came: the caller analyses the object itself */
	free(o->state);
	free(o->stub_off);
	o->state = NULL;
	o->stub_off = NULL;
	o->sites.v = NULL;
	o->sites.count = o->sites.cap = 0;
	o->seg_count = 0;
	o->stub_area = 0;
	return -ENOENT;
}

int patch_cache_load(const char *key, struct patch_object *o, const struct patch_cache_source *src)
{
	char name[256];
	struct stat st;
	long map = -ENOENT;
	size_t plan_size = 0;
	int dfd, fd;

	if (!enabled || (dfd = cache_dir_open()) < 0)
		return -ENOENT;
	snprintf(name, sizeof(name), "%s.plan", key);
	fd = cache_entry_open(dfd, name, &st);
	sys_close(dfd);
	if (fd < 0)
		return -ENOENT;
	/* The plan is mapped, not read: its pages are the page cache's,
	 * shared by every process, and nothing is copied. Its sites are never
	 * written. */
	if ((uint64_t)st.st_size >= sizeof(struct plan_header)) {
		plan_size = (size_t)st.st_size;
		map = sys_mmap(NULL, plan_size, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	sys_close(fd);
	if (sys_is_err(map))
		return -ENOENT;
	if (plan_read((const uint8_t *)map, plan_size, o, src) < 0) {
		sys_munmap((void *)map, plan_size);
		return -ENOENT;
	}
	o->plan_mapped = 1;
	return 0;
}

static int put(int fd, const void *buf, size_t n, uint64_t off)
{
	return sys_pwrite(fd, buf, n, (long)off) == (long)n ? 0 : -EIO;
}

struct plan_source {
	const struct patch_object *o;
	struct plan_header h;
};

static int fill_plan(int fd, const void *arg)
{
	const struct plan_source *p = arg;
	const struct patch_object *o = p->o;
	size_t segs = (size_t)o->seg_count * sizeof(o->seg[0]);
	size_t sites = o->sites.count * sizeof(struct patch_site);
	size_t offs = o->sites.count * sizeof(uint32_t);
	size_t size = sizeof(p->h) + segs + sites + offs;
	uint8_t *plan = malloc(size);
	int r;

	/* Whole in memory first: the checksum covers all of it. */
	if (!plan)
		return -ENOMEM;
	memcpy(plan, &p->h, sizeof(p->h));
	memcpy(plan + sizeof(p->h), o->seg, segs);
	memcpy(plan + sizeof(p->h) + segs, o->sites.v, sites);
	memcpy(plan + sizeof(p->h) + segs + sites, o->stub_off, offs);
	const size_t body = offsetof(struct plan_header, id);
	uint64_t sum = libc_hash64(plan + body, size - body, 0);
	memcpy(plan + offsetof(struct plan_header, checksum), &sum, sizeof(sum));
	r = put(fd, plan, size, 0);
	free(plan);
	return r;
}

struct image_source {
	int fd; /* the original file */
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
	struct image_trailer t = {IMAGE_MAGIC, o->image_tag};
	uint64_t end = o->image_stub_off + o->stub_area;
	int r = 0;

	if (!chunk || sys_ftruncate(fd, (long)(end + sizeof(t))) < 0)
		r = -EIO;
	for (uint64_t at = 0; r == 0 && at < o->image_stub_off;) {
		uint64_t n =
			o->image_stub_off - at < chunk_size ? o->image_stub_off - at : chunk_size;
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
	if (put(fd, s->stubs, o->stub_area, o->image_stub_off))
		return -EIO;
	return put(fd, &t, sizeof(t), end);
}

static int fill_image_entry(int fd, const void *arg)
{
	return fill_image(fd, arg);
}

void patch_cache_store(const char *key, struct patch_object *o,
		       const struct patch_cache_source *src, const uint8_t *stubs,
		       const struct patch_cache_patch *patches, size_t patch_count)
{
	static int pruned;
	struct plan_source plan = {.o = o};
	char name[256];
	int dfd;

	if (!enabled || (dfd = cache_dir_open()) < 0)
		return;
	if (!pruned) {
		cache_dir_prune(dfd, loader_id);
		pruned = 1;
	}
	memcpy(plan.h.magic, MAGIC, 8);
	plan.h.id = identity(src);
	code_span(o, &o->text_lo, &o->text_hi);
	o->image_stub_off = PAGE_UP(src->size);
	plan.h.code_checked = code_checked(o, src->size);
	if (code_hash(src, plan.h.code_checked, NULL, &plan.h.code_hash) < 0) {
		sys_close(dfd);
		return;
	}
	struct image_source image = {src->fd, o, stubs, patches, patch_count};
	o->image_tag = libc_random64();
	snprintf(name, sizeof(name), "%s.img", key);
	if (src->fd < 0 || !stubs || !patch_count || !o->image_tag ||
	    libc_replace_file_at(dfd, name, 0600, 0, fill_image_entry, &image) < 0)
		o->text_lo = o->text_hi = o->image_tag = 0; /* plan only */
	plan.h.image_tag = o->image_tag;
	plan.h.seg_count = (uint64_t)o->seg_count;
	plan.h.site_count = o->sites.count;
	plan.h.stub_area = o->stub_area;
	plan.h.image_stub_off = o->image_stub_off;
	plan.h.text_lo = o->text_lo;
	plan.h.text_hi = o->text_hi;
	plan.h.disassembled = o->disassembled;
	plan.h.hp_timing_vaddr = o->hp_timing_vaddr;
	plan.h.writes_gs = (uint64_t)o->writes_gs;
	snprintf(name, sizeof(name), "%s.plan", key);
	libc_replace_file_at(dfd, name, 0600, 0, fill_plan, &plan);
	sys_close(dfd);
}

/* The image of o's entry, opened and checked: the plan's (its tag), and
 * exactly as long as the plan says, so no mapped page is past its end
 * (SIGBUS). Returns the descriptor, -ENOENT, or -ESTALE when the image is
 * there but not this plan's (then the caller makes the entry again). */
static int open_image(const struct patch_object *o)
{
	struct image_trailer t;
	uint64_t end = o->image_stub_off + o->stub_area;
	char name[256];
	struct stat st;
	int dfd, fd;

	if ((dfd = cache_dir_open()) < 0)
		return dfd;
	snprintf(name, sizeof(name), "%s.img", o->cache_key);
	fd = cache_entry_open(dfd, name, &st);
	sys_close(dfd);
	if (fd == -ENOENT)
		return fd;
	if (fd < 0)
		return -ESTALE;
	if ((uint64_t)st.st_size != end + sizeof(t) ||
	    sys_pread(fd, &t, sizeof(t), (long)end) != sizeof(t) ||
	    memcmp(t.magic, IMAGE_MAGIC, 8) != 0 || t.tag != o->image_tag) {
		sys_close(fd);
		return -ESTALE;
	}
	return fd;
}

int patch_cache_map(struct patch_object *o, uintptr_t addr, size_t len, int prot, uint64_t off,
		    uintptr_t base)
{
	long fd, r;

	if (!enabled || !o->cache_key[0] || o->text_hi <= o->text_lo || !o->stub_area ||
	    off < o->text_lo || off + len > o->text_hi)
		return -ENOENT;
	if (o->arena && o->arena != base - o->stub_area)
		return -EEXIST; /* stubs already elsewhere: the image does not fit */
	fd = open_image(o);
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
			libc_own_add(o->arena, o->arena + o->stub_area, LIBC_OWN_STUBS);
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
