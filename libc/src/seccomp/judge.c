// SPDX-License-Identifier: MIT
/*
 * The program's seccomp, kept to judge the loader's own syscalls by
 * (seccomp_judge.h says why). Strict mode allows read, write, exit and
 * rt_sigreturn, nothing else (exit_group neither). Filters are copied as
 * the program installs them and run in order, the most restrictive action
 * winning as in the kernel (seccomp_run_filters); only ALLOW and LOG let
 * the loader's call through. The copies are never freed: a filter stays
 * in force for the life of the process.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp_judge.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX 32

int libc_seccomp_on;

static int strict;
static int unknown; /* a filter we could not keep: nothing is allowed */
static struct filter {
	struct libc_bpf_insn *insns;
	unsigned count;
} filters[FILTER_MAX];
static unsigned filter_count;
static struct filter pending;

void libc_seccomp_strict(void)
{
	strict = 1;
	__atomic_store_n(&libc_seccomp_on, 1, __ATOMIC_RELEASE);
}

struct libc_bpf_insn *libc_seccomp_prepare(unsigned count)
{
	pending.count = count;
	pending.insns = malloc(count * sizeof(*pending.insns));
	return pending.insns;
}

void libc_seccomp_commit(int installed)
{
	if (!installed) {
		free(pending.insns);
	} else if (!pending.insns || filter_count == FILTER_MAX) {
		unknown = 1;
		free(pending.insns);
	} else
		filters[filter_count++] = pending;
	pending.insns = NULL;
	if (installed)
		__atomic_store_n(&libc_seccomp_on, 1, __ATOMIC_RELEASE);
}

static long judge_strict(long nr)
{
	if (nr == __NR_read || nr == __NR_write || nr == __NR_exit || nr == __NR_rt_sigreturn)
		return 0;
	return -EPERM;
}

long libc_seccomp_judge(long nr, const long args[6])
{
	if (unknown || (strict && judge_strict(nr)))
		return -EPERM;
	if (!filter_count)
		return 0;

	struct seccomp_data d = {.nr = (int)nr, .arch = AUDIT_ARCH_X86_64};
	uint32_t worst = SECCOMP_RET_ALLOW;

	/* The loader's call has no one instruction pointer of its own to
	 * show; a filter that looks at it sees 0. */
	for (int i = 0; i < 6; i++)
		d.args[i] = (uint64_t)args[i];
	for (unsigned i = 0; i < filter_count; i++) {
		uint32_t r = libc_bpf_run(filters[i].insns, filters[i].count, &d, sizeof(d));

		if ((int32_t)(r & SECCOMP_RET_ACTION_FULL) <
		    (int32_t)(worst & SECCOMP_RET_ACTION_FULL))
			worst = r;
	}
	switch (worst & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return 0;
	case SECCOMP_RET_ERRNO: {
		/* An errno of 0 would be success with nothing done: refused. */
		long e = worst & SECCOMP_RET_DATA;

		return e ? -(e > 4095 ? 4095 : e) : -EPERM;
	}
	default:
		return -EPERM; /* killed, trapped, a tracer's or a supervisor's */
	}
}
