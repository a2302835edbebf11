/* The only place test hooks are read from the environment. */
#include "config.h"
#include "testhook.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "xalloc.h"

/* A counter file kept open between writes. */
struct counter_file {
	int fd;			/* -1 until the first write */
	ino_t ino;		/* which file it is, to notice a */
	dev_t dev;		/* rename over it */
};

int
testhook_clock(struct clock *c, struct err *err)
{
	const char *now = getenv("REWIND_TEST_NOW");
	int64_t wall;
	char *end;

	if (!now || !*now)
		return 0;
	if (clock_parse_rfc3339(now, &wall) < 0) {
		long long secs = strtoll(now, &end, 10);

		if (*end != '\0' || end == now)
			return err_set(err, ERR_INVALID, "REWIND_TEST_NOW=%s: "
				       "expected an RFC 3339 time or seconds "
				       "since the epoch", now);
		wall = (int64_t)secs * 1000000;
	}
	clock_init_offset(c, wall);
	return 1;
}

int
testhook_active(void)
{
	const char *now = getenv("REWIND_TEST_NOW");
	const char *idle = getenv("REWIND_TEST_IDLE");
	const char *pace = getenv("REWIND_TEST_DRILL_PACE");
	const char *spawns = getenv("REWIND_TEST_SPAWN_LOG");

	return (now && *now) || (idle && *idle) || (pace && *pace) ||
	       (spawns && *spawns);
}

/* Write COUNTER to PATH beside it and rename it over it, so that a reader
 * never finds the file empty between the truncation and the write (a
 * screen test once counted -85 wake-ups that way). Returns the file,
 * open, or -1. */
static int
write_counter_new(const char *path, const char *text, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0 && (write(fd, text, len) != (ssize_t)len ||
			rename(tmp, path) < 0)) {
		close(fd);
		fd = -1;
	}
	free(tmp);
	return fd;
}

/* Write COUNTER to PATH. Once the file exists it is rewritten in place:
 * a new file and a rename each time cost more than a flood of output
 * into the console does (make bench measures the console with this
 * hook on). A counter only grows, so its text never gets shorter and
 * the file needs no truncation; another process renaming its own file
 * over PATH is seen by its inode, and a new file is made then. */
static void
write_counter(struct counter_file *cf, const char *path,
	      unsigned long counter)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "%lu\n", counter);
	struct stat st;

	if (cf->fd >= 0 && (stat(path, &st) < 0 || st.st_ino != cf->ino ||
			    st.st_dev != cf->dev ||
			    pwrite(cf->fd, text, (size_t)len, 0) != len)) {
		close(cf->fd);
		cf->fd = -1;
	}
	if (cf->fd >= 0)
		return;
	cf->fd = write_counter_new(path, text, (size_t)len);
	if (cf->fd >= 0 && fstat(cf->fd, &st) == 0) {
		cf->ino = st.st_ino;
		cf->dev = st.st_dev;
	} else if (cf->fd >= 0) {
		close(cf->fd);
		cf->fd = -1;
	}
}

void
testhook_idle(void)
{
	static struct counter_file cf = { -1, 0, 0 };
	static unsigned long counter;
	const char *path = getenv("REWIND_TEST_IDLE");

	if (path && *path)
		write_counter(&cf, path, ++counter);
}

int
testhook_drill_pace(void)
{
	const char *pace = getenv("REWIND_TEST_DRILL_PACE");

	if (!pace || (strcmp(pace, "0") != 0 && strcmp(pace, "1") != 0))
		return -1;
	return pace[0] == '1';
}

void
testhook_spawned(const char *cwd, const char *command)
{
	const char *path = getenv("REWIND_TEST_SPAWN_LOG");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s\t%s\n", cwd ? cwd : ".", command ? command : "");
	fclose(f);
}

void
testhook_frame_drawn(void)
{
	static struct counter_file cf = { -1, 0, 0 };
	static int written;
	static unsigned long frames;
	const char *path = getenv("REWIND_TEST_FRAME_LOG");
	const char *count = getenv("REWIND_TEST_FRAMES");
	struct timespec ts;
	FILE *f;

	if (count && *count)
		write_counter(&cf, count, ++frames);
	if (written || !path || !*path)
		return;
	written = 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	fclose(f);
}
