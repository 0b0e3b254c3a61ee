/* SPDX-License-Identifier: MIT */
/*
 * A noted object for site-list (test_site_list.c), never run: the LibOS
 * note of include/libos/note.h with the flags NOTE_FLAGS, which the
 * absolute symbol expect_flags repeats, and six SYSCALL_INSTs with
 * paddings of 3 to 30 bytes, one of them in .text.unlikely, which the
 * linker puts first: the list's order (the source's) is not the
 * addresses'. Each site N is bracketed by the local symbols site_N and
 * site_N_end, which the test reads back with nm: the site, and its
 * padding (site_N_end - site_N - 2).
 *
 * Register contract: none; _start, for the executable build, halts.
 */
#include <libos/note.h>

#ifndef NOTE_FLAGS
#define NOTE_FLAGS LIBOS_NOTE_COMPLETE
#endif

	LIBOS_NOTE(NOTE_FLAGS)
	.set	expect_flags, NOTE_FLAGS

/* Site N with pad bytes of padding, as SYSCALL_INST lays it out. */
	.macro	site n, pad
site_\n:
	LIBOS__SYSCALL_INST_ASM(\pad)
site_\n\()_end:
	.endm

	.text
	.globl	_start
	.type	_start, @function
_start:
	mov	$39, %eax
site_0:
	SYSCALL_INST
site_0_end:
	mov	$110, %eax
	site	1, 5
	site	2, 30
	site	3, 4
	hlt
	.size	_start, . - _start

	.section .text.unlikely, "ax", @progbits
cold:
	site	4, 3
	ret
	.size	cold, . - cold

	.text
last:
	site	5, 12
	ret
	.size	last, . - last

	.section .note.GNU-stack, "", @progbits
