// SPDX-License-Identifier: MIT
/*
 * The signal semantics of SIGSYS, printed as a transcript that must be
 * the same natively and under the loader (whose own SIGSYS is real and
 * the program's virtual): blocking and pending, sigpending, the waits
 * (sigtimedwait, sigwaitinfo, signalfd), actions read back (sa_mask, old
 * masks), SIG_IGN, SA_RESETHAND, SA_NODEFER, temporary masks
 * (sigsuspend, pselect, ppoll, epoll_pwait), the default action (killed
 * by SIGSYS, core flag), fork children, threads, and execve (a blocked
 * mask and a pending SIGSYS survive it; SIG_IGN too).
 * Usage: sigsys_semantics [CASE]; no CASE runs them all, each in a child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static char *self;
static volatile int handled, handled_usr1;
static volatile int seen_code, seen_from_self, seen_sys_blocked, seen_usr1_blocked, seen_uc_sys;
static volatile int seen_value, order[8], order_n;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int blocked(int sig)
{
	sigset_t s;
	sigprocmask(SIG_BLOCK, NULL, &s);
	return sigismember(&s, sig);
}

static int pending(int sig)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig);
}

static void on_sys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	handled++;
	seen_code = si->si_code;
	seen_from_self = si->si_pid == getpid();
	seen_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : 0;
	seen_sys_blocked = blocked(SIGSYS);
	seen_usr1_blocked = blocked(SIGUSR1);
	seen_uc_sys = sigismember(&uc->uc_sigmask, SIGSYS);
	if (order_n < 8)
		order[order_n++] = SIGSYS;
}

static void on_usr1(int sig)
{
	(void)sig;
	handled_usr1++;
	if (order_n < 8)
		order[order_n++] = SIGUSR1;
}

static void set_action(int sig, void (*h)(int, siginfo_t *, void *), int flags, int mask_sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = flags | SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (mask_sig)
		sigaddset(&sa.sa_mask, mask_sig);
	sigaction(sig, &sa, NULL);
}

static void set_handler(int sig, void (*h)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sigaction(sig, &sa, NULL);
}

static void mask(int how, int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static void report_handler(const char *what)
{
	say("%s: handled=%d code=%d self=%d sys_blocked=%d usr1_blocked=%d uc_sys=%d\n", what,
	    handled, seen_code, seen_from_self, seen_sys_blocked, seen_usr1_blocked, seen_uc_sys);
}

/* A blocked SIGSYS waits, shows in sigpending, runs at its unblock. */
static void case_pending(void)
{
	set_action(SIGSYS, on_sys, 0, 0);
	mask(SIG_BLOCK, SIGSYS);
	kill(getpid(), SIGSYS);
	say("blocked kill: handled=%d pending=%d blocked=%d\n", handled, pending(SIGSYS),
	    blocked(SIGSYS));
	mask(SIG_UNBLOCK, SIGSYS);
	report_handler("after unblock");
	say("pending=%d\n", pending(SIGSYS));
	/* A second one while one is pending is merged. */
	mask(SIG_BLOCK, SIGSYS);
	kill(getpid(), SIGSYS);
	kill(getpid(), SIGSYS);
	syscall(SYS_tgkill, getpid(), gettid(), SIGSYS);
	mask(SIG_UNBLOCK, SIGSYS);
	say("three sent (two to the process, one to the thread): handled=%d\n", handled);
	/* sigqueue's value comes through. */
	mask(SIG_BLOCK, SIGSYS);
	sigqueue(getpid(), SIGSYS, (union sigval){.sival_int = 42});
	mask(SIG_UNBLOCK, SIGSYS);
	say("sigqueue: handled=%d code=%d value=%d\n", handled, seen_code, seen_value);
	/* Unblocked: at once. */
	raise(SIGSYS);
	report_handler("raise");
}

