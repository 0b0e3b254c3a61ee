/* SPDX-License-Identifier: MIT */
/*
 * Generating a site's stub and the bytes that replace its window, from the
 * window's description and the original bytes: no disassembler involved.
 */
#ifndef ARCH_STUB_H
#define ARCH_STUB_H

#include <stddef.h>
#include <stdint.h>

#include "rewrite.h"

/* An upper bound of one stub's size. */
#define ARCH_STUB_MAX 192

/* Emit into buf the stub of window w, whose original bytes are orig, for
 * the window at runtime address win and the stub at runtime address stub.
 * Returns the stub's size, or -ERANGE when a relative operand cannot reach
 * from the stub. */
int arch_stub_emit(const struct arch_window *w, const uint8_t *orig, uint64_t win, uint64_t stub,
		   uint8_t *buf);

/* The window's new bytes: a jmp to stub, then int3 up to w->len. Returns
 * -ERANGE when the stub is out of reach. */
int arch_stub_site_bytes(const struct arch_window *w, uint64_t win, uint64_t stub, uint8_t *out);

#endif
