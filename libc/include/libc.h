/* SPDX-License-Identifier: MIT */
/*
 * What the libc knows about the process it started in: the kernel's initial
 * stack, pulled apart by libc_start (stage 2 of start-up), and the loader's
 * own thread control block. The loader's main program is ldr_main.
 */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <stddef.h>
#include <stdint.h>

struct libc_start_info {
	uintptr_t *kernel_sp; /* the kernel's %rsp at _start: &argc */
	int argc;
	char **argv;
	char **envp;
	uint64_t *auxv;        /* pairs, ending with AT_NULL */
	uintptr_t strings_end; /* one past the highest string the kernel put on the stack */
};

/* The loader's thread control block, reached through %fs. Only the first
 * words follow the x86-64 TLS ABI: a self pointer at 0 and the stack
 * protector canary at 0x28, which Capstone's code reads. */
struct libc_tcb {
	struct libc_tcb *self;
	uint64_t reserved[4];
	uint64_t canary; /* %fs:0x28 */
};
_Static_assert(__builtin_offsetof(struct libc_tcb, canary) == 0x28, "canary must be at %fs:0x28");

extern struct libc_tcb libc_main_tcb;

/* Make argv and envp (NULL-terminated, argc words) those of the start
 * info, and getenv's: a followed exec's, which came in a memfd
 * (loader/exec_args.c). The kernel's stack is left as it is. */
void libc_start_set_args(int argc, char **argv, char **envp);

/* Read one auxv entry; returns def when the key is absent. */
uint64_t libc_getauxval(unsigned long key, uint64_t def);

/* The path the kernel gives the file open at fd (/proc/self/fd/FD's
 * target, "/memfd:NAME (deleted)" and the like included), NUL-terminated
 * in out (empty on failure). Returns its length, or -errno. */
long libc_fd_path(int fd, char *out, unsigned long size);

/* A line of /proc/self/maps. */
struct libc_mapping {
	uintptr_t lo, hi; /* [lo, hi) */
	int readable, writable, executable;
};

/* The mapping that holds addr, and (path_size > 0) the path of its file
 * into path ("" for anonymous memory). Returns 0, -ENOENT or -errno. */
int libc_mapping_at(uintptr_t addr, struct libc_mapping *m, char *path, size_t path_size);

/* Write the file at path whole with fill(fd, arg) (0 or -errno) and put
 * it in place of whatever path named, created with mode. Returns 0 or
 * -errno; on failure nothing is left behind. */
int libc_replace_file(const char *path, int mode, int (*fill)(int fd, const void *arg),
		      const void *arg);

/* How many bytes the temporary name adds to the file's name
 * (".RANDOM16.tmp"): a name longer than NAME_MAX or PATH_MAX less this
 * cannot be replaced. */
#define LIBC_REPLACE_TMP_EXTRA 21

/* The same for name relative to the directory open at dirfd; with
 * LIBC_REPLACE_KEEP_MODE (as libc_replace_file) an existing regular file
 * keeps its mode and owner, else the new one has mode. */
#define LIBC_REPLACE_KEEP_MODE 1u
int libc_replace_file_at(int dirfd, const char *name, int mode, unsigned flags,
			 int (*fill)(int fd, const void *arg), const void *arg);

/* Write the file the user named path with fill(fd, arg) as a careful
 * tool does (libc/src/io/write_file.c): a regular file or a new name is
 * replaced atomically (libc_replace_file), a symlink is followed and kept,
 * a device, FIFO or /dev/stdout is written in place. Returns 0 or -errno;
 * on failure nothing is left behind. */
int libc_write_file(const char *path, int (*fill)(int fd, const void *arg), const void *arg);

/* Around a fork (tls_fork_prepare): malloc's lock held, so that the
 * child's heap is whole and its lock free. */
void libc_malloc_fork_lock(void);
void libc_malloc_fork_unlock(void);

/* One line on stderr, "libos-loader: " and the formatted message (up to
 * 12.5 KiB), control bytes written as \xNN (say.c). */
__attribute__((format(printf, 1, 2))) void libc_say(const char *fmt, ...);

/* The monotonic clock, in nanoseconds (the report's patch_ms). */
uint64_t libc_now_ns(void);

/* 64 random bits: getrandom's, or (no entropy yet) from the clock and
 * the thread id; for names no one may guess and tags (src/stdlib/random64.c). */
uint64_t libc_random64(void);

/* A fast, non-cryptographic 64-bit hash of n bytes (src/hash/hash64.c). */
uint64_t libc_hash64(const void *data, size_t n, uint64_t seed);

/* From here on (the hand-off to the program), the raw syscalls that
 * LIBOS_TEST_FAULT names fail: only in the test-only libos-loader-faults
 * (src/fault/fault.c); a no-op in the loader itself. */
#ifdef LIBC_FAULT_INJECTION
void libc_fault_start(void);
#else
static inline void libc_fault_start(void)
{
}
#endif

/* Stage 2 of start-up, called by _start once relocations are applied. */
__attribute__((noreturn)) void libc_start(uintptr_t *kernel_sp);

/* The program built on this libc. Its return value is the exit status. */
int ldr_main(const struct libc_start_info *start);

#endif