/* Old values read back: sa_mask and the mask. */
static void case_readback(void)
{
	struct sigaction sa, old;
	sigset_t s, o;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGSYS);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR1, NULL, &old);
	say("usr1 sa_mask: sys=%d usr2=%d\n", sigismember(&old.sa_mask, SIGSYS),
	    sigismember(&old.sa_mask, SIGUSR2));
	set_action(SIGSYS, on_sys, SA_RESTART, SIGUSR2);
	sigaction(SIGSYS, NULL, &old);
	say("sys action: handler=%d flags_restart=%d sa_mask usr2=%d sys=%d\n",
	    old.sa_sigaction == on_sys, !!(old.sa_flags & SA_RESTART),
	    sigismember(&old.sa_mask, SIGUSR2), sigismember(&old.sa_mask, SIGSYS));
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, &o);
	say("old before block: sys=%d\n", sigismember(&o, SIGSYS));
	sigprocmask(SIG_BLOCK, NULL, &o);
	say("old after block: sys=%d\n", sigismember(&o, SIGSYS));
	sigprocmask(SIG_UNBLOCK, &s, &o);
	say("old at unblock: sys=%d\n", sigismember(&o, SIGSYS));
	sigprocmask(SIG_SETMASK, NULL, &o);
	say("now: sys=%d\n", sigismember(&o, SIGSYS));
	/* A handler's mask: its sa_mask, the signal itself, and back after. */
	sa.sa_mask = s; /* {SIGSYS} */
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("after usr1 handler: sys blocked=%d\n", blocked(SIGSYS));
}

static volatile int usr1_saw_sys_blocked;
static void on_usr1_probe(int sig)
{
	(void)sig;
	usr1_saw_sys_blocked = blocked(SIGSYS);
	handled_usr1++;
	if (order_n < 8)
		order[order_n++] = SIGUSR1;
}

static void case_handler_masks(void)
{
	set_action(SIGSYS, on_sys, 0, SIGUSR1);
	raise(SIGSYS);
	report_handler("plain");
	set_action(SIGSYS, on_sys, SA_NODEFER, 0);
	raise(SIGSYS);
	report_handler("nodefer");
	set_action(SIGSYS, on_sys, SA_RESETHAND, 0);
	raise(SIGSYS);
	report_handler("resethand");
	struct sigaction old;
	sigaction(SIGSYS, NULL, &old);
	say("after resethand: dfl=%d resethand_flag=%d\n", old.sa_handler == SIG_DFL,
	    !!(old.sa_flags & SA_RESETHAND));
	/* The uc_sigmask a handler sees, when SIGSYS was blocked. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	set_action(SIGSYS, on_sys, 0, 0);
	sa.sa_handler = on_usr1_probe;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	mask(SIG_BLOCK, SIGSYS);
	raise(SIGUSR1);
	say("usr1 while sys blocked: sys blocked in handler=%d after=%d\n", usr1_saw_sys_blocked,
	    blocked(SIGSYS));
}

/* SIGSYS in the mask of a handler the kernel enters (another signal's
 * action): blocked in it from its first instruction, so that a SIGSYS sent
 * meanwhile waits for its return; the mask it returns to, what it reads
 * back (its own action, its frame's uc_sigmask), and its registers. */
static volatile int probe_sys_blocked, probe_uc_sys, probe_sys_handled, probe_sys_pending;
static volatile int probe_args_ok, nested_sys_blocked;
static volatile long probe_uc_flags, sys_uc_flags;
static volatile int reraise_depth, reraise_max, reraise_pending;

/* A SIGSYS handler that sends itself another: natively it waits for the
 * handler's return, unless SA_NODEFER. */
static void on_sys_reraise(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	sys_uc_flags = (long)((ucontext_t *)ucv)->uc_flags;
	if (++reraise_depth > reraise_max)
		reraise_max = reraise_depth;
	if (handled++ == 0) {
		raise(SIGSYS);
		reraise_pending = pending(SIGSYS);
	}
	reraise_depth--;
}
static sigset_t probe_unblock; /* what the probe does to the mask inside */
static int probe_how = -1;
static int probe_edit_uc; /* 1: the handler adds SIGSYS to its frame's mask, -1: takes it out */

static void on_usr2_nested(int sig)
{
	(void)sig;
	nested_sys_blocked = blocked(SIGSYS);
}

static void on_usr1_sa(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	probe_args_ok = sig == SIGUSR1 && si->si_signo == SIGUSR1 && si->si_code == SI_TKILL &&
			(void *)uc > (void *)si - 4096 && (void *)uc < (void *)si + 4096;
	probe_sys_blocked = blocked(SIGSYS);
	probe_uc_sys = sigismember(&uc->uc_sigmask, SIGSYS);
	probe_uc_flags = (long)uc->uc_flags;
	int before = handled;
	raise(SIGSYS); /* waits, natively, while SIGSYS is blocked */
	probe_sys_handled = handled - before;
	probe_sys_pending = pending(SIGSYS);
	raise(SIGUSR2); /* a nested handler without SIGSYS in its mask */
	if (probe_how >= 0)
		sigprocmask(probe_how, &probe_unblock, NULL);
	if (probe_edit_uc > 0)
		sigaddset(&uc->uc_sigmask, SIGSYS);
	else if (probe_edit_uc < 0)
		sigdelset(&uc->uc_sigmask, SIGSYS);
	handled_usr1++;
	if (order_n < 8)
		order[order_n++] = SIGUSR1;
}

static void set_usr1(int flags, int full, int with_sys)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1_sa;
	sa.sa_flags = SA_SIGINFO | flags;
	if (full)
		sigfillset(&sa.sa_mask);
	else
		sigemptyset(&sa.sa_mask);
	if (with_sys)
		sigaddset(&sa.sa_mask, SIGSYS);
	sigaction(SIGUSR1, &sa, NULL);
}

