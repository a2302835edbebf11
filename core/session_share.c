/* A session published to a git remote while it runs (share.h): each
 * publish, the first failure of an outage and a refusal are journalled
 * (share.published, share.offline, share.rejected). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "session.h"
#include "session_int.h"
#include "share.h"
#include "xalloc.h"

static void
on_share_result(const struct share_result *r, void *arg)
{
	struct session *s = arg;
	cJSON *p = cJSON_CreateObject();
	struct err err = { 0 };
	const char *type = r->state == SHARE_PUBLISHED ? "share.published"
			 : r->state == SHARE_REJECTED ? "share.rejected"
			 : "share.offline";

	if (r->state == SHARE_OFFLINE && !r->first_failure) {
		cJSON_Delete(p);	/* one event an outage */
		return;
	}
	cJSON_AddStringToObject(p, "remote", r->remote);
	cJSON_AddStringToObject(p, "ref", r->ref);
	if (r->state == SHARE_PUBLISHED) {
		cJSON_AddStringToObject(p, "commit", r->commit);
		cJSON_AddStringToObject(p, "head", r->head);
		cJSON_AddNumberToObject(p, "events", (double)r->events);
	} else {
		cJSON_AddStringToObject(p, "why", r->why ? r->why : "");
	}
	session_record(s, "rewind", type, NULL, p, &err);
}

int
session_share(struct session *s, const char *remote, struct err *err)
{
	struct share_opts o = {
		.remote = remote, .dir = s->dir, .loop = s->loop,
		.runner = s->runner, .on_result = on_share_result, .arg = s,
	};

	if (!s->loop)
		return err_set(err, ERR_STATE, "--share: this session has no "
			       "event loop to publish on");
	s->share = share_start(&o, err);
	return s->share ? 0 : -1;
}

/* The remote of the journal's last share.published, or NULL. */
char *
session_share_last_remote(const struct session *s)
{
	char *path = xasprintf("%s/journal.jsonl", s->dir), *line = NULL;
	char *remote = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;

	while (f && (n = getline(&line, &size, f)) > 0) {
		cJSON *ev, *p, *r;

		if (!strstr(line, "\"type\":\"share.published\""))
			continue;
		ev = cJSON_ParseWithLength(line, (size_t)n);
		p = cJSON_GetObjectItem(ev, "payload");
		r = cJSON_GetObjectItem(p, "remote");
		if (cJSON_IsString(r) && r->valuestring[0]) {
			free(remote);
			remote = xstrdup(r->valuestring);
		}
		cJSON_Delete(ev);
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	return remote;
}

int
session_share_text(const struct session *s, char *buf, size_t size)
{
	if (!s->share)
		return 0;
	share_status_text(s->share, buf, size);
	return 1;
}

int
session_share_state(const struct session *s)
{
	struct share_status st;

	if (!s->share)
		return -1;
	share_status(s->share, &st);
	return (int)st.state;
}

void
session_share_settle(struct session *s, int64_t max_us)
{
	const struct clock *clk = loop_clock(s->loop);
	int64_t end = clock_mono_now(clk) + max_us;
	struct share_status st;

	while (s->share && share_busy(s->share) &&
	       clock_mono_now(clk) < end) {
		share_status(s->share, &st);
		if (st.state == SHARE_OFFLINE)
			break;	/* nothing answers: the next run publishes */
		if (loop_run_once(s->loop, 100000) < 0)
			break;
	}
}
