// SPDX-License-Identifier: MIT
/*
 * The program's registers in the frame of a handler that interrupted its
 * syscall, and the handler's changes to them on its return.
 *
 * The program's syscalls really run in arch_app_syscall6 (app_syscall.S):
 * from a stub, or below the net's SIGSYS frame on the masked path. A
 * signal that interrupts one makes the kernel write the loader's
 * registers into the frame of the program's handler (rip in
 * app_syscall.S, the loader's rbx, r12..r15). Natively the handler sees
 * the context at the program's own syscall instruction, and profilers,
 * crash reporters, unwinders (glibc's pthread_cancel unwinds from that
 * frame) and runtimes that move rip (Go's async preemption) read it. So
 * the frame is rewritten before the handler runs: rip the address after
 * the program's syscall (the original one for a rewritten site), or the
 * syscall itself with rax the number where the kernel restarts it
 * (SA_RESTART), rsp, flags and every general register the program's (a
 * stub's struct arch_frame, or the trap's ucontext), rax the kernel's
 * answer; on the masked path the vector state is the trap's too (the
 * net's handler runs with the kernel's clean one).
 *
 * The loader's registers are kept in a record near the bottom of the
 * interrupted entry's LibOS slice, which nothing uses while that entry
 * waits in its syscall (nested entries take the slices below). At the
 * program's rt_sigreturn of that frame: if the handler changed nothing,
 * the loader's registers go back and the loader goes on as if no handler
 * had looked (its EINTR, or its own restart). If it changed the context,
 * the loader finishes its call with EINTR and the program then goes on
 * where the context says, with its registers: from a stub by
 * rt_sigreturn at the end of the entry (program_context_leave), from a
 * trap by the net's own rt_sigreturn. For a stub, a rip left at the
 * address after the syscall goes through the stub's displaced
 * instructions, one left on the syscall back into the stub's prologue.
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "signals.h"

#define RECORD_MAGIC 0x6c6f61646572ab01ULL

/* The instructions right after the two syscalls a signal can interrupt. */
extern const char arch_app_syscall_done[], arch_app_syscall_masked_done[];
extern const uint64_t arch_stub_prologue_size;

enum { FROM_STUB = 1, FROM_TRAP = 2 };

struct record {
	uint64_t magic;            /* RECORD_MAGIC while the frame at uc is the program's */
	uint64_t uc;               /* the ucontext of the program handler's frame */
	uint64_t kind;             /* FROM_STUB, FROM_TRAP */
	uint64_t divert;           /* the handler changed the context: program holds it */
	struct sigcontext loader;  /* the kernel's registers: the loader's */
	struct sigcontext shown;   /* what the handler was given */
	struct sigcontext program; /* what it left, when it changed it */
};

/* The general registers of a sigcontext (r8 .. rip, eflags), as one run. */
#define GREGS_SIZE (offsetof(struct sigcontext, eflags) + sizeof(uint64_t))

/* Where an entry's record is: a page above its slice's bottom (the
 * lowest slice's bottom lies in the guard below the stack: tls/tcb.c). */
#define RECORD_ABOVE_BOTTOM 0x1000

/* Slice bottoms lie TLS_TCB_SIZE below a page boundary (the TCB ends slice
 * 0's top page): the record must end within the read-write bottom page of
 * its slice's pages (tls/tcb.h). */
_Static_assert(RECORD_ABOVE_BOTTOM >= TLS_TCB_SIZE &&
		       RECORD_ABOVE_BOTTOM - TLS_TCB_SIZE + sizeof(struct record) <=
			       TLS_RECORD_ROOM,
	       "an entry's record lies in its slice's read-write bottom page");

static struct record *record_of(uintptr_t entry_top)
{
	return (struct record *)(entry_top - ARCH_SLICE + RECORD_ABOVE_BOTTOM);
}

