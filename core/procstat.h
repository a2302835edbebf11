/* Facts about a process read from /proc: its state, process group and
 * start time. A pid alone may have been given to another process since;
 * the pid with its start time (and the boot it belongs to) names one
 * process for good. */
#ifndef REWIND_CORE_PROCSTAT_H
#define REWIND_CORE_PROCSTAT_H

#include <stddef.h>
#include <sys/types.h>

struct procstat {
	char state;			/* R, S, D, Z, T... (field 3) */
	pid_t pgrp;			/* process group (field 5) */
	unsigned long long start;	/* start time in clock ticks after
					 * boot (field 22) */
};

/* Read /proc/PID/stat into OUT; returns 0, or -1 when there is no such
 * process (or /proc cannot be read). */
int procstat_read(pid_t pid, struct procstat *out);

/* This boot's id (/proc/sys/kernel/random/boot_id) in BUF; "" when it
 * cannot be read. */
void procstat_boot_id(char *buf, size_t size);

/* Whether process PID that started at START during boot BOOT (NULL or ""
 * = not checked) still runs: the same process, not a zombie. */
int procstat_is_running(pid_t pid, unsigned long long start,
			const char *boot);

#endif
