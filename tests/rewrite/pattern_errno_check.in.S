/* SPDX-License-Identifier: MIT */
/*
 * pattern_errno_check: the common glibc wrapper shape, `mov $1,%eax;
 * syscall; cmp $-4095,%rax; jae error; ret`. The planner prefers a window
 * that starts at the syscall: [syscall, cmp] is 2 + 6 = 8 bytes (cmp with
 * an imm32 and %rax: 48 3d imm32), both movable, the cmp is no branch
 * target and the syscall does not stop control, so that window is taken and
 * the mov stays where it is. The window ends at the jae, where the stub
 * comes back; nothing precedes the syscall in the window, so the stub
 * starts with the prologue and the cmp follows the epilogue.
 *
 * expect write_like: rewritten
 */
	.text
	.type	write_like, @function
write_like:
	mov	$1, %eax
	syscall
	cmp	$-4095, %rax
	jae	write_error
	ret
	.size	write_like, .-write_like

	.type	write_error, @function
write_error:
	neg	%eax
	mov	%eax, error_code(%rip)
	mov	$-1, %rax
	ret
	.size	write_error, .-write_error

	.bss
	.balign	4
error_code:
	.zero	4
