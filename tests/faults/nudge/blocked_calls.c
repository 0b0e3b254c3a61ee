// SPDX-License-Identifier: MIT
/*
 * Threads blocked in syscalls of each of the kernel's restart classes
 * while a SIGSYS that the program never sees as a handler arrives: the
 * loader's nudge (anonymous executable memory arms the net in the default
 * mode, and the loader signals every other thread), a SIGSYS the program
 * blocks (held for it, pending), or one it ignores. Natively nothing
 * happens to those calls: each returns what its wake gives it, after the
 * wake, and the timed ones sleep out their time. The transcript (one line
 * per call, in a fixed order) must be the same under the loader.
 *
 *   ERESTARTSYS            read (pipe), futex wait, wait4, accept
 *   ERESTARTNOHAND (EINTR) poll, epoll_wait, select, pause, sigsuspend,
 *                          sigtimedwait
 *   ERESTART_RESTARTBLOCK  nanosleep (without and with a remainder),
 *                          clock_nanosleep, poll, ppoll and futex with a
 *                          timeout
 *
 * Usage: blocked_calls arm|held|ignored [NAME]: without the call NAME.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMED_MS 300

static int read_pipe[2], wake_pipe[2], child_pipe[2], quiet_pipe[2], epfd, listener;
static struct sockaddr_un addr;
static socklen_t addr_size;
static pid_t child;
static volatile int futex_word, futex_quiet, woken, block_sigsys;
static volatile int usr1;

struct call {
	const char *name;
	long (*run)(void);
	long nr;   /* what /proc/self/task/TID/syscall shows while it blocks */
	int timed; /* ends by itself: when, against the wake, varies */
	int skip;
	pid_t tid;
	volatile int ready;
	long ret;
	int err, after_wake;
};

static long do_read(void)
{
	char c;
	return syscall(SYS_read, read_pipe[0], &c, 1);
}

