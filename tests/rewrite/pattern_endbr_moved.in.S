/* SPDX-License-Identifier: MIT */
/*
 * pattern_endbr_moved: a CET-enabled wrapper whose number comes in a
 * register, `endbr64; mov %edi,%eax; syscall; ret`. Forward, the ret. One
 * back, [mov %edi,%eax; syscall] is 4 bytes and the next instruction is the
 * ret. Two back, [endbr64, mov, syscall] is 4 + 2 + 2 = 8 bytes of movable
 * instructions, none but the first a branch target: rewrite.c's rules take
 * it, so the endbr64 moves into the stub and the function's entry becomes
 * the jmp. This pins that behaviour: it is right as long as indirect-branch
 * tracking is not enforced for the program (Linux does not enable
 * user-space IBT); under IBT an indirect call to raw_nr would fault, and
 * the planner would have to keep an endbr64 in place.
 *
 * expect raw_nr: rewritten
 */
	.text
	.type	raw_nr, @function
raw_nr:
	endbr64
	mov	%edi, %eax
	syscall
	ret
	.size	raw_nr, .-raw_nr