static int entry_top_valid(const struct tls_tcb *t, uintptr_t top)
{
	uintptr_t hi = t->arch.stack_hi;

	return top <= hi && top > hi - TLS_STACK_SIZE && (hi - top) % ARCH_SLICE == 0;
}

/* The record of the frame at uc among the entries in progress (the
 * slices from the innermost one up), or NULL. */
static struct record *find(const struct tls_tcb *t, uint64_t uc)
{
	for (uintptr_t top = t->arch.entry_sp + ARCH_SLICE; entry_top_valid(t, top);
	     top += ARCH_SLICE) {
		struct record *r = record_of(top);
		if (r->magic == RECORD_MAGIC && r->uc == uc)
			return r;
	}
	return NULL;
}

/* Forget the record of any frame that was at uc before (a handler that
 * left by siglongjmp never returned through it). */
static void forget(const struct tls_tcb *t, uint64_t uc)
{
	struct record *r;

	while ((r = find(t, uc)))
		r->magic = 0;
}

/* From a stub: the program's registers are its struct arch_frame. */
static int from_stub(struct sigcontext *m, uintptr_t top, int restart)
{
	const struct arch_frame *f = (const struct arch_frame *)(top - sizeof(*f));
	uint64_t resume;

	if (f->stub.entry_sp != top || (f->stub.app_sp & ~15ULL) != m->rsp)
		return -1;
	resume = arch_stub_resume(&f->stub);
	m->r8 = f->r8, m->r9 = f->r9, m->r10 = f->r10, m->r11 = f->stub.rflags;
	m->r12 = f->r12, m->r13 = f->r13, m->r14 = f->r14, m->r15 = f->r15;
	m->rdi = f->rdi, m->rsi = f->rsi, m->rbp = f->rbp, m->rbx = f->rbx, m->rdx = f->rdx;
	m->rcx = resume, m->rsp = f->stub.app_sp, m->eflags = f->stub.rflags;
	m->rip = restart ? resume - ARCH_SYSCALL_SIZE : resume;
	return 0;
}

/* From a trap: the program's registers are the trap's ucontext (%r12 on
 * the masked path, app_syscall.S), its vector state too. */
static int from_trap(struct arch_ucontext *uc, const struct tls_tcb *t, int restart)
{
	struct sigcontext *m = &uc->uc_mcontext;
	const struct arch_ucontext *tu = (const struct arch_ucontext *)(uintptr_t)m->r12;
	uint64_t rax = m->rax, size, tsize;

	if (!(t->arch.syscall_sp & 1) || (t->arch.syscall_sp & ~(uintptr_t)1) != (uintptr_t)tu)
		return -1;
	size = m->fpstate ? hook_fpstate_size((const uint8_t *)m->fpstate) : 0;
	tsize = tu->uc_mcontext.fpstate
			? hook_fpstate_size((const uint8_t *)tu->uc_mcontext.fpstate)
			: 0;
	if (size && size == tsize)
		memcpy(m->fpstate, tu->uc_mcontext.fpstate, size);
	memcpy(m, &tu->uc_mcontext, GREGS_SIZE);
	m->rax = rax;
	if (restart)
		m->rip -= ARCH_SYSCALL_SIZE;
	return 0;
}