static void usr1_line(const char *what)
{
	order_n = 0;
	handled = 0;
	raise(SIGUSR1);
	say("%s: args=%d sys blocked in=%d uc_sys=%d sys ran inside=%d pending inside=%d "
	    "nested sys blocked=%d after: blocked=%d handled=%d order:",
	    what, probe_args_ok, probe_sys_blocked, probe_uc_sys, probe_sys_handled,
	    probe_sys_pending, nested_sys_blocked, blocked(SIGSYS), handled);
	for (int i = 0; i < order_n; i++)
		say(" %d", order[i]);
	say("\n");
}

static void *usr1_thread(void *arg)
{
	(void)arg;
	usr1_line("in a thread");
	return NULL;
}

static void sa_mask_body(void)
{
	struct sigaction old;

	set_action(SIGSYS, on_sys, 0, 0);
	set_handler(SIGUSR2, on_usr2_nested);
	set_usr1(0, 0, 1);
	sigaction(SIGUSR1, NULL, &old);
	say("usr1 read back: handler=%d siginfo=%d sa_mask sys=%d\n",
	    old.sa_sigaction == on_usr1_sa, !!(old.sa_flags & SA_SIGINFO),
	    sigismember(&old.sa_mask, SIGSYS));
	usr1_line("sa_mask {SYS}");
	say("uc_flags=%lx\n", probe_uc_flags);
	set_usr1(0, 1, 1);
	usr1_line("sa_mask full");
	set_usr1(SA_ONSTACK, 0, 1);
	usr1_line("sa_mask {SYS}, no altstack, SA_ONSTACK");
	/* The mask before the handler comes back, whatever it did. */
	sigemptyset(&probe_unblock);
	sigaddset(&probe_unblock, SIGSYS);
	probe_how = SIG_UNBLOCK;
	usr1_line("unblocks SYS inside");
	set_usr1(0, 0, 0);
	probe_how = SIG_BLOCK;
	usr1_line("blocks SYS inside, sa_mask {}");
	probe_how = -1;
	mask(SIG_BLOCK, SIGSYS);
	usr1_line("SYS blocked before, sa_mask {}");
	set_usr1(0, 0, 1);
	usr1_line("SYS blocked before, sa_mask {SYS}");
	mask(SIG_UNBLOCK, SIGSYS);
	say("handled=%d\n", handled);
	/* The mask in the frame is what rt_sigreturn puts back. */
	probe_edit_uc = 1;
	usr1_line("adds SYS to uc_sigmask");
	probe_edit_uc = -1;
	usr1_line("SYS blocked, takes it out of uc_sigmask");
	say("handled=%d\n", handled);
	probe_edit_uc = 0;
	/* In another thread, and in a fork child. */
	pthread_t th;
	pthread_create(&th, NULL, usr1_thread, NULL);
	pthread_join(th, NULL);
	say("main after the thread's: blocked=%d\n", blocked(SIGSYS));
	pid_t c = fork();
	if (c == 0) {
		usr1_line("fork child");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* SA_RESETHAND: one delivery, then the default (read back). */
	set_usr1(SA_RESETHAND, 0, 1);
	usr1_line("resethand");
	sigaction(SIGUSR1, NULL, &old);
	say("after resethand: dfl=%d sa_mask sys=%d\n", old.sa_handler == SIG_DFL,
	    sigismember(&old.sa_mask, SIGSYS));
	/* On an alternate stack. */
	static char alt[65536];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt)};
	sigaltstack(&ss, NULL);
	set_usr1(SA_ONSTACK, 0, 1);
	usr1_line("sa_mask {SYS} on the alternate stack");
	/* SIGSYS's own handler blocks it, SA_NODEFER aside. */
	for (int nodefer = 0; nodefer < 2; nodefer++) {
		set_action(SIGSYS, on_sys_reraise, nodefer ? SA_NODEFER : 0, 0);
		handled = reraise_max = 0;
		raise(SIGSYS);
		say("sys handler sends one, nodefer=%d: handled=%d nested=%d pending inside=%d "
		    "uc_flags=%lx\n",
		    nodefer, handled, reraise_max > 1, reraise_pending, sys_uc_flags);
	}
	set_action(SIGSYS, on_sys, 0, 0);
	/* A plain handler (no SA_SIGINFO). */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1_probe;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGSYS);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("plain handler with sa_mask {SYS}: sys blocked in handler=%d after=%d\n",
	    usr1_saw_sys_blocked, blocked(SIGSYS));
}

