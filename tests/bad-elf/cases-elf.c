// SPDX-License-Identifier: MIT
/*
 * The ELF cases of gen-bad-elf: controls that must run, then copies of the
 * victims broken in one way each, grouped as the loader checks them: ELF
 * header, program header table, segments, mapping, PT_INTERP. Each case
 * names the rule it breaks. An interpreter is broken by pointing PT_INTERP
 * at another case, since it must be checked as thoroughly as the program.
 */
#include <stdlib.h>
#include <string.h>

#include "gen-bad-elf.h"

/* The victims themselves, and one with its PT_INTERP moved to the end of
 * the file as the interpreter cases move it: these must run, or every
 * refusal below proves nothing. */
void control_cases(void)
{
	struct image im = copy(&static_victim);
	const Elf64_Phdr *p;
	char *interp;

	emit("control-static", &im);
	expect("control-static", 0, "-", "%s", "");
	im = copy(&dynamic_victim);
	emit("control-dynamic", &im);
	expect("control-dynamic", 0, "-", "%s", "");

	im = copy(&dynamic_victim);
	p = find_phdr(&im, PT_INTERP, 0);
	interp = xrealloc(NULL, p->p_filesz);
	memcpy(interp, im.data + p->p_offset, p->p_filesz);
	set_interp(&im, interp, p->p_filesz);
	emit("control-interp-moved", &im);
	expect("control-interp-moved", 0, "-", "%s", "");
	free(interp);
}

void header_cases(void)
{
	struct image im;

	im = copy(&static_victim);
	im.size = SELFMAG;
	bad("elf-magic-only", &im, "truncated ELF header");
	im = copy(&static_victim);
	im.size = sizeof(Elf64_Ehdr) - 1;
	bad("elf-header-cut", &im, "truncated ELF header");
	im = copy(&static_victim);
	im.size = sizeof(Elf64_Ehdr);
	bad("elf-header-only", &im, "program header table is outside the file");

	/* Fields binfmt_elf does not look at: the kernel runs these, and so
	 * must the loader. */
	im = copy(&static_victim);
	ehdr(&im)->e_ident[EI_CLASS] = ELFCLASSNONE;
	runs("class-none", &im);
	im = copy(&dynamic_victim);
	ehdr(&im)->e_ident[EI_CLASS] = ELFCLASS32;
	runs("class-32", &im);
	im = copy(&static_victim);
	ehdr(&im)->e_ident[EI_DATA] = ELFDATA2MSB;
	runs("big-endian", &im);
	im = copy(&dynamic_victim);
	ehdr(&im)->e_ident[EI_DATA] = ELFDATANONE;
	runs("data-none", &im);
	im = copy(&static_victim);
	ehdr(&im)->e_ident[EI_VERSION] = EV_NONE;
	runs("version-none", &im);
	im = copy(&dynamic_victim);
	ehdr(&im)->e_version = EV_NONE;
	runs("e-version-none", &im);
	im = copy(&static_victim);
	ehdr(&im)->e_machine = EM_AARCH64;
	bad("machine-aarch64", &im, "wrong machine: not x86-64");
	im = copy(&static_victim);
	ehdr(&im)->e_machine = EM_386;
	bad("machine-i386", &im, "wrong machine: not x86-64");

	im = copy(&static_victim);
	ehdr(&im)->e_type = ET_REL;
	bad("type-rel", &im, "not an executable: relocatable object");
	im = copy(&static_victim);
	ehdr(&im)->e_type = ET_CORE;
	bad("type-core", &im, "not an executable: core file");
	im = copy(&static_victim);
	ehdr(&im)->e_type = ET_LOOS;
	bad("type-unknown", &im, "not an executable: unknown ELF type");

	im = copy(&static_victim);
	ehdr(&im)->e_phentsize = sizeof(Elf32_Phdr);
	bad("phentsize-32", &im, "bad program header entry size");
	im = copy(&static_victim);
	ehdr(&im)->e_phentsize = 0;
	bad("phentsize-0", &im, "bad program header entry size");
	im = copy(&static_victim);
	ehdr(&im)->e_phnum = 0;
	bad("phnum-0", &im, "no program headers");
	/* One more than fits in 64 KiB: the kernel's limit and the loader's
	 * (older kernels stopped at one page). */
	im = copy(&static_victim);
	ehdr(&im)->e_phnum = 65536 / sizeof(Elf64_Phdr) + 1;
	bad("phnum-64k-plus-one", &im, "too many program headers");
	im = copy(&static_victim);
	ehdr(&im)->e_phnum = UINT16_MAX;
	bad("phnum-65535", &im, "too many program headers");
}

