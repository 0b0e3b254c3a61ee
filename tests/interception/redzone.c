// SPDX-License-Identifier: MIT
/*
 * redzone: a leaf function's red zone survives its syscall (see
 * redzone_leaf.S). Under the loader that syscall is a rewritten site whose
 * stub must not write below the program's %rsp. Prints the same thing
 * natively and under the loader.
 */
#include <stdio.h>
#include <unistd.h>

long redzone_syscall(long nr, long *result);

int main(void)
{
	long value = 0, changed = redzone_syscall(110 /* getppid */, &value);

	printf("red zone words changed across the syscall: %ld; getppid %s\n", changed,
	       value == getppid() ? "right" : "WRONG");
	return changed == 0 && value == getppid() ? 0 : 1;
}
