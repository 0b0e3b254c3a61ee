// SPDX-License-Identifier: MIT
/* The debugger's view of the hand-off: see debugger.c. */
#ifndef LDR_DEBUGGER_H
#define LDR_DEBUGGER_H

void ldr_debugger_program_mapped(const char *program_path);

#endif
