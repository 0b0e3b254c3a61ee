// SPDX-License-Identifier: MIT
/*
 * heap_storm: THREADS threads exhaust a memory budget at once, give half
 * back and take again, ROUNDS times: malloc of 1 MiB (glibc maps each one
 * and unmaps it when freed), malloc of 64 KiB (the threads' arenas, grown
 * by mprotect and trimmed), mmap of 1 MiB, and, in a phase of their own
 * (glibc's malloc moves the break too), brk by half of the threads while
 * the others mmap. Every block is touched. The runner sets the budget:
 * RLIMIT_DATA natively, --heap-size under the loader.
 *
 * Checked, the same natively and under the loader when all is right:
 * every thread is refused, and with ENOMEM (malloc NULL, mmap MAP_FAILED,
 * brk not moving), never a crash or a hang; the data the process holds
 * (VmData, sampled all the while by a thread of its own) never grows past
 * the budget from where it started, nor does what the threads hold, summed
 * by the main thread while they all wait at a barrier (a running sum would
 * race with itself: a block counted as held until after its munmap
 * returns, while another thread already holds its pages again); each
 * round gets at least 3/4 of what the first one got (the memory given
 * back is usable again; glibc keeps some of it in the arena of the thread
 * that freed it, natively too, so that each thread takes the same kind
 * every round); and no more mappings at the end than after the warm-up.
 * Verdict lines on stdout, figures on stderr.
 *
 * MODE malloc: the threads malloc 1 MiB, malloc 64 KiB or mmap 1 MiB.
 * MODE mmap: no malloc at all, only the kernel's primitives that glibc
 * uses (mmap of 1 MiB and of 64 KiB, munmap, a reservation made writable
 * 1 MiB at a time by mprotect and PROT_NONE again): there glibc keeps no
 * memory of its own in arenas, and a probe (one thread mmapping until
 * refused, with the others idle) must get as much after the rounds as
 * before them: memory the books count but nobody holds, or hold but do
 * not count, shows there.
 *
 * usage: heap_storm MODE BUDGET_MIB [THREADS [ROUNDS]]   (8, 4; ROUNDS
 *        times $STRESS_SCALE when set)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps_count.h"
#include "../common/proc_status.h"

#define MIB         (1L << 20)
#define MAX_THREADS 16
#define MAX_BLOCKS  8192
#define CHURN       4 /* takes per round: exhausted, half given back, ... */

enum kind { BIG_MALLOC, SMALL_MALLOC, MMAP, SMALL_MMAP, MPROTECT, BRK };

struct block {
	void *p;
	long size;
	enum kind kind;
};

struct worker {
	pthread_t id;
	int index;
	struct block blocks[MAX_BLOCKS];
	char *reservation; /* PROT_NONE, cap bytes: made writable 1 MiB at a time */
	char slot_used[MAX_BLOCKS];
	int count;
	long refusals, wrong_errno, got;
};

static struct worker *workers;
static int nthreads;
static int no_malloc;    /* mode mmap: only the kernel's primitives, no arenas */
static long budget, cap; /* bytes; cap: what a thread stops at in any case */
static pthread_barrier_t barrier;
static pthread_mutex_t brk_mutex = PTHREAD_MUTEX_INITIALIZER;
static long held_max; /* the threads' blocks, summed while all of them wait */
static atomic_int sampling, quit;
static long vmdata_start, vmdata_max;

/* VmData in bytes (what RLIMIT_DATA limits). */
static long vmdata(void)
{
	long kb = proc_status_kb("VmData:");

	return kb < 0 ? -1 : kb * 1024;
}

/* Samples VmData while sampling is 1, until it is 2. */
static void *sample(void *arg)
{
	(void)arg;
	while (sampling != 2) {
		long v = sampling ? vmdata() : vmdata_start;
		if (v > vmdata_max)
			vmdata_max = v;
		if (!sampling)
			usleep(1000);
	}
	return NULL;
}

/* With every worker waiting at the barrier: what they hold, and VmData. */
static void measure(void)
{
	long sum = 0, v = vmdata();

	for (int i = 0; i < nthreads; i++)
		for (int j = 0; j < workers[i].count; j++)
			sum += workers[i].blocks[j].size;
	if (sum > held_max)
		held_max = sum;
	if (sampling && v > vmdata_max)
		vmdata_max = v;
}

