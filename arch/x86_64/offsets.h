/* SPDX-License-Identifier: MIT */
/*
 * The numbers assembly shares with C, defined once. tls/tcb.h pins the
 * TCB offsets to its struct with _Static_assert; frame.h pins the frames.
 * Usable from .S files (no C in here).
 */
#ifndef ARCH_OFFSETS_H
#define ARCH_OFFSETS_H

#define ARCH_SLICE        0x20000 /* one LibOS stack slice: 128 KiB */

#define TCB_SELF          0x00
#define TCB_ENTRY_SP      0x08
#define TCB_ENTRY_FN      0x10
#define TCB_STACK_HI      0x18
#define TCB_SUD_SELECTOR  0x20
#define TCB_SYSCALL_SP    0x28

#endif
