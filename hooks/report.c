// SPDX-License-Identifier: MIT
/*
 * The report (--report=FILE, LIBOS_REPORT): one JSON object per process.
 *
 *   objects   every object mapped executable: path, base, its sites by tier
 *             (note: rewritten from its LibOS site list; hooks: weak hooks
 *             interposed; rewritten: rewritten after disassembly; refused,
 *             trapped), and `disassembled`, the functions Capstone decoded
 *             to plan it (0 for an object its site list covers)
 *   sites     the same, summed, with `trapped` also counting sites caught in
 *             code no object holds (generated code)
 *   syscalls  intercepted (delivered to the LibOS by a stub or by the net),
 *             trapped (of those, caught by the net), total (intercepted
 *             plus escapes)
 *   escapes   syscalls the net caught from code the loader had patched
 *   threads   thread starts and ends the module was told of (hooks/module.h)
 *   libc_hooks  calls of a LibOS-ready libc's weak hooks (libc_hooks.h)
 *   patch_ms  time spent finding and patching sites
 *   net       whether the net was armed, and why
 * The file is written as a careful tool does (libc_write_file): a regular
 * file is written whole and renamed into place, so a reader never sees
 * half of it; a symlink is followed, a device, FIFO or /dev/stdout is
 * written in place. A report that cannot be written is one line on stderr;
 * the program's exit status stays its own.
 */
#include <errno.h>
#include <libc.h>
#include <seccomp_judge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "elf.h"
#include "hooks.h"
#include "libc_hooks.h"
#include "module.h"
#include "objects.h"
#include "patch.h"
#include "report.h"

struct out {
	char *buf;
	size_t len, cap;
};

static void add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;

	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(o->buf ? o->buf + o->len : NULL, o->buf ? o->cap - o->len : 0,
				  fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (o->buf && o->len + (size_t)n < o->cap) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = (o->cap ? o->cap * 2 : 4096) + (size_t)n;
		char *b = realloc(o->buf, cap);
		if (!b)
			return;
		o->buf = b;
		o->cap = cap;
	}
}

static void add_string(struct out *o, const char *s)
{
	add(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			add(o, "\\%c", c);
		else if (c < 0x20)
			add(o, "\\u%04x", c);
		else
			add(o, "%c", c);
	}
	add(o, "\"");
}

static void sum_threads(struct tls_tcb *t, void *arg)
{
	*(uint64_t *)arg += t->syscalls;
}

static void compose(struct out *o)
{
	const char *modes[] = {"default", "strict", "sud-only"};
	unsigned note = 0, hooks = 0, rewritten = 0, refused = 0, trapped = 0;
	uint64_t live = 0;
	int first = 1;

	add(o, "{\n  \"pid\": %d,\n  \"exec_count\": %d,\n  \"program\": ", hook_state.pid,
	    hook_state.opt.exec_count);
	add_string(o, hook_state.opt.program ? hook_state.opt.program : "");
	add(o, ",\n  \"mode\": \"%s\",\n  \"module\": \"%s\",\n", modes[hook_state.opt.mode],
	    hook_state.module->name);
	add(o, "  \"objects\": [");
	for (struct patch_object *ob = patch_objects(); ob; ob = ob->next) {
		struct libc_mapping m;
		if (!ob->path[0] && ob->seg_count)
			libc_mapping_at(ob->bias + PAGE_DOWN(ob->seg[0].vaddr), &m, ob->path,
					sizeof(ob->path));
		add(o, "%s\n    {\"path\": ", first ? "" : ",");
		add_string(o, ob->path);
		add(o,
		    ", \"base\": \"0x%lx\", \"mapped\": %s, \"analysed\": %s, \"sites\": "
		    "{\"note\": %u, "
		    "\"hooks\": %u, \"rewritten\": %u, \"refused\": %u, \"trapped\": %u}, "
		    "\"disassembled\": %lu}",
		    (unsigned long)ob->bias, patch_object_mapped(ob) ? "true" : "false",
		    ob->analyzed ? "true" : "false", ob->note, ob->hooks, ob->rewritten,
		    ob->refused, ob->trapped, (unsigned long)ob->disassembled);
		note += ob->note;
		hooks += ob->hooks;
		rewritten += ob->rewritten;
		refused += ob->refused;
		trapped += ob->trapped;
		first = 0;
	}
	trapped += patch_jit_count();
	tls_for_each(sum_threads, &live);
	uint64_t intercepted = live + hook_state.exited_syscalls;
	add(o,
	    "\n  ],\n  \"sites\": {\"note\": %u, \"hooks\": %u, \"rewritten\": %u, "
	    "\"trapped\": %u, \"refused\": %u, \"jit_trapped\": %u},\n",
	    note, hooks, rewritten, trapped, refused, patch_jit_count());
	add(o, "  \"syscalls\": {\"intercepted\": %lu, \"trapped\": %lu, \"total\": %lu},\n",
	    (unsigned long)intercepted, (unsigned long)hook_state.trapped_syscalls,
	    (unsigned long)(intercepted + hook_state.escapes));
	add(o, "  \"escapes\": %lu,\n", (unsigned long)hook_state.escapes);
	add(o, "  \"threads\": {\"started\": %u, \"exited\": %u},\n", hook_state.threads_started,
	    hook_state.threads_exited);
	add(o, "  \"libc_hooks\": {\"map_library\": %u, \"register_library\": %u, \"init\": %u},\n",
	    hook_libc_hook_calls(LIBC_HOOK_MAP_LIBRARY),
	    hook_libc_hook_calls(LIBC_HOOK_REGISTER_LIBRARY), hook_libc_hook_calls(LIBC_HOOK_INIT));
	uint64_t patch_ns = patch_time_ns();
	add(o, "  \"patch_ms\": %lu.%03lu,\n", (unsigned long)(patch_ns / 1000000),
	    (unsigned long)(patch_ns / 1000 % 1000));
	/* "armed" only where it is: a net the kernel refused is not. */
	add(o, "  \"net\": {\"armed\": %s, \"reason\": ",
	    hook_state.net_armed && !hook_state.net_error ? "true" : "false");
	add_string(o, hook_state.net_reason ? hook_state.net_reason : "");
	if (hook_state.net_error)
		add(o,
		    ", \"wanted\": true, \"error\": \"prctl(PR_SET_SYSCALL_USER_DISPATCH): %s\", "
		    "\"unarmed_threads\": %u",
		    strerror(-hook_state.net_error), (unsigned)hook_state.net_unarmed);
	add(o, "}\n}\n");
}

