/* SPDX-License-Identifier: MIT */
/* Character classes, "C" locale only. */
#ifndef LIBC_CTYPE_H
#define LIBC_CTYPE_H

static inline int isdigit(int c)
{
	return (unsigned)c - '0' < 10;
}

static inline int isspace(int c)
{
	return c == ' ' || (unsigned)c - '\t' < 5;
}

static inline int isalpha(int c)
{
	return ((unsigned)c | 32) - 'a' < 26;
}

static inline int tolower(int c)
{
	return (unsigned)c - 'A' < 26 ? c | 32 : c;
}

#endif
