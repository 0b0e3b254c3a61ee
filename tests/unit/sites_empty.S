/* SPDX-License-Identifier: MIT */
/*
 * A noted object for site-list with no site yet and no promise of
 * completeness: LIBOS_NOTE(0), an empty list. Never run.
 */
#include <libos/note.h>

	LIBOS_NOTE(0)
	.set	expect_flags, 0

	.text
	.globl	nothing
	.type	nothing, @function
nothing:
	ret
	.size	nothing, . - nothing

	.section .note.GNU-stack, "", @progbits