static void case_sa_mask_in_handler(void)
{
	sa_mask_body();
}

/* The same once the program owns %gs (every syscall then reaches the
 * net, and the handler's entry cannot use %gs). */
static void case_sa_mask_gs(void)
{
	static long block[64];
	syscall(SYS_arch_prctl, 0x1001 /* ARCH_SET_GS */, block);
	sa_mask_body();
}

static void case_ignore(void)
{
	signal(SIGSYS, SIG_IGN);
	raise(SIGSYS);
	say("ignored, unblocked: pending=%d\n", pending(SIGSYS));
	mask(SIG_BLOCK, SIGSYS);
	raise(SIGSYS);
	say("ignored, blocked: pending=%d\n", pending(SIGSYS));
	signal(SIGSYS, SIG_IGN); /* discards a pending one */
	say("SIG_IGN again: pending=%d\n", pending(SIGSYS));
	raise(SIGSYS);
	set_action(SIGSYS, on_sys, 0, 0);
	mask(SIG_UNBLOCK, SIGSYS);
	say("handler then unblock: handled=%d\n", handled);
	/* Default action for a blocked pending one, then SIG_IGN: gone. */
	mask(SIG_BLOCK, SIGSYS);
	signal(SIGSYS, SIG_DFL);
	raise(SIGSYS);
	say("default, blocked: pending=%d\n", pending(SIGSYS));
	signal(SIGSYS, SIG_IGN);
	mask(SIG_UNBLOCK, SIGSYS);
	say("ignored before unblock: alive pending=%d\n", pending(SIGSYS));
}

static void case_waits(void)
{
	sigset_t s;
	siginfo_t si;
	struct timespec zero = {0, 0}, ten_ms = {0, 10000000}, long_wait = {10, 0};
	int r;

	set_action(SIGSYS, on_sys, 0, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, NULL);
	r = sigtimedwait(&s, &si, &ten_ms);
	say("sigtimedwait nothing: r=%d errno=%s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	kill(getpid(), SIGSYS);
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&s, &si, &zero);
	say("sigtimedwait pending: r=%d code=%d self=%d handled=%d pending=%d\n", r, si.si_code,
	    si.si_pid == getpid(), handled, pending(SIGSYS));
	syscall(SYS_tgkill, getpid(), gettid(), SIGSYS);
	memset(&si, 0, sizeof(si));
	r = sigwaitinfo(&s, &si);
	say("sigwaitinfo thread-directed: r=%d code=%d\n", r, si.si_code);
	int sig = 0;
	raise(SIGSYS);
	r = sigwait(&s, &sig);
	say("sigwait: r=%d sig=%d\n", r, sig);
	/* Before an ordinary signal: SIGSYS is a synchronous-class one. */
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	raise(SIGSYS);
	r = sigwaitinfo(&s, &si);
	int r2 = sigwaitinfo(&s, &si);
	say("two pending: first=%d second=%d\n", r, r2);
	/* Arriving during the wait, from another process. */
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		struct timespec d = {0, 50000000};
		nanosleep(&d, NULL);
		kill(parent, SIGSYS);
		_exit(0);
	}
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&s, &si, &long_wait);
	say("sigtimedwait during: r=%d code=%d from_child=%d handled=%d\n", r, si.si_code,
	    si.si_pid == c, handled);
	waitpid(c, NULL, 0);
	/* An unblocked SIGSYS is waited for too (the wait takes it). */
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	c = fork();
	if (c == 0) {
		struct timespec d = {0, 50000000};
		nanosleep(&d, NULL);
		kill(parent, SIGSYS);
		_exit(0);
	}
	r = sigtimedwait(&s, &si, &long_wait);
	say("unblocked wait during: r=%d handled=%d\n", r, handled);
	waitpid(c, NULL, 0);
}

