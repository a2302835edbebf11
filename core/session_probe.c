/* Live probes: the built-in checks of the verify phase, judged against
 * the session's sources. git and log probes answer at once; http and
 * registry probes do I/O on the loop and finish later. Each run is
 * journalled as step.started and step.finished, the latter with "probe",
 * "expected" and "seen" beside the usual run fields, so the record says
 * what was checked and what was found. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "http.h"
#include "logwatch.h"
#include "loop.h"
#include "reg_backend.h"
#include "registry.h"
#include "session_int.h"
#include "sources.h"
#include "tags.h"
#include "xalloc.h"

#define PROBE_HTTP_TIMEOUT_US	(10 * 1000000LL)
#define PROBE_REG_POLL_US	50000
#define PROBE_REG_MAX_US	(90 * 1000000LL)
#define SEEN_MAX		512

struct probe_run {
	struct session *s;
	struct step_rt *rt;
	char actor[256];
	int64_t t0_us;
	char *expected;
	uint64_t http_id;	/* http probe in flight */
	uint64_t timer;		/* registry probe waiting for its fetch */
	long reg_index;
	char *value;		/* http: "equals"; registry: the version */
	int is_dropped;		/* the session is going away */
};

struct verdict {
	int ok;
	int cancelled;
	char seen[SEEN_MAX];
	char reason[SEEN_MAX];
};

static const char *
probe_type_name(enum probe_type t)
{
	static const char *const names[] = {
		[PROBE_GIT_HEAD] = "git_head",
		[PROBE_REGISTRY_TAG] = "registry_tag",
		[PROBE_HTTP] = "http",
		[PROBE_LOG_COUNT] = "log_count",
	};

	return t < PROBE_TYPE_COUNT ? names[t] : "?";
}

/* --- recording -------------------------------------------------------------------- */

static cJSON *
finished_payload(const struct probe_run *pr, const struct verdict *v)
{
	cJSON *p = cJSON_CreateObject();
	int64_t ms = (clock_mono_now(pr->s->clk) - pr->t0_us) / 1000;

	cJSON_AddBoolToObject(p, "ok", v->ok);
	if (!v->ok)
		cJSON_AddStringToObject(p, "reason", v->reason);
	cJSON_AddNumberToObject(p, "exit", v->ok ? 0 : 1);
	cJSON_AddBoolToObject(p, "timed_out", 0);
	cJSON_AddBoolToObject(p, "cancelled", v->cancelled);
	cJSON_AddNumberToObject(p, "duration_ms", (double)(ms > 0 ? ms : 0));
	cJSON_AddStringToObject(p, "tail", v->seen);
	cJSON_AddBoolToObject(p, "drill", 0);
	cJSON_AddStringToObject(p, "probe",
				probe_type_name(pr->rt->def->probe.type));
	cJSON_AddStringToObject(p, "expected", pr->expected);
	cJSON_AddStringToObject(p, "seen", v->seen);
	return p;
}

static void
free_run(struct probe_run *pr)
{
	free(pr->expected);
	free(pr->value);
	free(pr);
}

/* Journal the verdict and release the run; returns what session_record
 * did. */
static int
finish(struct probe_run *pr, const struct verdict *v, int notify,
       struct err *err)
{
	struct session *s = pr->s;
	struct step_rt *rt = pr->rt;
	struct core_event ev = { .kind = CORE_EV_STEP_DONE,
				 .step = rt->def->id };
	int rc;

	rt->probe = NULL;
	rc = session_record(s, pr->actor, "step.finished", rt->def->id,
			    finished_payload(pr, v), err);
	if (notify && s->listener)
		s->listener(&ev, s->listener_arg);
	free_run(pr);
	return rc;
}

