// SPDX-License-Identifier: MIT
/*
 * The life of a run, in order: resolve the program (program.c), map it and
 * its ELF interpreter (map.c) where the kernel would, close every file the
 * loader opened, give the process the program's name, build the initial
 * stack (stack.c) and jump (arch_enter_program). The interception core
 * will patch the mapped code between mapping and the jump.
 */
#include <errno.h>
#include <linux/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "map.h"
#include "program.h"
#include "run.h"
#include "stack.h"

static int map_program(struct ldr_program *prog, struct ldr_mapped *exe, struct ldr_mapped *interp,
		       struct ldr_error *err)
{
	const struct ldr_elf_layout *l = &prog->exe.layout;
	const char *why = "";
	uintptr_t base = 0;
	int r;

	/* binfmt_elf puts a PIE with an interpreter at ELF_ET_DYN_BASE and a
	 * static PIE (a "loader" to it) anywhere in the mmap area. */
	if (prog->exe.ehdr.e_type == ET_DYN && prog->has_interp)
		base = ldr_program_base(l->hi - l->lo, l->align);
	r = ldr_map_elf(&prog->exe, base, exe, &why);
	if (r == -EEXIST && base)
		r = ldr_map_elf(&prog->exe, 0, exe, &why);
	if (r < 0) {
		ldr_error_set(err, LDR_EXIT_CANNOT, "%s: cannot map %s: %s (%s)", prog->filename,
			      prog->exe_path, why, strerror(r));
		return r;
	}
	if (!prog->has_interp)
		return 0;
	r = ldr_map_elf(&prog->interp, 0, interp, &why);
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
	uintptr_t lo = LDR_PAGE_DOWN((uintptr_t)start->kernel_sp);
	uintptr_t hi = LDR_PAGE_UP(start->strings_end);

	return (int)sys_mprotect((void *)lo, hi - lo,
				 PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
}

/* The kernel names the process after the file execve was given. */
static void set_comm(const char *filename)
{
	const char *base = strrchr(filename, '/');
	char comm[16];

	strncpy(comm, base ? base + 1 : filename, sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	sys_prctl(PR_SET_NAME, (long)comm, 0, 0, 0);
}

int ldr_run(const struct libc_start_info *start, int argc, char **argv)
{
	struct ldr_program prog;
	struct ldr_mapped exe, interp = {0};
	struct ldr_stack_image img;
	struct ldr_error err;
	int r;

	r = ldr_program_open(&prog, argv[0], argc, argv, getenv("PATH"), &err);
	if (r == 0)
		r = map_program(&prog, &exe, &interp, &err);
	ldr_program_close_files(&prog);
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
	set_comm(prog.filename);

	/* From here on nothing may read the stack protector canary. */
	arch_set_thread_pointer(NULL);
	arch_enter_program(img.image, img.size, (void *)img.sp,
			   prog.has_interp ? interp.entry : exe.entry);
}
