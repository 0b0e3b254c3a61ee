// SPDX-License-Identifier: MIT
/*
 * libos-loader's main program: read the options, then either list the
 * syscall sites of a file or run a program.
 */
#include <libc.h>

#include "exec_args.h"
#include "list_sites.h"
#include "options.h"
#include "run.h"

int ldr_main(const struct libc_start_info *start)
{
	struct ldr_options opt;

	ldr_exec_args_take(start);
	ldr_options_parse(start->argc, start->argv, &opt);
	if (opt.list_sites)
		return ldr_list_sites(opt.list_sites);
	return ldr_run(start, &opt, start->argc - opt.program_index,
		       start->argv + opt.program_index);
}
