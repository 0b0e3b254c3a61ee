// SPDX-License-Identifier: MIT
/*
 * What the kernel says of a running program's files and of exec (issue 11
 * item 5, execsem.py): each mode prints one line, the same natively and
 * under the loader.
 *   write PATH            open PATH for writing (the program's own file)
 *   dlopen-write LIB      dlopen LIB, then open it for writing
 *   exec-held W FILE ARG. hold W open for writing, execv FILE
 *   exec FILE ARG...      execv FILE
 *   hello                 print that it ran
 *   wait                  say "ready", wait for a line on stdin
 *   arg-max FILE          the most bytes of argv strings (NULs included)
 *                         that an exec of FILE hello takes, by bisection;
 *                         then FILE print with as many
 *   print                 argc, the size and a hash of argv and envp, and
 *                         whether /proc/self/cmdline and environ hold them
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int open_for_writing(const char *what, const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	printf("%s: %s\n", what, fd < 0 ? strerror(errno) : "opened");
	return fd;
}

/* Does an exec of file, hello, and n more bytes of argv strings work?
 * 1, or 0 for E2BIG (in a child: the exec of it must not end us). */
static int exec_takes(const char *file, const char *mode, long n)
{
	enum { CHUNK = 100000 }; /* under MAX_ARG_STRLEN */
	static char pad[CHUNK + 1];
	char **v = calloc((size_t)(n / CHUNK + 4), sizeof(*v));
	int k = 0, status;

	if (!v)
		exit(1);
	memset(pad, 'a', CHUNK);
	v[k++] = (char *)file;
	v[k++] = (char *)mode;
	for (long left = n; left > 0; left -= CHUNK + 1)
		v[k++] = pad + CHUNK - (left > CHUNK + 1 ? CHUNK : left - 1);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		int out = open("/dev/null", O_WRONLY);
		if (!strcmp(mode, "hello"))
			dup2(out, 1);
		execve(file, v, environ);
		_exit(errno == E2BIG ? 100 : 101);
	}
	free(v);
	if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 100)) {
		printf("arg-max: the exec of %ld bytes ended with status %#x\n", n, status);
		exit(1);
	}
	return WEXITSTATUS(status) == 0;
}

/* FNV-1a of the strings v[0..n), NULs included, into *h; their size. */
static size_t hash_strings(char *const *v, int n, unsigned long long *h)
{
	size_t bytes = 0;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;
		for (size_t j = 0; j < len; j++)
			*h = (*h ^ (unsigned char)v[i][j]) * 0x100000001b3ULL;
		bytes += len;
	}
	return bytes;
}

/* Does the file hold exactly the strings v[0..n), NULs included? */
static const char *holds(const char *file, char *const *v, int n)
{
	FILE *f = fopen(file, "r");
	int c = 0;

	if (!f)
		return "unreadable";
	for (int i = 0; i < n && c != EOF; i++)
		for (const char *p = v[i];; p++)
			if ((c = getc(f)) != (unsigned char)*p || !*p)
				break;
	c = c == 0 ? getc(f) : 'x';
	fclose(f);
	return c == EOF ? "holds them" : "differs";
}

static void print(int argc, char **argv)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	int envc = 0;

	while (environ[envc])
		envc++;
	size_t bytes = hash_strings(argv, argc, &h) + hash_strings(environ, envc, &h);
	printf("print: argc %d, envc %d, %zu bytes, hash %016llx; cmdline %s, environ %s\n", argc,
	       envc, bytes, h, holds("/proc/self/cmdline", argv, argc),
	       envc ? holds("/proc/self/environ", environ, envc) : "holds them");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "write") && argc == 3) {
		open_for_writing("write", argv[2]);
	} else if (!strcmp(mode, "dlopen-write") && argc == 3) {
		void *lib = dlopen(argv[2], RTLD_NOW);
		printf("dlopen: %s\n", lib ? "loaded" : dlerror());
		open_for_writing("write", argv[2]);
	} else if ((!strcmp(mode, "exec-held") && argc >= 4) ||
		   (!strcmp(mode, "exec") && argc >= 3)) {
		int held = mode[4] == '-';
		if (held && open_for_writing("held", argv[2]) < 0)
			return 1;
		fflush(stdout);
		execv(argv[2 + held], argv + 2 + held);
		printf("exec: %s\n", strerror(errno));
	} else if (!strcmp(mode, "arg-max") && argc == 3) {
		/* exec_takes(lo), not hi: the kernel takes 6 MiB at most. */
		long lo = 0, hi = (6L << 20) + 1;
		if (!exec_takes(argv[2], "hello", lo))
			return 1;
		while (hi - lo > 1) {
			long mid = lo + (hi - lo) / 2;
			*(exec_takes(argv[2], "hello", mid) ? &lo : &hi) = mid;
		}
		printf("arg-max: %ld\n", lo);
		exec_takes(argv[2], "print", lo);
	} else if (!strcmp(mode, "print")) {
		print(argc, argv);
	} else if (!strcmp(mode, "hello")) {
		printf("ran\n");
	} else if (!strcmp(mode, "wait")) {
		char line[8];
		printf("ready\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	} else {
		fprintf(stderr, "usage: held "
				"write|dlopen-write|exec-held|exec|hello|wait|arg-max|print ...\n");
		return 2;
	}
	return 0;
}
