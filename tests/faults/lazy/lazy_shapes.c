// SPDX-License-Identifier: MIT
/*
 * lazy_shapes: generated code whose syscalls have shapes where a lazy
 * rewrite's window could start at the syscall and cover what follows
 * (`syscall; test %rax,%rax; js`, `syscall; cmp $-4095,%rax`, a syscall
 * with nothing before it). The thread trapped by the net returns from
 * SIGSYS to the instruction after the syscall: if the rewrite put a `jmp`
 * over it, it lands in the middle of the jmp. Each shape runs from
 * anonymous RWX memory, from an RX copy, and from a plain file mapped
 * executable, many times; the output is compared with the native run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct shape {
	const char *name;
	const unsigned char *code;
	size_t len;
};

/* getpid, result tested: `mov $39,%eax; syscall; test %rax,%rax; js 1f; ret; 1: neg %rax; ret` */
static const unsigned char test_js[] = {0xb8, 0x27, 0,    0,    0,    0x0f, 0x05, 0x48, 0x85,
					0xc0, 0x78, 0x01, 0xc3, 0x48, 0xf7, 0xd8, 0xc3};
/* getppid with the number in %edi: `mov %edi,%eax; syscall; cmp $-4095,%rax; jae 1f; ret; 1: or
 * $-1,%rax; ret` */
static const unsigned char cmp_4095[] = {0x89, 0xf8, 0x0f, 0x05, 0x48, 0x3d, 0x01, 0xf0, 0xff,
					 0xff, 0x73, 0x01, 0xc3, 0x48, 0x83, 0xc8, 0xff, 0xc3};
/* nothing before: `syscall; nop4; nop4; ret` with %eax set by a caller stub */
static const unsigned char bare[] = {0x0f, 0x05, 0x0f, 0x1f, 0x40, 0x00,
				     0x0f, 0x1f, 0x40, 0x00, 0xc3};
/* `mov %edi,%eax; syscall; mov %rax,%rdx; mov %rdx,%rax; ret` */
static const unsigned char movs[] = {0x89, 0xf8, 0x0f, 0x05, 0x48, 0x89,
				     0xc2, 0x48, 0x89, 0xd0, 0xc3};

static const struct shape shapes[] = {
	{"syscall; test; js", test_js, sizeof(test_js)},
	{"syscall; cmp $-4095", cmp_4095, sizeof(cmp_4095)},
	{"syscall first", bare, sizeof(bare)},
	{"syscall; mov; mov", movs, sizeof(movs)},
};

/* Calls fn with %eax = %edi = nr, as each shape wants one or the other. */
static long call(const void *fn, long nr)
{
	long r;
	__asm__ volatile("call *%[fn]"
			 : "=a"(r)
			 : [fn] "r"(fn), "a"(nr), "D"(nr)
			 : "rcx", "r11", "rdx", "rsi", "r8", "r9", "r10", "memory", "cc");
	return r;
}

static int run(const char *how, const void *fn, long nr, long want)
{
	int ok = 0;
	for (int i = 0; i < 200; i++)
		ok += call(fn, nr) == want;
	printf("  %s: %d/200 right\n", how, ok);
	return ok == 200;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	long pid = getpid();
	int good = 1;

	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		const struct shape *sh = &shapes[s];
		printf("%s\n", sh->name);
		/* anonymous RWX */
		unsigned char *rwx = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (rwx == MAP_FAILED)
			return 2;
		memcpy(rwx, sh->code, sh->len);
		good &= run("rwx", rwx, 39, pid);
		/* an RX copy: written, then made executable */
		unsigned char *rx = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (rx == MAP_FAILED)
			return 2;
		memcpy(rx + 100, sh->code, sh->len);
		if (mprotect(rx, 4096, PROT_READ | PROT_EXEC))
			return 2;
		good &= run("rx", rx + 100, 39, pid);
		/* a plain file mapped executable */
		char path[4096];
		snprintf(path, sizeof(path), "%s/lazy-shape-%zu.bin", dir, s);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(sh->code, 1, sh->len, f) != sh->len || fclose(f))
			return 2;
		FILE *r = fopen(path, "rb");
		if (!r)
			return 2;
		void *fx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fileno(r), 0);
		fclose(r);
		unlink(path);
		if (fx == MAP_FAILED)
			return 2;
		good &= run("file", fx, 39, pid);
	}
	printf("%s\n", good ? "all right" : "SOME WRONG");
	return good ? 0 : 1;
}
