/* HTTP on the loop against a real loopback server (tests/fixtures/
 * fixsrv.py): answers, faults, retries, redirects, credentials, limits. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "fixsrv.h"
#include "http.h"
#include "loop.h"
#include "testutil.h"
#include "xalloc.h"

#define MAX_GOT 64

struct got {
	int done;
	enum http_result result;
	int status;
	char *body;
	size_t body_len;
	char *content_type, *etag, *last_modified, *error;
	int attempts;
	int64_t elapsed_us;
	int64_t retry_after_us;
};

struct fx {
	char *tmp;
	struct fixsrv srv;
	struct loop *loop;
	struct http *h;
	struct got got[MAX_GOT];
	int n_done;
	struct err err;
};

static char *
dup_opt(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
on_done(const struct http_response *r, void *arg)
{
	struct got *g = arg;

	g->done++;
	g->result = r->result;
	g->status = r->status;
	g->retry_after_us = r->retry_after_us;
	g->body = xmalloc(r->body_len + 1);
	memcpy(g->body, r->body, r->body_len + 1);
	g->body_len = r->body_len;
	g->content_type = dup_opt(r->content_type);
	g->etag = dup_opt(r->etag);
	g->last_modified = dup_opt(r->last_modified);
	g->error = xstrdup(r->error);
	g->attempts = r->attempts;
	g->elapsed_us = r->elapsed_us;
}

static void
fx_init(struct fx *f, const char *routes)
{
	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	if (routes)
		fixsrv_start(&f->srv, f->tmp, routes);
	f->loop = loop_new(NULL);
	f->h = http_new(f->loop, &f->err);
	ck_assert_msg(f->h != NULL, "http_new: %s", f->err.msg);
}

static void
fx_done(struct fx *f)
{
	http_free(f->h);
	loop_free(f->loop);
	fixsrv_stop(&f->srv);
	for (int i = 0; i < MAX_GOT; i++) {
		free(f->got[i].body);
		free(f->got[i].content_type);
		free(f->got[i].etag);
		free(f->got[i].last_modified);
		free(f->got[i].error);
	}
	tu_rmtree(f->tmp);
	free(f->tmp);
}

static int
n_done(const struct fx *f, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += f->got[i].done;
	return k;
}

/* Run the loop until the first N requests finished, at most MAX_S. */
static void
run_until(struct fx *f, int n, double max_s)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(max_s * tu_slack() * 1e6);

	while (n_done(f, n) < n && clock_mono_now(c) < end)
		loop_run_once(f->loop, 50000);
	ck_assert_msg(n_done(f, n) == n, "%d of %d requests finished",
		      n_done(f, n), n);
}

static uint64_t
start(struct fx *f, int slot, const struct http_request *req)
{
	uint64_t id = http_start(f->h, req, on_done, &f->got[slot], &f->err);

	ck_assert_msg(id > 0, "http_start: %s", f->err.msg);
	return id;
}

static uint64_t
get(struct fx *f, int slot, const char *path)
{
	char *url = fixsrv_url(&f->srv, NULL, path);
	struct http_request req = { .url = url, .timeout_us = 5000000 };
	uint64_t id = start(f, slot, &req);

	free(url);
	return id;
}

static const cJSON *
request_at(const cJSON *list, int i)
{
	const cJSON *r = cJSON_GetArrayItem(list, i);

	ck_assert_msg(r != NULL, "no request %d recorded", i);
	return r;
}

static const char *
request_header(const cJSON *req, const char *name)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(req, "headers"), name);

	return cJSON_IsString(h) ? h->valuestring : NULL;
}

/* --- answers -------------------------------------------------------------------- */

