// SPDX-License-Identifier: MIT
/*
 * Applying rewrite windows to mapped code.
 *
 * For each executable mapping of an object: find the object (analysed once
 * per process, from the file, with the site finder), pick the sites whose
 * whole window lies in the mapping, allocate a stub arena within reach
 * (just below the object when that space is free: ld.so maps objects
 * top-down, so it usually is), generate every stub, check that the bytes
 * in memory are the file's, and write each window's jmp. Code is written
 * with mprotect around the copy (the mapping is new and nothing runs it
 * yet) or, for the vDSO and for code that may be running, through
 * /proc/self/mem, which never makes live code non-executable. Protections
 * end as they were. A site that cannot be rewritten is refused, and a
 * refused site or an object that cannot be analysed arms the net.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "code_index.h"
#include "decode.h"
#include "context.h"
#include "elf_view.h"
#include "hooks.h"
#include "objects.h"
#include "patch.h"
#include "stub.h"

#define ARENA_SEARCH_STEP  (64 * 1024)
#define ARENA_SEARCH_TRIES 1024

static const char *arm_reason;

static void want_net(const char *reason)
{
	if (!arm_reason)
		arm_reason = reason;
}

/* Arm the net after leaving the loader context (arming signals threads). */
static void settle_net(void)
{
	const char *r = arm_reason;

	arm_reason = NULL;
	if (r)
		hook_net_arm(r);
}

static int analyse(struct ldr_object *o, struct ldr_view *v)
{
	struct ldr_code_index ix;
	int r;

	o->seg_count = 0;
	for (int i = 0; i < v->eh->e_phnum && o->seg_count < 8; i++) {
		const Elf64_Phdr *p = &v->ph[i];
		if (p->p_type != PT_LOAD)
			continue;
		o->seg[o->seg_count].vaddr = p->p_vaddr;
		o->seg[o->seg_count].offset = p->p_offset;
		o->seg[o->seg_count].filesz = p->p_filesz;
		o->seg[o->seg_count].memsz = p->p_memsz;
		o->seg[o->seg_count].flags = p->p_flags;
		o->seg_count++;
	}
	r = ldr_code_index_open(&ix, v);
	if (r == 0) {
		r = arch_find_sites(&ix, &o->sites);
		ldr_code_index_free(&ix);
	}
	if (r == 0) {
		o->state = calloc(o->sites.count + 1, 1);
		if (!o->state)
			r = -ENOMEM;
	}
	o->analyzed = r == 0;
	o->analysis_error = r;
	return r;
}

static uintptr_t object_lo(const struct ldr_object *o)
{
	return o->bias + LDR_PAGE_DOWN(o->seg[0].vaddr);
}

static uintptr_t object_hi(const struct ldr_object *o)
{
	const __typeof__(o->seg[0]) *last = &o->seg[o->seg_count - 1];

	return o->bias + LDR_PAGE_UP(last->vaddr + last->memsz);
}

/* Anonymous memory for stubs within reach of [lo, hi): below lo first. */
static uintptr_t arena_near(uintptr_t lo, uintptr_t hi, size_t size)
{
	size = LDR_PAGE_UP(size);
	for (unsigned k = 0; k < ARENA_SEARCH_TRIES; k++) {
		uintptr_t below = lo - size - (uintptr_t)k * ARENA_SEARCH_STEP;
		uintptr_t above = LDR_PAGE_UP(hi) + (uintptr_t)k * ARENA_SEARCH_STEP;
		uintptr_t try[2] = {below, above};
		for (int i = 0; i < 2; i++) {
			if (try[i] < 0x10000 || try[i] + size > LDR_TASK_SIZE)
				continue;
			long r = sys_mmap((void *)try[i], size, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (!sys_is_err(r) && (uintptr_t)r == try[i])
				return try[i];
			if (!sys_is_err(r))
				sys_munmap((void *)r, size);
		}
	}
	return 0;
}

/* Write len bytes at addr in code mapped with prot. */
static int write_code(uintptr_t addr, const uint8_t *bytes, size_t len, int prot, int via_mem)
{
	if (via_mem) {
		long fd = sys_open("/proc/self/mem", O_RDWR);
		long r;
		if (fd < 0)
			return (int)fd;
		r = sys_pwrite((int)fd, bytes, len, (long)addr);
		sys_close((int)fd);
		return r == (long)len ? 0 : -EIO;
	}
	uintptr_t lo = LDR_PAGE_DOWN(addr), hi = LDR_PAGE_UP(addr + len);
	long r = sys_mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE);
	if (r < 0)
		return (int)r;
	memcpy((void *)addr, bytes, len);
	return (int)sys_mprotect((void *)lo, hi - lo, prot);
}

static void set_state(struct ldr_object *o, size_t i, enum ldr_site_state s)
{
	if (o->state[i] == s)
		return;
	if (s == LDR_SITE_REWRITTEN)
		o->rewritten++;
	if (s == LDR_SITE_REFUSED) {
		o->refused++;
		want_net("a syscall site could not be rewritten");
	}
	o->state[i] = (uint8_t)s;
}

