// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the command line (loader/options.c), settings
 * files' lines (loader/config_lines.c) and sizes (heap/size.c): the bytes
 * before a first pair of NULs are the user's settings file, the rest,
 * split at NULs, argv (no pair: all argv, no file). Parsing either
 * returns the options or ends the way the loader ends (help, version:
 * 0; a bad option or size: 2), never anything else. What it returns,
 * forwarded to a followed exec (ldr_options_forward) and parsed again,
 * gives the same forwarded options. Every size heap_size_parse accepts
 * is the number it spells.
 *
 * The loader's exits become a longjmp here, and its messages are
 * formatted (every format runs) but not written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

static jmp_buf parse_done;
static int exit_status;

static void fuzz_exit(int status)
{
	exit_status = status;
	longjmp(parse_done, 1);
}

static int fuzz_dprintf(int fd, const char *fmt, ...)
{
	char line[8192];
	va_list ap;

	(void)fd;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return n;
}

uint64_t libc_getauxval(unsigned long key, uint64_t def)
{
	(void)key;
	return def; /* not a secure-execution process */
}

static void fuzz_say(const char *fmt, ...)
{
	char line[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

/* A relative path made absolute (loader/path.c), against a fixed
 * directory and in static buffers, which the parser's free of one leaves
 * alone: the same lengths for every run, and nothing for the leak check
 * to find in what the parser keeps. A ring of them: a settings file's
 * report and libos are made absolute one after the other, and the first
 * is kept while the second is measured. */
#define FUZZ_ABS_RING 8
static char fuzz_abs[FUZZ_ABS_RING][2 * 4096 + 16];
static unsigned fuzz_abs_next;

const char *ldr_path_absolute(const char *path)
{
	if (!path || path[0] == '/')
		return path;
	char *abs = fuzz_abs[fuzz_abs_next++ % FUZZ_ABS_RING];
	snprintf(abs, sizeof(fuzz_abs[0]), "/fuzz/cwd/%s", path);
	return abs;
}

static void fuzz_free(void *p)
{
	uintptr_t at = (uintptr_t)p, lo = (uintptr_t)fuzz_abs;

	if (at < lo || at >= lo + sizeof(fuzz_abs))
		free(p);
}

#define sys_exit_group(s) fuzz_exit(s)
#define free              fuzz_free
#define dprintf           fuzz_dprintf
#define libc_say          fuzz_say
#include "../../loader/options.c"
#include "../../loader/config_lines.c"
#undef libc_say
#undef free
#undef dprintf
#undef sys_exit_group

/* The loader's fatal line (loader/error.c): an exit like the others. */
void ldr_die(int status, const char *fmt, ...)
{
	(void)fmt;
	fuzz_exit(status);
	__builtin_unreachable();
}

/* Whether a report path leaves room for its temporary names
 * (hooks/report.c, which needs the hooks layer): every path fits here;
 * the harness checks parsing, not the file system's limits. */
int hook_report_path_fits(const char *path)
{
	(void)path;
	return 1;
}

/* The settings file of this input (NULL: none), parsed afresh each time
 * the parser reads the user's file; the copies the values point into are
 * freed with the input. */
static const char *fuzz_file;
static char *fuzz_copies[2];
static int fuzz_copy_count;

int ldr_config_user_path(char *buf, size_t n)
{
	snprintf(buf, n, "/fuzz/home/.config/libos-loader.conf");
	return 0;
}

void ldr_config_read(const char *path, uint32_t owner, int say, ldr_config_fn fn, void *ctx)
{
	(void)owner;
	if (!fuzz_file || strcmp(path, LDR_CONFIG_SYSTEM) == 0 || fuzz_copy_count == 2)
		return;
	char *copy = strdup(fuzz_file);
	if (!copy)
		return;
	fuzz_copies[fuzz_copy_count++] = copy;
	ldr_config_lines(copy, path, say, fn, ctx);
}

#define MAX_WORDS 64

/* The bytes as argv: argv[0] "libos-loader", then NUL-separated words. */
static int split(char *text, size_t size, char **argv)
{
	int argc = 0;

	argv[argc++] = "libos-loader";
	for (size_t at = 0; at < size && argc < MAX_WORDS; at += strlen(text + at) + 1)
		argv[argc++] = text + at;
	argv[argc] = NULL;
	return argc;
}

/* Exit status of parsing argv (-1: it returned). */
static int parse(int argc, char **argv, struct ldr_options *opt)
{
	exit_status = -1;
	if (setjmp(parse_done) == 0)
		ldr_options_parse(argc, argv, opt);
	return exit_status;
}

static void check_size(const char *s)
{
	uint64_t size, n = 0;
	const char *p = s;
	int shift = 0;

	if (heap_size_parse(s, &size) != 0)
		return;
	while (*p >= '0' && *p <= '9') /* accepted: it does not overflow */
		n = n * 10 + (uint64_t)(*p++ - '0');
	if (*p)
		shift = 10 * (int)(strchr("kmgt", *p | 0x20) - "kmgt" + 1);
	if (size != n << shift)
		abort();
}

static void free_input(char *text)
{
	for (int i = 0; i < fuzz_copy_count; i++)
		free(fuzz_copies[i]);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[MAX_WORDS + 1], *again[MAX_WORDS + 16];
	const char *words[16];
	struct ldr_options opt, opt2;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *args = text;
	size_t args_size = size;
	fuzz_file = NULL;
	fuzz_copy_count = 0;
	fuzz_abs_next = 0;
	for (size_t i = 0; i + 1 < size; i++) {
		if (text[i] == '\0' && text[i + 1] == '\0') {
			fuzz_file = text;
			args = text + i + 2;
			args_size = size - i - 2;
			break;
		}
	}
	int argc = split(args, args_size, argv);
	for (int i = 1; i < argc; i++)
		check_size(argv[i]);
	int status = parse(argc, argv, &opt);
	if (status != -1) {
		/* 126: a settings file's libos that cannot be used, as
		 * LIBOS_MODULE. */
		if (status != 0 && status != LDR_EXIT_USAGE &&
		    !(fuzz_file && status == LDR_EXIT_CANNOT))
			abort();
		free_input(text);
		return 0;
	}
	/* Forwarded, then parsed again: the same forwarded options. */
	int n = ldr_options_forward(&opt, words, 16);
	if (n < 0)
		abort();
	int argc2 = 0;
	again[argc2++] = "libos-loader";
	for (int i = 0; i < n; i++)
		again[argc2++] = (char *)words[i];
	again[argc2++] = "--";
	again[argc2++] = "program";
	again[argc2] = NULL;
	if (parse(argc2, again, &opt2) != -1 || opt2.strict != opt.strict ||
	    opt2.sud_only != opt.sud_only || opt2.no_cache != opt.no_cache ||
	    opt2.trap_rdtsc != opt.trap_rdtsc || opt2.heap_size_given != opt.heap_size_given ||
	    opt2.heap_size != opt.heap_size ||
	    (opt.libos && (!opt2.libos || strcmp(opt.libos, opt2.libos) != 0)) ||
	    (opt.report && (!opt2.report || strcmp(opt.report, opt2.report) != 0)))
		abort();
	for (int i = 0; i < n; i++)
		if (strncmp(words[i], "--", 2) != 0)
			abort();
	for (int i = 0; i < n; i++) /* the joined ones are malloc'ed */
		if (strchr(words[i], '='))
			free((void *)words[i]);
	free_input(text);
	return 0;
}
