/* SPDX-License-Identifier: MIT */
/*
 * pattern_switch_pic: a PIC switch whose table the decoder finds (lea
 * TABLE(%rip), then movslq (%rdx,%rdi,4), add, jmp *%rax: what gcc emits
 * for a switch). Each int32 entry plus TABLE lands in the function, so
 * case0..case3 are branch targets; the scan stops at the end of .rodata.
 *  - site in case0: the forward window would be [syscall, mov $110] but
 *    that mov is case1, a branch target other than the window's first
 *    instruction: not allowed. One back, [mov $39 (case0, a target, but
 *    first), syscall] is 7 bytes: taken. (Had the table not been found,
 *    the movslq would have made every site refused, as in
 *    pattern_refused_unknown_targets.)
 *  - site in case1: forward, the ret; back, [mov $110, syscall]: taken.
 *    It starts where case0's window ends, so the two do not overlap.
 *  - site in case2: forward, case3 right after the syscall is a target;
 *    back, [mov %esi,%eax; syscall] is only 4 bytes and the next one is
 *    case3 again; two back is the ret before case2: refused, no room.
 * So the expected output rewrites two sites and leaves the third alone.
 *
 * expect case0: rewritten
 * expect case1: rewritten
 * expect case2: refused: no room for a jump
 */
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
	mov	$39, %eax
	syscall
case1:
	mov	$110, %eax
	syscall
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
