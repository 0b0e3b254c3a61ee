// SPDX-License-Identifier: MIT
/*
 * Stage 2 of start-up: relocations are done, so globals and calls work.
 * Pull the kernel's initial stack apart, give the loader its own thread
 * pointer with a fresh stack-protector canary, and run ldr_main.
 *
 * The canary comes from getrandom(), not from AT_RANDOM: those 16 bytes
 * belong to the program, whose libc derives its own canary and pointer
 * guard from them, and sharing them would let a leak of ours reveal its.
 */
#include <libc.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <string.h>
#include <stdlib.h>
#include <sys.h>
#include <thread_pointer.h>

struct libc_tcb libc_main_tcb;
static struct libc_start_info start_info;

uint64_t libc_getauxval(unsigned long key, uint64_t def)
{
	for (uint64_t *a = start_info.auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == key)
			return a[1];
	return def;
}

static uintptr_t string_end(const char *s)
{
	return s ? (uintptr_t)s + strlen(s) + 1 : 0;
}

/* The kernel copies argv, envp, the platform strings and the executable's
 * name to the top of the stack; the highest end among them is that top. */
static uintptr_t strings_end(const struct libc_start_info *s)
{
	uintptr_t end = string_end((const char *)libc_getauxval(AT_EXECFN, 0));
	uintptr_t e;

	for (int i = 0; i < s->argc; i++)
		if ((e = string_end(s->argv[i])) > end)
			end = e;
	for (char **p = s->envp; *p; p++)
		if ((e = string_end(*p)) > end)
			end = e;
	return end;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **p = start_info.envp; p && *p; p++)
		if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

void libc_start_set_args(int argc, char **argv, char **envp)
{
	start_info.argc = argc;
	start_info.argv = argv;
	start_info.envp = envp;
}

static uint64_t fresh_canary(void)
{
	uint64_t v = 0;
	struct timespec ts;

	if (sys_getrandom(&v, sizeof(v), 1 /* GRND_NONBLOCK */) != sizeof(v)) {
		sys_clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)&ts;
	}
	return v & ~(uint64_t)0xff; /* a NUL byte stops string overflows */
}

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

/* What ld.so does for a program, done for ourselves: once relocated, the
 * PT_GNU_RELRO part of the data (pointers, Capstone's tables) becomes
 * read-only. */
static void protect_relro(void)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uintptr_t base = (uintptr_t)eh;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		uintptr_t lo = (base + ph[i].p_vaddr) & ~(uintptr_t)4095;
		uintptr_t hi = (base + ph[i].p_vaddr + ph[i].p_memsz) & ~(uintptr_t)4095;
		if (hi > lo)
			sys_mprotect((void *)lo, hi - lo, PROT_READ);
	}
}

void libc_start(uintptr_t *kernel_sp)
{
	char **p;

	start_info.kernel_sp = kernel_sp;
	start_info.argc = (int)kernel_sp[0];
	start_info.argv = (char **)(kernel_sp + 1);
	start_info.envp = start_info.argv + start_info.argc + 1;
	for (p = start_info.envp; *p; p++)
		;
	start_info.auxv = (uint64_t *)(p + 1);
	start_info.strings_end = strings_end(&start_info);

	protect_relro();
	libc_main_tcb.self = &libc_main_tcb;
	libc_main_tcb.canary = fresh_canary();
	long r = libc_set_thread_pointer(&libc_main_tcb);
	if (r < 0) {
		/* Denied (a seccomp filter on arch_prctl): nothing can run,
		 * the program least of all. Said before anything needs %fs. */
		static const char head[] = "libos-loader: cannot set the thread pointer: "
					   "arch_prctl(ARCH_SET_FS): ";
		const char *why = strerror((int)r);
		sys_write(2, head, sizeof(head) - 1);
		sys_write(2, why, strlen(why));
		sys_write(2, "\n", 1);
		sys_exit_group(126);
	}
#ifdef LIBOS_READY
	/* A LibOS-ready libc tells the LibOS it starts (note.h's init hook). */
	__libos_init(LIBOS_NOTE_CONTRACT_VERSION);
#endif

	sys_exit_group(ldr_main(&start_info));
}
