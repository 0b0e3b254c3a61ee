// SPDX-License-Identifier: MIT
/* A shared object with one syscall site, for over_ranges to map itself:
 * the loader patches it and gives it a stub arena of its own. */
long site_lib_getpid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
	return r;
}
