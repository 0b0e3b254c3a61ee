// SPDX-License-Identifier: MIT
/*
 * Whether executing a file would change the process's credentials, by the
 * kernel's rules (fs/exec.c bprm_fill_uid, security/commoncap.c): the
 * loader cannot carry set-ID bits or file capabilities into a program it
 * maps itself (it is not set-ID, and must not be), so such a program is
 * run natively, by execve, whether it was given on the command line
 * (run.c) or exec'd later (hooks/exec.c, through hook_options.exec_check).
 * One rule for both, here, where the program is resolved.
 */
#include <sys.h>

#include "privileges.h"

#define PR_GET_NO_NEW_PRIVS 39
#define ST_NOSUID           2

const char *ldr_exec_privileges(int fd)
{
	struct stat st;
	struct statfs fs;

	/* no_new_privs: the kernel ignores the bits and capabilities. */
	if (sys_prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		return NULL;
	if (sys_fstat(fd, &st) < 0 || sys_fstatfs(fd, &fs) < 0)
		return "of unknown privileges"; /* cannot tell: do not take the chance */
	if (fs.f_flags & ST_NOSUID)
		return NULL;
	if ((st.st_mode & S_ISUID) && st.st_uid != (unsigned)sys_geteuid())
		return "set-user-ID";
	/* Without group execute permission the bit means mandatory locking. */
	if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    st.st_gid != (unsigned)sys_getegid())
		return "set-group-ID";
	/* Root already holds every capability a file could grant. */
	if (sys_geteuid() != 0 && sys_fgetxattr(fd, "security.capability", NULL, 0) > 0)
		return "a program with file capabilities";
	return NULL;
}
