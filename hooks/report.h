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

#endif
