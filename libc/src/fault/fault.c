// SPDX-License-Identifier: MIT
/*
 * Fault injection into the loader's own raw syscalls, for the faults
 * suite (tests/faults/inject). Compiled only into the test-only
 * libos-loader-faults (meson option fault_injection, -DLIBC_FAULT_INJECTION),
 * where syscall_arch.h's __syscall6 asks libc_fault_check first; the
 * installed loader has neither this file nor the variable it reads.
 *
 * From the hand-off to the program on (libc_fault_start), the calls that
 * LIBOS_TEST_FAULT names fail with the error it gives:
 *
 *   LIBOS_TEST_FAULT=RULE[,RULE]...
 *   RULE  = SYSCALL[@FROM-TO]:CALLS:ERROR
 *   SYSCALL  a name (mmap, mprotect, openat, ...: names[] below) or a number
 *   FROM-TO  hex offsets from the loader's first byte: only calls made by
 *            code in [FROM, TO) count (the function that made the call,
 *            with everything inlined into it: nm gives its range)
 *   CALLS    N (the Nth matching call), N-M, or N+ (the Nth and all later)
 *   ERROR    an errno name (ENOMEM, ...), a number, or "half": the call
 *            is made with half its length (a write that stops halfway)
 *
 * Calls are counted per rule, across threads; a fork child goes on with
 * its parent's counts, an exec'd loader starts again. The first fault of
 * each rule is said on stderr ("libos-loader: fault injected: ..."), so
 * that a test knows its fault was met.
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#define MAX_RULES 8
#define HALF      1 /* error value meaning "half the length" */

struct rule {
	long nr;
	uintptr_t from, to; /* offsets; to == 0: any caller */
	unsigned long first, last;
	int error; /* -errno, or HALF */
	unsigned long calls;
	int said;
	char text[48];
};

static struct rule rules[MAX_RULES];
static int rule_count;
static volatile int started;

static const struct {
	const char *name;
	long nr;
} names[] = {
	{"read", __NR_read},
	{"write", __NR_write},
	{"openat", __NR_openat},
	{"close", __NR_close},
	{"fstat", __NR_fstat},
	{"newfstatat", __NR_newfstatat},
	{"mmap", __NR_mmap},
	{"mprotect", __NR_mprotect},
	{"munmap", __NR_munmap},
	{"mremap", __NR_mremap},
	{"pread64", __NR_pread64},
	{"pwrite64", __NR_pwrite64},
	{"ftruncate", __NR_ftruncate},
	{"renameat", __NR_renameat},
	{"unlinkat", __NR_unlinkat},
	{"mkdirat", __NR_mkdirat},
	{"fchmod", __NR_fchmod},
	{"fchown", __NR_fchown},
	{"getdents64", __NR_getdents64},
	{"prctl", __NR_prctl},
	{"arch_prctl", __NR_arch_prctl},
	{"rt_sigaction", __NR_rt_sigaction},
	{"rt_sigprocmask", __NR_rt_sigprocmask},
	{"sigaltstack", __NR_sigaltstack},
	{"tgkill", __NR_tgkill},
	{"readlinkat", __NR_readlinkat},
	{"getrandom", __NR_getrandom},
};

static const struct {
	const char *name;
	int err;
} errors[] = {
	{"EPERM", EPERM},   {"ENOENT", ENOENT}, {"EINTR", EINTR},   {"EIO", EIO},
	{"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM}, {"EACCES", EACCES}, {"EFAULT", EFAULT},
	{"EBUSY", EBUSY},   {"EEXIST", EEXIST}, {"EINVAL", EINVAL}, {"ENFILE", ENFILE},
	{"EMFILE", EMFILE}, {"EFBIG", EFBIG},   {"ENOSPC", ENOSPC}, {"EROFS", EROFS},
	{"ENOSYS", ENOSYS}, {"EDQUOT", EDQUOT},
};

extern const char __ehdr_start[] __attribute__((visibility("hidden")));

static void bad(const char *spec)
{
	dprintf(2, "libos-loader: LIBOS_TEST_FAULT: cannot read the rule %s\n", spec);
	sys_exit_group(2);
}

/* One rule, text up to its end (',' or NUL). */
static void parse(struct rule *r, const char *text, size_t len)
{
	char s[48], *p, *end;
	unsigned i;

	if (len >= sizeof(s))
		bad(text);
	memcpy(s, text, len);
	s[len] = '\0';
	memcpy(r->text, s, len + 1);
	p = s;
	r->nr = -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i].name);
		if (strncmp(p, names[i].name, n) == 0 && (p[n] == ':' || p[n] == '@')) {
			r->nr = names[i].nr;
			p += n;
			break;
		}
	}
	if (r->nr < 0) {
		r->nr = strtol(p, &end, 10);
		if (end == p)
			bad(r->text);
		p = end;
	}
	if (*p == '@') {
		r->from = (uintptr_t)strtoul(p + 1, &end, 16);
		if (*end != '-')
			bad(r->text);
		r->to = (uintptr_t)strtoul(end + 1, &p, 16);
		if (r->to <= r->from)
			bad(r->text);
	}
	if (*p++ != ':')
		bad(r->text);
	r->first = strtoul(p, &end, 10);
	r->last = r->first;
	if (*end == '+') {
		r->last = ~0UL;
		end++;
	} else if (*end == '-') {
		r->last = strtoul(end + 1, &end, 10);
	}
	if (r->first == 0 || r->last < r->first || *end++ != ':')
		bad(r->text);
	if (strcmp(end, "half") == 0) {
		r->error = HALF;
		return;
	}
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(end, errors[i].name) == 0)
			r->error = -errors[i].err;
	if (!r->error)
		r->error = -(int)strtol(end, &p, 10);
	if (r->error >= 0 || r->error < -4095)
		bad(r->text);
}

void libc_fault_start(void)
{
	const char *spec = getenv("LIBOS_TEST_FAULT");

	while (spec && *spec && rule_count < MAX_RULES) {
		const char *comma = strchr(spec, ',');
		size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
		parse(&rules[rule_count++], spec, len);
		spec = comma ? comma + 1 : NULL;
	}
	started = 1;
}

/* Said once per rule, through the raw call (this file is its own caller). */
static void say(struct rule *r, unsigned long call)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "libos-loader: fault injected: %s (call %lu)\n",
			 r->text, call);

	if (__atomic_exchange_n(&r->said, 1, __ATOMIC_RELAXED) == 0 && n > 0)
		__syscall6_raw(__NR_write, 2, (long)line, n < (int)sizeof(line) ? n : 0, 0, 0, 0);
}

__attribute__((noinline)) long libc_fault_check(long nr, long a1, long a2, long *a3)
{
	uintptr_t at = (uintptr_t)__builtin_return_address(0) - (uintptr_t)__ehdr_start;

	(void)a1;
	(void)a2;
	if (!started)
		return 0;
	for (int i = 0; i < rule_count; i++) {
		struct rule *r = &rules[i];
		if (r->nr != nr || (r->to && (at < r->from || at >= r->to)))
			continue;
		unsigned long call = __atomic_add_fetch(&r->calls, 1, __ATOMIC_RELAXED);
		if (call < r->first || call > r->last)
			continue;
		say(r, call);
		if (r->error != HALF)
			return r->error;
		*a3 /= 2;
	}
	return 0;
}
