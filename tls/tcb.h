/* SPDX-License-Identifier: MIT */
/*
 * The LibOS thread control block: one per thread of the program, reached
 * through %gs, never through the program's own %fs.
 *
 * Memory of one thread (one mapping, freed at thread exit), reserved
 * PROT_NONE, of which only the parts marked RW are read-write:
 *
 *   map_base  guard        TLS_STACK_SLICE bytes, PROT_NONE
 *             slice 7      \  each slice: its bottom page RW (an entry's
 *             ...           } record, hooks/program_context.c), a guard,
 *             slice 0      /  its top TLS_STACK_COMMIT bytes RW, the stack
 *   stack_hi  struct tls_tcb, at the end of slice 0's top page
 *
 * An entry at depth d uses slice d, [entry_sp - SLICE, entry_sp), and
 * grows down from its top; one that needs more than the committed top
 * (or a program handler that runs there, below the LibOS's frames) hits
 * the slice's guard and faults, where a slice read-write to its bottom
 * would run on into the top of the next slice, a nested entry's. The
 * deepest use measured over the suite was 36.8 KiB, 32 KiB of it the
 * program's seccomp filter copied on the stack, which no longer is (not
 * measured again since: 64 KiB keeps the margin); what
 * is not committed is neither RSS nor faulted in by the program's
 * mlockall, nor charged as committed memory.
 *
 * The TCB shares its page with the top of the stack, and the fast path
 * reads nothing else (its copies of the special-syscall bitmap and the
 * module's entry point included): on this machine class every syscall
 * flushes the TLB (page-table isolation without PCID), and each distinct
 * page the path touches afterwards costs a page walk (~22 ns measured).
 *
 * arch.entry_sp is the whole re-entry protocol (arch/x86_64/stub_template.S):
 * an entry reads it, lowers it by one slice before it uses the stack, and
 * restores it after it has left; a signal handler that runs in between and
 * enters the LibOS again therefore always gets a slice nobody is using.
 * An entry a handler abandoned (siglongjmp) never restores it: the next
 * entry finds out and gives the slices back (hooks/reentry.c).
 *
 * arch.syscall_sp is where the program's syscalls really run: on the program's
 * own stack, at its %rsp (arch_app_syscall6), so that a signal arriving
 * during one is delivered where it would be natively: its frame below the
 * red zone or on the alternate stack, sigaltstack's SS_ONSTACK right.
 * A syscall the safety net trapped runs inside its SIGSYS handler, which
 * the kernel enters with every signal blocked (its frame may be on
 * the alternate stack, and a handler arriving while the LibOS works on
 * its own stack would put a frame at that stack's top, over it): then
 * syscall_sp is the trap's ucontext with bit 0 set, and the syscall runs
 * below that frame with the mask saved in it, the program's.
 * Assembly reads only the head (struct arch_tcb, arch/x86_64/entry.h),
 * whose offsets asm-offsets.c generates.
 */
#ifndef TLS_TCB_H
#define TLS_TCB_H

#include <stddef.h>
#include <stdint.h>

#include <libos/libos.h>

#include "entry.h"

#define TLS_STACK_SLICE  ARCH_SLICE
#define TLS_STACK_SLICES 8
#define TLS_STACK_SIZE   (TLS_STACK_SLICE * TLS_STACK_SLICES)
#define TLS_TCB_SIZE     1024    /* the room kept for it at the top of the stack */
#define TLS_STACK_COMMIT 0x10000 /* the read-write top of each slice */
#define TLS_RECORD_ROOM  0x1000  /* the read-write bottom page of each slice */

/* Who frees a thread's memory when it ends. */
enum tls_owner {
	TLS_OWNED_BY_THREAD, /* the thread itself, in its exit path */
	TLS_OWNED_BY_PARENT, /* a vfork child's: the parent, once the child exec'd or exited */
};

