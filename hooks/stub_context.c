// SPDX-License-Identifier: MIT
/*
 * The program's registers at a stub's syscall, as the ucontext the kernel
 * would have written for a signal taken right after it: for leaving a
 * stub through rt_sigreturn (gs.c) and for entering a program's handler
 * from a stub as the kernel would (app_sud.c, through deliver.c). The
 * vector registers are the program's still: the loader's code never
 * touches them, so they are saved here as the kernel saves them (xsave,
 * with the software bytes rt_sigreturn checks).
 */
#include <string.h>
#include <signal_mask.h>
#include <sys.h>

#include "arch.h"
#include "hooks.h"
#include "signals.h"

#define XSTATE_MAGIC2        0x46505845U
#define UC_FP_XSTATE         1
#define UC_SIGCONTEXT_SS     2
#define UC_STRICT_RESTORE_SS 4
#define USER_CS              0x33
#define USER_DS              0x2b

void hook_stub_context(struct arch_ucontext *uc, uint8_t fp[HOOK_STUB_FP_SIZE],
		       const struct arch_frame *f, uint64_t rax, uint64_t rip)
{
	uint8_t *xs = (uint8_t *)(((uintptr_t)fp + 63) & ~(uintptr_t)63);
	uint32_t size = (uint32_t)arch_fpu_size(), magic = XSTATE_MAGIC2;
	uint64_t old = 0, xf = arch_fpu_features();
	struct sigcontext *m = &uc->uc_mcontext;
	/* struct _fpx_sw_bytes: magic1, extended_size, xfeatures, xstate_size */
	const uint32_t sw[12] = {HOOK_XSTATE_MAGIC1, size + 4, (uint32_t)xf, (uint32_t)(xf >> 32),
				 size};

	libc_block_signals(&old); /* until rt_sigreturn sets old */
	if (size + 4 > HOOK_STUB_FP_SIZE - 64)
		size = 0; /* cannot happen on x86-64 today (2.7 KiB with AVX-512) */
	memset(uc, 0, sizeof(*uc));
	if (size) {
		memset(xs, 0, size);
		arch_fpu_save(xs);
		memcpy(xs + HOOK_SW_BYTES_OFFSET, &sw, sizeof(sw));
		memcpy(xs + size, &magic, sizeof(magic));
		m->fpstate = (void *)xs;
	}
	sys_sigaltstack(NULL, &uc->uc_stack); /* rt_sigreturn sets it again */
	uc->uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	uc->uc_sigmask = old;
	/* rcx and r11 as the syscall instruction left them. */
	m->r8 = f->r8, m->r9 = f->r9, m->r10 = f->r10, m->r11 = f->stub.rflags;
	m->r12 = f->r12, m->r13 = f->r13, m->r14 = f->r14, m->r15 = f->r15;
	m->rdi = f->rdi, m->rsi = f->rsi, m->rbp = f->rbp, m->rbx = f->rbx, m->rdx = f->rdx;
	m->rax = rax, m->rcx = rip, m->rsp = f->stub.app_sp;
	m->rip = rip, m->eflags = f->stub.rflags, m->cs = USER_CS, m->ss = USER_DS;
}
