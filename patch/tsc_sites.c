// SPDX-License-Identifier: MIT
/*
 * rdtsc and rdtscp rewritten into traps.
 *
 * Some hypervisors run rdtsc without ever faulting, whatever PR_SET_TSC
 * says. There, --trap-rdtsc finds each rdtsc (0f 31) and rdtscp
 * (0f 01 f9) of an object's code as the site finder finds syscalls: a
 * byte scan, then Capstone over the function around each hit, so that
 * only a real instruction boundary counts. Each becomes ud2 (0f 0b, and a
 * nop for rdtscp's third byte): the same length, so nothing moves, no
 * stub is needed and nothing is written near the program's stack. Its
 * SIGILL comes to the loader, which looks the address up here and
 * answers as for the PR_SET_TSC fault. Code generated at run time is not
 * covered (it is not scanned).
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "code_index.h"
#include "code_memory.h"
#include "context.h"
#include "decode.h"
#include "elf_view.h"
#include "tsc_sites.h"

#define TSC_SITES_MAX 4096

/* Appended under the loader's lock, read by any thread's SIGILL: a fixed
 * array, published by count. An entry whose code went is freed (pc 0)
 * and reused: the next code at that address is not this rdtsc. */
static struct {
	uintptr_t pc;
	uint8_t len;
} sites[TSC_SITES_MAX];
static unsigned count;

int patch_tsc_site_at(uintptr_t pc)
{
	unsigned n = __atomic_load_n(&count, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; pc && i < n; i++)
		if (sites[i].pc == pc)
			return sites[i].len;
	return 0;
}

void patch_tsc_sites_unmapped(uintptr_t lo, uintptr_t hi)
{
	unsigned n = __atomic_load_n(&count, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < n; i++)
		if (sites[i].pc >= lo && sites[i].pc < hi)
			__atomic_store_n(&sites[i].pc, 0, __ATOMIC_RELEASE);
}

/* Whether an instruction of the function around pc starts at pc with
 * length len (then it is the rdtsc/rdtscp those bytes spell). */
static int is_instruction(const struct elf_code_index *ix, const struct elf_code_range *range,
			  uint64_t pc, int len)
{
	uint64_t lo, hi;
	struct arch_decoded d;
	int found = 0;

	elf_code_bounds(ix, range, pc, &lo, &hi);
	const uint8_t *code = elf_view_at(ix->view, lo, hi - lo);
	if (!code || arch_decode(code, lo, hi - lo, elf_view_read, ix->view, &d) < 0)
		return 0;
	/* The bounds may be a wrong FDE's: an instruction that code entered
	 * elsewhere does not see (SPLIT) is not one to rewrite. */
	if (arch_mark_entries(&d, code, elf_entry_points_next, &ix->entries) < 0) {
		arch_decoded_free(&d);
		return 0;
	}
	for (size_t i = 0; i < d.count && !found; i++)
		found = d.insn[i].addr == pc && d.insn[i].len == len &&
			!(d.insn[i].flags & ARCH_INSN_SPLIT);
	arch_decoded_free(&d);
	return found;
}

static void rewrite(uintptr_t at, int len)
{
	static const uint8_t ud2[3] = {0x0f, 0x0b, 0x90};
	unsigned n = count, i = 0;

	if (patch_tsc_site_at(at))
		return;
	while (i < n && sites[i].pc)
		i++;
	if (i == TSC_SITES_MAX)
		return;
	sites[i].len = (uint8_t)len;
	__atomic_store_n(&sites[i].pc, at, __ATOMIC_RELEASE);
	if (i == n)
		__atomic_store_n(&count, n + 1, __ATOMIC_RELEASE); /* known before it can trap */
	patch_write_live(at, ud2, (size_t)len);
}

void patch_tsc_sites(int fd, uintptr_t addr, size_t len, uint64_t off)
{
	struct tls_context ctx;
	struct elf_view v;
	struct elf_code_index ix;
	const char *why = NULL;

	tls_context_enter(&ctx);
	tls_context_foreign(&ctx); /* Capstone */
	if (elf_view_open_fd(&v, fd, &why) < 0)
		goto out;
	if (elf_code_index_open(&ix, &v) < 0) {
		elf_view_close(&v);
		goto out;
	}
	for (int s = 0; s < v.eh->e_phnum; s++) {
		const Elf64_Phdr *p = &v.ph[s];
		if (!elf_is_load(p) || !(p->p_flags & PF_X) || off < PAGE_DOWN(p->p_offset) ||
		    off >= p->p_offset + p->p_filesz)
			continue;
		uintptr_t bias = addr - off + PAGE_DOWN(p->p_offset) - PAGE_DOWN(p->p_vaddr);
		for (size_t i = 0; i < ix.range_count; i++) {
			const struct elf_code_range *r = &ix.ranges[i];
			const uint8_t *code = elf_view_at(&v, r->lo, r->hi - r->lo);
			const uint8_t *end = code ? code + (r->hi - r->lo) : NULL;
			for (const uint8_t *q = code; q && q + 1 < end; q++) {
				q = memchr(q, 0x0f, (size_t)(end - q - 1));
				if (!q)
					break;
				int rdtscp, n = arch_tsc_instruction(q, (size_t)(end - q), &rdtscp);
				uint64_t pc = r->lo + (uint64_t)(q - code);
				if (n && bias + pc >= addr &&
				    bias + pc + (uint64_t)n <= addr + len &&
				    is_instruction(&ix, r, pc, n))
					rewrite(bias + pc, n);
			}
		}
	}
	elf_code_index_free(&ix);
	elf_view_close(&v);
out:
	tls_context_leave(&ctx);
}
