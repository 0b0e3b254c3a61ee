/* SPDX-License-Identifier: MIT */
/*
 * pattern_leaf_wrapper: a getpid-like leaf at a function's end,
 * `mov $39,%eax; syscall; ret` (glibc's and musl's one-instruction
 * wrappers), and the same after a call, whose return address starts the
 * window. The forward window [syscall, ret] is not allowed: ret is not
 * movable. One instruction back, [mov, syscall] is 7 bytes of movable
 * instructions, nothing inside it but its first is a branch target, and
 * nothing before the syscall stops control: that window is taken. The mov
 * becomes the stub's first instruction, before the prologue; after the
 * epilogue nothing is left but the jmp back to the ret. In after_call the
 * window's first instruction is the call's return address, a branch target
 * of a kind: the first instruction of a window may be one (the callee comes
 * back to the jmp and enters the stub).
 *
 * expect getpid_leaf: rewritten
 * expect after_call: rewritten
 */
	.text
	.type	getpid_leaf, @function
getpid_leaf:
	mov	$39, %eax
	syscall
	ret
	.size	getpid_leaf, .-getpid_leaf

	.type	after_call, @function
after_call:
	call	getpid_leaf
	mov	$110, %eax
	syscall
	ret
	.size	after_call, .-after_call
