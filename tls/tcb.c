// SPDX-License-Identifier: MIT
/*
 * Thread control blocks: allocation with their LibOS stack, installing one
 * in %gs, and the registry of live threads. Their memory is carved from
 * the loader's own room (tcb_room.c says why).
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
#include "tcb_room.h"

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

void tls_tcb_model_special(struct tls_tcb *t)
{
	memcpy(t->special, model.special, sizeof(t->special));
}

static struct libc_lock registry_lock;

/* Linux 6.13's lightweight guard pages (uapi asm-generic/mman-common.h;
 * this machine's headers predate them). */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

/* Gap d of the slot at r, what stays inaccessible (tcb.h): for d below
 * TLS_STACK_SLICES, slice d between its record page and its committed
 * top; gap TLS_STACK_SLICES is the guard below the stack. */
static void gap(uintptr_t r, unsigned d, uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t top = r + (TLS_STACK_SLICES + 1 - d) * (uintptr_t)TLS_STACK_SLICE;

	*lo = d < TLS_STACK_SLICES ? top - TLS_STACK_SLICE + TLS_RECORD_ROOM : r;
	*hi = d < TLS_STACK_SLICES ? top - TLS_STACK_COMMIT : r + TLS_STACK_SLICE;
}

/* The gaps as guard pages inside one read-write mapping: a touch faults
 * as PROT_NONE would, without splitting the mapping in 18 (a program of
 * thousands of threads would run out of vm.max_map_count, 65530), and
 * read-write slots next to each other merge into one mapping. Kernels
 * before 6.13 refuse them, and so does a mapping the program's
 * mlockall(MCL_FUTURE) locked. They stay through mprotect, fork copies
 * them, and the slot's next mmap clears them (tcb_room.c). */
static int guard_slot(uintptr_t r, size_t size)
{
	uintptr_t lo, hi;

	for (unsigned d = 0; d <= TLS_STACK_SLICES; d++) {
		gap(r, d, &lo, &hi);
		if (sys_madvise((void *)lo, hi - lo, MADV_GUARD_INSTALL) < 0)
			return -EINVAL;
	}
	return sys_mprotect((void *)r, size, PROT_READ | PROT_WRITE) < 0 ? -ENOMEM : 0;
}

/* Make all of the PROT_NONE slot at r read-write but its gaps: with
 * guard pages one mprotect, without them one for each range between two
 * gaps (a slice's committed top and the record page of the slice above),
 * 18 mappings a slot. */
static int commit_slot(uintptr_t r, size_t size)
{
	uintptr_t lo, hi, end = r + size;

	if (guard_slot(r, size) == 0)
		return 0;
	for (unsigned d = 0; d <= TLS_STACK_SLICES; d++, end = lo) {
		gap(r, d, &lo, &hi);
		if (sys_mprotect((void *)hi, end - hi, PROT_READ | PROT_WRITE) < 0)
			return -ENOMEM;
	}
	return 0;
}

struct tls_tcb *tls_tcb_create(void)
{
	size_t size = TLS_STACK_SLICE + TLS_STACK_SIZE;
	uintptr_t r = tls_room_take(size);
	struct tls_tcb *t;

