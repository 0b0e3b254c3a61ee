// SPDX-License-Identifier: MIT
/*
 * Command-line options. Option parsing stops at the first non-option word
 * or at "--", like env and strace, so nothing after PROGRAM is looked at.
 * Both "--opt VALUE" and "--opt=VALUE" are accepted.
 */
#include <errno.h>
#include <libc.h>
#include <linux/auxvec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include <libos/version.h>

#include "error.h"
#include "heap.h"
#include "options.h"

static const char usage[] =
	"usage: libos-loader [options] [--] PROGRAM [ARGS...]\n"
	"       libos-loader --list-sites FILE\n"
	"\n"
	"Runs PROGRAM (searched in PATH when it has no '/') as the kernel would,\n"
	"with the loader mapping it and its ELF interpreter.\n"
	"\n"
	"Every system call of PROGRAM (and of ld.so, its libraries and the vDSO)\n"
	"is delivered to the LibOS first: each syscall instruction is rewritten\n"
	"before it can run, and Syscall User Dispatch catches anything else.\n"
	"\n"
	"options:\n"
	"  --strict           arm the safety net from the first instruction; report\n"
	"                     syscalls that escaped rewriting and fail if any did\n"
	"  --sud-only         rewrite nothing: the safety net catches every syscall\n"
	"  --report=FILE      at exit, write what was intercepted as JSON to FILE\n"
	"                     (%p in FILE becomes the pid; also LIBOS_REPORT=FILE)\n"
	"  --libos=MODULE     the LibOS module: a builtin's name (passthrough, the\n"
	"                     default) or the path of a module .so (include/libos/\n"
	"                     libos.h); also LIBOS_MODULE=MODULE\n"
	"  --libos-options=S  a string for the module (LIBOS_MODULE_OPTIONS=S)\n"
	"  --trap-rdtsc       rdtsc and rdtscp trap, and the module answers them\n"
	"                     (the program gets no vDSO: its clock reads are\n"
	"                     syscalls; __hp_timing_disabled is set)\n"
	"  --heap-size=SIZE   how much memory PROGRAM may commit (brk and private\n"
	"                     writable mappings): bytes, or with K, M, G, T; 0 is\n"
	"                     no limit; wins over the module's heap_size hook\n"
	"  --no-follow-exec   let programs that PROGRAM executes run natively (by\n"
	"                     default they run under the loader, with these options)\n"
	"  --no-cache         neither read nor write the patch cache (by default\n"
	"                     /var/tmp/libos-loader-UID; LIBOS_CACHE_DIR=DIR sets\n"
	"                     another; LIBOS_CACHE=0 is --no-cache)\n"
	"  --list-sites FILE  print every syscall instruction in FILE's code, found\n"
	"                     with Capstone, with its rewrite window; then exit\n"
	"  -h, --help         print this help and exit\n"
	"  -V, --version      print the version and exit\n";

static void usage_error(const char *fmt, const char *word)
{
	dprintf(2, "libos-loader: ");
	dprintf(2, fmt, word);
	dprintf(2, "\n%s", usage);
	sys_exit_group(LDR_EXIT_USAGE);
}

/* A bad size is one line, not the usage: the option was right, its value
 * was not. */
static void parse_heap_size(const char *v, struct ldr_options *opt)
{
	int r = heap_size_parse(v, &opt->heap_size);

	if (r < 0) {
		dprintf(2, "libos-loader: --heap-size=%s: %s\n", v,
			r == -ERANGE ? "too large (more than 16 EiB)"
				     : "not a size (bytes, or a number with K, M, G or T)");
		sys_exit_group(LDR_EXIT_USAGE);
	}
	opt->heap_size_given = 1;
}

/* Matches "--name" or "--name=VALUE"; takes VALUE from the next word when
 * needed. Returns the value, or NULL when word is not this option. */
