// SPDX-License-Identifier: MIT
/*
 * fanwatch FILE CMD ARG...: run CMD with a fanotify mark on FILE for
 * FAN_OPEN_EXEC, then print how many of those events FILE got (the
 * kernel's open for exec: allow-listing tools key on it). Needs
 * CAP_SYS_ADMIN; status 77 without it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/fanotify.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct fanotify_event_metadata buf[64];
	int count = 0, status;
	long n;

	if (argc < 3)
		return 2;
	int fan = fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK | FAN_CLOEXEC, O_RDONLY);
	if (fan < 0) {
		perror("fanwatch: fanotify_init");
		return 77;
	}
	if (fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN_EXEC, AT_FDCWD, argv[1]) < 0) {
		perror("fanwatch: fanotify_mark");
		return 1;
	}
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &status, 0) < 0)
		return 1;
	while ((n = read(fan, buf, sizeof(buf))) > 0) {
		struct fanotify_event_metadata *m = buf;
		for (; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
			count += (m->mask & FAN_OPEN_EXEC) != 0;
			if (m->fd >= 0)
				close(m->fd);
		}
	}
	printf("FAN_OPEN_EXEC events: %d, status %d\n", count, status);
	return 0;
}