/* The widest pid (pid_max is at most 2^22: 7 digits) and the widest tail
 * an image that execs adds ("-exec2147483647.json" for ".json"). */
#define PID_WIDTH     7
#define TAIL_WIDTH    15
#define HOOK_PATH_MAX 4096 /* the kernel's PATH_MAX and NAME_MAX */
#define HOOK_NAME_MAX 255

int hook_report_path_fits(const char *path)
{
	size_t n = 0, last = 0;

	for (const char *p = path; *p; p++, n++, last++) {
		if (*p == '/')
			last = (size_t)-1;
		else if (p[0] == '%' && p[1] == 'p') {
			n += PID_WIDTH - 1;
			last += PID_WIDTH - 1;
			p++;
		}
	}
	/* The widest name, and its temporary one (libc_replace_file). */
	n += TAIL_WIDTH + LIBC_REPLACE_TMP_EXTRA;
	last += TAIL_WIDTH + LIBC_REPLACE_TMP_EXTRA;
	return n < HOOK_PATH_MAX && last <= HOOK_NAME_MAX;
}

/* path with every "%p" replaced by the pid, into out; -ENAMETOOLONG
 * rather than a shorter name, which would be another file. */
static int expand(const char *path, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = path; *p; p++) {
		if (n + PID_WIDTH + 1 > size)
			return -ENAMETOOLONG;
		if (p[0] == '%' && p[1] == 'p') {
			n += (size_t)snprintf(out + n, size - n, "%d", hook_state.pid);
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return 0;
}

static int fill(int fd, const void *arg)
{
	const struct out *o = arg;
	long n = sys_write(fd, o->buf, o->len);

	return n == (long)o->len ? 0 : n < 0 ? (int)n : -EIO;
}

void hook_report_write(const char *path, int exec)
{
	char final[4096];
	struct out o = {0};
	int r = -ENOMEM;

	int bad = expand(path, final, sizeof(final));
	if (bad == 0 && exec >= 0) {
		size_t n = strlen(final);
		int json = n > 5 && strcmp(final + n - 5, ".json") == 0;
		size_t at = json ? n - 5 : n;
		int m = snprintf(final + at, sizeof(final) - at, json ? "-exec%d.json" : ".exec%d",
				 exec);
		if (m < 0 || (size_t)m >= sizeof(final) - at)
			bad = -ENAMETOOLONG;
	}
	if (bad < 0) {
		/* The loader refuses such a path at start (options.c). */
		libc_say("cannot write the report %.64s...: %s", path, strerror(bad));
		return;
	}
	compose(&o);
	if (o.buf)
		r = libc_write_file(final, fill, &o);
	if (r < 0 && libc_seccomp_on && r == -EPERM)
		libc_say("cannot write the report %s: the program's seccomp does not allow it",
			 final);
	else if (r < 0)
		libc_say("cannot write the report %s: %s", final, strerror(r));
	free(o.buf);
}
