/* SPDX-License-Identifier: MIT */
/*
 * Generated code for the tests: getpid through a syscall instruction in
 * anonymous RWX memory, which no object describes (the loader's net, and
 * its lazy rewrite, take it). Returns the function, or NULL when the page
 * cannot be had.
 */
#ifndef TESTS_GENERATED_GETPID_H
#define TESTS_GENERATED_GETPID_H

#include <string.h>
#include <sys/mman.h>

static long (*generated_getpid(void))(void)
{
	static const unsigned char code[] = {
		0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39, %eax (getpid) */
		0x0f, 0x05,                   /* syscall */
		0xc3,                         /* ret */
	};
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		return NULL;
	memcpy(page, code, sizeof(code));
	return (long (*)(void))page;
}

#endif
