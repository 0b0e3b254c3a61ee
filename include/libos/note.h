/* SPDX-License-Identifier: MIT */
/*
 * note.h: the producer side of the LibOS contract (docs/contract.md), for a
 * libc (or any object) that wants a LibOS to find its system calls without
 * guessing. Header-only, usable from C and from assembly (.S), and free of
 * any other header of libos-loader, so that it can be copied into a libc.
 *
 *   LIBOS_NOTE(flags)      once per object (executable or shared object):
 *                          the ELF note that says "my syscall sites are
 *                          listed, here", in an allocated SHT_NOTE section
 *                          (so the linker puts it in a PT_NOTE segment)
 *   SYSCALL_INST           instead of every `syscall`: the instruction,
 *                          LIBOS_SYSCALL_PADDING single-byte nops (3 by
 *                          default, so that a 5-byte jmp replaces the pair
 *                          without displacing any other instruction), and a
 *                          16-byte entry in the site list
 *   LIBOS_DEFINE_HOOKS()   once per object: the weak hooks a LibOS-ready
 *                          libc calls and a LibOS may interpose
 *
 * In C, SYSCALL_INST is a string for inline asm:
 *     __asm__ volatile(SYSCALL_INST : "=a"(ret) : "a"(nr), ... : "rcx", "r11", "memory");
 * In a .S file it is a line of its own. It uses the local label 9831.
 *
 * Position independence: the linker resolves every value below without
 * dynamic relocations, because each one is the difference of two addresses
 * of the same object. A site list entry holds its site's address relative
 * to the entry itself; the note holds the list's bounds relative to its own
 * descriptor. (An address relative to the load base cannot be written that
 * way: no assembler expression subtracts the base.) A reader adds the
 * entry's (or descriptor's) own link-time address to get link-time
 * addresses, i.e. addresses relative to the load base.
 *
 * The list section is `libos_instruction_syscall` by default, not the
 * proposal's `.libos.instruction.syscall`: linkers define __start_SECTION
 * and __stop_SECTION only for names that are C identifiers, and those are
 * how the note finds the list with no linker script. Define
 * LIBOS_SITE_LIST_DOTTED (in every file of the object) and link with
 * `-Wl,-T,note.ld` (installed next to this header) for the proposal's name:
 * that fragment brackets the section with symbols of its own. A reader
 * finds the list through the note, never by the section's name.
 */
#ifndef LIBOS_NOTE_H
#define LIBOS_NOTE_H

/* The contract version this header produces; equal to version.h's
 * LIBOS_CONTRACT_VERSION (the loader's build asserts it). */
#define LIBOS_NOTE_CONTRACT_VERSION 1

/* The note: owner "LibOS" (namesz 6), type 1, descriptor of 32 bytes. */
#define LIBOS_NOTE_OWNER      "LibOS"
#define LIBOS_NOTE_TYPE_SITES 1
#define LIBOS_NOTE_DESC_SIZE  32
#define LIBOS_SITE_ENTRY_SIZE 16

/* Note flags. COMPLETE: every syscall instruction of the object is listed
 * (hand-written `syscall`s outside SYSCALL_INST would break that promise:
 * leave the flag out then, and a LibOS looks for the others itself). */
#define LIBOS_NOTE_COMPLETE 0x1

/* Nops after each syscall; define before including to change it (3..30). */
#ifndef LIBOS_SYSCALL_PADDING
#define LIBOS_SYSCALL_PADDING 3
#endif

/* Private syscall numbers of the weak hooks' bodies (see below): they only
 * ever run under a LibOS that rewrote the hook's entry. */
#define LIBOS_NR_HOOK_MAP_LIBRARY      0x2b0a0001
#define LIBOS_NR_HOOK_REGISTER_LIBRARY 0x2b0a0002
#define LIBOS_NR_HOOK_INIT             0x2b0a0003

/* The list section and its bounds (see above). */
#ifdef LIBOS_SITE_LIST_DOTTED
#define LIBOS__LIST_SECTION .libos.instruction.syscall
#define LIBOS__LIST_START   __libos_site_list_start
#define LIBOS__LIST_STOP    __libos_site_list_end
#else
#define LIBOS__LIST_SECTION libos_instruction_syscall
#define LIBOS__LIST_START   __start_libos_instruction_syscall
#define LIBOS__LIST_STOP    __stop_libos_instruction_syscall
#endif

#define LIBOS__STR(...)  #__VA_ARGS__
#define LIBOS__XSTR(...) LIBOS__STR(__VA_ARGS__)

/* Assembly, as tokens: statements separated by `;`. clang-format would
 * take them for C (and join `.pushsection .note`): it is off here. */
/* clang-format off */
#define LIBOS__SYSCALL_INST_ASM(pad)                                                        \
	9831: syscall; .fill pad, 1, 0x90;                                                  \
	.pushsection LIBOS__LIST_SECTION, "a", @progbits; .balign 8;                       \
	.quad 9831b - .; .byte pad; .fill 7, 1, 0; .popsection

/* The descriptor, byte by byte (little-endian):
 *    0  u32  contract version
 *    4  u32  flags (LIBOS_NOTE_*)
 *    8  u8   padding: nop bytes after each listed syscall
 *    9  u8   entry size (16)
 *   10  u16  reserved, 0
 *   12  u32  reserved, 0
 *   16  i64  first entry of the site list, relative to the descriptor
 *   24  i64  end of the site list, relative to the descriptor
 * The empty contribution to the list section makes the section (and its
 * __start_/__stop_ symbols) exist even in an object with no site yet. */
