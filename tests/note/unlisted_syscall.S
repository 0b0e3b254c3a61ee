/* SPDX-License-Identifier: MIT */
/*
 * long unlisted_getppid(void): a plain `syscall` in an object whose LibOS
 * note says its list is complete. The loader's byte scan finds it all
 * the same, and disassembles and rewrites its function.
 */
#include <asm/unistd.h>

	.text
	.globl	unlisted_getppid
	.type	unlisted_getppid, @function
unlisted_getppid:
	mov	$__NR_getppid, %eax
	syscall
	ret
	.size	unlisted_getppid, . - unlisted_getppid

	.section .note.GNU-stack, "", @progbits
