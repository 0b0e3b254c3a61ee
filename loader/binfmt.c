// SPDX-License-Identifier: MIT
/*
 * --binfmt=register|unregister|status [--binfmt-name=NAME]: the kernel's
 * binfmt_misc entry that runs marked binaries (binfmt_magic.h) under the
 * loader, with the flags that make the run the binary's own:
 *   P  argv[0] preserved: the program gets the argv[0] it was exec'd with;
 *   O  the kernel opens the binary and passes AT_EXECFD: an execute-only
 *      binary runs, and the file is the one the exec checked;
 *   C  credentials from the binary (implies O): a set-ID binary gets its
 *      IDs and AT_SECURE, as natively;
 *   F  the interpreter is opened at registration: it works in containers
 *      and chroots where the loader's path does not exist.
 * The interpreter is the loader's real absolute path (/proc/self/exe),
 * never a name the kernel would resolve later against another tree.
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>

#include "binfmt.h"
#include "binfmt_magic.h"
#include "error.h"

#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"

/* bytes as \xHH each, which the kernel's parser decodes. */
static int hex(char *buf, unsigned long size, const char *bytes, int count)
{
	static const char digits[] = "0123456789abcdef";
	unsigned long n = 0;

	for (int i = 0; i < count; i++) {
		unsigned char b = (unsigned char)bytes[i];
		if (n + 4 >= size)
			return -ENAMETOOLONG;
		buf[n++] = '\\';
		buf[n++] = 'x';
		buf[n++] = digits[b >> 4];
		buf[n++] = digits[b & 15];
	}
	buf[n] = '\0';
	return (int)n;
}

int ldr_binfmt_line(char *buf, unsigned long size, const char *name, const char *loader)
{
	char magic[4 * LDR_BINFMT_MATCH_SIZE + 1], mask[4 * LDR_BINFMT_MATCH_SIZE + 1];
	int n;

	hex(magic, sizeof(magic), LDR_BINFMT_MAGIC, LDR_BINFMT_MATCH_SIZE);
	hex(mask, sizeof(mask), LDR_BINFMT_MASK, LDR_BINFMT_MATCH_SIZE);
	n = snprintf(buf, size, ":%s:M:0:%s:%s:%s:POCF", name, magic, mask, loader);
	return n < 0 || (unsigned long)n >= size ? -ENAMETOOLONG : n;
}

/* The kernel takes a name without '/' and ':' that is not "." or "..". */
static int name_ok(const char *name)
{
	return *name && !strchr(name, '/') && !strchr(name, ':') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0 && strlen(name) < 256;
}

static const char *why(long r)
{
	if (r == -ENOENT)
		return "binfmt_misc is not mounted on " BINFMT_DIR;
	if (r == -EACCES || r == -EPERM)
		return "no permission (root, or root of a user namespace with a binfmt_misc "
		       "mount of its own)";
	return strerror((int)-r);
}

static long write_file(const char *path, const char *text)
{
	long fd = sys_openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC, 0), r;
	size_t n = strlen(text);

	if (fd < 0)
		return fd;
	r = sys_write((int)fd, text, n);
	sys_close((int)fd);
	return r < 0 ? r : (size_t)r == n ? 0 : -EIO;
}

static int do_register(const char *name, const char *loader)
{
	char line[4096 + 512];
	char entry[512];
	struct stat st;
	long r;

	if (ldr_binfmt_line(line, sizeof(line), name, loader) < 0) {
		libc_say("--binfmt=register: the loader's path is too long for the kernel");
		return LDR_EXIT_CANNOT;
	}
	snprintf(entry, sizeof(entry), BINFMT_DIR "/%s", name);
	/* The kernel's EEXIST says only "exists"; name the entry. */
	if (sys_stat(entry, &st) == 0) {
		libc_say("--binfmt=register: %s is already registered (%s)", name, entry);
		return LDR_EXIT_CANNOT;
	}
	r = write_file(BINFMT_DIR "/register", line);
	if (r == -EEXIST) {
		libc_say("--binfmt=register: %s is already registered (%s)", name, entry);
		return LDR_EXIT_CANNOT;
	}
	if (r < 0) {
		libc_say("--binfmt=register: %s", why(r));
		return LDR_EXIT_CANNOT;
	}
	return 0;
}

/* The entry's text on stdout. */
static int do_status(const char *entry, const char *name)
{
	char buf[8192];
	long fd = sys_openat(AT_FDCWD, entry, O_RDONLY | O_CLOEXEC, 0), n;

	if (fd < 0 && fd == -ENOENT && sys_faccessat(AT_FDCWD, BINFMT_DIR "/register", 0, 0) == 0) {
		libc_say("--binfmt=status: %s is not registered", name);
		return 1;
	}
	if (fd < 0) {
		libc_say("--binfmt=status: %s", why(fd));
		return LDR_EXIT_CANNOT;
	}
	n = sys_read((int)fd, buf, sizeof(buf));
	sys_close((int)fd);
	if (n < 0) {
		libc_say("--binfmt=status: %s: %s", entry, strerror((int)-n));
		return LDR_EXIT_CANNOT;
	}
	sys_write(1, buf, (size_t)n);
	return 0;
}

static int do_unregister(const char *entry, const char *name)
{
	long r = write_file(entry, "-1");

	if (r == -ENOENT && sys_faccessat(AT_FDCWD, BINFMT_DIR "/register", 0, 0) == 0) {
		libc_say("--binfmt=unregister: %s is not registered", name);
		return 1;
	}
	if (r < 0) {
		libc_say("--binfmt=unregister: %s", why(r));
		return LDR_EXIT_CANNOT;
	}
	return 0;
}

int ldr_binfmt(const char *action, const char *name, const char *loader)
{
	char entry[512];

	if (!name_ok(name)) {
		libc_say("--binfmt-name=%s: not a binfmt_misc name (no '/' or ':', not . or ..)",
			 name);
		return LDR_EXIT_USAGE;
	}
	snprintf(entry, sizeof(entry), BINFMT_DIR "/%s", name);
	if (strcmp(action, "register") == 0)
		return do_register(name, loader);
	if (strcmp(action, "status") == 0)
		return do_status(entry, name);
	if (strcmp(action, "unregister") == 0)
		return do_unregister(entry, name);
	libc_say("--binfmt=%s: not register, unregister or status", action);
	return LDR_EXIT_USAGE;
}
