// SPDX-License-Identifier: MIT
/*
 * The function decoder (Capstone, with instruction details).
 *
 * Branch targets come from: direct jumps and calls into the function;
 * code addresses taken with `lea X(%rip)` (computed gotos); and jump
 * tables, found the way compilers emit them: for PIC code a `lea
 * TABLE(%rip)` whose int32 entries, added to TABLE, land inside the
 * function, for non-PIC code an absolute table of 8-byte addresses indexed
 * by a register (`jmp *T(,%r,8)`, `mov T(,%r,8),%r`). An indirect jump
 * without a table is taken for a tail call through a function pointer,
 * unless the function also loads 4-byte table entries (`movslq
 * (%r1,%r2,4)`, the PIC switch pattern) from a table that was not found:
 * then its targets are unknown and the result says so. Any instruction
 * Capstone cannot decode is kept as a one-byte barrier.
 */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

static csh handle;

static int open_capstone(void)
{
	if (handle)
		return 0;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
		handle = 0;
		return -ENOSYS;
	}
	cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

static struct arch_insn *push(struct arch_decoded *d)
{
	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct arch_insn *v = realloc(d->insn, cap * sizeof(*v));
		if (!v)
			return NULL;
		d->insn = v;
		d->cap = cap;
	}
	memset(&d->insn[d->count], 0, sizeof(d->insn[0]));
	return &d->insn[d->count++];
}

static int in_group(const cs_insn *in, uint8_t group)
{
	for (uint8_t i = 0; i < in->detail->groups_count; i++)
		if (in->detail->groups[i] == group)
			return 1;
	return 0;
}

/* Classify one decoded instruction. */
static void classify(const cs_insn *in, struct arch_insn *out)
{
	const cs_x86 *x = &in->detail->x86;

	out->cls = ARCH_INSN_PLAIN;
	switch (in->id) {
	case X86_INS_SYSCALL:
		out->cls = ARCH_INSN_SYSCALL;
		return;
	case X86_INS_RET:
	case X86_INS_RETF:
	case X86_INS_UD2:
	case X86_INS_HLT:
		out->cls = ARCH_INSN_FIXED;
		out->flags |= ARCH_INSN_STOPS;
		return;
	case X86_INS_JMP:
		out->flags |= ARCH_INSN_STOPS;
		if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM) {
			out->cls = ARCH_INSN_JMP;
			out->target = (uint64_t)x->operands[0].imm;
		} else {
			out->cls = ARCH_INSN_FIXED;
		}
		return;
	default:
		break;
	}
	if (in_group(in, X86_GRP_CALL) || in_group(in, X86_GRP_INT) || in_group(in, X86_GRP_IRET)) {
		out->cls = ARCH_INSN_FIXED;
		if (in_group(in, X86_GRP_CALL) && x->op_count == 1 &&
		    x->operands[0].type == X86_OP_IMM)
			out->target = (uint64_t)x->operands[0].imm;
		return;
	}
	if (in_group(in, X86_GRP_JUMP)) {
		/* Conditional jumps: 70+cc rel8 or 0f 80+cc rel32. loop and
		 * jrcxz have no rel32 form: they stay where they are. */
		uint8_t op0 = x->opcode[0], op1 = x->opcode[1];
		out->cls = ARCH_INSN_FIXED;
		if (x->op_count == 1 && x->operands[0].type == X86_OP_IMM)
			out->target = (uint64_t)x->operands[0].imm;
		if (op0 >= 0x70 && op0 <= 0x7f) {
			out->cls = ARCH_INSN_JCC;
			out->aux = op0 & 0x0f;
		} else if (op0 == 0x0f && op1 >= 0x80 && op1 <= 0x8f) {
			out->cls = ARCH_INSN_JCC;
			out->aux = op1 & 0x0f;
		}
		return;
	}
	if (in_group(in, X86_GRP_BRANCH_RELATIVE)) { /* xbegin and friends */
		out->cls = ARCH_INSN_FIXED;
		return;
	}
	for (uint8_t i = 0; i < x->op_count; i++) {
		if (x->operands[i].type == X86_OP_MEM && x->operands[i].mem.base == X86_REG_RIP) {
			if (x->encoding.disp_offset && x->encoding.disp_size == 4) {
				out->cls = ARCH_INSN_RIPREL;
				out->aux = x->encoding.disp_offset;
			} else {
				out->cls = ARCH_INSN_FIXED;
			}
		}
	}
}

