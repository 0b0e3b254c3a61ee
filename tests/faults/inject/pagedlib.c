// SPDX-License-Identifier: MIT
/*
 * A library whose code spans several pages, each with a function making
 * its syscall itself: remap_page.c maps one of its pages again while the
 * others stay.
 */
#define RAW(name)                                                                                  \
	__attribute__((aligned(4096))) long name(void)                                             \
	{                                                                                          \
		long r;                                                                            \
		__asm__ volatile("syscall" : "=a"(r) : "0"(110L) : "rcx", "r11", "memory");        \
		return r;                                                                          \
	}
RAW(raw_page0)
RAW(raw_page1)
RAW(raw_page2)