START_TEST(test_http_200_delivers_body_and_headers)
{
	struct fx f;
	cJSON *reqs;
	const char *ua;

	fx_init(&f, "{\"/a\": {\"body\": {\"status\": \"healthy\"}, "
		"\"headers\": {\"Content-Type\": \"application/json\", "
		"\"ETag\": \"\\\"v1\\\"\", "
		"\"Last-Modified\": \"Sat, 21 Nov 2026 10:00:00 GMT\"}}}");
	get(&f, 0, "/a");
	ck_assert_int_eq(f.got[0].done, 0);	/* never from http_start */
	ck_assert_uint_eq(http_pending(f.h), 1);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_OK);
	ck_assert_int_eq(f.got[0].status, 200);
	ck_assert_str_eq(f.got[0].body, "{\"status\": \"healthy\"}");
	ck_assert_str_eq(f.got[0].content_type, "application/json");
	ck_assert_str_eq(f.got[0].etag, "\"v1\"");
	ck_assert_str_eq(f.got[0].last_modified,
			 "Sat, 21 Nov 2026 10:00:00 GMT");
	ck_assert_str_eq(f.got[0].error, "");
	ck_assert_int_eq(f.got[0].attempts, 1);
	ck_assert_uint_eq(http_pending(f.h), 0);
	reqs = fixsrv_requests(&f.srv);
	ua = request_header(request_at(reqs, 0), "user-agent");
	ck_assert_msg(ua && strncmp(ua, "rewind/", 7) == 0, "user-agent %s",
		      ua ? ua : "(none)");
	ck_assert_ptr_nonnull(request_header(request_at(reqs, 0),
					     "accept-encoding"));
	ck_assert_ptr_null(request_header(request_at(reqs, 0),
					  "authorization"));
	cJSON_Delete(reqs);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_404_and_500_are_answers_with_their_status)
{
	struct fx f;

	fx_init(&f, "{\"/e\": {\"status\": 500, \"body\": \"boom\"}}");
	get(&f, 0, "/missing");
	get(&f, 1, "/e");
	run_until(&f, 2, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_OK);
	ck_assert_int_eq(f.got[0].status, 404);
	ck_assert_int_eq(f.got[1].result, HTTP_OK);
	ck_assert_int_eq(f.got[1].status, 500);
	ck_assert_str_eq(f.got[1].body, "boom");
	ck_assert_int_eq(f.got[1].attempts, 1);	/* no retries asked */
	fx_done(&f);
}
END_TEST

START_TEST(test_http_post_sends_method_body_and_headers)
{
	struct fx f;
	const char *hdrs[] = { "Content-Type: application/json", "X-Rewind: 1",
			       NULL };
	char *url;
	struct http_request req = { .method = "POST", .headers = hdrs,
				    .body = "{\"text\":\"hi\"}", .body_len = 13 };
	cJSON *reqs;
	const cJSON *r;

	fx_init(&f, "{\"/hook\": {\"method\": \"POST\", \"body\": \"ok\"}}");
	url = fixsrv_url(&f.srv, NULL, "/hook");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].status, 200);
	reqs = fixsrv_requests(&f.srv);
	r = request_at(reqs, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(r, "method")->valuestring, "POST");
	ck_assert_str_eq(cJSON_GetObjectItem(r, "body")->valuestring,
			 "{\"text\":\"hi\"}");
	ck_assert_str_eq(request_header(r, "x-rewind"), "1");
	ck_assert_str_eq(request_header(r, "content-type"), "application/json");
	cJSON_Delete(reqs);
	free(url);
	fx_done(&f);
}
END_TEST

/* --- faults --------------------------------------------------------------------- */

START_TEST(test_http_connection_refused_is_connect_error)
{
	struct fx f;
	char *url;
	struct http_request req = { .timeout_us = 3000000 };

	fx_init(&f, NULL);
	url = xasprintf("http://127.0.0.1:%d/x", fixsrv_free_port());
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_CONNECT);
	ck_assert_int_eq(f.got[0].status, 0);
	ck_assert_msg(f.got[0].error[0] != '\0', "no error text");
	ck_assert_str_eq(http_result_name(f.got[0].result), "connect");
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_server_that_never_answers_times_out_in_bound)
{
	struct fx f;
	char *url;
	struct http_request req = { .timeout_us = 600000 };

	fx_init(&f, "{\"/hang\": {\"hang\": true}}");
	url = fixsrv_url(&f.srv, NULL, "/hang");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_TIMEOUT);
	ck_assert_msg(f.got[0].elapsed_us >= 550000 &&
		      f.got[0].elapsed_us < 2000000, "timed out after %lld us",
		      (long long)f.got[0].elapsed_us);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_truncated_body_is_truncated)
{
	struct fx f;

	fx_init(&f, "{\"/t\": {\"body\": \"{\\\"a\\\": 1\", \"truncate\": 500}}");
	get(&f, 0, "/t");
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_TRUNCATED);
	ck_assert_uint_eq(f.got[0].body_len, 0);
	fx_done(&f);
}
END_TEST

