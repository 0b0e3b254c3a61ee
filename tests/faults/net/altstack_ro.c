// SPDX-License-Identifier: MIT
/*
 * A program whose alternate signal stack is read-only (it guards it, or
 * keeps it for a signal it never expects) runs generated code that makes
 * syscalls. Natively nothing ever writes there; under the loader the net
 * catches those syscalls, and its SIGSYS must not be delivered onto that
 * stack, nor anything written there; sigaltstack still answers the
 * program's stack. With "threads", four threads do the
 * same at once, each with its own read-only alternate stack.
 *
 * usage: altstack_ro [threads]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../common/generated_getpid.h"

static long (*gen)(void);
static volatile int wrong;

static void *run(void *arg)
{
	size_t size = 64 * 1024;
	unsigned char *alt =
		mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = {.ss_sp = alt, .ss_size = size};

	(void)arg;
	if (alt == MAP_FAILED || sigaltstack(&ss, NULL) < 0 || mprotect(alt, size, PROT_READ) < 0) {
		perror("altstack");
		exit(2);
	}
	for (int i = 0; i < 100; i++)
		if (gen() != getpid())
			wrong = 1;
	/* Still the thread's alternate stack, as far as it can tell. */
	stack_t now;
	if (sigaltstack(NULL, &now) < 0 || now.ss_sp != alt || now.ss_size != size ||
	    now.ss_flags != 0)
		wrong = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 && strcmp(argv[1], "threads") == 0 ? 4 : 0;
	pthread_t t[4];

	gen = generated_getpid();
	if (!gen)
		return 2;
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run, NULL);
	run(NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("generated syscalls with a read-only alternate stack: %s\n",
	       wrong ? "WRONG" : "right");
	return wrong;
}
