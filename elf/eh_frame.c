// SPDX-License-Identifier: MIT
/*
 * Reading .eh_frame_hdr and the FDEs it points to (LSB "Exception Frame"
 * format, DWARF CFI encodings). Only what function bounds need is decoded:
 * the FDE's pc_begin and pc_range, whose encoding comes from its CIE's 'R'
 * augmentation. Every read goes through the view and is bounds-checked.
 */
#include <errno.h>
#include <string.h>

#include "eh_frame.h"

#define DW_EH_PE_absptr  0x00
#define DW_EH_PE_uleb128 0x01
#define DW_EH_PE_udata2  0x02
#define DW_EH_PE_udata4  0x03
#define DW_EH_PE_udata8  0x04
#define DW_EH_PE_sleb128 0x09
#define DW_EH_PE_sdata2  0x0a
#define DW_EH_PE_sdata4  0x0b
#define DW_EH_PE_sdata8  0x0c
#define DW_EH_PE_pcrel   0x10
#define DW_EH_PE_datarel 0x30
#define DW_EH_PE_omit    0xff

/* A cursor over the view's bytes; ok drops to 0 on any out-of-file read. */
struct cursor {
	const struct elf_view *v;
	uint64_t at; /* vaddr */
	uint64_t end;
	int ok;
};

static const uint8_t *take(struct cursor *c, uint64_t n)
{
	const uint8_t *p;

	if (!c->ok || c->end - c->at < n || c->at > c->end || !(p = elf_view_at(c->v, c->at, n))) {
		c->ok = 0;
		return NULL;
	}
	c->at += n;
	return p;
}

static uint64_t read_uint(struct cursor *c, unsigned n)
{
	const uint8_t *p = take(c, n);
	uint64_t v = 0;

	for (unsigned i = 0; p && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t read_uleb(struct cursor *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		const uint8_t *p = take(c, 1);
		if (!p)
			return 0;
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p & 0x80))
			return v;
	}
	c->ok = 0;
	return 0;
}

static int64_t read_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const uint8_t *p;

	do {
		p = take(c, 1);
		if (!p || shift >= 64) {
			c->ok = 0;
			return 0;
		}
		v |= (uint64_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p & 0x80);
	if (shift < 64 && (*p & 0x40))
		v |= ~(uint64_t)0 << shift;
	return (int64_t)v;
}

/* Decode one encoded pointer at the cursor. */
static uint64_t read_encoded(struct cursor *c, uint8_t enc, uint64_t datarel_base)
{
	uint64_t field = c->at, v;

	switch (enc & 0x0f) {
	case DW_EH_PE_absptr:
	case DW_EH_PE_udata8:
	case DW_EH_PE_sdata8:
		v = read_uint(c, 8);
		break;
	case DW_EH_PE_udata2:
		v = read_uint(c, 2);
		break;
	case DW_EH_PE_sdata2:
		v = (uint64_t)(int64_t)(int16_t)read_uint(c, 2);
		break;
	case DW_EH_PE_udata4:
		v = read_uint(c, 4);
		break;
	case DW_EH_PE_sdata4:
		v = (uint64_t)(int64_t)(int32_t)read_uint(c, 4);
		break;
	case DW_EH_PE_uleb128:
		v = read_uleb(c);
		break;
	case DW_EH_PE_sleb128:
		v = (uint64_t)read_sleb(c);
		break;
	default:
		c->ok = 0;
		return 0;
	}
	switch (enc & 0x70) {
	case DW_EH_PE_pcrel:
		v += field;
		break;
	case DW_EH_PE_datarel:
		v += datarel_base;
		break;
	case 0:
		break;
	default:
		c->ok = 0;
	}
	return v;
}

/* Read a CFI record's length; sets *end to the vaddr after the record. */
static int read_length(struct cursor *c, uint64_t *end)
{
	uint64_t len = read_uint(c, 4);

	if (len == 0xffffffff)
		len = read_uint(c, 8);
	if (!c->ok || len == 0 || len > c->end - c->at)
		return -ENOENT;
	*end = c->at + len;
	return 0;
}

/* The FDE pointer encoding from the CIE at cie_vaddr, and whether the
 * CIE is a signal frame's ('S' augmentation). */
static int cie_fde_encoding(const struct elf_view *v, uint64_t cie_vaddr, uint8_t *enc,
			    int *signal_frame)
{
	struct cursor c = {v, cie_vaddr, UINT64_MAX, 1};
	uint64_t end;
	char aug[16];
	size_t n = 0;

	if (read_length(&c, &end) < 0)
		return -ENOENT;
	c.end = end;
	if (read_uint(&c, 4) != 0) /* CIE id */
		return -ENOENT;
	uint8_t version = (uint8_t)read_uint(&c, 1);
	for (;;) {
		const uint8_t *ch = take(&c, 1);
		if (!ch || n + 1 >= sizeof(aug))
			return -ENOENT;
		aug[n++] = (char)*ch;
		if (!*ch)
			break;
	}
	*enc = DW_EH_PE_absptr;
	*signal_frame = 0;
	for (size_t i = 0; i < n; i++)
		*signal_frame |= aug[i] == 'S';
	if (aug[0] != 'z')
		return c.ok ? 0 : -ENOENT;
	read_uleb(&c); /* code alignment */
	read_sleb(&c); /* data alignment */
	if (version == 1)
		read_uint(&c, 1);
	else
		read_uleb(&c);
	read_uleb(&c); /* augmentation data length */
	for (const char *a = aug + 1; *a && c.ok; a++) {
		if (*a == 'R') {
			*enc = (uint8_t)read_uint(&c, 1);
			return c.ok ? 0 : -ENOENT;
		} else if (*a == 'P') {
			uint8_t penc = (uint8_t)read_uint(&c, 1);
			read_encoded(&c, penc & 0x7f, 0);
		} else if (*a == 'L') {
			read_uint(&c, 1);
		} else if (*a != 'S' && *a != 'B') {
			return -ENOENT;
		}
	}
	return c.ok ? 0 : -ENOENT;
}

