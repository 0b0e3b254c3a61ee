/* SPDX-License-Identifier: MIT */
/*
 * pattern_jcc, expected: windows [syscall, test, jcc] of 6, 6 and 10 bytes;
 * each stub has the test and the jcc after the epilogue, the jcc written
 * with its label in .text (so assembled as 0f 8x rel32), then the jmp back
 * to the instruction after the jcc. See pattern_jcc.in.S.
 */
#include "stub.inc"

	.text
	.type	close_like, @function
close_like:
	mov	$3, %eax
site1:
	WINDOW	stub1, 6
site1_end:
	xor	%eax, %eax
	ret
close_fail:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %eax
	ret
	.size	close_like, .-close_like
	.set	site1_after, site1 + 2

	.type	yield_n, @function
yield_n:
yield_again:
	mov	$24, %eax
site2:
	WINDOW	stub2, 6
site2_end:
	ret
	.size	yield_n, .-yield_n
	.set	site2_after, site2 + 2

	.type	fsync_like, @function
fsync_like:
	mov	$74, %eax
site3:
	WINDOW	stub3, 10
site3_end:
	ret
fsync_fail:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %eax
	ret
	.size	fsync_like, .-fsync_like
	.set	site3_after, site3 + 2

	.bss
	.balign	4
error_code:
	.zero	4

	.section .stubs, "ax", @progbits
stub1:
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	test	%eax, %eax
	js	close_fail
	jmp	site1_end
stub2:
	STUB_PROLOGUE
	STUB_EPILOGUE site2_after
	dec	%edi
	jnz	yield_again
	jmp	site2_end
stub3:
	STUB_PROLOGUE
	STUB_EPILOGUE site3_after
	test	%eax, %eax
	js	fsync_fail
	jmp	site3_end
