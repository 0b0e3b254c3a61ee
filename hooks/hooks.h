/* SPDX-License-Identifier: MIT */
/*
 * Calling the LibOS: the dispatcher every intercepted syscall reaches (from
 * a stub or from the safety net), the syscalls the loader itself must
 * handle around the module (signals, clone, exit, memory), and the
 * process-wide state they share.
 */
#ifndef HOOKS_HOOKS_H
#define HOOKS_HOOKS_H

#include <stdint.h>
#include <sys.h>

#include "arch.h"
#include "tcb.h"

enum hook_mode {
	HOOK_MODE_DEFAULT,  /* rewrite; the net armed only when something is unaccounted for */
	HOOK_MODE_STRICT,   /* rewrite; the net armed from the first instruction */
	HOOK_MODE_SUD_ONLY, /* rewrite nothing; the net catches everything */
};

#define HOOK_FORWARD_MAX 8

/* How --trap-rdtsc takes rdtsc over (tsc.c). */
enum hook_tsc_mode {
	HOOK_TSC_OFF,
	HOOK_TSC_TRAP,    /* PR_SET_TSC: rdtsc faults, SIGSEGV */
	HOOK_TSC_REWRITE, /* not enforced here: rdtsc rewritten to ud2, SIGILL */
};

struct hook_options {
	enum hook_mode mode;
	const char *report_path; /* "%p" becomes the pid; NULL: no report */
	const char *program;     /* for the report */
	const char *program_exe; /* the ELF executable's canonical path: /proc/self/exe */
	const char *loader_exe;  /* the loader's own path: exec follows through it */
	int follow_exec;         /* programs PROGRAM executes run under the loader */
	int no_cache;
	int exec_count; /* how many execs under the loader led here */
	int trap_rdtsc; /* rdtsc/rdtscp trap (hooks/tsc.c) */
	/* Whether execve(path) would run a file the loader can run (#!
	 * chains followed, the file checked as the kernel checks it): 0, or
	 * -errno; *privileges is set (to what the file is: "set-user-ID",
	 * ...) when the exec would change the credentials, so that it must
	 * run natively; *script_words is what a #! chain adds to the exec's
	 * strings (the interpreters and their arguments, NULs included).
	 * The loader's (loader/program.c), for following an exec. */
	int (*exec_check)(const char *path, const char **privileges, size_t *script_words);
	/* The words that give a followed exec this run's options (the
	 * loader spells them: loader/options.c's ldr_options_forward). */
	const char *forward[HOOK_FORWARD_MAX];
	int forward_count;
};

/* A syscall caught by the net rather than entered through a stub. */
struct hook_trap {
	uint64_t rip;          /* the address after the syscall instruction */
	void *uc;              /* the SIGSYS ucontext the net will return with */
	void *frame;           /* where the kernel put it (uc, or uc's original when
				* uc is a copy: hooks/sigsys.c) */
	const uint64_t *words; /* the net entry's, as hook_sigsys gets them */
};

struct hook_state {
	struct hook_options opt;
	const struct libos_module *module;
	volatile uint32_t net_generation; /* bumped when the net must be armed */
	volatile int net_armed;
	const char *net_reason; /* the first reason it was armed */
	/* Syscall User Dispatch refused (a seccomp filter that denies prctl,
	 * as container runtimes and browser sandboxes install): the first
	 * -errno, and in how many threads. A net that is not on is never
	 * reported as armed. */
	volatile int net_error;
	volatile uint32_t net_unarmed;
	int net_quiet; /* the caller reports the first failure (hook_init) */
	int pid;       /* this process (changes in a fork child) */
	int first_pid; /* the process the loader started */
	/* Process-wide counters; live threads also count in their TCB. */
	volatile uint64_t exited_syscalls;  /* syscalls of threads that have ended */
	volatile uint64_t trapped_syscalls; /* syscalls the net caught (any origin) */
	volatile uint64_t escapes;          /* caught from code the loader had patched */
	int tsc_mode;                       /* enum hook_tsc_mode (tsc.c) */
	/* Thread starts and ends the module was told of in this process. */
	volatile uint32_t threads_started, threads_exited;
};

