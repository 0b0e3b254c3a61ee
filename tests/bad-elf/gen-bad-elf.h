/* SPDX-License-Identifier: MIT */
/*
 * The toolbox of gen-bad-elf: copies of the victims to break, the edits
 * that break them, and the writing of each case with its line of the
 * manifest. The cases themselves are in cases-elf.c (ELF files broken in
 * one way each) and cases-paths.c (what else a path can name, and `#!`
 * scripts).
 */
#ifndef GEN_BAD_ELF_H
#define GEN_BAD_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PAGE_SIZE 4096UL
/* The top of the x86-64 user address space with 4-level paging. */
#define TASK_SIZE 0x7ffffffff000UL

/* A file's bytes, edited in memory before they are written. */
struct image {
	unsigned char *data;
	size_t size;
};

/* The valid programs every ELF case starts from: static ET_EXEC, and
 * dynamic PIE with PT_INTERP. */
extern struct image static_victim, dynamic_victim;

/* realloc that exits on failure. */
void *xrealloc(void *p, size_t size);

/* A copy of an image, to edit and then pass to emit() or bad(). */
struct image copy(const struct image *from);
Elf64_Ehdr *ehdr(struct image *im);
Elf64_Phdr *phdr(struct image *im, int i);
/* The n-th program header of a type (n = -1: the last one). Exits when
 * there is none: the victims are ours, so that is a broken build. */
Elf64_Phdr *find_phdr(struct image *im, uint32_t type, int n);
/* The PT_LOAD that holds the code. */
Elf64_Phdr *code_segment(struct image *im);
/* Appends size bytes (which may lie in the image) at an offset aligned to
 * align and returns the offset. Pointers into the image are stale
 * afterwards. */
uint64_t append(struct image *im, const void *bytes, size_t size, size_t align);
/* Points PT_INTERP at size bytes appended to the file. */
void set_interp(struct image *im, const void *path, size_t size);
/* Moves the whole image by delta bytes in memory (a multiple of a page). */
void shift(struct image *im, uint64_t delta);

/* OUTDIR/name, malloc'ed: cases name each other by absolute path. */
char *path_of(const char *name);
/* One line of the manifest: name, exit status, a substring of the
 * message (empty for a control that must run), flags for the runner. */
__attribute__((format(printf, 4, 5))) void expect(const char *name, int status, const char *flags,
						  const char *fmt, ...);
void write_file(const char *name, const void *data, size_t size, mode_t mode);
/* An executable file holding text. */
void write_text(const char *name, const char *text);
/* Writes an image as an executable file and frees it. */
void emit(const char *name, struct image *im);
/* emit(), expecting the loader to run it as the kernel does. */
void runs(const char *name, struct image *im);
/* emit(), expecting status 126 and "Exec format error: reason". */
void bad(const char *name, struct image *im, const char *reason);
/* A directory (S_IFDIR), a FIFO (S_IFIFO) or a symlink to target. */
void special(const char *name, mode_t type, const char *target);

/* The cases, in the order of the manifest. */
void path_cases(void);
void control_cases(void);
void header_cases(void);
void phdr_table_cases(void);
void segment_cases(void);
void mapping_cases(void);
void interp_cases(void);
void script_cases(void);

#endif
