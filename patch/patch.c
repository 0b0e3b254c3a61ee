// SPDX-License-Identifier: MIT
/*
 * Applying rewrite windows to mapped code.
 *
 * For each executable mapping of an object: find the object's plan (from
 * the cache, or by analysing the file once with the site finder), give
 * every rewritable site a stub in one arena laid out in site order, and
 * make the mapping's code jump to them. The arena goes right below the
 * object's base (ld.so maps objects top-down, so that space is free when
 * the object is mapped): then the code and the stubs only ever differ by
 * the object's base, and a cached image of the patched code (cache.c) can
 * simply be mapped instead of patching pages one by one.
 *
 * Patching in memory writes the windows with one mprotect around all of
 * them (nothing runs the new mapping yet) or, for the vDSO and code that
 * may be running, through /proc/self/mem, which never makes live code
 * non-executable. Every window's bytes are compared with the plan's before
 * they are replaced. Protections end as they were. A site that cannot be
 * rewritten is refused, and a refused site, or an object that cannot be
 * analysed, arms the net.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "cache.h"
#include "arch.h"
#include "code_index.h"
#include "context.h"
#include "decode.h"
#include "elf_view.h"
#include "noted.h"
#include "objects.h"
#include "code_memory.h"
#include "patch.h"
#include "stub.h"

static const char *arm_reason;

static int gs_writer_mapped;

static void want_net(const char *reason)
{
	if (!arm_reason)
		arm_reason = reason;
}

/* Arm the net after leaving the loader context (arming signals threads);
 * then, if code that sets %gs itself was mapped, let the hooks hand %gs
 * over to the program before that code runs. */
static void settle_net(void)
{
	const char *r = arm_reason;
	int gs = gs_writer_mapped;

	arm_reason = NULL;
	gs_writer_mapped = 0;
	if (r)
		patch_arm_net(r);
	if (gs)
		patch_gs_writer("code that sets %gs itself (wrgsbase) was mapped");
}

static void set_state(struct patch_object *o, size_t i, enum patch_site_state s)
{
	if (o->state[i] == s)
		return;
	if (s == PATCH_SITE_REFUSED)
		want_net("a syscall site could not be rewritten");
	patch_site_set(o, i, s);
}

static uintptr_t object_base(const struct patch_object *o)
{
	return o->bias + PAGE_DOWN(o->seg[0].vaddr);
}

static uintptr_t object_end(const struct patch_object *o)
{
	const __typeof__(o->seg[0]) *last = &o->seg[o->seg_count - 1];

	return o->bias + PAGE_UP(last->vaddr + last->memsz);
}

int patch_stub_layout(struct patch_object *o, uint32_t *offs, uint64_t *area, int refuse)
{
	uint8_t scratch[ARCH_STUB_MAX];
	uint64_t at = 0, base = 1ULL << 40, span = object_end(o) - object_base(o);

	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		offs[i] = 0;
		if (s->refusal != ARCH_OK)
			continue;
		/* Worst case for reach: the arena a full object span below. */
		int n = arch_stub_emit(&s->window, s->window.bytes,
				       base + (s->window.start - o->seg[0].vaddr), base - span,
				       scratch);
		if (n < 0 && !refuse)
			return -EINVAL;
		if (n < 0) {
			o->sites.v[i].refusal = ARCH_REFUSE_NO_ROOM;
			continue;
		}
		offs[i] = (uint32_t)at;
		at += (uint64_t)n;
	}
	*area = PAGE_UP(at);
	return 0;
}

/* Lay out a fresh plan's stubs. */
static int layout(struct patch_object *o)
{
	o->stub_off = calloc(o->sites.count + 1, sizeof(*o->stub_off));
	if (!o->stub_off)
		return -ENOMEM;
	return patch_stub_layout(o, o->stub_off, &o->stub_area, 1);
}

/* Every stub, for the object at base and the arena at arena, into buf. */
static void build_stubs(const struct patch_object *o, uintptr_t base, uintptr_t arena, uint8_t *buf)
{
	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		if (s->refusal == ARCH_OK)
			arch_stub_emit(&s->window, s->window.bytes,
				       base + (s->window.start - PAGE_DOWN(o->seg[0].vaddr)),
				       arena + o->stub_off[i], buf + o->stub_off[i]);
	}
}

/* The bytes that replace site i's window, for the object at base and the
 * arena at arena. */
static void site_bytes(const struct patch_object *o, size_t i, uintptr_t base, uintptr_t arena,
		       uint8_t *out)
{
	const struct patch_site *s = &o->sites.v[i];

	arch_stub_site_bytes(&s->window, base + (s->window.start - PAGE_DOWN(o->seg[0].vaddr)),
			     arena + o->stub_off[i], out);
}

