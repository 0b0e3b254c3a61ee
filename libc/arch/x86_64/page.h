/* SPDX-License-Identifier: MIT */
/* The machine's page and the extent of its user address space (x86-64). */
#ifndef LIBC_PAGE_H
#define LIBC_PAGE_H

#define PAGE_SIZE    4096UL
#define PAGE_DOWN(x) ((x) & ~(PAGE_SIZE - 1))
#define PAGE_UP(x)   (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* The user address space with 4-level paging: the kernel's TASK_SIZE_MAX. */
#define TASK_SIZE_MAX 0x7ffffffff000UL

#endif