/* A first line that is no status line (a fuzz finding: libcurl took
 * "HTTP/200 OHK" for a success with status 0) is an error that says so,
 * with or without headers after it. */
static const char *const no_status_answers[] = {
	"HTTP/200 OHK\r\nTT",
	"HTTP/200 OHK\r\nContent-Length: 2\r\n\r\nok",
};

START_TEST(test_http_answer_without_status_line_is_an_error)
{
	cJSON *routes = cJSON_CreateObject();
	cJSON *v = cJSON_AddObjectToObject(routes, "/raw");
	char *text;
	struct fx f;

	cJSON_AddStringToObject(v, "raw", no_status_answers[_i]);
	text = cJSON_PrintUnformatted(routes);
	fx_init(&f, text);
	get(&f, 0, "/raw");
	run_until(&f, 1, 10);
	ck_assert_msg(f.got[0].result != HTTP_OK, "delivered as ok, status %d",
		      f.got[0].status);
	ck_assert_int_eq(f.got[0].status, 0);
	ck_assert_uint_eq(f.got[0].body_len, 0);
	ck_assert_msg(strstr(f.got[0].error, "status line") != NULL,
		      "error: %s", f.got[0].error);
	fx_done(&f);
	free(text);
	cJSON_Delete(routes);
}
END_TEST

static long
max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

START_TEST(test_http_50mb_body_is_too_big_with_memory_bounded)
{
	struct fx f;
	char *url;
	struct http_request req = { .timeout_us = 10000000,
				    .max_body = 1 << 20 };
	long rss0;

	fx_init(&f, "{\"/big\": {\"generate\": 52428800}, "
		"\"/chunked\": {\"generate\": 52428800, "
		"\"headers\": {\"X-Pad\": \"1\"}}}");
	rss0 = max_rss_kb();
	url = fixsrv_url(&f.srv, NULL, "/big");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 20);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_TOO_BIG);
	ck_assert_str_eq(http_result_name(f.got[0].result), "too-big");
	ck_assert_msg(strstr(f.got[0].error, "1048576") != NULL, "error: %s",
		      f.got[0].error);
	ck_assert_msg(max_rss_kb() - rss0 < 20 * 1024,
		      "memory grew by %ld kB", max_rss_kb() - rss0);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_body_over_limit_without_length_is_aborted)
{
	struct fx f;
	char *url;
	/* The default limit (16 MiB) against a 50 MB answer: the announced
	 * length is refused before the body arrives. */
	struct http_request req = { .timeout_us = 10000000 };

	fx_init(&f, "{\"/big\": {\"generate\": 52428800}}");
	url = fixsrv_url(&f.srv, NULL, "/big");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 20);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_TOO_BIG);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_redirect_loop_is_redirects_error)
{
	struct fx f;
	cJSON *reqs;

	fx_init(&f, "{\"/loop\": {\"status\": 302, "
		"\"headers\": {\"Location\": \"/loop\"}}}");
	get(&f, 0, "/loop");
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_REDIRECTS);
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 6);	/* 1 + 5 hops */
	cJSON_Delete(reqs);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_redirect_is_followed_to_its_target)
{
	struct fx f;

	fx_init(&f, "{\"/old\": {\"status\": 301, "
		"\"headers\": {\"Location\": \"/new\"}}, "
		"\"/new\": {\"body\": \"moved here\"}}");
	get(&f, 0, "/old");
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_OK);
	ck_assert_int_eq(f.got[0].status, 200);
	ck_assert_str_eq(f.got[0].body, "moved here");
	ck_assert_int_eq(f.got[0].attempts, 1);
	fx_done(&f);
}
END_TEST

