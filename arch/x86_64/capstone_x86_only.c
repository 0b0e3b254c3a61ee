// SPDX-License-Identifier: MIT
/*
 * Capstone for x86 only. Debian's libcapstone.a holds every architecture,
 * and its cs.o reaches each one only through two functions per
 * architecture. Defining those here for the architectures we never open
 * keeps their disassemblers (most of libcapstone's code, and 70,000 of the
 * relocations the loader would otherwise apply at every start) out of the
 * link. cs_open() on one of them fails with CS_ERR_ARCH, which it would
 * also do for an architecture compiled out of Capstone.
 */
#include <capstone/capstone.h>
#include <stddef.h>

#define NOT_BUILT_IN(arch)                                                                         \
	cs_err arch##_global_init(void *ud);                                                       \
	cs_err arch##_option(void *handle, cs_opt_type type, size_t value);                        \
	cs_err arch##_global_init(void *ud)                                                        \
	{                                                                                          \
		return CS_ERR_ARCH;                                                                \
	}                                                                                          \
	cs_err arch##_option(void *handle, cs_opt_type type, size_t value)                         \
	{                                                                                          \
		return CS_ERR_ARCH;                                                                \
	}

NOT_BUILT_IN(ARM)
NOT_BUILT_IN(AArch64)
NOT_BUILT_IN(Mips)
NOT_BUILT_IN(PPC)
NOT_BUILT_IN(Sparc)
NOT_BUILT_IN(SystemZ)
NOT_BUILT_IN(XCore)
NOT_BUILT_IN(M68K)
NOT_BUILT_IN(TMS320C64x)
NOT_BUILT_IN(M680X)
NOT_BUILT_IN(EVM)
