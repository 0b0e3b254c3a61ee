// SPDX-License-Identifier: MIT
/*
 * The loader's libc against glibc: the same calls, on the same random and
 * edge-case inputs, must give the same results (for comparisons, the same
 * sign). glibc is the truth here; the loader's functions are compiled a
 * second time under lt_* names (libc_rename.h) so both live in this test.
 * The allocator has no glibc twin to compare with: it is checked for
 * alignment and for keeping every byte a program writes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

void *lt_memcpy(void *, const void *, size_t);
void *lt_memmove(void *, const void *, size_t);
void *lt_memset(void *, int, size_t);
int lt_memcmp(const void *, const void *, size_t);
void *lt_memchr(const void *, int, size_t);
void *lt_memmem(const void *, size_t, const void *, size_t);
size_t lt_strlen(const char *);
size_t lt_strnlen(const char *, size_t);
int lt_strcmp(const char *, const char *);
int lt_strncmp(const char *, const char *, size_t);
char *lt_strchr(const char *, int);
char *lt_strrchr(const char *, int);
char *lt_strstr(const char *, const char *);
char *lt_strcpy(char *, const char *);
char *lt_strncpy(char *, const char *, size_t);
const char *lt_strerror(int);
void *lt_malloc(size_t);
void *lt_calloc(size_t, size_t);
void *lt_realloc(void *, size_t);
void lt_free(void *);
void lt_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
long lt_strtol(const char *, char **, int);
unsigned long lt_strtoul(const char *, char **, int);
unsigned long long lt_strtoull(const char *, char **, int);
int lt_snprintf(char *, size_t, const char *, ...);

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void fill(unsigned char *p, size_t n, int alphabet)
{
	for (size_t i = 0; i < n; i++)
		p[i] = alphabet ? (unsigned char)('a' + next() % (unsigned)alphabet)
				: (unsigned char)next();
}

static void test_memory(void)
{
	unsigned char a[600], b[600], c[600];

	for (int round = 0; round < 20000; round++) {
		size_t n = next() % 300, off1 = next() % 16, off2 = next() % 16;
		fill(a, sizeof(a), 0);
		memcpy(b, a, sizeof(a));
		memcpy(c, a, sizeof(a));
		memcpy(b + off1, a + 300 + off2, n);
		lt_memcpy(c + off1, a + 300 + off2, n);
		CHECK(memcmp(b, c, sizeof(b)) == 0, "memcpy n=%zu off=%zu/%zu", n, off1, off2);

		size_t from = next() % 300, to = next() % 300;
		memcpy(b, a, sizeof(a));
		memcpy(c, a, sizeof(a));
		memmove(b + to, b + from, n);
		lt_memmove(c + to, c + from, n);
		CHECK(memcmp(b, c, sizeof(b)) == 0, "memmove n=%zu from=%zu to=%zu", n, from, to);

		int v = (int)(next() % 512) - 128;
		memset(b + off1, v, n);
		lt_memset(c + off1, v, n);
		CHECK(memcmp(b, c, sizeof(b)) == 0, "memset n=%zu v=%d", n, v);

		fill(a, 300, 3);
		memcpy(b, a, 300);
		if (n && next() % 2)
			b[next() % n] ^= (unsigned char)(1 + next() % 255);
		CHECK(sign(memcmp(a, b, n)) == sign(lt_memcmp(a, b, n)), "memcmp n=%zu", n);

		int ch = 'a' + (int)(next() % 4);
		CHECK(memchr(a, ch, n) == lt_memchr(a, ch, n), "memchr n=%zu c=%c", n, ch);
		size_t nn = next() % 5;
		const unsigned char *needle = a + next() % 290;
		CHECK(memmem(a, n, needle, nn) == lt_memmem(a, n, needle, nn),
		      "memmem n=%zu nn=%zu", n, nn);
	}
}

static void test_strings(void)
{
	char a[300], b[300], c[300];

	for (int round = 0; round < 20000; round++) {
		size_t la = next() % 40, lb = next() % 40;
		fill((unsigned char *)a, la, 3);
		a[la] = 0;
		if (next() % 3 == 0) {
			memcpy(b, a, la + 1);
			lb = la;
			if (lb && next() % 2)
				b[next() % lb] = (char)('a' + next() % 3);
			if (next() % 4 == 0)
				b[lb = next() % (lb + 1)] = 0;
		} else {
			fill((unsigned char *)b, lb, 3);
			b[lb] = 0;
		}
		if (next() % 5 == 0 && la)
			a[next() % la] = (char)0xe9; /* a byte above 127 */
		size_t n = next() % 45;
		CHECK(strlen(a) == lt_strlen(a), "strlen");
		CHECK(strnlen(a, n) == lt_strnlen(a, n), "strnlen n=%zu", n);
		CHECK(sign(strcmp(a, b)) == sign(lt_strcmp(a, b)), "strcmp '%s' '%s'", a, b);
		CHECK(sign(strncmp(a, b, n)) == sign(lt_strncmp(a, b, n)), "strncmp '%s' '%s' %zu",
		      a, b, n);
		int ch = next() % 8 == 0 ? 0 : 'a' + (int)(next() % 4);
		CHECK(strchr(a, ch) == lt_strchr(a, ch), "strchr '%s' %d", a, ch);
		CHECK(strrchr(a, ch) == lt_strrchr(a, ch), "strrchr '%s' %d", a, ch);
		CHECK(strstr(a, b) == lt_strstr(a, b), "strstr '%s' '%s'", a, b);
		CHECK(strstr(a, b + lb / 2) == lt_strstr(a, b + lb / 2), "strstr '%s' '%s'", a,
		      b + lb / 2);
		memset(b, 'x', sizeof(b));
		memset(c, 'x', sizeof(c));
		strcpy(b + 3, a);
		lt_strcpy(c + 3, a);
		CHECK(memcmp(b, c, sizeof(b)) == 0, "strcpy '%s'", a);
		strncpy(b + 5, a, n);
		lt_strncpy(c + 5, a, n);
		CHECK(memcmp(b, c, sizeof(b)) == 0, "strncpy '%s' %zu", a, n);
	}
}