/* xorshift64: the same "random" bytes on every run. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

void phdr_table_cases(void)
{
	const char *outside = "program header table is outside the file";
	size_t table_size = ehdr(&static_victim)->e_phnum * sizeof(Elf64_Phdr);
	uint64_t state = 0x9e3779b97f4a7c15;
	struct image im;
	Elf64_Phdr *p;
	uint64_t at;

	im = copy(&static_victim);
	ehdr(&im)->e_phoff = im.size + PAGE_SIZE;
	bad("phoff-past-eof", &im, outside);
	im = copy(&static_victim);
	ehdr(&im)->e_phoff = UINT64_MAX;
	bad("phoff-max", &im, outside);
	im = copy(&static_victim);
	ehdr(&im)->e_phoff = im.size - table_size + 8;
	bad("phdrs-partly-past-eof", &im, outside);
	im = copy(&static_victim);
	ehdr(&im)->e_phoff = im.size - table_size + 1;
	bad("phoff-odd-past-eof", &im, outside);
	im = copy(&static_victim);
	im.size = ehdr(&im)->e_phoff + table_size - 8;
	bad("file-cut-in-phdrs", &im, outside);

	/* Tables that are in the file but not in memory, where AT_PHDR must
	 * point: at the end of the file, aligned or not. */
	im = copy(&static_victim);
	at = append(&im, phdr(&im, 0), table_size, 8);
	ehdr(&im)->e_phoff = at;
	bad("phdrs-not-loaded", &im, "program headers are not in a loaded segment");
	im = copy(&static_victim);
	append(&im, "", 1, 8);
	at = append(&im, phdr(&im, 0), table_size, 1);
	ehdr(&im)->e_phoff = at;
	bad("phdrs-odd-not-loaded", &im, "program headers are not in a loaded segment");
	im = copy(&static_victim);
	p = find_phdr(&im, PT_LOAD, 0);
	p->p_filesz = p->p_memsz = ehdr(&im)->e_phoff + table_size - 8 - p->p_offset;
	bad("phdrs-cut-by-segment-end", &im, "program headers are not in a loaded segment");

	/* Nonsense headers: any reason will do, as long as there is one. */
	im = copy(&static_victim);
	ehdr(&im)->e_phoff = 0;
	bad("phoff-zero", &im, "");
	im = copy(&static_victim);
	for (size_t i = 0; i < table_size; i += sizeof(uint64_t)) {
		uint64_t r = next_random(&state);
		memcpy((char *)phdr(&im, 0) + i, &r, sizeof(r));
	}
	bad("phdrs-random", &im, "");
	im = copy(&static_victim);
	for (size_t i = 0; i < table_size; i += sizeof(uint64_t)) {
		uint64_t r = next_random(&state);
		memcpy((char *)phdr(&im, 0) + i, &r, sizeof(r));
	}
	for (int i = 0; i < ehdr(&im)->e_phnum; i++)
		phdr(&im, i)->p_type = PT_LOAD;
	bad("phdrs-random-loads", &im, "");
}

