// SPDX-License-Identifier: MIT
/*
 * What /proc says about the process: after execve the kernel records the
 * program's name (comm), the span of its arguments (cmdline) and its
 * auxiliary vector (auxv). Here the kernel recorded the loader's; replace
 * them with the program's so that ps, pgrep, /proc/self/cmdline and
 * /proc/self/auxv readers see what they would natively.
 *
 * cmdline and auxv go through PR_SET_MM_MAP, the checkpoint/restore call,
 * which an unprivileged process may make on itself as long as it leaves
 * the executable alone (PR_SET_MM_ARG_START would need CAP_SYS_RESOURCE).
 * It replaces every field at once, so the others are read back from
 * /proc/self/stat first. Without /proc (a bare container) the loader's
 * values stay: nothing here is needed for the program to run. The
 * executable (/proc/self/exe) is exe_link.c's: it needs a capability.
 */
#include <errno.h>
#include <linux/auxvec.h>
#include <linux/prctl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "identity.h"

/* The kernel names the process after the file execve was given. */
static void set_comm(const char *filename)
{
	const char *base = strrchr(filename, '/');
	char comm[16];

	strncpy(comm, base ? base + 1 : filename, sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	sys_prctl(PR_SET_NAME, (long)comm, 0, 0, 0);
}

/* Fields 26 (startcode) to 51 (env_end) of /proc/self/stat, by number. */
#define STAT_FIRST 26
#define STAT_LAST  51

static int read_stat(uint64_t field[STAT_LAST + 1])
{
	char buf[1024];
	int fd = (int)sys_open("/proc/self/stat", O_RDONLY);
	if (fd < 0)
		return fd;
	long n = sys_read(fd, buf, sizeof(buf) - 1);
	sys_close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';

	/* Field 2 is the comm in parentheses and may hold anything, even
	 * ") "; field 3 starts after the last ')'. */
	char *s = strrchr(buf, ')');
	if (!s)
		return -EIO;
	s++;
	for (int i = 3; i <= STAT_LAST; i++) {
		while (*s == ' ')
			s++;
		if (!*s)
			return -EIO;
		char *end;
		field[i] = i == 3 ? 0 : strtoull(s, &end, 10);
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}

/* Where the program's argv strings lie, if they are one contiguous run of
 * the kernel's argument area: its tail, which they are unless a #! line
 * spliced words in. */
static int program_args(const struct libc_start_info *k, int argc, char *const *argv, uintptr_t *lo,
			uintptr_t *hi)
{
	if (argc <= 0 || argc > k->argc)
		return -1;
	for (int i = 0; i < argc; i++)
		if (argv[i] != k->argv[k->argc - argc + i])
			return -1;
	const char *last = argv[argc - 1];
	*lo = (uintptr_t)argv[0];
	*hi = (uintptr_t)last + strlen(last) + 1;
	return 0;
}

/* The auxv in a stack image: past argc, argv and envp. */
static const uint64_t *image_auxv(const uint64_t *sp, uint32_t *size)
{
	const uint64_t *p = sp + 1 + sp[0] + 1;
	while (*p)
		p++;
	const uint64_t *auxv = ++p;
	while (p[0] != AT_NULL)
		p += 2;
	*size = (uint32_t)((p + 2 - auxv) * sizeof(*p));
	return auxv;
}

int ldr_identity_mm_map(struct prctl_mm_map *map)
{
	uint64_t f[STAT_LAST + 1];
	int r = read_stat(f);

	if (r < 0)
		return r;
	*map = (struct prctl_mm_map){
		.start_code = f[26],
		.end_code = f[27],
		.start_stack = f[28],
		.start_data = f[45],
		.end_data = f[46],
		.start_brk = f[47],
		.brk = (uint64_t)sys_brk(0),
		.arg_start = f[48],
		.arg_end = f[49],
		.env_start = f[50],
		.env_end = f[51],
		.exe_fd = (uint32_t)-1,
	};
	return 0;
}

void ldr_identity_set(const struct libc_start_info *kernel, const struct ldr_program *prog,
		      const struct ldr_stack_image *img)
{
	struct prctl_mm_map map;
	uintptr_t arg_lo, arg_hi;

	set_comm(prog->comm ? prog->comm : prog->filename);
	if (ldr_identity_mm_map(&map) < 0)
		return;
	if (program_args(kernel, prog->argc, prog->argv, &arg_lo, &arg_hi) == 0) {
		map.arg_start = arg_lo;
		map.arg_end = arg_hi;
	} else if (img->arg_end) { /* copied, as after an exec through a memfd */
		map.arg_start = img->arg_start;
		map.arg_end = img->arg_end;
	}
	if (img->env_end) {
		map.env_start = img->env_start;
		map.env_end = img->env_end;
	}
	/* The kernel keeps a copy: the image may be freed afterwards. */
	map.auxv = (__u64 *)image_auxv(img->image, &map.auxv_size);
	sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (long)&map, sizeof(map), 0);
}