#define FMT1(fmt, v)                                                                               \
	do {                                                                                       \
		char want[512], got[512];                                                          \
		__typeof__(v) val = (v);                                                           \
		size_t size = next() % 3 == 0 ? next() % 40 : sizeof(want);                        \
		memset(want, '#', sizeof(want));                                                   \
		memset(got, '#', sizeof(got));                                                     \
		int nw = snprintf(want, size, fmt, val);                                           \
		int ng = lt_snprintf(got, size, fmt, val);                                         \
		CHECK(nw == ng && memcmp(want, got, sizeof(want)) == 0,                            \
		      "snprintf(%zu, \"%s\"): glibc %d \"%.*s\", ours %d \"%.*s\"", size, fmt, nw, \
		      (int)(size ? size - 1 : 0), want, ng, (int)(size ? size - 1 : 0), got);      \
	} while (0)

static void random_spec(char *out, const char *conv, const char *length)
{
	const char flags[] = "-0+ #";
	int n = 0;

	out[n++] = '%';
	for (int i = 0; i < 5; i++)
		if (next() % 4 == 0)
			out[n++] = flags[i];
	if (next() % 2)
		n += sprintf(out + n, "%d", (int)(next() % 25));
	if (next() % 2)
		n += sprintf(out + n, ".%d", (int)(next() % 25));
	n += sprintf(out + n, "%s%s|", length, conv);
	out[n] = 0;
}

static void test_format(void)
{
	static const char *const ints[] = {"d", "i", "u", "x", "X", "o"};
	static const char *const strs[] = {"", "a", "hello", "a longer string of text"};
	char spec[64];

	for (int round = 0; round < 30000; round++) {
		const char *conv = ints[next() % 6];
		int64_t v = (int64_t)next();
		switch (next() % 6) {
		case 0:
			v = 0;
			break;
		case 1:
			v = (int64_t)(next() % 200) - 100;
			break;
		case 2:
			v = INT64_MIN;
			break;
		}
		random_spec(spec, conv, "");
		FMT1(spec, (int)v);
		random_spec(spec, conv, "l");
		FMT1(spec, (long)v);
		random_spec(spec, conv, "ll");
		FMT1(spec, (long long)v);
		random_spec(spec, conv, "z");
		FMT1(spec, (size_t)v);
		random_spec(spec, conv, "hh");
		FMT1(spec, (int)v);
		random_spec(spec, conv, "h");
		FMT1(spec, (int)v);
		random_spec(spec, "s", "");
		FMT1(spec, strs[next() % 4]);
		random_spec(spec, "c", "");
		FMT1(spec, 'A' + (int)(next() % 26));
		FMT1("%p", (void *)(uintptr_t)v);
		FMT1("%-20p|", (void *)(uintptr_t)(next() % 2 ? 0 : v));
	}
	FMT1("%s", (char *)NULL);
	FMT1("%%%s%%", "x");
	FMT1("plain text %d", 5);
	for (int w = -12; w <= 12; w += 3) {
		char want[64], got[64];
		snprintf(want, sizeof(want), "%*d|%.*s|", w, 42, w, "abcdefghij");
		lt_snprintf(got, sizeof(got), "%*d|%.*s|", w, 42, w, "abcdefghij");
		CHECK(strcmp(want, got) == 0, "star width %d: glibc \"%s\", ours \"%s\"", w, want,
		      got);
	}
}

