// SPDX-License-Identifier: MIT
/*
 * The .eh_frame_hdr reader (elf/eh_frame.c) against readelf's FDE table,
 * which eh-frame-vs-readelf.py writes one line per FDE ("START END S", S
 * 1 for a signal frame's FDE) in address order. For each FDE, lookups at
 * its first, middle and last byte must give exactly [START, END) (START +
 * 1 for a signal frame: its first byte belongs to the code before, see
 * fde_bounds); for each gap between FDEs, before the first and after the
 * last, lookups at its first, middle and last byte must give -ENOENT with
 * prev_end and next_start equal to the bounds of the FDEs around it.
 * Every answer must also keep the header's contract on its own: a hit
 * contains pc, a miss has prev_end <= pc < next_start.
 *
 * Built as the loader builds eh_frame.c: freestanding, on its libc.
 *
 * usage: test_eh_frame FILE EXPECTED   FILE's table against EXPECTED, and
 *                                      damaged copies of FILE's header
 *        test_eh_frame --none FILE     FILE has no usable table: -ENOENT
 *        test_eh_frame --signal-start FILE EXPECTED
 *                                      only the first byte of each signal
 *                                      frame's FDE, against the contract
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "check_freestanding.h"
#include "eh_frame.h"
#include "elf_view.h"

struct fde {
	uint64_t start, end; /* as readelf prints pc=START..END */
	int signal;
};

static const char *file;

/* The expected table: EXPECTED's lines, in address order. */
static struct fde *read_expected(const char *path, size_t *count)
{
	long fd = sys_open(path, O_RDONLY);
	struct stat st;
	char *text;
	struct fde *v;
	size_t n = 0, lines = 0;

	if (fd < 0 || sys_fstat((int)fd, &st) < 0 || st.st_size == 0) {
		dprintf(2, "test_eh_frame: %s: cannot read (%ld)\n", path, fd);
		sys_exit_group(2);
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text || sys_read((int)fd, text, (size_t)st.st_size) != (long)st.st_size)
		sys_exit_group(2);
	text[st.st_size] = 0;
	sys_close((int)fd);
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	v = calloc(lines + 1, sizeof(*v));
	for (char *p = text; v && *p;) {
		char *end;
		v[n].start = strtoull(p, &end, 16);
		v[n].end = strtoull(end, &end, 16);
		v[n].signal = (int)strtoul(end, &end, 10);
		if (*end != '\n' || end == p) {
			dprintf(2, "test_eh_frame: %s: line %zu is not START END S\n", path, n + 1);
			sys_exit_group(2);
		}
		p = end + 1;
		n++;
	}
	*count = n;
	return v;
}

/* One lookup at pc: rc, and the bounds it gave. */
struct answer {
	int rc;
	uint64_t lo, hi, prev_end, next_start;
};

static struct answer find(const struct elf_eh_frame *t, uint64_t pc)
{
	struct answer a = {0, 0xdead, 0xdead, 0xdead, 0xdead};

	a.rc = elf_eh_frame_find(t, pc, &a.lo, &a.hi, &a.prev_end, &a.next_start);
	/* The contract, whatever the table. */
	if (a.rc == 0)
		CHECK(a.lo <= pc && pc < a.hi, "%s: pc 0x%lx: found [0x%lx, 0x%lx), without pc",
		      file, (unsigned long)pc, (unsigned long)a.lo, (unsigned long)a.hi);
	else
		CHECK(a.rc == -ENOENT && a.prev_end <= pc && pc < a.next_start,
		      "%s: pc 0x%lx: returned %d with gap [0x%lx, 0x%lx), without pc", file,
		      (unsigned long)pc, a.rc, (unsigned long)a.prev_end,
		      (unsigned long)a.next_start);
	return a;
}

static void expect_hit(const struct elf_eh_frame *t, uint64_t pc, uint64_t lo, uint64_t hi)
{
	struct answer a = find(t, pc);

	CHECK(a.rc == 0 && a.lo == lo && a.hi == hi,
	      "%s: pc 0x%lx: expected FDE [0x%lx, 0x%lx), got rc %d [0x%lx, 0x%lx)", file,
	      (unsigned long)pc, (unsigned long)lo, (unsigned long)hi, a.rc, (unsigned long)a.lo,
	      (unsigned long)a.hi);
}

static void expect_gap(const struct elf_eh_frame *t, uint64_t pc, uint64_t prev_end,
		       uint64_t next_start)
{
	struct answer a = find(t, pc);

	CHECK(a.rc == -ENOENT && a.prev_end == prev_end && a.next_start == next_start,
	      "%s: pc 0x%lx: expected -ENOENT in gap [0x%lx, 0x%lx), got rc %d [0x%lx, 0x%lx) "
	      "prev_end 0x%lx next_start 0x%lx",
	      file, (unsigned long)pc, (unsigned long)prev_end, (unsigned long)next_start, a.rc,
	      (unsigned long)a.lo, (unsigned long)a.hi, (unsigned long)a.prev_end,
	      (unsigned long)a.next_start);
}