void segment_cases(void)
{
	const char *past_eof = "segment extends past the end of the file";
	const char *outside = "segment wraps around or lies outside the user address space";
	const char *bad_entry = "entry point is not in an executable segment";
	struct image im;
	Elf64_Phdr *p, tmp;

	im = copy(&static_victim);
	im.size = code_segment(&im)->p_offset + code_segment(&im)->p_filesz / 2;
	bad("file-cut-mid-segment", &im, past_eof);
	im = copy(&static_victim);
	im.size = ehdr(&im)->e_phoff + ehdr(&im)->e_phnum * sizeof(Elf64_Phdr);
	bad("file-cut-after-phdrs", &im, past_eof);
	im = copy(&static_victim);
	code_segment(&im)->p_filesz = code_segment(&im)->p_memsz = 1UL << 40;
	bad("filesz-huge", &im, past_eof);
	im = copy(&static_victim);
	code_segment(&im)->p_offset |= ~(PAGE_SIZE - 1);
	bad("offset-huge", &im, past_eof);
	im = copy(&static_victim);
	p = find_phdr(&im, PT_LOAD, -1);
	p->p_filesz = p->p_memsz + 1;
	bad("filesz-over-memsz", &im, "segment's file size exceeds its memory size");

	im = copy(&static_victim);
	find_phdr(&im, PT_LOAD, 1)->p_vaddr = find_phdr(&im, PT_LOAD, 0)->p_vaddr;
	bad("loads-overlap", &im, "segments overlap or are out of order");
	im = copy(&static_victim);
	tmp = *find_phdr(&im, PT_LOAD, 1);
	*find_phdr(&im, PT_LOAD, 1) = *find_phdr(&im, PT_LOAD, 2);
	*find_phdr(&im, PT_LOAD, 2) = tmp;
	bad("loads-out-of-order", &im, "segments overlap or are out of order");

	im = copy(&static_victim);
	p = find_phdr(&im, PT_LOAD, -1);
	p->p_vaddr = -PAGE_SIZE + p->p_offset % PAGE_SIZE;
	p->p_memsz = p->p_filesz + 2 * PAGE_SIZE;
	bad("vaddr-wraps", &im, outside);
	im = copy(&static_victim);
	find_phdr(&im, PT_LOAD, -1)->p_memsz = UINT64_MAX;
	bad("memsz-wraps", &im, outside);
	im = copy(&static_victim);
	p = find_phdr(&im, PT_LOAD, -1);
	p->p_vaddr = 0x800000000000 + p->p_offset % PAGE_SIZE;
	bad("past-user-space", &im, outside);
	im = copy(&static_victim);
	p = find_phdr(&im, PT_LOAD, -1);
	p->p_vaddr = 0xffffffff80000000 + p->p_offset % PAGE_SIZE;
	bad("kernel-address", &im, outside);
	im = copy(&static_victim);
	find_phdr(&im, PT_LOAD, -1)->p_memsz = 1UL << 46;
	bad("memsz-absurd", &im, "absurd image size");
	im = copy(&static_victim);
	find_phdr(&im, PT_LOAD, -1)->p_vaddr += 1UL << 46;
	bad("loads-far-apart", &im, "absurd image size");

	/* maximum_alignment() ignores a p_align that is not a power of two,
	 * and only an ET_DYN is placed at its alignment. */
	im = copy(&static_victim);
	code_segment(&im)->p_align = 3 * PAGE_SIZE;
	runs("align-not-power-of-two", &im);
	im = copy(&dynamic_victim);
	code_segment(&im)->p_align = 3 * PAGE_SIZE;
	runs("align-not-power-of-two-pie", &im);
	im = copy(&static_victim);
	code_segment(&im)->p_align = 1UL << 40;
	runs("align-huge-exec", &im);
	im = copy(&dynamic_victim);
	code_segment(&im)->p_align = 1UL << 40;
	runs("align-huge-pie", &im);
	im = copy(&dynamic_victim);
	code_segment(&im)->p_align = 1UL << 46;
	runs("align-2-46", &im);
	im = copy(&dynamic_victim);
	code_segment(&im)->p_align = 1UL << 47;
	runs("align-2-47", &im);
	im = copy(&dynamic_victim);
	code_segment(&im)->p_align = 1UL << 63;
	runs("align-2-63", &im);
	im = copy(&static_victim);
	code_segment(&im)->p_vaddr += 16;
	bad("offset-vaddr-incongruent", &im,
	    "segment's address and file offset disagree modulo the page size");

	im = copy(&static_victim);
	for (int i = 0; i < ehdr(&im)->e_phnum; i++)
		if (phdr(&im, i)->p_type == PT_LOAD)
			phdr(&im, i)->p_type = PT_NULL;
	bad("no-loads", &im, "no loadable segments");
	im = copy(&static_victim);
	for (int i = 0; i < ehdr(&im)->e_phnum; i++)
		if (phdr(&im, i)->p_type == PT_LOAD)
			phdr(&im, i)->p_filesz = phdr(&im, i)->p_memsz = 0;
	bad("loads-all-empty", &im, "no loadable segments");

	im = copy(&static_victim);
	ehdr(&im)->e_entry = 0;
	bad("entry-zero", &im, bad_entry);
	im = copy(&static_victim);
	ehdr(&im)->e_entry = UINT64_MAX;
	bad("entry-max", &im, bad_entry);
	im = copy(&static_victim);
	ehdr(&im)->e_entry = find_phdr(&im, PT_LOAD, -1)->p_vaddr;
	bad("entry-in-data", &im, bad_entry);
	im = copy(&static_victim);
	ehdr(&im)->e_entry = code_segment(&im)->p_vaddr + code_segment(&im)->p_memsz;
	bad("entry-at-text-end", &im, bad_entry);
	im = copy(&static_victim);
	code_segment(&im)->p_flags &= ~PF_X;
	bad("text-not-executable", &im, bad_entry);
}

