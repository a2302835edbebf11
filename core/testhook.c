/* The only place test hooks are read from the environment. */
#include "config.h"
#include "testhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "err.h"
#include "xalloc.h"

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
 * screen test once counted -85 wake-ups that way). */
static void
write_counter(const char *path, unsigned long counter)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");

	if (f) {
		fprintf(f, "%lu\n", counter);
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	free(tmp);
}

void
testhook_idle(void)
{
	static unsigned long counter;
	const char *path = getenv("REWIND_TEST_IDLE");

	if (path && *path)
		write_counter(path, ++counter);
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
	static int written;
	static unsigned long frames;
	const char *path = getenv("REWIND_TEST_FRAME_LOG");
	const char *count = getenv("REWIND_TEST_FRAMES");
	struct timespec ts;
	FILE *f;

	if (count && *count)
		write_counter(count, ++frames);
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
