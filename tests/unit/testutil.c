/* Temporary files, fixture paths, batch lines on a session and its
 * journal, for the unit tests. */
#include "config.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "action.h"
#include "err.h"
#include "session.h"
#include "xalloc.h"

char *
tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char *path = xasprintf("%s/rewind-test-XXXXXX",
			       base && *base ? base : "/tmp");

	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp %s failed", path);
	return path;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

void
tu_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
tu_write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	size_t got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

double
tu_slack(void)
{
	const char *v = getenv("REWIND_TEST_SLACK");
	double x = v && *v ? strtod(v, NULL) : 5.0;

	return x >= 1.0 && x <= 1000.0 ? x : 5.0;
}

char *
tu_fixture(const char *rel)
{
	const char *src = getenv("REWIND_SRCDIR");

	return xasprintf("%s/tests/fixtures/%s", src && *src ? src : ".", rel);
}

/* --- a session driven by batch lines ---------------------------------------- */

int
tu_act(struct session *s, struct err *err, const char *line)
{
	struct action a;
	int rc;

	err_clear(err);
	ck_assert_msg(action_parse(line, &a, err) == 1, "parse %s: %s",
		      line, err->msg);
	rc = session_apply(s, &a, NULL, err);
	action_done(&a);
	return rc;
}

void
tu_ok(struct session *s, struct err *err, const char *line)
{
	int rc = tu_act(s, err, line);

	ck_assert_msg(rc >= 0, "%s: refused: %s", line, err->msg);
}

void
tu_refused(struct session *s, struct err *err, const char *line,
	   const char *why)
{
	ck_assert_msg(tu_act(s, err, line) == -1, "%s: accepted", line);
	ck_assert_msg(strstr(err->msg, why) != NULL, "%s: \"%s\" lacks \"%s\"",
		      line, err->msg, why);
}

void
tu_session_close(struct session **sp)
{
	session_free(*sp);
	*sp = NULL;
}

/* --- the journal -------------------------------------------------------------- */

char *
tu_journal_text(const char *dir)
{
	char *path = xasprintf("%s/journal.jsonl", dir);
	char *text = tu_read_file(path, NULL);

	ck_assert_msg(text != NULL, "cannot read %s", path);
	free(path);
	return text;
}

int
tu_count_in_journal(const char *dir, const char *needle)
{
	char *text = tu_journal_text(dir);
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	free(text);
	return n;
}

/* Whether EV is of TYPE (and of STEP when not NULL). */
static int
event_is(const cJSON *ev, const char *type, const char *step)
{
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "type"));
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(ev, "step"));

	return t && strcmp(t, type) == 0 &&
	       (!step || (st && strcmp(st, step) == 0));
}

/* The journal's events of TYPE (and STEP when not NULL), in order. Only
 * whole lines count: a line being written has no newline yet. */
static cJSON *
events_of(const char *dir, const char *type, const char *step)
{
	char *text = tu_journal_text(dir);
	cJSON *list = cJSON_CreateArray();

	for (char *p = text, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		cJSON *ev;

		*nl = '\0';
		ev = cJSON_Parse(p);
		ck_assert_msg(ev != NULL, "journal line is not JSON: %s", p);
		if (event_is(ev, type, step))
			cJSON_AddItemToArray(list, ev);
		else
			cJSON_Delete(ev);
	}
	free(text);
	return list;
}

cJSON *
tu_journal_events(const char *dir, const char *type)
{
	return events_of(dir, type, NULL);
}

int
tu_count_events(const char *dir, const char *type)
{
	cJSON *list = events_of(dir, type, NULL);
	int n = cJSON_GetArraySize(list);

	cJSON_Delete(list);
	return n;
}

cJSON *
tu_last_event(const char *dir, const char *type, const char *step)
{
	cJSON *list = events_of(dir, type, step);
	int n = cJSON_GetArraySize(list);
	cJSON *payload = NULL;

	if (n > 0)
		payload = cJSON_DetachItemFromObject(
			cJSON_GetArrayItem(list, n - 1), "payload");
	cJSON_Delete(list);
	return payload;
}
