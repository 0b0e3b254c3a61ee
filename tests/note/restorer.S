/* SPDX-License-Identifier: MIT */
/*
 * note_restorer: the sa_restorer of the procs test's signal handlers,
 * rt_sigreturn through SYSCALL_INST: a listed site in a .S file.
 *
 * Register contract: entered by `ret` from a handler, %rsp at the
 * kernel's signal frame; never returns.
 */
#include <asm/unistd.h>
#include <libos/note.h>

	.text
	.globl	note_restorer
	.type	note_restorer, @function
note_restorer:
	mov	$__NR_rt_sigreturn, %eax
	SYSCALL_INST
	ud2
	.size	note_restorer, . - note_restorer

	.section .note.GNU-stack, "", @progbits
