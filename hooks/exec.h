/* SPDX-License-Identifier: MIT */
/*
 * Following an exec (exec.c): the new program runs under a new loader,
 *     LOADER [the run's options] --exec=PATH [--exec-as=NAME]
 *            [--exec-close-fd=N] --exec-count=N -- ARGV...
 * or, where that is too long for the kernel, LOADER --exec-args=N.
 * The run's own options are the loader's to spell (hook_options.forward,
 * loader/options.c); the internal ones, which only exec.c writes and the
 * loader's parser reads, are spelled here, once.
 */
#ifndef HOOKS_EXEC_H
#define HOOKS_EXEC_H

#define HOOK_EXEC_OPT_PATH     "--exec"          /* =PATH: exactly this file, argv verbatim */
#define HOOK_EXEC_OPT_AS       "--exec-as"       /* =NAME: the name execve was given */
#define HOOK_EXEC_OPT_CLOSE_FD "--exec-close-fd" /* =N: the descriptor PATH names, to close */
#define HOOK_EXEC_OPT_COUNT    "--exec-count"    /* =N: the program's N-th exec */
/* Alone, instead of all of the above and the program's argv and envp,
 * where those would not fit with the loader's words (exec_args.c):
 * =N, a memfd that holds them. */
#define HOOK_EXEC_OPT_ARGS "--exec-args"

/* A program that must run natively, because executing it would change the
 * credentials (privileges says what it is: "set-user-ID", ...), given as
 * name: under --strict (strict) it is refused, with one line, -EACCES: it
 * could not be intercepted; else 0, and one line when a report was asked
 * for (report), since the program will write none. The one policy and
 * wording for PROGRAM on the command line (loader/run.c) and for an exec
 * followed (exec.c). */
int hook_exec_privileged(const char *name, const char *privileges, int strict, int report);

#endif