/* The first, middle and last byte of [lo, hi), hi > lo. */
static void three_points(uint64_t lo, uint64_t hi, uint64_t out[3])
{
	out[0] = lo;
	out[1] = lo + (hi - lo) / 2;
	out[2] = hi - 1;
}

static void check_table(const struct elf_eh_frame *t, const struct fde *f, size_t n)
{
	uint64_t pcs[3];

	CHECK(t->fde_count == n, "%s: the table has %lu entries, readelf lists %zu FDEs in it",
	      file, (unsigned long)t->fde_count, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = f[i].start + (uint64_t)f[i].signal;
		if (f[i].end > lo) {
			three_points(lo, f[i].end, pcs);
			for (int k = 0; k < 3; k++)
				expect_hit(t, pcs[k], lo, f[i].end);
		}
		/* The gap after FDE i, up to the next one's code (a signal
		 * frame's first byte is the gap's) or the end of the address
		 * space. */
		uint64_t next = i + 1 < n ? f[i + 1].start + (uint64_t)f[i + 1].signal : UINT64_MAX;
		if (next > f[i].end) {
			three_points(f[i].end, next, pcs);
			for (int k = 0; k < 3; k++)
				expect_gap(t, pcs[k], f[i].end, next);
		}
	}
	if (n > 0 && f[0].start > 0) {
		three_points(0, f[0].start, pcs);
		for (int k = 0; k < 3; k++)
			expect_gap(t, pcs[k], 0, f[0].start + (uint64_t)f[0].signal);
	}
	/* Without prev_end and next_start. */
	if (n > 0) {
		uint64_t lo = 0, hi = 0;
		int rc = elf_eh_frame_find(t, f[n - 1].end - 1, &lo, &hi, NULL, NULL);
		CHECK(rc == 0 && hi == f[n - 1].end,
		      "%s: lookup without prev_end/next_start: rc %d", file, rc);
		rc = elf_eh_frame_find(t, f[n - 1].end, &lo, &hi, NULL, NULL);
		CHECK(rc == -ENOENT, "%s: lookup past the last FDE without prev_end: rc %d", file,
		      rc);
	}
}

/* The first byte of each signal frame's FDE: the gap's, which ends where
 * the frame's code starts, one byte later. */
static void check_signal_starts(const struct elf_eh_frame *t, const struct fde *f, size_t n)
{
	size_t seen = 0;

	for (size_t i = 0; i < n; i++)
		if (f[i].signal) {
			expect_gap(t, f[i].start, i > 0 ? f[i - 1].end : 0, f[i].start + 1);
			seen++;
		}
	dprintf(1, "%s: %zu signal frames' first bytes looked up\n", file, seen);
}

/* ---- damaged copies of the file's .eh_frame_hdr */

struct copy {
	uint8_t *data;
	uint64_t size;
	uint8_t *hdr; /* the PT_GNU_EH_FRAME's contents */
	Elf64_Phdr *ph;
};

/* A private copy of the file (map_private_copy) and its eh_frame_hdr. */
static struct copy map_copy(const char *path)
{
	struct copy c = {0};

	c.data = map_private_copy(path, &c.size);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)c.data;
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr *p = (Elf64_Phdr *)(c.data + eh->e_phoff) + i;
		if (p->p_type == PT_GNU_EH_FRAME) {
			c.ph = p;
			c.hdr = c.data + p->p_offset;
		}
	}
	return c;
}

typedef void (*damage_fn)(struct copy *c);

static void no_phdr(struct copy *c)
{
	c->ph->p_type = PT_NULL;
}
static void version(struct copy *c)
{
	c->hdr[0] = 2;
}
static void table_udata4(struct copy *c)
{
	c->hdr[3] = 0x03; /* absolute udata4: not searchable */
}
static void count_omitted(struct copy *c)
{
	c->hdr[2] = 0xff;
}
static void count_huge(struct copy *c)
{
	uint32_t huge = 0x7fffffff; /* fde_count_enc is udata4 (0x03) */
	memcpy(c->hdr + 8, &huge, 4);
}
static void count_one_more(struct copy *c)
{
	uint32_t count;

	memcpy(&count, c->hdr + 8, 4); /* the last entry is then past the segment, in the file */
	count++;
	memcpy(c->hdr + 8, &count, 4);
}
static void short_segment(struct copy *c)
{
	c->ph->p_filesz = c->ph->p_memsz = 3;
}
static void outside_file(struct copy *c)
{
	c->ph->p_vaddr = 1ULL << 44;
}

