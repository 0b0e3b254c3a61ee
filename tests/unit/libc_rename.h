/* SPDX-License-Identifier: MIT */
/*
 * Forced into every libc source compiled for test_libc: it renames the
 * loader's libc functions to lt_*, so that one test program can hold both
 * them and glibc's and compare the two on the same inputs.
 */
#define memcpy    lt_memcpy
#define memmove   lt_memmove
#define memset    lt_memset
#define memcmp    lt_memcmp
#define memchr    lt_memchr
#define memmem    lt_memmem
#define strlen    lt_strlen
#define strnlen   lt_strnlen
#define strcmp    lt_strcmp
#define strncmp   lt_strncmp
#define strchr    lt_strchr
#define strrchr   lt_strrchr
#define strstr    lt_strstr
#define strcpy    lt_strcpy
#define strncpy   lt_strncpy
#define strdup    lt_strdup
#define strerror  lt_strerror
#define malloc    lt_malloc
#define calloc    lt_calloc
#define realloc   lt_realloc
#define free      lt_free
#define qsort     lt_qsort
#define strtol    lt_strtol
#define strtoul   lt_strtoul
#define strtoull  lt_strtoull
#define vsnprintf lt_vsnprintf
#define snprintf  lt_snprintf
#define abort     lt_abort
