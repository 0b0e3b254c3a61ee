/* SPDX-License-Identifier: MIT */
/*
 * pattern_jmp, expected: yield_or_fail's window [syscall, mov, jmp]
 * (6 bytes) becomes jmp + one int3; its stub holds the mov and `jmp done`
 * (now rel32), then the jmp back to yield_fail. getpid_or_fail's window is
 * [mov $39, syscall] (7 bytes); its jmp out and shared_fail stay. See
 * pattern_jmp.in.S.
 */
#include "stub.inc"

	.text
	.type	yield_or_fail, @function
yield_or_fail:
	test	%edi, %edi
	jz	yield_fail
	mov	$24, %eax
site1:
	WINDOW	stub1, 6
site1_end:
yield_fail:
	mov	$-1, %edx
done:
	mov	%edx, %eax
	ret
	.size	yield_or_fail, .-yield_or_fail
	.set	site1_after, site1 + 2

	.type	getpid_or_fail, @function
getpid_or_fail:
	WINDOW	stub2, 7
site2_after:
site2_end:
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

	.section .stubs, "ax", @progbits
stub1:
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	mov	%eax, %edx
	jmp	done
	jmp	site1_end
stub2:
	mov	$39, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site2_after
	jmp	site2_end
