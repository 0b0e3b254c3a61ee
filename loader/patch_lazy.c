// SPDX-License-Identifier: MIT
/*
 * Rewriting a syscall the net caught in code no object holds (generated
 * code): decode from the start of its mapping, and rewrite the site only
 * if that decoding lands exactly on the trapped instruction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "code_memory.h"
#include "context.h"
#include "decode.h"
#include "elf.h"
#include "hooks.h"
#include "patch.h"
#include "stub.h"

/* The mapping of /proc/self/maps that holds pc: bounds and whether it is
 * readable. Returns 0, or -ENOENT. */
static int mapping_of(uintptr_t pc, uintptr_t *lo, uintptr_t *hi, int *readable)
{
	char buf[8192];
	size_t have = 0;
	long fd = sys_open("/proc/self/maps", O_RDONLY), n;
	int found = -ENOENT;

	if (fd < 0)
		return (int)fd;
	while (found && (n = sys_read((int)fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += (size_t)n;
		buf[have] = '\0';
		char *line = buf, *nl;
		while (found && (nl = strchr(line, '\n'))) {
			char *end;
			uintptr_t a = strtoul(line, &end, 16), b = strtoul(end + 1, &end, 16);
			if (pc >= a && pc < b) {
				*lo = a;
				*hi = b;
				*readable = end[1] == 'r';
				found = 0;
			}
			line = nl + 1;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
	}
	sys_close((int)fd);
	return found;
}

int ldr_patch_lazy(uintptr_t pc)
{
	struct ldr_context ctx;
	struct arch_decoded d = {0};
	struct arch_window w;
	uintptr_t lo, hi, arena = 0;
	int readable, done = 0;
	uint64_t t0;

	if (hook_state.opt.mode == HOOK_MODE_SUD_ONLY)
		return 0;
	ldr_context_enter(&ctx);
	t0 = ldr_now_ns();
	/* Code nobody described: decode from the start of its mapping, and
	 * rewrite only if that decoding lands on the trapped instruction. */
	if (mapping_of(pc, &lo, &hi, &readable) < 0 || !readable)
		goto out;
	if (hi - lo > (1 << 20))
		lo = pc > lo + (1 << 20) ? pc - (1 << 20) : lo;
	if (hi > pc + 64)
		hi = pc + 64;
	ldr_context_foreign(&ctx);
	if (arch_decode((const uint8_t *)lo, lo, hi - lo, NULL, NULL, &d) < 0)
		goto out;
	for (size_t i = 0; i < d.count; i++) {
		if (d.insn[i].addr != pc || d.insn[i].cls != ARCH_INSN_SYSCALL)
			continue;
		if (arch_plan_window(&d, i, &w) != ARCH_OK)
			break;
		memcpy(w.bytes, (const void *)w.start, w.len);
		arena = ldr_arena_near(pc, pc, ARCH_STUB_MAX);
		uint8_t site[ARCH_WINDOW_MAX];
		if (arena && arch_stub_emit(&w, w.bytes, w.start, arena, (uint8_t *)arena) > 0 &&
		    arch_stub_site_bytes(&w, w.start, arena, site) == 0 &&
		    sys_mprotect((void *)arena, LDR_PAGE_SIZE, PROT_READ | PROT_EXEC) == 0 &&
		    ldr_write_live(w.start, site, w.len) == 0)
			done = 1;
		break;
	}
	if (!done && arena)
		sys_munmap((void *)arena, LDR_PAGE_SIZE);
out:
	arch_decoded_free(&d);
	hook_state.patch_ns += ldr_now_ns() - t0;
	ldr_context_leave(&ctx);
	return done;
}
