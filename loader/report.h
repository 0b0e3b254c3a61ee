/* SPDX-License-Identifier: MIT */
/* The --report file: what the interception core did, as JSON. */
#ifndef LOADER_REPORT_H
#define LOADER_REPORT_H

/* Write the report of this process to path ("%p" is replaced by the
 * pid). Failures are reported on stderr; the program is not affected. */
void ldr_report_write(const char *path);

#endif
