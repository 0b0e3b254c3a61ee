/* SPDX-License-Identifier: MIT */
/* The room that TCBs and their LibOS stacks are carved from (tcb_room.c). */
#ifndef TLS_TCB_ROOM_H
#define TLS_TCB_ROOM_H

#include <stddef.h>
#include <stdint.h>

/* A fresh PROT_NONE piece of size bytes (the caller makes what it uses
 * read-write) (the same size at every call), or 0. */
uintptr_t tls_room_take(size_t size);

/* The piece at p goes back to the room, unused: p was never a running
 * thread's, or its thread is gone. */
void tls_room_put_back(uintptr_t p);

/* The piece at p is about to be unmapped by its own thread, on its way
 * out (arch_exit_thread): from now on the place may be anyone's. */
void tls_room_leaving(uintptr_t p);

/* Around a fork (tls_fork_prepare): the room's lock held. */
void tls_room_fork_lock(void);
void tls_room_fork_unlock(void);

#endif