/* --- retries -------------------------------------------------------------------- */

START_TEST(test_http_500_then_200_succeeds_with_retries)
{
	struct fx f;
	char *url;
	struct http_request req = { .retries = 3, .backoff_us = 50000,
				    .timeout_us = 5000000 };
	cJSON *reqs;

	fx_init(&f, "{\"/flaky\": {\"sequence\": [{\"status\": 500}, "
		"{\"status\": 503}, {\"body\": \"fine\"}]}}");
	url = fixsrv_url(&f.srv, NULL, "/flaky");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_OK);
	ck_assert_int_eq(f.got[0].status, 200);
	ck_assert_str_eq(f.got[0].body, "fine");
	ck_assert_int_eq(f.got[0].attempts, 3);
	/* back-offs of >= 25 ms then >= 50 ms (jitter keeps half) */
	ck_assert_msg(f.got[0].elapsed_us >= 75000, "elapsed %lld us",
		      (long long)f.got[0].elapsed_us);
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 3);
	cJSON_Delete(reqs);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_retries_exhausted_deliver_the_last_answer)
{
	struct fx f;
	char *url;
	struct http_request req = { .retries = 2, .backoff_us = 10000 };

	fx_init(&f, "{\"/down\": {\"status\": 502, \"body\": \"bad gateway\"}}");
	url = fixsrv_url(&f.srv, NULL, "/down");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_OK);
	ck_assert_int_eq(f.got[0].status, 502);
	ck_assert_int_eq(f.got[0].attempts, 3);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_429_retry_after_is_honoured)
{
	struct fx f;
	char *url;
	struct http_request req = { .retries = 2, .backoff_us = 10000 };

	fx_init(&f, "{\"/limited\": {\"sequence\": [{\"status\": 429, "
		"\"headers\": {\"Retry-After\": \"1\"}}, {\"body\": \"ok\"}]}}");
	url = fixsrv_url(&f.srv, NULL, "/limited");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].status, 200);
	ck_assert_int_eq(f.got[0].attempts, 2);
	ck_assert_msg(f.got[0].elapsed_us >= 950000 &&
		      f.got[0].elapsed_us < 3000000,
		      "waited %lld us, Retry-After said 1 s",
		      (long long)f.got[0].elapsed_us);
	free(url);
	fx_done(&f);
}
END_TEST

/* A Retry-After too large for any clock (2^63-1 seconds, a date in year
 * 9999) is "longer than we wait": the answer is delivered at once with
 * the wait capped, never an overflowed (negative) wait that retries. */
START_TEST(test_http_huge_retry_after_gives_up_without_overflow)
{
	static const char *const values[] = {
		"9223372036854775807", "99999999999999999999999",
		"Fri, 31 Dec 9999 23:59:59 GMT",
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct fx f;
		char *url, *routes;
		struct http_request req = { .retries = 2, .backoff_us = 1000 };

		fx_init(&f, "{}");
		routes = xasprintf("{\"/limited\": {\"sequence\": [{\"status\": "
				   "429, \"headers\": {\"Retry-After\": "
				   "\"%s\"}}, {\"body\": \"ok\"}]}}",
				   values[i]);
		fixsrv_set_routes(&f.srv, routes);
		url = fixsrv_url(&f.srv, NULL, "/limited");
		req.url = url;
		start(&f, 0, &req);
		run_until(&f, 1, 10);
		ck_assert_msg(f.got[0].status == 429, "%s: status %d",
			      values[i], f.got[0].status);
		ck_assert_int_eq(f.got[0].attempts, 1);
		ck_assert_msg(f.got[0].retry_after_us > 120 * 1000000LL,
			      "%s: retry_after_us %lld", values[i],
			      (long long)f.got[0].retry_after_us);
		free(routes);
		free(url);
		fx_done(&f);
	}
}
END_TEST

