// SPDX-License-Identifier: MIT
/*
 * The budget and the counter of committed bytes. Threads commit memory
 * concurrently, so a syscall first reserves what it would commit (a
 * compare-and-swap that never lets the counter pass the budget) and,
 * once it has run, settles: the reservation is replaced by what really
 * changed. A fork child inherits the counter with the rest of memory, as
 * the kernel's child inherits its parent's commit.
 */
#include <errno.h>

#include "books.h"
#include "heap.h"

static uint64_t budget;
static volatile uint64_t used;

void heap_budget_set(uint64_t size)
{
	budget = size;
}

uint64_t heap_budget_size(void)
{
	return budget;
}

int heap_budget_reserve(uint64_t size)
{
	uint64_t now = __atomic_load_n(&used, __ATOMIC_RELAXED);

	if (size == 0)
		return 0;
	do {
		if (size > budget || now > budget - size)
			return -ENOMEM;
	} while (!__atomic_compare_exchange_n(&used, &now, now + size, 1, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

void heap_budget_settle(uint64_t reserved, int64_t delta)
{
	uint64_t change = (uint64_t)delta - reserved;

	/* Unsigned wrap-around makes a negative change a subtraction. */
	if (change)
		__atomic_add_fetch(&used, change, __ATOMIC_RELAXED);
}
