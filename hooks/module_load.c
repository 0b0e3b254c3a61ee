// SPDX-License-Identifier: MIT
/*
 * Loading an external LibOS module (--libos=PATH.so).
 *
 * The module is a freestanding shared object: the loader maps it with its
 * own ELF code (elf/map.c, as for the program), applies its
 * relocations, and looks up the one symbol it exports, libos_module. There
 * is no dynamic linker behind it, so it may need nothing: no DT_NEEDED, no
 * undefined symbol, no TLS, no text relocations; only the relocations a
 * position-independent object refers to itself with (RELATIVE, and 64,
 * GLOB_DAT, JUMP_SLOT against its own symbols). Its initialisers (DT_INIT,
 * DT_INIT_ARRAY) are not run: the init hook is the module's start.
 * Anything else is refused with the reason, before any of its code runs.
 */
#include <errno.h>
#include <asm/fcntl.h>
#include <string.h>
#include <sys.h>

#include "elf.h"
#include "reloc.h"
#include "map.h"
#include "module.h"

struct dyn_info {
	uintptr_t bias;
	const Elf64_Sym *symtab;
	const char *strtab;
	const uint32_t *hash, *gnu_hash;
	const Elf64_Rela *rela, *jmprel;
	uint64_t relasz, jmprelsz, strsz;
	uintptr_t lo, hi; /* the mapped span, for bounds */
};

static int inside(const struct dyn_info *d, uintptr_t p, uint64_t len)
{
	return p >= d->lo && len <= d->hi - d->lo && p - d->lo <= d->hi - d->lo - len;
}

static int read_dynamic(const struct elf_file *e, struct dyn_info *d, const char **why)
{
	const Elf64_Phdr *dyn = NULL;

	for (int i = 0; i < e->ehdr.e_phnum; i++) {
		if (e->phdrs[i].p_type == PT_DYNAMIC)
			dyn = &e->phdrs[i];
		if (e->phdrs[i].p_type == PT_TLS) {
			*why = "it has thread-local storage";
			return -ENOEXEC;
		}
	}
	if (!dyn || !inside(d, d->bias + dyn->p_vaddr, dyn->p_memsz)) {
		*why = "it has no dynamic section";
		return -ENOEXEC;
	}
	uint64_t relaent = sizeof(Elf64_Rela);
	for (const Elf64_Dyn *p = (const Elf64_Dyn *)(d->bias + dyn->p_vaddr);
	     (uintptr_t)(p + 1) <= d->bias + dyn->p_vaddr + dyn->p_memsz && p->d_tag != DT_NULL;
	     p++) {
		uintptr_t a = d->bias + p->d_un.d_ptr;
		switch (p->d_tag) {
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
			d->strsz = p->d_un.d_val;
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
			d->relasz = p->d_un.d_val;
			break;
		case DT_RELAENT:
			relaent = p->d_un.d_val;
			break;
		case DT_JMPREL:
			d->jmprel = (const Elf64_Rela *)a;
			break;
		case DT_PLTRELSZ:
			d->jmprelsz = p->d_un.d_val;
			break;
		case DT_REL:
			*why = "it has REL relocations (x86-64 uses RELA)";
			return -ENOEXEC;
		}
	}
	if (!d->symtab || !d->strtab || (!d->hash && !d->gnu_hash) ||
	    relaent != sizeof(Elf64_Rela) || !inside(d, (uintptr_t)d->strtab, d->strsz) ||
	    (d->rela && !inside(d, (uintptr_t)d->rela, d->relasz)) ||
	    (d->jmprel && !inside(d, (uintptr_t)d->jmprel, d->jmprelsz))) {
		*why = "its dynamic section is incomplete or points outside it";
		return -ENOEXEC;
	}
	return 0;
}

static const char *sym_name(const struct dyn_info *d, const Elf64_Sym *s)
{
	return s->st_name < d->strsz ? d->strtab + s->st_name : "";
}

/* The symbol count, from DT_HASH's nchain or the end of DT_GNU_HASH's
 * longest chain. */
