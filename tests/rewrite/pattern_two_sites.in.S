/* SPDX-License-Identifier: MIT */
/*
 * pattern_two_sites: two syscalls in one function, `mov $1,%eax; syscall;
 * mov $2,%eax; syscall; ret` (glibc's _exit has this shape: exit_group,
 * then exit). A window never holds a syscall other than its own, windows
 * never share a byte, and no window may cover the point another window's
 * stub jumps back to, except as its own first instruction. The sites of a
 * function are planned together (arch_plan_sites):
 *  - first site: the preferred forward window [syscall, mov $2,%eax]
 *    (7 bytes) would leave the second site no window at all (forward, the
 *    ret cannot move; backwards, its mov would be gone). So the first
 *    site takes its next candidate, one back: [mov $1,%eax, syscall],
 *    7 bytes, the mov being the function's entry (a first instruction may
 *    be a branch target).
 *  - second site: forward, the ret cannot move; one back, [mov $2,%eax,
 *    syscall] starts exactly where stub1 jumps back to, which a window's
 *    first instruction may: taken, 7 bytes.
 * Both sites are rewritten. (Planned one at a time, the first site took
 * its forward window and the second was refused: the defect this pattern
 * was written for.) The two sites follow the same label, the function's
 * name, so they go by two_calls#1 and two_calls#2.
 *
 * expect two_calls#1: rewritten
 * expect two_calls#2: rewritten
 */
	.text
	.type	two_calls, @function
two_calls:
	mov	$1, %eax
	syscall
	mov	$2, %eax
	syscall
	ret
	.size	two_calls, .-two_calls
