// SPDX-License-Identifier: MIT
/*
 * tsc_probe: what a program sees of the time-stamp counter. It reads
 * rdtsc three times and rdtscp once and prints how they step (under
 * --trap-rdtsc and the test module: by 1000, from a multiple of 1000 (ld.so
 * read it before), rdtscp on CPU 7), whether it was given a vDSO, whether
 * clock_gettime works, and whether its own SIGSEGV and SIGILL handlers
 * still catch a real fault (on its alternate stack) and a real ud2. With
 * "enforced" it only says whether PR_SET_TSC makes rdtsc fault here.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <time.h>

#define ALT_SIZE (64 * 1024)

static sigjmp_buf jump;
static char *alt;
static volatile int on_alt;

static void on_fault(int sig)
{
	char here;

	(void)sig;
	on_alt = &here >= alt && &here < alt + ALT_SIZE;
	siglongjmp(jump, 1);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
	return (uint64_t)hi << 32 | lo;
}

static void catch_segv(void)
{
	stack_t ss = {.ss_sp = alt = malloc(ALT_SIZE), .ss_size = ALT_SIZE};
	struct sigaction sa;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
}

int main(int argc, char **argv)
{
	volatile int faulted = 0;

	catch_segv();
	if (argc > 1 && strcmp(argv[1], "enforced") == 0) {
		prctl(PR_SET_TSC, PR_TSC_SIGSEGV);
		if (sigsetjmp(jump, 1) == 0)
			rdtsc();
		else
			faulted = 1;
		printf("%s\n", faulted ? "enforced" : "not enforced");
		return 0;
	}
	uint64_t a = rdtsc(), b = rdtsc(), c = rdtsc();
	uint32_t aux = 0;
	uint64_t d = rdtscp(&aux);
	struct timespec ts;
	printf("rdtsc: first a multiple of 1000: %s, steps %llu %llu, rdtscp step %llu on %u\n",
	       a % 1000 == 0 ? "yes" : "no", (unsigned long long)(b - a),
	       (unsigned long long)(c - b), (unsigned long long)(d - c), aux);
	printf("vDSO given: %s, clock_gettime works: %s\n",
	       getauxval(AT_SYSINFO_EHDR) ? "yes" : "no",
	       clock_gettime(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec + ts.tv_nsec > 0 ? "yes"
										      : "no");
	int *volatile bad = (int *)16;
	if (sigsetjmp(jump, 1) == 0)
		*bad = 1;
	else
		faulted = 1;
	printf("own SIGSEGV handler caught a fault: %s, on its alternate stack: %s\n",
	       faulted ? "yes" : "no", on_alt ? "yes" : "no");
	faulted = on_alt = 0;
	if (sigsetjmp(jump, 1) == 0)
		__asm__ volatile("ud2");
	else
		faulted = 1;
	printf("own SIGILL handler caught ud2: %s, on its alternate stack: %s\n",
	       faulted ? "yes" : "no", on_alt ? "yes" : "no");
	return 0;
}
