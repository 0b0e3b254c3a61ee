/* SPDX-License-Identifier: MIT */
/*
 * pattern_jmp: unconditional jumps. A jmp is movable (class JMP; stub.c
 * re-emits it as e9 rel32 to the same destination) but control never
 * falls through it, so a window may end with a jmp and never go past one:
 * what follows a jmp (or a ret) is reached only by branches, possibly ones
 * the planner cannot see, like a jump from another function.
 *  - yield_or_fail: forward [syscall, mov %eax,%edx, jmp done] is
 *    2 + 2 + 2 = 6 bytes: taken; the jmp rel8 becomes jmp rel32 to done
 *    in the stub, and the stub's own jmp back to the window's end
 *    (yield_fail) is never reached, which is harmless.
 *  - getpid_or_fail: forward, [syscall, jmp out] is only 4 bytes and the
 *    next instruction follows a jmp. It is not a branch target of this
 *    function (decoding sees none) but is entered from fail_tail, another
 *    function: taking it would send that jump into int3 padding. So the
 *    forward window is not allowed, and one back, [mov $39, syscall], is.
 *  - fail_tail: no syscall, only the jump into getpid_or_fail.
 *
 * expect yield_or_fail: rewritten
 * expect getpid_or_fail: rewritten
 */
	.text
	.type	yield_or_fail, @function
yield_or_fail:
	test	%edi, %edi
	jz	yield_fail
	mov	$24, %eax
	syscall
	mov	%eax, %edx
	jmp	done
yield_fail:
	mov	$-1, %edx
done:
	mov	%edx, %eax
	ret
	.size	yield_or_fail, .-yield_or_fail

	.type	getpid_or_fail, @function
getpid_or_fail:
	mov	$39, %eax
	syscall
	jmp	out
shared_fail:
	mov	$-1, %rax
out:
	ret
	.size	getpid_or_fail, .-getpid_or_fail

	.type	fail_tail, @function
fail_tail:
	xor	%edi, %edi
	jmp	shared_fail
	.size	fail_tail, .-fail_tail
