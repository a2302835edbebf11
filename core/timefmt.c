/* The console's one time zone rule. */
#include "config.h"

#include "timefmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"

static int use_local;

int
timefmt_choose(const char *zone)
{
	if (!zone)
		return -1;
	if (strcmp(zone, "utc") == 0 || strcmp(zone, "UTC") == 0)
		use_local = 0;
	else if (strcmp(zone, "local") == 0)
		use_local = 1;
	else
		return -1;
	return 0;
}

int
timefmt_is_utc(void)
{
	return !use_local;
}

static int
broken_down(int64_t wall_us, struct tm *tm)
{
	time_t t = (time_t)(wall_us / 1000000 - (wall_us % 1000000 < 0));

	return use_local ? localtime_r(&t, tm) != NULL
			 : gmtime_r(&t, tm) != NULL;
}

/* strftime with a literal format for each shape (the compiler checks
 * each). */
static size_t
shape_strftime(char *buf, size_t size, enum timefmt_shape shape,
	       const struct tm *tm)
{
	switch (shape) {
	case TF_HMS:
		return strftime(buf, size, "%H:%M:%S", tm);
	case TF_HM:
		return strftime(buf, size, "%H:%M", tm);
	case TF_DATE:
		return strftime(buf, size, "%Y-%m-%d", tm);
	case TF_DATE_HM:
		return strftime(buf, size, "%Y-%m-%d %H:%M", tm);
	case TF_HM_ZONE:
		return use_local ? strftime(buf, size, "%H:%M %Z", tm)
				 : strftime(buf, size, "%H:%M UTC", tm);
	case TF_HMS_ZONE:
		return use_local ? strftime(buf, size, "%H:%M:%S %Z", tm)
				 : strftime(buf, size, "%H:%M:%S UTC", tm);
	}
	return 0;
}

char *
timefmt_us(int64_t wall_us, enum timefmt_shape shape, char *buf, size_t size)
{
	struct tm tm;

	if (!size)
		return buf;
	if (!broken_down(wall_us, &tm) ||
	    !shape_strftime(buf, size, shape, &tm))
		snprintf(buf, size, "?");
	return buf;
}

char *
timefmt_rfc3339(const char *text, enum timefmt_shape shape, char *buf,
		size_t size)
{
	int64_t us;

	if (!text || clock_parse_rfc3339(text, &us) < 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	return timefmt_us(us, shape, buf, size);
}

int64_t
timefmt_offset_us(int64_t wall_us)
{
	struct tm tm;

	if (!use_local || !broken_down(wall_us, &tm))
		return 0;
	return (int64_t)tm.tm_gmtoff * 1000000;
}
