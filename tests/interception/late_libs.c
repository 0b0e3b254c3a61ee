// SPDX-License-Identifier: MIT
/*
 * late-libs: code mapped after start-up. Run with LD_PRELOAD=libpreload.so
 * and given the path of libdlopen.so, it calls the preloaded library's
 * function and dlopens the other one and calls it: both make raw syscalls
 * of their own. Under --strict the report must show 0 escapes and both
 * libraries with rewritten sites (check-report.py).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

long lib_getppid(void) __attribute__((weak));

int main(int argc, char **argv)
{
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
	long (*f)(void) = h ? (long (*)(void))dlsym(h, "lib_getppid") : NULL;

	printf("preloaded: %s\n", lib_getppid && lib_getppid() == getppid() ? "right" : "WRONG");
	printf("dlopened: %s\n", f && f() == getppid() ? "right" : "WRONG");
	return 0;
}