static const struct {
	const char *name;
	damage_fn damage;
} damages[] = {
	{"no PT_GNU_EH_FRAME", no_phdr},
	{"version 2", version},
	{"table not datarel sdata4", table_udata4},
	{"fde_count omitted", count_omitted},
	{"fde_count far past the segment", count_huge},
	{"fde_count one past the segment", count_one_more},
	{"segment of 3 bytes", short_segment},
	{"segment outside the file", outside_file},
};

static void expect_none(const struct elf_eh_frame *t, const char *what)
{
	uint64_t lo = 0, hi = 0, prev = 1, next = 1;
	int rc = elf_eh_frame_find(t, 0x1000, &lo, &hi, &prev, &next);

	CHECK(rc == -ENOENT && prev == 0 && next == UINT64_MAX,
	      "%s: %s: lookup without a table: rc %d prev_end 0x%lx next_start 0x%lx", file, what,
	      rc, (unsigned long)prev, (unsigned long)next);
}

static void check_damaged(const char *path, const struct fde *f, size_t n)
{
	for (size_t i = 0; i < sizeof(damages) / sizeof(damages[0]); i++) {
		struct copy c = map_copy(path);
		struct elf_view v;
		struct elf_eh_frame t;
		const char *why = "";
		if (!c.ph || c.hdr[2] != 0x03) {
			dprintf(2, "test_eh_frame: %s: no table with a udata4 count to damage\n",
				path);
			failures++;
			return;
		}
		damages[i].damage(&c);
		int rc = elf_view_open_memory(&v, c.data, c.size, &why);
		CHECK(rc == 0, "%s: %s: the view refused the copy: %s", file, damages[i].name, why);
		if (rc == 0) {
			rc = elf_eh_frame_open(&t, &v);
			CHECK(rc == -ENOENT, "%s: %s: elf_eh_frame_open returned %d", file,
			      damages[i].name, rc);
			expect_none(&t, damages[i].name);
		}
		sys_munmap(c.data, c.size);
	}
	/* One table entry pointing outside the file: that lookup finds
	 * nothing, and the others are unchanged. */
	struct copy c = map_copy(path);
	struct elf_view v;
	struct elf_eh_frame t;
	const char *why = "";
	int32_t far = 0x7ffffff0;
	if (n < 2 || elf_view_open_memory(&v, c.data, c.size, &why) < 0 ||
	    elf_eh_frame_open(&t, &v) < 0) {
		CHECK(0, "%s: cannot reopen a copy", file);
		return;
	}
	memcpy((uint8_t *)t.table + 4, &far, 4); /* entry 0's FDE pointer */
	struct answer a = find(&t, f[0].start + (uint64_t)f[0].signal);
	CHECK(a.rc == -ENOENT, "%s: an FDE pointer outside the file: rc %d", file, a.rc);
	expect_hit(&t, f[1].start + (uint64_t)f[1].signal, f[1].start + (uint64_t)f[1].signal,
		   f[1].end);
	sys_munmap(c.data, c.size);
}

int main(int argc, char **argv)
{
	struct elf_view v;
	struct elf_eh_frame t;
	const char *why = "";
	int none = argc == 3 && strcmp(argv[1], "--none") == 0;
	int signal_start = argc == 4 && strcmp(argv[1], "--signal-start") == 0;

	if (!none && !signal_start && argc != 3) {
		dprintf(2, "usage: test_eh_frame [--none | --signal-start] FILE [EXPECTED]\n");
		return 2;
	}
	file = argv[argc - (none ? 1 : 2)];
	int rc = elf_view_open(&v, file, &why);
	if (rc < 0) {
		dprintf(2, "test_eh_frame: %s: %s (%d)\n", file, why, rc);
		return 2;
	}
	rc = elf_eh_frame_open(&t, &v);
	if (none) {
		CHECK(rc == -ENOENT,
		      "%s: a file without .eh_frame_hdr: elf_eh_frame_open returned %d", file, rc);
		expect_none(&t, "no .eh_frame_hdr");
	} else {
		size_t n;
		struct fde *f = read_expected(argv[argc - 1], &n);
		CHECK(rc == 0, "%s: elf_eh_frame_open returned %d", file, rc);
		if (rc == 0 && signal_start) {
			check_signal_starts(&t, f, n);
		} else if (rc == 0) {
			check_table(&t, f, n);
			check_damaged(file, f, n);
		}
	}
	elf_view_close(&v);
	if (failures) {
		dprintf(2, "test_eh_frame: %s: %d failures\n", file, failures);
		return 1;
	}
	dprintf(1, "test_eh_frame: %s: ok\n", file);
	return 0;
}
