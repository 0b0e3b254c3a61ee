// SPDX-License-Identifier: MIT
/*
 * The program's seccomp, learnt as the program puts it in force: once it
 * is on, the kernel judges every syscall by it, the loader's own too, and
 * those (a thread's end, the report, the net's signal masks) must not get
 * the program killed where natively it ends cleanly. The mode, and a copy
 * of each filter, go to libc's judge (seccomp_judge.h), which the loader's
 * raw syscalls ask first. The filter is copied before it is installed,
 * while the loader may still read the program's memory its usual way.
 *
 * A filter the process inherited (installed before the loader started)
 * is not known: the loader ran its start under it already.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <seccomp_judge.h>

#include "hooks.h"

/* The filter program the call names, copied into the judge; 1 if there
 * is one to commit after the call. */
static int prepare(uintptr_t fprog_at)
{
	struct sock_fprog prog;
	struct libc_bpf_insn *insns;

	_Static_assert(sizeof(*insns) == sizeof(*prog.filter), "the kernel's instruction");
	if (hook_copy_from(&prog, fprog_at, sizeof(prog)) < 0 || prog.len == 0 ||
	    prog.len > BPF_MAXINSNS)
		return 0; /* the kernel refuses it too */
	/* No room (NULL) is committed as unknown: nothing is made then. */
	insns = libc_seccomp_prepare(prog.len);
	if (insns && hook_copy_from(insns, (uintptr_t)prog.filter, prog.len * sizeof(*insns)) < 0) {
		libc_seccomp_commit(0); /* the kernel refuses it too (EFAULT) */
		return 0;
	}
	return 1;
}

long hook_seccomp_install(const struct arch_frame *f, struct tls_tcb *t)
{
	int strict, filter, installed;
	uint64_t flags = 0;

	if (f->rax == __NR_seccomp) {
		strict = f->rdi == SECCOMP_SET_MODE_STRICT;
		filter = f->rdi == SECCOMP_SET_MODE_FILTER;
		flags = f->rsi;
	} else {
		strict = f->rsi == SECCOMP_MODE_STRICT;
		filter = f->rsi == SECCOMP_MODE_FILTER;
	}
	/* Both name the program in their third argument. */
	int pending = filter && prepare(f->rdx);
	/* Trapped by the net, the install itself runs without the mask
	 * changes around it (it never sleeps): the second one would be
	 * judged by what it put in force. */
	uint8_t unmasked = arch_app_unmasked;

	arch_app_unmasked = 1;
	long r = hook_module_frame(t, f);

	arch_app_unmasked = unmasked;

	/* TSYNC answers a thread's id when it could not sync: not in force. */
	installed = (flags & SECCOMP_FILTER_FLAG_TSYNC) ? r == 0 : r >= 0;
	if (pending)
		libc_seccomp_commit(installed);
	if (strict && r == 0)
		libc_seccomp_strict();
	if (installed && (strict || filter)) {
		const long mask[6] = {0};

		arch_app_unmasked = libc_seccomp_judge(__NR_rt_sigprocmask, mask) != 0;
	}
	return r;
}
