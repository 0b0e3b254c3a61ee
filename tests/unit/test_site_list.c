// SPDX-License-Identifier: MIT
/*
 * The LibOS site-list reader (elf/site_list.c) against what the producer
 * wrote, as site-list-vs-nm.py derives it from the object's symbols and
 * section headers (EXPECTED: "layout L", "flags F", "entry ENTRY SITE
 * PADDING" per entry in list order, and where the note or the earlier
 * section is: "note HEADER DESC DESC_VADDR", "section SHDR", file offsets
 * in hex). The list read must be that, with nothing on stderr.
 *
 * Then damaged copies of the object, one damage each: the reader must
 * return 0 with no list (layout NONE, no entries) and print exactly the
 * lines expected, each naming the object, and never read outside the
 * file (the copy is a private mapping of it, whose end faults). Damage the
 * note walk cannot get past (a name or descriptor size beyond the
 * segment) leaves the object without a note, silently.
 *
 * Built as the loader builds site_list.c: freestanding, on its libc.
 *
 * usage: test_site_list OBJECT EXPECTED
 */
#include <errno.h>
#include <libos/note.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "check_freestanding.h"
#include "elf_view.h"
#include "site_list.h"

static const char *object, *name;

/* ---- what site-list-vs-nm.py expects */

struct expected {
	enum elf_site_list_layout layout;
	uint32_t flags;
	struct elf_listed v[64];
	size_t count;
	uint64_t note_head, note_desc, desc_vaddr; /* file offsets, link-time address */
	uint64_t shdr;                             /* .syscall_instructions' header */
};

static char *slurp(const char *path, uint64_t *size)
{
	long fd = sys_open(path, O_RDONLY);
	struct stat st;
	char *text;

	if (fd < 0 || sys_fstat((int)fd, &st) < 0) {
		dprintf(2, "test_site_list: %s: cannot read (%ld)\n", path, fd);
		sys_exit_group(2);
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text || sys_read((int)fd, text, (size_t)st.st_size) != (long)st.st_size)
		sys_exit_group(2);
	text[st.st_size] = 0;
	sys_close((int)fd);
	*size = (uint64_t)st.st_size;
	return text;
}

static void read_expected(const char *path, struct expected *e)
{
	uint64_t size;
	char *text = slurp(path, &size), *p = text, *end;

	memset(e, 0, sizeof(*e));
	while (*p) {
		if (strncmp(p, "layout ", 7) == 0) {
			p += 7;
			e->layout = strncmp(p, "note", 4) == 0      ? ELF_SITE_LIST_NOTE
				    : strncmp(p, "earlier", 7) == 0 ? ELF_SITE_LIST_EARLIER
								    : ELF_SITE_LIST_NONE;
			end = strchr(p, '\n');
		} else if (strncmp(p, "flags ", 6) == 0) {
			e->flags = (uint32_t)strtoul(p + 6, &end, 16);
		} else if (strncmp(p, "entry ", 6) == 0 && e->count < 64) {
			struct elf_listed *l = &e->v[e->count++];
			l->entry = strtoull(p + 6, &end, 16);
			l->site = strtoull(end, &end, 16);
			l->padding = (unsigned)strtoul(end, &end, 10);
		} else if (strncmp(p, "note ", 5) == 0) {
			e->note_head = strtoull(p + 5, &end, 16);
			e->note_desc = strtoull(end, &end, 16);
			e->desc_vaddr = strtoull(end, &end, 16);
		} else if (strncmp(p, "section ", 8) == 0) {
			e->shdr = strtoull(p + 8, &end, 16);
		} else {
			end = NULL;
		}
		if (!end || *end != '\n') {
			dprintf(2, "test_site_list: %s: cannot parse \"%.40s\"\n", path, p);
			sys_exit_group(2);
		}
		p = end + 1;
	}
	free(text);
}

/* ---- stderr, captured: the lines the reader prints */

struct capture {
	long saved, memfd;
};

static struct capture capture_begin(void)
{
	/* sys.h has no dup or memfd_create: the loader never needs them. */
	struct capture c = {__syscall1(__NR_dup, 2), __syscall2(__NR_memfd_create, "stderr", 0)};

	if (c.saved < 0 || c.memfd < 0 || __syscall2(__NR_dup2, c.memfd, 2) < 0) {
		dprintf(2, "test_site_list: cannot capture stderr\n");
		sys_exit_group(2);
	}
	return c;
}

/* Restores stderr; returns the captured text's line count, and the text
 * (NUL-terminated) in out. */
