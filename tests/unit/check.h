/* SPDX-License-Identifier: MIT */
/*
 * CHECK(cond, fmt, ...): the unit tests' one assertion. A failed check
 * prints file:line and what differed, counts, and lets the test go on so
 * that one run shows every difference (up to CHECK_LIMIT of them).
 */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK_LIMIT 20

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			if (failures > CHECK_LIMIT)                                                \
				exit(1);                                                           \
		}                                                                                  \
	} while (0)

#endif