static void test_strtol(void)
{
	static const char *const fixed[] = {
		"0",
		"-0",
		"+5",
		"  42abc",
		"0x",
		"0x1f",
		"0X1F",
		"-0x10",
		"077",
		"08",
		"z",
		"9223372036854775807",
		"9223372036854775808",
		"-9223372036854775808",
		"-9223372036854775809",
		"18446744073709551615",
		"18446744073709551616",
		"99999999999999999999999",
		"\t\n 12",
		"-",
		"+",
		"",
		"  ",
		"0x1g",
		"1e5",
	};
	/* Bases outside 2..36 are not compared: what glibc does then with
	 * *end is its own choice, not the standard's. */
	static const int bases[] = {0, 2, 8, 10, 16, 36};
	char buf[64];

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]) + 20000; i++) {
		const char *s = buf;
		if (i < sizeof(fixed) / sizeof(fixed[0])) {
			s = fixed[i];
		} else {
			static const char set[] = "0123456789abcdefxXz +-";
			size_t n = next() % 24;
			for (size_t k = 0; k < n; k++)
				buf[k] = set[next() % (sizeof(set) - 1)];
			buf[n] = 0;
		}
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			char *e1, *e2;
			errno = 0;
			long want = strtol(s, &e1, bases[b]);
			long got = lt_strtol(s, &e2, bases[b]);
			CHECK(want == got && e1 == e2,
			      "strtol(\"%s\", %d): glibc %ld +%td, ours %ld +%td", s, bases[b],
			      want, e1 - s, got, e2 - s);
			unsigned long long uw = strtoull(s, &e1, bases[b]);
			unsigned long long ug = lt_strtoull(s, &e2, bases[b]);
			CHECK(uw == ug && e1 == e2, "strtoull(\"%s\", %d): glibc %llu, ours %llu",
			      s, bases[b], uw, ug);
			CHECK(strtoul(s, NULL, bases[b]) == lt_strtoul(s, NULL, bases[b]),
			      "strtoul(\"%s\", %d)", s, bases[b]);
		}
	}
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void test_qsort(void)
{
	int a[500], b[500];

	for (int round = 0; round < 2000; round++) {
		size_t n = next() % 500;
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (int)(next() % (round % 2 ? 10 : 100000));
		qsort(a, n, sizeof(int), cmp_int);
		lt_qsort(b, n, sizeof(int), cmp_int);
		CHECK(memcmp(a, b, n * sizeof(int)) == 0, "qsort n=%zu", n);
	}
}

static void test_strerror(void)
{
	int codes[] = {EPERM,  ENOENT,  ENOEXEC,      ENOMEM, EACCES, EEXIST, ENOTDIR, EISDIR,
		       EINVAL, ETXTBSY, ENAMETOOLONG, ELOOP,  ENOSYS, EIO,    E2BIG,   ELIBBAD};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		CHECK(strcmp(strerror(codes[i]), lt_strerror(codes[i])) == 0,
		      "strerror(%d): glibc \"%s\", ours \"%s\"", codes[i], strerror(codes[i]),
		      lt_strerror(codes[i]));
	CHECK(strcmp(lt_strerror(-ENOENT), strerror(ENOENT)) == 0, "strerror(-ENOENT)");
}

static void test_malloc(void)
{
	enum { SLOTS = 512 };
	static unsigned char *p[SLOTS];
	static size_t size[SLOTS];

	for (int round = 0; round < 200000; round++) {
		size_t i = next() % SLOTS;
		if (p[i]) {
			for (size_t k = 0; k < size[i]; k++)
				if (p[i][k] != (unsigned char)(i + k)) {
					CHECK(0, "block %zu of %zu bytes lost byte %zu", i, size[i],
					      k);
					break;
				}
		}
		size_t n = next() % 4 == 0 ? next() % 200000 : next() % 600;
		switch (next() % 3) {
		case 0:
			lt_free(p[i]);
			p[i] = NULL;
			size[i] = 0;
			break;
		case 1: {
			unsigned char *q = lt_realloc(p[i], n);
			CHECK(n == 0 || q, "realloc %zu failed", n);
			if (n == 0)
				q = NULL;
			p[i] = q;
			size_t keep = size[i] < n ? size[i] : n;
			for (size_t k = keep; k < n; k++)
				q[k] = (unsigned char)(i + k);
			size[i] = q ? n : 0;
			break;
		}
		default:
			lt_free(p[i]);
			p[i] = next() % 2 ? lt_malloc(n) : lt_calloc(1, n);
			CHECK(p[i] != NULL, "malloc %zu failed", n);
			CHECK(((uintptr_t)p[i] & 15) == 0, "malloc %zu: %p not 16-byte aligned", n,
			      (void *)p[i]);
			for (size_t k = 0; k < n; k++)
				p[i][k] = (unsigned char)(i + k);
			size[i] = n;
		}
	}
	unsigned char *z = lt_calloc(1000, 1000);
	size_t nonzero = 0;
	for (size_t k = 0; z && k < 1000000; k++)
		nonzero += z[k] != 0;
	CHECK(z && nonzero == 0, "calloc memory not zero");
	lt_free(z);
	CHECK(lt_calloc(SIZE_MAX / 2, 4) == NULL, "calloc overflow not refused");
	CHECK(lt_malloc(SIZE_MAX - 8) == NULL, "absurd malloc not refused");
}

int main(void)
{
	test_memory();
	test_strings();
	test_format();
	test_strtol();
	test_qsort();
	test_strerror();
	test_malloc();
	if (failures)
		fprintf(stderr, "test_libc: %d failures\n", failures);
	else
		printf("test_libc: all checks agree with glibc\n");
	return failures != 0;
}
