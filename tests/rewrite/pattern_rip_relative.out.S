/* SPDX-License-Identifier: MIT */
/*
 * pattern_rip_relative, expected: three windows, three stubs; every
 * RIP-relative operand is written with its symbol, so the assembler
 * computes the displacement from the stub's address, which is what "keeps
 * its target" means. See pattern_rip_relative.in.S.
 */
#include "stub.inc"

	.text
	.type	store_pid, @function
store_pid:
	mov	$39, %eax
site1:
	WINDOW	stub1, 9
site1_end:
	ret
	.size	store_pid, .-store_pid
	.set	site1_after, site1 + 2

	.type	say_hello, @function
say_hello:
	mov	$1, %edi
	mov	$6, %edx
	mov	$1, %eax
site2:
	WINDOW	stub2, 9
site2_after:
site2_end:
	ret
	.size	say_hello, .-say_hello

	.type	mark_done, @function
mark_done:
	mov	$24, %eax
site3:
	WINDOW	stub3, 12
site3_end:
	ret
	.size	mark_done, .-mark_done
	.set	site3_after, site3 + 2

	.section .rodata
hello:
	.ascii	"hello\n"

	.data
	.balign	8
last_pid:
	.quad	0
done:
	.long	0

	.section .stubs, "ax", @progbits
stub1:
	STUB_PROLOGUE
	STUB_EPILOGUE site1_after
	mov	%rax, last_pid(%rip)
	jmp	site1_end
stub2:
	lea	hello(%rip), %rsi
	STUB_PROLOGUE
	STUB_EPILOGUE site2_after
	jmp	site2_end
stub3:
	STUB_PROLOGUE
	STUB_EPILOGUE site3_after
	movl	$1, done(%rip)
	jmp	site3_end
