/* HTTP transfers on the one event loop: a curl multi handle whose sockets
 * and timer are the loop's fds and timers. Redirects are followed here,
 * not by curl, so credentials are attached per hop and only to the host
 * they belong to; retries wait on loop timers with a doubling, jittered
 * back-off or the server's Retry-After. */
#include "config.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "strbuf.h"
#include "xalloc.h"

#define DEFAULT_TIMEOUT_US	(10 * 1000000LL)
#define DEFAULT_CONNECT_US	(5 * 1000000LL)
#define DEFAULT_MAX_BODY	((size_t)16 << 20)
#define DEFAULT_REDIRECTS	5
#define DEFAULT_BACKOFF_US	(500 * 1000LL)
#define MAX_BACKOFF_US		(30 * 1000000LL)
#define MAX_RETRY_AFTER_US	(120 * 1000000LL)	/* longer: give up */
#define RETRY_AFTER_CLAMP_S	(366L * 24 * 3600)	/* larger: taken as this */
#define HEADER_MAX		1024

enum xfer_state {
	XFER_ACTIVE,		/* its easy handle is in the multi */
	XFER_WAITING,		/* waiting on a retry timer */
	XFER_DONE,		/* delivered or cancelled */
};

struct xfer {
	struct http *h;
	struct xfer *next;
	uint64_t id;
	enum xfer_state state;
	CURL *easy;
	struct curl_slist *hdr_list;	/* this attempt's request headers */
	char **headers;			/* the caller's, copied */
	size_t n_headers;
	char *url;			/* the current hop */
	char *auth_host;		/* host credentials belong to */
	int auth_https;			/* never downgrade them to http */
	char *method;
	char *body;
	size_t body_len;
	char *bearer;
	char *basic;
	int64_t timeout_us, connect_timeout_us;
	size_t max_body;
	int max_redirects, n_redirects;
	int retries, attempts;
	int64_t backoff_us;
	int64_t t0_us;
	uint64_t retry_timer;
	int too_big;
	struct strbuf resp;		/* body of the current attempt */
	char *content_type, *etag, *last_modified, *retry_after;
	char errbuf[CURL_ERROR_SIZE];
	http_done_cb cb;
	void *arg;
};

struct http {
	struct loop *loop;
	CURLM *multi;
	uint64_t timer;		/* the loop timer curl asked for */
	struct xfer *xfers;
	uint64_t next_id;
	uint64_t rng;
	int depth;		/* inside our own dispatch */
	int is_dying;		/* http_free called during dispatch */
	int is_closing;		/* curl_multi_cleanup in progress */
};

static void process_done(struct http *h);
static int attempt_start(struct xfer *x, struct err *err);

/* --- small helpers ----------------------------------------------------------- */

const char *
http_result_name(enum http_result r)
{
	static const char *const names[] = {
		[HTTP_OK] = "ok", [HTTP_ERR_CONNECT] = "connect",
		[HTTP_ERR_TIMEOUT] = "timeout", [HTTP_ERR_TOO_BIG] = "too-big",
		[HTTP_ERR_REDIRECTS] = "redirects", [HTTP_ERR_TLS] = "tls",
		[HTTP_ERR_CANCELLED] = "cancelled", [HTTP_ERR_OTHER] = "other",
		[HTTP_ERR_TRUNCATED] = "truncated",
	};

	return (size_t)r < sizeof(names) / sizeof(names[0]) && names[r]
		? names[r] : "?";
}

static int64_t
now_us(const struct http *h)
{
	return clock_mono_now(loop_clock(h->loop));
}

static uint64_t
next_random(struct http *h)
{
	/* xorshift64: jitter only needs to differ between clients */
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return h->rng;
}

static void
ensure_curl_init(void)
{
	static int done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

static char *
url_part(const char *url, CURLUPart part)
{
	CURLU *u;
	char *got = NULL, *out = NULL;

	if (!url)
		return NULL;
	ensure_curl_init();
	u = curl_url();
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, part, &got, 0) == CURLUE_OK && got)
		out = xstrdup(got);
	curl_free(got);
	curl_url_cleanup(u);
	return out;
}