static void fail(struct verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fail(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	v->ok = 0;
	va_start(ap, fmt);
	vsnprintf(v->seen, sizeof(v->seen), fmt, ap);
	va_end(ap);
	snprintf(v->reason, sizeof(v->reason), "%s", v->seen);
}

/* --- git: HEAD is at a tag ---------------------------------------------------------- */

static int
judge_git(struct probe_run *pr, const char *tag, struct verdict *v)
{
	const char *path = pr->s->pb->targets.git_path;
	int rc = tags_head_at(path ? path : ".", tag, v->seen,
			      sizeof(v->seen));

	v->ok = rc == 1;
	if (!v->ok)
		snprintf(v->reason, sizeof(v->reason), "%s", v->seen);
	return 0;
}

/* --- log: a pattern's count stays below a threshold ------------------------------- */

static void
describe_window(int64_t window_us, char *buf, size_t size)
{
	if (window_us)
		snprintf(buf, size, "in the last %lld s",
			 (long long)(window_us / 1000000));
	else
		snprintf(buf, size, "since the session started");
}

static int
judge_log(struct probe_run *pr, struct verdict *v)
{
	const struct pb_probe *p = &pr->rt->def->probe;
	struct logwatch *w = sources_logwatch(pr->s->sources, p->log);
	long ctr = sources_probe_counter(pr->s->sources, pr->rt->def->id);
	char window[64];
	int n;

	describe_window(p->window_us, window, sizeof(window));
	if (!w || ctr < 0) {
		fail(v, "log %s is not being followed", p->log);
		return 0;
	}
	logwatch_check(w);
	n = logwatch_count(w, (size_t)ctr);
	v->ok = n < p->below;
	snprintf(v->seen, sizeof(v->seen), "%d line%s matching /%s/ %s (%s)",
		 n, n == 1 ? "" : "s", p->pattern, window, logwatch_status(w));
	if (!v->ok)
		snprintf(v->reason, sizeof(v->reason), "%d matching lines %s, "
			 "expected fewer than %d", n, window, p->below);
	return 0;
}

/* --- http: a URL answers a status, and a JSON field a value ------------------------ */

/* The item at dotted PATH ("a.b.0.c": object keys, array indexes). */
static const cJSON *
json_at(const cJSON *root, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	const cJSON *cur = root;

	for (char *key = strtok_r(copy, ".", &save); key && cur;
	     key = strtok_r(NULL, ".", &save)) {
		char *end;
		long i = strtol(key, &end, 10);

		if (cJSON_IsArray(cur) && *end == '\0' && end != key)
			cur = cJSON_GetArrayItem(cur, (int)i);
		else
			cur = cJSON_GetObjectItemCaseSensitive(cur, key);
	}
	free(copy);
	return cur;
}

/* A scalar as the text the playbook's "equals" is compared with; NULL
 * for objects and arrays. Caller frees. */
static char *
json_scalar_text(const cJSON *item)
{
	if (cJSON_IsString(item))
		return xstrdup(item->valuestring);
	if (cJSON_IsBool(item))
		return xstrdup(cJSON_IsTrue(item) ? "true" : "false");
	if (cJSON_IsNull(item))
		return xstrdup("null");
	if (cJSON_IsNumber(item)) {
		char *t = cJSON_PrintUnformatted(item);
		char *out = xstrdup(t);

		cJSON_free(t);
		return out;
	}
	return NULL;
}

static void
judge_json_field(const struct pb_probe *p, const char *expect,
		 const struct http_response *r, struct verdict *v)
{
	cJSON *doc = cJSON_ParseWithLength(r->body, r->body_len);
	const cJSON *item = doc ? json_at(doc, p->json_field) : NULL;
	char *text = item ? json_scalar_text(item) : NULL;
	size_t len = strlen(v->seen);

	if (!doc)
		snprintf(v->seen + len, sizeof(v->seen) - len,
			 ", the body is not JSON");
	else if (!item)
		snprintf(v->seen + len, sizeof(v->seen) - len,
			 ", no field %s", p->json_field);
	else if (!text)
		snprintf(v->seen + len, sizeof(v->seen) - len,
			 ", %s is an %s", p->json_field,
			 cJSON_IsArray(item) ? "array" : "object");
	else
		snprintf(v->seen + len, sizeof(v->seen) - len,
			 ", %s = \"%s\"", p->json_field, text);
	v->ok = v->ok && text && (!expect || strcmp(text, expect) == 0);
	free(text);
	cJSON_Delete(doc);
}

static void
judge_http(const struct probe_run *pr, const struct http_response *r,
	   const char *expect, struct verdict *v)
{
	const struct pb_probe *p = &pr->rt->def->probe;

	if (r->result != HTTP_OK) {
		v->ok = 0;
		v->cancelled = r->result == HTTP_ERR_CANCELLED;
		snprintf(v->seen, sizeof(v->seen), "%s: %s",
			 http_result_name(r->result), r->error);
	} else {
		v->ok = r->status == p->status;
		snprintf(v->seen, sizeof(v->seen), "HTTP %d", r->status);
		if (p->json_field)
			judge_json_field(p, expect, r, v);
	}
	if (!v->ok)
		snprintf(v->reason, sizeof(v->reason), "expected %s, saw %s",
			 pr->expected, v->seen);
}

static void
on_http_done(const struct http_response *r, void *arg)
{
	struct probe_run *pr = arg;
	struct verdict v = { 0 };
	struct err err;

	pr->http_id = 0;
	if (pr->is_dropped)
		return;		/* session_probes_done frees it */
	judge_http(pr, r, pr->value, &v);
	finish(pr, &v, 1, &err);
}

static char *
http_expected(const struct pb_probe *p, const char *equals)
{
	if (p->json_field && equals)
		return xasprintf("HTTP %d, %s = \"%s\"", p->status,
				 p->json_field, equals);
	if (p->json_field)
		return xasprintf("HTTP %d, JSON field %s present", p->status,
				 p->json_field);
	return xasprintf("HTTP %d", p->status);
}

static int
start_http(struct probe_run *pr, const char *url, struct err *err)
{
	struct http *h = sources_http(pr->s->sources);
	const char *accept[] = { "Accept: application/json, */*;q=0.5", NULL };
	struct http_request req = {
		.url = url, .headers = accept,
		.timeout_us = PROBE_HTTP_TIMEOUT_US, .max_redirects = 5,
	};

	if (!h)
		return err_set(err, ERR_STATE, "no HTTP client");
	pr->http_id = http_start(h, &req, on_http_done, pr, err);
	return pr->http_id ? 1 : -1;
}

/* --- registry: a dist-tag (or latest) is a version --------------------------------- */

static void
judge_registry(struct probe_run *pr, struct verdict *v, const char *version)
{
	const struct pb_probe *p = &pr->rt->def->probe;
	const struct reg_answer *a = sources_registry(pr->s->sources,
						      (size_t)pr->reg_index);
	int rc = p->withdrawn
		? registry_probe_judge_withdrawn(a, version, v->seen,
						 sizeof(v->seen))
		: registry_probe_judge(a, p->dist_tag, version, v->seen,
				       sizeof(v->seen));

	v->ok = rc == 1;
	if (!v->ok)
		snprintf(v->reason, sizeof(v->reason), "%s%s%s", v->seen,
			 a && a->error ? ": " : "", a && a->error ? a->error : "");
}

static void
on_reg_poll(void *arg)
{
	struct probe_run *pr = arg;
	struct verdict v = { 0 };
	struct err err;

	pr->timer = 0;
	if (sources_registry_is_busy(pr->s->sources, (size_t)pr->reg_index) &&
	    clock_mono_now(pr->s->clk) - pr->t0_us < PROBE_REG_MAX_US) {
		pr->timer = loop_add_timer(pr->s->loop, PROBE_REG_POLL_US,
					   on_reg_poll, pr);
		return;
	}
	judge_registry(pr, &v, pr->value);
	finish(pr, &v, 1, &err);
}

static int
start_registry(struct probe_run *pr)
{
	sources_registry_refresh(pr->s->sources, (size_t)pr->reg_index);
	pr->timer = loop_add_timer(pr->s->loop, PROBE_REG_POLL_US, on_reg_poll,
				   pr);
	return 1;
}

/* --- running ---------------------------------------------------------------------- */

static cJSON *
started_payload(const struct probe_run *pr)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddBoolToObject(p, "drill", 0);
	cJSON_AddNumberToObject(p, "run", pr->rt->n_runs + 1);
	cJSON_AddStringToObject(p, "probe",
				probe_type_name(pr->rt->def->probe.type));
	cJSON_AddStringToObject(p, "expected", pr->expected);
	return p;
}