extern struct hook_state hook_state;

/* The dispatcher, called by arch_syscall_entry through the TCB (and by
 * the net with trap set: hook_dispatch_slow). Returns an enum
 * arch_entry_action; the result is in f->rax. */
long hook_syscall(struct arch_frame *f, struct arch_tcb *a);
long hook_dispatch_slow(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
/* The loader handles syscall nr, one of the dispatcher's table that only
 * some runs need (brk, with a heap budget), itself from now on: before
 * the program's first instruction, while main_thread is the only thread. */
void hook_dispatch_take(long nr, struct tls_tcb *main_thread);
/* Set up the table's bitmap and the main thread's copies (hook_init). */
void hook_dispatch_init(struct tls_tcb *main_thread);

/* The module's view of one syscall (passthrough by default), and of the
 * syscall in f as the program made it. */
long hook_module_syscall(struct tls_tcb *t, long nr, long a1, long a2, long a3, long a4, long a5,
			 long a6);
long hook_module_frame(struct tls_tcb *t, const struct arch_frame *f);

/* Set up the main thread, the SIGSYS handler and the net before the
 * program's first instruction. Returns 0 or -errno. */
int hook_init(const struct hook_options *opt, struct tls_tcb *main_thread);

/* The safety net: arm it in every thread (reason is kept for the report),
 * and apply the current generation to thread t. Where the kernel refuses
 * it, one line on stderr (once per process) says so and the report says
 * why (hook_state.net_error). */
void hook_net_arm(const char *reason);
void hook_net_apply(struct tls_tcb *t);
/* Whether a SIGSYS's info is the loader's nudge to apply the net (net.c):
 * by its content, never by the thread's state, which the thread may have
 * changed itself (it applies the net at its next syscall too) before the
 * nudge arrives. */
int hook_net_nudge(const void *info);

/* The program's alternate signal stack and the kernel's copy
 * (altstack.c): SS_AUTODISARM added, or none while it is not writable.
 * check: [lo, hi) (0, 0: any) may have changed what the thread's
 * alternate stack is or whether it is writable. get: the program's
 * alternate stack. syscall: the program's sigaltstack(new_at, old_at)
 * at its %rsp app_sp; returns its result. rearm: give the kernel the
 * stack back if the program (at app_sp, in the entry whose slice top is
 * entry_sp, 0 for a trap) cannot be in a handler on it; returns 1 if
 * it did. */
void hook_altstack_check(struct tls_tcb *t, uintptr_t lo, uintptr_t hi);
struct sigaltstack;
int hook_altstack_get(struct tls_tcb *t, struct sigaltstack *ss);
void hook_altstack_reveal(struct tls_tcb *t);
long hook_altstack_syscall(struct tls_tcb *t, uint64_t new_at, uint64_t old_at, uintptr_t app_sp);
int hook_altstack_rearm(struct tls_tcb *t, uintptr_t app_sp, uintptr_t entry_sp);

/* A new thread's or child's first call on its own TCB (thread_entry.c);
 * never returns. */
__attribute__((noreturn)) void hook_child_start(struct arch_tcb *a);
/* First steps of a new thread or child on its own TCB (thread_entry.c). */
void hook_thread_started(struct tls_tcb *t, uint64_t clone_flags);
/* The fork child (no new TCB): it is a new process now. */
void hook_fork_child(struct tls_tcb *t);
/* Tell the module that thread t starts or ends (on t itself). */
void hook_thread_start_event(struct tls_tcb *t);
void hook_thread_exit_event(struct tls_tcb *t);

/* The syscall families the loader must handle itself. Each returns a
 * enum arch_entry_action action and leaves the result in f->rax. */
long hook_signal_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_clone_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_exit_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_memory_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_exec_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_procfs_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_brk_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
long hook_prctl_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
/* The program's seccomp(2) or prctl(PR_SET_SECCOMP) (seccomp.c): made
 * through the module, and what it puts in force kept to judge the
 * loader's own syscalls by (libc's seccomp_judge.h). Returns the result. */
long hook_seccomp_install(const struct arch_frame *f, struct tls_tcb *t);

/* The program's own Syscall User Dispatch (app_sud.c): its prctl (the
 * result); the test of a syscall of a thread that has it on, made from a
 * stub (trap NULL) or caught by the net, by the entry whose caller's
 * syscall_sp was outer_sp: it returns if the syscall runs, else never (the program's SIGSYS handler
 * runs, or the process dies as the kernel would kill it); reset: off, in a fork child; sigreturn:
 * the program's rt_sigreturn on its frame at app_sp, which may go back into a rewritten site. */
long hook_app_sud_prctl(const struct arch_frame *f, struct tls_tcb *t);
void hook_app_sud_check(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap,
			uintptr_t outer_sp);
void hook_app_sud_reset(struct tls_tcb *t);
void hook_app_sud_sigreturn(struct tls_tcb *t, uint64_t app_sp);

/* The program's own %gs (gs.c): handing it over for good (why: the
 * report's net reason), arch_prctl's ARCH_SET_GS and ARCH_GET_GS, the
 * net's entry when %gs may be the program's, and an rt_sigreturn about
 * to return to rip (which needs the TCB in %gs if it is the loader's). */
void hook_gs_take(const char *why);
long hook_gs_arch_prctl(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);
void hook_gs_enter(void);
void hook_gs_returning_to(struct tls_tcb *t, uint64_t rip);
/* The same for the program's rt_sigreturn on its frame at app_sp. */
void hook_gs_sigreturn(struct tls_tcb *t, uint64_t app_sp);

/* The SIGSYS handler body (sigsys_entry.S switches stacks first); words
 * is the entry's {E, handler %rsp}, as a stub's (frame.h). */
void hook_sigsys(void *info, void *uc, struct arch_tcb *a, const uint64_t *words);

/* An entry that found outer entries in progress (words: its {E, A} pair,
 * at E-0x10): the top of the outermost slice a signal handler abandoned
 * with siglongjmp, for the entry to move to; 0 to stay (reentry.c).
 * Called by the entry paths (syscall_entry.S, sigsys_entry.S) before
 * anything else uses the slice. */
uintptr_t hook_reentry_check(const uint64_t *words, struct arch_tcb *a);
/* The module is told of objects mapped and gone (map_events.c). kind is
 * an enum libos_object_kind; path names it if it has no path yet. */
struct patch_object;
void hook_object_mapped(struct patch_object *o, int kind, const char *path);
void hook_object_mapped_fd(uintptr_t addr, int fd);
void hook_objects_unmapped(uintptr_t lo, uintptr_t hi);

/* --trap-rdtsc (tsc.c): take SIGSEGV and make rdtsc fault; returns 0 or
 * -errno. hook_tsc_allow(1) lets the thread read the counter (before an
 * exec: the setting survives it), hook_tsc_allow(0) traps again. */
int hook_tsc_trap_start(void);
void hook_tsc_allow(int allow);
struct hook_siginfo;
struct arch_ucontext;
void hook_tsc_fault(const struct hook_siginfo *info, struct arch_ucontext *uc, struct tls_tcb *t,
		    const uint64_t *words);

/* Make the loader's handler (arch_sigsys_entry) sig's real action: the
 * net's SIGSYS, and SIGSEGV or SIGILL for --trap-rdtsc. 0 or -errno. */
int hook_take_signal(int sig);

/* At the end of a process: the report and the strict-mode verdict.
 * Returns the exit status to use for status. */
int hook_process_exit(int status);
/* Write the report (--report) now, if this process writes one; at an exec,
 * under a name of its own, since the new program reports for the same pid. */
void hook_report(int at_exec);

/* Copy to and from the program's memory; -EFAULT instead of a crash. */
int hook_copy_from(void *dst, uintptr_t src, unsigned long n);
int hook_copy_to(uintptr_t dst, const void *src, unsigned long n);
/* The NUL-terminated string at src: 0, -EFAULT or -ENAMETOOLONG. */
int hook_copy_string(char *dst, size_t size, uintptr_t src);

#endif