char *
http_url_host(const char *url)
{
	char *host = url_part(url, CURLUPART_HOST);

	for (char *p = host; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return host;
}

char *
http_url_redacted(const char *url)
{
	char *scheme = url_part(url, CURLUPART_SCHEME);
	char *host = http_url_host(url);
	char *port = url_part(url, CURLUPART_PORT);
	char *path = url_part(url, CURLUPART_PATH);
	char *query = url_part(url, CURLUPART_QUERY);
	int has_more = (path && strcmp(path, "/") != 0) || query;
	char *out;

	if (!scheme || !host)
		out = xstrdup("(unreadable URL)");
	else
		out = xasprintf("%s://%s%s%s/%s", scheme, host, port ? ":" : "",
				port ? port : "", has_more ? "..." : "");
	free(scheme);
	free(host);
	free(port);
	free(path);
	free(query);
	return out;
}

static int
is_http_url(const char *url)
{
	char *scheme = url_part(url, CURLUPART_SCHEME);
	int ok = scheme && (strcmp(scheme, "http") == 0 ||
			    strcmp(scheme, "https") == 0);

	free(scheme);
	return ok;
}

/* --- the loop side: sockets and the one timer ---------------------------------- */

static void
on_socket_ready(int fd, int events, void *arg)
{
	struct http *h = arg;
	int flags = 0, running;

	if (events & LOOP_READ)
		flags |= CURL_CSELECT_IN;
	if (events & LOOP_WRITE)
		flags |= CURL_CSELECT_OUT;
	h->depth++;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	process_done(h);
	h->depth--;
	if (h->is_dying && !h->depth)
		http_free(h);
}

static int
socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http *h = userp;
	int events = 0;

	(void)easy;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		loop_del_fd(h->loop, fd);
		return 0;
	}
	if (h->is_closing)
		return 0;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= LOOP_READ;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= LOOP_WRITE;
	if (loop_mod_fd(h->loop, fd, events) < 0)
		loop_add_fd(h->loop, fd, events, on_socket_ready, h);
	return 0;
}

static void
on_curl_timer(void *arg)
{
	struct http *h = arg;
	int running;

	h->timer = 0;
	h->depth++;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	process_done(h);
	h->depth--;
	if (h->is_dying && !h->depth)
		http_free(h);
}

static int
timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	if (h->timer)
		loop_cancel_timer(h->loop, h->timer);
	h->timer = 0;
	if (timeout_ms >= 0 && !h->is_closing)
		h->timer = loop_add_timer(h->loop, (int64_t)timeout_ms * 1000,
					  on_curl_timer, h);
	return 0;
}

struct http *
http_new(struct loop *l, struct err *err)
{
	struct http *h = xcalloc(1, sizeof(*h));

	ensure_curl_init();
	h->loop = l;
	h->next_id = 1;
	h->rng = (uint64_t)clock_mono_now(clock_system()) ^
		 (uint64_t)(uintptr_t)h ^ 0x9e3779b97f4a7c15ULL;
	if (!h->rng)
		h->rng = 1;
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		err_set(err, ERR_SYS, "http: cannot create a curl multi handle");
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

/* --- one transfer -------------------------------------------------------------- */

static void
reset_response(struct xfer *x)
{
	strbuf_reset(&x->resp);
	free(x->content_type);
	free(x->etag);
	free(x->last_modified);
	free(x->retry_after);
	x->content_type = x->etag = x->last_modified = x->retry_after = NULL;
	x->too_big = 0;
	x->errbuf[0] = '\0';
}

static void
xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy) {
		if (x->state == XFER_ACTIVE)
			curl_multi_remove_handle(x->h->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	if (x->retry_timer)
		loop_cancel_timer(x->h->loop, x->retry_timer);
	curl_slist_free_all(x->hdr_list);
	for (size_t i = 0; i < x->n_headers; i++)
		free(x->headers[i]);
	free(x->headers);
	reset_response(x);
	strbuf_done(&x->resp);
	free(x->url);
	free(x->auth_host);
	free(x->method);
	if (x->body)
		memset(x->body, 0, x->body_len);
	free(x->body);
	free(x->bearer);
	free(x->basic);
	free(x);
}

static void
unlink_xfer(struct http *h, struct xfer *x)
{
	for (struct xfer **pp = &h->xfers; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			return;
		}
	}
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	/* Returning short makes curl abort with CURLE_WRITE_ERROR. */
	if (x->resp.len + len > x->max_body) {
		x->too_big = 1;
		return 0;
	}
	strbuf_add(&x->resp, data, len);
	return len;
}

