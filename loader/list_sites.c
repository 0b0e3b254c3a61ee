// SPDX-License-Identifier: MIT
/*
 * --list-sites: what the syscall site finder sees in one file, for people
 * and for tests. Each line is a site's link-time address and the function
 * symbol containing it (where the file has one); the last line is the
 * total, how much code was disassembled to find them, and how long it took.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "code_index.h"
#include "elf_view.h"
#include "error.h"
#include "list_sites.h"
#include "site_find.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ldr_list_sites(const char *path)
{
	struct ldr_view view;
	struct ldr_code_index ix;
	struct arch_sites sites = {0};
	const char *why = NULL;
	char name[256];
	uint64_t t0 = now_ns();
	int r;

	arch_relocate_lazy();
	r = ldr_view_open(&view, path, &why);
	if (r < 0) {
		char reason[256];
		ldr_die(r == -ENOENT ? LDR_EXIT_NOT_FOUND : LDR_EXIT_CANNOT, "%s: %s", path,
			ldr_describe(reason, sizeof(reason), r, why));
	}
	r = ldr_code_index_open(&ix, &view);
	if (r == 0)
		r = arch_find_sites(&ix, &sites);
	if (r < 0)
		ldr_die(LDR_EXIT_CANNOT, "%s: cannot find syscall sites: %s", path, strerror(r));
	uint64_t elapsed = now_ns() - t0;

	size_t refused = 0;
	for (size_t i = 0; i < sites.count; i++) {
		const struct arch_site *s = &sites.v[i];
		dprintf(1, "0x%016lx %s", (unsigned long)s->vaddr,
			ldr_code_symbolize(&ix, s->vaddr, name, sizeof(name)));
		if (s->refusal == ARCH_OK)
			dprintf(1, " window %+d..%+d\n", (int)(s->window.start - s->vaddr),
				(int)(s->window.start + s->window.len - s->vaddr));
		else
			dprintf(1, " refused: %s\n", arch_refusal_text(s->refusal));
		refused += s->refusal != ARCH_OK;
	}
	dprintf(1, "%zu syscall sites in %s, %zu refused (%zu candidates, %zu regions, %lu bytes "
		   "disassembled, %lu.%03lu ms)\n",
		sites.count, path, refused, sites.candidates, sites.regions,
		(unsigned long)sites.bytes,
		(unsigned long)(elapsed / 1000000), (unsigned long)(elapsed / 1000 % 1000));
	arch_sites_free(&sites);
	ldr_code_index_free(&ix);
	ldr_view_close(&view);
	return 0;
}