/* Patch the pending sites of o inside [lo, hi) (runtime addresses). */
static void patch_range(struct ldr_object *o, uintptr_t lo, uintptr_t hi, int prot, int via_mem)
{
	size_t count = 0, used = 0;
	uintptr_t arena;

	for (size_t i = 0; i < o->sites.count; i++) {
		const struct arch_site *s = &o->sites.v[i];
		uintptr_t pc = o->bias + s->vaddr;
		if (o->state[i] != LDR_SITE_PENDING || pc < lo || pc >= hi)
			continue;
		uintptr_t w = o->bias + s->window.start;
		if (s->refusal != ARCH_OK || w < lo || w + s->window.len > hi)
			set_state(o, i, LDR_SITE_REFUSED);
		else
			count++;
	}
	if (count == 0)
		return;
	arena = arena_near(object_lo(o), object_hi(o), count * ARCH_STUB_MAX);
	for (size_t i = 0; i < o->sites.count; i++) {
		const struct arch_site *s = &o->sites.v[i];
		uintptr_t pc = o->bias + s->vaddr, w = o->bias + s->window.start;
		uint8_t site_bytes[ARCH_WINDOW_MAX];
		int n;

		if (o->state[i] != LDR_SITE_PENDING || pc < lo || pc >= hi)
			continue;
		if (!arena || memcmp((void *)w, s->window.bytes, s->window.len) != 0) {
			set_state(o, i, LDR_SITE_REFUSED); /* not the file's bytes: leave it alone */
			continue;
		}
		n = arch_stub_emit(&s->window, s->window.bytes, w, arena + used,
				   (uint8_t *)(arena + used));
		if (n < 0 || arch_stub_site_bytes(&s->window, w, arena + used, site_bytes) < 0 ||
		    write_code(w, site_bytes, s->window.len, prot, via_mem) < 0) {
			set_state(o, i, LDR_SITE_REFUSED);
			continue;
		}
		used += (size_t)n;
		set_state(o, i, LDR_SITE_REWRITTEN);
	}
	if (arena) {
		size_t size = LDR_PAGE_UP(count * ARCH_STUB_MAX), keep = LDR_PAGE_UP(used);
		if (keep < size)
			sys_munmap((void *)(arena + keep), size - keep);
		if (keep)
			sys_mprotect((void *)arena, keep, PROT_READ | PROT_EXEC);
	}
}

static struct ldr_object *new_object(const char *path, uint64_t dev, uint64_t ino)
{
	struct ldr_object *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	strncpy(o->path, path, sizeof(o->path) - 1);
	o->dev = dev;
	o->ino = ino;
	return o;
}

static void add_map(struct ldr_object *o, uintptr_t lo, uintptr_t hi)
{
	if (o->map_count < LDR_OBJECT_MAPS) {
		o->maps[o->map_count].lo = lo;
		o->maps[o->map_count].hi = hi;
		o->map_count++;
	}
}