static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *v, *end = line + len;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return NULL;
	v = line + nlen + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

static void
keep_header(char **slot, char *value)
{
	if (!value)
		return;
	free(*slot);
	*slot = value;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	/* A new status line (after 100 Continue) starts a new response. */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(x->content_type);
		free(x->etag);
		free(x->last_modified);
		free(x->retry_after);
		x->content_type = x->etag = x->last_modified = NULL;
		x->retry_after = NULL;
		return len;
	}
	if (len > HEADER_MAX)
		return len;
	keep_header(&x->content_type, header_value(data, len, "Content-Type"));
	keep_header(&x->etag, header_value(data, len, "ETag"));
	keep_header(&x->last_modified,
		    header_value(data, len, "Last-Modified"));
	keep_header(&x->retry_after, header_value(data, len, "Retry-After"));
	return len;
}

/* Credentials go to the host they were given for only, and never from
 * https down to plain http. */
static int
may_send_auth(const struct xfer *x)
{
	char *host = http_url_host(x->url);
	char *scheme = url_part(x->url, CURLUPART_SCHEME);
	int ok = host && x->auth_host && strcmp(host, x->auth_host) == 0 &&
		 !(x->auth_https && scheme && strcmp(scheme, "https") != 0);

	free(host);
	free(scheme);
	return ok;
}

static void
base64_encode(const char *in, size_t len, struct strbuf *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (unsigned char)in[i + 1] << 8;
		if (left > 2)
			v |= (unsigned char)in[i + 2];
		strbuf_addc(out, tab[(v >> 18) & 63]);
		strbuf_addc(out, tab[(v >> 12) & 63]);
		strbuf_addc(out, left > 1 ? tab[(v >> 6) & 63] : '=');
		strbuf_addc(out, left > 2 ? tab[v & 63] : '=');
	}
}

static void
add_auth_header(struct xfer *x)
{
	struct strbuf sb = STRBUF_INIT;

	if (x->bearer) {
		strbuf_addf(&sb, "Authorization: Bearer %s", x->bearer);
	} else if (x->basic) {
		strbuf_adds(&sb, "Authorization: Basic ");
		base64_encode(x->basic, strlen(x->basic), &sb);
	}
	if (sb.len)
		x->hdr_list = curl_slist_append(x->hdr_list, sb.buf);
	if (sb.buf)
		memset(sb.buf, 0, sb.len);
	strbuf_done(&sb);
}

static void
build_headers(struct xfer *x)
{
	int auth_ok = may_send_auth(x);

	curl_slist_free_all(x->hdr_list);
	x->hdr_list = NULL;
	for (size_t i = 0; i < x->n_headers; i++) {
		if (!auth_ok &&
		    strncasecmp(x->headers[i], "Authorization:", 14) == 0)
			continue;
		x->hdr_list = curl_slist_append(x->hdr_list, x->headers[i]);
	}
	if (auth_ok)
		add_auth_header(x);
	if (x->body)
		x->hdr_list = curl_slist_append(x->hdr_list, "Expect:");
}

static void
set_method(struct xfer *x)
{
	CURL *e = x->easy;

	if (strcmp(x->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(x->method, "GET") != 0) {
		if (strcmp(x->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)x->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body ? x->body : "");
	}
}

static void
set_options(struct xfer *x)
{
	CURL *e = x->easy;

	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(x->timeout_us / 1000));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(x->connect_timeout_us / 1000));
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rewind/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)x->max_body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	build_headers(x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdr_list);
	set_method(x);
}

