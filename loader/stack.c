// SPDX-License-Identifier: MIT
/*
 * Building the program's initial stack (the kernel's create_elf_tables()).
 *
 *   higher   kernel's strings, AT_RANDOM bytes, platform strings (kept)
 *            kernel's argc/argv/envp/auxv for the loader (now dead)
 *   top ->   strings that were not on the stack yet (execfn, #! words)
 *            padding to 16 bytes
 *            auxv pairs ... AT_NULL
 *            envp ... NULL
 *            argv ... NULL
 *   sp ->    argc
 *
 * The image is composed in the heap with the final addresses already in
 * its pointers; arch_enter_program copies it into place at the very end,
 * because the loader's own frames are still where it goes.
 */
#include <errno.h>
#include <linux/auxvec.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "stack.h"

/* The auxv entries that describe the program rather than the loader. */
static const unsigned long program_keys[] = {AT_PHDR,  AT_PHENT, AT_PHNUM,
					     AT_ENTRY, AT_BASE,  AT_EXECFN};
#define KEY_COUNT (sizeof(program_keys) / sizeof(program_keys[0]))

static int in_kernel_strings(const struct libc_start_info *k, const char *s)
{
	uintptr_t p = (uintptr_t)s;

	return p > (uintptr_t)k->kernel_sp && p < k->strings_end;
}

/* Whether the program's argv is the tail of the loader's own, word for
 * word, as on a plain command line: its strings then stay where the
 * kernel put them, one span followed by the environment's, as natively.
 * Otherwise (a #! chain's words, --argv0) a span of the loader's words
 * would show in /proc/PID/cmdline, so argv and envp are copied, argv's
 * strings followed by envp's as the kernel lays them out. */
static int argv_is_kernel_tail(const struct libc_start_info *k, int argc, char *const *argv)
{
	if (argc > k->argc)
		return 0;
	for (int i = 0; i < argc; i++)
		if (argv[i] != k->argv[k->argc - argc + i])
			return 0;
	return 1;
}

/* The n pointers of v, then a NULL, at w: a string the kernel put on the
 * stack stays where it is (unless copy_all), another is copied at *str
 * (which advances).
 * [*lo, *hi) is where the copies are when all of v was copied, else 0. */
static uint64_t *place_strings(const struct libc_start_info *k, char *const *v, size_t n,
			       int copy_all, uint64_t *w, char **str, const unsigned char *img,
			       uintptr_t sp, uintptr_t *lo, uintptr_t *hi)
{
	size_t copied = 0;
	uintptr_t first = sp + (uintptr_t)((const unsigned char *)*str - img);

	for (size_t i = 0; i < n; i++) {
		if (!copy_all && in_kernel_strings(k, v[i])) {
			*w++ = (uint64_t)(uintptr_t)v[i];
			continue;
		}
		size_t len = strlen(v[i]) + 1;
		memcpy(*str, v[i], len);
		*w++ = (uint64_t)(sp + (uintptr_t)((const unsigned char *)*str - img));
		*str += len;
		copied++;
	}
	*w++ = 0;
	*lo = *hi = 0;
	if (n && copied == n) {
		*lo = first;
		*hi = sp + (uintptr_t)((const unsigned char *)*str - img);
	}
	return w;
}

int ldr_stack_build(const struct ldr_stack_args *a, struct ldr_stack_image *out)
{
	const struct libc_start_info *k = a->kernel;
	uint64_t values[KEY_COUNT] = {a->phdr, sizeof(Elf64_Phdr), a->phnum, a->entry, a->base, 0};
	int present[KEY_COUNT] = {0};
	size_t envc = 0, auxc = 0, extra = 0, strings = strlen(a->execfn) + 1;
	uintptr_t top = (uintptr_t)k->kernel_sp & ~(uintptr_t)15;

	int copy_all = !argv_is_kernel_tail(k, a->argc, a->argv);

	for (int i = 0; i < a->argc; i++)
		if (copy_all || !in_kernel_strings(k, a->argv[i]))
			strings += strlen(a->argv[i]) + 1;
	for (; k->envp[envc]; envc++)
		if (copy_all || !in_kernel_strings(k, k->envp[envc]))
			strings += strlen(k->envp[envc]) + 1;
	for (const uint64_t *v = k->auxv; v[0] != AT_NULL; v += 2) {
		auxc++;
		for (size_t j = 0; j < KEY_COUNT; j++)
			if (v[0] == program_keys[j])
				present[j] = 1;
	}
	for (size_t j = 0; j < KEY_COUNT; j++)
		extra += !present[j];

	size_t words = 1 + (size_t)a->argc + 1 + envc + 1 + 2 * (auxc + extra + 1);
	uintptr_t strings_at = top - strings;
	uintptr_t sp = (strings_at - words * 8) & ~(uintptr_t)15;
	size_t size = top - sp;
	unsigned char *img = calloc(1, size);
	if (!img)
		return -ENOMEM;

	/* Copy the new strings; each pointer is its final address. */
	char *str = (char *)img + (strings_at - sp);
#define FINAL(p) ((uint64_t)(sp + (uintptr_t)((unsigned char *)(p)-img)))
	size_t n = strlen(a->execfn) + 1;
	memcpy(str, a->execfn, n);
	values[KEY_COUNT - 1] = FINAL(str);
	str += n;

	uint64_t *w = (uint64_t *)(void *)img;
	*w++ = (uint64_t)a->argc;
	w = place_strings(k, a->argv, (size_t)a->argc, copy_all, w, &str, img, sp, &out->arg_start,
			  &out->arg_end);
	w = place_strings(k, k->envp, envc, copy_all, w, &str, img, sp, &out->env_start,
			  &out->env_end);
	for (const uint64_t *v = k->auxv; v[0] != AT_NULL; v += 2) {
		uint64_t value = v[1];
		for (size_t j = 0; j < KEY_COUNT; j++)
			if (v[0] == program_keys[j])
				value = values[j];
		*w++ = v[0];
		*w++ = value;
	}
	for (size_t j = 0; j < KEY_COUNT; j++) {
		if (!present[j]) {
			*w++ = program_keys[j];
			*w++ = values[j];
		}
	}
	*w++ = AT_NULL;
	*w++ = 0;
#undef FINAL

	out->image = img;
	out->size = size;
	out->sp = sp;
	return 0;
}
