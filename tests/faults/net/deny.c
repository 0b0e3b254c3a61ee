// SPDX-License-Identifier: MIT
/*
 * A sandbox as container runtimes and browsers install one: a seccomp
 * filter (with PR_SET_NO_NEW_PRIVS) that answers EPERM to some syscalls,
 * then exec of the command, which inherits it.
 *
 * usage: deny WHAT COMMAND [ARGS...]
 *        deny WHAT --jit
 *   WHAT: sud        prctl(PR_SET_SYSCALL_USER_DISPATCH, ...)
 *         arch_prctl every arch_prctl
 * --jit: no exec; the process itself, sandboxed, runs generated code that
 * makes a syscall (getpid), as a browser's JIT would.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../common/generated_getpid.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ALLOW       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define DENY        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

static int jit(void)
{
	long (*fn)(void) = generated_getpid();

	if (!fn)
		return 1;
	long got = fn();
	printf("sandboxed generated getpid: %s\n", got == getpid() ? "right" : "WRONG");
	return got != getpid();
}

int main(int argc, char **argv)
{
	struct sock_filter sud[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		ALLOW,
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 1, 0),
		ALLOW,
		LOAD(args[0]),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SYSCALL_USER_DISPATCH, 0, 1),
		DENY,
		ALLOW,
	};
	struct sock_filter arch_prctl[] = {
		LOAD(arch), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0), ALLOW,
		LOAD(nr),   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_arch_prctl, 0, 1),   DENY,
		ALLOW,
	};
	struct sock_fprog prog;

	if (argc < 3) {
		fprintf(stderr, "usage: %s sud|arch_prctl COMMAND [ARGS...]\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "sud") == 0)
		prog = (struct sock_fprog){sizeof(sud) / sizeof(sud[0]), sud};
	else if (strcmp(argv[1], "arch_prctl") == 0)
		prog = (struct sock_fprog){sizeof(arch_prctl) / sizeof(arch_prctl[0]), arch_prctl};
	else {
		fprintf(stderr, "%s: nothing to deny called %s\n", argv[0], argv[1]);
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("seccomp");
		return 1;
	}
	if (strcmp(argv[2], "--jit") == 0)
		return jit();
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