void hook_program_context(struct tls_tcb *t, struct arch_ucontext *uc, uint64_t frame_uc,
			  uintptr_t entry_top)
{
	struct sigcontext *m = &uc->uc_mcontext, loader = *m;
	uintptr_t done = m->rip;
	int restart = 0, kind;
	struct record *r;

	forget(t, frame_uc);
	if (done == (uintptr_t)arch_app_syscall_done - ARCH_SYSCALL_SIZE ||
	    done == (uintptr_t)arch_app_syscall_masked_done - ARCH_SYSCALL_SIZE) {
		restart = 1;
		done += ARCH_SYSCALL_SIZE;
	}
	if (done == (uintptr_t)arch_app_syscall_done)
		kind = FROM_STUB;
	else if (done == (uintptr_t)arch_app_syscall_masked_done)
		kind = FROM_TRAP;
	else
		return; /* the loader's own code: left as the kernel wrote it */
	if (!entry_top_valid(t, entry_top))
		return;
	r = record_of(entry_top);
	if (r->magic == RECORD_MAGIC && r->divert)
		return; /* a change of the program's still to apply: keep it */
	if (kind == FROM_STUB ? from_stub(m, entry_top, restart) : from_trap(uc, t, restart)) {
		*m = loader;
		return;
	}
	r->uc = frame_uc;
	r->kind = (uint64_t)kind;
	r->divert = 0;
	r->loader = loader;
	r->shown = *m;
	__atomic_store_n(&r->magic, RECORD_MAGIC, __ATOMIC_RELEASE);
}

void hook_program_context_return(struct tls_tcb *t, uint64_t app_sp)
{
	struct record *r = find(t, app_sp);
	uint64_t at = app_sp + offsetof(struct arch_ucontext, uc_mcontext);
	struct sigcontext now;

	if (!r || hook_copy_from(&now, at, sizeof(now)) < 0)
		return;
	if (memcmp(&now, &r->shown, GREGS_SIZE) == 0) {
		/* Unchanged: the loader goes on as if no handler had looked. */
		hook_copy_to(at, &r->loader, GREGS_SIZE);
		r->magic = 0;
		return;
	}
	/* Changed: the loader ends its call with EINTR, then the program
	 * goes where the handler said. */
	r->program = now;
	r->divert = 1;
	struct sigcontext back = r->loader;
	if (back.rip == (uintptr_t)arch_app_syscall_done - ARCH_SYSCALL_SIZE ||
	    back.rip == (uintptr_t)arch_app_syscall_masked_done - ARCH_SYSCALL_SIZE)
		back.rip += ARCH_SYSCALL_SIZE;
	back.rax = (uint64_t)-EINTR;
	hook_copy_to(at, &back, GREGS_SIZE);
}

/* The record of a finished entry whose handler changed the program's
 * context, or NULL (and then none). */
static struct record *diverted(uintptr_t entry_top, uint64_t kind)
{
	struct record *r = record_of(entry_top);

	if (r->magic != RECORD_MAGIC || r->kind != kind)
		return NULL;
	if (!r->divert)
		return NULL;
	r->magic = 0;
	return r;
}

void hook_program_context_leave(struct arch_frame *f, struct tls_tcb *t)
{
	uint8_t fp[HOOK_STUB_FP_SIZE];
	struct arch_ucontext uc;
	struct record *r;
	uint64_t resume;

	if (!entry_top_valid(t, f->stub.entry_sp) || !(r = diverted(f->stub.entry_sp, FROM_STUB)))
		return;
	resume = arch_stub_resume(&f->stub);
	hook_stub_context(&uc, fp, f, r->program.rax, r->program.rip);
	memcpy(&uc.uc_mcontext, &r->program, GREGS_SIZE);
	/* The site's own bytes are the stub's jmp: after the syscall is the
	 * stub's copy of what followed it, the syscall is its prologue. */
	if (r->program.rip == resume)
		uc.uc_mcontext.rip = f->stub.cont + ARCH_STUB_EPILOGUE_SIZE;
	else if (r->program.rip == resume - ARCH_SYSCALL_SIZE)
		uc.uc_mcontext.rip = f->stub.cont - arch_stub_prologue_size;
	t->arch.entry_sp = f->stub.entry_sp; /* nothing returns to this entry */
	arch_sigreturn((uintptr_t)&uc);
}

void hook_program_context_trap_done(struct sigcontext *m, uintptr_t entry_top,
				    const struct tls_tcb *t)
{
	struct record *r;

	if (entry_top_valid(t, entry_top) && (r = diverted(entry_top, FROM_TRAP)))
		memcpy(m, &r->program, GREGS_SIZE);
}