/* Map and fill o's arena (once per object). Returns 0 or -errno. */
static int make_arena(struct patch_object *o)
{
	uintptr_t base = object_base(o);

	if (o->arena || o->stub_area == 0)
		return 0;
	uintptr_t arena = patch_arena_near(base, object_end(o), o->stub_area);
	if (!arena)
		return -ENOMEM;
	build_stubs(o, base, arena, (uint8_t *)arena);
	/* Kept only once executable: a later mapping of the object would
	 * otherwise take an arena that is there as its stubs. */
	int r = patch_arena_seal(arena, o->stub_area);
	if (r == 0)
		o->arena = arena;
	return r;
}

/* Patch o's pending sites inside [lo, hi) (runtime addresses) in memory:
 * with one mprotect around all the writes, or (live, or when the code
 * cannot be made writable) through /proc/self/mem. Returns 0, or -errno
 * when the code, written, could not be given its protection prot again:
 * then it is not executable, its sites are left pending, and the caller
 * must map the file's bytes there afresh. */
static int patch_range(struct patch_object *o, uintptr_t lo, uintptr_t hi, int prot, int live)
{
	uintptr_t base = object_base(o);
	size_t count = 0;

	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		uintptr_t pc = o->bias + s->vaddr, w = o->bias + s->window.start;
		if (o->state[i] != PATCH_SITE_PENDING || pc < lo || pc >= hi)
			continue;
		if (s->refusal != ARCH_OK || w < lo || w + s->window.len > hi ||
		    memcmp((void *)w, s->window.bytes, s->window.len) != 0)
			set_state(o, i, PATCH_SITE_REFUSED); /* or not the file's bytes */
		else
			count++;
	}
	if (count == 0)
		return 0;
	if (make_arena(o) < 0) {
		for (size_t i = 0; i < o->sites.count; i++) {
			uintptr_t pc = o->bias + o->sites.v[i].vaddr;
			if (o->state[i] == PATCH_SITE_PENDING && pc >= lo && pc < hi)
				set_state(o, i, PATCH_SITE_REFUSED);
		}
		return 0;
	}
	if (!live && sys_mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE) < 0)
		live = 1;
	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		uintptr_t pc = o->bias + s->vaddr, w = o->bias + s->window.start;
		uint8_t bytes[ARCH_WINDOW_MAX];

		if (o->state[i] != PATCH_SITE_PENDING || pc < lo || pc >= hi)
			continue;
		site_bytes(o, i, base, o->arena, bytes);
		if (!live)
			memcpy((void *)w, bytes, s->window.len);
		else if (patch_write_live(w, bytes, s->window.len) < 0)
			set_state(o, i, PATCH_SITE_REFUSED);
		else
			set_state(o, i, PATCH_SITE_REWRITTEN);
	}
	if (live)
		return 0;
	/* Rewritten only once the code can run again. */
	long r = sys_mprotect((void *)lo, hi - lo, prot);
	if (r < 0)
		return (int)r;
	for (size_t i = 0; i < o->sites.count; i++) {
		uintptr_t pc = o->bias + o->sites.v[i].vaddr;
		if (o->state[i] == PATCH_SITE_PENDING && pc >= lo && pc < hi)
			set_state(o, i, PATCH_SITE_REWRITTEN);
	}
	return 0;
}

/* The code at [addr, addr + len) was written but cannot be made
 * executable again: map the file's bytes there afresh and patch them
 * live, which changes no protection. When even that fails the program
 * cannot run its code: say so and end, as the kernel's execve would. */
static void patch_afresh(struct patch_object *o, uintptr_t addr, size_t len, int prot, int fd,
			 uint64_t off, int why)
{
	long r = sys_mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_FIXED, fd, (long)off);

	if (!sys_is_err(r)) {
		patch_range(o, addr, addr + len, prot, 1);
		return;
	}
	dprintf(2,
		"libos-loader: patched code cannot be made executable again (mprotect: %s) "
		"nor mapped afresh (mmap: %s)\n",
		strerror(-why), strerror((int)-r));
	sys_exit_group(126);
}

/* Find and plan o's sites: from its LibOS site list when it has one
 * (noted.c), else by disassembly. name is for messages. */
/* Whether the object's code may set %gs itself (hooks/gs.c says why
 * that matters): 0.15 ms over libc's code, once per analysis (the plan
 * keeps the answer). */
static int writes_gs(const struct elf_code_index *ix)
{
	for (size_t i = 0; i < ix->range_count; i++) {
		const struct elf_code_range *range = &ix->ranges[i];
		const uint8_t *code = elf_view_at(ix->view, range->lo, range->hi - range->lo);
		if (code && arch_code_writes_gs(code, code + (range->hi - range->lo)))
			return 1;
	}
	return 0;
}

