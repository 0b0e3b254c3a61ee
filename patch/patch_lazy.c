// SPDX-License-Identifier: MIT
/*
 * Rewriting a syscall the net caught in code no object holds (generated
 * code): decode from the start of its mapping, and rewrite the site only
 * if that decoding lands exactly on the trapped instruction.
 *
 * Threads are running this code: the trapped one returns after the
 * syscall, others may stand anywhere. The window ends at the syscall and
 * only the jmp over its first instruction is written (arch_plan_window),
 * so every place a thread can resume holds the code it held before, and
 * the syscall itself, still in place, is caught by the net.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "code_memory.h"
#include "context.h"
#include "decode.h"
#include "elf.h"
#include "objects.h"
#include "patch.h"
#include "stub.h"

int patch_lazy(struct patch_jit_site *j)
{
	uintptr_t pc = j->pc;
	struct tls_context ctx;
	struct arch_decoded d = {0};
	struct arch_window w;
	struct libc_mapping m;
	uintptr_t lo, hi, arena = 0;
	int done = 0;
	uint64_t t0;

	if (!patch_rewrites())
		return 0;
	tls_context_enter(&ctx);
	t0 = libc_now_ns();
	if (!patch_rewrites()) /* %gs was handed over meanwhile (unrewrite.c) */
		goto out;
	/* Code nobody described: decode from the start of its mapping, and
	 * rewrite only if that decoding lands on the trapped instruction. */
	if (libc_mapping_at(pc, &m, NULL, 0) < 0 || !m.readable)
		goto out;
	lo = m.lo;
	hi = m.hi;
	if (hi - lo > (1 << 20))
		lo = pc > lo + (1 << 20) ? pc - (1 << 20) : lo;
	if (hi > pc + 64)
		hi = pc + 64;
	tls_context_foreign(&ctx);
	if (arch_decode((const uint8_t *)lo, lo, hi - lo, NULL, NULL, &d) < 0)
		goto out;
	for (size_t i = 0; i < d.count; i++) {
		if (d.insn[i].addr != pc || d.insn[i].cls != ARCH_INSN_SYSCALL)
			continue;
		if (arch_plan_window(&d, i, &w) != ARCH_OK)
			break;
		memcpy(w.bytes, (const void *)w.start, w.len);
		arena = patch_arena_near(pc, pc, ARCH_STUB_MAX);
		uint8_t site[ARCH_WINDOW_MAX];
		if (arena && arch_stub_emit(&w, w.bytes, w.start, arena, (uint8_t *)arena) > 0 &&
		    arch_stub_site_bytes(&w, w.start, arena, site) == 0 &&
		    sys_mprotect((void *)arena, PAGE_SIZE, PROT_READ | PROT_EXEC) == 0 &&
		    patch_write_live(w.start, site, ARCH_JMP_SIZE) == 0) {
			/* What undoing it takes when its stub page goes: only
			 * the jmp was written. */
			j->start = w.start;
			j->len = ARCH_JMP_SIZE;
			memcpy(j->bytes, w.bytes, ARCH_JMP_SIZE);
			j->arena = arena;
			done = 1;
		}
		break;
	}
	if (!done && arena)
		patch_arena_free(arena, PAGE_SIZE);
out:
	arch_decoded_free(&d);
	patch_add_time(libc_now_ns() - t0);
	tls_context_leave(&ctx);
	return done;
}
