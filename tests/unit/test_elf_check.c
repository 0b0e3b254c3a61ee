// SPDX-License-Identifier: MIT
/*
 * ELF validation (elf/elf_check.c), driven directly: every executable
 * and library named on the command line (real files of the system) must
 * pass, and each rule must refuse a header broken in just its way, with
 * its own reason. The end-to-end view of the same rules, through the
 * loader binary, is the bad-elf suite.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

#include "elf.h"

struct file {
	unsigned char *data;
	size_t size;
};

static struct file slurp(const char *path)
{
	struct file f = {0};
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		exit(1);
	}
	f.size = (size_t)st.st_size;
	f.data = malloc(f.size);
	if (!f.data || read(fd, f.data, f.size) != (ssize_t)f.size) {
		perror(path);
		exit(1);
	}
	close(fd);
	return f;
}

/* Runs both checks on a copy of the file's headers; returns the reason or
 * NULL when valid. */
static const char *validate(const unsigned char *data, size_t size, struct elf_layout *l)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
	const char *why = NULL;

	if (elf_check_header(eh, size, &why) < 0)
		return why;
	if (elf_check_phdrs(eh, (const Elf64_Phdr *)(data + eh->e_phoff), size, l, &why) < 0)
		return why;
	return NULL;
}

typedef void (*mutation)(Elf64_Ehdr *eh, Elf64_Phdr *ph, int first_load, int second_load);

static void class32(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_ident[EI_CLASS] = ELFCLASS32;
}
static void big_endian(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_ident[EI_DATA] = ELFDATA2MSB;
}
static void machine(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_machine = 183; /* EM_AARCH64 */
}
static void rel(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_type = ET_REL;
}
static void phentsize(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_phentsize = 32;
}
static void phoff_out(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	eh->e_phoff = 1u << 30;
}
static void filesz_gt_memsz(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[a].p_memsz = ph[a].p_filesz - 1;
}
static void overlap(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[b].p_vaddr = ph[a].p_vaddr;
	ph[b].p_offset = ph[a].p_offset;
}
static void wrap(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[b].p_memsz = UINT64_MAX - ph[b].p_vaddr + 2; /* end = 2^64 + 1 */
}
static void past_eof(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[b].p_filesz = ph[b].p_memsz = 1ULL << 40;
}
static void align(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[a].p_align = 0x3000;
}
static void congruence(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	ph[b].p_vaddr += 8;
}
static void no_loads(Elf64_Ehdr *eh, Elf64_Phdr *ph, int a, int b)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			ph[i].p_type = PT_NULL;
}

static const struct {
	const char *name;
	mutation m;
	const char *why;
} mutations[] = {
	/* binfmt_elf ignores these: NULL, the file must still pass. */
	{"ELFCLASS32", class32, NULL},
	{"big-endian", big_endian, NULL},
	{"p_align", align, NULL},
	{"aarch64", machine, "wrong machine"},
	{"ET_REL", rel, "relocatable"},
	{"e_phentsize", phentsize, "entry size"},
	{"e_phoff", phoff_out, "outside the file"},
	{"p_filesz > p_memsz", filesz_gt_memsz, "exceeds its memory size"},
	{"overlap", overlap, "overlap"},
	{"wrap", wrap, "wraps"},
	{"past EOF", past_eof, "past the end of the file"},
	{"congruence", congruence, "modulo the page size"},
	{"no PT_LOAD", no_loads, "no loadable segments"},
};

static void test_file(const char *path)
{
	struct file f = slurp(path);
	struct elf_layout l;
	const char *why = validate(f.data, f.size, &l);

	CHECK(!why, "%s: refused a real file: %s", path, why);
	if (why)
		return;
	CHECK(l.lo < l.hi && l.align >= 4096, "%s: layout %lx-%lx align %lx", path,
	      (unsigned long)l.lo, (unsigned long)l.hi, (unsigned long)l.align);

	const char *t = validate(f.data, sizeof(Elf64_Ehdr) - 1, &l);
	CHECK(t && strstr(t, "truncated"), "%s: a truncated header passed", path);

	for (size_t m = 0; m < sizeof(mutations) / sizeof(mutations[0]); m++) {
		unsigned char *copy = malloc(f.size);
		memcpy(copy, f.data, f.size);
		Elf64_Ehdr *eh = (Elf64_Ehdr *)copy;
		Elf64_Phdr *ph = (Elf64_Phdr *)(copy + eh->e_phoff);
		int first = -1, second = -1;
		for (int i = 0; i < eh->e_phnum; i++) {
			if (ph[i].p_type != PT_LOAD || ph[i].p_filesz < 2)
				continue;
			if (first < 0)
				first = i;
			else if (second < 0)
				second = i;
		}
		if (second < 0) {
			free(copy);
			continue;
		}
		mutations[m].m(eh, ph, first, second);
		why = validate(copy, f.size, &l);
		if (!mutations[m].why)
			CHECK(!why, "%s with %s: refused: %s", path, mutations[m].name, why);
		else
			CHECK(why && strstr(why, mutations[m].why),
			      "%s with %s: expected \"%s\", got \"%s\"", path, mutations[m].name,
			      mutations[m].why, why ? why : "(accepted)");
		free(copy);
	}
	free(f.data);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		test_file(argv[i]);
	if (failures) {
		fprintf(stderr, "test_elf_check: %d failures\n", failures);
		return 1;
	}
	printf("test_elf_check: %d files and their mutations checked\n", argc - 1);
	return 0;
}