/* A static victim moved by delta bytes, its last segment ending at end
 * (0: where it ends after the move), expected to fail to map for the
 * reason given. */
static void moved(const char *name, uint64_t delta, uint64_t end, const char *flags,
		  const char *reason)
{
	struct image im = copy(&static_victim);
	char *path = path_of(name);
	Elf64_Phdr *last;

	shift(&im, delta);
	last = find_phdr(&im, PT_LOAD, -1);
	if (end)
		last->p_memsz = end - last->p_vaddr;
	emit(name, &im);
	expect(name, 126, flags, "cannot map %s: %s", path, reason);
	free(path);
}

/* Valid headers, but the place an ET_EXEC must go cannot be had. */
void mapping_cases(void)
{
	uint64_t lo = find_phdr(&static_victim, PT_LOAD, 0)->p_vaddr & ~(PAGE_SIZE - 1);

	/* Page 0: refused unless CAP_SYS_RAWIO, which the runner drops. */
	moved("exec-at-address-zero", -lo, 0, "no-rawio",
	      "its address range is below the lowest mappable address");
	/* The top sixteenth of the address space, to its very end: the stack,
	 * the vDSO and the loader itself are there, wherever ASLR put them. */
	moved("exec-address-in-use", 0x700000000000 - lo, TASK_SIZE, "-",
	      "its address range is already in use");
	/* 32 TiB of bss: within the checks, but no memory to back it unless
	 * the system overcommits without limit. */
	moved("bss-huge", 0, find_phdr(&static_victim, PT_LOAD, -1)->p_vaddr + (1UL << 45),
	      "no-overcommit", "cannot map a segment (Cannot allocate memory)");
}

/* Writes a dynamic victim whose PT_INTERP names OUTDIR/target; returns
 * that path, malloc'ed. */
static char *interp_to(const char *name, const char *target)
{
	struct image im = copy(&dynamic_victim);
	char *path = path_of(target);

	set_interp(&im, path, strlen(path) + 1);
	emit(name, &im);
	return path;
}

/* An interpreter that cannot be used, for the reason given. */
static void interp_at(const char *name, const char *target, const char *reason)
{
	char *path = interp_to(name, target);

	expect(name, 126, "-", "cannot use ELF interpreter %s: %s", path, reason);
	free(path);
}

