// SPDX-License-Identifier: MIT
/*
 * arch_code_writes_gs (arch/x86_64/syscall_insn.c) against the plain
 * definition, a check of every offset: every wrgsbase encoding (f3 0f ae
 * /3 and f3 REX 0f ae /3, register form) planted at every offset of a
 * buffer of random code-like bytes, at its very start and end, cut short
 * by the end, and broken one byte at a time; then every file given, whose
 * answer must be the definition's too (the loader itself holds one).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "check_freestanding.h"

/* The definition: some offset starts f3 [40-4f] 0f ae d8-df, whole. */
static int reference(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		if (p[j] != 0xf3)
			continue;
		j++;
		if (j < n && (p[j] & 0xf0) == 0x40)
			j++;
		if (j + 2 < n && p[j] == 0x0f && p[j + 1] == 0xae && (p[j + 2] & 0xf8) == 0xd8)
			return 1;
	}
	return 0;
}

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint8_t random_byte(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	/* Code-like: the bytes of the pattern often, so that near misses abound. */
	static const uint8_t common[] = {0xf3, 0x48, 0x0f, 0xae, 0xd8, 0xdf, 0xe8, 0x00};
	return (seed >> 60) < 8 ? common[(seed >> 33) % sizeof(common)] : (uint8_t)(seed >> 40);
}

static void check(const uint8_t *p, size_t n, const char *what, size_t at)
{
	int want = reference(p, n), got = arch_code_writes_gs(p, p + n);
	CHECK(got == want, "%s at %zu of %zu: %d, the definition says %d", what, at, n, got, want);
}

int main(int argc, char **argv)
{
	static const uint8_t forms[][5] = {
		{0xf3, 0x0f, 0xae, 0xd8},       {0xf3, 0x0f, 0xae, 0xdf},
		{0xf3, 0x48, 0x0f, 0xae, 0xdf}, {0xf3, 0x49, 0x0f, 0xae, 0xd8},
		{0xf3, 0x40, 0x0f, 0xae, 0xdb},
	};
	static const size_t form_len[] = {4, 4, 5, 5, 5};
	uint8_t buf[64];

	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = random_byte();
		check(buf, sizeof(buf), "random", 0);
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
			for (size_t at = 0; at + form_len[f] <= sizeof(buf); at++) {
				uint8_t copy[64];
				memcpy(copy, buf, sizeof(copy));
				memcpy(copy + at, forms[f], form_len[f]);
				check(copy, sizeof(copy), "planted", at);
				check(copy + at, form_len[f], "alone", at);
				check(copy + at, form_len[f] - 1, "cut short", at);
				copy[at + (size_t)round % form_len[f]] ^= 0x10;
				check(copy, sizeof(copy), "broken", at);
			}
	}
	for (int i = 1; i < argc; i++) {
		int fd = (int)sys_open(argv[i], O_RDONLY);
		CHECK(fd >= 0, "%s: cannot open", argv[i]);
		if (fd < 0)
			continue;
		size_t cap = 1 << 20, n = 0;
		uint8_t *all = malloc(cap);
		long got;
		while (all && (got = sys_read(fd, all + n, cap - n)) > 0)
			if ((n += (size_t)got) == cap && !(all = realloc(all, cap *= 2)))
				break;
		sys_close(fd);
		CHECK(all != NULL, "%s: no memory", argv[i]);
		if (all)
			check(all, n, argv[i], 0);
		free(all);
	}
	dprintf(1, "gs scan: %d differences from the definition\n", failures);
	return failures != 0;
}
