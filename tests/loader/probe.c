// SPDX-License-Identifier: MIT
/*
 * probe: prints what a program can see of how it was started, in a form
 * that is the same on every run of the same command: argv, the
 * environment, the auxv entries that describe the program (checked against
 * the program's own headers rather than printed as addresses), descriptors,
 * signal state, and checks of the address-space layout. The loader suite
 * runs it natively and under libos-loader and requires identical output.
 * It is built as a PIE, a non-PIE, static and static-pie.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
extern const ElfW(Ehdr) __ehdr_start;
extern void _start(void);

struct mapping {
	uintptr_t lo, hi;
	char perms[5];
	char name[512];
};

static struct mapping maps[512];
static int map_count;

static void read_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];

	while (f && fgets(line, sizeof(line), f) && map_count < 512) {
		struct mapping *m = &maps[map_count];
		int name_at = 0;
		m->name[0] = 0;
		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &m->lo, &m->hi, m->perms, &name_at) <
		    3)
			continue;
		if (name_at)
			sscanf(line + name_at, "%511[^\n]", m->name);
		map_count++;
	}
	if (f)
		fclose(f);
}

static const struct mapping *mapping_of(uintptr_t addr)
{
	for (int i = 0; i < map_count; i++)
		if (addr >= maps[i].lo && addr < maps[i].hi)
			return &maps[i];
	return NULL;
}

static const char *yes(int c)
{
	return c ? "yes" : "NO";
}

/* The span of all mappings of the file that contains addr, plus the
 * anonymous bss mapping right after it. */
static void image_span(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	const struct mapping *m = mapping_of(addr);

	*lo = UINTPTR_MAX;
	*hi = 0;
	for (int i = 0; m && i < map_count; i++) {
		if (strcmp(maps[i].name, m->name) != 0)
			continue;
		if (maps[i].lo < *lo)
			*lo = maps[i].lo;
		if (maps[i].hi > *hi)
			*hi = maps[i].hi;
	}
	for (int i = 0; i < map_count; i++)
		if (maps[i].lo == *hi && maps[i].name[0] == 0)
			*hi = maps[i].hi;
}

static int in_named(uintptr_t addr, const char *name)
{
	const struct mapping *m = mapping_of(addr);

	return m && strcmp(m->name, name) == 0;
}

static void print_auxv(void)
{
	const ElfW(Phdr) *own_phdr =
		(const ElfW(Phdr) *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
	uintptr_t base = getauxval(AT_BASE);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *platform = (const char *)getauxval(AT_PLATFORM);
	const unsigned char *vdso = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	char **e = environ;

	while (*e)
		e++;
	printf("auxv keys:");
	for (ElfW(auxv_t) *a = (ElfW(auxv_t) *)(e + 1); a->a_type != AT_NULL; a++)
		printf(" %lu", (unsigned long)a->a_type);
	printf("\n");
	printf("AT_PHDR is the program's own headers: %s\n",
	       yes(getauxval(AT_PHDR) == (uintptr_t)own_phdr));
	printf("AT_PHENT=%lu AT_PHNUM matches e_phnum: %s\n", getauxval(AT_PHENT),
	       yes(getauxval(AT_PHNUM) == __ehdr_start.e_phnum));
	printf("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (uintptr_t)&_start));
	if (base) {
		const struct mapping *m = mapping_of(base);
		printf("AT_BASE is the start of %s: %s\n", m ? m->name : "(nothing)",
		       yes(m && m->lo == base));
	} else {
		printf("AT_BASE=0\n");
	}
	printf("AT_EXECFN=%s (on the stack: %s)\n", execfn ? execfn : "(none)",
	       yes(execfn && in_named((uintptr_t)execfn, "[stack]")));
	printf("AT_PLATFORM=%s AT_PAGESZ=%lu AT_CLKTCK=%lu AT_FLAGS=%lu AT_SECURE=%lu\n",
	       platform ? platform : "(none)", getauxval(AT_PAGESZ), getauxval(AT_CLKTCK),
	       getauxval(AT_FLAGS), getauxval(AT_SECURE));
	printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu\n", getauxval(AT_UID),
	       getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID));
	printf("AT_HWCAP=%#lx AT_HWCAP2=%#lx AT_MINSIGSTKSZ=%lu\n", getauxval(AT_HWCAP),
	       getauxval(AT_HWCAP2), getauxval(AT_MINSIGSTKSZ));
	printf("AT_RANDOM on the stack: %s\n", yes(in_named(getauxval(AT_RANDOM), "[stack]")));
	printf("AT_SYSINFO_EHDR is the vDSO: %s\n",
	       yes(vdso && in_named((uintptr_t)vdso, "[vdso]") && memcmp(vdso, ELFMAG, 4) == 0));
}

