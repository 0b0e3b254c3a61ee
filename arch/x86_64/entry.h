/* SPDX-License-Identifier: MIT */
/*
 * The interception core's contract with the layers above: the head of
 * every thread's TCB, which the stubs and entry paths read through %gs;
 * what an entry does after the dispatcher answered; and the callbacks the
 * hooks layer gives the entry paths (arch_entry_set_calls), so that this
 * layer calls up without knowing who is there. asm-offsets.c turns the
 * offsets and constants below into the header the .S files include.
 */
#ifndef ARCH_ENTRY_H
#define ARCH_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

/* One LibOS stack slice: the room one entry into the LibOS has (128 KiB). */
#define ARCH_SLICE 0x20000

/* Syscall numbers the dispatcher's tables cover; beyond, every number is
 * the slow path's (the weak hooks' private numbers among them). */
#define ARCH_SYSCALL_MAX 512

/* Below a new thread's stack_hi, where it starts on its LibOS stack: the
 * stub words it may resume through (struct arch_stub_words, 0x20 bytes)
 * and as much again, so that nothing it calls reaches them. */
#define ARCH_CHILD_STACK_GAP 0x40

/* The bytes of stub_template.S's epilogue (which the assembler checks):
 * a stub's return address cont plus this is where the epilogue's final
 * lea holds the program's return address, which the entry's CFI reads. */
#define ARCH_STUB_EPILOGUE_SIZE 31

struct arch_tcb;

/* What an entry does once the dispatcher answered (f->rax holds the
 * result). */
enum arch_entry_action {
	ARCH_ENTRY_RETURN = 0,    /* back to the stub, the result in %rax */
	ARCH_ENTRY_SIGRETURN = 1, /* rt_sigreturn on the program's stack */
	ARCH_ENTRY_EXIT = 2,      /* unmap the thread's LibOS memory (frame rsi, rdx), exit (rdi) */
};

/* The dispatcher: every syscall a stub brings. Returns an arch_entry_action. */
typedef long (*arch_dispatch_fn)(struct arch_frame *f, struct arch_tcb *t);

/*
 * The head of a thread's TCB: everything the stubs and entry paths read
 * through %gs. tls/tcb.h's struct tls_tcb starts with it, and keeps the
 * fast path's other copies (the special-syscall bitmap, the module's hook)
 * in the same page, for the reason it gives.
 *
 * entry_sp is the whole re-entry protocol (stub_template.S): an entry
 * reads it, lowers it by one slice before it uses the stack, and restores
 * it after it has left. syscall_sp is where the program's syscalls run
 * (app_syscall.S): the program's %rsp, or a trap's ucontext with bit 0 set.
 */
struct arch_tcb {
	struct arch_tcb *self; /* the TCB's own address: %gs:0 */
	uintptr_t entry_sp;    /* top of the slice the next entry uses */
	uintptr_t entry_fn;    /* arch_syscall_entry, called by every stub */
	uintptr_t stack_hi;    /* top of slice 0 */
	uint8_t sud_selector;  /* Syscall User Dispatch's selector byte */
	/* Once the program owns %gs (arch_gs_program, gs.S): every way back
	 * into the program's code from the loader's signal paths puts
	 * app_gs, the program's own %gs base, back first. */
	uint8_t gs_program;
	uint8_t pad[6];
	uintptr_t syscall_sp;      /* the %rsp the current entry's syscalls run on */
	arch_dispatch_fn dispatch; /* called by arch_syscall_entry */
	uintptr_t app_gs;          /* the program's %gs base (0 at exec, as natively) */
};

/* Fill a new thread's TCB head: the LibOS stack below stack_hi is unused,
 * Syscall User Dispatch blocks, and the dispatcher is dispatch. */
void arch_tcb_init(struct arch_tcb *t, uintptr_t stack_hi, arch_dispatch_fn dispatch);

/* The callbacks of the entry paths that are not the fast path. */
struct arch_entry_calls {
	/* An entry that found outer entries in progress (words: its {E, A}
	 * pair): the top of the outermost slice a signal handler abandoned,
	 * to move to, or 0 to stay. Called before the slice is used. */
	uintptr_t (*reentry_check)(const uint64_t *words, struct arch_tcb *t);
	/* The loader's SIGSYS (and --trap-rdtsc's SIGSEGV, SIGILL) handler
	 * body, on a LibOS slice; words is the entry's {E, handler %rsp}. */
	void (*signal)(void *info, void *uc, struct arch_tcb *t, const uint64_t *words);
	/* A clone child's first call, on its own TCB and LibOS stack. */
	__attribute__((noreturn)) void (*child_start)(struct arch_tcb *t);
	/* The net's handler found arch_gs_program set: %gs may be the
	 * program's. Put the thread's own TCB in %gs, keeping the program's
	 * base in its app_gs. Called on the handler's stack, before anything
	 * reads %gs. */
	void (*gs_enter)(void);
	/* The program's handler for sig, which the kernel entered through
	 * arch_handler_entry (info, uc: its frame): the address to go on
	 * to. Called on the handler's stack, below the kernel's frame,
	 * with the action's mask; needs no %gs. */
	uintptr_t (*handler)(int sig, void *info, void *uc);
};

/* Set once the program owns %gs (it set it, or code that can was mapped):
 * from then on the loader's entries cannot trust %gs to be its TCB, no
 * stub is used, and the net catches every syscall (hooks/gs.c). */
extern uint8_t arch_gs_program;
/* The kernel advertises FSGSBASE (AT_HWCAP2), set by tls_install: only
 * then does a wrgsbase value survive a context switch. */
extern uint8_t arch_has_fsgsbase;
/* Where arch_app_syscall6 runs with the program's %gs (app_syscall.S). */
extern const char arch_app_gs_window_start[], arch_app_gs_window_end[];
/* The %gs base now (rdgsbase: only with arch_has_fsgsbase). */
uintptr_t arch_rdgsbase(void);
/* Where a stub's way out goes back to the program: the address after
 * the original syscall, which its epilogue's last instruction (lea
 * disp32(%rip), %rcx) computes (stub_template.S). */
uintptr_t arch_stub_resume(const struct arch_stub_words *w);

/* Install the callbacks, before the first stub or signal can run. */
void arch_entry_set_calls(const struct arch_entry_calls *calls);

#endif