static const char *take_value(const char *name, int argc, char **argv, int *i)
{
	size_t n = strlen(name);
	const char *w = argv[*i];

	if (strncmp(w, name, n) != 0)
		return NULL;
	if (w[n] == '=')
		return w + n + 1;
	if (w[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		usage_error("option '%s' needs a value", name);
	return argv[++*i];
}

void ldr_options_parse(int argc, char **argv, struct ldr_options *opt)
{
	int i;

	memset(opt, 0, sizeof(*opt));
	opt->exec_close_fd = -1;
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v;

		if (w[0] != '-' || w[1] == '\0')
			break;
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
			dprintf(1, "%s", usage);
			sys_exit_group(0);
		}
		if (strcmp(w, "-V") == 0 || strcmp(w, "--version") == 0) {
			dprintf(1, "libos-loader %s (LibOS contract %d)\n", LIBOS_LOADER_VERSION,
				LIBOS_CONTRACT_VERSION);
			sys_exit_group(0);
		}
		if ((v = take_value("--list-sites", argc, argv, &i))) {
			opt->list_sites = v;
			continue;
		}
		if ((v = take_value("--report", argc, argv, &i))) {
			opt->report = v;
			continue;
		}
		if (strcmp(w, "--strict") == 0) {
			opt->strict = 1;
			continue;
		}
		if (strcmp(w, "--sud-only") == 0) {
			opt->sud_only = 1;
			continue;
		}
		if ((v = take_value("--libos-options", argc, argv, &i))) {
			opt->libos_options = v;
			continue;
		}
		if ((v = take_value("--libos", argc, argv, &i))) {
			opt->libos = v;
			continue;
		}
		if (strcmp(w, "--trap-rdtsc") == 0) {
			opt->trap_rdtsc = 1;
			continue;
		}
		if ((v = take_value("--heap-size", argc, argv, &i))) {
			parse_heap_size(v, opt);
			continue;
		}
		if (strcmp(w, "--no-cache") == 0) {
			opt->no_cache = 1;
			continue;
		}
		if (strcmp(w, "--no-follow-exec") == 0) {
			opt->no_follow_exec = 1;
			continue;
		}
		/* Internal, for following exec: the program is exactly PATH (no
		 * PATH search, as execve), its argv follows verbatim. */
		if ((v = take_value("--exec", argc, argv, &i))) {
			opt->exec_path = v;
			continue;
		}
		/* ... and execve was given NAME for it (/proc/self/exe):
		 * AT_EXECFN and comm come from NAME. */
		if ((v = take_value("--exec-as", argc, argv, &i))) {
			opt->exec_as = v;
			continue;
		}
		/* ... and PATH is /proc/self/fd/N of a descriptor the
		 * exec'ing loader made to carry the file over: close it. */
		if ((v = take_value("--exec-close-fd", argc, argv, &i))) {
			opt->exec_close_fd = (int)strtol(v, NULL, 10);
			continue;
		}
		if ((v = take_value("--exec-count", argc, argv, &i))) {
			opt->exec_count = (int)strtol(v, NULL, 10);
			continue;
		}
		usage_error("unknown option '%s'", w);
	}
	if (opt->strict && opt->sud_only)
		usage_error("%s", "--strict and --sud-only exclude each other");
	if (!libc_getauxval(AT_SECURE, 0) && !opt->report && getenv("LIBOS_REPORT") &&
	    *getenv("LIBOS_REPORT"))
		opt->report = getenv("LIBOS_REPORT");
	/* A module from the environment, as LD_PRELOAD: not for set-ID
	 * programs. */
	if (!libc_getauxval(AT_SECURE, 0) && !opt->libos && getenv("LIBOS_MODULE") &&
	    *getenv("LIBOS_MODULE"))
		opt->libos = getenv("LIBOS_MODULE");
	if (!libc_getauxval(AT_SECURE, 0) && !opt->libos_options && getenv("LIBOS_MODULE_OPTIONS"))
		opt->libos_options = getenv("LIBOS_MODULE_OPTIONS");
	if (!libc_getauxval(AT_SECURE, 0) && getenv("LIBOS_CACHE") &&
	    strcmp(getenv("LIBOS_CACHE"), "0") == 0)
		opt->no_cache = 1;
	if (opt->list_sites) {
		if (i < argc)
			usage_error("--list-sites takes no PROGRAM (got '%s')", argv[i]);
		return;
	}
	if (i >= argc && !opt->exec_path)
		usage_error("%sno PROGRAM given", "");
	opt->program_index = i;
}
