/* SPDX-License-Identifier: MIT */
/*
 * pattern_branch_target: the syscall is itself a branch target (both paths
 * of an if meet on it) and starts the window. Only a window's first
 * instruction may be a branch target: its first byte becomes the jmp to the
 * stub, so a branch to it still enters the stub. The forward window
 * [syscall, cmp] (2 + 6 bytes) is taken; the jmp to do_syscall then lands
 * on the window's jmp, and the fall-through from the mov $186 does too.
 * (pattern_refused_no_room's target_syscall is the same shape with a ret
 * after the syscall: refused.)
 *
 * expect do_syscall: rewritten
 */
	.text
	.type	id_by_flag, @function
id_by_flag:
	test	%edi, %edi
	jz	use_tid
	mov	$39, %eax
	jmp	do_syscall
use_tid:
	mov	$186, %eax
do_syscall:
	syscall
	cmp	$-4095, %rax
	jae	id_fail
	ret
id_fail:
	mov	$-1, %rax
	ret
	.size	id_by_flag, .-id_by_flag
