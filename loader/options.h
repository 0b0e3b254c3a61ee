/* SPDX-License-Identifier: MIT */
/* The command line: `libos-loader [options] [--] PROGRAM [ARGS...]`. */
#ifndef LOADER_OPTIONS_H
#define LOADER_OPTIONS_H

struct ldr_options {
	const char *list_sites; /* --list-sites FILE */
	int program_index;      /* argv index of PROGRAM, or 0 when none */
};

/* Parse argv. Options stop at the first word that is not an option, so that
 * PROGRAM's own options are never ours. --help and --version print and exit
 * 0; a bad option or a missing PROGRAM prints usage and exits 2. */
void ldr_options_parse(int argc, char **argv, struct ldr_options *opt);

#endif