/* A known limit (README): a held SIGSYS is not in the kernel's pending
 * set, which is what a signalfd reads and polls. */
static void case_signalfd(void)
{
	sigset_t s;
	int r;

	set_action(SIGSYS, on_sys, 0, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	/* signalfd. */
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = signalfd(-1, &s, SFD_NONBLOCK);
	struct signalfd_siginfo ssi;
	r = (int)read(fd, &ssi, sizeof(ssi));
	say("signalfd nothing: r=%d errno=%s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	kill(getpid(), SIGSYS);
	struct pollfd p = {fd, POLLIN, 0};
	r = poll(&p, 1, 0);
	say("signalfd poll: r=%d revents=%d\n", r, p.revents);
	memset(&ssi, 0, sizeof(ssi));
	r = (int)read(fd, &ssi, sizeof(ssi));
	say("signalfd read: r=%d signo=%u code=%d self=%d pending=%d\n", r, ssi.ssi_signo,
	    ssi.ssi_code, ssi.ssi_pid == (uint32_t)getpid(), pending(SIGSYS));
	close(fd);
	mask(SIG_UNBLOCK, SIGSYS);
	say("handled=%d\n", handled);
}

/* What works with a signalfd whose mask has SIGSYS: the other signals
 * of its mask, its mask read back, and a SIGSYS held meanwhile stays
 * pending for sigpending, a wait and the unblock. */
static void case_signalfd_others(void)
{
	sigset_t s;
	struct signalfd_siginfo ssi;
	char path[64], line[256];
	int r;

	set_action(SIGSYS, on_sys, 0, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	int fd = signalfd(-1, &s, SFD_NONBLOCK);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "sigmask:", 8) == 0)
			say("fdinfo %s", line);
	if (f)
		fclose(f);
	raise(SIGUSR1);
	struct pollfd p = {fd, POLLIN, 0};
	r = poll(&p, 1, 0);
	say("signalfd poll usr1: r=%d revents=%d\n", r, p.revents);
	memset(&ssi, 0, sizeof(ssi));
	r = (int)read(fd, &ssi, sizeof(ssi));
	say("signalfd read usr1: r=%d signo=%u code=%d\n", r, ssi.ssi_signo, ssi.ssi_code);
	kill(getpid(), SIGSYS);
	say("sys sent: pending=%d handled=%d\n", pending(SIGSYS), handled);
	siginfo_t si;
	struct timespec zero = {0, 0};
	r = sigtimedwait(&s, &si, &zero);
	say("sigtimedwait: r=%d code=%d\n", r, si.si_code);
	kill(getpid(), SIGSYS);
	close(fd);
	mask(SIG_UNBLOCK, SIGSYS);
	say("unblocked: handled=%d pending=%d\n", handled, pending(SIGSYS));
}

static void case_temporary_masks(void)
{
	sigset_t with, without;
	struct timespec zero = {0, 0};

	set_action(SIGSYS, on_sys, 0, 0);
	set_handler(SIGUSR1, on_usr1_probe);
	sigemptyset(&with);
	sigaddset(&with, SIGSYS);
	sigemptyset(&without);
	/* SIGSYS pending and blocked; the call's mask lets it in. */
	mask(SIG_BLOCK, SIGSYS);
	raise(SIGSYS);
	int r = sigsuspend(&without);
	say("sigsuspend without: r=%d errno=%s handled=%d blocked after=%d uc_sys=%d\n", r,
	    strerrorname_np(errno), handled, blocked(SIGSYS), seen_uc_sys);
	raise(SIGSYS);
	r = ppoll(NULL, 0, &zero, &without);
	say("ppoll without: r=%d errno=%s handled=%d blocked after=%d\n", r,
	    r < 0 ? strerrorname_np(errno) : "-", handled, blocked(SIGSYS));
	raise(SIGSYS);
	r = pselect(0, NULL, NULL, NULL, &zero, &without);
	say("pselect without: r=%d errno=%s handled=%d blocked after=%d\n", r,
	    r < 0 ? strerrorname_np(errno) : "-", handled, blocked(SIGSYS));
	int ep = epoll_create1(0);
	struct epoll_event ev;
	raise(SIGSYS);
	r = epoll_pwait(ep, &ev, 1, 0, &without);
	say("epoll_pwait without: r=%d errno=%s handled=%d blocked after=%d\n", r,
	    r < 0 ? strerrorname_np(errno) : "-", handled, blocked(SIGSYS));
	/* sigsuspend with SIGSYS in its mask: SIGUSR1 wakes it, SIGSYS stays. */
	mask(SIG_BLOCK, SIGUSR1);
	mask(SIG_BLOCK, SIGSYS);
	raise(SIGSYS);
	raise(SIGUSR1);
	sigset_t only_sys = with;
	r = sigsuspend(&only_sys);
	say("sigsuspend with: r=%d usr1 saw sys blocked=%d pending sys=%d\n", r,
	    usr1_saw_sys_blocked, pending(SIGSYS));
	mask(SIG_UNBLOCK, SIGSYS);
	say("handled=%d\n", handled);
	close(ep);
}

/* Not yet the kernel's under the loader: a SIGSYS the program blocks
 * still interrupts the call it arrives in (EINTR), where natively it
 * only waits. */
static void case_held_interrupts(void)
{
	sigset_t with;
	int r;

	set_action(SIGSYS, on_sys, 0, 0);
	set_handler(SIGUSR1, on_usr1_probe);
	sigemptyset(&with);
	sigaddset(&with, SIGSYS);
	mask(SIG_BLOCK, SIGSYS);
	/* The call's mask blocks SIGSYS and lets SIGUSR1 in: SIGSYS stays
	 * pending through the call and runs after. */
	mask(SIG_BLOCK, SIGUSR1);
	order_n = 0;
	pid_t parent = getpid(), c = fork();
	if (c == 0) {
		kill(parent, SIGSYS); /* whenever it lands, it waits */
		struct timespec d = {0, 30000000};
		nanosleep(&d, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	r = ppoll(NULL, 0, NULL, &with);
	say("ppoll with: r=%d errno=%s usr1 saw sys blocked=%d pending now=%d\n", r,
	    strerrorname_np(errno), usr1_saw_sys_blocked, pending(SIGSYS));
	waitpid(c, NULL, 0);
	mask(SIG_UNBLOCK, SIGSYS);
	say("order:");
	for (int i = 0; i < order_n; i++)
		say(" %d", order[i]);
	say("\n");
}

static int status_line(pid_t c, const char *what)
{
	int st;
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st))
		say("%s: killed by %d core=%d\n", what, WTERMSIG(st), !!WCOREDUMP(st));
	else
		say("%s: exit %d\n", what, WEXITSTATUS(st));
	return st;
}

static void no_core(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
}

static void case_default(void)
{
	pid_t c = fork();
	if (c == 0) {
		no_core();
		kill(getpid(), SIGSYS);
		_exit(0);
	}
	status_line(c, "kill at default");
	c = fork();
	if (c == 0) {
		no_core();
		raise(SIGSYS);
		_exit(0);
	}
	status_line(c, "raise at default");
	c = fork();
	if (c == 0) {
		no_core();
		mask(SIG_BLOCK, SIGSYS);
		kill(getpid(), SIGSYS);
		say("child: still alive while blocked\n");
		mask(SIG_UNBLOCK, SIGSYS);
		_exit(0);
	}
	status_line(c, "blocked then unblocked");
	c = fork();
	if (c == 0) {
		no_core();
		set_action(SIGSYS, on_sys, SA_RESETHAND, 0);
		raise(SIGSYS);
		raise(SIGSYS);
		_exit(0);
	}
	status_line(c, "resethand twice");
	/* From the parent, to a child that waits. */
	int p[2];
	if (pipe(p))
		return;
	c = fork();
	if (c == 0) {
		no_core();
		char b;
		close(p[1]);
		ssize_t n = read(p[0], &b, 1);
		(void)n;
		_exit(0);
	}
	close(p[0]);
	kill(c, SIGSYS);
	status_line(c, "killed from outside");
	close(p[1]);
	/* A grandchild of a fork child. */
	c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			no_core();
			kill(getpid(), SIGSYS);
			_exit(0);
		}
		int st;
		waitpid(g, &st, 0);
		_exit(WIFSIGNALED(st) ? WTERMSIG(st) : 100 + WEXITSTATUS(st));
	}
	status_line(c, "grandchild's (its signal as status)");
	c = fork();
	if (c == 0) {
		no_core();
		set_action(SIGSYS, on_sys, 0, 0);
		kill(getpid(), SIGSYS);
		_exit(handled);
	}
	status_line(c, "fork child's handler");
	/* With a core dump (the runner's working directory is a fresh one). */
	c = fork();
	if (c == 0) {
		struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
		setrlimit(RLIMIT_CORE, &rl);
		kill(getpid(), SIGSYS);
		_exit(0);
	}
	status_line(c, "kill at default, core allowed");
}

