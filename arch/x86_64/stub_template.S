/* SPDX-License-Identifier: MIT */
/*
 * The fixed parts of every per-site stub, as templates that stub.c copies.
 * The site's `syscall` (with the whole instructions displaced around it)
 * became a 5-byte `jmp` to its stub:
 *
 *   site:  jmp stub ------------> stub: [instructions displaced before the syscall]
 *          int3 (padding)                prologue   (switch to the LibOS stack)
 *   next:  ... <---------+               call *%gs:TCB_ENTRY_FN --> arch_syscall_entry
 *                        |         cont: epilogue   (back to the program's stack)
 *                        |               [instructions displaced after the syscall]
 *                        +-------------- jmp next
 *
 * Register contract at the prologue: the program's registers, %rax = the
 * syscall number; %rcx and %r11 are free (a real syscall clobbers them).
 * Nothing is ever written below the program's %rsp (it may keep data in
 * its red zone across a syscall), so the flags are saved only after the
 * switch, and nothing before it may change them: only mov and lea.
 *
 * The re-entry protocol, through the TCB's entry_sp (E): read E, lower it
 * by one slice, then use [E - slice, E); restore E only after leaving the
 * slice. A signal handler that enters the LibOS while we are in between
 * either finds E (and has left the slice again before we resume) or
 * E - slice (and uses the next slice): never our words.
 *
 * LibOS stack after the prologue (E is 16-byte aligned):
 *   E-0x08  program %rsp (A)
 *   E-0x10  E
 *   E-0x18  program flags
 *   E-0x20  return address: cont
 *
 * Epilogue contract: arch_syscall_entry returned with every register of
 * the program restored and %rax = the result, %rsp = E-0x18. It leaves
 * %rcx = the address after the original syscall and %r11 = the flags, as
 * the kernel's sysret would.
 */
#include "asm-offsets.h"

	.section .rodata.stub_template, "a"

	.globl	arch_stub_prologue
	.hidden	arch_stub_prologue
arch_stub_prologue:
	mov	%gs:TCB_ENTRY_SP, %rcx		/* E */
	lea	-SLICE_SIZE(%rcx), %r11
	mov	%r11, %gs:TCB_ENTRY_SP		/* entries from now on use the next slice */
	mov	%rsp, %r11		/* A */
	mov	%rcx, %rsp		/* switch */
	push	%r11
	push	%rcx
	pushfq
	call	*%gs:TCB_ENTRY_FN		/* arch_syscall_entry */
arch_stub_prologue_end:

	.globl	arch_stub_epilogue
	.hidden	arch_stub_epilogue
arch_stub_epilogue:
	mov	0x8(%rsp), %rcx		/* E */
	popfq
	mov	0x8(%rsp), %rsp		/* back on the program's stack; the slice is still ours */
	mov	-0x18(%rcx), %r11	/* the flags, for r11 */
	mov	%rcx, %gs:TCB_ENTRY_SP		/* the slice is free again */
	lea	0x0(%rip), %rcx		/* disp32 patched: the address after the syscall */
arch_stub_epilogue_end:
	/* entry.h's ARCH_STUB_EPILOGUE_SIZE, which the entry's CFI relies on. */
	.if	arch_stub_epilogue_end - arch_stub_epilogue - STUB_EPILOGUE_SIZE
	.error	"the epilogue's size is not ARCH_STUB_EPILOGUE_SIZE (entry.h)"
	.endif

/* The templates' sizes, for C (which may not subtract two symbols). */
	.section .rodata.stub_template_sizes, "a"
	.balign	8
	.globl	arch_stub_prologue_size, arch_stub_epilogue_size
	.hidden	arch_stub_prologue_size, arch_stub_epilogue_size
arch_stub_prologue_size:
	.quad	arch_stub_prologue_end - arch_stub_prologue
arch_stub_epilogue_size:
	.quad	arch_stub_epilogue_end - arch_stub_epilogue

	.section .note.GNU-stack, "", @progbits
