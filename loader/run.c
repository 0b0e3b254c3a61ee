// SPDX-License-Identifier: MIT
/*
 * The life of a run, in order: resolve the program (program.c), map it and
 * its ELF interpreter (map.c) where the kernel would, set up interception
 * (the main thread's TCB in %gs, the SIGSYS handler, the net in strict
 * modes: hooks/) and patch the program, ld.so and the vDSO (patch.c),
 * close every file the loader opened, build the initial stack (stack.c),
 * give the process the program's name, command line and auxv (identity.c)
 * and jump (arch_enter_program).
 */
#include <errno.h>
#include <libc.h>
#include <linux/auxvec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <sys.h>
#include <thread_pointer.h>

#include "arch.h"
#include "cache.h"
#include "debugger.h"
#include "exe_link.h"
#include "exec.h"
#include "context.h"
#include "heap.h"
#include "hooks.h"
#include "hp_timing.h"
#include "identity.h"
#include "map.h"
#include "module.h"
#include "objects.h"
#include "patch.h"
#include "path.h"
#include "self_path.h"
#include "place.h"
#include "privileges.h"
#include "procfs.h"
#include "program.h"
#include "run.h"
#include "stack.h"
#include "tsc_sites.h"

/* Room for stubs below each image the loader maps (libc's 526 stubs take
 * 48 KiB; a big static program's a few times that). */
#define STUB_ROOM (1UL << 20)

/* Why a file of the program cannot be opened again (ldr_program_file). */
static const char *reopen_failure(int r)
{
	return r == -ESTALE ? "it was replaced or changed while it was being loaded" : strerror(r);
}

/* Map one file of the program, holding its descriptor only meanwhile. */
static int map_file(struct ldr_program *prog, struct elf_file *e, uintptr_t base,
		    struct elf_mapped *m, const char **why)
{
	int r = ldr_program_file(prog, e);

	if (r < 0) {
		*why = reopen_failure(r);
		return r;
	}
	r = elf_map(e, base, STUB_ROOM, m, why);
	if (r == -EEXIST && base)
		r = elf_map(e, 0, STUB_ROOM, m, why);
	ldr_program_file_done(e);
	return r;
}

static int map_program(struct ldr_program *prog, struct elf_mapped *exe, struct elf_mapped *interp,
		       struct ldr_error *err)
{
	const struct elf_layout *l = &prog->exe.layout;
	const char *why = "";
	uintptr_t base = 0;
	int r;

	/* binfmt_elf puts a PIE with an interpreter at ELF_ET_DYN_BASE and a
	 * static PIE (a "loader" to it) anywhere in the mmap area. */
	if (prog->exe.ehdr.e_type == ET_DYN && prog->has_interp)
		base = ldr_program_base(l->hi - l->lo, l->align);
	r = map_file(prog, &prog->exe, base, exe, &why);
	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot map %s: %s (%s)", prog->filename,
			      prog->exe_path, why, strerror(r));
		return r;
	}
	if (!prog->has_interp)
		return 0;
	r = map_file(prog, &prog->interp, 0, interp, &why);
	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot map ELF interpreter %s: %s (%s)",
			      prog->filename, prog->exe.interp, why, strerror(r));
		return r;
	}
	return 0;
}

/* binfmt_elf honours PT_GNU_STACK's PF_X by making the stack executable. */
static int make_stack_executable(const struct libc_start_info *start)
{
	uintptr_t lo = PAGE_DOWN((uintptr_t)start->kernel_sp);
	uintptr_t hi = PAGE_UP(start->strings_end);

	return (int)sys_mprotect((void *)lo, hi - lo,
				 PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
}

/* Patch the executable segments of an image the loader mapped, from its
 * file opened again for the time it takes. */
static int patch_image(struct ldr_program *prog, struct elf_file *e, const struct elf_mapped *m,
		       struct ldr_error *err)
{
	int r = ldr_program_file(prog, e);

	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot patch %s: %s", prog->filename,
			      e == &prog->exe ? prog->exe_path : prog->exe.interp,
			      reopen_failure(r));
		return r;
	}
	for (int i = 0; i < e->ehdr.e_phnum; i++) {
		const Elf64_Phdr *p = &e->phdrs[i];
		if (!elf_is_load(p) || !(p->p_flags & PF_X) || p->p_filesz == 0)
			continue;
		uintptr_t lo = m->bias + PAGE_DOWN(p->p_vaddr);
		uintptr_t hi = m->bias + PAGE_UP(p->p_vaddr + p->p_filesz);
		patch_file_mapping(lo, hi - lo, elf_prot_of(p->p_flags), e->fd,
				   PAGE_DOWN(p->p_offset), 0);
		if (hook_state.tsc_mode == HOOK_TSC_REWRITE)
			patch_tsc_sites(e->fd, lo, hi - lo, PAGE_DOWN(p->p_offset));
	}
	ldr_program_file_done(e);
	return 0;
}