	if (!r)
		return NULL;
	/* Without its guards a stack that overflows would write over
	 * whatever lies below, so a slot the kernel refuses to make
	 * read-write in part is no TCB at all. */
	if (commit_slot(r, size) < 0) {
		tls_room_put_back(r);
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
		tls_room_put_back((uintptr_t)t->map_base);
}

void tls_tcb_leaving(struct tls_tcb *t)
{
	tls_room_leaving((uintptr_t)t->map_base);
}

struct tls_tcb *tls_self(void)
{
	return tls_of(arch_gs_self());
}

int tls_install(struct tls_tcb *t)
{
	arch_has_fsgsbase = (libc_getauxval(AT_HWCAP2, 0) & HWCAP2_FSGSBASE) != 0;
	if (arch_has_fsgsbase) {
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

/* Threads by tid, for the one entry that cannot use %gs (hooks/gs.c):
 * open addressing, written under the registry lock, read without it. A
 * thread only ever looks itself up, between its own add and remove, so
 * a reader never races the writes of its own slot. Kept only from
 * tls_tid_start on: nothing pays for it before %gs is handed over. */
#define TID_SLOTS 8192 /* a power of two, well over RLIMIT_NPROC here */
struct tid_slot {
	int32_t tid; /* 0: never used; -1: freed */
	struct tls_tcb *t;
};
static struct tid_slot *by_tid;

static unsigned tid_slot(int32_t tid)
{
	return ((uint32_t)tid * 2654435761U) & (TID_SLOTS - 1);
}

static void tid_add_locked(struct tls_tcb *t)
{
	for (unsigned i = tid_slot(t->ctx.tid), n = 0; by_tid && n < TID_SLOTS && by_tid[i].tid;
	     i = (i + 1) & (TID_SLOTS - 1), n++)
		if (by_tid[i].tid == t->ctx.tid && by_tid[i].t == t)
			return; /* there already */
	for (unsigned i = tid_slot(t->ctx.tid), n = 0; by_tid && n < TID_SLOTS;
	     i = (i + 1) & (TID_SLOTS - 1), n++) {
		if (by_tid[i].tid > 0)
			continue;
		by_tid[i].t = t;
		__atomic_store_n(&by_tid[i].tid, t->ctx.tid, __ATOMIC_RELEASE);
		break;
	}
}

static int new_table(void)
{
	long r = sys_mmap(NULL, TID_SLOTS * sizeof(struct tid_slot), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (sys_is_err(r))
		return (int)r;
	__atomic_store_n(&by_tid, (struct tid_slot *)r, __ATOMIC_RELEASE);
	return 0;
}

int tls_tid_start(struct tls_tcb *self)
{
	int r = 0;

	libc_lock(&registry_lock);
	if (!by_tid && (r = new_table()) == 0) {
		for (struct tls_tcb *t = registry; t; t = t->next)
			tid_add_locked(t);
		if (self->owner != TLS_OWNED_BY_THREAD) /* a vfork child: in no registry */
			tid_add_locked(self);
	}
	libc_unlock(&registry_lock);
	return r;
}

void tls_tid_add(struct tls_tcb *t)
{
	if (!__atomic_load_n(&by_tid, __ATOMIC_ACQUIRE))
		return;
	libc_lock(&registry_lock);
	tid_add_locked(t);
	libc_unlock(&registry_lock);
}

void tls_tid_remove(struct tls_tcb *t)
{
	if (!__atomic_load_n(&by_tid, __ATOMIC_ACQUIRE))
		return;
	libc_lock(&registry_lock);
	for (unsigned i = tid_slot(t->ctx.tid), n = 0; n < TID_SLOTS && by_tid[i].tid;
	     i = (i + 1) & (TID_SLOTS - 1), n++) {
		if (by_tid[i].tid == t->ctx.tid && by_tid[i].t == t) {
			__atomic_store_n(&by_tid[i].tid, -1, __ATOMIC_RELEASE);
			break;
		}
	}
	libc_unlock(&registry_lock);
}

struct tls_tcb *tls_find_tid(int32_t tid)
{
	const struct tid_slot *table = __atomic_load_n(&by_tid, __ATOMIC_ACQUIRE);

	for (unsigned i = tid_slot(tid), n = 0; table && n < TID_SLOTS;
	     i = (i + 1) & (TID_SLOTS - 1), n++) {
		int32_t at = __atomic_load_n(&table[i].tid, __ATOMIC_ACQUIRE);
		if (at == tid)
			return table[i].t;
		if (at == 0)
			break;
	}
	return NULL;
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
	if (by_tid) { /* the parent's threads are not the child's */
		sys_munmap(by_tid, TID_SLOTS * sizeof(struct tid_slot));
		by_tid = NULL;
		if (new_table() == 0)
			tid_add_locked(self);
	}
}