static uint64_t sym_count(const struct dyn_info *d)
{
	if (d->hash && inside(d, (uintptr_t)d->hash, 8))
		return d->hash[1];
	const uint32_t *h = d->gnu_hash;
	if (!inside(d, (uintptr_t)h, 16))
		return 0;
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	const uint32_t *buckets = h + 4 + bloom * 2;
	const uint32_t *chains = buckets + nbuckets;
	uint32_t last = 0;
	if (!inside(d, (uintptr_t)buckets, (uint64_t)nbuckets * 4))
		return 0;
	for (uint32_t b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	while (inside(d, (uintptr_t)&chains[last - symoffset], 4) &&
	       !(chains[last - symoffset] & 1))
		last++;
	return (uint64_t)last + 1;
}

static int relocate(const struct dyn_info *d, const Elf64_Rela *r, uint64_t size, uint64_t nsyms,
		    const char **why)
{
	for (uint64_t i = 0; i < size / sizeof(*r); i++) {
		uint32_t type = (uint32_t)ELF64_R_TYPE(r[i].r_info);
		uint64_t symi = ELF64_R_SYM(r[i].r_info), value;
		uintptr_t where = d->bias + r[i].r_offset;

		if (type == R_X86_64_NONE)
			continue;
		if (!inside(d, where, 8)) {
			*why = "a relocation points outside it";
			return -ENOEXEC;
		}
		switch (type) {
		case R_X86_64_RELATIVE:
			value = d->bias + (uint64_t)r[i].r_addend;
			break;
		case R_X86_64_64:
		case R_X86_64_GLOB_DAT:
		case R_X86_64_JUMP_SLOT: {
			const Elf64_Sym *s = &d->symtab[symi];
			if (symi >= nsyms || s->st_shndx == SHN_UNDEF) {
				*why = "it uses a symbol it does not define (a module is "
				       "freestanding)";
				return -ENOEXEC;
			}
			value = d->bias + s->st_value +
				(type == R_X86_64_64 ? (uint64_t)r[i].r_addend : 0);
			break;
		}
		default:
			*why = "it has a relocation type a freestanding module cannot have";
			return -ENOEXEC;
		}
		memcpy((void *)where, &value, sizeof(value));
	}
	return 0;
}

static int find_module(const struct dyn_info *d, uint64_t nsyms, const struct libos_module **m,
		       const char **why)
{
	for (uint64_t i = 1; i < nsyms; i++) {
		const Elf64_Sym *s = &d->symtab[i];
		if (s->st_shndx == SHN_UNDEF || strcmp(sym_name(d, s), LIBOS_MODULE_SYMBOL) != 0)
			continue;
		if (s->st_size < offsetof(struct libos_module, name) + sizeof(void *) ||
		    !inside(d, d->bias + s->st_value, s->st_size))
			break;
		*m = (const struct libos_module *)(d->bias + s->st_value);
		return 0;
	}
	*why = "it does not export " LIBOS_MODULE_SYMBOL;
	return -ENOEXEC;
}

int hook_module_load(const char *path, const struct libos_module **m, const char **why)
{
	uint8_t head[1024];
	struct elf_file e;
	struct elf_mapped mapped;
	struct dyn_info d = {0};
	int r, fd = (int)sys_open(path, O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0) {
		*why = strerror(-fd);
		return fd;
	}
	n = sys_pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		sys_close(fd);
		*why = strerror((int)-n);
		return (int)n;
	}
	r = elf_load_object_headers(&e, fd, head, (size_t)n, why);
	if (r < 0) {
		sys_close(fd);
		return r;
	}
	if (e.ehdr.e_type != ET_DYN || e.interp) {
		*why = "not a shared object (build it with -shared -fPIC)";
		elf_release(&e);
		return -ENOEXEC;
	}
	r = elf_map(&e, 0, 0, &mapped, why);
	if (r < 0) {
		elf_release(&e);
		return r;
	}
	d.bias = mapped.bias;
	d.lo = mapped.start;
	d.hi = mapped.end;
	r = read_dynamic(&e, &d, why);
	elf_release(&e);
	uint64_t nsyms = r == 0 ? sym_count(&d) : 0;
	if (r == 0 && (nsyms == 0 || !inside(&d, (uintptr_t)d.symtab, nsyms * sizeof(Elf64_Sym)))) {
		*why = "its symbol table is malformed";
		r = -ENOEXEC;
	}
	if (r == 0 && d.rela)
		r = relocate(&d, d.rela, d.relasz, nsyms, why);
	if (r == 0 && d.jmprel)
		r = relocate(&d, d.jmprel, d.jmprelsz, nsyms, why);
	if (r == 0)
		r = find_module(&d, nsyms, m, why);
	if (r < 0)
		sys_munmap((void *)mapped.start, mapped.end - mapped.start);
	return r;
}