static pthread_t main_thread;
static volatile int thread_saw_blocked, thread_saw_pending, main_saw_pending;

static void *thread_main(void *arg)
{
	(void)arg;
	thread_saw_blocked = blocked(SIGSYS);
	pthread_kill(pthread_self(), SIGSYS);
	thread_saw_pending = pending(SIGSYS);
	mask(SIG_UNBLOCK, SIGSYS);
	return NULL;
}

static void case_threads(void)
{
	pthread_t th;

	main_thread = pthread_self();
	set_action(SIGSYS, on_sys, 0, 0);
	mask(SIG_BLOCK, SIGSYS);
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, NULL);
	say("thread: inherited blocked=%d own pending=%d handled=%d main pending=%d\n",
	    thread_saw_blocked, thread_saw_pending, handled, pending(SIGSYS));
	mask(SIG_UNBLOCK, SIGSYS);
	say("main handled=%d\n", handled);
}

static void case_exec(void)
{
	set_action(SIGSYS, on_sys, 0, 0);
	mask(SIG_BLOCK, SIGSYS);
	pid_t c = fork();
	if (c == 0) {
		raise(SIGSYS); /* pending: a fork child starts with none */
		execl(self, self, "after-exec", NULL);
		_exit(99);
	}
	status_line(c, "exec with pending");
	c = fork();
	if (c == 0) {
		signal(SIGSYS, SIG_IGN);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl(self, self, "after-exec", NULL);
		_exit(99);
	}
	status_line(c, "exec ignored");
}

