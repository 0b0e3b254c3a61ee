// SPDX-License-Identifier: MIT
/*
 * The start by the kernel's binfmt_misc, as the interpreter of a marked
 * binary (binfmt.c registers it so, with the flags POCF). load_misc_binary
 * then runs `LOADER PATH ARGV0 ARGS...`: argv[0] the registered
 * interpreter, argv[1] the binary's path as the exec named it, then the
 * exec's own argv with its argv[0] (P, which the kernel tells the
 * interpreter with AT_FLAGS_PRESERVE_ARGV0; without P that word is gone
 * and PATH stands in for it, as every binfmt interpreter does). With O the
 * kernel opened the binary for exec and passes that descriptor as
 * AT_EXECFD, so an execute-only file can still be read; with C it also
 * took the credentials from the binary (AT_SECURE when they changed).
 * There is no command line of the loader's in any of it: the settings are
 * the environment's only, and none under AT_SECURE (options.c).
 *
 * The run is then a followed exec's (an exact path, argv verbatim) whose
 * file is that descriptor: AT_EXECFN and comm are the kernel's AT_EXECFN
 * (the name the exec was given, a #! script's when one named the binary),
 * and the descriptor is closed before the program's first instruction,
 * since natively it never exists.
 */
#include <libc.h>
#include <linux/auxvec.h>
#include <linux/binfmts.h>
#include <stdint.h>

#include "binfmt_start.h"
#include "error.h"

/* The value of key in the loader's own auxv, or -1 when it is absent
 * (AT_EXECFD may be 0 when the exec had no stdin). */
static long auxv_value(uint64_t key)
{
	return (long)libc_getauxval(key, (uint64_t)-1);
}

int ldr_binfmt_start(const struct libc_start_info *start, struct ldr_options *opt, int *argc,
		     char ***argv)
{
	long fd = auxv_value(AT_EXECFD);
	long flags = auxv_value(AT_FLAGS);
	long execfn = auxv_value(AT_EXECFN);
	int skip;

	if (fd < 0)
		return 0;
	if (fd > 0x7fffffffL || start->argc < 2)
		ldr_die(LDR_EXIT_CANNOT, "started with AT_EXECFD but not as binfmt_misc's "
					 "interpreter (no program path in argv[1])");
	ldr_options_environment(opt);
	opt->exec_path = start->argv[1];
	opt->exec_as = execfn > 0 ? (const char *)execfn : start->argv[1];
	opt->binfmt_fd = (int)fd;
	/* Without P the kernel dropped the exec's argv[0]: PATH is next. */
	skip = flags > 0 && (flags & AT_FLAGS_PRESERVE_ARGV0) ? 2 : 1;
	*argc = start->argc - skip;
	*argv = start->argv + skip;
	return 1;
}
