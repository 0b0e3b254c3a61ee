/* SPDX-License-Identifier: MIT */
/*
 * pattern_endbr_moved, expected: the 8-byte window from the function's
 * entry (jmp + three int3), the stub holding endbr64 and the mov before the
 * prologue. See pattern_endbr_moved.in.S.
 */
#include "stub.inc"

	.text
	.type	raw_nr, @function
raw_nr:
	WINDOW	stub1, 8
site1_after:
site1_end:
	ret
	.size	raw_nr, .-raw_nr

	.section .stubs, "ax", @progbits
stub1:
	endbr64
	mov	%edi, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	jmp	site1_end
