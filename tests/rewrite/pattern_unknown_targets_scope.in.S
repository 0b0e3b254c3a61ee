/* SPDX-License-Identifier: MIT */
/*
 * pattern_unknown_targets_scope: an indirect jump with unknown targets
 * refuses the sites of its own function only. dispatch has the shape of
 * pattern_refused_unknown_targets (the table's address comes from memory,
 * its entries are loaded with movslq (%rdx,%rdi,4)), so any of its
 * instructions may be a case label and its syscall is refused, although
 * [mov $39, syscall] at case0 would be taken were the table known.
 * getpid_leaf, the next function, is decoded on its own, has no branch
 * target, and is rewritten as in pattern_leaf_wrapper: [mov $39, syscall],
 * 7 bytes. Were the decoder's unknown_targets the file's, or left over
 * from the function decoded before, getpid_leaf would be refused too.
 *
 * expect case0: refused: indirect jump with unknown targets
 * expect getpid_leaf: rewritten
 */
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
	mov	$39, %eax
	syscall
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
