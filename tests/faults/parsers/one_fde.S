/* SPDX-License-Identifier: MIT */
/*
 * Four global functions under one FDE, as hand-written assembly often
 * has them: .eh_frame says [fde_write_stdout, end) is one function. The
 * shared `syscall` is a branch target (so no window may start before
 * it) and fde_third begins right after it: the only window there is,
 * `syscall; mov %rdx,%rax`, would put the stub's jmp over fde_third's
 * first instruction, and main's direct call to fde_third would land in
 * the middle of that jmp. The planner must refuse the site, because
 * symbols (and in the stripped copy, main's `call fde_third`) say an
 * entry is there, whatever the FDE says.
 *
 * fde_getpid is the other way a wrong FDE misleads: a padding byte
 * before it (0xb8) makes the decoding from the FDE's start read
 * `mov $imm32,%eax` over fde_getpid's first four bytes, and the window
 * that move would start (the syscall's only one: a ret follows it) puts
 * the jmp over them. An entry inside a decoded instruction bars it too.
 */
#include <asm/unistd.h>

	.text
	.globl	fde_write_stdout, fde_write, fde_third, fde_getpid
	.type	fde_write_stdout, @function
	.type	fde_write, @function
	.type	fde_third, @function
	.type	fde_getpid, @function

/* long fde_write_stdout(const void *buf, size_t n): write(1, buf, n), then n */
fde_write_stdout:
	.cfi_startproc
	mov	%rsi, %rdx
	mov	%rdi, %rsi
	mov	$1, %edi
	mov	$__NR_write, %eax
	jmp	1f

/* long fde_write(int fd, const void *buf, size_t n): write(fd, buf, n), then n */
fde_write:
	mov	$__NR_write, %eax
1:	syscall
	/* falls through: the count asked is the answer */

/* long fde_third(long a, long b, long c): c */
fde_third:
	mov	%rdx, %rax
	ret
	.byte	0xb8

/* long fde_getpid(void): getpid() */
fde_getpid:
	xor	%eax, %eax
	mov	$__NR_getpid, %al
	syscall
	ret
	.cfi_endproc
	.size	fde_write_stdout, fde_write - fde_write_stdout
	.size	fde_write, fde_third - fde_write
	.size	fde_third, . - fde_third - 1
	.size	fde_getpid, . - fde_getpid

	.section .note.GNU-stack, "", @progbits
