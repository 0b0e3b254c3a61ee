// SPDX-License-Identifier: MIT
/*
 * The program gdb debugs, natively and under the loader (gdb-same-as-native.py):
 * a thread with a name, a breakpoint target in the program, a line whose
 * call makes a write syscall (a rewritten site under the loader) for
 * `next`, a write for `catch syscall`, and a function in a library it
 * dlopens for a pending breakpoint. With "wait" it first blocks in pause()
 * until gdb, attached, sets `released` and sends SIGUSR1.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* go ends the worker, released the wait (not the same: the worker must
 * still be there at the first breakpoint, natively as under the loader). */
static volatile int go, named, released;

__attribute__((noinline)) void program_mark(int n)
{
	__asm__ volatile("" : : "r"(n) : "memory");
}

__attribute__((noinline)) int say(const char *s)
{
	return (int)write(1, s, strlen(s));
}

static void *worker(void *arg)
{
	pthread_setname_np(pthread_self(), "gdb-worker");
	named = 1;
	while (!go)
		usleep(1000);
	return arg;
}

static void wake(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2)
		return 2;
	signal(SIGUSR1, wake);
	pthread_create(&t, NULL, worker, NULL);
	while (!named)
		usleep(1000);
	if (argc > 2 && strcmp(argv[2], "wait") == 0) {
		say("ready\n");
		while (!released)
			pause();
	}
	program_mark(1);
	say("hello\n"); /* LINE_NEXT */
	say("again\n");
	void *lib = dlopen(argv[1], RTLD_NOW);
	if (!lib) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	int (*late)(int) = (int (*)(int))dlsym(lib, "late_function");
	printf("late %d\n", late(3));
	go = 1;
	pthread_join(t, NULL);
	return 0;
}
