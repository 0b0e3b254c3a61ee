/* SPDX-License-Identifier: MIT */
/* The --report file: what the interception core did, as JSON. */
#ifndef HOOKS_REPORT_H
#define HOOKS_REPORT_H

/* Write the report of this process to path ("%p" is replaced by the
 * pid). exec >= 0: the report of a program image about to exec (its
 * exec count): "-execN" goes before a ".json" ending (else ".execN" is
 * appended), so that the next image's report, for the same pid, does not
 * replace it. Failures are reported on stderr; the program is not
 * affected. */
void hook_report_write(const char *path, int exec);

/* Whether every name path can become in hook_report_write (each "%p" as
 * the widest pid, the widest "-execN" tail, and the temporary name it is
 * written under) is one the kernel takes (PATH_MAX, NAME_MAX for the
 * last component): the loader refuses a report path that could not be
 * written at exit, rather than find out then, or write a shorter name,
 * which would be another file. */
int hook_report_path_fits(const char *path);

#endif