/* The word where the stack image's auxv starts; *envc (if asked) is the
 * number of envp entries before it. */
static uint64_t image_auxv(const struct ldr_stack_image *img, uint64_t *envc)
{
	const uint64_t *w = img->image;
	uint64_t n = img->size / 8, envp = 1 + w[0] + 1, count = 0;

	while (envp + count < n && w[envp + count])
		count++;
	if (envc)
		*envc = count;
	return envp + count + 1;
}

/* Under --trap-rdtsc the vDSO's clock functions would read the TSC, each
 * time through a fault: the program is not told of it (AT_SYSINFO_EHDR
 * becomes AT_IGNORE), so libc makes clock syscalls instead. */
static void hide_vdso(const struct ldr_stack_image *img)
{
	uint64_t *w = img->image, n = img->size / 8;

	for (uint64_t i = image_auxv(img, NULL); i + 1 < n && w[i] != AT_NULL; i += 2)
		if (w[i] == AT_SYSINFO_EHDR)
			w[i] = AT_IGNORE;
}

/* The name of the file at path (a /proc/self/fd link's target), without
 * the " (deleted)" the kernel adds for a file no path names: malloc'ed,
 * or NULL. */
static const char *file_name(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	char *name = base ? strdup(base + 1) : NULL;
	size_t n = name ? strlen(name) : 0;

	if (n > 10 && strcmp(name + n - 10, " (deleted)") == 0)
		name[n - 10] = '\0';
	return name;
}

/* Whether path is a #! script's, which its interpreter opens by name. */
static int names_script(const struct ldr_program *prog, const char *path)
{
	for (int i = 0; prog->argv && i < prog->argc; i++)
		if (strcmp(prog->argv[i], path) == 0 && i > 0)
			return 1;
	return 0;
}

/* Tell the module of an object the loader mapped itself. */
static void announce(uintptr_t bias, int kind, const char *path)
{
	for (struct patch_object *o = patch_objects(); o; o = o->next)
		if (o->bias == bias && o->map_count)
			hook_object_mapped(o, kind, path);
}

/* What placing the program's brk needs (ldr_brk_start), kept before the
 * program headers are freed: its highest segment's end, as
 * load_elf_binary's elf_brk, and whether it is a static PIE. */
struct heap_place {
	uintptr_t bss_end;
	int loader_like;
};

static void heap_place(const struct ldr_program *prog, const struct elf_mapped *exe,
		       struct heap_place *place)
{
	place->bss_end = 0;
	for (int i = 0; i < prog->exe.ehdr.e_phnum; i++) {
		const Elf64_Phdr *p = &prog->exe.phdrs[i];
		if (p->p_type == PT_LOAD && exe->bias + p->p_vaddr + p->p_memsz > place->bss_end)
			place->bss_end = exe->bias + p->p_vaddr + p->p_memsz;
	}
	place->loader_like = prog->exe.ehdr.e_type == ET_DYN && !prog->has_interp;
}

/* The heap budget (--heap-size wins over the module's hook, asked once,
 * after its init) and, with one, the brk area where binfmt_elf would have
 * put the program's. glibc's allocator is not told through
 * GLIBC_TUNABLES: the program would see it in its environment (and pass
 * it on to what it runs natively), and no glibc.malloc tunable is needed
 * for malloc to return NULL near the budget: a failed brk makes it fall
 * back to mmap, a failed mmap makes it return NULL. */
static int heap_start(const struct ldr_options *opt, const struct heap_place *place,
		      struct tls_tcb *main_thread)
{
	uint64_t size = opt->heap_size_given ? opt->heap_size : hook_module_heap_size();
	int r;

