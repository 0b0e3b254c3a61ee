// SPDX-License-Identifier: MIT
/*
 * The settings: command-line options, then the LIBOS_* environment where
 * no option is given. Option parsing stops at the first non-option word
 * or at "--", like env and strace, so nothing after PROGRAM is looked at.
 * Both "--opt VALUE" and "--opt=VALUE" are accepted.
 *
 * A value is taken only if it can be honoured as given: never cut, never
 * wrapped, never half-read (README, "Settings"). A bad option is one line
 * and status 2; a variable that cannot be honoured is one line and the run
 * goes on without what it asked for (a report, the cache), as a refused
 * LIBOS_CACHE_DIR does (patch/cache_dir.c), except LIBOS_MODULE, which
 * decides what the program runs against and is fatal (126) as --libos is.
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

#include "config.h"
#include "error.h"
#include "exec.h"
#include "heap.h"
#include "options.h"
#include "path.h"
#include "report.h"

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
	"  --argv0=NAME       PROGRAM's argv[0] is NAME (as `exec -a NAME`)\n"
	"  --list-sites FILE  print every syscall instruction in FILE's code, found\n"
	"                     with Capstone, with its rewrite window; then exit\n"
	"  -h, --help         print this help and exit\n"
	"  -V, --version      print the version and exit\n"
	"\n"
	"An option with a value is given once; a value that cannot be honoured\n"
	"(empty, out of range, too long) is one line and status 2. The README's\n"
	"\"Settings\" lists every option and LIBOS_* variable.\n"
	"\n"
	"Where neither an option nor a variable says, the settings files do:\n"
	"$XDG_CONFIG_HOME/libos-loader.conf (else ~/.config/libos-loader.conf),\n"
	"then /etc/libos-loader.conf; a line is `name` or `name = value`, the\n"
	"names the long options' without -- (strict, report = FILE, ...).\n";

/* A value or a variable shown in a message: at most its first 64 bytes. */
#define SHOWN(v) (int)(strlen(v) > 64 ? 64 : strlen(v)), (v), (strlen(v) > 64 ? "..." : "")

/* A bad option: one line, status 2. */
#define BAD_OPTION(...) ldr_die(LDR_EXIT_USAGE, __VA_ARGS__)

static void parse_heap_size(const char *v, struct ldr_options *opt)
{
	int r = heap_size_parse(v, &opt->heap_size);

	if (r < 0)
		BAD_OPTION("--heap-size=%.*s%s: %s", SHOWN(v),
			   r == -ERANGE ? "too large (more than 16 EiB)"
					: "not a size (bytes, or a number with K, M, G or T)");
	opt->heap_size_given = 1;
}

/* A descriptor or a count: decimal digits, 0 to INT_MAX, nothing else. */
static int parse_number(const char *v, int *out)
{
	long n = 0;

	if (!*v)
		return -EINVAL;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9' || n > (0x7fffffffL - (*p - '0')) / 10)
			return -EINVAL;
		n = n * 10 + (*p - '0');
	}
	*out = (int)n;
	return 0;
}

/* Every option, spelled once: the parser reads the command line with this
 * table, and a followed exec gets the forwarded ones back from it
 * (ldr_options_forward). The internal ones, which only a followed exec
 * passes (hooks/exec.c writes them), take their names from hooks/exec.h. */
enum kind {
	FLAG,   /* --name: the int field becomes 1 */
	STRING, /* --name=VALUE or --name VALUE: the const char * field */
	NUMBER, /* the same, into an int field: parse_number */
	SIZE,   /* --heap-size: parse_heap_size */
};

/* An option with a value may be given once (which of two would the user
 * mean?); a flag any number of times. A value may be empty only where an
 * empty string means something (the module's options). */