/* An interpreter that passes the checks but cannot be mapped. */
static void interp_unmappable(const char *name, const char *target, const char *flags,
			      const char *reason)
{
	char *path = interp_to(name, target);

	expect(name, 126, flags, "cannot map ELF interpreter %s: %s", path, reason);
	free(path);
}

/* A dynamic victim whose PT_INTERP holds size bytes of path. */
static void interp_bytes(const char *name, const void *path, size_t size, const char *reason)
{
	struct image im = copy(&dynamic_victim);

	set_interp(&im, path, size);
	bad(name, &im, reason);
}

void interp_cases(void)
{
	const char *format = "Exec format error: ";
	const char *outside = "interpreter path is outside the file";
	const char *not_string = "interpreter path is not a single NUL-terminated string";
	char long_path[PAGE_SIZE + 1], deep_path[3001];
	struct image im;

	interp_at("interp-missing", "missing", "No such file or directory");
	interp_at("interp-directory", "directory", "Permission denied: is a directory");
	interp_at("interp-fifo", "fifo", "Permission denied: not a regular file");
	interp_at("interp-symlink-loop", "symlink-loop", "Too many levels of symbolic links");
	interp_at("interp-no-exec-permission", "no-exec-permission",
		  "Permission denied: no execute permission");
	interp_at("interp-empty", "empty", "Exec format error: not an ELF file");
	interp_at("interp-text-file", "text-file", "Exec format error: not an ELF file");
	interp_at("interp-script", "shebang-missing-interpreter",
		  "Exec format error: not an ELF file");
	/* An interpreter is checked as thoroughly as the program. */
	interp_at("interp-machine-i386", "machine-i386",
		  "Exec format error: wrong machine: not x86-64");
	interp_at("interp-phdrs-random", "phdrs-random", format);
	interp_at("interp-filesz-over-memsz", "filesz-over-memsz",
		  "Exec format error: segment's file size exceeds its memory size");
	interp_at("interp-entry-zero", "entry-zero",
		  "Exec format error: entry point is not in an executable segment");

	interp_unmappable("interp-address-in-use", "exec-address-in-use", "-",
			  "its address range is already in use");
	interp_unmappable("interp-at-address-zero", "exec-at-address-zero", "no-rawio",
			  "its address range is below the lowest mappable address");

	/* Paths that try to make the message two lines, or cut it short: the
	 * reason must survive, even if the path is shortened. */
	interp_at("interp-newline", "missing\nsecond line", "No such file or directory");
	memset(deep_path, 'b', sizeof(deep_path) - 1);
	deep_path[sizeof(deep_path) - 1] = '\0';
	memcpy(deep_path, "missing/", 8);
	for (size_t i = 200; i < sizeof(deep_path) - 1; i += 200)
		deep_path[i] = '/';
	free(interp_to("interp-long-missing", deep_path));
	expect("interp-long-missing", 126, "-", "No such file or directory");

	interp_bytes("interp-no-nul", "/lib64/ld-linux-x86-64.so.2", 27, not_string);
	interp_bytes("interp-inner-nul", "/lib64\0/ld-linux-x86-64.so.2", 29, not_string);
	interp_bytes("interp-length-0", "", 0, "bad interpreter path length");
	interp_bytes("interp-length-1", "", 1, "bad interpreter path length");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	interp_bytes("interp-length-4097", long_path, sizeof(long_path),
		     "bad interpreter path length");

	im = copy(&dynamic_victim);
	find_phdr(&im, PT_INTERP, 0)->p_offset = im.size + 1;
	bad("interp-past-eof", &im, outside);
	im = copy(&dynamic_victim);
	find_phdr(&im, PT_INTERP, 0)->p_offset = im.size - 8;
	bad("interp-partly-past-eof", &im, outside);
	im = copy(&dynamic_victim);
	find_phdr(&im, PT_INTERP, 0)->p_offset = UINT64_MAX - 8;
	bad("interp-offset-huge", &im, outside);
}
