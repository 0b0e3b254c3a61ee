/* SPDX-License-Identifier: MIT */
/*
 * Failures that end the run. Inside, functions return -errno; where the
 * caller cannot tell the user what went wrong from errno alone (a hostile
 * ELF, a bad interpreter), the deepest function that knows fills an
 * ldr_error with the exit status and one line of text, and the edge
 * (main.c) prints it once.
 */
#ifndef LOADER_ERROR_H
#define LOADER_ERROR_H

/* Exit statuses, as the shell and env use them. */
#define LDR_EXIT_USAGE     2
#define LDR_EXIT_CANNOT    126 /* found, but cannot be executed */
#define LDR_EXIT_NOT_FOUND 127

struct ldr_error {
	int status;
	char text[3 * 4096]; /* room for a program and an interpreter path */
};

/* Record a failure: status and a printf-style line (no trailing newline). */
void ldr_error_set(struct ldr_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "Strerror text" for code (a -errno), or "Strerror text: why" when the
 * failure has a more precise reason. Returns buf. */
const char *ldr_describe(char *buf, unsigned long size, int code, const char *why);

/* Print "libos-loader: <text>" on stderr, as one line: control characters
 * in the text (a path may hold any byte) are shown escaped. */
void ldr_error_print(const struct ldr_error *err);

/* Print "libos-loader: <fmt...>" on stderr and exit with status. */
__attribute__((noreturn, format(printf, 2, 3))) void ldr_die(int status, const char *fmt, ...);

#endif
