// SPDX-License-Identifier: MIT
/* What a program can see of how it was started: argv, AT_EXECFN,
 * /proc/self/exe, comm, its effective uid, AT_SECURE, AT_FLAGS, whether
 * its auxv has AT_EXECFD, its open descriptors above 2, the nodename (a
 * LibOS module's answer shows there); exits 7. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char exe[4096] = "", comm[64] = "";
	unsigned long aux[2];
	struct utsname u;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd, execfd = 0;

	if (n > 0)
		exe[n] = '\0';
	fd = open("/proc/self/comm", O_RDONLY);
	n = fd >= 0 ? read(fd, comm, sizeof(comm) - 1) : -1;
	if (n > 0)
		comm[n - 1] = '\0';
	close(fd);
	fd = open("/proc/self/auxv", O_RDONLY);
	while (fd >= 0 && read(fd, aux, sizeof(aux)) == sizeof(aux) && aux[0])
		execfd |= aux[0] == AT_EXECFD;
	close(fd);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] %s\n", i, argv[i]);
	printf("execfn %s\nexe %s\ncomm %s\neuid %d\nsecure %lu\nflags %lu\nexecfd %d\n",
	       (char *)getauxval(AT_EXECFN), exe, comm, (int)geteuid(), getauxval(AT_SECURE),
	       getauxval(AT_FLAGS), execfd);
	for (int f = 3; f < 64; f++)
		if (fcntl(f, F_GETFD) >= 0)
			printf("open fd %d\n", f);
	uname(&u);
	printf("nodename %s\n", u.nodename);
	return 7;
}