static int by_address(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct targets {
	uint64_t *v;
	size_t count, cap;
};

static int add_target(struct targets *t, uint64_t addr)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		uint64_t *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->count++] = addr;
	return 0;
}

/* Entries of a jump table at table: int32 offsets from the table (PIC) or
 * absolute 8-byte addresses, for as long as they land in [lo, hi). */
static int scan_table(uint64_t table, int absolute, uint64_t lo, uint64_t hi, arch_read_fn read,
		      const void *ctx, struct targets *t)
{
	int found = 0;

	for (unsigned i = 0; i < 4096; i++) {
		uint64_t dest;
		if (absolute) {
			const uint8_t *p = read(ctx, table + 8ULL * i, 8);
			if (!p)
				break;
			memcpy(&dest, p, 8);
		} else {
			const uint8_t *p = read(ctx, table + 4ULL * i, 4);
			int32_t e;
			if (!p)
				break;
			memcpy(&e, p, 4);
			dest = table + (uint64_t)(int64_t)e;
		}
		if (dest < lo || dest >= hi)
			break;
		if (add_target(t, dest) < 0)
			return -ENOMEM;
		found = 1;
	}
	return found;
}

/* Mark every instruction that starts at a collected target. */
static void mark_targets(struct arch_decoded *d, struct targets *t)
{
	size_t k = 0;

	qsort(t->v, t->count, sizeof(t->v[0]), by_address);
	for (size_t i = 0; i < d->count && k < t->count; i++) {
		while (k < t->count && t->v[k] < d->insn[i].addr)
			k++;
		if (k < t->count && t->v[k] == d->insn[i].addr)
			d->insn[i].flags |= ARCH_INSN_TARGET;
	}
}

int arch_decode(const uint8_t *code, uint64_t addr, size_t len, arch_read_fn read,
		const void *read_ctx, struct arch_decoded *out)
{
	struct targets t = {0};
	uint64_t lo = addr, hi = addr + len;
	int pic_loads = 0, tables = 0, r;
	cs_insn *in;

	memset(out, 0, sizeof(*out));
	r = open_capstone();
	if (r < 0)
		return r;
	in = cs_malloc(handle);
	if (!in)
		return -ENOMEM;
	while (len) {
		struct arch_insn *ai = push(out);
		if (!ai)
			goto oom;
		if (!cs_disasm_iter(handle, &code, &len, &addr, in)) {
			ai->addr = addr;
			ai->len = 1;
			ai->cls = ARCH_INSN_FIXED;
			ai->flags = ARCH_INSN_TARGET | ARCH_INSN_STOPS;
			code++;
			len--;
			addr++;
			continue;
		}
		ai->addr = in->address;
		ai->len = (uint8_t)in->size;
		classify(in, ai);
		if (ai->target >= lo && ai->target < hi && add_target(&t, ai->target) < 0)
			goto oom;

		const cs_x86 *x = &in->detail->x86;
		/* A non-PIC table: T(,%reg,8) with no base, in a jmp or a mov. */
		for (uint8_t k = 0; k < x->op_count && read; k++) {
			const cs_x86_op *op = &x->operands[k];
			if (op->type == X86_OP_MEM && op->mem.base == X86_REG_INVALID &&
			    op->mem.index != X86_REG_INVALID && op->mem.scale == 8 &&
			    op->mem.disp > 0) {
				r = scan_table((uint64_t)op->mem.disp, 1, lo, hi, read, read_ctx,
					       &t);
				if (r < 0)
					goto oom;
				tables += r;
			}
		}
		if (in->id == X86_INS_LEA && ai->cls == ARCH_INSN_RIPREL) {
			uint64_t x_addr =
				in->address + in->size + (uint64_t)x->operands[1].mem.disp;
			if (x_addr >= lo && x_addr < hi) {
				if (add_target(&t, x_addr) < 0) /* a computed goto's label */
					goto oom;
			} else if (read) {
				r = scan_table(x_addr, 0, lo, hi, read, read_ctx, &t);
				if (r < 0)
					goto oom;
				tables += r;
			}
		}
		/* movslq (%r1,%r2,4),%r: loading a PIC switch table's entry. */
		if (in->id == X86_INS_MOVSXD && x->op_count == 2 &&
		    x->operands[1].type == X86_OP_MEM &&
		    x->operands[1].mem.index != X86_REG_INVALID && x->operands[1].mem.scale == 4 &&
		    x->operands[1].mem.base != X86_REG_RIP)
			pic_loads++;
	}
	cs_free(in, 1);
	mark_targets(out, &t);
	free(t.v);
	/* Switch-table loads with no table found: destinations unknown. */
	out->unknown_targets = pic_loads > 0 && tables == 0;
	return 0;
oom:
	cs_free(in, 1);
	free(t.v);
	arch_decoded_free(out);
	return -ENOMEM;
}