/* Expand the probe's templates; fills the expected line. */
static int
prepare(struct probe_run *pr, char **a, char **b, struct err *err)
{
	const struct pb_probe *p = &pr->rt->def->probe;
	char window[64];

	switch (p->type) {
	case PROBE_GIT_HEAD:
		if (!(*a = session_expand(pr->s, p->tag, err)))
			return -1;
		pr->expected = xasprintf("HEAD at tag %s", *a);
		return 0;
	case PROBE_HTTP:
		if (!(*a = session_expand(pr->s, p->url, err)) ||
		    (p->equals && !(*b = session_expand(pr->s, p->equals, err))))
			return -1;
		pr->expected = http_expected(p, *b);
		return 0;
	case PROBE_LOG_COUNT:
		describe_window(p->window_us, window, sizeof(window));
		pr->expected = xasprintf("fewer than %d lines of %s matching "
					 "/%s/ %s", p->below, p->log,
					 p->pattern, window);
		return 0;
	case PROBE_REGISTRY_TAG:
		if (!(*a = session_expand(pr->s, p->version, err)))
			return -1;
		if (p->withdrawn)
			pr->expected = xasprintf("%s %s deprecated or yanked",
						 p->package, *a);
		else
			pr->expected = xasprintf("%s %s is %s", p->package,
						 p->dist_tag ? p->dist_tag
							     : "latest", *a);
		return 0;
	default:
		BUG("unknown probe type");
	}
}

