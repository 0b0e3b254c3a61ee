/* SPDX-License-Identifier: MIT */
/*
 * long unlisted_getppid(void): a plain `syscall` in an object whose LibOS
 * note says its list is complete. The loader trusts the list and does not
 * look for it; under --strict the net catches it, as an escape.
 */
	.text
	.globl	unlisted_getppid
	.type	unlisted_getppid, @function
unlisted_getppid:
	mov	$110, %eax
	syscall
	ret
	.size	unlisted_getppid, . - unlisted_getppid

	.section .note.GNU-stack, "", @progbits
