/* SPDX-License-Identifier: MIT */
/*
 * pattern_two_sites, expected: each [mov $n,%eax, syscall] becomes jmp +
 * two int3; each stub runs its mov before the prologue and comes back right
 * after its own syscall. See pattern_two_sites.in.S.
 */
#include "stub.inc"

	.text
	.type	two_calls, @function
two_calls:
site1:
	WINDOW	stub1, 7
site1_end:
site2:
	WINDOW	stub2, 7
site2_end:
	ret
	.size	two_calls, .-two_calls

	.section .stubs, "ax", @progbits
stub1:
	mov	$1, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site1_end
	jmp	site1_end
stub2:
	mov	$2, %eax
	STUB_PROLOGUE
	STUB_EPILOGUE site2_end
	jmp	site2_end
