// SPDX-License-Identifier: MIT
/*
 * logger: a test LibOS module that passes every syscall through and logs
 * every other hook, one line each, to the file its options name
 * (--libos-options=log=PATH), so that hooks.py can compare the hooks with
 * what the program sees of itself:
 *
 *   init pid=P argc=N envc=N entry=0x.. phdr=0x.. execfn=S
 *   argv I S
 *   map pid=P kind=K base=0x.. phnum=N path=S
 *   unmap pid=P base=0x.. path=S
 *   thread_start pid=P tid=T
 *   thread_exit pid=P tid=T
 *   fini pid=P status=S
 *
 * Freestanding like any module: its file is opened and written with
 * loader->syscall, each line with one write (O_APPEND: processes and
 * threads never cut each other's lines).
 */
#include <asm/unistd.h>
#include <linux/auxvec.h>
#include <linux/fcntl.h>

#include <libos/libos.h>

#define LOG_FD_MIN 900 /* out of the program's way */

static const struct libos_loader *loader;
static int log_fd = -1;

struct line {
	char text[1024];
	unsigned len;
};

static void put(struct line *l, const char *s)
{
	while (s && *s && l->len < sizeof(l->text) - 1)
		l->text[l->len++] = *s++;
}

static void put_num(struct line *l, uint64_t v, unsigned base)
{
	char digits[24];
	int n = 0;

	if (base == 16)
		put(l, "0x");
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n-- > 0 && l->len < sizeof(l->text) - 1)
		l->text[l->len++] = digits[n];
}

static void put_pid(struct line *l, const char *what)
{
	put(l, what);
	put(l, " pid=");
	put_num(l, (uint64_t)loader->syscall(__NR_getpid, 0, 0, 0, 0, 0, 0), 10);
}

static void emit(struct line *l)
{
	l->text[l->len++] = '\n';
	if (log_fd >= 0)
		loader->syscall(__NR_write, log_fd, (long)l->text, l->len, 0, 0, 0);
}

static uint64_t aux(const uint64_t *auxv, uint64_t key)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == key)
			return auxv[1];
	return 0;
}

static int logger_init(const struct libos_loader *l, int argc, char **argv, char **envp,
		       const uint64_t *auxv)
{
	const char *o = l->options;
	int envc = 0;

	loader = l;
	if (o[0] != 'l' || o[1] != 'o' || o[2] != 'g' || o[3] != '=' || !o[4]) {
		l->log("expected log=PATH, got '%s'", o);
		return 2;
	}
	long fd = l->syscall(__NR_open, (long)(o + 4), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			     0644, 0, 0, 0);
	if (fd < 0) {
		l->log("cannot open %s (%ld)", o + 4, fd);
		return 1;
	}
	log_fd = (int)l->syscall(__NR_fcntl, fd, F_DUPFD_CLOEXEC, LOG_FD_MIN, 0, 0, 0);
	l->syscall(__NR_close, fd, 0, 0, 0, 0, 0);
	while (envp[envc])
		envc++;

	struct line line = {.len = 0};
	put_pid(&line, "init");
	put(&line, " argc=");
	put_num(&line, (uint64_t)argc, 10);
	put(&line, " envc=");
	put_num(&line, (uint64_t)envc, 10);
	put(&line, " entry=");
	put_num(&line, aux(auxv, AT_ENTRY), 16);
	put(&line, " phdr=");
	put_num(&line, aux(auxv, AT_PHDR), 16);
	put(&line, " execfn=");
	put(&line, (const char *)aux(auxv, AT_EXECFN));
	emit(&line);
	for (int i = 0; i < argc; i++) {
		line.len = 0;
		put(&line, "argv ");
		put_num(&line, (uint64_t)i, 10);
		put(&line, " ");
		put(&line, argv[i]);
		emit(&line);
	}
	return 0;
}

static long logger_syscall(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			   long a5, long a6)
{
	(void)ctx;
	return loader->syscall(nr, a1, a2, a3, a4, a5, a6);
}

static void logger_map(const struct libos_object *o)
{
	struct line line = {.len = 0};

	put_pid(&line, "map");
	put(&line, " kind=");
	put_num(&line, o->kind, 10);
	put(&line, " base=");
	put_num(&line, o->base, 16);
	put(&line, " phnum=");
	put_num(&line, o->phnum, 10);
	put(&line, " path=");
	put(&line, o->path);
	emit(&line);
}

static void logger_unmap(const struct libos_object *o)
{
	struct line line = {.len = 0};

	put_pid(&line, "unmap");
	put(&line, " base=");
	put_num(&line, o->base, 16);
	put(&line, " path=");
	put(&line, o->path);
	emit(&line);
}

static void thread_event(const char *what, const struct libos_context *ctx)
{
	struct line line = {.len = 0};

	put_pid(&line, what);
	put(&line, " tid=");
	put_num(&line, (uint64_t)ctx->tid, 10);
	emit(&line);
}

static void logger_thread_start(struct libos_context *ctx)
{
	thread_event("thread_start", ctx);
}

static void logger_thread_exit(struct libos_context *ctx)
{
	thread_event("thread_exit", ctx);
}

static void logger_fini(int status)
{
	struct line line = {.len = 0};

	put_pid(&line, "fini");
	put(&line, " status=");
	put_num(&line, (uint64_t)(unsigned)status, 10);
	emit(&line);
}

__attribute__((visibility("default"))) const struct libos_module libos_module = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_module),
	.name = "logger",
	.init = logger_init,
	.syscall = logger_syscall,
	.map_library = logger_map,
	.unmap_library = logger_unmap,
	.thread_start = logger_thread_start,
	.thread_exit = logger_thread_exit,
	.fini = logger_fini,
};
