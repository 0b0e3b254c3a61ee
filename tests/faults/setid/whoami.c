// SPDX-License-Identifier: MIT
/*
 * What the process runs as (tests/faults/setid): real and effective uid and
 * gid, the permitted and effective capability sets, and uname's nodename,
 * which the example LibOS module answers itself (hostname=NAME) and which
 * therefore says whether a module hook ran. One line each, so that a run
 * under the loader can be compared with the native run byte for byte.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
	char line[256];
	struct utsname u;
	FILE *f = fopen("/proc/self/status", "r");

	printf("uid %u %u\ngid %u %u\n", (unsigned)getuid(), (unsigned)geteuid(),
	       (unsigned)getgid(), (unsigned)getegid());
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "CapPrm:", 7) == 0 || strncmp(line, "CapEff:", 7) == 0)
			fputs(line, stdout);
	if (f)
		fclose(f);
	if (uname(&u) == 0)
		printf("nodename %s\n", u.nodename);
	return 0;
}
