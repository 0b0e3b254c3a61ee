// SPDX-License-Identifier: MIT
/*
 * clone_raw: clone3 called directly, and glibc's clone() with a new stack.
 * Through a raw clone3 (raw_clone.S): a thread with its own stack and no
 * TLS of its own (CLONE_THREAD without CLONE_SETTLS, so it makes only raw
 * syscalls), a CLONE_VM|CLONE_VFORK child on its own stack, a fork-like
 * child (no stack), and a child with a new stack but its own memory.
 * Through glibc's clone() (the clone syscall): CLONE_VM, CLONE_VM with
 * CLONE_VFORK, and a new stack without CLONE_VM. Each child makes
 * syscalls, checks what it can (pid, parent, tid, that it runs on the
 * stack it was given), leaves a value in memory and exits with its checks
 * in its status (0x47 or 0x57: all passed); the parent prints what it saw in a fixed order. It
 * proves that a child on a new stack starts where the kernel would start it, with its own LibOS
 * stack, and that the parent's state survives.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct hc_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

long hc_clone3(struct hc_clone_args *args, size_t size, long (*fn)(void *), void *arg);
long hc_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

#define STACK_SIZE (256 * 1024)

struct child {
	char *stack;     /* the stack it was given, or NULL */
	long parent_pid; /* what its parent (or its thread group) is */
	long main_tid;
	volatile int value; /* set by the child */
	volatile int checks;
	int tid_word; /* CLONE_PARENT_SETTID / CLONE_CHILD_CLEARTID */
	const char *name;
};

static _Alignas(16) char stacks[4][STACK_SIZE];

/* Children write with write(2): flush ours first, so the order is fixed. */
#define say(...) (printf(__VA_ARGS__), fflush(stdout))

static long raw_write(const char *text)
{
	return hc_syscall(SYS_write, 1, (long)text, (long)strlen(text), 0, 0);
}

/* What any child checks: bit 0 its stack, bit 1 its parent or process,
 * bit 2 a syscall's result. */
static int common_checks(struct child *c, int is_thread)
{
	char here;
	int checks = 0, ok;

	if (!c->stack || (&here > c->stack && &here < c->stack + STACK_SIZE))
		checks |= 1;
	if (is_thread)
		ok = hc_syscall(SYS_getpid, 0, 0, 0, 0, 0) == c->parent_pid &&
		     hc_syscall(SYS_gettid, 0, 0, 0, 0, 0) != c->main_tid;
	else
		ok = hc_syscall(SYS_getppid, 0, 0, 0, 0, 0) == c->parent_pid;
	if (ok)
		checks |= 2;
	if (hc_syscall(SYS_close, -1, 0, 0, 0, 0) == -9 /* EBADF */)
		checks |= 4;
	return checks;
}

static long thread_body(void *arg)
{
	struct child *c = arg;

	c->checks = common_checks(c, 1);
	raw_write("  raw clone3 thread: running\n");
	c->value = 11;
	return 0; /* hc_clone3 exits the thread */
}

static long process_body(void *arg)
{
	struct child *c = arg;

	c->checks = common_checks(c, 0);
	raw_write("  child: running\n");
	c->value = 22;
	hc_syscall(SYS_exit_group, 0x40 | c->checks, 0, 0, 0, 0);
	return 0;
}

static void report_wait(struct child *c, pid_t pid)
{
	int status = 0;

	if (pid < 0) {
		say("%s: clone failed: %d\n", c->name, pid);
		return;
	}
	if (waitpid(pid, &status, __WALL) != pid)
		say("%s: waitpid failed\n", c->name);
	else if (WIFEXITED(status))
		say("%s: exited 0x%x\n", c->name, WEXITSTATUS(status));
	else
		say("%s: status 0x%x\n", c->name, status);
	say("%s: value seen by the parent %d\n", c->name, c->value);
}

static void raw_thread(void)
{
	struct child c = {.stack = stacks[0],
			  .parent_pid = getpid(),
			  .main_tid = syscall(SYS_gettid),
			  .name = "raw clone3 thread"};
	struct hc_clone_args a = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			 CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		.child_tid = (uint64_t)(uintptr_t)&c.tid_word,
		.parent_tid = (uint64_t)(uintptr_t)&c.tid_word,
		.stack = (uint64_t)(uintptr_t)c.stack,
		.stack_size = STACK_SIZE,
	};
	long r = hc_clone3(&a, sizeof(a), thread_body, &c);
	int v;

	if (r < 0) {
		say("%s: clone3 failed: %ld\n", c.name, r);
		return;
	}
	/* The kernel clears tid_word and wakes us when the thread is gone. */
	while ((v = __atomic_load_n(&c.tid_word, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, &c.tid_word, FUTEX_WAIT, v, NULL, NULL, 0);
	say("%s: ended\n", c.name);
	say("%s: checks 0x%x\n", c.name, c.checks);
	say("%s: value seen by the parent %d\n", c.name, c.value);
}

static void raw_process(const char *name, uint64_t flags, char *stack)
{
	struct child c = {.stack = stack, .parent_pid = getpid(), .name = name};
	struct hc_clone_args a = {
		.flags = flags,
		.exit_signal = SIGCHLD,
		.stack = (uint64_t)(uintptr_t)stack,
		.stack_size = stack ? STACK_SIZE : 0,
	};

	report_wait(&c, (pid_t)hc_clone3(&a, sizeof(a), process_body, &c));
}

static int glibc_body(void *arg)
{
	struct child *c = arg;
	char line[80];

	c->checks = common_checks(c, 0);
	snprintf(line, sizeof(line), "  %s child: pid differs from parent: %s\n", c->name,
		 getpid() != c->parent_pid ? "yes" : "no");
	if (write(1, line, strlen(line)) < 0)
		return 100;
	c->value = 33;
	return 0x50 | c->checks;
}

static void glibc_clone(const char *name, int flags, char *stack)
{
	struct child c = {.stack = stack, .parent_pid = getpid(), .name = name};

	report_wait(&c, clone(glibc_body, stack + STACK_SIZE, flags | SIGCHLD, &c));
}

int main(void)
{
	raw_thread();
	raw_process("clone3 CLONE_VM|CLONE_VFORK, new stack", CLONE_VM | CLONE_VFORK, stacks[1]);
	raw_process("clone3 fork-like, no stack", 0, NULL);
	raw_process("clone3 own memory, new stack", 0, stacks[2]);
	glibc_clone("clone() CLONE_VM", CLONE_VM, stacks[1]);
	glibc_clone("clone() CLONE_VM|CLONE_VFORK", CLONE_VM | CLONE_VFORK, stacks[2]);
	glibc_clone("clone() own memory", 0, stacks[3]);
	say("done\n");
	return 0;
}
