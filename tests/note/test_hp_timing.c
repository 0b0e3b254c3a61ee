// SPDX-License-Identifier: MIT
/*
 * patch_hp_timing_set (patch/hp_timing.c), on its own: an
 * object whose variable is mapped gets it written at once; one whose data
 * is not mapped yet (here: read-only, as under the dynamic linker's
 * reservation) gets it when a file mapping covering it appears, and
 * clearing works the same way. An object whose code went is never
 * written: its address may be someone else's now. Failures print
 * file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys.h>

#include "hp_timing.h"
#include "objects.h"

static int failures;

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			dprintf(2, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);             \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static int mapped_now;

int main(void)
{
	struct patch_object *now = calloc(1, sizeof(*now)), *later = calloc(1, sizeof(*later));
	struct patch_object *gone = calloc(1, sizeof(*gone));
	static int not_its;
	long page = sys_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int *late_var = (volatile int *)(page + 128);

	EXPECT(now && later && gone && !sys_is_err(page));
	now->analyzed = later->analyzed = gone->analyzed = 1;
	now->map_count = later->map_count = 1;         /* their code is mapped */
	gone->hp_timing_vaddr = (uintptr_t)&not_its;   /* bias 0, no mapping */
	now->hp_timing_vaddr = (uintptr_t)&mapped_now; /* bias 0 */
	later->bias = (uintptr_t)page;
	later->hp_timing_vaddr = 128;
	patch_objects_push(now);
	patch_objects_push(later);
	patch_objects_push(gone);

	EXPECT(patch_hp_timing_set(1) == 1);
	EXPECT(mapped_now == 1);
	EXPECT(*late_var == 0); /* not writable yet: nothing, and no crash */
	sys_mprotect((void *)page, 4096, PROT_READ | PROT_WRITE);
	patch_hp_timing_mapped((uintptr_t)page + 4096, 4096); /* not covering it */
	EXPECT(*late_var == 0);
	patch_hp_timing_mapped((uintptr_t)page, 4096);
	EXPECT(*late_var == 1);
	EXPECT(patch_hp_timing_set(0) == 2);
	EXPECT(mapped_now == 0 && *late_var == 0);
	patch_hp_timing_mapped((uintptr_t)&not_its & ~4095UL, 4096);
	EXPECT(not_its == 0);
	dprintf(1, "%s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
