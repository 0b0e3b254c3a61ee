/* SPDX-License-Identifier: MIT */
/*
 * A whole program (no libc, static, ET_EXEC) in the proposal's earlier
 * layout: section .syscall_instructions, entries of an 8-byte address and
 * a 1-byte window length (syscall and its nops: 14), packed, 12 nops after
 * each syscall, some single-byte and some as assemblers pad (.nops).
 *
 * Register contract: _start as the kernel enters it; exits with status 0
 * when getppid returned a pid.
 */
#include <asm/unistd.h>

	.text
	.globl	_start
	.type	_start, @function
_start:
	mov	$__NR_write, %eax		/* write(1, msg, len) */
	mov	$1, %edi
	lea	msg(%rip), %rsi
	mov	$len, %edx
1:	syscall
	.fill	12, 1, 0x90
	mov	$__NR_getppid, %eax
2:	syscall
	.nops	12
	xor	%edi, %edi
	test	%rax, %rax
	setle	%dil
	mov	$__NR_exit_group, %eax		/* exit_group(getppid() <= 0) */
3:	syscall
	.fill	12, 1, 0x90
	hlt
	.size	_start, . - _start

	.section .rodata
msg:	.ascii	"hello from the earlier layout\n"
	len = . - msg

	.section .syscall_instructions, "a", @progbits
	.quad	1b
	.byte	14
	.quad	2b
	.byte	14
	.quad	3b
	.byte	14

	.section .note.GNU-stack, "", @progbits