static int analyse(struct patch_object *o, struct elf_view *v, const char *name)
{
	struct elf_code_index ix;
	int r;

	patch_object_set_segments(o, v->ph, v->eh->e_phnum);
	r = o->seg_count ? patch_noted_analyse(o, v, name) : -ENOEXEC;
	if (r == 0) {
		r = elf_code_index_open(&ix, v);
		if (r == 0) {
			o->writes_gs = writes_gs(&ix);
			r = patch_find_sites(&ix, &o->sites);
			elf_code_index_free(&ix);
		}
		o->disassembled = o->sites.regions;
	}
	if (r == 1)
		r = 0;
	if (r == 0)
		r = layout(o);
	if (r == 0) {
		o->state = calloc(o->sites.count + 1, 1);
		if (!o->state)
			r = -ENOMEM;
	}
	o->analyzed = r == 0;
	o->analysis_error = r;
	return r;
}

/* Put o's plan, and its patched image built from the file at fd, in the
 * cache: stubs laid out for an arena right below the object. */
static void store(struct patch_object *o, const struct patch_cache_source *src, const char *key)
{
	struct patch_cache_patch *patches = calloc(o->sites.count + 1, sizeof(*patches));
	uint8_t *stubs = o->stub_area ? calloc(1, o->stub_area) : NULL;
	const uintptr_t base = 1ULL << 40; /* any: only differences are stored */
	size_t n = 0;

	if (patches && stubs) {
		build_stubs(o, base, base - o->stub_area, stubs);
		for (size_t i = 0; i < o->sites.count; i++) {
			int64_t fo = patch_file_offset(o, o->sites.v[i].window.start);
			if (o->sites.v[i].refusal != ARCH_OK || fo < 0)
				continue;
			patches[n].offset = (uint64_t)fo;
			patches[n].len = o->sites.v[i].window.len;
			site_bytes(o, i, base, base - o->stub_area, patches[n].bytes);
			n++;
		}
	}
	patch_cache_store(key, o, src, stubs, patches, n);
	free(patches);
	free(stubs);
}

static struct patch_object *new_object(const char *path, uint64_t dev, uint64_t ino)
{
	struct patch_object *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	strncpy(o->path, path, sizeof(o->path) - 1);
	o->dev = dev;
	o->ino = ino;
	return o;
}

static void add_map(struct patch_object *o, uintptr_t lo, uintptr_t hi)
{
	int n = o->map_count;

	if (n < PATCH_OBJECT_MAPS) {
		o->maps[n].lo = lo;
		o->maps[n].hi = hi;
		__atomic_store_n(&o->map_count, n + 1, __ATOMIC_RELEASE);
	}
}

