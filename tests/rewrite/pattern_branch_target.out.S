/* SPDX-License-Identifier: MIT */
/*
 * pattern_branch_target, expected: the window [syscall, cmp] at do_syscall
 * becomes jmp + three int3; the jmp to do_syscall is unchanged. See
 * pattern_branch_target.in.S.
 */
#include "stub.inc"

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
	WINDOW	stub1, 8
site1_end:
	jae	id_fail
	ret
id_fail:
	mov	$-1, %rax
	ret
	.size	id_by_flag, .-id_by_flag
	.set	site1_after, do_syscall + 2

	.section .stubs, "ax", @progbits
stub1:
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	cmp	$-4095, %rax
	jmp	site1_end