struct tls_tcb {
	struct arch_tcb arch;     /* what the stubs and entry paths read through %gs */
	uint8_t sud_on;           /* SUD is enabled in this thread */
	uint8_t owner;            /* enum tls_owner */
	uint8_t sigsys_blocked;   /* the program's own (virtual) SIGSYS mask bit */
	uint8_t net_pending;      /* the net was armed: apply it at the next syscall */
	uint8_t resume_sets_mask; /* a new thread starts with resume_mask (clone) */
	uint8_t alt_hidden;       /* app_alt is hidden from the kernel (hooks/altstack.c) */
	uint8_t alt_disarm;       /* the kernel's copy of app_alt has SS_AUTODISARM (altstack.c) */
	uint8_t sigsys_waiting;   /* in a sigtimedwait for SIGSYS (hooks/sigsys_pending.c) */
	uint8_t sigsys_pending;   /* sigsys_info holds the thread's pending SIGSYS */
	uint8_t pad[7];
	struct libos_context ctx; /* the module's: its data, the thread's tid */
	uint32_t sud_generation;  /* the net generation this thread has applied */
	uint64_t syscalls;        /* syscalls this thread delivered to the dispatcher */
	long (*module_syscall)(struct libos_context *ctx, long nr, long a1, long a2, long a3,
			       long a4, long a5, long a6); /* the module's syscall hook */
	uint64_t special[ARCH_SYSCALL_MAX /
			 64];        /* bit n: syscall n is the loader's (hooks/dispatch.c) */
	struct tls_tcb *next, *prev; /* every live thread (tls_registry) */
	void *map_base;
	size_t map_size;
	uint64_t clone_flags; /* how this thread was created */
	/* The program's alternate signal stack as it set it, when the
	 * kernel's differs: while it is not writable the kernel has none (so
	 * that the net's SIGSYS never lands there), and else it has it with
	 * SS_AUTODISARM (so that no signal lands at its top while a handler
	 * on it is inside the LibOS): hooks/altstack.c. */
	struct {
		uint64_t sp, size;
		int32_t flags;
	} app_alt;
	struct arch_resume resume; /* a new thread's first registers (clone) */
	uint64_t resume_mask;      /* and its signal mask, when cloned from a trap */
	uint8_t sigsys_info[128];  /* its siginfo, while the program blocks it */
	/* The program's own Syscall User Dispatch, as the kernel keeps it
	 * for each thread (hooks/app_sud.c): the range [offset, offset +
	 * len) whose syscalls always run (inverted for inclusive mode, as
	 * the kernel inverts it), the selector byte's address (0: none),
	 * and, for the SIGSYS the loader delivers for a stub's syscall, the
	 * addresses its handler returns to (from, in the rewritten site)
	 * and where the stub goes on instead (to). */
	struct {
		uint64_t offset, len, selector;
		uint8_t on;
		uint8_t next; /* the resume slot written next */
		uint8_t live; /* bit i: slot i is a handler's way back */
		uint64_t from[4], to[4];
	} app_sud;
};

_Static_assert(offsetof(struct tls_tcb, arch) == 0, "%gs:0 is the arch head");
_Static_assert(sizeof(struct tls_tcb) <= TLS_TCB_SIZE, "the TCB fits its page");
_Static_assert(TLS_STACK_COMMIT % 4096 == 0 &&
		       TLS_STACK_COMMIT + TLS_RECORD_ROOM + 4096 <= TLS_STACK_SLICE,
	       "each slice keeps a guard page between its record and its stack");

/* The TCB whose head the entry paths hand over. */
static inline struct tls_tcb *tls_of(struct arch_tcb *a)
{
	return (struct tls_tcb *)(void *)a;
}

/* What every TCB created from now on carries for the fast path. */
void tls_tcb_set_model(const uint64_t special[ARCH_SYSCALL_MAX / 64], void *module_syscall,
		       arch_dispatch_fn dispatch);

/* Give t the model's special-syscall bitmap again. */
void tls_tcb_model_special(struct tls_tcb *t);

/* Allocate a TCB and its LibOS stack, with its guard. Returns NULL when
 * the kernel gives neither. */
struct tls_tcb *tls_tcb_create(void);

/* Give back a TCB that never ran, or a vfork child's. */
void tls_tcb_destroy(struct tls_tcb *t);

/* t's thread is about to unmap its TCB and stack on its way out (the
 * exit paths of arch/): the place stops being the loader's. */
void tls_tcb_leaving(struct tls_tcb *t);

/* The calling thread's TCB (through %gs). */
struct tls_tcb *tls_self(void);

/* Point the calling thread's %gs at t. Returns 0 or -errno. */
int tls_install(struct tls_tcb *t);

/* The list of live threads, for arming the net in all of them and for
 * leak accounting. */
void tls_register(struct tls_tcb *t);
void tls_unregister(struct tls_tcb *t);
void tls_for_each(void (*fn)(struct tls_tcb *t, void *arg), void *arg);
/* Every thread by its tid (ctx.tid), vfork children too, from the moment
 * it has one to its end; looked up without a lock, by the thread itself
 * only (hooks/gs.c). Kept from tls_tid_start (every registered thread and
 * self) on; add and remove do nothing before. Returns 0 or -errno. */
int tls_tid_start(struct tls_tcb *self);
void tls_tid_add(struct tls_tcb *t);
void tls_tid_remove(struct tls_tcb *t);
struct tls_tcb *tls_find_tid(int32_t tid);
/* After fork: the child has one thread, the caller. */
void tls_reset_after_fork(struct tls_tcb *self);

#endif