static int capture_end(struct capture c, char *out, size_t size)
{
	long n;
	int lines = 0;

	__syscall2(__NR_dup2, c.saved, 2);
	sys_close((int)c.saved);
	n = sys_pread((int)c.memfd, out, size - 1, 0);
	sys_close((int)c.memfd);
	out[n > 0 ? n : 0] = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	return lines;
}

static const char *layout_name(enum elf_site_list_layout l)
{
	return l == ELF_SITE_LIST_NOTE ? "note" : l == ELF_SITE_LIST_EARLIER ? "earlier" : "none";
}

/* ---- the good object */

static void check_list(const struct elf_site_list *l, const struct expected *e, const char *what)
{
	CHECK(l->layout == e->layout && l->flags == e->flags && l->count == e->count,
	      "%s: %s: read layout %s flags %#x, %zu entries; expected %s flags %#x, %zu", object,
	      what, layout_name(l->layout), l->flags, l->count, layout_name(e->layout), e->flags,
	      e->count);
	CHECK(l->count == 0 || l->v, "%s: %s: %zu entries and no array", object, what, l->count);
	for (size_t i = 0; l->v && i < l->count && i < e->count; i++)
		CHECK(l->v[i].entry == e->v[i].entry && l->v[i].site == e->v[i].site &&
			      l->v[i].padding == e->v[i].padding,
		      "%s: %s: entry %zu: read entry 0x%lx site 0x%lx padding %u; expected entry "
		      "0x%lx site 0x%lx padding %u",
		      object, what, i, (unsigned long)l->v[i].entry, (unsigned long)l->v[i].site,
		      l->v[i].padding, (unsigned long)e->v[i].entry, (unsigned long)e->v[i].site,
		      e->v[i].padding);
}

static void check_good(const struct expected *e)
{
	struct elf_view v;
	struct elf_site_list l;
	const char *why = "";
	char err[4096];

	if (elf_view_open(&v, object, &why) < 0) {
		CHECK(0, "%s: the view refused it: %s", object, why);
		return;
	}
	struct capture c = capture_begin();
	int rc = elf_site_list_read(&v, name, &l);
	int lines = capture_end(c, err, sizeof(err));
	CHECK(rc == 0, "%s: elf_site_list_read returned %d", object, rc);
	CHECK(lines == 0 && !err[0], "%s: a good list printed \"%s\"", object, err);
	check_list(&l, e, "as built");
	elf_site_list_free(&l);
	CHECK(!l.v && l.count == 0 && l.layout == ELF_SITE_LIST_NONE,
	      "%s: elf_site_list_free left a list", object);
	elf_view_close(&v);
}

/* ---- damaged copies */

struct copy {
	uint8_t *data;
	uint64_t size;
	const struct expected *e;
};

/* A private copy of the object (map_private_copy), to damage. */
static struct copy map_copy(const struct expected *e)
{
	struct copy c = {0, 0, e};

	c.data = map_private_copy(object, &c.size);
	return c;
}

static void put32(struct copy *c, uint64_t off, uint32_t v)
{
	memcpy(c->data + off, &v, 4);
}

static void put64(struct copy *c, uint64_t off, uint64_t v)
{
	memcpy(c->data + off, &v, 8);
}

static uint64_t get64(const struct copy *c, uint64_t off)
{
	uint64_t v;

	memcpy(&v, c->data + off, 8);
	return v;
}

/* The descriptor's fields (include/libos/note.h). */
#define D_VERSION    0
#define D_ENTRY_SIZE 9
#define D_START      16
#define D_END        24

