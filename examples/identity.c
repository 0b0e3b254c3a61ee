// SPDX-License-Identifier: MIT
/*
 * getpid, getppid and uname answered without a kernel call.
 *
 * Who the calling thread is lives in its context (ctx->data), set when the
 * thread starts: for a thread of this process, a pointer to `process`
 * (threads share the pid); for a thread that is a process of its own in
 * our memory (a vfork child, CLONE_VM without CLONE_THREAD), its own pid
 * and ppid, held in the pointer itself (tagged by bit 0: `process` is
 * aligned), so that nothing is allocated for a child that will exec. A
 * fork child has its own copy of `process`: it is refreshed when fork
 * returns 0 through the module. A context with no data yet (a child cloned
 * with its own memory onto a new stack, which the module does not see
 * return) asks the kernel once.
 *
 * getppid is the parent's pid at start-up or at fork: a parent that dies
 * later (the process re-parented) is not noticed. uname is read once at
 * init, and again after a sethostname or setdomainname made through the
 * module; hostname=NAME replaces its nodename.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/utsname.h>

#include "example.h"

static struct process {
	int32_t pid, ppid;
} process;

static struct new_utsname uts;

static void *inline_identity(long pid, long ppid)
{
	return (void *)(uintptr_t)((uint64_t)pid << 32 | (uint64_t)ppid << 1 | 1);
}

/* The thread's identity, from the kernel; what thread_start does. */
static void identify(struct libos_context *ctx)
{
	long pid = ex_sys(__NR_getpid, 0, 0, 0, 0, 0, 0);

	if (pid == process.pid)
		ctx->data = &process;
	else
		ctx->data = inline_identity(pid, ex_sys(__NR_getppid, 0, 0, 0, 0, 0, 0));
}

static int read_uname(void)
{
	long r = ex_sys(__NR_uname, (long)&uts, 0, 0, 0, 0, 0);

	if (r < 0)
		return (int)r;
	if (ex_config.hostname[0]) {
		memset(uts.nodename, 0, sizeof(uts.nodename));
		memcpy(uts.nodename, ex_config.hostname, strlen(ex_config.hostname));
	}
	return 0;
}

int ex_identity_init(void)
{
	process.pid = (int32_t)ex_sys(__NR_getpid, 0, 0, 0, 0, 0, 0);
	process.ppid = (int32_t)ex_sys(__NR_getppid, 0, 0, 0, 0, 0, 0);
	return read_uname();
}

void ex_identity_thread_start(struct libos_context *ctx)
{
	identify(ctx);
}

void ex_identity_forked(struct libos_context *ctx)
{
	process.pid = (int32_t)ex_sys(__NR_getpid, 0, 0, 0, 0, 0, 0);
	process.ppid = (int32_t)ex_sys(__NR_getppid, 0, 0, 0, 0, 0, 0);
	ctx->data = &process;
}

long ex_getpid(struct libos_context *ctx)
{
	uintptr_t d = (uintptr_t)ctx->data;

	if (!d) {
		identify(ctx);
		d = (uintptr_t)ctx->data;
	}
	return d & 1 ? (long)(d >> 32) : ((const struct process *)d)->pid;
}

long ex_getppid(struct libos_context *ctx)
{
	uintptr_t d = (uintptr_t)ctx->data;

	if (!d) {
		identify(ctx);
		d = (uintptr_t)ctx->data;
	}
	return d & 1 ? (long)((d & 0xffffffffu) >> 1) : ((const struct process *)d)->ppid;
}

long ex_uname(uintptr_t buf)
{
	return ex_loader->copy_to(buf, &uts, sizeof(uts)) < 0 ? -EFAULT : 0;
}

void ex_identity_hostname_changed(void)
{
	read_uname();
}
