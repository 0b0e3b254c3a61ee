/* SPDX-License-Identifier: MIT */
/* /proc/PID/exe made the program's file, where the kernel lets us. */
#ifndef LOADER_EXE_LINK_H
#define LOADER_EXE_LINK_H

struct ldr_program;

/* Make the process's executable (/proc/PID/exe) the program's file
 * (opened again for the switch: ldr_program_file), moving the loader's
 * own image to anonymous memory first if the kernel needs it; its
 * read-only data is then mapped again from loader_path (the loader's
 * file as /proc/self/exe named it at start), if that is still the same
 * file. Before any other thread exists. Returns 0, or -errno: -EPERM
 * without CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN (then nothing changed),
 * -ENOENT without /proc, -ESTALE when the program's file changed. */
int ldr_exe_link_set(struct ldr_program *prog, const char *loader_path);

#endif
