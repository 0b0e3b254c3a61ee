// SPDX-License-Identifier: MIT
/*
 * Giving every rewritten site its own bytes back, for good: once the
 * program owns %gs (hooks/gs.c), no stub can find the thread's TCB, so
 * none may run again. The net, armed in every thread before this is
 * called, catches each syscall where it stands; nothing is rewritten from
 * then on (patch_rewrites() is 0, as under --sud-only).
 *
 * A thread inside a stub now finishes it: stubs stay mapped, and the
 * bytes it returns to are original code either way. A thread at a
 * site's jmp sees the whole jmp or the whole original bytes
 * (patch_write_live), never a mix.
 */
#include "code_memory.h"
#include "context.h"
#include "objects.h"
#include "patch.h"

int patch_object_unrewrite(struct patch_object *o)
{
	int any = 0;

	for (size_t i = 0; i < o->sites.count; i++) {
		const struct patch_site *s = &o->sites.v[i];
		if (o->state[i] != PATCH_SITE_REWRITTEN)
			continue;
		patch_write_live(o->bias + s->window.start, s->window.bytes, s->window.len);
		patch_site_set(o, i, PATCH_SITE_REFUSED);
		any = 1;
	}
	return any;
}

static void unrewrite_jit(struct patch_jit_site *j, void *arg)
{
	(void)arg;
	if (j->rewritten) {
		patch_write_live(j->start, j->bytes, j->len);
		j->rewritten = 0;
	}
}

void patch_unrewrite_all(void)
{
	struct tls_context ctx;

	tls_context_enter(&ctx);
	patch_stop_rewriting();
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		if (o->analyzed && patch_object_mapped(o))
			patch_object_unrewrite(o);
	}
	patch_jit_for_each(unrewrite_jit, NULL);
	tls_context_leave(&ctx);
}
