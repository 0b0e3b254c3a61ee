/* SPDX-License-Identifier: MIT */
/*
 * A site list with bad entries, each of which the loader must refuse with
 * one line and survive:
 *   1. a real syscall whose padding is not nops (bad_getppid): refused,
 *      and its function is disassembled instead (tier 2);
 *   2. an entry in .rodata, outside executable code;
 *   3. an entry on a `mov`, not on 0f 05;
 *   4. a duplicate of good_getpid's (valid) entry.
 * long bad_getppid(void), long good_getpid(void): plain C calls.
 */
#include <asm/unistd.h>
#include <libos/note.h>

	.text
	.globl	bad_getppid
	.type	bad_getppid, @function
bad_getppid:
	mov	$__NR_getppid, %eax
1:	syscall
	ret
	int3
	int3
	int3
	.size	bad_getppid, . - bad_getppid

	.globl	good_getpid
	.type	good_getpid, @function
good_getpid:
	mov	$__NR_getpid, %eax
2:	SYSCALL_INST
	ret
	.size	good_getpid, . - good_getpid

	.section .rodata
3:	.quad	0

	.section libos_instruction_syscall, "a", @progbits
	.balign	8
	.quad	1b - .
	.byte	3
	.fill	7, 1, 0
	.quad	3b - .
	.byte	3
	.fill	7, 1, 0
	.quad	bad_getppid - .
	.byte	3
	.fill	7, 1, 0
	.quad	2b - .
	.byte	3
	.fill	7, 1, 0

	.section .note.GNU-stack, "", @progbits