	if (!size)
		return 0;
	r = heap_setup(size, ldr_brk_start(place->bss_end, place->loader_like));
	if (r == 0)
		hook_dispatch_take(__NR_brk, main_thread);
	return r;
}

/* The module's init hook, before the program's first instruction. The
 * stack image is still in the heap, its pointers already the program's:
 * the module gets copies of argv, envp and auxv that point into the
 * image (valid for the call). */
static int module_init(const struct ldr_stack_image *img, const char *program)
{
	const uint64_t *words = img->image;
	uint64_t n = img->size / 8, argc = words[0], i, envc;
	uint64_t at = image_auxv(img, &envc);
	uintptr_t lo = img->sp, hi = img->sp + img->size;
	char **argv, **envp;
	uint64_t *auxv;
	int r;

	if (!hook_state.module->init)
		return 0; /* nothing to copy the stack for */
#define HERE(p) ((p) >= lo && (p) < hi ? (uintptr_t)img->image + ((p)-lo) : (p))
	argv = malloc((argc + 1 + envc + 1) * sizeof(char *) + img->size);
	if (!argv)
		return -ENOMEM;
	envp = argv + argc + 1;
	auxv = (uint64_t *)(envp + envc + 1);
	for (i = 0; i < argc; i++)
		argv[i] = (char *)HERE(words[1 + i]);
	argv[argc] = NULL;
	for (i = 0; i < envc; i++)
		envp[i] = (char *)HERE(words[1 + argc + 1 + i]);
	envp[envc] = NULL;
	for (i = 0; at + i + 1 < n; i += 2) {
		uint64_t key = words[at + i], val = words[at + i + 1];
		int pointer = key == AT_EXECFN || key == AT_PLATFORM || key == AT_RANDOM ||
			      key == AT_BASE_PLATFORM;
		auxv[i] = key;
		auxv[i + 1] = pointer ? HERE(val) : val;
		if (key == AT_NULL)
			break;
	}
#undef HERE
	r = hook_module_init((int)argc, argv, envp, auxv);
	free(argv);
	if (r != 0)
		libc_say("%s: the LibOS module %s refused to start it (%d)", program,
			 hook_state.module->name, r);
	return r;
}

static int start_interception(const struct ldr_options *opt, struct ldr_program *prog,
			      struct tls_tcb *main_thread, const struct elf_mapped *exe,
			      const struct elf_mapped *interp, struct ldr_error *err)
{
	struct hook_options ho = {
		.mode = opt->strict     ? HOOK_MODE_STRICT
			: opt->sud_only ? HOOK_MODE_SUD_ONLY
					: HOOK_MODE_DEFAULT,
		.report_path = ldr_path_absolute(opt->report),
		.program = prog->filename,
		.program_exe = prog->exe_link,
		.loader_exe = ldr_self_path(),
		.follow_exec = !opt->no_follow_exec,
		.no_cache = opt->no_cache,
		.exec_count = opt->exec_count,
		.trap_rdtsc = opt->trap_rdtsc,
		.exec_check = ldr_program_check_exec,
	};
	const char *why = NULL;
	/* A followed exec must find the same report and module from
	 * anywhere: their paths made absolute. */
	struct ldr_options forwarded = *opt;
	forwarded.report = ho.report_path;
	if (opt->libos && strchr(opt->libos, '/'))
		forwarded.libos = ldr_path_absolute(opt->libos);
	int n = ldr_options_forward(&forwarded, ho.forward, HOOK_FORWARD_MAX);
	if (n < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot set up interception: %s",
			      prog->filename, strerror(n));
		return n;
	}
	ho.forward_count = n;
	/* A followed exec does not say again why the cache is off. */
	patch_cache_init(!opt->no_cache, opt->exec_count > 0);
	int r = hook_module_select(opt->libos, opt->libos_options, &why);
	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot use this LibOS module: %s",
			      opt->libos, why);
		return r;
	}
	r = main_thread ? hook_init(&ho, main_thread) : -ENOMEM;

	if (r < 0 && hook_state.net_error) {
		ldr_error_set(
			err, LDR_EXIT_CANNOT,
			"%s: cannot arm the safety net: prctl(PR_SET_SYSCALL_USER_DISPATCH): %s "
			"(%s)",
			opt->strict ? "--strict" : "--sud-only", strerror(-r),
			/* EBUSY: dispatch is taken, by a tool this one runs under
			 * (a libos-loader above gives a virtual one instead) */
			r == -EBUSY ? "it is in use by a tool this loader runs under"
				    : "a seccomp filter may deny it");
		return r;
	}
	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot set up interception: %s",
			      prog->filename, strerror(r));
		return r;
	}
	/* Before any code is patched: how rdtsc is taken decides what is. */
	if (opt->trap_rdtsc && (r = hook_tsc_trap_start()) < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: --trap-rdtsc: cannot take rdtsc over: %s",
			      prog->filename, strerror(-r));
		return r;
	}
	r = patch_image(prog, &prog->exe, exe, err);
	if (r == 0 && prog->has_interp)
		r = patch_image(prog, &prog->interp, interp, err);
	if (r < 0)
		return r;
	patch_vdso(libc_getauxval(AT_SYSINFO_EHDR, 0));
	return 0;
}