static long do_futex(void)
{
	return syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static long do_wait4(void)
{
	int status = 0;
	long r = syscall(SYS_wait4, child, &status, 0, NULL);
	return r == child && WIFEXITED(status) ? WEXITSTATUS(status) : -1000 - r;
}

static long do_accept(void)
{
	long fd = syscall(SYS_accept, listener, NULL, NULL);
	if (fd >= 0)
		close((int)fd);
	return fd >= 0 ? 0 : fd;
}

static long do_poll(void)
{
	struct pollfd p = {wake_pipe[0], POLLIN, 0};
	return syscall(SYS_poll, &p, 1, -1);
}

static long do_epoll(void)
{
	struct epoll_event e;
	return syscall(SYS_epoll_wait, epfd, &e, 1, -1);
}

static long do_select(void)
{
	fd_set in;
	FD_ZERO(&in);
	FD_SET(wake_pipe[0], &in);
	return syscall(SYS_select, wake_pipe[0] + 1, &in, NULL, NULL, NULL);
}

static long do_pause(void)
{
	return syscall(SYS_pause);
}

static long do_sigsuspend(void)
{
	uint64_t sys = 1ULL << (SIGSYS - 1); /* a held SIGSYS stays pending */
	return syscall(SYS_rt_sigsuspend, &sys, sizeof(sys));
}

static long do_sigtimedwait(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	return syscall(SYS_rt_sigtimedwait, &s, NULL, NULL, sizeof(uint64_t));
}

static long do_nanosleep(void)
{
	struct timespec ts = {0, TIMED_MS * 1000000L};
	return syscall(SYS_nanosleep, &ts, NULL);
}

static long do_clock_nanosleep(void)
{
	struct timespec ts = {0, TIMED_MS * 1000000L};
	return syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
}

static long do_nanosleep_rem(void)
{
	struct timespec ts = {0, TIMED_MS * 1000000L}, rem;
	return syscall(SYS_nanosleep, &ts, &rem);
}

static long do_ppoll_timeout(void)
{
	struct pollfd p = {quiet_pipe[0], POLLIN, 0};
	struct timespec ts = {0, TIMED_MS * 1000000L};
	return syscall(SYS_ppoll, &p, 1, &ts, NULL, sizeof(uint64_t));
}

static long do_poll_timeout(void)
{
	struct pollfd p = {quiet_pipe[0], POLLIN, 0};
	return syscall(SYS_poll, &p, 1, TIMED_MS);
}

static long do_futex_timeout(void)
{
	struct timespec ts = {0, TIMED_MS * 1000000L};
	return syscall(SYS_futex, &futex_quiet, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
}

#define CALL(n, f, number, t)                                                                      \
	{                                                                                          \
		.name = n, .run = f, .nr = number, .timed = t                                      \
	}
static struct call calls[] = {
	CALL("read", do_read, SYS_read, 0),
	CALL("futex", do_futex, SYS_futex, 0),
	CALL("wait4", do_wait4, SYS_wait4, 0),
	CALL("accept", do_accept, SYS_accept, 0),
	CALL("poll", do_poll, SYS_poll, 0),
	CALL("epoll_wait", do_epoll, SYS_epoll_wait, 0),
	CALL("select", do_select, SYS_select, 0),
	CALL("pause", do_pause, SYS_pause, 0),
	CALL("sigsuspend", do_sigsuspend, SYS_rt_sigsuspend, 0),
	CALL("sigtimedwait", do_sigtimedwait, SYS_rt_sigtimedwait, 0),
	CALL("nanosleep", do_nanosleep, SYS_nanosleep, 1),
	CALL("clock_nanosleep", do_clock_nanosleep, SYS_clock_nanosleep, 1),
	CALL("nanosleep-rem", do_nanosleep_rem, SYS_nanosleep, 1),
	CALL("poll-timeout", do_poll_timeout, SYS_poll, 1),
	CALL("ppoll-timeout", do_ppoll_timeout, SYS_ppoll, 1),
	CALL("futex-timeout", do_futex_timeout, SYS_futex, 1),
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static void *thread(void *arg)
{
	struct call *c = arg;
	sigset_t s;

	if (block_sigsys) {
		sigemptyset(&s);
		sigaddset(&s, SIGSYS);
		pthread_sigmask(SIG_BLOCK, &s, NULL);
	}
	c->tid = gettid();
	__atomic_store_n(&c->ready, 1, __ATOMIC_SEQ_CST);
	c->ret = c->run();
	c->err = c->ret < 0 ? errno : 0;
	c->after_wake = woken;
	return NULL;
}

/* Whether thread tid is blocked in syscall nr now. */
static int blocked_in(pid_t tid, long nr)
{
	char path[64], buf[128];
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int ok = fgets(buf, sizeof(buf), f) && strtol(buf, NULL, 10) == nr && buf[0] != 'r';
	fclose(f);
	return ok;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void setup(void)
{
	struct epoll_event e = {.events = EPOLLIN};
	struct sigaction sa;

	if (pipe(read_pipe) || pipe(wake_pipe) || pipe(child_pipe) || pipe(quiet_pipe))
		exit(2);
	child = fork();
	if (child == 0) {
		char c;
		while (read(child_pipe[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(7);
	}
	epfd = epoll_create1(0);
	e.data.fd = wake_pipe[0];
	epoll_ctl(epfd, EPOLL_CTL_ADD, wake_pipe[0], &e);
	listener = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1, "blocked-calls-%d", getpid());
	addr_size =
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(addr.sun_path + 1));
	if (bind(listener, (struct sockaddr *)&addr, addr_size) || listen(listener, 1))
		exit(2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: pause's wake is EINTR */
	sigaction(SIGUSR1, &sa, NULL);
}

static void trigger(const char *how)
{
	if (strcmp(how, "arm") == 0) {
		/* Code the loader cannot account for: the default mode arms
		 * the net and nudges every other thread. */
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			exit(2);
		return;
	}
	if (strcmp(how, "ignored") == 0) {
		/* Without SA_RESTART, as the harder case: the kernel then
		 * turns ERESTARTSYS into EINTR for any handler. */
		struct sigaction ign;
		memset(&ign, 0, sizeof(ign));
		ign.sa_handler = SIG_IGN;
		sigaction(SIGSYS, &ign, NULL);
	}
	for (size_t i = 0; i < NCALLS; i++)
		if (!calls[i].skip)
			syscall(SYS_tgkill, getpid(), calls[i].tid, SIGSYS);
	kill(getpid(), SIGSYS); /* the process's: every thread blocks it */
}

static void wake(void)
{
	int fd;

	woken = 1;
	if (write(read_pipe[1], "x", 1) != 1 || write(wake_pipe[1], "x", 1) != 1 ||
	    write(child_pipe[1], "x", 1) != 1)
		exit(2);
	futex_word = 1;
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&addr, addr_size))
		exit(2);
	for (size_t i = 0; i < NCALLS; i++) {
		if (calls[i].skip)
			continue;
		if (calls[i].run == do_pause || calls[i].run == do_sigsuspend)
			syscall(SYS_tgkill, getpid(), calls[i].tid, SIGUSR1);
		if (calls[i].run == do_sigtimedwait)
			syscall(SYS_tgkill, getpid(), calls[i].tid, SIGUSR2);
	}
}

int main(int argc, char **argv)
{
	pthread_t th[NCALLS];
	sigset_t s;

	if (argc < 2 || argc > 3)
		return 2;
	for (size_t i = 0; argc == 3 && i < NCALLS; i++)
		if (strcmp(calls[i].name, argv[2]) == 0)
			calls[i].skip = 1;
	setup();
	block_sigsys = strcmp(argv[1], "held") == 0;
	if (block_sigsys) {
		sigemptyset(&s);
		sigaddset(&s, SIGSYS);
		sigprocmask(SIG_BLOCK, &s, NULL);
	}
	for (size_t i = 0; i < NCALLS; i++)
		if (!calls[i].skip)
			pthread_create(&th[i], NULL, thread, &calls[i]);
	for (size_t i = 0; i < NCALLS; i++) {
		if (calls[i].skip)
			continue;
		while (!__atomic_load_n(&calls[i].ready, __ATOMIC_SEQ_CST))
			sleep_ms(1);
		for (int n = 0; n < 2000 && !blocked_in(calls[i].tid, calls[i].nr); n++)
			sleep_ms(1);
	}
	trigger(argv[1]);
	/* Long enough for an interrupted call to have come back (the
	 * transcript says whether it did before its wake); shorter than
	 * the timed calls' sleep. */
	sleep_ms(TIMED_MS / 3);
	wake();
	for (size_t i = 0; i < NCALLS; i++) {
		struct call *c = &calls[i];
		if (c->skip)
			continue;
		pthread_join(th[i], NULL);
		printf("%s: %ld%s%s", c->name, c->ret, c->ret < 0 ? " " : "",
		       c->ret < 0 ? strerrorname_np(c->err) : "");
		printf("%s\n", c->timed        ? ""
			       : c->after_wake ? " after the wake"
					       : " before the wake");
	}
	printf("SIGUSR1 handled: %d\n", usr1);
	waitpid(child, NULL, 0);
	return 0;
}
