// SPDX-License-Identifier: MIT
/* The library gdb_prog dlopens: a pending breakpoint's target. */
int late_function(int x)
{
	return x * 2;
}
