/* SPDX-License-Identifier: MIT */
/*
 * pattern_switch_absolute, expected: two 7-byte windows at case0 and case1,
 * each stub starting with its mov; the table still points at case0..case2,
 * now the windows' jmps and the untouched case2. See
 * pattern_switch_absolute.in.S.
 */
#include "stub.inc"

	.text
	.type	abs_switch, @function
abs_switch:
	cmp	$2, %edi
	ja	case2
	mov	%edi, %edi
	jmp	*table(,%rdi,8)
case0:
	WINDOW	stub1, 7
case1:
site1_after:
site1_end:
	WINDOW	stub2, 7
site2_after:
site2_end:
	ret
case2:
	xor	%eax, %eax
	ret
	.size	abs_switch, .-abs_switch

	.section .rodata
	.balign	8
table:
	.quad	case0, case1, case2

	.section .stubs, "ax", @progbits
stub1:
	mov	$39, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	jmp	site1_end
stub2:
	mov	$110, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site2_after
	jmp	site2_end