static const struct option_spec {
	const char *name;
	enum kind kind;
	size_t field;  /* offsetof in struct ldr_options */
	int forwarded; /* a followed exec runs with it too */
	int empty_ok;  /* an empty value is a value */
	int in_file;   /* a settings file may set it (config.c), named without "--" */
} specs[] = {
	{"--list-sites", STRING, offsetof(struct ldr_options, list_sites), 0, 0, 0},
	{"--strict", FLAG, offsetof(struct ldr_options, strict), 1, 0, 1},
	{"--sud-only", FLAG, offsetof(struct ldr_options, sud_only), 1, 0, 1},
	{"--report", STRING, offsetof(struct ldr_options, report), 1, 0, 1},
	{"--no-cache", FLAG, offsetof(struct ldr_options, no_cache), 1, 0, 1},
	/* With it nothing is followed, so it is never forwarded. */
	{"--no-follow-exec", FLAG, offsetof(struct ldr_options, no_follow_exec), 0, 0, 1},
	{"--libos", STRING, offsetof(struct ldr_options, libos), 1, 0, 1},
	{"--libos-options", STRING, offsetof(struct ldr_options, libos_options), 1, 1, 1},
	{"--trap-rdtsc", FLAG, offsetof(struct ldr_options, trap_rdtsc), 1, 0, 1},
	/* A followed exec starts with nothing committed, and this budget. */
	{"--heap-size", SIZE, offsetof(struct ldr_options, heap_size), 1, 0, 1},
	/* PROGRAM's argv[0], as `exec -a NAME` gives it (ld.so's --argv0):
	 * this run's alone, so neither forwarded nor a file's; may be empty,
	 * as an exec's argv[0] may. */
	{"--argv0", STRING, offsetof(struct ldr_options, argv0), 0, 1, 0},
	/* The program is exactly PATH (no PATH search, as execve), its argv
	 * follows verbatim. */
	{HOOK_EXEC_OPT_PATH, STRING, offsetof(struct ldr_options, exec_path), 0, 0, 0},
	/* ... and execve was given NAME for it (/proc/self/exe): AT_EXECFN
	 * and comm come from NAME. */
	{HOOK_EXEC_OPT_AS, STRING, offsetof(struct ldr_options, exec_as), 0, 0, 0},
	/* ... and PATH is /proc/self/fd/N of a descriptor the exec'ing
	 * loader made to carry the file over: close it. */
	{HOOK_EXEC_OPT_CLOSE_FD, NUMBER, offsetof(struct ldr_options, exec_close_fd), 0, 0, 0},
	/* ... and this is the program's N-th exec under the loader. */
	{HOOK_EXEC_OPT_COUNT, NUMBER, offsetof(struct ldr_options, exec_count), 0, 0, 0},
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
			BAD_OPTION("option '%s' needs a value", spec->name);
		*value = argv[++*i];
		return spec;
	}
	return NULL;
}

