// SPDX-License-Identifier: MIT
/*
 * Linking a mapped LibOS module (module_image.h).
 *
 * A module is a freestanding shared object: no DT_NEEDED, no undefined
 * symbol, no TLS, no text relocations; only the relocations a
 * position-independent object refers to itself with (RELATIVE, and 64,
 * GLOB_DAT, JUMP_SLOT against its own symbols). Its initialisers are not
 * run: the init hook is its start. Every address the file gives is
 * checked against the module's own segments before it is read, written,
 * called or printed: the span the mapping reserved is not enough, since
 * bytes between segments are not the module's (and may not be mapped),
 * a read-only segment cannot take a relocation, and a hook must be code.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "elf.h"
#include "module_image.h"
#include "reloc.h"

#define NAME_MAX_LEN 255

struct dyn_info {
	const struct hook_module_image *im;
	const Elf64_Sym *symtab;
	const char *strtab;
	const uint32_t *hash, *gnu_hash;
	const Elf64_Rela *rela, *jmprel;
	uint64_t relasz, jmprelsz, strsz;
};

int hook_module_image_segments(struct hook_module_image *im, uintptr_t bias, const Elf64_Phdr *ph,
			       int phnum, const char **why)
{
	im->bias = bias;
	im->seg_count = 0;
	for (int i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (im->seg_count == HOOK_MODULE_SEGMENTS_MAX) {
			*why = "it has too many segments";
			return -ENOEXEC;
		}
		uintptr_t lo = bias + ph[i].p_vaddr;
		im->seg[im->seg_count++] =
			(struct hook_module_segment){lo, lo + ph[i].p_memsz, ph[i].p_flags};
	}
	if (im->seg_count == 0) {
		*why = "it has no loadable segment";
		return -ENOEXEC;
	}
	return 0;
}

/* The segment with all of flags that holds [p, p + len), or NULL. */
static const struct hook_module_segment *segment(const struct hook_module_image *im, uintptr_t p,
						 uint64_t len, uint32_t flags)
{
	for (int i = 0; i < im->seg_count; i++) {
		const struct hook_module_segment *s = &im->seg[i];
		if ((s->flags & flags) == flags && p >= s->lo && len <= s->hi - s->lo &&
		    p - s->lo <= s->hi - s->lo - len)
			return s;
	}
	return NULL;
}

/* [p, p + len) is in a readable segment, and p aligned for what is read
 * there (align: a power of two). */
static int readable(const struct dyn_info *d, const void *p, uint64_t len, uintptr_t align)
{
	return (uintptr_t)p % align == 0 && segment(d->im, (uintptr_t)p, len, PF_R) != NULL;
}

/* A pointer the module's code may hold: into one of its segments, or
 * just past one's end (the end of an array). */
static int points_inside(const struct hook_module_image *im, uintptr_t p)
{
	for (int i = 0; i < im->seg_count; i++)
		if (p >= im->seg[i].lo && p <= im->seg[i].hi)
			return 1;
	return 0;
}

