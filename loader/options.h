/* SPDX-License-Identifier: MIT */
/* The command line: `libos-loader [options] [--] PROGRAM [ARGS...]`. */
#ifndef LOADER_OPTIONS_H
#define LOADER_OPTIONS_H

#include <stdint.h>

struct ldr_options {
	const char *list_sites;    /* --list-sites FILE */
	int program_index;         /* argv index of PROGRAM, or 0 when none */
	int strict;                /* --strict */
	int sud_only;              /* --sud-only */
	const char *report;        /* --report=FILE, or LIBOS_REPORT */
	int no_cache;              /* --no-cache, or LIBOS_CACHE=0 */
	int no_follow_exec;        /* --no-follow-exec */
	const char *exec_path;     /* --exec=PATH: PATH exactly, argv verbatim (exec following) */
	int exec_count;            /* --exec-count=N: the program's N-th exec under the loader */
	const char *exec_as;       /* --exec-as=NAME: the path execve was given, if not PATH */
	int exec_close_fd;         /* --exec-close-fd=N: a descriptor that carried PATH, or -1 */
	const char *libos;         /* --libos=NAME|PATH (LIBOS_MODULE): the LibOS module */
	const char *libos_options; /* --libos-options=STRING (LIBOS_MODULE_OPTIONS) */
	int trap_rdtsc;            /* --trap-rdtsc */
	int heap_size_given;       /* --heap-size=SIZE was given: it wins over the module */
	uint64_t heap_size;        /* its bytes; 0 is no limit */
	const char *argv0;         /* --argv0=NAME: PROGRAM's argv[0], or NULL */
};

/* Parse argv, then the LIBOS_* environment where no option is given
 * (never in a secure-execution process, AT_SECURE), then the settings
 * files where neither gave a setting (config.c: the user's, never in a
 * secure-execution process, then /etc/libos-loader.conf). Options stop at the
 * first word that is not an option, so that PROGRAM's own options are
 * never ours. --help and --version print and exit 0; a bad option (unknown,
 * repeated, a value that cannot be honoured) or a missing PROGRAM is one
 * line and exit 2; a variable or a file's line that cannot be honoured is
 * one line and is dropped, except LIBOS_MODULE (exit 126). The report path comes out
 * absolute. */
void ldr_options_parse(int argc, char **argv, struct ldr_options *opt);

/* The words that give a followed exec this run's options (each forwarded
 * option that is set, as "--name" or "--name=VALUE", in the parser's
 * spelling) into words, at most max of them, malloc'ed. Returns how many,
 * or -ENOMEM. */
int ldr_options_forward(const struct ldr_options *opt, const char **words, int max);

#endif
