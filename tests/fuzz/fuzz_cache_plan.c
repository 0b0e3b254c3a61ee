// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the patch cache's plan validation (patch/cache.c,
 * plan_read): the bytes are a .plan file for one small object (the
 * corpus's tiny-exec, read once into memory). Before each check the
 * harness writes the object's identity into the plan and reseals its
 * checksum, as tests/faults/cache/cachelib.py does, so that mutations get
 * past both to the fields behind them. A plan it accepts has every
 * rewritable window one the planner could have made, over the object's
 * own bytes, inside its code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../patch/cache.c"

static uint8_t *object;
static size_t object_size;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fopen(FUZZ_PLAN_OBJECT, "rb");

	(void)argc, (void)argv;
	if (!f || !(object = malloc(1 << 16)))
		abort();
	object_size = fread(object, 1, 1 << 16, f);
	fclose(f);
	return 0;
}

static void check_accepted(const struct patch_object *o)
{
	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		if (s->refusal != ARCH_OK)
			continue;
		int64_t fo = patch_file_offset(o, s->window.start);
		if (arch_window_check(&s->window) < 0 || fo < 0 ||
		    (uint64_t)fo + s->window.len > object_size ||
		    memcmp(object + fo, s->window.bytes, s->window.len) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct patch_cache_source src = {-1, NULL, object, object_size};
	const size_t body = offsetof(struct plan_header, id);
	struct patch_identity id = identity(&src);
	struct patch_object o = {0};
	uint8_t *plan;

	if (size < sizeof(struct plan_header) || !(plan = aligned_alloc(16, (size + 15) & ~15ul)))
		return 0;
	memcpy(plan, data, size);
	memcpy(plan + offsetof(struct plan_header, id), &id, sizeof(id));
	uint64_t sum = libc_hash64(plan + body, size - body, 0);
	memcpy(plan + offsetof(struct plan_header, checksum), &sum, sizeof(sum));
	if (plan_read(plan, size, &o, &src) == 0) {
		check_accepted(&o);
		free(o.state);
		free(o.stub_off);
	}
	free(plan);
	return 0;
}
