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

#include "arch.h"
#include "tcb.h"

#define HWCAP2_FSGSBASE (1 << 1)

static struct tls_tcb *registry;
static struct tls_tcb model; /* what every new TCB copies (tls_tcb_set_model) */

void tls_tcb_set_model(const uint64_t special[8], void *module_syscall)
{
	memcpy(model.special, special, sizeof(model.special));
	model.module_syscall = module_syscall;
}

static void tls_tcb_inherit(struct tls_tcb *t)
{
	memcpy(t->special, model.special, sizeof(t->special));
	t->module_syscall = model.module_syscall;
}
static volatile int registry_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&registry_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&registry_lock, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static void unlock(void)
{
	__atomic_store_n(&registry_lock, 0, __ATOMIC_RELEASE);
}

struct tls_tcb *tls_tcb_create(void)
{
	size_t size = TLS_STACK_SLICE + TLS_STACK_SIZE;
	long r = sys_mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	struct tls_tcb *t;

	if (sys_is_err(r))
		return NULL;
	/* The lowest slice is a guard: nesting deeper than the stack faults. */
	sys_mprotect((void *)r, TLS_STACK_SLICE, PROT_NONE);
	t = (struct tls_tcb *)(r + TLS_STACK_SLICE + TLS_STACK_SIZE - TLS_TCB_SIZE);
	t->self = t;
	t->stack_hi = (uintptr_t)t;
	t->entry_sp = t->stack_hi;
	t->entry_fn = (uintptr_t)arch_syscall_entry;
	t->sud_selector = ARCH_SUD_BLOCK;
	t->map_base = (void *)r;
	t->map_size = size;
	tls_tcb_inherit(t);
	return t;
}

void tls_tcb_destroy(struct tls_tcb *t)
{
	if (t)
		sys_munmap(t->map_base, t->map_size);
}

struct tls_tcb *tls_self(void)
{
	return arch_gs_self();
}

int tls_install(struct tls_tcb *t)
{
	if (libc_getauxval(AT_HWCAP2, 0) & HWCAP2_FSGSBASE) {
		arch_wrgsbase(t);
		return 0;
	}
	return (int)arch_syscall2(__NR_arch_prctl, ARCH_SET_GS, t);
}

void tls_register(struct tls_tcb *t)
{
	lock();
	t->prev = NULL;
	t->next = registry;
	if (registry)
		registry->prev = t;
	registry = t;
	unlock();
}

void tls_unregister(struct tls_tcb *t)
{
	lock();
	if (t->prev)
		t->prev->next = t->next;
	else if (registry == t)
		registry = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	unlock();
}

void tls_for_each(void (*fn)(struct tls_tcb *t, void *arg), void *arg)
{
	lock();
	for (struct tls_tcb *t = registry; t; t = t->next)
		fn(t, arg);
	unlock();
}

void tls_reset_after_fork(struct tls_tcb *self)
{
	/* The other threads did not come along; nobody holds the lock in the
	 * child but a thread that no longer exists. */
	registry_lock = 0;
	registry = self;
	self->next = self->prev = NULL;
}
