/* SPDX-License-Identifier: MIT */
/*
 * Vector state around code that may touch it. The loader's own code is
 * built with -mgeneral-regs-only and never needs this; Debian's prebuilt
 * Capstone may use SSE, and the program's vector registers must survive a
 * syscall intact, so analysis runs between arch_fpu_save and _restore.
 *
 * size_t arch_fpu_size(void): CPUID.(EAX=0DH,ECX=0):EBX, the XSAVE area
 *   size for the features enabled in XCR0.
 * void arch_fpu_save(void *buf)      xsave64 with every enabled feature
 * void arch_fpu_restore(void *buf)   xrstor64
 * uint64_t arch_fpu_features(void)   XCR0 (xgetbv): the features xsave64 saves
 * buf is 64-byte aligned and arch_fpu_size() bytes, zeroed before saving
 * (the XSAVE header must start clean).
 */
	.text
	.globl	arch_fpu_size, arch_fpu_save, arch_fpu_restore
	.hidden	arch_fpu_size, arch_fpu_save, arch_fpu_restore
	.type	arch_fpu_size, @function
arch_fpu_size:
	.cfi_startproc
	push	%rbx
	.cfi_adjust_cfa_offset 8
	mov	$0xd, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ebx, %eax
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	arch_fpu_size, . - arch_fpu_size

	.type	arch_fpu_save, @function
arch_fpu_save:
	.cfi_startproc
	mov	$-1, %eax
	mov	$-1, %edx
	xsave64	(%rdi)
	ret
	.cfi_endproc
	.size	arch_fpu_save, . - arch_fpu_save

	.type	arch_fpu_restore, @function
arch_fpu_restore:
	.cfi_startproc
	mov	$-1, %eax
	mov	$-1, %edx
	xrstor64 (%rdi)
	ret
	.cfi_endproc
	.size	arch_fpu_restore, . - arch_fpu_restore

	.globl	arch_fpu_features
	.hidden	arch_fpu_features
	.type	arch_fpu_features, @function
arch_fpu_features:
	.cfi_startproc
	xor	%ecx, %ecx
	xgetbv
	shl	$32, %rdx
	or	%rdx, %rax
	ret
	.cfi_endproc
	.size	arch_fpu_features, . - arch_fpu_features

	.section .note.GNU-stack, "", @progbits
