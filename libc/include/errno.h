/* SPDX-License-Identifier: MIT */
/*
 * Error numbers. Inside the loader there is no errno variable: functions
 * return -errno (musl's __syscall convention) and the edge turns it into a
 * message with strerror().
 */
#ifndef LIBC_ERRNO_H
#define LIBC_ERRNO_H

#include <linux/errno.h>

#endif
