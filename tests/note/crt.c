// SPDX-License-Identifier: MIT
/*
 * The bridge from the project's libc (whose start-up calls ldr_main) to an
 * ordinary main(), for the test programs built on its LibOS-ready variant.
 */
#include <libc.h>

int main(int argc, char **argv, char **envp);

int ldr_main(const struct libc_start_info *start)
{
	return main(start->argc, start->argv, start->envp);
}

/* Start-up relocation (self_reloc.c) leaves the loader's Capstone tables,
 * its `capstone_lazy` section, for later; a test program has none, but the
 * section's bounds must exist. */
__attribute__((section("capstone_lazy"), used)) static const char no_capstone_tables[8];