/* pc_begin and pc_range of the FDE at fde_vaddr. */
static int fde_bounds(const struct elf_eh_frame *t, uint64_t fde_vaddr, uint64_t *lo, uint64_t *hi)
{
	struct cursor c = {t->view, fde_vaddr, UINT64_MAX, 1};
	uint64_t end, cie_field;
	uint8_t enc;
	int signal_frame;

	if (read_length(&c, &end) < 0)
		return -ENOENT;
	c.end = end;
	cie_field = c.at;
	uint64_t cie_delta = read_uint(&c, 4);
	if (!c.ok || cie_delta == 0 || cie_delta > cie_field)
		return -ENOENT;
	if (cie_fde_encoding(t->view, cie_field - cie_delta, &enc, &signal_frame) < 0)
		return -ENOENT;
	*lo = read_encoded(&c, enc, t->hdr_vaddr);
	*hi = *lo + read_encoded(&c, enc & 0x0f, 0);
	/* A signal trampoline's FDE starts one byte early, so that unwinders,
	 * which look up return address - 1, find it (glibc's __restore_rt):
	 * that byte belongs to the instruction before, not to the function. */
	if (signal_frame && *hi > *lo)
		(*lo)++;
	return c.ok && *hi >= *lo ? 0 : -ENOENT;
}

int elf_eh_frame_open(struct elf_eh_frame *t, const struct elf_view *v)
{
	const Elf64_Phdr *p = elf_view_phdr(v, PT_GNU_EH_FRAME);
	const uint8_t *h;

	memset(t, 0, sizeof(*t));
	if (!p || p->p_filesz < 4 || !(h = elf_view_at(v, p->p_vaddr, p->p_filesz)))
		return -ENOENT;
	/* version 1; the table must be datarel sdata4 to be searchable. */
	if (h[0] != 1 || h[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4))
		return -ENOENT;
	struct cursor c = {v, p->p_vaddr + 4, p->p_vaddr + p->p_filesz, 1};
	read_encoded(&c, h[1], p->p_vaddr); /* eh_frame_ptr */
	uint64_t count = read_encoded(&c, h[2], p->p_vaddr);
	if (!c.ok || h[2] == DW_EH_PE_omit || count > (c.end - c.at) / 8 || (c.at & 3))
		return -ENOENT;
	t->view = v;
	t->hdr_vaddr = p->p_vaddr;
	t->table = (const int32_t *)(const void *)elf_view_at(v, c.at, count * 8);
	t->fde_count = count;
	return t->table ? 0 : -ENOENT;
}

/* The first address of table entry i's function (fde_bounds' lo), or the
 * table's initial location when its FDE cannot be read. */
static uint64_t entry_start(const struct elf_eh_frame *t, uint64_t i)
{
	uint64_t lo, hi;

	if (fde_bounds(t, t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * i + 1], &lo, &hi) == 0)
		return lo;
	return t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * i];
}

int elf_eh_frame_find(const struct elf_eh_frame *t, uint64_t pc, uint64_t *lo, uint64_t *hi,
		      uint64_t *prev_end, uint64_t *next_start)
{
	uint64_t a = 0, b = t->fde_count, flo, fhi;

	if (prev_end)
		*prev_end = 0;
	if (next_start)
		*next_start = UINT64_MAX;
	if (!t->table)
		return -ENOENT;
	/* The last entry whose initial location is <= pc. */
	while (b - a > 1) {
		uint64_t mid = a + (b - a) / 2;
		if (t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * mid] <= pc)
			a = mid;
		else
			b = mid;
	}
	uint64_t start = t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * a];
	if (start > pc) {
		if (next_start)
			*next_start = entry_start(t, a);
		return -ENOENT;
	}
	if (fde_bounds(t, t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * a + 1], &flo, &fhi) < 0)
		return -ENOENT;
	if (pc < flo) {
		/* The byte a signal frame's FDE starts early with: the code
		 * before it, in the gap up to the frame. */
		if (next_start)
			*next_start = flo;
		if (prev_end && a > 0 &&
		    fde_bounds(t, t->hdr_vaddr + (uint64_t)(int64_t)t->table[2 * (a - 1) + 1], &flo,
			       &fhi) == 0)
			*prev_end = fhi;
		return -ENOENT;
	}
	if (next_start && a + 1 < t->fde_count)
		*next_start = entry_start(t, a + 1);
	if (pc < fhi) {
		*lo = flo;
		*hi = fhi;
		return 0;
	}
	if (prev_end)
		*prev_end = fhi;
	return -ENOENT;
}
