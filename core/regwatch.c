/* Registry watchers: one fetch cycle at a time per package (resolve the
 * configuration, request, parse, cache), then a timer for the next. */
#include "config.h"

#include "regwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "err.h"
#include "http.h"
#include "loop.h"
#include "reg_backend.h"
#include "regconf.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#define DEFAULT_TIMEOUT_US (10 * 1000000LL)
#define DEFAULT_RETRIES 2
#define DEFAULT_MAX_BODY (32u * 1024 * 1024)


struct regwatch {
	struct loop *loop;
	struct http *http;
	char *target_url;
	struct regwatch_opts opts;
	char *cache_dir;
	struct reg_answer *answer;
	struct regconf conf;
	const struct reg_backend *be;	/* the registry type's rules */
	int stage;			/* the document being fetched (the
					 * backend's numbering, 0 first) */
	int good_stage;			/* the one that worked last */
	char *url;			/* of the request in flight */
	char *validator_url;		/* URL answer->etag belongs to */
	uint64_t req;
	uint64_t timer;
	int notified;			/* CB was called at least once */
	regwatch_cb cb;
	void *arg;
};

static void start_fetch(void *arg);

/* --- options ---------------------------------------------------------------- */

static int64_t
refresh_from_env(void)
{
	const char *s = getenv("REWIND_REGISTRY_REFRESH");
	int64_t us;

	if (s && *s && clock_parse_duration(s, &us) == 0 && us > 0)
		return us;
	return REGWATCH_DEFAULT_REFRESH_S * 1000000LL;
}

static char *
default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && *xdg)
		return xasprintf("%s/rewind/registry", xdg);
	if (home && *home)
		return xasprintf("%s/.cache/rewind/registry", home);
	return NULL;
}

static void
set_opts(struct regwatch *w, const struct regwatch_opts *o)
{
	if (o)
		w->opts = *o;
	if (!w->opts.refresh_us)
		w->opts.refresh_us = refresh_from_env();
	if (!w->opts.timeout_us)
		w->opts.timeout_us = DEFAULT_TIMEOUT_US;
	if (!w->opts.retries)
		w->opts.retries = DEFAULT_RETRIES;
	if (w->opts.retries < 0)
		w->opts.retries = 0;
	if (!w->opts.max_body)
		w->opts.max_body = DEFAULT_MAX_BODY;
	if (!w->opts.cache_dir)
		w->cache_dir = default_cache_dir();
	else if (*w->opts.cache_dir)
		w->cache_dir = xstrdup(w->opts.cache_dir);
	w->opts.cache_dir = NULL;
}

/* --- disk cache ------------------------------------------------------------ */

char *
regwatch_cache_path(const char *cache_dir, const char *url)
{
	char hex[65];

	sha256_hex(url, strlen(url), hex);
	return xasprintf("%s/%s.json", cache_dir, hex);
}

