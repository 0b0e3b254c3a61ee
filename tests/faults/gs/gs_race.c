// SPDX-License-Identifier: MIT
/*
 * Eight threads set %gs at the same instant (arch_prctl(ARCH_SET_GS) after
 * a barrier), then make syscalls and read their block through %gs: the
 * first one hands %gs over, and the others must not go on before that
 * is done (their syscalls would reach stubs that read the program's %gs).
 * Prints how many reads and syscalls went wrong; run natively and under
 * the loader, a fresh process each round.
 *
 *   gs_race [ROUNDS]
 */
#include <asm/prctl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 8

static pthread_barrier_t start;

static void *thread(void *arg)
{
	unsigned long block[2] = {0, (unsigned long)arg}, v;
	long bad = 0;

	pthread_barrier_wait(&start);
	syscall(SYS_arch_prctl, ARCH_SET_GS, block);
	for (int i = 0; i < 200; i++) {
		if (getppid() <= 0)
			bad++;
		__asm__ volatile("mov %%gs:8, %0" : "=r"(v));
		bad += v != (unsigned long)arg;
	}
	return (void *)bad;
}

static int one_round(void)
{
	pthread_t t[THREADS];
	long bad = 0;

	pthread_barrier_init(&start, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, thread, (void *)(0x1000 + i));
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	return bad != 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20, wrong = 0;

	for (int i = 0; i < rounds; i++) {
		pid_t p = fork(); /* each round a process whose %gs is still the loader's */
		if (p == 0)
			_exit(one_round());
		int st;
		waitpid(p, &st, 0);
		wrong += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	printf("%d rounds of %d threads setting %%gs at once: %d went wrong\n", rounds, THREADS,
	       wrong);
	return 0;
}
