/* SPDX-License-Identifier: MIT */
/*
 * pattern_refused_no_room: syscalls that must be refused, each for lack of
 * room: every window of 5 bytes or more around them breaks a rule of
 * rewrite.c.
 *  - call_then_syscall: `call get_nr; syscall; ret`. Forward, the ret is
 *    not movable; backward, the call is not movable (it would push a stub
 *    address), and every longer backward window contains it.
 *  - call_then_target: the instruction after the syscall is a branch
 *    target (jz skips the call and the syscall), so no window may go past
 *    the syscall; backward there is the call again.
 *  - syscall_first: the syscall is the function's first instruction,
 *    followed by ret: forward fails on the ret and there is nothing
 *    before it inside the function (windows never leave the function).
 *  - target_syscall: the syscall itself is a branch target (both paths of
 *    the if meet there) and is followed by a ret: a backward window would
 *    displace the syscall at a position other than the first, which no
 *    branch target may take; forward, the ret.
 * There is no out.S: the expected output is the input unchanged and no
 * stub. target_syscall's site goes by the label it sits on, do_syscall.
 *
 * expect call_then_syscall: refused: no room for a jump
 * expect call_then_target: refused: no room for a jump
 * expect syscall_first: refused: no room for a jump
 * expect do_syscall: refused: no room for a jump
 */
	.text
	.type	get_nr, @function
get_nr:
	mov	$39, %eax
	ret
	.size	get_nr, .-get_nr

	.type	call_then_syscall, @function
call_then_syscall:
	call	get_nr
	syscall
	ret
	.size	call_then_syscall, .-call_then_syscall

	.type	call_then_target, @function
call_then_target:
	xor	%eax, %eax
	test	%edi, %edi
	jz	store
	call	get_nr
	syscall
store:
	mov	%rax, last(%rip)
	ret
	.size	call_then_target, .-call_then_target

	.type	syscall_first, @function
syscall_first:
	syscall
	ret
	.size	syscall_first, .-syscall_first

	.type	target_syscall, @function
target_syscall:
	test	%edi, %edi
	jnz	use_ppid
	mov	$39, %eax
	jmp	do_syscall
use_ppid:
	mov	$110, %eax
do_syscall:
	syscall
	ret
	.size	target_syscall, .-target_syscall

	.data
	.balign	8
last:
	.quad	0
