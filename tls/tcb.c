// SPDX-License-Identifier: MIT
/*
 * Thread control blocks: allocation with their LibOS stack, installing one
 * in %gs, and the registry of live threads.
 *
 * %gs is set with wrgsbase where the kernel enabled FSGSBASE (AT_HWCAP2
 * says so) and with arch_prctl(ARCH_SET_GS) otherwise; the program never
 * sees either (its own ARCH_SET_GS is virtualised by hooks/).
 */
#include <asm/prctl.h>
#include <errno.h>
#include <linux/auxvec.h>
#include <string.h>
#include <sys.h>

#include <libc.h>
#include <lock.h>

#include "arch.h"
#include "tcb.h"

#define HWCAP2_FSGSBASE (1 << 1)

static struct tls_tcb *registry;
static struct tls_tcb model; /* what every new TCB copies (tls_tcb_set_model) */

void tls_tcb_set_model(const uint64_t special[ARCH_SYSCALL_MAX / 64], void *module_syscall,
		       arch_dispatch_fn dispatch)
{
	memcpy(model.special, special, sizeof(model.special));
	model.module_syscall = module_syscall;
	model.arch.dispatch = dispatch;
}

static struct libc_lock registry_lock;

struct tls_tcb *tls_tcb_create(void)
{
	size_t size = TLS_STACK_SLICE + TLS_STACK_SIZE;
	long r = sys_mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	struct tls_tcb *t;

	if (sys_is_err(r))
		return NULL;
	/* The lowest slice is a guard: nesting deeper than the stack faults.
	 * Without it an overflow would write over whatever lies below, so a
	 * guard the kernel refuses is no TCB at all. */
	if (sys_mprotect((void *)r, TLS_STACK_SLICE, PROT_NONE) < 0) {
		sys_munmap((void *)r, size);
		return NULL;
	}
	t = (struct tls_tcb *)(r + TLS_STACK_SLICE + TLS_STACK_SIZE - TLS_TCB_SIZE);
	arch_tcb_init(&t->arch, (uintptr_t)t, model.arch.dispatch);
	t->map_base = (void *)r;
	t->map_size = size;
	memcpy(t->special, model.special, sizeof(t->special));
	t->module_syscall = model.module_syscall;
	return t;
}

void tls_tcb_destroy(struct tls_tcb *t)
{
	if (t)
		sys_munmap(t->map_base, t->map_size);
}

struct tls_tcb *tls_self(void)
{
	return tls_of(arch_gs_self());
}

int tls_install(struct tls_tcb *t)
{
	if (libc_getauxval(AT_HWCAP2, 0) & HWCAP2_FSGSBASE) {
		arch_wrgsbase(t);
		return 0;
	}
	return (int)sys_arch_prctl(ARCH_SET_GS, (unsigned long)t);
}

void tls_register(struct tls_tcb *t)
{
	libc_lock(&registry_lock);
	t->prev = NULL;
	t->next = registry;
	if (registry)
		registry->prev = t;
	registry = t;
	libc_unlock(&registry_lock);
}

void tls_unregister(struct tls_tcb *t)
{
	libc_lock(&registry_lock);
	if (t->prev)
		t->prev->next = t->next;
	else if (registry == t)
		registry = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	libc_unlock(&registry_lock);
}

void tls_for_each(void (*fn)(struct tls_tcb *t, void *arg), void *arg)
{
	libc_lock(&registry_lock);
	for (struct tls_tcb *t = registry; t; t = t->next)
		fn(t, arg);
	libc_unlock(&registry_lock);
}

void tls_reset_after_fork(struct tls_tcb *self)
{
	/* The other threads did not come along; nobody holds the lock in the
	 * child but a thread that no longer exists. */
	libc_unlock(&registry_lock);
	registry = self;
	self->next = self->prev = NULL;
}
