// SPDX-License-Identifier: MIT
/*
 * libos-loader's main program: read the options, then either list the
 * syscall sites of a file or run a program; or, started by binfmt_misc,
 * run the binary it names (binfmt_start.c).
 */
#include <libc.h>

#include "binfmt.h"
#include "binfmt_start.h"
#include "exec_args.h"
#include "list_sites.h"
#include "mark.h"
#include "options.h"
#include "path.h"
#include "run.h"

int ldr_main(const struct libc_start_info *start)
{
	struct ldr_options opt;
	int argc;
	char **argv;

	ldr_exec_args_take(start);
	if (ldr_binfmt_start(start, &opt, &argc, &argv))
		return ldr_run(start, &opt, argc, argv);
	ldr_options_parse(start->argc, start->argv, &opt);
	if (opt.list_sites)
		return ldr_list_sites(opt.list_sites);
	if (opt.mark || opt.unmark)
		return ldr_mark(opt.mark ? opt.mark : opt.unmark, opt.mark != NULL);
	if (opt.binfmt)
		return ldr_binfmt(opt.binfmt, opt.binfmt_name ? opt.binfmt_name : LDR_BINFMT_NAME,
				  ldr_link_target("/proc/self/exe"));
	return ldr_run(start, &opt, start->argc - opt.program_index,
		       start->argv + opt.program_index);
}
