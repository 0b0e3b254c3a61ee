/* SPDX-License-Identifier: MIT */
/*
 * pattern_endbr_kept: a CET-enabled wrapper, `endbr64; mov $110,%eax;
 * syscall; ret` (glibc built with -fcf-protection). The forward window
 * would take the ret. One back, [mov $110, syscall] is 7 bytes: taken, so
 * the endbr64 stays at the function's entry, where indirect calls land, and
 * is not copied into the stub.
 *
 * expect getppid_cet: rewritten
 */
	.text
	.type	getppid_cet, @function
getppid_cet:
	endbr64
	mov	$110, %eax
	syscall
	ret
	.size	getppid_cet, .-getppid_cet
