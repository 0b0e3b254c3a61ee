/* SPDX-License-Identifier: MIT */
/*
 * pattern_switch_pic, expected: case0 and case1 each become a 7-byte window
 * (jmp + two int3) whose stub starts with the displaced mov; case1's window
 * starts exactly where case0's ends, which is where stub1 comes back.
 * case2's syscall stays. The table is unchanged: the windows start at the
 * case labels, so every entry still lands on an instruction (the jmp). See
 * pattern_switch_pic.in.S.
 */
#include "stub.inc"

	.text
	.type	by_index, @function
by_index:
	cmp	$3, %edi
	ja	case3
	mov	%edi, %edi
	lea	table(%rip), %rdx
	movslq	(%rdx,%rdi,4), %rax
	add	%rdx, %rax
	jmp	*%rax
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
	mov	%esi, %eax
	syscall
case3:
	xor	%eax, %eax
	ret
	.size	by_index, .-by_index

	.section .rodata
	.balign	4
table:
	.long	case0 - table, case1 - table, case2 - table, case3 - table

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