/* given: which specs were already taken, one flag each. */
static void take(const struct option_spec *spec, const char *v, struct ldr_options *opt,
		 unsigned char *given)
{
	size_t k = (size_t)(spec - specs);

	if (spec->kind != FLAG && given[k])
		BAD_OPTION("option '%s' given twice", spec->name);
	given[k] = 1;
	if (spec->kind != FLAG && !*v && !spec->empty_ok)
		BAD_OPTION("%s=: an empty value", spec->name);
	switch (spec->kind) {
	case FLAG:
		*FIELD(opt, spec, int) = 1;
		break;
	case STRING:
		*FIELD(opt, spec, const char *) = v;
		break;
	case NUMBER:
		if (parse_number(v, FIELD(opt, spec, int)) < 0)
			BAD_OPTION("%s=%.*s%s: not a number (0 to 2147483647)", spec->name,
				   SHOWN(v));
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

/* Whether the report path (made absolute) can become a file name the
 * kernel takes, whatever the pid and exec count: a shortened name would be
 * another file. */
static int report_fits(const char *abs)
{
	return hook_report_path_fits(abs);
}

/* The value of a LIBOS_* variable, or NULL: none is read in a
 * secure-execution process (AT_SECURE), and an empty one counts as unset
 * (as XDG's rules say of theirs). */
static const char *setting(const char *name)
{
	const char *v = getenv(name);

	return v && *v && !libc_getauxval(AT_SECURE, 0) ? v : NULL;
}

/* The length of path made absolute (the temporary copy freed). */
static size_t absolute_length(const char *path)
{
	const char *abs = ldr_path_absolute(path);
	size_t n = strlen(abs);

	if (abs != path)
		free((void *)abs);
	return n;
}

/* The index of the spec named name ("--report"). */
static size_t spec_index(const char *name)
{
	size_t k = 0;

	while (strcmp(specs[k].name, name) != 0)
		k++;
	return k;
}

/* The environment, where no option was given; given[] then marks what it
 * set too, so that no settings file sets it again. A followed exec
 * (exec_count > 0) inherits the variables: it does not say again what
 * the first loader said. */
static void take_environment(struct ldr_options *opt, unsigned char *given)
{
	int say = opt->exec_count == 0;
	const char *v;

	if (!opt->report && (v = setting("LIBOS_REPORT"))) {
		const char *abs = ldr_path_absolute(v);
		if (report_fits(abs))
			opt->report = abs;
		else if (abs != v)
			free((void *)abs);
		if (!opt->report && say)
			libc_say("LIBOS_REPORT=%.*s%s: too long for a file name: "
				 "no report",
				 SHOWN(v));
		given[spec_index("--report")] = 1;
	}
	if (!opt->libos && (v = setting("LIBOS_MODULE"))) {
		if (strchr(v, '/') && absolute_length(v) >= LDR_PATH_MAX)
			ldr_die(LDR_EXIT_CANNOT,
				"LIBOS_MODULE=%.*s%s: cannot use this LibOS module: too long (its "
				"absolute path has at most %d bytes)",
				SHOWN(v), LDR_PATH_MAX - 1);
		opt->libos = v;
		given[spec_index("--libos")] = 1;
	}
	/* An empty string is the module's default, as unset. */
	if (!opt->libos_options && (v = setting("LIBOS_MODULE_OPTIONS"))) {
		opt->libos_options = v;
		given[spec_index("--libos-options")] = 1;
	}
	if ((v = setting("LIBOS_CACHE"))) {
		if (strcmp(v, "1") != 0) {
			if (strcmp(v, "0") != 0 && say && !opt->no_cache)
				libc_say("LIBOS_CACHE=%.*s%s: not 0 or 1: no patch cache",
					 SHOWN(v));
			opt->no_cache = 1;
		}
		/* LIBOS_CACHE=1 keeps the cache on over a file's no-cache. */
		given[spec_index("--no-cache")] = 1;
	}
}

/* One settings file's lines (config.c): given[] is what the command
 * line, the environment or a file read before (the user's, over the
 * system's) has set; in_this[] what this file set. */
struct file_settings {
	struct ldr_options *opt;
	unsigned char *given;
	unsigned char in_this[SPEC_COUNT];
	char why[192];
};

static int parse_yes_no(const char *v, int *out)
{
	static const char *const words[] = {"no", "yes", "false", "true", "0", "1"};

	if (!v) {
		*out = 1; /* a bare name */
		return 0;
	}
	for (int k = 0; k < 6; k++) {
		if (strcmp(v, words[k]) == 0) {
			*out = k & 1;
			return 0;
		}
	}
	return -EINVAL;
}

/* A settings file's value, checked as the option's would be, and taken
 * unless a stronger source has set it: NULL, or why it is refused (in
 * fs->why). */
static const char *file_value(struct file_settings *fs, const struct option_spec *spec,
			      const char *name, const char *v)
{
	struct ldr_options *opt = fs->opt;
	int taken = fs->given[spec - specs], yes;

	if (spec->kind == FLAG) {
		if (parse_yes_no(v, &yes) < 0)
			snprintf(fs->why, sizeof(fs->why),
				 "%s = %.*s%s: not yes or no (yes, no, true, false, 1, 0)", name,
				 SHOWN(v));
		else if (!taken)
			*FIELD(opt, spec, int) = yes;
		return fs->why[0] ? fs->why : NULL;
	}
	if (!v || (!*v && !spec->empty_ok)) {
		snprintf(fs->why, sizeof(fs->why), "%s needs a value (%s = ...)", name, name);
		return fs->why;
	}
	if (spec->kind == SIZE) {
		uint64_t size;
		int r = heap_size_parse(v, &size);
		if (r < 0)
			snprintf(fs->why, sizeof(fs->why), "heap-size = %.*s%s: %s", SHOWN(v),
				 r == -ERANGE
					 ? "too large (more than 16 EiB)"
					 : "not a size (bytes, or a number with K, M, G or T)");
		else if (!taken) {
			opt->heap_size = size;
			opt->heap_size_given = 1;
		}
		return fs->why[0] ? fs->why : NULL;
	}
	if (spec == &specs[spec_index("--report")]) {
		const char *abs = ldr_path_absolute(v);
		if (!report_fits(abs)) {
			snprintf(fs->why, sizeof(fs->why),
				 "report = %.*s%s: too long for a file name: no report", SHOWN(v));
			return fs->why;
		}
		v = abs;
	}
	if (taken)
		return NULL;
	if (spec == &specs[spec_index("--libos")] && strchr(v, '/') &&
	    absolute_length(v) >= LDR_PATH_MAX)
		ldr_die(LDR_EXIT_CANNOT,
			"libos = %.*s%s: cannot use this LibOS module: too long (its "
			"absolute path has at most %d bytes)",
			SHOWN(v), LDR_PATH_MAX - 1);
	*FIELD(opt, spec, const char *) = v;
	return NULL;
}

static const char *file_setting(void *ctx, const char *name, const char *v)
{
	struct file_settings *fs = ctx;
	size_t k, strict = spec_index("--strict"), sud_only = spec_index("--sud-only");
	char option[64];

	fs->why[0] = '\0';
	snprintf(option, sizeof(option), "--%s", name);
	for (k = 0; k < SPEC_COUNT && (!specs[k].in_file || strcmp(specs[k].name, option)); k++)
		;
	if (k == SPEC_COUNT) {
		snprintf(fs->why, sizeof(fs->why),
			 "unknown setting '%.*s%s' (the names are the long options' of "
			 "libos-loader --help, without --)",
			 SHOWN(name));
		return fs->why;
	}
	if (fs->in_this[k]) {
		snprintf(fs->why, sizeof(fs->why), "%s given twice in this file", name);
		return fs->why;
	}
	/* strict and sud-only are one choice, the mode: a stronger source's
	 * choice of one drops this file's of the other. */
	size_t other = k == strict ? sud_only : k == sud_only ? strict : k;
	if (other != k && fs->in_this[other]) {
		snprintf(fs->why, sizeof(fs->why), "strict and sud-only exclude each other");
		return fs->why;
	}
	/* Only a line that was taken counts: after a refused one, the next
	 * line for the same setting is the one that says it. */
	const char *why = NULL;
	if (other == k || !fs->given[other])
		why = file_value(fs, &specs[k], name, v);
	if (!why)
		fs->in_this[k] = 1;
	return why;
}

/* The settings files, where neither an option nor a variable decided:
 * the user's first, then the system's. In a secure-execution process
 * (AT_SECURE) only the system's, and only when root owns it. */
static void take_files(struct ldr_options *opt, unsigned char *given)
{
	int say = opt->exec_count == 0, secure = libc_getauxval(AT_SECURE, 0) != 0;
	struct file_settings fs = {.opt = opt, .given = given};
	char user[LDR_PATH_MAX];

	if (!secure && ldr_config_user_path(user, sizeof(user)) == 0) {
		ldr_config_read(user, (uint32_t)sys_geteuid(), say, file_setting, &fs);
		for (size_t k = 0; k < SPEC_COUNT; k++)
			given[k] |= fs.in_this[k];
		memset(fs.in_this, 0, sizeof(fs.in_this));
	}
	ldr_config_read(LDR_CONFIG_SYSTEM, 0, say, file_setting, &fs);
}

void ldr_options_parse(int argc, char **argv, struct ldr_options *opt)
{
	unsigned char given[SPEC_COUNT] = {0};
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
			BAD_OPTION("unknown option '%.*s%s' (libos-loader --help lists them)",
				   SHOWN(w));
		take(spec, v, opt, given);
	}
	if (opt->strict && opt->sud_only)
		BAD_OPTION("--strict and --sud-only exclude each other");
	if (opt->report) {
		/* Absolute: the program may change directory. */
		const char *abs = ldr_path_absolute(opt->report);
		if (!report_fits(abs))
			BAD_OPTION("--report=%.*s%s: too long for a file name (the path at "
				   "most 4059 bytes, its last part 219, each %%p counting 7)",
				   SHOWN(opt->report));
		opt->report = abs;
	}
	/* A followed exec finds the module by its absolute path. */
	if (opt->libos && strchr(opt->libos, '/') && absolute_length(opt->libos) >= LDR_PATH_MAX)
		BAD_OPTION("--libos=%.*s%s: too long (a module's absolute path has at most %d "
			   "bytes)",
			   SHOWN(opt->libos), LDR_PATH_MAX - 1);
	take_environment(opt, given);
	take_files(opt, given);
	if (opt->list_sites) {
		if (i < argc)
			BAD_OPTION("--list-sites takes no PROGRAM (got '%.*s%s')", SHOWN(argv[i]));
		return;
	}
	if (i >= argc && !opt->exec_path)
		BAD_OPTION("no PROGRAM given (libos-loader --help says how to run one)");
	opt->program_index = i;
}