static void print_layout(void)
{
	uintptr_t lo, hi;
	uintptr_t brk0 = (uintptr_t)sbrk(0);
	char *grown;
	const struct mapping *stack = NULL;

	image_span((uintptr_t)&print_layout, &lo, &hi);
	for (int i = 0; i < map_count; i++)
		if (strcmp(maps[i].name, "[stack]") == 0)
			stack = &maps[i];
	printf("brk lies above the program image: %s\n", yes(brk0 >= hi));
	grown = sbrk(16 << 20);
	printf("brk grows by 16 MiB: %s\n", yes(grown != (void *)-1));
	if (grown != (void *)-1) {
		memset(grown, 1, 16 << 20);
		sbrk(-(16 << 20));
	}
	int overlap = 0;
	for (int i = 0; i < map_count; i++) {
		const struct mapping *m = &maps[i];
		int ours = m->lo >= lo && m->hi <= hi;
		int in_span = m->lo < hi && m->hi > lo;
		int in_brk = m->lo < brk0 + (16 << 20) && m->hi > brk0 && strcmp(m->name, "[heap]");
		if ((in_span && !ours) || in_brk)
			overlap = 1;
	}
	printf("nothing else inside the program image or its brk area: %s\n", yes(!overlap));
	printf("stack: %s\n", stack ? stack->perms : "(none)");
	int argv_on_stack = 1;
	for (char **e = environ; *e; e++)
		argv_on_stack &= in_named((uintptr_t)*e, "[stack]");
	printf("environment strings on the stack: %s\n", yes(argv_on_stack));
}

/* /proc/self/cmdline, NULs shown as '|'; and whether /proc/self/auxv is
 * the auxv this process was given (natively the kernel's own copy). */
static void print_proc_views(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = '|';
	buf[n] = '\0';
	printf("/proc/self/cmdline=%s\n", buf);

	char **e = environ;
	while (*e)
		e++;
	const ElfW(auxv_t) *mine = (const ElfW(auxv_t) *)(e + 1);
	size_t len = 0;
	while (mine[len].a_type != AT_NULL)
		len++;
	len = (len + 1) * sizeof(*mine);
	f = fopen("/proc/self/auxv", "r");
	n = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	printf("/proc/self/auxv is the auxv given: %s\n", yes(n == len && !memcmp(buf, mine, len)));
}

static void print_process(void)
{
	char comm[64] = "";
	FILE *f = fopen("/proc/self/comm", "r");
	sigset_t mask;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds = 0;

	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
	printf("comm=%s\n", comm);
	print_proc_views();
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			fds++;
	if (d)
		closedir(d);
	printf("open descriptors (with the one listing them): %d\n", fds);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	printf("blocked signals:");
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&mask, s))
			printf(" %d", s);
	printf("\n");
}

int main(int argc, char **argv)
{
	read_maps();
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=\"%s\" on the stack: %s\n", i, argv[i],
		       yes(in_named((uintptr_t)argv[i], "[stack]")));
	int n = 0;
	for (char **e = environ; *e; e++, n++)
		printf("env: %s\n", *e);
	printf("%d environment strings\n", n);
	print_auxv();
	print_layout();
	print_process();
	return argc == 3 && strcmp(argv[2], "status") == 0 ? 42 : 0;
}
