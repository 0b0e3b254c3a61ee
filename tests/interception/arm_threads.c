// SPDX-License-Identifier: MIT
/*
 * arm_threads: the net armed in every thread, not only in the one that
 * made it necessary. A second thread is started and waits; the main thread
 * then maps anonymous executable memory (which arms the net) and writes
 * `mov $39,%eax; syscall; ret` there; the second thread calls it. Under the
 * loader (default mode) that syscall must be caught: the report shows it
 * trapped once and the site rewritten after it (check-report.py).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static long (*fn)(void);

static void *second(void *arg)
{
	long a, b;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!fn)
		pthread_cond_wait(&ready, &lock);
	pthread_mutex_unlock(&lock);
	a = fn();
	b = fn();
	printf("second thread: generated getpid %s, %s\n", a == getpid() ? "right" : "WRONG",
	       b == getpid() ? "right" : "WRONG");
	return NULL;
}

int main(void)
{
	static const unsigned char code[] = {0xb8, 0x27, 0, 0, 0, 0x0f, 0x05, 0xc3};
	pthread_t t;
	unsigned char *page;

	pthread_create(&t, NULL, second, NULL);
	usleep(20000); /* let it block in the kernel, outside any stub */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	memcpy(page, code, sizeof(code));
	pthread_mutex_lock(&lock);
	fn = (long (*)(void))page;
	pthread_cond_signal(&ready);
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	return 0;
}
