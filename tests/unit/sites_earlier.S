/* SPDX-License-Identifier: MIT */
/*
 * The proposal's earlier layout for site-list, never run: a
 * .syscall_instructions section of a link-time address and a 1-byte
 * window length (the syscall and its nops) per site, packed in 9 bytes,
 * or with ENTRY16 as the C struct lays it out (16). Each site N is
 * bracketed by site_N and site_N_end, read back with nm. Three sites: 27
 * packed bytes, which the reader cannot take for 16-byte entries; with
 * SITES16, sixteen: 144 packed bytes, which it can (sh_entsize is 0).
 *
 * Register contract: none; _start halts.
 */
	.macro	site n, window
site_\n:
	syscall
	.fill	\window - 2, 1, 0x90
site_\n\()_end:
	.pushsection .syscall_instructions, "a", @progbits
	.quad	site_\n
	.byte	\window
#ifdef ENTRY16
	.fill	7, 1, 0
#endif
	.popsection
	.endm

	.text
	.globl	_start
	.type	_start, @function
_start:
	site	0, 14
	site	1, 5
	site	2, 2
#ifdef SITES16
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	site	\n, 5
	.endr
#endif
	hlt
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