static void short_descriptor(struct copy *c)
{
	put32(c, c->e->note_head + 4, 8);
}
static void version_99(struct copy *c)
{
	put32(c, c->e->note_desc + D_VERSION, 99);
}
static void version_0(struct copy *c)
{
	put32(c, c->e->note_desc + D_VERSION, 0);
}
static void entry_size_7(struct copy *c)
{
	c->data[c->e->note_desc + D_ENTRY_SIZE] = 7;
}
static void entry_size_0(struct copy *c)
{
	c->data[c->e->note_desc + D_ENTRY_SIZE] = 0;
}
static void part_entry(struct copy *c)
{
	put64(c, c->e->note_desc + D_END, get64(c, c->e->note_desc + D_START) + 17);
}
static void backwards(struct copy *c)
{
	put64(c, c->e->note_desc + D_END, get64(c, c->e->note_desc + D_START) - 16);
}
static void over_max(struct copy *c)
{
	put64(c, c->e->note_desc + D_END,
	      get64(c, c->e->note_desc + D_START) + 16 * ((uint64_t)ELF_SITE_LIST_MAX + 1));
}
static void huge_count(struct copy *c)
{
	put64(c, c->e->note_desc + D_END, get64(c, c->e->note_desc + D_START) + (1ULL << 62));
}
static void max_past_file(struct copy *c)
{
	/* Within the limit, so the bounds decide: they run past the file. */
	put64(c, c->e->note_desc + D_END,
	      get64(c, c->e->note_desc + D_START) + 16 * (uint64_t)ELF_SITE_LIST_MAX);
}
static void outside_file(struct copy *c)
{
	put64(c, c->e->note_desc + D_START, 1ULL << 40);
	put64(c, c->e->note_desc + D_END, (1ULL << 40) + 32);
}
static void wraps(struct copy *c)
{
	/* The list's start 16 bytes below 2^64, its end past it. */
	put64(c, c->e->note_desc + D_START, (uint64_t)0 - c->e->desc_vaddr - 16);
	put64(c, c->e->note_desc + D_END, (uint64_t)0 - c->e->desc_vaddr + 16);
}
static void huge_namesz(struct copy *c)
{
	put32(c, c->e->note_head, 0xffffffff);
}
static void huge_descsz(struct copy *c)
{
	put32(c, c->e->note_head + 4, 0xfffffff0);
}
static void note_segment_past_file(struct copy *c)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)c->data;

	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *p = (Elf64_Phdr *)(c->data + eh->e_phoff) + i;
		if (p->p_type == PT_NOTE && p->p_offset <= c->e->note_head &&
		    c->e->note_head < p->p_offset + p->p_filesz)
			p->p_filesz = c->size;
	}
}

static Elf64_Shdr *earlier_section(struct copy *c)
{
	return (Elf64_Shdr *)(c->data + c->e->shdr);
}
static void section_part_entry(struct copy *c)
{
	earlier_section(c)->sh_size = 10; /* neither 9- nor 16-byte entries */
}
static void section_not_alloc(struct copy *c)
{
	earlier_section(c)->sh_flags &= ~(uint64_t)SHF_ALLOC;
}
static void section_past_file(struct copy *c)
{
	earlier_section(c)->sh_offset = c->size - 8;
}
static void section_nobits(struct copy *c)
{
	earlier_section(c)->sh_type = SHT_NOBITS;
}
static void section_huge(struct copy *c)
{
	earlier_section(c)->sh_size = 9ULL * (ELF_SITE_LIST_MAX + 1);
}

static const struct damage {
	enum elf_site_list_layout layout; /* the objects it applies to */
	const char *name;
	void (*damage)(struct copy *c);
	int lines; /* on stderr */
} damages[] = {
	{ELF_SITE_LIST_NOTE, "descriptor of 8 bytes", short_descriptor, 1},
	{ELF_SITE_LIST_NOTE, "contract version 99", version_99, 1},
	{ELF_SITE_LIST_NOTE, "contract version 0", version_0, 1},
	{ELF_SITE_LIST_NOTE, "entry size 7", entry_size_7, 1},
	{ELF_SITE_LIST_NOTE, "entry size 0", entry_size_0, 1},
	{ELF_SITE_LIST_NOTE, "list of 17 bytes", part_entry, 1},
	{ELF_SITE_LIST_NOTE, "list ending before it starts", backwards, 1},
	{ELF_SITE_LIST_NOTE, "ELF_SITE_LIST_MAX + 1 entries", over_max, 1},
	{ELF_SITE_LIST_NOTE, "2^58 entries", huge_count, 1},
	{ELF_SITE_LIST_NOTE, "ELF_SITE_LIST_MAX entries, past the file", max_past_file, 1},
	{ELF_SITE_LIST_NOTE, "list outside the file", outside_file, 1},
	{ELF_SITE_LIST_NOTE, "list wrapping past 2^64", wraps, 1},
	{ELF_SITE_LIST_NOTE, "namesz past the segment", huge_namesz, 0},
	{ELF_SITE_LIST_NOTE, "descsz past the segment", huge_descsz, 0},
	{ELF_SITE_LIST_NOTE, "PT_NOTE past the file", note_segment_past_file, 0},
	{ELF_SITE_LIST_EARLIER, "section of 10 bytes", section_part_entry, 1},
	{ELF_SITE_LIST_EARLIER, "section not allocated", section_not_alloc, 1},
	{ELF_SITE_LIST_EARLIER, "section past the file", section_past_file, 1},
	{ELF_SITE_LIST_EARLIER, "section SHT_NOBITS", section_nobits, 1},
	{ELF_SITE_LIST_EARLIER, "section of ELF_SITE_LIST_MAX + 1 entries", section_huge, 1},
};