static int read_dynamic(const Elf64_Phdr *ph, int phnum, struct dyn_info *d, const char **why)
{
	const Elf64_Phdr *dyn = NULL;
	uintptr_t bias = d->im->bias;

	for (int i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = &ph[i];
		if (ph[i].p_type == PT_TLS) {
			*why = "it has thread-local storage";
			return -ENOEXEC;
		}
	}
	if (!dyn || !readable(d, (const void *)(bias + dyn->p_vaddr), dyn->p_memsz, 8)) {
		*why = "it has no dynamic section";
		return -ENOEXEC;
	}
	uint64_t relaent = sizeof(Elf64_Rela);
	const Elf64_Dyn *p = (const Elf64_Dyn *)(bias + dyn->p_vaddr);
	for (uint64_t i = 0; i < dyn->p_memsz / sizeof(*p) && p[i].d_tag != DT_NULL; i++) {
		uintptr_t a = bias + p[i].d_un.d_ptr;
		switch (p[i].d_tag) {
		case DT_NEEDED:
			*why = "it needs other libraries (a module is freestanding)";
			return -ENOEXEC;
		case DT_TEXTREL:
			*why = "it has text relocations (build it with -fPIC)";
			return -ENOEXEC;
		case DT_SYMTAB:
			d->symtab = (const Elf64_Sym *)a;
			break;
		case DT_STRTAB:
			d->strtab = (const char *)a;
			break;
		case DT_STRSZ:
			d->strsz = p[i].d_un.d_val;
			break;
		case DT_HASH:
			d->hash = (const uint32_t *)a;
			break;
		case DT_GNU_HASH:
			d->gnu_hash = (const uint32_t *)a;
			break;
		case DT_RELA:
			d->rela = (const Elf64_Rela *)a;
			break;
		case DT_RELASZ:
			d->relasz = p[i].d_un.d_val;
			break;
		case DT_RELAENT:
			relaent = p[i].d_un.d_val;
			break;
		case DT_JMPREL:
			d->jmprel = (const Elf64_Rela *)a;
			break;
		case DT_PLTRELSZ:
			d->jmprelsz = p[i].d_un.d_val;
			break;
		case DT_REL:
			*why = "it has REL relocations (x86-64 uses RELA)";
			return -ENOEXEC;
		}
	}
	if (!d->symtab || !d->strtab || (!d->hash && !d->gnu_hash) ||
	    relaent != sizeof(Elf64_Rela) || !readable(d, d->strtab, d->strsz, 1) ||
	    (d->rela && !readable(d, d->rela, d->relasz, 8)) ||
	    (d->jmprel && !readable(d, d->jmprel, d->jmprelsz, 8))) {
		*why = "its dynamic section is incomplete or points outside it";
		return -ENOEXEC;
	}
	return 0;
}

/* The symbol count, from DT_HASH's nchain or the end of DT_GNU_HASH's
 * longest chain; 0 when the table does not lie in the module. */
static uint64_t sym_count(const struct dyn_info *d)
{
	if (d->hash)
		return readable(d, d->hash, 8, 4) ? d->hash[1] : 0;
	const uint32_t *h = d->gnu_hash;
	if (!readable(d, h, 16, 8))
		return 0;
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	uintptr_t buckets_at = (uintptr_t)h + 16 + (uint64_t)bloom * 8;
	const uint32_t *buckets = (const uint32_t *)buckets_at;
	uint32_t last = 0;
	if (!readable(d, buckets, (uint64_t)nbuckets * 4, 4))
		return 0;
	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	uintptr_t chains = buckets_at + (uint64_t)nbuckets * 4;
	for (;;) {
		const uint32_t *c = (const uint32_t *)(chains + ((uint64_t)last - symoffset) * 4);
		if (!readable(d, c, 4, 4) || (*c & 1))
			break;
		last++;
	}
	return (uint64_t)last + 1;
}

static int relocate(const struct dyn_info *d, const Elf64_Rela *r, uint64_t size, uint64_t nsyms,
		    const char **why)
{
	uintptr_t bias = d->im->bias;

	for (uint64_t i = 0; i < size / sizeof(*r); i++) {
		uint32_t type = (uint32_t)ELF64_R_TYPE(r[i].r_info);
		uint64_t symi = ELF64_R_SYM(r[i].r_info), value;
		uintptr_t where = bias + r[i].r_offset;

		if (type == R_X86_64_NONE)
			continue;
		if (!segment(d->im, where, 8, PF_W)) {
			*why = "a relocation writes outside its writable segments";
			return -ENOEXEC;
		}
		switch (type) {
		case R_X86_64_RELATIVE:
			value = bias + (uint64_t)r[i].r_addend;
			break;
		case R_X86_64_64:
		case R_X86_64_GLOB_DAT:
		case R_X86_64_JUMP_SLOT: {
			if (symi >= nsyms || d->symtab[symi].st_shndx == SHN_UNDEF) {
				*why = "it uses a symbol it does not define (a module is "
				       "freestanding)";
				return -ENOEXEC;
			}
			value = bias + d->symtab[symi].st_value +
				(type == R_X86_64_64 ? (uint64_t)r[i].r_addend : 0);
			break;
		}
		default:
			*why = "it has a relocation type a freestanding module cannot have";
			return -ENOEXEC;
		}
		if (!points_inside(d->im, value)) {
			*why = "a relocation points outside its segments";
			return -ENOEXEC;
		}
		memcpy((void *)where, &value, sizeof(value));
	}
	return 0;
}

/* Whether symbol s is called name (the string table need not end in a
 * NUL where the file is broken: compare within it). */
