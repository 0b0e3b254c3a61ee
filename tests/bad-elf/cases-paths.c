// SPDX-License-Identifier: MIT
/*
 * The cases of gen-bad-elf that are not broken ELF files: what else a path
 * can name (nothing, a dangling or looping symlink, a directory, a FIFO, a
 * device, a file without an x bit, text, a name with a newline or a
 * thousand bytes long), and `#!` scripts that are malformed or name an
 * interpreter that cannot be used. The loader must refuse each as
 * execve(2) does, in one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen-bad-elf.h"

/* How much of a file the kernel reads to find a `#!` line. */
#define BINPRM_BUF_SIZE 256

/* "long-path/a...a/.../text-file", about a thousand bytes, its folders
 * made on the first call. */
static const char *long_name(void)
{
	static char name[1100];
	char part[251];

	if (name[0])
		return name;
	memset(part, 'a', sizeof(part) - 1);
	part[sizeof(part) - 1] = '\0';
	strcpy(name, "long-path");
	for (int i = 0; i < 4; i++) {
		special(name, S_IFDIR, NULL);
		strcat(strcat(name, "/"), part);
	}
	special(name, S_IFDIR, NULL);
	strcat(name, "/text-file");
	return name;
}

void path_cases(void)
{
	struct image im;
	char *missing = path_of("missing");

	expect("missing", 127, "-", "No such file or directory");
	special("dangling-symlink", S_IFLNK, missing);
	expect("dangling-symlink", 127, "-", "No such file or directory");
	special("symlink-loop", S_IFLNK, "symlink-loop");
	expect("symlink-loop", 126, "-", "Too many levels of symbolic links");
	special("directory", S_IFDIR, NULL);
	expect("directory", 126, "-", "Permission denied: is a directory");
	special("fifo", S_IFIFO, NULL);
	expect("fifo", 126, "-", "Permission denied: not a regular file");
	special("dev-null", S_IFLNK, "/dev/null");
	expect("dev-null", 126, "-", "Permission denied: not a regular file");
	/* No x bit at all: refused even to root, whom X_OK otherwise lets by. */
	write_file("no-exec-permission", static_victim.data, static_victim.size, 0644);
	expect("no-exec-permission", 126, "-", "Permission denied: no execute permission");
	free(missing);

	write_text("empty", "");
	expect("empty", 126, "-", "Exec format error: not an ELF executable or a #! script");
	write_text("three-bytes", "\177EL");
	expect("three-bytes", 126, "-", "Exec format error: not an ELF executable or a #! script");
	write_text("text-file", "this is text, not a program\n");
	expect("text-file", 126, "-", "Exec format error: not an ELF executable or a #! script");
	im = copy(&static_victim);
	ehdr(&im)->e_ident[EI_MAG3] = 'G';
	emit("bad-magic", &im);
	expect("bad-magic", 126, "-", "Exec format error: not an ELF executable or a #! script");

	/* Names that try to make the message two lines, or cut it short. */
	write_text("line one\nline two", "not a program\n");
	expect("line one\nline two", 126, "-",
	       "Exec format error: not an ELF executable or a #! script");
	write_text(long_name(), "not a program\n");
	expect(long_name(), 126, "-", "Exec format error: not an ELF executable or a #! script");
}

/* "#!OUTDIR/target\n", malloc'ed. */
static char *shebang(const char *target)
{
	char *path = path_of(target);
	char *text = xrealloc(NULL, strlen(path) + 4);

	sprintf(text, "#!%s\n", path);
	free(path);
	return text;
}

/* A script whose `#!` line names another case. */
static void script_to(const char *name, const char *target, const char *reason)
{
	char *text = shebang(target), *path = path_of(target);

	write_text(name, text);
	expect(name, 126, "-", "bad interpreter %s: %s", path, reason);
	free(path);
	free(text);
}

void script_cases(void)
{
	char cut[BINPRM_BUF_SIZE + 16];
	char *text, *interp;

	write_text("shebang-empty", "#!\n");
	expect("shebang-empty", 126, "-", "Exec format error: bad #! line");
	write_text("shebang-blank", "#! \t \n");
	expect("shebang-blank", 126, "-", "Exec format error: bad #! line");
	/* An interpreter path cut off by the bytes the kernel reads. */
	memset(cut, 'a', sizeof(cut) - 1);
	memcpy(cut, "#!/", 3);
	cut[sizeof(cut) - 1] = '\0';
	write_text("shebang-path-cut", cut);
	expect("shebang-path-cut", 126, "-", "Exec format error: bad #! line");

	script_to("shebang-missing-interpreter", "missing", "No such file or directory");
	script_to("shebang-directory", "directory", "Permission denied: is a directory");
	script_to("shebang-no-exec-permission", "no-exec-permission",
		  "Permission denied: no execute permission");
	script_to("shebang-machine-i386", "machine-i386",
		  "Exec format error: wrong machine: not x86-64");
	script_to("shebang-loop", "shebang-loop", "Too many levels of symbolic links");

	/* A script whose interpreter's own ELF interpreter is missing. */
	text = shebang("interp-missing");
	interp = path_of("missing");
	write_text("shebang-interp-missing", text);
	expect("shebang-interp-missing", 126, "-",
	       "cannot use ELF interpreter %s: No such file or directory", interp);
	free(interp);
	free(text);
}
