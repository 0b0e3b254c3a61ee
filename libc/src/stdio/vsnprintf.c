// SPDX-License-Identifier: MIT
/*
 * vsnprintf: the loader's formatter. It implements the C conversions the
 * loader and Capstone use, with their flags, width, precision and length
 * modifiers: d i u o x X c s p %, and n. Floating point is not supported:
 * the loader is built without vector registers, so %f/%e/%g/%a print "?".
 * Output is truncated to size and always NUL-terminated when size > 0; the
 * return value is the length the full output would have had.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void pad(struct out *o, char c, long n)
{
	char block[32];

	if (n <= 0)
		return;
	memset(block, c, sizeof(block));
	for (; n > (long)sizeof(block); n -= (long)sizeof(block))
		put(o, block, sizeof(block));
	put(o, block, (size_t)n);
}

enum { F_MINUS = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

struct spec {
	unsigned flags;
	long width;
	long prec; /* -1: none */
};

/* Digits of v in base, written backwards from end; returns the first. */
static char *digits(uintmax_t v, unsigned base, int upper, char *end)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do
		*--end = set[v % base];
	while (v /= base);
	return end;
}

/* is_signed: a d/i conversion, the only ones '+' and ' ' apply to. */
static void emit_number(struct out *o, const struct spec *sp, uintmax_t v, int negative,
			int is_signed, unsigned base, int upper, int is_pointer)
{
	char tmp[64], prefix[3];
	char *end = tmp + sizeof(tmp), *d = end;
	size_t plen = 0, dlen;
	long zeros = 0;

	if (!(sp->prec == 0 && v == 0))
		d = digits(v, base, upper, end);
	dlen = (size_t)(end - d);
	if (negative)
		prefix[plen++] = '-';
	else if (sp->flags & F_PLUS && is_signed)
		prefix[plen++] = '+';
	else if (sp->flags & F_SPACE && is_signed)
		prefix[plen++] = ' ';
	if (base == 16 && (is_pointer || (sp->flags & F_ALT && v != 0))) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	if (base == 8 && sp->flags & F_ALT && (dlen == 0 || d[0] != '0') && sp->prec <= (long)dlen)
		zeros = 1;
	if (sp->prec >= 0 && sp->prec > (long)dlen)
		zeros = sp->prec - (long)dlen;
	long total = (long)(plen + dlen) + zeros;
	if (!(sp->flags & F_MINUS) && sp->flags & F_ZERO && sp->prec < 0) {
		zeros += sp->width - total > 0 ? sp->width - total : 0;
		total = sp->width > total ? sp->width : total;
	}
	if (!(sp->flags & F_MINUS))
		pad(o, ' ', sp->width - total);
	put(o, prefix, plen);
	pad(o, '0', zeros);
	put(o, d, dlen);
	if (sp->flags & F_MINUS)
		pad(o, ' ', sp->width - total);
}

static void emit_text(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	if (!(sp->flags & F_MINUS))
		pad(o, ' ', sp->width - (long)n);
	put(o, s, n);
	if (sp->flags & F_MINUS)
		pad(o, ' ', sp->width - (long)n);
}

enum length { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_PTRDIFF, L_MAX };

static uintmax_t take_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case L_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case L_LONG:
		return va_arg(*ap, unsigned long);
	case L_LLONG:
		return va_arg(*ap, unsigned long long);
	case L_SIZE:
		return va_arg(*ap, size_t);
	case L_PTRDIFF:
		return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case L_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

static intmax_t take_signed(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR:
		return (signed char)va_arg(*ap, int);
	case L_SHORT:
		return (short)va_arg(*ap, int);
	case L_LONG:
		return va_arg(*ap, long);
	case L_LLONG:
		return va_arg(*ap, long long);
	case L_SIZE:
		return (intmax_t)va_arg(*ap, size_t);
	case L_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case L_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, enum length *len, va_list *ap)
{
	sp->flags = 0;
	for (;; f++) {
		unsigned bit = *f == '-'   ? F_MINUS
			       : *f == '0' ? F_ZERO
			       : *f == '+' ? F_PLUS
			       : *f == ' ' ? F_SPACE
			       : *f == '#' ? F_ALT
					   : 0;
		if (!bit)
			break;
		sp->flags |= bit;
	}
	sp->width = 0;
	if (*f == '*') {
		int w = va_arg(*ap, int);
		if (w < 0) {
			sp->flags |= F_MINUS;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = w;
		f++;
	} else {
		for (; *f >= '0' && *f <= '9'; f++)
			sp->width = sp->width * 10 + (*f - '0');
	}
	sp->prec = -1;
	if (*f == '.') {
		f++;
		if (*f == '*') {
			int p = va_arg(*ap, int);
			sp->prec = p < 0 ? -1 : p;
			f++;
		} else {
			sp->prec = 0;
			for (; *f >= '0' && *f <= '9'; f++)
				sp->prec = sp->prec * 10 + (*f - '0');
		}
	}
	*len = L_INT;
	switch (*f) {
	case 'h':
		*len = f[1] == 'h' ? L_CHAR : L_SHORT;
		f += f[1] == 'h' ? 2 : 1;
		break;
	case 'l':
		*len = f[1] == 'l' ? L_LLONG : L_LONG;
		f += f[1] == 'l' ? 2 : 1;
		break;
	case 'L':
	case 'q':
		*len = L_LLONG;
		f++;
		break;
	case 'z':
		*len = L_SIZE;
		f++;
		break;
	case 't':
		*len = L_PTRDIFF;
		f++;
		break;
	case 'j':
		*len = L_MAX;
		f++;
		break;
	}
	return f;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap_in)
{
	struct out o = {buf, size ? size - 1 : 0, 0};
	struct spec sp;
	enum length len;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			const char *lit = strchr(f, '%');
			size_t n = lit ? (size_t)(lit - f) : strlen(f);
			put(&o, f, n);
			f += n - 1;
			continue;
		}
		f = parse_spec(f + 1, &sp, &len, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			intmax_t v = take_signed(&ap, len);
			emit_number(&o, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 1, 10, 0,
				    0);
			break;
		}
		case 'u':
			emit_number(&o, &sp, take_unsigned(&ap, len), 0, 0, 10, 0, 0);
			break;
		case 'x':
		case 'X':
			emit_number(&o, &sp, take_unsigned(&ap, len), 0, 0, 16, *f == 'X', 0);
			break;
		case 'o':
			emit_number(&o, &sp, take_unsigned(&ap, len), 0, 0, 8, 0, 0);
			break;
		case 'p': {
			void *p = va_arg(ap, void *);
			if (!p)
				emit_text(&o, &sp, "(nil)", 5);
			else
				emit_number(&o, &sp, (uintptr_t)p, 0, 0, 16, 0, 1);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit_text(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
			emit_text(&o, &sp, s,
				  sp.prec < 0 ? strlen(s) : strnlen(s, (size_t)sp.prec));
			break;
		}
		case 'n': {
			int *n = va_arg(ap, int *);
			*n = (int)o.len;
			break;
		}
		case '%':
			put(&o, "%", 1);
			break;
		case '\0':
			f--; /* a lone '%' at the end prints nothing */
			break;
		default:
			put(&o, "?", 1);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < o.size ? o.len : o.size] = '\0';
	return o.len > INT_MAX ? -1 : (int)o.len;
}
