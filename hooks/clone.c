// SPDX-License-Identifier: MIT
/*
 * clone, clone3, fork and vfork under interception.
 *
 * A plain fork child is a copy of the parent, LibOS stack and TCB
 * included: it returns through the same frames, and only has to become a
 * process of its own (hook_fork_child). Every other child (a thread, a
 * vfork child, anything with CLONE_VM or a new stack) cannot return
 * through the parent's C frames: the parent's LibOS stack is shared, or
 * the child's %rsp is elsewhere. It gets a TCB and LibOS stack of its own,
 * made here before the syscall, and starts on them (arch_clone_raw,
 * tls_child_entry): with the program's registers, rax = 0, at the place
 * the program expects, as the kernel would have started it. From a stub
 * that place is the stub's epilogue (which then runs the displaced
 * instructions and returns to the program); from the net it is the
 * instruction after the trapped syscall.
 *
 * Who frees the child's TCB: a thread, itself, when it exits; a vfork
 * child (the parent is suspended until it execs or exits) and a child with
 * its own copy of memory, the parent, as soon as clone returns.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/sched.h>
#include <signal_mask.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "context.h"
#include "hooks.h"
#include "signals.h"

#ifndef CLONE_VFORK
#define CLONE_VFORK 0x00004000
#endif

static void take_registers(struct arch_resume *r, const struct arch_frame *f)
{
	r->r15 = f->r15;
	r->r14 = f->r14;
	r->r13 = f->r13;
	r->r12 = f->r12;
	r->rbp = f->rbp;
	r->rbx = f->rbx;
	r->r9 = f->r9;
	r->r8 = f->r8;
	r->r10 = f->r10;
	r->rdx = f->rdx;
	r->rsi = f->rsi;
	r->rdi = f->rdi;
	r->rax = 0; /* the child's return value */
	r->rflags = f->stub.rflags;
}

/* The child's flags and %rsp, read from the syscall's arguments. */
static int child_shape(const struct arch_frame *f, uint64_t *flags, uint64_t *sp)
{
	struct clone_args ca;

	*sp = 0;
	switch (f->rax) {
	case __NR_fork:
		*flags = 0;
		return 0;
	case __NR_vfork:
		*flags = CLONE_VM | CLONE_VFORK;
		return 0;
	case __NR_clone: /* (flags, newsp, parent_tid, child_tid, tls) */
		*flags = f->rdi;
		*sp = f->rsi;
		return 0;
	default: /* clone3(args, size) */
		memset(&ca, 0, sizeof(ca));
		if (f->rsi < 64 || hook_copy_from(&ca, f->rdi, 64) < 0)
			return -1; /* let the kernel answer */
		*flags = ca.flags;
		if (ca.stack)
			*sp = ca.stack + ca.stack_size;
		return 0;
	}
}

static long raw(const struct arch_frame *f, void *child)
{
	return arch_clone_raw((long)f->rax, (long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10,
			      (long)f->r8, child);
}

long hook_clone_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	uint64_t flags, sp;
	struct tls_tcb *c;
	long r;

	if (child_shape(f, &flags, &sp) < 0 || (!(flags & CLONE_VM) && !sp)) {
		/* fork: the child returns here, on its copy of our stack. */
		struct tls_context locks;
		heap_fork_prepare();
		tls_fork_prepare(&locks);
		r = hook_module_frame(t, f);
		tls_fork_done(&locks);
		if (r == 0)
			hook_fork_child(t);
		else
			heap_fork_parent();
		f->rax = (uint64_t)r;
		return ARCH_ENTRY_RETURN;
	}
	c = tls_tcb_create();
	if (!c) {
		f->rax = (uint64_t)-EAGAIN; /* what clone says when out of resources */
		return ARCH_ENTRY_RETURN;
	}
	int thread_owned = (flags & CLONE_VM) && !(flags & CLONE_VFORK);
	c->owner = thread_owned ? TLS_OWNED_BY_THREAD : TLS_OWNED_BY_PARENT;
	c->clone_flags = flags;
	/* A new thread has its parent's %gs, as natively (gs.c). */
	c->arch.app_gs = t->arch.app_gs;
	c->arch.gs_program = __atomic_load_n(&arch_gs_program, __ATOMIC_ACQUIRE);
	c->sigsys_blocked = t->sigsys_blocked;
	take_registers(&c->resume, f);
	if (!sp)
		sp = f->stub.app_sp; /* vfork: the parent's stack, until exec or exit */
	if (trap) {
		c->resume.rip = trap->rip;
		c->resume.rsp = sp;
		/* Not the trap's all-blocked mask: the program's. */
		c->resume_mask = ((const struct arch_ucontext *)trap->uc)->uc_sigmask;
		c->resume_sets_mask = 1;
	} else {
		/* Enter the stub's epilogue as if returning from an entry: its
		 * words at the slice top (arch_syscall_entry's ret took cont),
		 * the next slice marked used. */
		struct arch_stub_words *w =
			(struct arch_stub_words *)(c->arch.stack_hi - sizeof(*w));
		w->rflags = f->stub.rflags;
		w->entry_sp = c->arch.stack_hi;
		w->app_sp = sp;
		c->arch.entry_sp = c->arch.stack_hi - TLS_STACK_SLICE;
		c->resume.rip = f->stub.cont;
		c->resume.rsp = (uintptr_t)&w->rflags;
	}
	/* Caught by the net, the parent's state is a signal frame on its own
	 * stack, below its %rsp: exactly where a child sharing that stack
	 * (vfork) will call functions. Keep a copy until the child is done. */
	void *saved = NULL;
	size_t saved_size = 0;
	uintptr_t frame_lo = trap ? (uintptr_t)trap->frame - 8 : 0;
	if (trap && sp == f->stub.app_sp && frame_lo < sp && sp - frame_lo < (1 << 20)) {
		saved_size = sp - frame_lo;
		saved = malloc(saved_size);
		if (saved)
			memcpy(saved, (void *)frame_lo, saved_size);
	}
	/* A new process on a stack of its own: no lock of the loader's may be
	 * copied held by another thread (the child's first malloc would
	 * wait forever). The child lets go in hook_thread_started and starts
	 * with the mask of before. */
	uint64_t mask = 0;
	if (!(flags & CLONE_VM)) {
		heap_fork_prepare(); /* the child lets go in hook_fork_child */
		tls_fork_lock(&mask);
		if (!trap) {
			c->resume_mask = mask;
			c->resume_sets_mask = 1;
		}
	}
	r = raw(f, c);
	if (!(flags & CLONE_VM)) {
		tls_fork_unlock();
		libc_set_signal_mask(mask);
		heap_fork_parent();
	}
	if (saved) {
		memcpy((void *)frame_lo, saved, saved_size);
		free(saved);
	}
	if (r < 0 || !thread_owned) {
		tls_tid_remove(c);
		tls_tcb_destroy(c);
	}
	f->rax = (uint64_t)r;
	return ARCH_ENTRY_RETURN;
}
