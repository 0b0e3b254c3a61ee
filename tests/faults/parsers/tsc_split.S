/* SPDX-License-Identifier: MIT */
/*
 * long tsc_split_value(void): 0x310f, from `mov $0x310f,%ax`, whose
 * immediate spells rdtsc (0f 31). The FDE starts two padding bytes
 * earlier (0f 1f), and decoding from there reads `nopl -0x48(%rsi)` over
 * the padding and the move's first two bytes, then the immediate as an
 * rdtsc: --trap-rdtsc would turn it into ud2 and the function would
 * return 0x0b0f. tsc_split_value's symbol (and main's call) say where
 * the code really begins, and the decoding they contradict is not
 * rewritten.
 */
	.text
	.globl	tsc_split_value
	.type	tsc_split_value, @function
tsc_split_pad:
	.cfi_startproc
	.byte	0x0f, 0x1f
tsc_split_value:
	.byte	0x66, 0xb8, 0x0f, 0x31	/* mov $0x310f, %ax */
	movzwl	%ax, %eax
	ret
	.cfi_endproc
	.size	tsc_split_value, . - tsc_split_value

	.section .note.GNU-stack, "", @progbits
