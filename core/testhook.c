/* The only place test hooks are read from the environment. */
#include "config.h"
#include "testhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "err.h"

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

void
testhook_idle(void)
{
	static unsigned long counter;
	const char *path = getenv("REWIND_TEST_IDLE");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%lu\n", ++counter);
	fclose(f);
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