START_TEST(test_http_retry_after_as_http_date_is_honoured)
{
	struct fx f;
	char *url, *routes, date[64];
	struct http_request req = { .retries = 1, .backoff_us = 10000 };
	time_t when, t0;
	long long ahead_us;

	fx_init(&f, "{}");
	url = fixsrv_url(&f.srv, NULL, "/limited");
	req.url = url;
	/* The date is taken after the fixture server is up (that can take
	 * seconds on a busy machine), and the wait is judged against the
	 * whole seconds between the start and the date. */
	when = time(NULL) + 3;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&when));
	routes = xasprintf("{\"/limited\": {\"sequence\": [{\"status\": 503, "
			   "\"headers\": {\"Retry-After\": \"%s\"}}, "
			   "{\"body\": \"ok\"}]}}", date);
	fixsrv_set_routes(&f.srv, routes);
	t0 = time(NULL);
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].status, 200);
	ck_assert_int_eq(f.got[0].attempts, 2);
	/* The date is (when - t0) whole seconds ahead of the start: at
	 * least that less one second of waiting, and not much more. */
	ahead_us = (long long)(when - t0) * 1000000;
	ck_assert_msg(ahead_us >= 2000000, "setting the routes took %lld s",
		      (long long)(t0 - when + 3));
	ck_assert_msg(f.got[0].elapsed_us >= ahead_us - 1100000 &&
		      f.got[0].elapsed_us < ahead_us + 3000000,
		      "waited %lld us for a date %lld us ahead",
		      (long long)f.got[0].elapsed_us, ahead_us);
	free(routes);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_connect_errors_are_retried)
{
	struct fx f;
	char *url;
	struct http_request req = { .retries = 2, .backoff_us = 20000 };

	fx_init(&f, NULL);
	url = xasprintf("http://127.0.0.1:%d/x", fixsrv_free_port());
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_CONNECT);
	ck_assert_int_eq(f.got[0].attempts, 3);
	free(url);
	fx_done(&f);
}
END_TEST

/* --- credentials ---------------------------------------------------------------- */

START_TEST(test_http_token_goes_to_its_host_only)
{
	struct fx f;
	char *url;
	struct http_request req = { .bearer_token = "s3cr3t-token" };
	cJSON *reqs;

	fx_init(&f, "{\"/same\": {\"status\": 302, "
		"\"headers\": {\"Location\": \"/away\"}}, "
		"\"/away\": {\"status\": 302, \"headers\": {\"Location\": "
		"\"http://localhost:{PORT}/landing\"}}, "
		"\"/landing\": {\"body\": \"landed\"}}");
	url = fixsrv_url(&f.srv, NULL, "/same");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	ck_assert_str_eq(f.got[0].body, "landed");
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 3);
	ck_assert_str_eq(request_header(request_at(reqs, 0), "authorization"),
			 "Bearer s3cr3t-token");
	/* same host after a redirect: still its host */
	ck_assert_str_eq(request_header(request_at(reqs, 1), "authorization"),
			 "Bearer s3cr3t-token");
	ck_assert_str_eq(cJSON_GetObjectItem(request_at(reqs, 2),
					     "path")->valuestring, "/landing");
	ck_assert_ptr_null(request_header(request_at(reqs, 2),
					  "authorization"));
	cJSON_Delete(reqs);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_basic_auth_and_header_dropped_across_hosts)
{
	struct fx f;
	char *url;
	const char *hdrs[] = { "Authorization: Token abc", NULL };
	struct http_request req = { .headers = hdrs };
	struct http_request req2 = { .basic_auth = "ops:pa55" };
	cJSON *reqs;

	fx_init(&f, "{\"/away\": {\"status\": 307, \"headers\": {\"Location\": "
		"\"http://localhost:{PORT}/landing\"}}, "
		"\"/landing\": {\"body\": \"landed\"}, \"/b\": {\"body\": \"b\"}}");
	url = fixsrv_url(&f.srv, NULL, "/away");
	req.url = url;
	start(&f, 0, &req);
	run_until(&f, 1, 10);
	free(url);
	url = fixsrv_url(&f.srv, NULL, "/b");
	req2.url = url;
	start(&f, 1, &req2);
	run_until(&f, 2, 10);
	reqs = fixsrv_requests(&f.srv);
	ck_assert_str_eq(request_header(request_at(reqs, 0), "authorization"),
			 "Token abc");
	ck_assert_ptr_null(request_header(request_at(reqs, 1),
					  "authorization"));
	ck_assert_str_eq(request_header(request_at(reqs, 2), "authorization"),
			 "Basic b3BzOnBhNTU=");
	cJSON_Delete(reqs);
	free(url);
	fx_done(&f);
}
END_TEST