static int
attempt_start(struct xfer *x, struct err *err)
{
	CURLMcode mc;

	reset_response(x);
	set_options(x);
	x->attempts++;
	mc = curl_multi_add_handle(x->h->multi, x->easy);
	if (mc != CURLM_OK)
		return err_set(err, ERR_SYS, "http: %s",
			       curl_multi_strerror(mc));
	x->state = XFER_ACTIVE;
	return 0;
}

static void
copy_request(struct xfer *x, const struct http_request *req)
{
	size_t n = 0;

	while (req->headers && req->headers[n])
		n++;
	x->headers = xcalloc(n ? n : 1, sizeof(*x->headers));
	for (x->n_headers = 0; x->n_headers < n; x->n_headers++)
		x->headers[x->n_headers] = xstrdup(req->headers[x->n_headers]);
	x->url = xstrdup(req->url);
	x->auth_host = http_url_host(req->url);
	x->auth_https = strncasecmp(req->url, "https:", 6) == 0;
	x->method = xstrdup(req->method ? req->method : "GET");
	if (req->body) {
		x->body = xmalloc(req->body_len + 1);
		memcpy(x->body, req->body, req->body_len);
		x->body[req->body_len] = '\0';
		x->body_len = req->body_len;
	}
	x->bearer = xstrdup_or_null(req->bearer_token);
	x->basic = xstrdup_or_null(req->basic_auth);
	x->timeout_us = req->timeout_us > 0 ? req->timeout_us
					    : DEFAULT_TIMEOUT_US;
	x->connect_timeout_us = req->connect_timeout_us > 0
		? req->connect_timeout_us : DEFAULT_CONNECT_US;
	x->max_body = req->max_body ? req->max_body : DEFAULT_MAX_BODY;
	x->max_redirects = req->max_redirects ? req->max_redirects
					      : DEFAULT_REDIRECTS;
	x->retries = req->retries > 0 ? req->retries : 0;
	x->backoff_us = req->backoff_us > 0 ? req->backoff_us
					    : DEFAULT_BACKOFF_US;
}

uint64_t
http_start(struct http *h, const struct http_request *req, http_done_cb cb,
	   void *arg, struct err *err)
{
	struct xfer *x;

	if (!req->url || !is_http_url(req->url)) {
		err_set(err, ERR_INVALID, "http: not an http:// or https:// "
			"URL: %s", req->url ? req->url : "(none)");
		return 0;
	}
	x = xcalloc(1, sizeof(*x));
	x->h = h;
	x->id = h->next_id++;
	x->cb = cb;
	x->arg = arg;
	x->state = XFER_DONE;
	copy_request(x, req);
	x->t0_us = now_us(h);
	x->easy = curl_easy_init();
	if (!x->easy || attempt_start(x, err) < 0) {
		if (!x->easy)
			err_set(err, ERR_SYS, "http: cannot create a curl handle");
		xfer_free(x);
		return 0;
	}
	x->next = h->xfers;
	h->xfers = x;
	return x->id;
}

/* --- finishing: classify, retry, redirect, deliver ------------------------------ */

static enum http_result
classify(const struct xfer *x, CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_ERR_TOO_BIG;
	case CURLE_WRITE_ERROR:
		return x->too_big ? HTTP_ERR_TOO_BIG : HTTP_ERR_OTHER;
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return HTTP_ERR_TRUNCATED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return HTTP_ERR_TLS;
	default:
		return HTTP_ERR_OTHER;
	}
}

/* Retry-After as a delay: delta-seconds or an HTTP date; -1 if absent
 * or unreadable. */
/* A server's wait in seconds, clamped to [0, a year]: any value is far
 * past MAX_RETRY_AFTER_US then, and never overflows into a negative wait. */
static int64_t
retry_secs_to_us(long secs)
{
	if (secs < 0)
		return 0;
	if (secs > RETRY_AFTER_CLAMP_S)
		secs = RETRY_AFTER_CLAMP_S;
	return (int64_t)secs * 1000000;
}

