/* SPDX-License-Identifier: MIT */
/*
 * pattern_rip_relative: RIP-relative instructions displaced into a stub,
 * after the syscall (store_pid, mark_done) and before it (say_hello).
 * rewrite.c lets them move (class RIPREL); stub.c must rewrite each disp32
 * so that the copy at 0x5000xx still addresses the same variable.
 *  - store_pid: forward window [syscall, mov %rax,last_pid(%rip)], 2 + 7
 *    bytes: the mov follows the epilogue and still writes last_pid.
 *  - say_hello: the forward window would take the ret (not movable); one
 *    instruction back, [lea hello(%rip),%rsi; syscall] is 9 bytes: the lea
 *    comes before the prologue and still loads hello's address.
 *  - mark_done: forward [syscall, movl $1,done(%rip)], 2 + 10 bytes. The
 *    disp32 is not at the instruction's end here but before the imm32;
 *    the relocated copy must patch the displacement, not the immediate.
 *
 * expect store_pid: rewritten
 * expect say_hello: rewritten
 * expect mark_done: rewritten
 */
	.text
	.type	store_pid, @function
store_pid:
	mov	$39, %eax
	syscall
	mov	%rax, last_pid(%rip)
	ret
	.size	store_pid, .-store_pid

	.type	say_hello, @function
say_hello:
	mov	$1, %edi
	mov	$6, %edx
	mov	$1, %eax
	lea	hello(%rip), %rsi
	syscall
	ret
	.size	say_hello, .-say_hello

	.type	mark_done, @function
mark_done:
	mov	$24, %eax
	syscall
	movl	$1, done(%rip)
	ret
	.size	mark_done, .-mark_done

	.section .rodata
hello:
	.ascii	"hello\n"

	.data
	.balign	8
last_pid:
	.quad	0
done:
	.long	0
