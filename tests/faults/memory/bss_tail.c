// SPDX-License-Identifier: MIT
/*
 * bss_tail: a static program without libc whose read-only segment
 * (.rodata, the last PT_LOAD) craft-bss-tail.py cuts short at `tail`:
 * p_filesz ends where `tail` starts and p_memsz goes three pages on. It
 * prints the bytes the kernel left at `tail` (the file's, in the last file
 * page) and the protection of the tail's page and of the pages after
 * (the segment's bss). The same file runs natively and under the loader;
 * the two outputs must be the same.
 */
#include <asm/unistd.h>
#include <stddef.h>

#define PAGE 4096UL

/* Every string but `tail` lives with the code: the "nofile" variant
 * takes the read-only segment's file bytes away. */
#define STR(name, text)                                                                            \
	static const char name[] __attribute__((section(".text.strings"), used)) = text
STR(s_maps, "/proc/self/maps");
STR(s_tail, "tail: ");
STR(s_tail_page, "tail page: ");
STR(s_bss_page, "bss page: ");
STR(s_last_page, "last bss page: ");
STR(s_none, "none\n");
STR(s_nl, "\n");

/* The segment starts with head (file bytes the segment keeps); tail is
 * cut off (-fno-toplevel-reorder keeps the order). */
static const char head[64] __attribute__((used)) = "the read-only segment's own bytes";
static const char tail[32] __attribute__((used, aligned(16))) = "file bytes after p_filesz";

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static void put(const char *s, size_t n)
{
	sys3(__NR_write, 1, (long)s, (long)n);
}

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static unsigned long hex(const char *s, const char **end)
{
	unsigned long v = 0;

	for (;; s++) {
		int d = *s >= '0' && *s <= '9'   ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
						 : -1;
		if (d < 0)
			break;
		v = v * 16 + (unsigned long)d;
	}
	*end = s;
	return v;
}

/* The permissions of the mapping holding addr, from /proc/self/maps. */
static void perms_of(const char *what, unsigned long addr)
{
	char buf[65536];
	long fd = sys3(__NR_open, (long)s_maps, 0, 0), n = 0, r;

	while (fd >= 0 && (r = sys3(__NR_read, fd, (long)buf + n, (long)sizeof(buf) - 1 - n)) > 0)
		n += r;
	buf[n > 0 ? n : 0] = 0;
	put(what, len(what));
	for (const char *p = buf; *p;) {
		const char *e;
		unsigned long lo = hex(p, &e), hi = hex(e + 1, &e);
		if (addr >= lo && addr < hi) {
			put(e + 1, 4);
			put(s_nl, 1);
			return;
		}
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	put(s_none, 5);
}

void _start(void)
{
	unsigned long at = (unsigned long)tail;
	char shown[sizeof(tail)];

	for (size_t i = 0; i < sizeof(tail); i++)
		shown[i] = tail[i] >= ' ' && tail[i] < 127 ? tail[i] : '.';
	put(s_tail, 6);
	put(shown, sizeof(shown));
	put(s_nl, 1);
	perms_of(s_tail_page, at);
	perms_of(s_bss_page, (at + PAGE) & ~(PAGE - 1));
	perms_of(s_last_page, ((at + PAGE) & ~(PAGE - 1)) + 2 * PAGE);
	sys3(__NR_exit_group, 0, 0, 0);
	for (;;)
		;
}
