#!/bin/sh
# SPDX-License-Identifier: MIT
# capstone-lazy.sh LIBCAPSTONE_A OUT_DIR: copy the members of Debian's
# libcapstone.a whose data holds pointers (X86Mapping.o's tables,
# X86Disassembler.o's, cs.o's allocator hooks), with that data moved to a
# section of its own, `capstone_lazy`. Linked ahead of the archive, they replace its members;
# self_reloc.c leaves the section alone at start-up and lazy_reloc.c
# relocates it only when Capstone is first needed (a plan-cache miss).
set -eu
lib=$1
out=$2
mkdir -p "$out"
cd "$out"
ar x "$lib" X86Mapping.o X86Disassembler.o cs.o
objcopy --rename-section .data.rel.ro.local=capstone_lazy X86Mapping.o X86Mapping-lazy.o
objcopy --rename-section .data.rel.local=capstone_lazy X86Disassembler.o X86Disassembler-lazy.o
objcopy --rename-section .data.rel=capstone_lazy --rename-section .data.rel.ro=capstone_lazy \
	cs.o cs-lazy.o
rm -f X86Mapping.o X86Disassembler.o cs.o
