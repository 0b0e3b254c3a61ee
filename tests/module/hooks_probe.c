// SPDX-License-Identifier: MIT
/*
 * hooks_probe: what the program sees of itself, for hooks.py to compare
 * with the logger module's log.
 *
 *   hooks_probe objects LIB   dl_iterate_phdr at start, after dlopen(LIB),
 *                             after dlclose: "== WHEN" then one line per
 *                             object, "object BASE PHNUM NAME"
 *   hooks_probe self ARGS...  "argc N", "argv I S", "envc N",
 *                             "entry 0x..", "phdr 0x..", "execfn S"
 *   hooks_probe threads N S   N threads started and joined, a fork child
 *                             that exits 3, then exit(S)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int print_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	printf("object 0x%lx %u %s\n", (unsigned long)info->dlpi_addr, info->dlpi_phnum,
	       info->dlpi_name);
	return 0;
}

static int objects(const char *lib)
{
	puts("== start");
	dl_iterate_phdr(print_object, NULL);
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "dlopen %s: %s\n", lib, dlerror());
		return 1;
	}
	puts("== after dlopen");
	dl_iterate_phdr(print_object, NULL);
	dlclose(h);
	puts("== after dlclose");
	dl_iterate_phdr(print_object, NULL);
	return 0;
}

static int self(int argc, char **argv)
{
	int envc = 0;

	while (environ[envc])
		envc++;
	printf("argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv %d %s\n", i, argv[i]);
	printf("envc %d\n", envc);
	printf("entry 0x%lx\n", getauxval(AT_ENTRY));
	printf("phdr 0x%lx\n", getauxval(AT_PHDR));
	printf("execfn %s\n", (const char *)getauxval(AT_EXECFN));
	return 0;
}

static void *worker(void *arg)
{
	(void)arg;
	return (void *)(long)getpid();
}

static int threads(int n, int status)
{
	pthread_t t[64];

	for (int i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < n && i < 64; i++)
		pthread_join(t[i], NULL);
	pid_t child = fork();
	if (child == 0)
		exit(3);
	waitpid(child, NULL, 0);
	printf("pid %d child %d\n", getpid(), child);
	fflush(stdout);
	exit(status);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && strcmp(argv[1], "objects") == 0)
		return objects(argv[2]);
	if (argc > 1 && strcmp(argv[1], "self") == 0)
		return self(argc, argv);
	if (argc > 3 && strcmp(argv[1], "threads") == 0)
		return threads(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: hooks_probe objects LIB | self ARGS... | threads N STATUS\n");
	return 2;
}
