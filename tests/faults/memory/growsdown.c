// SPDX-License-Identifier: MIT
/*
 * growsdown: a MAP_GROWSDOWN stack with room below it keeps that room
 * while threads start: the threads' own stacks are the program's static
 * memory (nothing new is mapped natively), so whatever the loader maps
 * for them must stay out of the kernel's stack_guard_gap below the
 * stack. With the threads alive, the stack then grows by 2 MiB, page by
 * page downwards; a stack that cannot grow faults, and the handler (on
 * an alternate stack) says how far it got.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define THREADS 4
#define ROOM    (64UL << 20)
#define GROW    (2UL << 20)

static char thread_stacks[THREADS][256 << 10] __attribute__((aligned(4096)));
static char alt[64 << 10];
static volatile unsigned long grown;
static int go[2];

static void on_segv(int sig)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "the stack stopped growing after %lu KiB\n",
			 grown >> 10);

	(void)sig;
	write(1, line, (size_t)n);
	_exit(1);
}

static void *wait_for_go(void *arg)
{
	char c;

	(void)arg;
	read(go[0], &c, 1);
	return NULL;
}

int main(void)
{
	pthread_t th[THREADS];
	pthread_attr_t attr;

	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
	struct sigaction sa = {.sa_handler = on_segv, .sa_flags = SA_ONSTACK};
	if (sigaltstack(&ss, NULL) || sigaction(SIGSEGV, &sa, NULL) || pipe(go))
		return 2;
	/* Room the kernel chose, the stack's one page at its top, and the
	 * rest given back: below the stack nothing but a hole. */
	char *room = mmap(NULL, ROOM, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (room == MAP_FAILED)
		return 2;
	char *top = room + ROOM;
	if (mmap(top - 4096, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0) != top - 4096)
		return 2;
	munmap(room, ROOM - 4096);

	for (int i = 0; i < THREADS; i++) {
		pthread_attr_init(&attr);
		pthread_attr_setstack(&attr, thread_stacks[i], sizeof(thread_stacks[i]));
		if (pthread_create(&th[i], &attr, wait_for_go, NULL))
			return 2;
		pthread_attr_destroy(&attr);
	}
	for (grown = 4096; grown <= GROW; grown += 4096)
		top[-(long)grown] = 1;
	grown -= 4096;
	printf("the stack grew by %lu KiB with %d threads running\n", grown >> 10, THREADS);
	if (write(go[1], "gggg", THREADS) != THREADS)
		return 2;
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	printf("threads joined\n");
	return 0;
}
