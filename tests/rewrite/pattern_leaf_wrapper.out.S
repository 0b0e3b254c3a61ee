/* SPDX-License-Identifier: MIT */
/*
 * pattern_leaf_wrapper, expected: each window is [mov $nr,%eax; syscall]
 * (7 bytes): jmp to the stub, two int3. Each stub starts with the
 * displaced mov, and its epilogue's lea and its final jmp both point at
 * the ret, which is right after the syscall and at the window's end. See
 * pattern_leaf_wrapper.in.S.
 */
#include "stub.inc"

	.text
	.type	getpid_leaf, @function
getpid_leaf:
	WINDOW	stub1, 7
site1_after:
site1_end:
	ret
	.size	getpid_leaf, .-getpid_leaf

	.type	after_call, @function
after_call:
	call	getpid_leaf
	WINDOW	stub2, 7
site2_after:
site2_end:
	ret
	.size	after_call, .-after_call

	.section .stubs, "ax", @progbits
stub1:
	mov	$39, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	jmp	site1_end
stub2:
	mov	$110, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site2_after
	jmp	site2_end