static int named(const struct dyn_info *d, const Elf64_Sym *s, const char *name, size_t size)
{
	return s->st_name < d->strsz && d->strsz - s->st_name >= size &&
	       memcmp(d->strtab + s->st_name, name, size) == 0;
}

/* A name the loader's messages can print: NUL-terminated inside a
 * readable segment, printable, short. */
static int printable_name(const struct hook_module_image *im, const char *name)
{
	const struct hook_module_segment *s = segment(im, (uintptr_t)name, 1, PF_R);

	if (!s)
		return 0;
	for (uintptr_t p = (uintptr_t)name; p < s->hi && p - (uintptr_t)name <= NAME_MAX_LEN; p++) {
		char c = *(const char *)p;
		if (c == '\0')
			return p > (uintptr_t)name;
		if (c < 0x20 || c > 0x7e)
			return 0;
	}
	return 0;
}

/* Every hook of m is NULL or the module's code, its name printable. A
 * module built for another version is left to hook_module_select, which
 * says so (its structure may not be this one). */
static int check_module(const struct hook_module_image *im, const struct libos_module *m,
			uint64_t st_size, const char **why)
{
	if (m->version != LIBOS_CONTRACT_VERSION)
		return 0;
	if (st_size < sizeof(*m) || !segment(im, (uintptr_t)m, sizeof(*m), PF_R)) {
		*why = "its " LIBOS_MODULE_SYMBOL " is not a whole struct libos_module inside it";
		return -ENOEXEC;
	}
#define HOOK(field)                                                                                \
	{                                                                                          \
		"its hook " #field " points outside its code", (uintptr_t)m->field                 \
	}
	const struct {
		const char *why;
		uintptr_t at;
	} hooks[] = {
		HOOK(init),          HOOK(syscall),     HOOK(map_library),
		HOOK(unmap_library), HOOK(heap_size),   HOOK(rdtsc),
		HOOK(thread_start),  HOOK(thread_exit), HOOK(fini),
	};
#undef HOOK
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (hooks[i].at && !segment(im, hooks[i].at, 1, PF_X)) {
			*why = hooks[i].why;
			return -ENOEXEC;
		}
	}
	if (m->name && !printable_name(im, m->name)) {
		*why = "its name is not a one-line string inside it";
		return -ENOEXEC;
	}
	return 0;
}

static int find_module(const struct dyn_info *d, uint64_t nsyms, const struct libos_module **m,
		       const char **why)
{
	for (uint64_t i = 1; i < nsyms; i++) {
		const Elf64_Sym *s = &d->symtab[i];
		if (s->st_shndx == SHN_UNDEF ||
		    !named(d, s, LIBOS_MODULE_SYMBOL, sizeof(LIBOS_MODULE_SYMBOL)))
			continue;
		uintptr_t at = d->im->bias + s->st_value;
		/* Enough for hook_module_select to read its version. */
		if (s->st_size < offsetof(struct libos_module, name) + sizeof(void *) ||
		    at % _Alignof(struct libos_module) ||
		    !segment(d->im, at, offsetof(struct libos_module, name) + sizeof(void *), PF_R))
			break;
		*m = (const struct libos_module *)at;
		return check_module(d->im, *m, s->st_size, why);
	}
	*why = "it does not export " LIBOS_MODULE_SYMBOL;
	return -ENOEXEC;
}

int hook_module_image_link(const struct hook_module_image *im, const Elf64_Phdr *ph, int phnum,
			   const struct libos_module **m, const char **why)
{
	struct dyn_info d = {.im = im};
	int r = read_dynamic(ph, phnum, &d, why);
	uint64_t nsyms = r == 0 ? sym_count(&d) : 0;

	if (r == 0 && (nsyms == 0 || nsyms > UINT64_MAX / sizeof(Elf64_Sym) ||
		       !readable(&d, d.symtab, nsyms * sizeof(Elf64_Sym), 8))) {
		*why = "its symbol table is malformed";
		r = -ENOEXEC;
	}
	if (r == 0 && d.rela)
		r = relocate(&d, d.rela, d.relasz, nsyms, why);
	if (r == 0 && d.jmprel)
		r = relocate(&d, d.jmprel, d.jmprelsz, nsyms, why);
	if (r == 0)
		r = find_module(&d, nsyms, m, why);
	return r;
}
