/* SPDX-License-Identifier: MIT */
/*
 * pattern_errno_check, expected: the window [syscall, cmp] (8 bytes)
 * becomes jmp + three int3; the stub is prologue, epilogue (the syscall's
 * continuation is 2 bytes into the window, inside the new jmp), the cmp,
 * and the jmp back to the jae. See pattern_errno_check.in.S.
 */
#include "stub.inc"

	.text
	.type	write_like, @function
write_like:
	mov	$1, %eax
site1:
	WINDOW	stub1, 8
site1_end:
	jae	write_error
	ret
	.size	write_like, .-write_like
	.set	site1_after, site1 + 2	/* after the 2-byte syscall */

	.type	write_error, @function
write_error:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %rax
	ret
	.size	write_error, .-write_error

	.bss
	.balign	4
error_code:
	.zero	4

	.section .stubs, "ax", @progbits
stub1:
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	cmp	$-4095, %rax
	jmp	site1_end
