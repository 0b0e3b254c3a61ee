/* SPDX-License-Identifier: MIT */
/*
 * pattern_jcc: conditional jumps displaced into a stub. After a syscall the
 * next instructions are often `test %eax,%eax` (2 bytes) and a jcc; the
 * forward window needs 5 bytes, so it must take the jcc too: syscall 2 +
 * test 2 = 4, + jcc 2 = 6. A jcc is movable (class JCC) and does not stop
 * control, and its destination lies outside the window, so nothing in the
 * window but its first byte is a branch target. stub.c re-emits a jcc as
 * 0f 8x rel32 to the same destination:
 *  - close_like: js forward (rel8) to the error path;
 *  - yield_n: jnz backward (rel8) to the loop's top, which is the mov
 *    before the syscall and outside the window: the loop goes on through
 *    the original mov and the window's jmp;
 *  - fsync_like: js already rel32 (as a compiler emits it when the error
 *    path is far away, e.g. in .text.unlikely; {disp32} asks the assembler
 *    for that form here): the window is 2 + 2 + 6 = 10 bytes and the jcc
 *    keeps its destination.
 *
 * expect close_like: rewritten
 * expect yield_n: rewritten
 * expect fsync_like: rewritten
 */
	.text
	.type	close_like, @function
close_like:
	mov	$3, %eax
	syscall
	test	%eax, %eax
	js	close_fail
	xor	%eax, %eax
	ret
close_fail:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %eax
	ret
	.size	close_like, .-close_like

	.type	yield_n, @function
yield_n:
yield_again:
	mov	$24, %eax
	syscall
	dec	%edi
	jnz	yield_again
	ret
	.size	yield_n, .-yield_n

	.type	fsync_like, @function
fsync_like:
	mov	$74, %eax
	syscall
	test	%eax, %eax
	{disp32} js fsync_fail
	ret
fsync_fail:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %eax
	ret
	.size	fsync_like, .-fsync_like

	.bss
	.balign	4
error_code:
	.zero	4
