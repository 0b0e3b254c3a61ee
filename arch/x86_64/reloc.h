/* SPDX-License-Identifier: MIT */
/* The x86-64 relocation types a position-independent object can carry
 * (the psABI's numbers; <linux/elf.h> does not have them). */
#ifndef ARCH_RELOC_H
#define ARCH_RELOC_H

#define R_X86_64_NONE      0
#define R_X86_64_64        1
#define R_X86_64_GLOB_DAT  6
#define R_X86_64_JUMP_SLOT 7
#define R_X86_64_RELATIVE  8

#endif
