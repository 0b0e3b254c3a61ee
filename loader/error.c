// SPDX-License-Identifier: MIT
/* The edge: the one place that turns a failure into a line on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "error.h"

void ldr_error_set(struct ldr_error *err, int status, const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
}

const char *ldr_describe(char *buf, unsigned long size, int code, const char *why)
{
	if (why)
		snprintf(buf, size, "%s: %s", strerror(code), why);
	else
		snprintf(buf, size, "%s", strerror(code));
	return buf;
}

void ldr_error_print(const struct ldr_error *err)
{
	libc_say("%s", err->text);
}

void ldr_die(int status, const char *fmt, ...)
{
	struct ldr_error err;
	va_list ap;

	err.status = status;
	va_start(ap, fmt);
	vsnprintf(err.text, sizeof(err.text), fmt, ap);
	va_end(ap);
	ldr_error_print(&err);
	sys_exit_group(status);
}