/* --- lifetime ------------------------------------------------------------------- */

START_TEST(test_http_cancel_reports_cancelled_at_once)
{
	struct fx f;
	uint64_t id;

	fx_init(&f, "{\"/hang\": {\"hang\": true}}");
	id = get(&f, 0, "/hang");
	for (int i = 0; i < 5; i++)
		loop_run_once(f.loop, 20000);
	ck_assert_int_eq(f.got[0].done, 0);
	http_cancel(f.h, id);
	ck_assert_int_eq(f.got[0].done, 1);
	ck_assert_int_eq(f.got[0].result, HTTP_ERR_CANCELLED);
	ck_assert_uint_eq(http_pending(f.h), 0);
	http_cancel(f.h, id);		/* harmless twice */
	http_cancel(f.h, 12345);	/* and for unknown ids */
	for (int i = 0; i < 5; i++)
		loop_run_once(f.loop, 10000);
	ck_assert_int_eq(f.got[0].done, 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_http_many_concurrent_requests_all_finish)
{
	struct fx f;

	fx_init(&f, "{\"/a\": {\"body\": \"x\", \"delay_ms\": 50}}");
	for (int i = 0; i < MAX_GOT; i++)
		get(&f, i, "/a");
	ck_assert_uint_eq(http_pending(f.h), MAX_GOT);
	run_until(&f, MAX_GOT, 20);
	for (int i = 0; i < MAX_GOT; i++) {
		ck_assert_int_eq(f.got[i].done, 1);
		ck_assert_msg(f.got[i].status == 200, "request %d: %s %s", i,
			      http_result_name(f.got[i].result),
			      f.got[i].error);
		ck_assert_str_eq(f.got[i].body, "x");
	}
	fx_done(&f);
}
END_TEST

START_TEST(test_http_free_with_transfers_in_flight)
{
	struct fx f;
	char *url;
	struct http_request req = { .retries = 5, .backoff_us = 5000000 };

	fx_init(&f, "{\"/hang\": {\"hang\": true}, \"/e\": {\"status\": 500}, "
		"\"/slow\": {\"delay_ms\": 60000}}");
	for (int i = 0; i < 4; i++)
		get(&f, i, "/hang");
	for (int i = 4; i < 8; i++)
		get(&f, i, "/slow");
	url = fixsrv_url(&f.srv, NULL, "/e");
	req.url = url;
	start(&f, 8, &req);	/* will sit waiting for a retry */
	for (int i = 0; i < 20; i++)
		loop_run_once(f.loop, 10000);
	ck_assert_uint_eq(http_pending(f.h), 9);
	http_free(f.h);
	f.h = NULL;
	for (int i = 0; i < 40; i++)
		loop_run_once(f.loop, 10000);
	ck_assert_int_eq(n_done(&f, 9), 0);	/* no callback after free */
	free(url);
	fx_done(&f);
}
END_TEST

struct chain {
	struct fx *f;
	char *url;
	int n;
};

static void
on_chain_done(const struct http_response *r, void *arg)
{
	struct chain *c = arg;
	struct http_request req = { .url = c->url };

	ck_assert_int_eq(r->status, 200);
	if (++c->n < 3)
		ck_assert(http_start(c->f->h, &req, on_chain_done, c, NULL) > 0);
}

START_TEST(test_http_start_from_a_callback_chains)
{
	struct fx f;
	struct chain c = { &f, NULL, 0 };
	struct http_request req = { 0 };
	const struct clock *clk = clock_system();
	int64_t end;

	fx_init(&f, "{\"/a\": {\"body\": \"x\"}}");
	c.url = fixsrv_url(&f.srv, NULL, "/a");
	req.url = c.url;
	ck_assert(http_start(f.h, &req, on_chain_done, &c, NULL) > 0);
	end = clock_mono_now(clk) + (int64_t)(10000000 * tu_slack());
	while (c.n < 3 && clock_mono_now(clk) < end)
		loop_run_once(f.loop, 50000);
	ck_assert_int_eq(c.n, 3);
	free(c.url);
	fx_done(&f);
}
END_TEST

/* --- URL helpers ---------------------------------------------------------------- */

START_TEST(test_http_url_helpers)
{
	struct fx f;
	struct http_request req = { .url = "ftp://127.0.0.1/x" };
	char *s;

	fx_init(&f, NULL);
	ck_assert(http_start(f.h, &req, on_done, &f.got[0], &f.err) == 0);
	ck_assert_msg(strstr(f.err.msg, "ftp://") != NULL, "%s", f.err.msg);
	req.url = "not a url";
	ck_assert(http_start(f.h, &req, on_done, &f.got[0], &f.err) == 0);
	s = http_url_host("https://User:pw@Registry.Example.COM:8443/a/b?q=1");
	ck_assert_str_eq(s, "registry.example.com");
	free(s);
	ck_assert_ptr_null(http_url_host("::nonsense"));
	s = http_url_redacted("https://u:p@hooks.example.com/services/T0/B0/"
			      "XYZ?token=1");
	ck_assert_str_eq(s, "https://hooks.example.com/...");
	free(s);
	s = http_url_redacted("http://127.0.0.1:8080/");
	ck_assert_str_eq(s, "http://127.0.0.1:8080/");
	free(s);
	s = http_url_redacted("garbage");
	ck_assert_ptr_null(strstr(s, "garbage"));
	free(s);
	ck_assert_str_eq(http_result_name(HTTP_ERR_TIMEOUT), "timeout");
	ck_assert_str_eq(http_result_name(HTTP_ERR_TRUNCATED), "truncated");
	fx_done(&f);
}
END_TEST

static Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc;
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "200", test_http_200_delivers_body_and_headers },
		{ "status", test_http_404_and_500_are_answers_with_their_status },
		{ "post", test_http_post_sends_method_body_and_headers },
		{ "refused", test_http_connection_refused_is_connect_error },
		{ "hang", test_http_server_that_never_answers_times_out_in_bound },
		{ "truncated", test_http_truncated_body_is_truncated },
		{ "big", test_http_50mb_body_is_too_big_with_memory_bounded },
		{ "big-default", test_http_body_over_limit_without_length_is_aborted },
		{ "redirect-loop", test_http_redirect_loop_is_redirects_error },
		{ "redirect", test_http_redirect_is_followed_to_its_target },
		{ "retry-5xx", test_http_500_then_200_succeeds_with_retries },
		{ "retry-exhausted", test_http_retries_exhausted_deliver_the_last_answer },
		{ "retry-429", test_http_429_retry_after_is_honoured },
		{ "retry-date", test_http_retry_after_as_http_date_is_honoured },
		{ "retry-huge", test_http_huge_retry_after_gives_up_without_overflow },
		{ "retry-connect", test_http_connect_errors_are_retried },
		{ "token", test_http_token_goes_to_its_host_only },
		{ "auth-cross-host", test_http_basic_auth_and_header_dropped_across_hosts },
		{ "cancel", test_http_cancel_reports_cancelled_at_once },
		{ "concurrent", test_http_many_concurrent_requests_all_finish },
		{ "free-in-flight", test_http_free_with_transfers_in_flight },
		{ "chain", test_http_start_from_a_callback_chains },
		{ "url", test_http_url_helpers },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tc = tcase_create(cases[i].name);
		tcase_set_timeout(tc, 30);
		tcase_add_test(tc, cases[i].test);
		suite_add_tcase(s, tc);
	}
	tc = tcase_create("no-status-line");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_http_answer_without_status_line_is_an_error,
			    0, (int)(sizeof(no_status_answers) /
				     sizeof(*no_status_answers)));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(http_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
