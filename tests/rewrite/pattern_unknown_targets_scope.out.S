/* SPDX-License-Identifier: MIT */
/*
 * pattern_unknown_targets_scope, expected: dispatch unchanged, its syscall
 * included; getpid_leaf's [mov $39, syscall] becomes jmp + two int3, its
 * stub starting with the mov. See pattern_unknown_targets_scope.in.S.
 */
#include "stub.inc"

	.text
	.type	dispatch, @function
dispatch:
	cmp	$1, %edi
	ja	case1
	mov	%edi, %edi
	mov	table_ptr(%rip), %rdx
	movslq	(%rdx,%rdi,4), %rax
	add	%rdx, %rax
	jmp	*%rax
case0:
	mov	$39, %eax
	syscall
	ret
case1:
	mov	$-1, %rax
	ret
	.size	dispatch, .-dispatch

	.type	getpid_leaf, @function
getpid_leaf:
	WINDOW	stub1, 7
site1_after:
site1_end:
	ret
	.size	getpid_leaf, .-getpid_leaf

	.section .rodata
	.balign	4
table:
	.long	case0 - table, case1 - table

	.data
	.balign	8
table_ptr:
	.quad	table

	.section .stubs, "ax", @progbits
stub1:
	mov	$39, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	jmp	site1_end
