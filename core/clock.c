/* System, manual and offset clocks, plus time formatting and parsing. */
#include "config.h"
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t
ts_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
system_wall(const struct clock *c)
{
	(void)c;
	return ts_us(CLOCK_REALTIME);
}

static int64_t
system_mono(const struct clock *c)
{
	(void)c;
	return ts_us(CLOCK_MONOTONIC);
}

static const struct clock system_clock = {
	.wall_us = system_wall,
	.mono_us = system_mono,
};

const struct clock *
clock_system(void)
{
	return &system_clock;
}

static int64_t
manual_wall(const struct clock *c)
{
	return c->wall_base_us + c->mono_base_us;
}

static int64_t
manual_mono(const struct clock *c)
{
	return c->mono_base_us;
}

void
clock_init_manual(struct clock *c, int64_t wall_us, int64_t mono_us)
{
	memset(c, 0, sizeof(*c));
	c->wall_us = manual_wall;
	c->mono_us = manual_mono;
	c->wall_base_us = wall_us - mono_us;
	c->mono_base_us = mono_us;
}

static int64_t
offset_wall(const struct clock *c)
{
	return c->wall_base_us + (ts_us(CLOCK_MONOTONIC) - c->mono_origin_us);
}

void
clock_init_offset(struct clock *c, int64_t wall_us)
{
	memset(c, 0, sizeof(*c));
	c->wall_us = offset_wall;
	c->mono_us = system_mono;
	c->wall_base_us = wall_us;
	c->mono_origin_us = ts_us(CLOCK_MONOTONIC);
}

void
clock_advance(struct clock *c, int64_t delta_us)
{
	c->mono_base_us += delta_us;
}

int64_t
clock_wall_now(const struct clock *c)
{
	return c->wall_us(c);
}

int64_t
clock_mono_now(const struct clock *c)
{
	return c->mono_us(c);
}

char *
clock_format_rfc3339(int64_t wall_us, char *buf, size_t size)
{
	time_t secs = (time_t)(wall_us / 1000000);
	long frac = (long)(wall_us % 1000000);
	struct tm tm;

	if (frac < 0) {
		frac += 1000000;
		secs -= 1;
	}
	gmtime_r(&secs, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, frac);
	return buf;
}

static int
parse_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
parse_fraction(const char **p, int64_t *us)
{
	int64_t scale = 100000;

	*us = 0;
	if (**p != '.')
		return 0;
	(*p)++;
	if (!isdigit((unsigned char)**p))
		return -1;
	for (; isdigit((unsigned char)**p); (*p)++) {
		*us += (**p - '0') * scale;
		scale /= 10;
	}
	return 0;
}

static int
parse_zone(const char *p, int64_t *offset_s)
{
	int hh, mm;
	int sign;

	*offset_s = 0;
	if (*p == '\0' || ((*p == 'Z' || *p == 'z') && p[1] == '\0'))
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (parse_digits(&p, 2, &hh) < 0)
		return -1;
	if (*p == ':')
		p++;
	if (parse_digits(&p, 2, &mm) < 0 || *p != '\0')
		return -1;
	*offset_s = sign * (hh * 3600 + mm * 60);
	return 0;
}

int
clock_parse_rfc3339(const char *s, int64_t *wall_us)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se;
	int64_t frac, offset;
	const char *p = s;

	if (parse_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &d) < 0 || (*p != 'T' && *p != ' ' &&
					    *p != 't'))
		return -1;
	p++;
	if (parse_digits(&p, 2, &h) < 0 || *p++ != ':' ||
	    parse_digits(&p, 2, &mi) < 0 || *p++ != ':' ||
	    parse_digits(&p, 2, &se) < 0 || parse_fraction(&p, &frac) < 0 ||
	    parse_zone(p, &offset) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*wall_us = ((int64_t)timegm(&tm) - offset) * 1000000 + frac;
	return 0;
}

int
clock_parse_duration(const char *s, int64_t *us)
{
	int64_t total = 0;
	const char *p = s;
	char *end;

	if (!*s)
		return -1;
	while (*p) {
		long long n;
		int64_t unit;

		if (!isdigit((unsigned char)*p))
			return -1;
		n = strtoll(p, &end, 10);
		switch (*end) {
		case 'h': unit = 3600; end++; break;
		case 'm': unit = 60; end++; break;
		case 's': unit = 1; end++; break;
		case '\0': unit = (p == s) ? 1 : -1; break;
		default: return -1;
		}
		if (unit < 0 || n > 1000000000LL)
			return -1;
		total += (int64_t)n * unit * 1000000;
		p = end;
	}
	*us = total;
	return 0;
}
