/* Facts about a process read from /proc, so that a process left running
 * by a console that died can be recognised again, and a pid reused by
 * another process is not mistaken for it. */
#include "config.h"
#include "procstat.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read a small file whole into BUF (NUL-ended); length, or -1. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Field N (1-based, as proc(5) counts) of a stat line, where P points
 * just after the command name's closing ')', i.e. at field 3. */
static const char *
field(const char *p, int n)
{
	for (int i = 3; i < n && p; i++) {
		p = strchr(p + strspn(p, " "), ' ');
		if (p)
			p += strspn(p, " ");
	}
	return p ? p + strspn(p, " ") : NULL;
}

int
procstat_read(pid_t pid, struct procstat *out)
{
	char path[64], buf[1024];
	const char *p, *state, *pgrp, *start;

	snprintf(path, sizeof(path), "/proc/%lld/stat", (long long)pid);
	if (pid <= 0 || read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	/* The command name (field 2) may hold spaces and parentheses: the
	 * fields after it start after the last ')'. */
	p = strrchr(buf, ')');
	state = p ? field(p + 1, 3) : NULL;
	pgrp = p ? field(p + 1, 5) : NULL;
	start = p ? field(p + 1, 22) : NULL;
	if (!state || !pgrp || !start || !*start)
		return -1;
	out->state = *state;
	out->pgrp = (pid_t)strtoll(pgrp, NULL, 10);
	out->start = strtoull(start, NULL, 10);
	return 0;
}

void
procstat_boot_id(char *buf, size_t size)
{
	ssize_t n = read_small("/proc/sys/kernel/random/boot_id", buf, size);

	if (n < 0) {
		buf[0] = '\0';
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
}

int
procstat_is_running(pid_t pid, unsigned long long start, const char *boot)
{
	struct procstat st;
	char now[64];

	if (boot && *boot) {
		procstat_boot_id(now, sizeof(now));
		if (*now && strcmp(now, boot) != 0)
			return 0;
	}
	return procstat_read(pid, &st) == 0 && st.start == start &&
	       st.state != 'Z' && st.state != 'X';
}
