/* SPDX-License-Identifier: MIT */
/*
 * long redzone_syscall(long nr, long *result): a leaf function that keeps
 * 128 bytes of data in its red zone (below %rsp, where the ABI lets a leaf
 * keep data without moving %rsp) across a `syscall nr`, then checks them.
 * Returns how many of the 16 red-zone words changed (0 when all is well)
 * and stores the syscall's result at *result.
 */
	.text
	.globl	redzone_syscall
	.type	redzone_syscall, @function
redzone_syscall:
	.cfi_startproc
	mov	$0x5a5a5a5a00000000, %r8
	xor	%ecx, %ecx
1:	lea	(%r8,%rcx), %r9
	mov	%r9, -128(%rsp,%rcx,8)
	inc	%ecx
	cmp	$16, %ecx
	jb	1b
	mov	%rdi, %rax
	syscall
	mov	%rax, (%rsi)
	xor	%eax, %eax
	xor	%ecx, %ecx
2:	lea	(%r8,%rcx), %r9
	cmp	%r9, -128(%rsp,%rcx,8)
	je	3f
	inc	%rax
3:	inc	%ecx
	cmp	$16, %ecx
	jb	2b
	ret
	.cfi_endproc
	.size	redzone_syscall, . - redzone_syscall

	.section .note.GNU-stack, "", @progbits