static void check_damage(const struct damage *d, const struct expected *e)
{
	struct copy c = map_copy(e);
	struct elf_view v;
	struct elf_site_list l;
	const char *why = "";
	char err[4096], prefix[256];

	d->damage(&c);
	if (elf_view_open_memory(&v, c.data, c.size, &why) < 0) {
		CHECK(0, "%s: %s: the view refused the copy: %s", object, d->name, why);
		sys_munmap(c.data, c.size);
		return;
	}
	dprintf(1, "%s: %s: ", object, d->name); /* a crash ends the output here */
	struct capture cap = capture_begin();
	int rc = elf_site_list_read(&v, name, &l);
	int lines = capture_end(cap, err, sizeof(err));
	dprintf(1, "%s", lines ? err : "(silent)\n");
	CHECK(rc == 0 && l.layout == ELF_SITE_LIST_NONE && !l.v && l.count == 0 && l.flags == 0,
	      "%s: %s: returned %d, layout %s, %zu entries, flags %#x: not refused", object,
	      d->name, rc, layout_name(l.layout), l.count, l.flags);
	CHECK(lines == d->lines, "%s: %s: %d lines on stderr, expected %d: \"%s\"", object, d->name,
	      lines, d->lines, err);
	snprintf(prefix, sizeof(prefix), "libos-loader: %s: ", name);
	CHECK(lines == 0 || strncmp(err, prefix, strlen(prefix)) == 0,
	      "%s: %s: the line does not start with \"%s\": \"%s\"", object, d->name, prefix, err);
	elf_site_list_free(&l);
	sys_munmap(c.data, c.size);
}

/* Entries whose sites are garbage are the reader's to pass on as they
 * are (noted.c refuses them): the list keeps its shape. */
static void check_garbage_entries(const struct expected *e)
{
	struct copy c = map_copy(e);
	struct elf_view v;
	struct elf_site_list l;
	const char *why = "";
	struct expected g = *e;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)c.data;
	uint64_t list = 0; /* the list's file offset, through its PT_LOAD */

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = (const Elf64_Phdr *)(c.data + eh->e_phoff) + i;
		if (p->p_type == PT_LOAD && p->p_vaddr <= e->v[0].entry &&
		    e->v[0].entry < p->p_vaddr + p->p_filesz)
			list = e->v[0].entry - p->p_vaddr + p->p_offset;
	}
	CHECK(list, "%s: no PT_LOAD holds the list", object);
	for (size_t k = 0; list && k < e->count; k++) {
		uint64_t rel = 0x1234567 * (k + 1) - (1ULL << 62);
		put64(&c, list + 16 * k, rel);
		c.data[list + 16 * k + 8] = 200;
		g.v[k].site = e->v[k].entry + rel;
		g.v[k].padding = 200;
	}
	CHECK(elf_view_open_memory(&v, c.data, c.size, &why) == 0, "%s: garbage: view: %s", object,
	      why);
	struct capture cap = capture_begin();
	char err[4096];
	int rc = elf_site_list_read(&v, name, &l);
	int lines = capture_end(cap, err, sizeof(err));
	CHECK(rc == 0 && lines == 0, "%s: garbage entries: returned %d, printed \"%s\"", object, rc,
	      err);
	check_list(&l, &g, "garbage entries");
	elf_site_list_free(&l);
	sys_munmap(c.data, c.size);
}

int main(int argc, char **argv)
{
	struct expected e;

	if (argc != 3) {
		dprintf(2, "usage: test_site_list OBJECT EXPECTED\n");
		return 2;
	}
	object = argv[1];
	name = strrchr(object, '/') ? strrchr(object, '/') + 1 : object;
	read_expected(argv[2], &e);
	check_good(&e);
	size_t damaged = 0;
	for (size_t i = 0; i < sizeof(damages) / sizeof(damages[0]); i++)
		if (damages[i].layout == e.layout) {
			check_damage(&damages[i], &e);
			damaged++;
		}
	if (e.layout == ELF_SITE_LIST_NOTE && e.count > 0)
		check_garbage_entries(&e);
	if (failures) {
		dprintf(2, "test_site_list: %s: %d failures\n", object, failures);
		return 1;
	}
	dprintf(1, "test_site_list: %s: %zu entries and %zu damaged copies ok\n", object, e.count,
		damaged);
	return 0;
}
