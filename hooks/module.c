// SPDX-License-Identifier: MIT
/*
 * The module registry and the calls of its hooks.
 *
 * Builtin modules register themselves with LIBOS_BUILTIN_MODULE, which
 * puts a pointer in the section libos_builtin_modules; the linker brackets
 * it with __start_/__stop_ symbols. An external module (a path) is mapped
 * by hooks/module_load.c. A module built for another major contract
 * version, or whose structure is smaller than version 1's, is refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "hooks.h"
#include "module.h"

/* What the loader offers a module (defined below). */
static struct libos_loader loader_api;

extern const struct libos_module *const __start_libos_builtin_modules[];
extern const struct libos_module *const __stop_libos_builtin_modules[];

static const struct libos_module *module_builtin(const char *name)
{
	/* The linker's bounds of one section: one array to it. */
	for (const struct libos_module *const *m = __start_libos_builtin_modules;
	     // cppcheck-suppress comparePointers
	     m < __stop_libos_builtin_modules; m++)
		if (strcmp((*m)->name, name) == 0)
			return *m;
	return NULL;
}

static int acceptable(const struct libos_module *m, const char **why)
{
	static char version_why[96];

	if (m->version != LIBOS_CONTRACT_VERSION) {
		snprintf(version_why, sizeof(version_why),
			 "built for LibOS contract version %u, this loader implements %u",
			 m->version, (unsigned)LIBOS_CONTRACT_VERSION);
		*why = version_why;
		return -ENOEXEC;
	}
	if (m->size < offsetof(struct libos_module, fini) + sizeof(m->fini) || !m->syscall ||
	    !m->name) {
		*why = "not a complete struct libos_module (no name or no syscall hook)";
		return -ENOEXEC;
	}
	return 0;
}

int hook_module_select(const char *spec, const char *options, const char **why)
{
	const struct libos_module *m;
	int r;

	loader_api.options = options ? options : "";
	if (!spec) {
		hook_state.module = &hook_passthrough;
		return 0;
	}
	if (strchr(spec, '/')) {
		r = hook_module_load(spec, &m, why);
		if (r < 0)
			return r;
	} else if (!(m = module_builtin(spec))) {
		*why = "no builtin module of that name (a module file needs a '/' in its path)";
		return -ENOENT;
	}
	r = acceptable(m, why);
	if (r == 0)
		hook_state.module = m;
	return r;
}

static void module_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n = snprintf(line, sizeof(line), "libos-loader: %s: ", hook_state.module->name);

	if (n < 0 || n >= (int)sizeof(line) - 1)
		n = 0;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n += m < 0 ? 0 : m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	sys_write(2, line, (size_t)n);
}

static void *module_alloc(size_t size)
{
	return calloc(1, size);
}

static long module_copy_from(void *dst, uintptr_t src, size_t n)
{
	return hook_copy_from(dst, src, n);
}

static long module_copy_to(uintptr_t dst, const void *src, size_t n)
{
	return hook_copy_to(dst, src, n);
}

static long module_copy_string(char *dst, uintptr_t src, size_t size)
{
	return hook_copy_string(dst, size, src);
}

static struct libos_loader loader_api = {
	.version = LIBOS_CONTRACT_VERSION,
	.size = sizeof(struct libos_loader),
	.syscall = arch_app_syscall6,
	.log = module_log,
	.alloc = module_alloc,
	.free = free,
	.options = "",
	.copy_from = module_copy_from,
	.copy_to = module_copy_to,
	.copy_string = module_copy_string,
};

int hook_module_init(int argc, char **argv, char **envp, const uint64_t *auxv)
{
	const struct libos_module *m = hook_state.module;

	return m->init ? m->init(&loader_api, argc, argv, envp, auxv) : 0;
}

void hook_module_map_library(const struct libos_object *o)
{
	if (hook_state.module->map_library)
		hook_state.module->map_library(o);
}

void hook_module_unmap_library(const struct libos_object *o)
{
	if (hook_state.module->unmap_library)
		hook_state.module->unmap_library(o);
}

uint64_t hook_module_heap_size(void)
{
	return hook_state.module->heap_size ? hook_state.module->heap_size() : 0;
}

void hook_module_fini(int status)
{
	if (hook_state.module->fini)
		hook_state.module->fini(status);
}