/* One block of kind, touched; NULL when refused (counted, with its errno). */
static void *take_one(struct worker *w, enum kind kind, long size)
{
	void *p = NULL;

	errno = 0;
	switch (kind) {
	case BIG_MALLOC:
	case SMALL_MALLOC:
		p = malloc((size_t)size);
		break;
	case MPROTECT:
		for (long i = 0; i < cap / MIB && !p; i++) {
			if (w->slot_used[i])
				continue;
			if (mprotect(w->reservation + i * MIB, MIB, PROT_READ | PROT_WRITE) != 0)
				break;
			w->slot_used[i] = 1;
			p = w->reservation + i * MIB;
		}
		break;
	case MMAP:
	case SMALL_MMAP:
		p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (p == MAP_FAILED)
			p = NULL;
		break;
	case BRK:
		pthread_mutex_lock(&brk_mutex);
		p = sbrk(size);
		if (p == (void *)-1)
			p = NULL;
		pthread_mutex_unlock(&brk_mutex);
		break;
	}
	if (!p) {
		w->refusals++;
		w->wrong_errno += errno != ENOMEM;
		return NULL;
	}
	memset(p, 0x5a, (size_t)size);
	return p;
}

static void give_back(struct worker *w, struct block *b)
{
	switch (b->kind) {
	case BIG_MALLOC:
	case SMALL_MALLOC:
		free(b->p);
		break;
	case MMAP:
	case SMALL_MMAP:
		munmap(b->p, (size_t)b->size);
		break;
	case MPROTECT:
		mprotect(b->p, (size_t)b->size, PROT_NONE);
		w->slot_used[((char *)b->p - w->reservation) / MIB] = 0;
		break;
	case BRK:
		return; /* the break goes back at once, at the round's end */
	}
}

/* Take blocks of kind until refused (or cap); returns the bytes taken. */
static long take(struct worker *w, enum kind kind, long size)
{
	long got = 0, mine = 0;

	for (int i = 0; i < w->count; i++)
		mine += w->blocks[i].size;
	while (w->count < MAX_BLOCKS && mine + got < cap) {
		void *p = take_one(w, kind, size);
		if (!p)
			break;
		w->blocks[w->count++] = (struct block){p, size, kind};
		got += size;
	}
	return got;
}

/* Give back every other block (all of them when all is set). */
static void give_back_some(struct worker *w, int all)
{
	int kept = 0;

	for (int i = 0; i < w->count; i++) {
		if (all || i % 2)
			give_back(w, &w->blocks[i]);
		else
			w->blocks[kept++] = w->blocks[i];
	}
	w->count = kept;
}

/* The same kind for a thread every round: the memory glibc keeps in a
 * thread's arena (freed, still mapped and counted, natively as under the
 * loader) is that thread's to use again. */
static enum kind kind_of(const struct worker *w)
{
	static const enum kind with_malloc[] = {BIG_MALLOC, SMALL_MALLOC, MMAP};
	static const enum kind without[] = {MMAP, SMALL_MMAP, MPROTECT};

	return no_malloc ? without[w->index % 3] : with_malloc[w->index % 3];
}

static void *work(void *arg)
{
	struct worker *w = arg;
	static char *brk_start; /* the break before the brk phase */

	for (;;) {
		pthread_barrier_wait(&barrier); /* the main thread starts a round */
		if (quit)
			break;
		enum kind kind = kind_of(w);
		long size = kind == SMALL_MALLOC || kind == SMALL_MMAP ? 64 << 10 : MIB;
		/* Phase 1: malloc or mmap, all threads at once, churning. */
		w->got = 0;
		for (int rep = 0; rep < CHURN; rep++) {
			w->got += take(w, kind, size);
			if (rep < CHURN - 1)
				give_back_some(w, 0);
		}
		pthread_barrier_wait(&barrier); /* all exhausted */
		pthread_barrier_wait(&barrier); /* measured */
		give_back_some(w, 1);
		pthread_barrier_wait(&barrier);
		/* Phase 2: no malloc anywhere; half the threads move the
		 * break, the others mmap. */
		if (w->index == 0)
			brk_start = sbrk(0);
		pthread_barrier_wait(&barrier);
		take(w, w->index % 2 ? MMAP : BRK, w->index % 2 ? MIB : 256 << 10);
		pthread_barrier_wait(&barrier); /* all exhausted */
		pthread_barrier_wait(&barrier); /* measured */
		give_back_some(w, 1);
		pthread_barrier_wait(&barrier);
		if (w->index == 0) {
			if (brk(brk_start) != 0)
				w->wrong_errno++;
		}
		pthread_barrier_wait(&barrier); /* the round is over */
	}
	return NULL;
}

struct round_figures {
	long got; /* phase 1, all threads */
	int all_refused;
};

static int run_round(struct round_figures *f)
{
	f->got = 0;
	f->all_refused = 1;
	for (int i = 0; i < nthreads; i++)
		workers[i].refusals = 0;
	pthread_barrier_wait(&barrier); /* go */
	pthread_barrier_wait(&barrier); /* phase 1 exhausted */
	measure();
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier); /* given back */
	pthread_barrier_wait(&barrier); /* the break noted */
	pthread_barrier_wait(&barrier); /* phase 2 exhausted */
	measure();
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier); /* given back */
	pthread_barrier_wait(&barrier); /* the break back */
	for (int i = 0; i < nthreads; i++) {
		f->got += workers[i].got;
		/* Refused CHURN times in phase 1 and once in phase 2. */
		f->all_refused &= workers[i].refusals >= CHURN + 1;
	}
	return 0;
}

