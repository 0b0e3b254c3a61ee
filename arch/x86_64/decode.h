/* SPDX-License-Identifier: MIT */
/*
 * Decoding a function with Capstone into what the rewriter needs to know
 * about each instruction: its length, whether it can be moved into a stub
 * (and how its relative operands must be fixed), whether control can
 * continue past it, and which instructions are branch targets.
 */
#ifndef ARCH_DECODE_H
#define ARCH_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum arch_insn_class {
	ARCH_INSN_PLAIN,   /* position-independent: copied as is */
	ARCH_INSN_RIPREL,  /* a RIP-relative memory operand: disp32 fixed */
	ARCH_INSN_JMP,     /* jmp rel8/rel32: re-emitted as jmp rel32 */
	ARCH_INSN_JCC,     /* jcc rel8/rel32: re-emitted as jcc rel32 */
	ARCH_INSN_SYSCALL, /* the syscall instruction */
	ARCH_INSN_FIXED,   /* cannot move: call, loop, jrcxz, xbegin, ... */
};

/* flags */
#define ARCH_INSN_TARGET 0x01 /* some branch of the function lands here */
#define ARCH_INSN_STOPS  0x02 /* control never falls through (ret, jmp, ud2, hlt) */
#define ARCH_INSN_ENTRY  0x04 /* a function entry known from outside the decoding */
/* An entry lies inside it, or code entered at such an entry does not see
 * this instruction (arch_mark_entries). */
#define ARCH_INSN_SPLIT 0x08

struct arch_insn {
	uint64_t addr;
	uint8_t len;
	uint8_t cls; /* enum arch_insn_class */
	uint8_t flags;
	uint8_t aux;     /* RIPREL: offset of disp32; JCC: the condition (0-15) */
	uint64_t target; /* JMP/JCC: the destination */
};

/* Reads bytes outside the decoded code (jump tables): a pointer to len
 * bytes at vaddr, or NULL. */
typedef const uint8_t *(*arch_read_fn)(const void *ctx, uint64_t vaddr, uint64_t len);

struct arch_decoded {
	struct arch_insn *insn;
	size_t count, cap;
	int unknown_targets; /* an indirect jump whose table was not found */
};

/* Decode [addr, addr + len) from code. Undecodable bytes become one-byte
 * FIXED entries flagged as targets, so nothing is ever displaced across
 * them. Returns 0, -ENOMEM, or -ENOSYS when Capstone cannot be opened. */
int arch_decode(const uint8_t *code, uint64_t addr, size_t len, arch_read_fn read,
		const void *read_ctx, struct arch_decoded *out);
void arch_decoded_free(struct arch_decoded *d);

/* The first function entry in [from, hi) that ctx knows of, or hi. */
typedef uint64_t (*arch_next_entry_fn)(const void *ctx, uint64_t from, uint64_t hi);

/* Mark the entry points that next gives (known from symbols and other
 * code's branches) on d, decoded from code: an instruction that starts at
 * one is an ENTRY; one that an entry splits is SPLIT, and so is every
 * instruction after it until the code decoded from that entry meets d's
 * instructions again. Returns 0, -ENOMEM or -ENOSYS. */
int arch_mark_entries(struct arch_decoded *d, const uint8_t *code, arch_next_entry_fn next,
		      const void *ctx);

#endif