static int
mkdir_p(const char *dir)
{
	char *d = xstrdup(dir);
	int rc = 0;

	for (char *p = d + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(d, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(d);
	return rc;
}

/* Write TEXT to PATH atomically (temporary file + rename), mode 0600. */
static int
write_atomic(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text), done = 0;
	int fd = mkstemp(tmp), rc = -1;

	if (fd < 0)
		goto out;
	if (fchmod(fd, 0600) < 0)
		goto out;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		done += (size_t)n;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	rc = rename(tmp, path);
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Failures to cache are not faults of the registry: the answer still
 * shows, it just will not survive a restart. */
static void
cache_save(struct regwatch *w)
{
	char *path, *json;
	int stale = w->answer->stale;
	char *error = w->answer->error;

	if (!w->cache_dir || !w->url || mkdir_p(w->cache_dir) < 0)
		return;
	w->answer->stale = 0;
	w->answer->error = NULL;
	json = reg_answer_to_json(w->answer);
	w->answer->stale = stale;
	w->answer->error = error;
	path = regwatch_cache_path(w->cache_dir, w->url);
	write_atomic(path, json);
	free(path);
	free(json);
}

/* Show the cached answer for URL (stale) while nothing newer is known. */
static void
cache_load(struct regwatch *w, const char *url)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_answer *c;
	char *path;

	if (!w->cache_dir || w->answer->has_data)
		return;
	path = regwatch_cache_path(w->cache_dir, url);
	if (strbuf_read_file(&sb, path, w->opts.max_body * 2, NULL) == 0 &&
	    (c = reg_answer_from_json(sb.buf, sb.len, w->answer->type,
				      w->answer->package, NULL))) {
		if (c->type == w->answer->type &&
		    !strcmp(c->package, w->answer->package) && c->has_data) {
			c->stale = 1;
			c->error = NULL;
			reg_answer_free(w->answer);
			w->answer = c;
			free(w->validator_url);
			w->validator_url = xstrdup(url);
		} else {
			reg_answer_free(c);
		}
	}
	strbuf_done(&sb);
	free(path);
}

/* --- notification ---------------------------------------------------------- */

static void
notify(struct regwatch *w)
{
	w->notified = 1;
	if (w->cb)
		w->cb(w->answer, w->arg);
}

/* Record a fault: the data stays (stale), the message replaces the last. */
static void
fault(struct regwatch *w, const char *msg)
{
	int changed = !w->answer->error || strcmp(w->answer->error, msg) ||
		      w->answer->stale != w->answer->has_data;

	reg_answer_set_error(w->answer, msg);
	w->answer->stale = w->answer->has_data;
	if (changed || !w->notified)
		notify(w);
}

static void
schedule_next(struct regwatch *w, int64_t at_least_us)
{
	int64_t delay = w->opts.refresh_us;

	if (delay < 0)
		return;
	if (at_least_us > delay)
		delay = at_least_us;
	loop_cancel_timer(w->loop, w->timer);
	w->timer = loop_add_timer(w->loop, delay, start_fetch, w);
}

/* --- answers --------------------------------------------------------------- */

static int
parse_document(struct regwatch *w, struct reg_answer *into,
	       const struct http_response *r, struct err *err)
{
	return w->be->parse(into, w->stage, r->content_type, r->body,
			    r->body_len, err);
}

static void
set_validators(struct regwatch *w, const struct http_response *r)
{
	free(w->answer->etag);
	free(w->answer->last_modified);
	w->answer->etag = xstrdup_or_null(r->etag);
	w->answer->last_modified = xstrdup_or_null(r->last_modified);
	free(w->validator_url);
	w->validator_url = xstrdup(w->url);
}

/* Mark the answer fresh; returns whether that is a visible change. */
static int
mark_fresh(struct regwatch *w)
{
	int changed = w->answer->stale || w->answer->error;

	w->answer->stale = 0;
	reg_answer_set_error(w->answer, NULL);
	reg_answer_set_source(w->answer, w->conf.shown);
	w->answer->fetched_at_us = clock_wall_now(loop_clock(w->loop));
	return changed;
}

static void
accept_document(struct regwatch *w, const struct http_response *r)
{
	struct reg_answer *fresh = reg_answer_new(w->answer->type,
						  w->answer->package);
	struct err err = { 0 };
	int changed;

	if (parse_document(w, fresh, r, &err) < 0) {
		char *msg = xasprintf("%s: %s", w->conf.shown, err.msg);

		fault(w, msg);
		free(msg);
		reg_answer_free(fresh);
		return;
	}
	changed = !reg_answer_same_data(fresh, w->answer);
	if (mark_fresh(w))
		changed = 1;
	reg_answer_clear_data(w->answer);
	w->answer->tags = fresh->tags;
	w->answer->n_tags = fresh->n_tags;
	w->answer->versions = fresh->versions;
	w->answer->n_versions = fresh->n_versions;
	w->answer->has_data = 1;
	fresh->tags = NULL;
	fresh->versions = NULL;
	fresh->n_tags = fresh->n_versions = 0;
	reg_answer_free(fresh);
	set_validators(w, r);
	w->good_stage = w->stage;
	cache_save(w);
	if (changed || !w->notified)
		notify(w);
}

static void
not_modified(struct regwatch *w)
{
	if (mark_fresh(w) || !w->notified)
		notify(w);
	cache_save(w);
}

/* The document to ask instead of this answer's, or -1 to take it. */
static int
other_stage(const struct regwatch *w, const struct http_response *r)
{
	return w->be->next_stage ? w->be->next_stage(w->stage, r->status,
						      r->content_type)
				 : -1;
}

static void
status_fault(struct regwatch *w, const struct http_response *r)
{
	char *msg;

	if (r->status == 404 || r->status == 410)
		msg = xasprintf("%s: unknown package %s (HTTP %d)",
				w->conf.shown, w->answer->package, r->status);
	else if (r->status == 401 || r->status == 403)
		msg = xasprintf("%s: HTTP %d: not authorised (check the "
				"token for this registry)", w->conf.shown,
				r->status);
	else if (r->status == 429 && r->retry_after_us >= 0)
		msg = xasprintf("%s: HTTP 429: rate limited, retry after "
				"%llds", w->conf.shown,
				(long long)(r->retry_after_us / 1000000));
	else
		msg = xasprintf("%s: HTTP %d", w->conf.shown, r->status);
	fault(w, msg);
	free(msg);
}

static void start_request(struct regwatch *w);

static void
on_done(const struct http_response *r, void *arg)
{
	struct regwatch *w = arg;

	w->req = 0;
	if (r->result == HTTP_ERR_CANCELLED)
		return;
	if (r->result != HTTP_OK) {
		char *msg = xasprintf("%s: %s", w->conf.shown, r->error);

		fault(w, msg);
		free(msg);
	} else if (other_stage(w, r) >= 0) {
		w->stage = other_stage(w, r);
		start_request(w);
		if (w->req)
			return;
	} else if (r->status == 304 && w->answer->has_data) {
		not_modified(w);
	} else if (r->status >= 200 && r->status < 300) {
		accept_document(w, r);
	} else {
		status_fault(w, r);
	}
	schedule_next(w, r->retry_after_us);
}

/* --- requests ---------------------------------------------------------------- */

static char *
request_url(const struct regwatch *w)
{
	return w->be->url(w->conf.base_url, w->answer->package, w->stage);
}

static void
start_request(struct regwatch *w)
{
	struct http_request req = { 0 };
	const char *headers[4];
	char *inm = NULL, *ims = NULL;
	struct err err = { 0 };
	size_t n = 0;

	free(w->url);
	w->url = request_url(w);
	cache_load(w, w->url);
	headers[n++] = w->be->accept(w->stage);
	if (w->validator_url && !strcmp(w->validator_url, w->url) &&
	    w->answer->has_data) {
		if (w->answer->etag)
			headers[n++] = inm = xasprintf("If-None-Match: %s",
						       w->answer->etag);
		if (w->answer->last_modified)
			headers[n++] = ims = xasprintf("If-Modified-Since: %s",
						       w->answer->last_modified);
	}
	headers[n] = NULL;
	req.url = w->url;
	req.headers = headers;
	req.bearer_token = w->conf.token;
	req.basic_auth = w->conf.token ? NULL : w->conf.basic_auth;
	req.timeout_us = w->opts.timeout_us;
	req.max_body = w->opts.max_body;
	req.retries = w->opts.retries;
	w->req = http_start(w->http, &req, on_done, w, &err);
	free(inm);
	free(ims);
	if (!w->req) {
		fault(w, err.msg);
		schedule_next(w, 0);
	}
}

/* One fetch cycle: the configuration is read again each time, so fixing
 * an .npmrc takes effect at the next refresh. */
static void
start_fetch(void *arg)
{
	struct regwatch *w = arg;
	struct err err = { 0 };

	w->timer = 0;
	regconf_done(&w->conf);
	if (reg_backend_locate(w->answer->type, w->answer->package,
			       w->target_url, w->opts.conf, &w->conf,
			       &err) < 0) {
		fault(w, err.msg);
		schedule_next(w, 0);
		return;
	}
	w->stage = w->good_stage;
	start_request(w);
}

/* --- public ------------------------------------------------------------------ */

struct regwatch *
regwatch_new(struct loop *l, struct http *h, enum reg_type t,
	     const char *package, const char *target_url,
	     const struct regwatch_opts *opts, regwatch_cb cb, void *arg)
{
	struct regwatch *w = xcalloc(1, sizeof(*w));

	w->loop = l;
	w->http = h;
	w->target_url = target_url && *target_url ? xstrdup(target_url) : NULL;
	w->answer = reg_answer_new(t, package);
	w->be = reg_backend(t);
	w->cb = cb;
	w->arg = arg;
	set_opts(w, opts);
	w->timer = loop_add_timer(l, 0, start_fetch, w);
	return w;
}

void
regwatch_free(struct regwatch *w)
{
	if (!w)
		return;
	loop_cancel_timer(w->loop, w->timer);
	if (w->req)
		http_cancel(w->http, w->req);
	regconf_done(&w->conf);
	reg_answer_free(w->answer);
	free(w->target_url);
	free(w->cache_dir);
	free(w->url);
	free(w->validator_url);
	free(w);
}

void
regwatch_refresh(struct regwatch *w)
{
	if (w->req)
		return;
	loop_cancel_timer(w->loop, w->timer);
	w->timer = 0;
	start_fetch(w);
}

const struct reg_answer *
regwatch_answer(const struct regwatch *w)
{
	return w->answer;
}

int
regwatch_is_busy(const struct regwatch *w)
{
	return w->req != 0;
}

int64_t
regwatch_refresh_interval(const struct regwatch *w)
{
	return w->opts.refresh_us;
}
