/* SPDX-License-Identifier: MIT */
/*
 * pattern_endbr_kept, expected: endbr64 unchanged, then the 7-byte window
 * (jmp + two int3) and the ret; the stub starts with the mov. See
 * pattern_endbr_kept.in.S.
 */
#include "stub.inc"

	.text
	.type	getppid_cet, @function
getppid_cet:
	endbr64
	WINDOW	stub1, 7
site1_after:
site1_end:
	ret
	.size	getppid_cet, .-getppid_cet

	.section .stubs, "ax", @progbits
stub1:
	mov	$110, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	jmp	site1_end