/* Tell the module of the program, ld.so and the vDSO: after its init hook
 * (which gives it the loader's services, logging included), before any of
 * their code runs. */
static void announce_started(const struct elf_mapped *exe, const struct elf_mapped *interp,
			     const char *interp_path)
{
	uintptr_t vdso = libc_getauxval(AT_SYSINFO_EHDR, 0);

	announce(exe->bias, LIBOS_OBJECT_PROGRAM, hook_state.opt.program_exe);
	if (interp_path)
		announce(interp->bias, LIBOS_OBJECT_INTERPRETER, interp_path);
	if (vdso && hook_state.tsc_mode == HOOK_TSC_OFF) /* else hidden: hide_vdso */
		announce(vdso, LIBOS_OBJECT_VDSO, "[vdso]");
}

/* A program that executing would give privileges (prog->privileges) runs
 * natively, as a followed exec of it does (hooks/exec.c): by execve, with
 * the argv it was given, so that the kernel gives it its privileges; no
 * module, no report; under --strict it is refused (hook_exec_privileged).
 * Returns only with the exit status of a failure. */
static int run_natively(const struct libc_start_info *start, const struct ldr_options *opt,
			struct ldr_program *prog, char **argv)
{
	struct ldr_error err;
	int r = hook_exec_privileged(prog->filename, prog->privileges, opt->strict,
				     opt->report != NULL);

	ldr_program_close_files(prog);
	if (r < 0)
		return LDR_EXIT_CANNOT;
	r = (int)sys_execve(prog->filename, argv, start->envp);
	ldr_error_set(&err, r == -ENOENT ? LDR_EXIT_NOT_FOUND : LDR_EXIT_CANNOT,
		      "%s: cannot execute it natively: %s", prog->filename, strerror(r));
	ldr_error_print(&err);
	return err.status;
}