static int64_t
retry_after_us(const struct xfer *x)
{
	const char *v = x->retry_after;
	char *end;
	long secs;
	time_t when;

	if (!v || !*v)
		return -1;
	secs = strtol(v, &end, 10);
	if (end != v && *end == '\0')
		return retry_secs_to_us(secs);
	when = curl_getdate(v, NULL);
	if (when < 0)
		return -1;
	return retry_secs_to_us((long)(when - clock_wall_now(
		loop_clock(x->h->loop)) / 1000000));
}

static int
is_retryable(enum http_result r, int status)
{
	if (r == HTTP_ERR_CONNECT || r == HTTP_ERR_TIMEOUT ||
	    r == HTTP_ERR_TRUNCATED)
		return 1;
	return r == HTTP_OK && (status >= 500 || status == 429);
}

static int64_t
backoff_delay(struct xfer *x)
{
	int64_t d = x->backoff_us;

	for (int i = 1; i < x->attempts && d < MAX_BACKOFF_US; i++)
		d *= 2;
	if (d > MAX_BACKOFF_US)
		d = MAX_BACKOFF_US;
	/* Jitter over the upper half, so clients spread out but still
	 * wait at least half the back-off. */
	return d / 2 + (int64_t)(next_random(x->h) % (uint64_t)(d / 2 + 1));
}

static void
on_retry_timer(void *arg)
{
	struct xfer *x = arg;
	struct http *h = x->h;
	struct err err;

	x->retry_timer = 0;
	h->depth++;
	if (attempt_start(x, &err) < 0) {
		x->state = XFER_DONE;
		unlink_xfer(h, x);
		xfer_free(x);
	}
	h->depth--;
	if (h->is_dying && !h->depth)
		http_free(h);
}

static int
schedule_retry(struct xfer *x, enum http_result r, int status)
{
	int64_t after = retry_after_us(x);
	int64_t delay;

	if (x->attempts > x->retries || !is_retryable(r, status))
		return 0;
	if (after > MAX_RETRY_AFTER_US)
		return 0;
	delay = after >= 0 ? after : backoff_delay(x);
	curl_multi_remove_handle(x->h->multi, x->easy);
	x->state = XFER_WAITING;
	x->retry_timer = loop_add_timer(x->h->loop, delay, on_retry_timer, x);
	return 1;
}

static int
is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

/* Follow one redirect hop ourselves (see the top of the file). Returns 1
 * when a new hop started, 0 when the response is final, -1 when there
 * were too many hops. */
static int
follow_redirect(struct xfer *x, int status)
{
	char *target = NULL;
	struct err err;

	if (x->max_redirects < 0 || !is_redirect(status))
		return 0;
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &target);
	if (!target || !is_http_url(target))
		return 0;
	if (x->n_redirects >= x->max_redirects)
		return -1;
	x->n_redirects++;
	free(x->url);
	x->url = xstrdup(target);
	if (status == 303 || ((status == 301 || status == 302) &&
			      strcmp(x->method, "POST") == 0)) {
		free(x->method);
		x->method = xstrdup("GET");
	}
	curl_multi_remove_handle(x->h->multi, x->easy);
	x->state = XFER_DONE;
	x->attempts--;	/* a hop is not a new attempt */
	if (attempt_start(x, &err) < 0)
		return 0;
	return 1;
}

static void
fill_error(const struct xfer *x, enum http_result r, CURLcode rc, char *buf,
	   size_t size)
{
	if (r == HTTP_OK)
		buf[0] = '\0';
	else if (r == HTTP_ERR_TOO_BIG)
		snprintf(buf, size, "answer larger than %zu bytes", x->max_body);
	else if (r == HTTP_ERR_REDIRECTS)
		snprintf(buf, size, "more than %d redirects", x->max_redirects);
	else if (r == HTTP_ERR_CANCELLED)
		snprintf(buf, size, "cancelled");
	else
		snprintf(buf, size, "%s", x->errbuf[0] ? x->errbuf
						       : curl_easy_strerror(rc));
}