static int
check_sources(struct probe_run *pr, struct err *err)
{
	const struct pb_probe *p = &pr->rt->def->probe;

	if (p->type == PROBE_GIT_HEAD || p->type == PROBE_LOG_COUNT)
		return 0;
	if (!pr->s->sources || !pr->s->loop)
		return err_set(err, ERR_STATE, "run %s: this session has no "
			       "event loop for HTTP", pr->rt->def->id);
	if (p->type == PROBE_REGISTRY_TAG) {
		pr->reg_index = sources_registry_index(pr->s->sources,
						       p->package);
		if (pr->reg_index < 0)
			return err_set(err, ERR_NOTFOUND, "run %s: no registry "
				       "target %s", pr->rt->def->id,
				       p->package);
	}
	return 0;
}

static int
dispatch(struct probe_run *pr, char *a, char *b, struct err *err)
{
	struct verdict v = { 0 };
	int rc;

	switch (pr->rt->def->probe.type) {
	case PROBE_GIT_HEAD:
		judge_git(pr, a, &v);
		break;
	case PROBE_LOG_COUNT:
		judge_log(pr, &v);
		break;
	case PROBE_HTTP:
		pr->rt->probe = pr;
		pr->value = b;
		rc = start_http(pr, a, err);
		free(a);
		if (rc < 0)
			break;
		return 1;
	case PROBE_REGISTRY_TAG:
		pr->rt->probe = pr;
		pr->value = a;
		return start_registry(pr);
	default:
		BUG("unknown probe type");
	}
	free(a);
	if (pr->rt->probe) {	/* could not start: journal why */
		fail(&v, "%s", err ? err->msg : "could not start");
		finish(pr, &v, 1, NULL);
		return -1;
	}
	return finish(pr, &v, 0, err);
}

int
session_probe_run(struct session *s, struct step_rt *rt, const char *actor,
		  struct err *err)
{
	struct probe_run *pr = xcalloc(1, sizeof(*pr));
	char *a = NULL, *b = NULL;

	pr->s = s;
	pr->rt = rt;
	pr->reg_index = -1;
	pr->t0_us = clock_mono_now(s->clk);
	snprintf(pr->actor, sizeof(pr->actor), "%s", actor);
	if (check_sources(pr, err) < 0 || prepare(pr, &a, &b, err) < 0 ||
	    session_record(s, actor, "step.started", rt->def->id,
			   started_payload(pr), err) < 0) {
		free(a);
		free(b);
		free_run(pr);
		return -1;
	}
	return dispatch(pr, a, b, err);
}

int
session_probe_cancel(struct session *s, struct step_rt *rt, struct err *err)
{
	struct probe_run *pr = rt->probe;
	struct verdict v = { .cancelled = 1 };

	if (!pr)
		return err_set(err, ERR_STATE, "cancel %s: nothing to cancel",
			       rt->def->id);
	if (pr->http_id) {
		/* Its callback journals the cancellation. */
		http_cancel(sources_http(s->sources), pr->http_id);
		return 0;
	}
	loop_cancel_timer(s->loop, pr->timer);
	fail(&v, "%s", "probe cancelled");
	v.cancelled = 1;
	return finish(pr, &v, 1, err);
}

void
session_probes_done(struct session *s)
{
	for (size_t i = 0; i < s->n_steps; i++) {
		struct probe_run *pr = s->steps[i].probe;

		if (!pr)
			continue;
		pr->is_dropped = 1;
		s->steps[i].probe = NULL;
		if (pr->http_id)
			http_cancel(sources_http(s->sources), pr->http_id);
		if (pr->timer)
			loop_cancel_timer(s->loop, pr->timer);
		free_run(pr);
	}
}