/* The bias that puts file offset off of an executable segment at addr. */
static int bias_for(const struct patch_object *o, uintptr_t addr, uint64_t off, uintptr_t *bias)
{
	for (int i = 0; i < o->seg_count; i++) {
		if (!(o->seg[i].flags & PF_X))
			continue;
		if (off >= PAGE_DOWN(o->seg[i].offset) &&
		    off < o->seg[i].offset + o->seg[i].filesz) {
			*bias = addr - off + o->seg[i].offset - o->seg[i].vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

/* The object instance of the file at fd mapped so that off is at addr:
 * known (mapped there, or unmapped and now mapped again, anywhere: its
 * plan holds, its site states and arena went with its mapping), from the
 * cache, or analysed now. */
static struct patch_object *object_for(struct tls_context *ctx, int fd, const struct stat *st,
				       uintptr_t addr, uint64_t off)
{
	struct patch_object *o, *unmapped = NULL;
	uintptr_t bias;
	char key[192];
	const struct patch_identity id = patch_identity_of(st, (uint64_t)st->st_size);

	for (o = patch_objects(); o; o = o->next) {
		if (!o->analyzed || memcmp(&o->id, &id, sizeof(id)) != 0 ||
		    bias_for(o, addr, off, &bias) < 0)
			continue;
		if (patch_object_mapped(o) && bias == o->bias)
			return o;
		if (!patch_object_mapped(o) && !unmapped)
			unmapped = o;
	}
	if (unmapped) {
		bias_for(unmapped, addr, off, &unmapped->bias);
		return unmapped;
	}

	/* Its path is looked up when a report needs it (report.c). */
	o = new_object("", st->st_dev, st->st_ino);
	if (!o)
		return NULL;
	o->id = id;
	struct patch_cache_source src = {fd, st, NULL, (uint64_t)st->st_size};
	int keyed = patch_cache_key(&src, key, sizeof(key)) == 0;
	if (keyed)
		strcpy(o->cache_key, key);
	if (!keyed || patch_cache_load(key, o, &src) < 0) {
		struct elf_view v;
		const char *why = NULL;
		tls_context_foreign(ctx);
		libc_fd_path(fd, o->path, sizeof(o->path));
		if (elf_view_open_fd(&v, fd, &why) == 0) {
			analyse(o, &v, o->path);
			elf_view_close(&v);
		}
		/* Refused site list entries are reported at every start: such
		 * an object is analysed each time, never cached. */
		if (o->analyzed && keyed && !o->note_refused)
			store(o, &src, key);
	}
	if (o->analyzed && bias_for(o, addr, off, &o->bias) < 0)
		o->analyzed = 0;
	patch_objects_push(o);
	return o;
}

void patch_file_mapping(uintptr_t addr, size_t len, int prot, int fd, uint64_t off, int live)
{
	struct tls_context ctx;
	struct patch_object *o;
	struct stat st;
	uint64_t t0;

	if (!patch_rewrites())
		return;
	tls_context_enter(&ctx);
	if (!patch_rewrites()) { /* %gs was handed over meanwhile (unrewrite.c) */
		tls_context_leave(&ctx);
		return;
	}
	t0 = libc_now_ns();
	if (prot & PROT_WRITE)
		want_net("writable executable memory");
	if (sys_fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFREG) {
		want_net("executable memory that is not a file");
	} else if (!(o = object_for(&ctx, fd, &st, addr, off))) {
		want_net("out of memory while patching");
	} else if (!o->analyzed) {
		want_net("an executable object the loader could not analyse");
	} else {
		if (o->writes_gs)
			gs_writer_mapped = 1;
		add_map(o, addr, addr + len);
		/* Mapped again where it was: its retired stubs are its own. */
		if (!o->arena && o->stub_area)
			o->arena = patch_arena_reclaim(o, o->bias, o->stub_area);
		int mapped = patch_cache_map(o, addr, len, prot, off, object_base(o));
		if (mapped == -ESTALE) {
			/* A good plan with a bad image (damaged, replaced, not
			 * a file): make the entry again, then map the new one. */
			struct patch_cache_source src = {fd, &st, NULL, (uint64_t)st.st_size};
			store(o, &src, o->cache_key);
			mapped = patch_cache_map(o, addr, len, prot, off, object_base(o));
		}
		if (mapped == 0) {
			for (size_t i = 0; i < o->sites.count; i++) {
				uintptr_t pc = o->bias + o->sites.v[i].vaddr;
				if (o->state[i] == PATCH_SITE_PENDING && pc >= addr &&
				    pc < addr + len)
					set_state(o, i,
						  o->sites.v[i].refusal == ARCH_OK
							  ? PATCH_SITE_REWRITTEN
							  : PATCH_SITE_REFUSED);
			}
		} else if ((mapped = patch_range(o, addr, addr + len, prot, live)) < 0) {
			patch_afresh(o, addr, len, prot, fd, off, mapped);
		}
	}
	patch_add_time(libc_now_ns() - t0);
	tls_context_leave(&ctx);
	settle_net();
}

void patch_vdso(uintptr_t base)
{
	struct tls_context ctx;
	struct patch_object *o;
	struct elf_view v;
	const char *why = NULL;
	uint64_t t0, size = 0;

	if (!base || !patch_rewrites())
		return;
	tls_context_enter(&ctx);
	t0 = libc_now_ns();
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size)
			size = ph[i].p_offset + ph[i].p_filesz;
	o = new_object("[vdso]", 0, 0);
	if (o) {
		char key[192];
		o->bias = base;
		struct patch_cache_source src = {-1, NULL, (const void *)base, size};
		int keyed = patch_cache_key(&src, key, sizeof(key)) == 0;
		if (!keyed || patch_cache_load(key, o, &src) < 0) {
			tls_context_foreign(&ctx);
			if (elf_view_open_memory(&v, (const void *)base, size, &why) == 0)
				analyse(o, &v, "[vdso]");
			if (o->analyzed && keyed && !o->note_refused)
				store(o, &src, key);
		}
	}
	if (!o || !o->analyzed) {
		want_net("the vDSO could not be analysed");
	} else {
		for (int i = 0; i < o->seg_count; i++) {
			if (!(o->seg[i].flags & PF_X))
				continue;
			uintptr_t lo = base + PAGE_DOWN(o->seg[i].vaddr);
			uintptr_t hi = base + PAGE_UP(o->seg[i].vaddr + o->seg[i].filesz);
			add_map(o, lo, hi);
			patch_range(o, lo, hi, PROT_READ | PROT_EXEC, 1);
		}
		patch_objects_push(o);
	}
	patch_add_time(libc_now_ns() - t0);
	tls_context_leave(&ctx);
	settle_net();
}

void patch_protect(uintptr_t addr, size_t len, int prot)
{
	long site;
	struct patch_object *o = patch_object_at(addr, &site);

	(void)len;
	if (prot & PROT_WRITE)
		patch_arm_net("writable executable memory");
	else if (!o)
		patch_arm_net("memory made executable with mprotect");
}