static void after_exec(void)
{
	struct sigaction old;
	sigaction(SIGSYS, NULL, &old);
	say("after exec: blocked=%d pending=%d action=%s\n", blocked(SIGSYS), pending(SIGSYS),
	    old.sa_handler == SIG_IGN   ? "ign"
	    : old.sa_handler == SIG_DFL ? "dfl"
					: "other");
	if (blocked(SIGSYS)) {
		set_action(SIGSYS, on_sys, 0, 0);
		mask(SIG_UNBLOCK, SIGSYS);
		report_handler("after exec unblock");
	}
	raise(SIGSYS); /* ignored, or the default */
	say("after exec: survived raise\n");
}

/* left: not run unless named (what the loader does not do yet). */
static const struct {
	const char *name;
	void (*run)(void);
	int left;
} cases[] = {
	{"pending", case_pending, 0},
	{"readback", case_readback, 0},
	{"handler-masks", case_handler_masks, 0},
	{"ignore", case_ignore, 0},
	{"waits", case_waits, 0},
	{"temporary-masks", case_temporary_masks, 0},
	{"default", case_default, 0},
	{"threads", case_threads, 0},
	{"exec", case_exec, 0},
	{"signalfd-others", case_signalfd_others, 0},
	{"signalfd", case_signalfd, 1}, /* a known limit: README */
	{"held-interrupts", case_held_interrupts, 1},
	{"sa-mask-in-handler", case_sa_mask_in_handler, 0},
	{"sa-mask-gs", case_sa_mask_gs, 0},
};

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
		after_exec();
		return 0;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 ? strcmp(argv[1], cases[i].name) != 0 : cases[i].left)
			continue;
		say("== %s\n", cases[i].name);
		pid_t c = fork();
		if (c == 0) {
			cases[i].run();
			exit(0);
		}
		status_line(c, cases[i].name);
	}
	return 0;
}
