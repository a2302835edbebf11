/* Registry watchers against a real HTTP server on loopback (the fixture
 * server, tests/fixtures/fixsrv.py): npm documents, PyPI's JSON API and
 * PEP 691 pages (a stand-in: the public PyPI cannot be reached from the
 * tests), conditional refreshes, auto-refresh, every fault the pane must
 * survive, the disk cache, and the token going only where it belongs. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "fixsrv.h"
#include "http.h"
#include "loop.h"
#include "reg_backend.h"
#include "regconf.h"
#include "regwatch.h"
#include "testutil.h"
#include "xalloc.h"

#define TOKEN "s3cret-token-for-loopback"

struct fx {
	char *tmp;
	struct fixsrv srv;
	int has_srv;
	struct loop *loop;
	struct http *h;
	struct regwatch *w;
	struct regconf_opts conf;
	struct regwatch_opts o;
	char cache[1024];
	char none[1024];
	int n_cb;
};

static void
on_answer(const struct reg_answer *a, void *arg)
{
	struct fx *f = arg;

	(void)a;
	f->n_cb++;
}

/* A hermetic environment: only PATH (for python3) and the test's
 * directories survive. */
static void
keep_only_test_env(void)
{
	const char *names[] = { "PATH", "REWIND_SRCDIR", "REWIND_BUILDDIR",
				"TMPDIR" };
	char *vals[4];

	for (int i = 0; i < 4; i++)
		vals[i] = getenv(names[i]) ? xstrdup(getenv(names[i])) : NULL;
	clearenv();
	for (int i = 0; i < 4; i++) {
		if (vals[i])
			setenv(names[i], vals[i], 1);
		free(vals[i]);
	}
}

static void
fx_init(struct fx *f, const char *routes)
{
	char home[1024];
	struct err err = { 0 };

	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	keep_only_test_env();
	snprintf(home, sizeof(home), "%s/home", f->tmp);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	snprintf(f->cache, sizeof(f->cache), "%s/cache/rewind/registry",
		 f->tmp);
	snprintf(f->none, sizeof(f->none), "%s/none", f->tmp);
	f->conf.project_dir = f->tmp;
	f->conf.etc_dir = f->none;
	f->conf.npm_global_rc = f->none;
	f->o.conf = &f->conf;
	f->o.cache_dir = f->cache;
	f->o.refresh_us = -1;
	f->o.retries = -1;
	f->o.timeout_us = 2000000;
	if (routes) {
		fixsrv_start(&f->srv, f->tmp, routes);
		f->has_srv = 1;
	}
	f->loop = loop_new(NULL);
	f->h = http_new(f->loop, &err);
	ck_assert_msg(f->h != NULL, "%s", err.msg);
}

static void
fx_done(struct fx *f)
{
	regwatch_free(f->w);
	http_free(f->h);
	loop_free(f->loop);
	if (f->has_srv)
		fixsrv_stop(&f->srv);
	tu_rmtree(f->tmp);
	free(f->tmp);
}

static void
watch(struct fx *f, enum reg_type t, const char *pkg, const char *url)
{
	f->w = regwatch_new(f->loop, f->h, t, pkg, url, &f->o, on_answer, f);
}

static char *
srv_url(struct fx *f)
{
	return fixsrv_url(&f->srv, NULL, "/");
}

/* Run the loop until CB was called N times in all (at most MAX_S). */
static void
wait_cb(struct fx *f, int n, double max_s)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(max_s * 1e6);

	while (f->n_cb < n && clock_mono_now(c) < end)
		loop_run_once(f->loop, 50000);
	ck_assert_msg(f->n_cb >= n, "%d of %d answers after %.1fs", f->n_cb, n,
		      max_s);
}

/* Run the loop until no fetch is in flight (at most MAX_S). */
static void
wait_idle(struct fx *f, double max_s)
{
	const struct clock *c = clock_system();
	int64_t end = clock_mono_now(c) + (int64_t)(max_s * 1e6);

	loop_run_once(f->loop, 0);
	while (regwatch_is_busy(f->w) && clock_mono_now(c) < end)
		loop_run_once(f->loop, 50000);
	ck_assert(!regwatch_is_busy(f->w));
}

