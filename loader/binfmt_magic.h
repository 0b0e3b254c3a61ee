/* SPDX-License-Identifier: MIT */
/*
 * The mark of a binary that binfmt_misc runs under the loader: a signature
 * in e_ident's padding (EI_PAD, bytes 9 to 15, which the kernel and the
 * loader's ELF checks ignore), and the magic and mask a registration
 * matches it with. The mask also keeps what makes the file an x86-64
 * little-endian ELF64 (bytes 0 to 6, e_machine), so a mark copied onto
 * another machine's file never sends it to the loader; it leaves out
 * EI_OSABI, EI_ABIVERSION and e_type (executables and PIEs alike).
 */
#ifndef LOADER_BINFMT_MAGIC_H
#define LOADER_BINFMT_MAGIC_H

/* "LibOS", then the mark's version, then a zero: EI_PAD's 7 bytes. */
#define LDR_MARK_OFFSET 9
#define LDR_MARK_SIZE   7
#define LDR_MARK        "LibOS\x01\x00"

/* The registration's magic and mask from offset 0: 20 bytes each. */
#define LDR_BINFMT_MATCH_SIZE 20
#define LDR_BINFMT_MAGIC                                                                           \
	"\x7f"                                                                                     \
	"ELF\x02\x01\x01\x00\x00"                                                                  \
	"LibOS\x01\x00"                                                                            \
	"\x00\x00\x3e\x00"
#define LDR_BINFMT_MASK                                                                            \
	"\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff"

#endif