#define LIBOS__NOTE_ASM(flags, pad)                                                         \
	.pushsection LIBOS__LIST_SECTION, "a", @progbits; .balign 8; .popsection;          \
	.hidden LIBOS__LIST_START; .hidden LIBOS__LIST_STOP;                                \
	.pushsection .note.libos, "a", @note; .balign 4;                                    \
	.long 6; .long LIBOS_NOTE_DESC_SIZE; .long LIBOS_NOTE_TYPE_SITES;                   \
	.asciz "LibOS"; .balign 4;                                                          \
	9832: .long LIBOS_NOTE_CONTRACT_VERSION; .long flags;                               \
	.byte pad; .byte LIBOS_SITE_ENTRY_SIZE; .short 0; .long 0;                          \
	.quad LIBOS__LIST_START - 9832b;                                                    \
	.quad LIBOS__LIST_STOP - 9832b; .popsection

/* A weak hook: 16 bytes whose first three, `xor %eax,%eax; ret`, make it a
 * no-op that returns 0 natively. The rest is what a LibOS turns it into:
 * it rewrites the entry into a jump to a stub that runs `mov %rcx,%r10;
 * mov $nr,%eax`, enters the LibOS as that syscall, and returns. The bytes
 * are spelled out because the LibOS checks them one by one. */
#define LIBOS__HOOK_ASM(name, nr)                                                           \
	.pushsection .text.name, "ax", @progbits; .balign 16;                               \
	.weak name; .type name, @function; name:                                            \
	.byte 0x31, 0xc0, 0xc3; .byte 0x49, 0x89, 0xca; .byte 0xb8; .long nr;               \
	.byte 0x0f, 0x05, 0xc3, 0xcc, 0xcc; .size name, 16; .popsection

/* __hp_timing_disabled: non-zero when the dynamic linker must not read the
 * TSC (a LibOS sets it). In .data, not .bss, so that a LibOS can set it as
 * soon as the file's data is mapped, without a later zero-fill undoing it. */
#define LIBOS__HOOKS_ASM()                                                                  \
	LIBOS__HOOK_ASM(__libos_map_library, LIBOS_NR_HOOK_MAP_LIBRARY);                    \
	LIBOS__HOOK_ASM(__libos_register_library, LIBOS_NR_HOOK_REGISTER_LIBRARY);          \
	LIBOS__HOOK_ASM(__libos_init, LIBOS_NR_HOOK_INIT);                                  \
	.pushsection .data.__hp_timing_disabled, "aw", @progbits; .balign 4;                \
	.weak __hp_timing_disabled; .type __hp_timing_disabled, @object;                    \
	__hp_timing_disabled: .long 0; .size __hp_timing_disabled, 4; .popsection
/* clang-format on */

#ifdef __ASSEMBLER__

#define SYSCALL_INST         LIBOS__SYSCALL_INST_ASM(LIBOS_SYSCALL_PADDING)
#define LIBOS_NOTE(flags)    LIBOS__NOTE_ASM(flags, LIBOS_SYSCALL_PADDING)
#define LIBOS_DEFINE_HOOKS() LIBOS__HOOKS_ASM()

#else

#include <stddef.h>
#include <stdint.h>

#define SYSCALL_INST         LIBOS__XSTR(LIBOS__SYSCALL_INST_ASM(LIBOS_SYSCALL_PADDING))
#define LIBOS_NOTE(flags)    __asm__(LIBOS__XSTR(LIBOS__NOTE_ASM(flags, LIBOS_SYSCALL_PADDING)))
#define LIBOS_DEFINE_HOOKS() __asm__(LIBOS__XSTR(LIBOS__HOOKS_ASM()))

#ifdef __cplusplus
extern "C" {
#endif

/* The hooks, as a libc calls them. Each returns 0 natively.
 *
 * __libos_map_library: the dynamic linker mapped an object (path as it
 * opened it, load bias, program headers in memory), before running any of
 * its code. __libos_register_library is the proposal's earlier name, with
 * only the name and the load address. __libos_init: the libc starts (once,
 * before its own initialisation), built for contract version `version`. */
int __libos_map_library(const char *path, uintptr_t base, const void *phdr, size_t phnum);
int __libos_register_library(const char *name, uintptr_t load_address);
int __libos_init(unsigned version);
extern int __hp_timing_disabled;

#ifdef __cplusplus
}
#endif

#endif /* __ASSEMBLER__ */

/* One entry of the site list (also described for readers). */
#ifndef __ASSEMBLER__
struct libos_site_entry {
	int64_t site;    /* the `syscall`'s address minus this entry's address */
	uint8_t padding; /* nop bytes after it */
	uint8_t reserved[7];
};

struct libos_note_desc {
	uint32_t version;
	uint32_t flags;
	uint8_t padding;
	uint8_t entry_size;
	uint16_t reserved0;
	uint32_t reserved1;
	int64_t list_start; /* relative to the descriptor */
	int64_t list_end;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct libos_site_entry) == LIBOS_SITE_ENTRY_SIZE, "entry layout");
_Static_assert(sizeof(struct libos_note_desc) == LIBOS_NOTE_DESC_SIZE, "descriptor layout");
#endif
#endif

#endif