/* With every thread idle: what one mmap after another gets, 256 KiB at a
 * time, until refused; all given back. The same before and after the
 * rounds when the books are right: memory counted but not held (or held
 * but not counted) shows here. */
static long probe(void)
{
	struct worker *w = &workers[0];
	int count = w->count;
	long got = take(w, MMAP, 256 << 10);

	for (int i = count; i < w->count; i++)
		give_back(w, &w->blocks[i]);
	w->count = count;
	return got;
}

int main(int argc, char **argv)
{
	int rounds = argc > 4 ? atoi(argv[4]) : 4, all_refused = 1, usable = 1;
	const char *scale = getenv("STRESS_SCALE");
	struct round_figures first = {0}, f;
	pthread_t sampler;
	pthread_attr_t attr;
	long wrong_errno = 0, probe_start, probe_end, min_got = -1, maps_before, maps_after;

	no_malloc = argc > 1 && strcmp(argv[1], "mmap") == 0;
	budget = (argc > 2 ? atol(argv[2]) : 0) * MIB;
	nthreads = argc > 3 ? atoi(argv[3]) : 8;
	if (scale)
		rounds = (int)(rounds * atof(scale));
	if (argc < 3 || (!no_malloc && strcmp(argv[1], "malloc") != 0) || budget <= 0 ||
	    budget > 1024 * MIB || nthreads < 2 || nthreads > MAX_THREADS || rounds < 1) {
		fprintf(stderr,
			"usage: %s malloc|mmap BUDGET_MIB (1-1024) [THREADS (2-%d) [ROUNDS]]\n",
			argv[0], MAX_THREADS);
		return 2;
	}
	cap = 4 * budget;
	workers = mmap(NULL, sizeof(*workers) * MAX_THREADS, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (workers == MAP_FAILED)
		return 2;
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads + 1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 << 10); /* stacks count too */
	for (int i = 0; i < nthreads; i++) {
		workers[i].index = i;
		workers[i].reservation = mmap(NULL, (size_t)cap, PROT_NONE,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (workers[i].reservation == MAP_FAILED)
			return 2;
		if (pthread_create(&workers[i].id, &attr, work, &workers[i]) != 0)
			return 2;
	}
	/* Round 0 is the warm-up (the threads' arenas); the figures of the
	 * following ones are compared with its. */
	run_round(&first);
	/* The sampler's own stack (and, under the loader, its TCB and LibOS
	 * stack, which are not the program's) before VmData's start. */
	if (pthread_create(&sampler, &attr, sample, NULL) != 0)
		return 2;
	probe_start = probe();
	vmdata_start = vmdata_max = vmdata();
	sampling = 1;
	maps_before = maps_count();
	all_refused = first.all_refused;
	for (int r = 1; r <= rounds; r++) {
		run_round(&f);
		all_refused &= f.all_refused;
		if (min_got < 0 || f.got < min_got)
			min_got = f.got;
		usable &= f.got >= first.got * 3 / 4;
	}
	probe_end = probe();
	sampling = 2;
	pthread_join(sampler, NULL);
	maps_after = maps_count();
	quit = 1;
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < nthreads; i++)
		pthread_join(workers[i].id, NULL);
	for (int i = 0; i < nthreads; i++)
		wrong_errno += workers[i].wrong_errno;
	fprintf(stderr,
		"%d threads, %d rounds, budget %ld MiB: the first round got %ld MiB, the least "
		"%ld MiB; held at most %ld MiB; VmData %ld MiB at "
		"the start, %ld MiB at most; %ld refusals not ENOMEM; an mmap probe got %ld KiB "
		"before the rounds, %ld KiB after; mappings %ld -> %ld\n",
		nthreads, rounds, budget / MIB, first.got / MIB, min_got / MIB,
		(long)held_max / MIB, vmdata_start / MIB, vmdata_max / MIB, wrong_errno,
		probe_start >> 10, probe_end >> 10, maps_before, maps_after);
	int within = held_max <= budget && vmdata_max - vmdata_start <= budget;
	int books = !no_malloc || labs(probe_end - probe_start) <= 256 << 10; /* one block */
	printf("refused: %s\n", all_refused && !wrong_errno ? "every thread, with ENOMEM"
							    : "NOT EVERY THREAD, OR NOT ENOMEM");
	printf("budget: %s\n", within ? "never exceeded" : "EXCEEDED");
	printf("again: %s\n",
	       usable ? "the memory given back is usable again" : "LESS AFTER GIVING BACK");
	printf("probe: %s\n", books ? "as much after the rounds as before"
				    : "NOT AS MUCH AFTER THE ROUNDS AS BEFORE");
	printf("mappings: %s\n", maps_after <= maps_before ? "no more at the end" : "MORE");
	return all_refused && !wrong_errno && within && usable && books && maps_after <= maps_before
		       ? 0
		       : 1;
}
