// SPDX-License-Identifier: MIT
/*
 * strtoull, strtoul and strtol: C-locale number parsing with the standard's
 * rules for base 0 and 16 prefixes, overflow saturation and *end.
 * There is no errno: on overflow the result saturates as the standard says.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/* Parses the magnitude; sets *neg and *overflow. */
static unsigned long long parse(const char *s, char **end, int base, int *neg, int *overflow)
{
	const char *p = s, *digits;
	unsigned long long v = 0;

	*neg = 0;
	*overflow = 0;
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	digits = p;
	for (int d; (d = digit_value(*p)) < base; p++) {
		if (__builtin_mul_overflow(v, (unsigned)base, &v) ||
		    __builtin_add_overflow(v, (unsigned)d, &v))
			*overflow = 1;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return v;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	int neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);

	if (overflow)
		return ULLONG_MAX;
	return neg ? -v : v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return strtoull(s, end, base);
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	int neg, overflow;
	unsigned long long v = parse(s, end, base, &neg, &overflow);

	if (neg)
		return (overflow || v > (unsigned long long)LONG_MAX + 1) ? LONG_MIN : (long)-v;
	return (overflow || v > LONG_MAX) ? LONG_MAX : (long)v;
}