void arch_decoded_free(struct arch_decoded *d)
{
	free(d->insn);
	memset(d, 0, sizeof(*d));
}

/* Entry e splits d->insn[i]: mark SPLIT every instruction of d that code
 * entered at e does not decode too, up to where the two meet again (x86
 * code meets again within a few instructions; if it has not within
 * RESYNC bytes, the rest of d is marked). */
#define RESYNC 64
static int mark_split(struct arch_decoded *d, size_t i, const uint8_t *code, uint64_t e)
{
	uint64_t lo = d->insn[0].addr, hi = d->insn[d->count - 1].addr + d->insn[d->count - 1].len;
	uint64_t end = hi - e > RESYNC ? e + RESYNC : hi;
	struct arch_decoded other;
	size_t j = 0, m;
	int r = arch_decode(code + (e - lo), e, end - e, NULL, NULL, &other);

	if (r < 0)
		return r;
	d->insn[i].flags |= ARCH_INSN_SPLIT;
	for (m = i + 1; m < d->count && d->insn[m].addr < end; m++) {
		while (j < other.count && other.insn[j].addr < d->insn[m].addr)
			j++;
		if (j < other.count && other.insn[j].addr == d->insn[m].addr)
			break; /* the same instruction in both: in step again */
		d->insn[m].flags |= ARCH_INSN_SPLIT;
	}
	if (m < d->count && d->insn[m].addr >= end)
		for (; m < d->count; m++)
			d->insn[m].flags |= ARCH_INSN_SPLIT;
	arch_decoded_free(&other);
	return 0;
}

int arch_mark_entries(struct arch_decoded *d, const uint8_t *code, arch_next_entry_fn next,
		      const void *ctx)
{
	size_t i = 0;

	if (d->count == 0)
		return 0;
	/* The region's own start is no barrier: a window may begin there. */
	uint64_t lo = d->insn[0].addr, hi = d->insn[d->count - 1].addr + d->insn[d->count - 1].len;
	for (uint64_t e = next(ctx, lo + 1, hi); e < hi; e = next(ctx, e + 1, hi)) {
		while (i < d->count && d->insn[i].addr + d->insn[i].len <= e)
			i++;
		if (i == d->count)
			break;
		if (d->insn[i].addr == e) {
			d->insn[i].flags |= ARCH_INSN_ENTRY;
		} else {
			int r = mark_split(d, i, code, e);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
