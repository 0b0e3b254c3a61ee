// SPDX-License-Identifier: MIT
/*
 * jit: code generated at run time makes a syscall. It writes
 * `mov $39,%eax; syscall; ret` (getpid) into fresh executable memory and
 * calls it twice; both answers must be the real pid. Under the loader the
 * first call is caught by the safety net (the code was never part of any
 * object), the site is then rewritten, and the second call goes through a
 * stub: jit-check.py reads that from the report.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	static const unsigned char code[] = {
		0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39, %eax (getpid) */
		0x0f, 0x05,                   /* syscall */
		0xc3,                         /* ret */
	};
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long (*fn)(void) = (long (*)(void))page;

	if (page == MAP_FAILED)
		return 2;
	memcpy(page, code, sizeof(code));
	long first = fn(), second = fn(), pid = getpid();
	printf("generated getpid: first call %s, second call %s\n",
	       first == pid ? "right" : "WRONG", second == pid ? "right" : "WRONG");
	return first == pid && second == pid ? 0 : 1;
}