static void
deliver(struct xfer *x, enum http_result r, int status, CURLcode rc)
{
	struct http_response resp = { 0 };
	char error[CURL_ERROR_SIZE + 64];
	char *eff = NULL;

	fill_error(x, r, rc, error, sizeof(error));
	if (x->easy && r != HTTP_ERR_CANCELLED)
		curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	resp.result = r;
	resp.status = status;
	resp.error = error;
	resp.body = r == HTTP_OK ? strbuf_str(&x->resp) : "";
	resp.body_len = r == HTTP_OK ? x->resp.len : 0;
	resp.content_type = x->content_type;
	resp.etag = x->etag;
	resp.last_modified = x->last_modified;
	resp.retry_after_us = retry_after_us(x);
	resp.attempts = x->attempts;
	resp.elapsed_us = now_us(x->h) - x->t0_us;
	resp.effective_url = eff ? eff : x->url;
	if (x->cb)
		x->cb(&resp, x->arg);
}

/* libcurl takes an answer whose first line is no HTTP status line it can
 * read ("HTTP/200 OHK") for a success with status 0: that is a broken
 * answer, said so. */
static enum http_result
no_status_line(struct xfer *x)
{
	snprintf(x->errbuf, sizeof(x->errbuf),
		 "malformed answer: no valid HTTP status line "
		 "(expected \"HTTP/1.1 200 OK\" or the like)");
	return HTTP_ERR_OTHER;
}

static void
finish_xfer(struct http *h, struct xfer *x, CURLcode rc)
{
	long status = 0;
	enum http_result r = classify(x, rc);
	int hop;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (r == HTTP_OK && status < 100)
		r = no_status_line(x);
	if (r != HTTP_OK)
		status = r == HTTP_ERR_TOO_BIG ? status : 0;
	if (schedule_retry(x, r, (int)status))
		return;
	hop = r == HTTP_OK ? follow_redirect(x, (int)status) : 0;
	if (hop > 0)
		return;
	if (hop < 0)
		r = HTTP_ERR_REDIRECTS;
	if (x->state == XFER_ACTIVE)
		curl_multi_remove_handle(h->multi, x->easy);
	x->state = XFER_DONE;
	unlink_xfer(h, x);
	deliver(x, r, (int)status, rc);
	xfer_free(x);
}

static void
process_done(struct http *h)
{
	CURLMsg *msg;
	int left;

	while (!h->is_dying && (msg = curl_multi_info_read(h->multi, &left))) {
		struct xfer *x = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &x);
		if (x)
			finish_xfer(h, x, msg->data.result);
	}
}

void
http_cancel(struct http *h, uint64_t id)
{
	struct xfer *x;

	for (x = h->xfers; x && x->id != id; x = x->next)
		;
	if (!x || x->state == XFER_DONE)
		return;
	if (x->state == XFER_ACTIVE)
		curl_multi_remove_handle(h->multi, x->easy);
	if (x->retry_timer)
		loop_cancel_timer(h->loop, x->retry_timer);
	x->retry_timer = 0;
	x->state = XFER_DONE;
	unlink_xfer(h, x);
	h->depth++;
	deliver(x, HTTP_ERR_CANCELLED, 0, CURLE_OK);
	h->depth--;
	xfer_free(x);
	if (h->is_dying && !h->depth)
		http_free(h);
}

size_t
http_pending(const struct http *h)
{
	size_t n = 0;

	for (const struct xfer *x = h ? h->xfers : NULL; x; x = x->next)
		n++;
	return n;
}

void
http_free(struct http *h)
{
	if (!h)
		return;
	/* Called from one of our own callbacks: finish once it returns. */
	if (h->depth) {
		h->is_dying = 1;
		return;
	}
	while (h->xfers) {
		struct xfer *x = h->xfers;

		h->xfers = x->next;
		xfer_free(x);
	}
	h->is_closing = 1;
	if (h->timer)
		loop_cancel_timer(h->loop, h->timer);
	h->timer = 0;
	curl_multi_cleanup(h->multi);
	if (h->timer)
		loop_cancel_timer(h->loop, h->timer);
	free(h);
}
