/* SPDX-License-Identifier: MIT */
/*
 * libos.h: the LibOS module API of libos-loader (contract version
 * LIBOS_CONTRACT_VERSION, see version.h and docs/contract.md).
 *
 * A module is what the program's system calls are delivered to. It is
 * either builtin (compiled into the loader, LIBOS_BUILTIN_MODULE) or an
 * external shared object loaded with --libos=PATH.so (or LIBOS_MODULE):
 * a freestanding object (no libc, no DT_NEEDED, built -fPIC with
 * `pkg-config --cflags --libs libos-loader`) that exports one symbol,
 *
 *     const struct libos_module libos_module = { ... };
 *
 * mapped and relocated by the loader's own ELF code. The module never
 * makes a syscall instruction itself (under the safety net it would be
 * caught as the program's): it calls back into the loader through the
 * struct libos_loader its init hook receives. Hooks run on the LibOS
 * stack of the calling thread with general registers only: build with
 * -mgeneral-regs-only, or the program's vector registers may change
 * across its syscalls.
 *
 * Every hook but syscall is optional (NULL). The structures only grow, at
 * their end; `size` says how much of them the other side knows.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <stddef.h>
#include <stdint.h>

#include <libos/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per thread: what the syscall, thread and rdtsc hooks get. It lives in
 * the thread's LibOS control block; data is the module's own, NULL when
 * the thread starts. */
struct libos_context {
	void *data;
	int32_t tid; /* the thread's id, as gettid() */
	uint32_t reserved;
};

/* One object of the program's address space (map_library). */
enum libos_object_kind {
	LIBOS_OBJECT_PROGRAM = 1, /* the executable */
	LIBOS_OBJECT_INTERPRETER, /* ld.so (PT_INTERP) */
	LIBOS_OBJECT_VDSO,
	LIBOS_OBJECT_LIBRARY, /* mapped by ld.so: at start-up or by dlopen */
};

struct libos_object {
	const char *path; /* as the kernel names the file; "[vdso]" */
	uintptr_t base;   /* the load bias: p_vaddr + base is where a segment is */
	const void *phdr; /* its program headers (Elf64_Phdr), in memory */
	uint16_t phnum;
	uint16_t kind;  /* enum libos_object_kind */
	uint32_t sites; /* syscall sites the loader patched in it */
};

/* What the loader offers a module (passed to init; valid for the whole
 * run). */
struct libos_loader {
	uint32_t version; /* LIBOS_CONTRACT_VERSION of the loader */
	uint32_t size;    /* sizeof(struct libos_loader) the loader knows */
	/* The real system call, as the program would have made it: on the
	 * program's stack, with its signal mask. Returns the kernel's value
	 * (-errno on failure). */
	long (*syscall)(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
	/* One line on stderr, "libos-loader: MODULE: " and then fmt (printf's
	 * %s %d %u %ld %lu %lx %x %p %c %%), a newline added. */
	void (*log)(const char *fmt, ...);
	/* Memory of the loader's allocator, zeroed; NULL when out of it. Safe
	 * from any thread, not from a signal handler. */
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	/* --libos-options=STRING (or LIBOS_MODULE_OPTIONS), "" if none. */
	const char *options;
	/* The program's memory, read or written as the kernel would: 0, or
	 * -EFAULT where the program's pointer is bad (never a crash). Each
	 * costs about one syscall. copy_string copies up to size - 1 bytes
	 * and a NUL; -ENAMETOOLONG when the string does not fit. */
	long (*copy_from)(void *dst, uintptr_t src, size_t n);
	long (*copy_to)(uintptr_t dst, const void *src, size_t n);
	long (*copy_string)(char *dst, uintptr_t src, size_t size);
};

/* struct libos_module.flags */
#define LIBOS_MODULE_NO_FLAGS 0u

struct libos_module {
	uint32_t version; /* LIBOS_CONTRACT_VERSION the module was built for */
	uint32_t size;    /* sizeof(struct libos_module) */
	const char *name; /* what the loader's messages call it */
	uint32_t flags;
	uint32_t reserved;

	/* Once, before the program's first instruction and before any other
	 * hook (map_library for the objects already mapped, then the main
	 * thread's thread_start follow it), with the program's argv, envp and
	 * auxv (AT_* pairs, AT_NULL-terminated), valid during the call only.
	 * Non-zero: the loader stops with that status, before the program
	 * runs. */
	int (*init)(const struct libos_loader *loader, int argc, char **argv, char **envp,
		    const uint64_t *auxv);

	/* Every system call of the program (required). Returns the result,
	 * or -errno. ctx is the calling thread's. */
	long (*syscall)(struct libos_context *ctx, long nr, long a1, long a2, long a3, long a4,
			long a5, long a6);

	/* An object was mapped and patched; none of its code has run yet.
	 * Called for the program, ld.so and the vDSO right after init, then
	 * for each library ld.so maps (start-up, dlopen). */
	void (*map_library)(const struct libos_object *object);
	/* The object is gone (dlclose unmapped its code): path and base as
	 * announced, no program headers (phdr NULL). */
	void (*unmap_library)(const struct libos_object *object);

	/* How much memory, in bytes, the program may commit (its brk area
	 * and private writable mappings: heap/); 0 for no limit. Asked once,
	 * after init. --heap-size=SIZE overrides it (--heap-size=0 lifts it). */
	uint64_t (*heap_size)(void);

	/* Under --trap-rdtsc, the value rdtsc / rdtscp read; for rdtscp,
	 * *aux is what it puts in %ecx (preset to the real TSC_AUX). */
	uint64_t (*rdtsc)(struct libos_context *ctx, uint32_t *aux);

	/* A thread starts (on itself, before its first instruction: the main
	 * thread, threads, vfork children) or ends (exit, exit_group). A fork
	 * child's one thread is not announced (its end is): it keeps its
	 * parent's data, and the syscall hook sees fork (or clone, clone3)
	 * return 0 in it; a child with its own memory that clone starts on a
	 * new stack is not seen returning and starts with data NULL. */
	void (*thread_start)(struct libos_context *ctx);
	void (*thread_exit)(struct libos_context *ctx);

	/* The process ends (exit_group, the last thread's exit, a fatal
	 * signal excepted) with this status. */
	void (*fini)(int status);
};

/* The symbol an external module exports. */
#define LIBOS_MODULE_SYMBOL "libos_module"

/* Inside the loader: register a builtin module (selected with --libos=NAME). */
#define LIBOS_BUILTIN_MODULE(m)                                                                    \
	__attribute__((used, section("libos_builtin_modules"))) static const struct libos_module   \
		*const libos_builtin_##m = &(m)

#ifdef __cplusplus
}
#endif

#endif
