/* SPDX-License-Identifier: MIT */
/*
 * pattern_switch_absolute: a non-PIC switch, `jmp *table(,%rdi,8)` over a
 * table of absolute 8-byte addresses (gcc -fno-pic). The decoder reads the
 * table through the base-less, scale-8 memory operand and marks
 * case0..case2 as branch targets, for as long as the entries land in the
 * function (the scan stops at the end of .rodata).
 *  - site in case0: the forward window [syscall, mov $110] would displace
 *    case1, a target: not allowed. Back one, [mov $39 (case0, first),
 *    syscall], 7 bytes: taken.
 *  - site in case1: forward, the ret; back one, [mov $110, syscall]:
 *    taken; it starts where case0's window ends.
 * Had the table not been found, case0's forward window would have been
 * taken and `switch (1)` would run into int3.
 *
 * expect case0: rewritten
 * expect case1: rewritten
 */
	.text
	.type	abs_switch, @function
abs_switch:
	cmp	$2, %edi
	ja	case2
	mov	%edi, %edi
	jmp	*table(,%rdi,8)
case0:
	mov	$39, %eax
	syscall
case1:
	mov	$110, %eax
	syscall
	ret
case2:
	xor	%eax, %eax
	ret
	.size	abs_switch, .-abs_switch

	.section .rodata
	.balign	8
table:
	.quad	case0, case1, case2