int ldr_run(const struct libc_start_info *start, const struct ldr_options *opt, int argc,
	    char **argv)
{
	struct ldr_program prog;
	struct elf_mapped exe, interp = {0};
	struct ldr_stack_image img;
	struct ldr_error err;
	const char *interp_path = NULL;
	struct heap_place place = {0, 0};
	int r;

	/* The main thread's TCB first: the loader's own memory must not take
	 * the room below the images, where their stubs go. */
	struct tls_tcb *main_thread = tls_tcb_create();
	/* Following an exec, the path is exact and argv verbatim (it may even
	 * be empty; the kernel then gives the program one empty argv[0]). */
	static char *empty_argv[] = {"", NULL};
	const char *name = opt->exec_path ? opt->exec_path : argv[0];
	if (argc == 0) {
		argc = 1;
		argv = empty_argv;
	}
	/* --argv0: PROGRAM is still found by its own name; only the word the
	 * program reads changes, as `exec -a` does it. */
	char **own_argv = opt->argv0 ? malloc(sizeof(char *) * (size_t)(argc + 1)) : NULL;
	if (opt->argv0 && !own_argv)
		ldr_die(LDR_EXIT_CANNOT, "--argv0: out of memory");
	if (own_argv) {
		/* A copy: the loader's own argv is how the stack tells a
		 * command line's words (kept in place) from others. */
		memcpy(own_argv, argv, sizeof(char *) * (size_t)(argc + 1));
		own_argv[0] = (char *)opt->argv0;
		argv = own_argv;
	}
	unsigned flags = opt->exec_path ? 0 : LDR_OPEN_SEARCH | LDR_OPEN_AS_EXEC;
	r = ldr_program_open(&prog, name, flags, argc, argv, getenv("PATH"), &err);
	/* Natively it never existed; a script's interpreter is given it. The
	 * program's path may name it (/proc/self/fd/N): kept while the
	 * program's file is opened again. */
	int close_exec_fd = opt->exec_close_fd >= 0 && !names_script(&prog, name);
	if (r == 0 && prog.privileges) {
		if (close_exec_fd)
			sys_close(opt->exec_close_fd);
		return run_natively(start, opt, &prog, argv);
	}
	if (r == 0)
		r = map_program(&prog, &exe, &interp, &err);
	if (r == 0) {
		patch_note_reserved(exe.reserved_lo, exe.start);
		if (prog.has_interp)
			patch_note_reserved(interp.reserved_lo, interp.start);
		r = start_interception(opt, &prog, main_thread, &exe, &interp, &err);
		heap_place(&prog, &exe, &place);
	}
	if (r == 0 && prog.has_interp)
		interp_path = prog.interp_link;
	/* /proc/PID/exe the program's for everyone where the kernel lets us;
	 * elsewhere the hooks answer the program's own questions. */
	if (r == 0 && ldr_exe_link_set(&prog, hook_state.opt.loader_exe) < 0)
		hook_procfs_take(main_thread);
	ldr_program_close_files(&prog);
	if (close_exec_fd)
		sys_close(opt->exec_close_fd);
	if (r < 0) {
		ldr_error_print(&err);
		return err.status;
	}
	if (prog.exe.layout.exec_stack && make_stack_executable(start) < 0) {
		ldr_error_set(&err, LDR_EXIT_CANNOT, "%s: cannot make the stack executable",
			      prog.filename);
		ldr_error_print(&err);
		return err.status;
	}

	/* An exec of /proc/self/exe: the file is the program's, but the
	 * name (AT_EXECFN, comm) is what execve was given. */
	if (opt->exec_as) {
		free(prog.filename);
		prog.filename = strdup(opt->exec_as);
		if (!prog.filename)
			return LDR_EXIT_CANNOT;
		/* execveat on a descriptor: the kernel names the process after
		 * the file itself, not /dev/fd/N. */
		if (strncmp(opt->exec_as, "/dev/fd/", 8) == 0)
			prog.comm = file_name(hook_state.opt.program_exe);
	}

	struct ldr_stack_args sa = {
		.kernel = start,
		.argc = prog.argc,
		.argv = prog.argv,
		.execfn = prog.filename,
		.phdr = exe.phdr,
		.phnum = prog.exe.ehdr.e_phnum,
		.entry = exe.entry,
		.base = prog.has_interp ? interp.bias : 0,
	};
	r = ldr_stack_build(&sa, &img);
	if (r < 0) {
		ldr_error_set(&err, LDR_EXIT_CANNOT, "%s: cannot build the initial stack: %s",
			      prog.filename, strerror(r));
		ldr_error_print(&err);
		return err.status;
	}
	if (opt->trap_rdtsc) {
		hide_vdso(&img);
		patch_hp_timing_set(1);
	}
	r = module_init(&img, prog.filename);
	if (r != 0)
		return r < 0 || r > 255 ? LDR_EXIT_CANNOT : r;
	announce_started(&exe, &interp, interp_path);
	r = heap_start(opt, &place, main_thread);
	if (r < 0) {
		ldr_error_set(&err, LDR_EXIT_CANNOT, "%s: cannot set up the heap budget: %s",
			      prog.filename, strerror(r));
		ldr_error_print(&err);
		return err.status;
	}
	hook_thread_start_event(main_thread);
	ldr_identity_set(start, &prog, &img);
	tls_context_program_started();
	/* After the auxv is the program's: the debugger reads it there. */
	ldr_debugger_program_mapped(hook_state.opt.program_exe);

	libc_fault_start();
	/* From here on nothing may read the stack protector canary. */
	libc_set_thread_pointer(NULL);
	arch_enter_program(img.image, img.size, (void *)img.sp,
			   prog.has_interp ? interp.entry : exe.entry);
}
