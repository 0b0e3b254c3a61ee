/* SPDX-License-Identifier: MIT */
/*
 * pattern_refused_unknown_targets: an indirect switch whose table the
 * decoder cannot find. The table's address is loaded from memory (mov
 * table_ptr(%rip), not lea TABLE(%rip)), so arch_decode() never reads the
 * table; but the function loads a 4-byte entry with `movslq (%rdx,%rdi,4)`,
 * the PIC switch pattern, so it sets unknown_targets: any instruction of
 * the function may be a case label. rewrite.c then refuses every site of
 * the function ("indirect jump with unknown targets"). That is needed here:
 * case0's syscall is followed by case1, and a forward window
 * [syscall, mov $1] would swallow that case label unseen. It also refuses
 * case1's syscall, whose forward window [syscall, cmp] happens to be
 * harmless: without the table nothing can tell the two apart. There is no
 * out.S: the expected output is the input unchanged and no stub.
 *
 * expect case0: refused: indirect jump with unknown targets
 * expect case1: refused: indirect jump with unknown targets
 */
	.text
	.type	dispatch, @function
dispatch:
	cmp	$2, %edi
	ja	case2
	mov	%edi, %edi
	mov	table_ptr(%rip), %rdx
	movslq	(%rdx,%rdi,4), %rax
	add	%rdx, %rax
	jmp	*%rax
case0:
	mov	$39, %eax
	syscall
case1:
	mov	$1, %eax
	syscall
	cmp	$-4095, %rax
	jae	case2
	ret
case2:
	mov	$-1, %rax
	ret
	.size	dispatch, .-dispatch

	.section .rodata
	.balign	4
table:
	.long	case0 - table, case1 - table, case2 - table

	.data
	.balign	8
table_ptr:
	.quad	table
