// SPDX-License-Identifier: MIT
/*
 * --list-sites: what the syscall site finder sees in one file, for people
 * and for tests. Each line is a site's link-time address and the function
 * symbol containing it (where the file has one); the last line is the
 * total, how much code was disassembled to find them, and how long it took.
 *
 * A file with a LibOS site list (docs/contract.md) is shown as the loader
 * plans it: listed sites and interposed hooks tagged `listed` and `hook`,
 * refused entries reported on stderr, one line, before the total, that
 * sums the list up.
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
#include "noted.h"
#include "objects.h"
#include "site_find.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ldr_list_sites(const char *path)
{
	struct elf_view view;
	struct elf_code_index ix;
	struct patch_sites sites = {0};
	const char *why = NULL;
	char name[256];
	uint64_t t0 = now_ns();
	int r;

	arch_relocate_lazy();
	r = elf_view_open(&view, path, &why);
	if (r < 0) {
		char reason[256];
		ldr_die(r == -ENOENT ? LDR_EXIT_NOT_FOUND : LDR_EXIT_CANNOT, "%s: %s", path,
			ldr_describe(reason, sizeof(reason), r, why));
	}
	struct patch_object noted = {0};
	patch_object_set_segments(&noted, view.ph, view.eh->e_phnum);
	int has_list = patch_noted_analyse(&noted, &view, path);
	r = has_list < 0 ? has_list : elf_code_index_open(&ix, &view);
	if (r == 0 && has_list)
		sites = noted.sites;
	else if (r == 0)
		r = patch_find_sites(&ix, &sites);
	if (r < 0)
		ldr_die(LDR_EXIT_CANNOT, "%s: cannot find syscall sites: %s", path, strerror(r));
	uint64_t elapsed = now_ns() - t0;

	static const char *const tier[] = {"", " listed", " hook"};
	size_t refused = 0, by_tier[3] = {0};
	for (size_t i = 0; i < sites.count; i++) {
		const struct patch_site *s = &sites.v[i];
		unsigned t = s->origin < 3 ? s->origin : 0;
		dprintf(1, "0x%016lx %s", (unsigned long)s->vaddr,
			elf_code_symbolize(&ix, s->vaddr, name, sizeof(name)));
		if (s->refusal == ARCH_OK)
			dprintf(1, " window %+d..%+d%s\n", (int)(s->window.start - s->vaddr),
				(int)(s->window.start + s->window.len - s->vaddr), tier[t]);
		else
			dprintf(1, " refused: %s\n", arch_refusal_text(s->refusal));
		refused += s->refusal != ARCH_OK;
		by_tier[t]++;
	}
	if (has_list)
		dprintf(1,
			"LibOS site list: %zu sites listed, %zu hooks, %d entries refused, "
			"%zu sites disassembled\n",
			by_tier[PATCH_ORIGIN_LISTED], by_tier[PATCH_ORIGIN_HOOK],
			noted.note_refused, by_tier[PATCH_ORIGIN_FOUND]);
	dprintf(1,
		"%zu syscall sites in %s, %zu refused (%zu candidates, %zu regions, %lu bytes "
		"disassembled, %lu.%03lu ms)\n",
		sites.count, path, refused, sites.candidates, sites.regions,
		(unsigned long)sites.bytes, (unsigned long)(elapsed / 1000000),
		(unsigned long)(elapsed / 1000 % 1000));
	patch_sites_free(&sites);
	elf_code_index_free(&ix);
	elf_view_close(&view);
	return 0;
}
