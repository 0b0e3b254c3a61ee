// SPDX-License-Identifier: MIT
/*
 * Command-line options. Option parsing stops at the first non-option word
 * or at "--", like env and strace, so nothing after PROGRAM is looked at.
 * Both "--opt VALUE" and "--opt=VALUE" are accepted.
 */
#include <errno.h>
#include <libc.h>
#include <stddef.h>
#include <linux/auxvec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include <libos/version.h>

#include "error.h"
#include "exec.h"
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

/* Every option, spelled once: the parser reads the command line with this
 * table, and a followed exec gets the forwarded ones back from it
 * (ldr_options_forward). The internal ones, which only a followed exec
 * passes (hooks/exec.c writes them), take their names from hooks/exec.h. */
enum kind {
	FLAG,   /* --name: the int field becomes 1 */
	STRING, /* --name=VALUE or --name VALUE: the const char * field */
	NUMBER, /* the same, into an int field */
	SIZE,   /* --heap-size: parse_heap_size */
};

static const struct option_spec {
	const char *name;
	enum kind kind;
	size_t field;  /* offsetof in struct ldr_options */
	int forwarded; /* a followed exec runs with it too */
} specs[] = {
	{"--list-sites", STRING, offsetof(struct ldr_options, list_sites), 0},
	{"--strict", FLAG, offsetof(struct ldr_options, strict), 1},
	{"--sud-only", FLAG, offsetof(struct ldr_options, sud_only), 1},
	{"--report", STRING, offsetof(struct ldr_options, report), 1},
	{"--no-cache", FLAG, offsetof(struct ldr_options, no_cache), 1},
	/* With it nothing is followed, so it is never forwarded. */
	{"--no-follow-exec", FLAG, offsetof(struct ldr_options, no_follow_exec), 0},
	{"--libos", STRING, offsetof(struct ldr_options, libos), 1},
	{"--libos-options", STRING, offsetof(struct ldr_options, libos_options), 1},
	{"--trap-rdtsc", FLAG, offsetof(struct ldr_options, trap_rdtsc), 1},
	/* A followed exec starts with nothing committed, and this budget. */
	{"--heap-size", SIZE, offsetof(struct ldr_options, heap_size), 1},
	/* The program is exactly PATH (no PATH search, as execve), its argv
	 * follows verbatim. */
	{HOOK_EXEC_OPT_PATH, STRING, offsetof(struct ldr_options, exec_path), 0},
	/* ... and execve was given NAME for it (/proc/self/exe): AT_EXECFN
	 * and comm come from NAME. */
	{HOOK_EXEC_OPT_AS, STRING, offsetof(struct ldr_options, exec_as), 0},
	/* ... and PATH is /proc/self/fd/N of a descriptor the exec'ing
	 * loader made to carry the file over: close it. */
	{HOOK_EXEC_OPT_CLOSE_FD, NUMBER, offsetof(struct ldr_options, exec_close_fd), 0},
	/* ... and this is the program's N-th exec under the loader. */
	{HOOK_EXEC_OPT_COUNT, NUMBER, offsetof(struct ldr_options, exec_count), 0},
};

#define SPEC_COUNT             (sizeof(specs) / sizeof(specs[0]))
#define FIELD(opt, spec, type) ((type *)(void *)((char *)(opt) + (spec)->field))

/* The spec that word argv[*i] names ("--name" or "--name=VALUE"), or NULL;
 * *value is VALUE, taken from the next word when needed. */
static const struct option_spec *spec_of(int argc, char **argv, int *i, const char **value)
{
	const char *w = argv[*i];

	for (size_t k = 0; k < SPEC_COUNT; k++) {
		const struct option_spec *spec = &specs[k];
		size_t n = strlen(spec->name);
		if (strncmp(w, spec->name, n) != 0)
			continue;
		if (spec->kind == FLAG) {
			if (w[n] != '\0')
				continue;
			*value = NULL;
			return spec;
		}
		if (w[n] == '=') {
			*value = w + n + 1;
			return spec;
		}
		if (w[n] != '\0')
			continue;
		if (*i + 1 >= argc)
			usage_error("option '%s' needs a value", spec->name);
		*value = argv[++*i];
		return spec;
	}
	return NULL;
}

static void take(const struct option_spec *spec, const char *v, struct ldr_options *opt)
{
	switch (spec->kind) {
	case FLAG:
		*FIELD(opt, spec, int) = 1;
		break;
	case STRING:
		*FIELD(opt, spec, const char *) = v;
		break;
	case NUMBER:
		*FIELD(opt, spec, int) = (int)strtol(v, NULL, 10);
		break;
	case SIZE:
		parse_heap_size(v, opt);
		break;
	}
}

/* "NAME=VALUE", malloc'ed. */
static char *joined(const char *name, const char *value)
{
	size_t size = strlen(name) + 1 + strlen(value) + 1;
	char *w = malloc(size);

	if (w)
		snprintf(w, size, "%s=%s", name, value);
	return w;
}

int ldr_options_forward(const struct ldr_options *opt, const char **words, int max)
{
	int n = 0;

	for (size_t k = 0; k < SPEC_COUNT; k++) {
		const struct option_spec *spec = &specs[k];
		const char *w;
		char size[32];

		if (!spec->forwarded)
			continue;
		if (spec->kind == FLAG && *FIELD(opt, spec, const int)) {
			w = spec->name;
		} else if (spec->kind == STRING && *FIELD(opt, spec, const char *const)) {
			w = joined(spec->name, *FIELD(opt, spec, const char *const));
		} else if (spec->kind == SIZE && opt->heap_size_given) {
			snprintf(size, sizeof(size), "%lu", (unsigned long)opt->heap_size);
			w = joined(spec->name, size);
		} else {
			continue;
		}
		if (!w || n == max)
			return -ENOMEM;
		words[n++] = w;
	}
	return n;
}

void ldr_options_parse(int argc, char **argv, struct ldr_options *opt)
{
	int i;

	memset(opt, 0, sizeof(*opt));
	opt->exec_close_fd = -1;
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *v;
		const struct option_spec *spec;

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
		spec = spec_of(argc, argv, &i, &v);
		if (!spec)
			usage_error("unknown option '%s'", w);
		take(spec, v, opt);
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