static char *
fixture(const char *name)
{
	return tu_fixture(name);
}

static const char *
req_header(cJSON *reqs, int i, const char *name)
{
	cJSON *r = cJSON_GetArrayItem(reqs, i);
	cJSON *h = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "headers"), name);

	return cJSON_IsString(h) ? h->valuestring : NULL;
}

/* The token comes from ~/.npmrc for the registry's own host and port. */
START_TEST(test_regwatch_npm_first_fetch_with_accept_and_token)
{
	char *doc = fixture("registry/npm-mirror.json");
	char routes[2048], rc[512];
	struct fx f;
	const struct reg_answer *a;
	cJSON *reqs;
	char *url;

	snprintf(routes, sizeof(routes), "{\"/rewind-fixture\": {\"headers\":"
		 " {\"Content-Type\": \"application/json\", \"ETag\": "
		 "\"\\\"v1\\\"\"}, \"body_file\": \"%s\"}}", doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	snprintf(rc, sizeof(rc), "registry=%s\n//127.0.0.1:%d/:_authToken="
		 TOKEN "\n", url, f.srv.port);
	free(tu_write_file(getenv("HOME"), ".npmrc", rc, strlen(rc)));
	watch(&f, REG_NPM, "rewind-fixture", NULL);
	wait_cb(&f, 1, 10);
	a = regwatch_answer(f.w);
	ck_assert_msg(a->error == NULL, "%s", a->error);
	ck_assert(a->has_data && !a->stale);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.2.3");
	ck_assert_uint_eq(a->n_versions, 6);
	ck_assert_str_eq(a->etag, "\"v1\"");
	ck_assert(a->fetched_at_us > 0);
	reqs = fixsrv_requests(&f.srv);
	ck_assert_str_eq(req_header(reqs, 0, "accept"),
			 "application/vnd.npm.install-v1+json; q=1.0, "
			 "application/json; q=0.8");
	ck_assert_str_eq(req_header(reqs, 0, "authorization"),
			 "Bearer " TOKEN);
	cJSON_Delete(reqs);
	free(url);
	free(doc);
	fx_done(&f);
}
END_TEST

/* A refresh sends If-None-Match; a 304 keeps the answer, moves
 * fetched_at and is not a visible change. */
START_TEST(test_regwatch_etag_refresh_304_keeps_answer)
{
	char *doc = fixture("registry/npm-mirror.json");
	char routes[2048];
	struct fx f;
	const struct reg_answer *a;
	int64_t first;
	cJSON *reqs;
	char *url;

	snprintf(routes, sizeof(routes), "{\"/rewind-fixture\": {\"sequence\":"
		 " [{\"headers\": {\"ETag\": \"W/\\\"e1\\\"\", \"Last-Modified\":"
		 " \"Sat, 21 Nov 2026 10:00:00 GMT\"}, \"body_file\": \"%s\"},"
		 " {\"status\": 304, \"headers\": {\"ETag\": \"W/\\\"e1\\\"\"}}]"
		 "}}", doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	watch(&f, REG_NPM, "rewind-fixture", url);
	wait_cb(&f, 1, 10);
	first = regwatch_answer(f.w)->fetched_at_us;
	regwatch_refresh(f.w);
	ck_assert(regwatch_is_busy(f.w));
	wait_idle(&f, 10);
	a = regwatch_answer(f.w);
	ck_assert_int_eq(f.n_cb, 1);
	ck_assert(a->fetched_at_us > first);
	ck_assert(!a->stale && !a->error);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.2.3");
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	ck_assert_ptr_null(req_header(reqs, 0, "if-none-match"));
	ck_assert_str_eq(req_header(reqs, 1, "if-none-match"), "W/\"e1\"");
	ck_assert_str_eq(req_header(reqs, 1, "if-modified-since"),
			 "Sat, 21 Nov 2026 10:00:00 GMT");
	cJSON_Delete(reqs);
	free(url);
	free(doc);
	fx_done(&f);
}
END_TEST

START_TEST(test_regwatch_auto_refresh_sees_moved_dist_tag)
{
	static const char routes[] =
		"{\"/@scope%2fpkg\": {\"sequence\": ["
		"{\"body\": {\"dist-tags\": {\"latest\": \"1.2.3\"}, "
		"\"versions\": {\"1.2.2\": {}, \"1.2.3\": {}}}},"
		"{\"body\": {\"dist-tags\": {\"latest\": \"1.2.2\"}, "
		"\"versions\": {\"1.2.2\": {}, \"1.2.3\": {\"deprecated\": "
		"\"bad\"}}}}]}}";
	struct fx f;
	const struct reg_answer *a;
	char *url;

	fx_init(&f, routes);
	f.o.refresh_us = 200000;
	url = srv_url(&f);
	watch(&f, REG_NPM, "@scope/pkg", url);
	ck_assert_int_eq(regwatch_refresh_interval(f.w), 200000);
	wait_cb(&f, 1, 10);
	ck_assert_str_eq(reg_answer_tag(regwatch_answer(f.w), "latest"),
			 "1.2.3");
	wait_cb(&f, 2, 5);
	a = regwatch_answer(f.w);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.2.2");
	ck_assert_str_eq(reg_answer_find(a, "1.2.3")->deprecated, "bad");
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_regwatch_refresh_interval_from_environment)
{
	struct fx f;

	fx_init(&f, NULL);
	f.o.refresh_us = 0;
	setenv("REWIND_REGISTRY_REFRESH", "2m", 1);
	watch(&f, REG_NPM, "p", "http://127.0.0.1:9/");
	ck_assert(regwatch_refresh_interval(f.w) == 120000000LL);
	regwatch_free(f.w);
	unsetenv("REWIND_REGISTRY_REFRESH");
	watch(&f, REG_NPM, "p", "http://127.0.0.1:9/");
	ck_assert(regwatch_refresh_interval(f.w) ==
		  REGWATCH_DEFAULT_REFRESH_S * 1000000LL);
	fx_done(&f);
}
END_TEST

static const char good_doc[] = "{\"body\": {\"dist-tags\": {\"latest\": "
			       "\"1.0.0\"}, \"versions\": {\"1.0.0\": {}}}}";

static const struct {
	const char *name;
	const char *variant;	/* the second answer */
	const char *extra;	/* more routes, or "" */
	const char *msg;	/* expected in the error */
} faults[] = {
	{ "404", "{\"status\": 404, \"body\": \"\"}", "",
	  "unknown package pkg (HTTP 404)" },
	{ "500", "{\"status\": 500, \"body\": \"oops\"}", "", ": HTTP 500" },
	{ "429", "{\"status\": 429, \"headers\": {\"Retry-After\": \"7\"}}",
	  "", "HTTP 429: rate limited, retry after 7s" },
	{ "garbage", "{\"body\": \"<html>\\u001b[31mnope</html>\"}", "",
	  "npm document: not JSON" },
	{ "truncated JSON", "{\"body\": \"{\\\"versions\\\": {\\\"1.0\"}", "",
	  "npm document: truncated JSON" },
	{ "cut connection", "{\"body\": \"{}\", \"truncate\": 1000}", "",
	  "127.0.0.1:" },
	{ "wrong type", "{\"body\": {\"versions\": {\"1.0.0\": []}}}", "",
	  "versions.1.0.0: expected an object, got a list" },
	{ "50 MB", "{\"generate\": 52428800}", "",
	  "answer larger than 33554432 bytes" },
	{ "never answers", "{\"hang\": true}", "", "127.0.0.1:" },
	{ "redirect loop", "{\"status\": 302, \"headers\": {\"Location\": "
	  "\"/loop\"}}", ", \"/loop\": {\"status\": 302, \"headers\": "
	  "{\"Location\": \"/pkg\"}}", "more than 5 redirects" },
};

/* Each fault after a good answer: a clear message, the data kept and
 * marked stale, the callback told. */
START_TEST(test_regwatch_fault_keeps_last_good_answer_stale)
{
	char routes[2048];
	struct fx f;
	const struct reg_answer *a;
	char *url;

	snprintf(routes, sizeof(routes), "{\"/pkg\": {\"sequence\": [%s, %s]}"
		 "%s}", good_doc, faults[_i].variant, faults[_i].extra);
	fx_init(&f, routes);
	f.o.timeout_us = 1000000;
	url = srv_url(&f);
	watch(&f, REG_NPM, "pkg", url);
	wait_cb(&f, 1, 10);
	ck_assert(!regwatch_answer(f.w)->error);
	regwatch_refresh(f.w);
	wait_cb(&f, 2, 10);
	a = regwatch_answer(f.w);
	ck_assert_msg(a->error && strstr(a->error, faults[_i].msg),
		      "%s: got \"%s\", want \"%s\"", faults[_i].name,
		      a->error ? a->error : "(none)", faults[_i].msg);
	ck_assert(a->stale && a->has_data);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.0.0");
	free(url);
	fx_done(&f);
}
END_TEST

/* The last good answer survives a restart in the disk cache (0600, no
 * token inside) and shows stale while the registry refuses connections. */
START_TEST(test_regwatch_disk_cache_shown_stale_when_refused)
{
	char routes[512], rc[512];
	struct fx f;
	const struct reg_answer *a;
	struct stat st;
	char *url, *path, *text;

	snprintf(routes, sizeof(routes), "{\"/pkg\": %s}", good_doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	snprintf(rc, sizeof(rc), "//127.0.0.1:%d/:_authToken=" TOKEN "\n",
		 f.srv.port);
	free(tu_write_file(getenv("HOME"), ".npmrc", rc, strlen(rc)));
	watch(&f, REG_NPM, "pkg", url);
	wait_cb(&f, 1, 10);
	text = xasprintf("%spkg", url);
	path = regwatch_cache_path(f.cache, text);
	free(text);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	text = tu_read_file(path, NULL);
	ck_assert_ptr_null(strstr(text, TOKEN));
	ck_assert_ptr_nonnull(strstr(text, "\"latest\":\"1.0.0\""));
	free(text);
	regwatch_free(f.w);
	f.w = NULL;
	fixsrv_stop(&f.srv);
	f.has_srv = 0;
	f.n_cb = 0;
	watch(&f, REG_NPM, "pkg", url);
	wait_cb(&f, 1, 10);
	a = regwatch_answer(f.w);
	ck_assert(a->has_data && a->stale);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.0.0");
	ck_assert_msg(a->error && strstr(a->error, "127.0.0.1:"), "%s",
		      a->error);
	ck_assert(a->fetched_at_us > 0);
	free(path);
	free(url);
	fx_done(&f);
}
END_TEST

START_TEST(test_regwatch_pypi_json_api)
{
	char *doc = fixture("registry/pypi-json.json");
	char routes[1024];
	struct fx f;
	const struct reg_answer *a;
	char *url, *index;

	snprintf(routes, sizeof(routes), "{\"/pypi/rewind-fixture/json\": "
		 "{\"headers\": {\"Content-Type\": \"application/json\"}, "
		 "\"body_file\": \"%s\"}}", doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	index = xasprintf("%ssimple", url);
	setenv("PIP_INDEX_URL", index, 1);
	watch(&f, REG_PYPI, "rewind-fixture", NULL);
	wait_cb(&f, 1, 10);
	a = regwatch_answer(f.w);
	ck_assert_msg(!a->error, "%s", a->error);
	ck_assert_uint_eq(a->n_versions, 5);
	ck_assert(reg_answer_find(a, "1.3.0")->yanked);
	ck_assert_str_eq(reg_answer_latest_stable(a), "1.3.2");
	free(index);
	free(url);
	free(doc);
	fx_done(&f);
}
END_TEST

/* An index without the JSON API: the PEP 691 page, asked for by Accept. */
START_TEST(test_regwatch_pypi_simple_api_fallback)
{
	char *doc = fixture("registry/pypi-simple.json");
	char routes[1024];
	struct fx f;
	const struct reg_answer *a;
	cJSON *reqs;
	char *url;

	snprintf(routes, sizeof(routes), "{\"/simple/rewind-fixture/\": ["
		 "{\"accept\": \"application/vnd.pypi.simple.v1+json\", "
		 "\"headers\": {\"Content-Type\": "
		 "\"application/vnd.pypi.simple.v1+json\"}, \"body_file\": "
		 "\"%s\"}, {\"headers\": {\"Content-Type\": \"text/html\"}, "
		 "\"body\": \"<html></html>\"}]}", doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	watch(&f, REG_PYPI, "Rewind_Fixture", url);
	wait_cb(&f, 1, 10);
	a = regwatch_answer(f.w);
	ck_assert_msg(!a->error, "%s", a->error);
	ck_assert_uint_eq(a->n_versions, 5);
	ck_assert_str_eq(a->versions[2].version, "1.3.1");
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, 1),
					     "path")->valuestring,
			 "/simple/rewind-fixture/");
	ck_assert_ptr_nonnull(strstr(req_header(reqs, 1, "accept"),
				     "application/vnd.pypi.simple.v1+json"));
	cJSON_Delete(reqs);
	free(url);
	free(doc);
	fx_done(&f);
}
END_TEST

START_TEST(test_regwatch_nothing_configured_is_reported)
{
	struct fx f;
	const struct reg_answer *a;

	fx_init(&f, NULL);
	watch(&f, REG_NPM, "pkg", NULL);
	wait_cb(&f, 1, 5);
	a = regwatch_answer(f.w);
	ck_assert(!a->has_data);
	ck_assert_ptr_nonnull(strstr(a->error, "no npm registry configured "
				     "for pkg"));
	fx_done(&f);
}
END_TEST

/* A Cargo registry, a row of the backend table like npm and PyPI: asked
 * at the playbook's API root for /api/v1/crates/NAME with JSON accepted;
 * without a URL it says what to set (Cargo's configuration names only an
 * index). */
START_TEST(test_regwatch_crates_api)
{
	char *doc = fixture("registry/crates.json");
	char routes[1024];
	struct fx f;
	const struct reg_answer *a;
	cJSON *reqs;
	char *url, *api;

	snprintf(routes, sizeof(routes), "{\"/cargo/api/v1/crates/"
		 "rewind-fixture\": {\"headers\": {\"Content-Type\": "
		 "\"application/json\"}, \"body_file\": \"%s\"}}", doc);
	fx_init(&f, routes);
	url = srv_url(&f);
	api = xasprintf("%scargo", url);
	watch(&f, REG_CRATES, "rewind-fixture", api);
	wait_cb(&f, 1, 10);
	a = regwatch_answer(f.w);
	ck_assert_msg(!a->error, "%s", a->error);
	ck_assert_uint_eq(a->n_versions, 5);
	ck_assert(reg_answer_find(a, "1.5.0")->yanked);
	ck_assert_str_eq(reg_answer_latest_stable(a), "1.4.1");
	reqs = fixsrv_requests(&f.srv);
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 1);
	ck_assert_str_eq(req_header(reqs, 0, "accept"), "application/json");
	cJSON_Delete(reqs);
	fx_done(&f);

	fx_init(&f, NULL);
	watch(&f, REG_CRATES, "rewind-fixture", NULL);
	wait_cb(&f, 1, 5);
	a = regwatch_answer(f.w);
	ck_assert(!a->has_data);
	ck_assert_msg(strstr(a->error, "no Cargo registry API for "
			     "rewind-fixture: set the playbook's "
			     "targets.registry[].url"), "%s", a->error);
	fx_done(&f);
	free(api);
	free(url);
	free(doc);
}
END_TEST

static Suite *
regwatch_suite(void)
{
	Suite *s = suite_create("regwatch");
	TCase *tc = tcase_create("regwatch");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_regwatch_npm_first_fetch_with_accept_and_token);
	tcase_add_test(tc, test_regwatch_etag_refresh_304_keeps_answer);
	tcase_add_test(tc, test_regwatch_auto_refresh_sees_moved_dist_tag);
	tcase_add_test(tc, test_regwatch_refresh_interval_from_environment);
	tcase_add_loop_test(tc, test_regwatch_fault_keeps_last_good_answer_stale,
			    0, sizeof(faults) / sizeof(faults[0]));
	tcase_add_test(tc, test_regwatch_disk_cache_shown_stale_when_refused);
	tcase_add_test(tc, test_regwatch_pypi_json_api);
	tcase_add_test(tc, test_regwatch_pypi_simple_api_fallback);
	tcase_add_test(tc, test_regwatch_nothing_configured_is_reported);
	tcase_add_test(tc, test_regwatch_crates_api);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(regwatch_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
