/* SPDX-License-Identifier: MIT */
/* Would an exec of a file give the process privileges (privileges.c)? */
#ifndef LOADER_PRIVILEGES_H
#define LOADER_PRIVILEGES_H

/* What the file open at fd is, said as "PROGRAM is ...": "set-user-ID",
 * "set-group-ID", "a program with file capabilities", when executing it
 * would change the process's credentials (and the kernel would honour
 * that: not under no_new_privs, not on a nosuid mount); else NULL. */
const char *ldr_exec_privileges(int fd);

#endif
