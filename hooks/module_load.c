// SPDX-License-Identifier: MIT
/*
 * Loading an external LibOS module (--libos=PATH.so).
 *
 * The module is a freestanding shared object: the loader maps it with its
 * own ELF code (elf/map.c, as for the program), then links it
 * (module_image.c: its relocations and the one symbol it exports,
 * libos_module, every pointer checked against its segments). There is no
 * dynamic linker behind it, so it may need nothing. Anything it may not
 * have is refused with the reason, before any of its code runs.
 */
#include <errno.h>
#include <asm/fcntl.h>
#include <string.h>
#include <sys.h>

#include "elf.h"
#include "map.h"
#include "module.h"
#include "module_image.h"

int hook_module_load(const char *path, const struct libos_module **m, const char **why)
{
	uint8_t head[1024];
	struct elf_file e;
	struct elf_mapped mapped;
	struct hook_module_image im;
	int r, fd = (int)sys_open(path, O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0) {
		*why = strerror(-fd);
		return fd;
	}
	n = sys_pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		sys_close(fd);
		*why = strerror((int)-n);
		return (int)n;
	}
	r = elf_load_object_headers(&e, fd, head, (size_t)n, why);
	if (r < 0) {
		sys_close(fd);
		return r;
	}
	if (e.ehdr.e_type != ET_DYN || e.interp) {
		*why = "not a shared object (build it with -shared -fPIC)";
		elf_release(&e);
		return -ENOEXEC;
	}
	r = elf_map(&e, 0, 0, &mapped, why);
	if (r < 0) {
		elf_release(&e);
		return r;
	}
	r = hook_module_image_segments(&im, mapped.bias, e.phdrs, e.ehdr.e_phnum, why);
	if (r == 0)
		r = hook_module_image_link(&im, e.phdrs, e.ehdr.e_phnum, m, why);
	elf_release(&e);
	if (r < 0)
		sys_munmap((void *)mapped.start, mapped.end - mapped.start);
	return r;
}
