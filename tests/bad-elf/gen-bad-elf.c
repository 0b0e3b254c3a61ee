// SPDX-License-Identifier: MIT
/*
 * gen-bad-elf: writes the hostile inputs of the bad-elf suite into a
 * folder, with the manifest of what the loader must answer to each.
 *
 *     gen-bad-elf STATIC_VICTIM DYNAMIC_VICTIM OUTDIR
 *
 * Each ELF case is a copy of a valid victim broken in exactly one way: a
 * field of the ELF header, the program header table, one segment, the
 * PT_INTERP path or the file's length. The other cases are what a path can
 * name besides an executable (nothing, a directory, a FIFO, a file without
 * an x bit, a broken `#!` script), and three untouched controls that must
 * run. OUTDIR/manifest.tsv gets one line per case: name, exit status, a
 * substring of the one line the loader must print, and flags. The
 * expectations are written next to the change that causes them, so that
 * run-bad-elf.py holds none of its own. This file is the toolbox and
 * main(); the cases are in cases-elf.c and cases-paths.c.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen-bad-elf.h"

struct image static_victim, dynamic_victim;
static char outdir[PATH_MAX];
static FILE *manifest;
static int cases;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		die("realloc");
	return p;
}

static struct image slurp(const char *path)
{
	struct image im;
	FILE *f = fopen(path, "rb");
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die(path);
	im.size = (size_t)size;
	im.data = xrealloc(NULL, im.size);
	if (fread(im.data, 1, im.size, f) != im.size)
		die(path);
	fclose(f);
	return im;
}

struct image copy(const struct image *from)
{
	struct image im = {xrealloc(NULL, from->size), from->size};

	memcpy(im.data, from->data, from->size);
	return im;
}

Elf64_Ehdr *ehdr(struct image *im)
{
	return (Elf64_Ehdr *)im->data;
}

Elf64_Phdr *phdr(struct image *im, int i)
{
	return (Elf64_Phdr *)(im->data + ehdr(im)->e_phoff) + i;
}

Elf64_Phdr *find_phdr(struct image *im, uint32_t type, int n)
{
	Elf64_Phdr *found = NULL;
	int seen = 0;

	for (int i = 0; i < ehdr(im)->e_phnum; i++)
		if (phdr(im, i)->p_type == type && (n < 0 || seen++ == n))
			found = phdr(im, i);
	if (!found) {
		fprintf(stderr, "gen-bad-elf: a victim lacks program header %u #%d\n", type, n);
		exit(1);
	}
	return found;
}

Elf64_Phdr *code_segment(struct image *im)
{
	for (int i = 0;; i++)
		if (find_phdr(im, PT_LOAD, i)->p_flags & PF_X)
			return find_phdr(im, PT_LOAD, i);
}

uint64_t append(struct image *im, const void *bytes, size_t size, size_t align)
{
	size_t at = (im->size + align - 1) / align * align;
	/* bytes may lie in the image, which realloc may move. */
	void *held = memcpy(xrealloc(NULL, size), bytes, size);

	im->data = xrealloc(im->data, at + size);
	memset(im->data + im->size, 0, at - im->size);
	memcpy(im->data + at, held, size);
	im->size = at + size;
	free(held);
	return at;
}

void set_interp(struct image *im, const void *path, size_t size)
{
	uint64_t at = append(im, path, size, 1);
	Elf64_Phdr *p = find_phdr(im, PT_INTERP, 0);

	p->p_offset = at;
	p->p_filesz = p->p_memsz = size;
}

void shift(struct image *im, uint64_t delta)
{
	for (int i = 0; i < ehdr(im)->e_phnum; i++) {
		if (phdr(im, i)->p_memsz) {
			phdr(im, i)->p_vaddr += delta;
			phdr(im, i)->p_paddr += delta;
		}
	}
	ehdr(im)->e_entry += delta;
}

char *path_of(const char *name)
{
	char *path = xrealloc(NULL, strlen(outdir) + strlen(name) + 2);

	sprintf(path, "%s/%s", outdir, name);
	return path;
}

/* A manifest field, with control characters shown as \xNN: the way the
 * loader shows them, and the manifest stays one line per case. */
static void put_field(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(manifest, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, manifest);
	}
}

void expect(const char *name, int status, const char *flags, const char *fmt, ...)
{
	char reason[2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	put_field(name);
	fprintf(manifest, "\t%d\t", status);
	put_field(reason);
	fprintf(manifest, "\t%s\n", flags);
	cases++;
}

void write_file(const char *name, const void *data, size_t size, mode_t mode)
{
	char *path = path_of(name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) || chmod(path, mode))
		die(path);
	free(path);
}

void write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text), 0755);
}

void emit(const char *name, struct image *im)
{
	write_file(name, im->data, im->size, 0755);
	free(im->data);
}

void runs(const char *name, struct image *im)
{
	emit(name, im);
	expect(name, 0, "-", "%s", "");
}

void bad(const char *name, struct image *im, const char *reason)
{
	emit(name, im);
	expect(name, 126, "-", "Exec format error: %s", reason);
}

void special(const char *name, mode_t type, const char *target)
{
	char *path = path_of(name);
	int r;

	if (type == S_IFDIR)
		r = mkdir(path, 0755);
	else if (type == S_IFIFO)
		r = mkfifo(path, 0755);
	else
		r = symlink(target, path);
	if (r)
		die(path);
	free(path);
}

int main(int argc, char **argv)
{
	char *path;

	if (argc != 4) {
		fprintf(stderr, "usage: gen-bad-elf STATIC_VICTIM DYNAMIC_VICTIM OUTDIR\n");
		return 2;
	}
	static_victim = slurp(argv[1]);
	dynamic_victim = slurp(argv[2]);
	if (!realpath(argv[3], outdir))
		die(argv[3]);
	umask(022);
	path = path_of("manifest.tsv");
	manifest = fopen(path, "w");
	if (!manifest)
		die(path);
	fprintf(manifest, "# name\tstatus\tmessage substring\tflags\n");

	path_cases();
	control_cases();
	header_cases();
	phdr_table_cases();
	segment_cases();
	mapping_cases();
	interp_cases();
	script_cases();

	if (fclose(manifest))
		die(path);
	free(path);
	printf("gen-bad-elf: %d cases in %s\n", cases, outdir);
	return 0;
}