/* The bias that puts file offset off of an executable segment at addr. */
static int bias_for(const struct ldr_object *o, uintptr_t addr, uint64_t off, uintptr_t *bias)
{
	for (int i = 0; i < o->seg_count; i++) {
		if (!(o->seg[i].flags & PF_X))
			continue;
		if (off >= LDR_PAGE_DOWN(o->seg[i].offset) && off < o->seg[i].offset + o->seg[i].filesz) {
			*bias = addr - off + o->seg[i].offset - o->seg[i].vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

void ldr_patch_file_mapping(uintptr_t addr, size_t len, int prot, int fd, uint64_t off)
{
	struct ldr_context ctx;
	struct ldr_object *o;
	struct stat st;
	uintptr_t bias;
	uint64_t t0;

	if (hook_state.opt.mode == HOOK_MODE_SUD_ONLY)
		return;
	ldr_context_enter(&ctx);
	t0 = ldr_now_ns();
	if (prot & PROT_WRITE)
		want_net("writable executable memory");
	if (sys_fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFREG) {
		want_net("executable memory that is not a file");
		goto out;
	}
	for (o = ldr_objects(); o; o = o->next)
		if (o->dev == st.st_dev && o->ino == st.st_ino && o->analyzed &&
		    bias_for(o, addr, off, &bias) == 0 && bias == o->bias)
			break;
	if (!o) {
		char link[64], path[256];
		struct ldr_view v;
		const char *why = NULL;
		long n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = sys_readlink(link, path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
		o = new_object(n > 0 ? path : "?", st.st_dev, st.st_ino);
		if (!o) {
			want_net("out of memory while patching");
			goto out;
		}
		if (ldr_view_open_fd(&v, fd, &why) == 0) {
			analyse(o, &v);
			ldr_view_close(&v);
		} else {
			o->analysis_error = -ENOEXEC;
		}
		if (!o->analyzed || bias_for(o, addr, off, &o->bias) < 0) {
			o->analyzed = 0;
			want_net("an executable object the loader could not analyse");
		}
		ldr_objects_push(o);
	}
	add_map(o, addr, addr + len);
	if (o->analyzed)
		patch_range(o, addr, addr + len, prot, 0);
out:
	hook_state.patch_ns += ldr_now_ns() - t0;
	ldr_context_leave(&ctx);
	settle_net();
}

void ldr_patch_vdso(uintptr_t base)
{
	struct ldr_context ctx;
	struct ldr_object *o;
	struct ldr_view v;
	const char *why = NULL;
	uint64_t t0, size = 0;

	if (!base || hook_state.opt.mode == HOOK_MODE_SUD_ONLY)
		return;
	ldr_context_enter(&ctx);
	t0 = ldr_now_ns();
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset + ph[i].p_filesz > size)
			size = ph[i].p_offset + ph[i].p_filesz;
	o = new_object("[vdso]", 0, 0);
	if (o && ldr_view_open_memory(&v, (const void *)base, size, &why) == 0) {
		o->bias = base;
		analyse(o, &v);
	}
	if (!o || !o->analyzed) {
		want_net("the vDSO could not be analysed");
	} else {
		for (int i = 0; i < o->seg_count; i++) {
			if (!(o->seg[i].flags & PF_X))
				continue;
			uintptr_t lo = base + LDR_PAGE_DOWN(o->seg[i].vaddr);
			uintptr_t hi = base + LDR_PAGE_UP(o->seg[i].vaddr + o->seg[i].filesz);
			add_map(o, lo, hi);
			patch_range(o, lo, hi, PROT_READ | PROT_EXEC, 1);
		}
		ldr_objects_push(o);
	}
	hook_state.patch_ns += ldr_now_ns() - t0;
	ldr_context_leave(&ctx);
	settle_net();
}

void ldr_patch_protect(uintptr_t addr, size_t len, int prot)
{
	long site;
	struct ldr_object *o = ldr_object_at(addr, &site);

	if (prot & PROT_WRITE)
		hook_net_arm("writable executable memory");
	else if (!o)
		hook_net_arm("memory made executable with mprotect");
}

/* The mapping of /proc/self/maps that holds pc: bounds and whether it is
 * readable. Returns 0, or -ENOENT. */
static int mapping_of(uintptr_t pc, uintptr_t *lo, uintptr_t *hi, int *readable)
{
	char buf[8192];
	size_t have = 0;
	long fd = sys_open("/proc/self/maps", O_RDONLY), n;
	int found = -ENOENT;

	if (fd < 0)
		return (int)fd;
	while (found && (n = sys_read((int)fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while (found && (nl = strchr(line, '\n'))) {
			char *end;
			uintptr_t a = strtoul(line, &end, 16), b = strtoul(end + 1, &end, 16);
			if (pc >= a && pc < b) {
				*lo = a;
				*hi = b;
				*readable = end[1] == 'r';
				found = 0;
			}
			line = nl + 1;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
	}
	sys_close((int)fd);
	return found;
}

int ldr_patch_lazy(uintptr_t pc)
{
	struct ldr_context ctx;
	struct arch_decoded d = {0};
	struct arch_window w;
	uintptr_t lo, hi, arena = 0;
	int readable, done = 0;
	uint64_t t0;

	if (hook_state.opt.mode == HOOK_MODE_SUD_ONLY)
		return 0;
	ldr_context_enter(&ctx);
	t0 = ldr_now_ns();
	/* Code nobody described: decode from the start of its mapping, and
	 * rewrite only if that decoding lands on the trapped instruction. */
	if (mapping_of(pc, &lo, &hi, &readable) < 0 || !readable)
		goto out;
	if (hi - lo > (1 << 20))
		lo = pc > lo + (1 << 20) ? pc - (1 << 20) : lo;
	if (hi > pc + 64)
		hi = pc + 64;
	if (arch_decode((const uint8_t *)lo, lo, hi - lo, NULL, NULL, &d) < 0)
		goto out;
	for (size_t i = 0; i < d.count; i++) {
		if (d.insn[i].addr != pc || d.insn[i].cls != ARCH_INSN_SYSCALL)
			continue;
		if (arch_plan_window(&d, i, &w) != ARCH_OK)
			break;
		memcpy(w.bytes, (const void *)w.start, w.len);
		arena = arena_near(pc, pc, ARCH_STUB_MAX);
		uint8_t site_bytes[ARCH_WINDOW_MAX];
		if (arena && arch_stub_emit(&w, w.bytes, w.start, arena, (uint8_t *)arena) > 0 &&
		    arch_stub_site_bytes(&w, w.start, arena, site_bytes) == 0 &&
		    sys_mprotect((void *)arena, LDR_PAGE_SIZE, PROT_READ | PROT_EXEC) == 0 &&
		    write_code(w.start, site_bytes, w.len, 0, 1) == 0)
			done = 1;
		break;
	}
	if (!done && arena)
		sys_munmap((void *)arena, LDR_PAGE_SIZE);
out:
	arch_decoded_free(&d);
	hook_state.patch_ns += ldr_now_ns() - t0;
	ldr_context_leave(&ctx);
	return done;
}
