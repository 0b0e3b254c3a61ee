/* SPDX-License-Identifier: MIT */
/*
 * Forced into every loader source built for a harness: the loader's code
 * compiled hosted, on glibc's headers, with the loader's <sys.h> found
 * after them (-idirafter libc/include). The file-type bits that the
 * loader's libc takes from <linux/stat.h> are hidden there under glibc.
 */
#ifndef S_IFMT
#define S_IFMT  00170000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#endif

/* glibc's <sys/time.h> and the kernel's <linux/time.h> (which <sys.h>
 * includes) define the same structs: glibc's are the ones kept. */
#include <sys/time.h>
#include <time.h>
#define _LINUX_TIME_H
/* ... but <linux/resource.h> (in <sys.h> since execsem) needs the
 * kernel's own time types, which <linux/time.h> would have brought. */
#include <linux/time_types.h>

/* The loader's raw syscalls ask the program's seccomp judge first
 * (libc/arch/x86_64/syscall_arch.h); a harness has no program and no
 * filter. Weak: every file of a harness includes this one. */
__attribute__((weak)) int libc_seccomp_on;
__attribute__((weak)) long libc_seccomp_judge(long nr, const long args[6])
{
	(void)nr;
	(void)args;
	return -38; /* never called: libc_seccomp_on stays 0 */
}
