/* Registry answers: version order, the npm / PyPI parsers on documents
 * shaped as the registries serve them, every kind of bad input, the
 * compact JSON and the drill scenarios' shapes, and the probe checks. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "playbook.h"
#include "reg_backend.h"
#include "registry.h"
#include "testutil.h"
#include "xalloc.h"

static const struct {
	const char *a, *b;
	int sign;
} order[] = {
	{ "1.2.3", "1.2.10", -1 },
	{ "1.2.10", "1.10.0", -1 },
	{ "1.3.0-beta.1", "1.3.0", -1 },
	{ "1.3.0-beta.2", "1.3.0-beta.11", -1 },
	{ "1.3.0-alpha", "1.3.0-alpha.1", -1 },
	{ "1.3.0-alpha.beta", "1.3.0-beta", -1 },
	{ "1.3.0-beta.2", "1.3.0-canary.7", -1 },
	{ "1.0.0-rc.1", "1.0.0", -1 },
	{ "v1.2.3", "1.2.3", 0 },
	{ "1.2.3+build.5", "1.2.3", 0 },
	{ "2.0.0", "10.0.0", -1 },
	{ "1.0rc1", "1.0", -1 },
	{ "1.0rc2", "1.0rc10", -1 },
	{ "1.0a1", "1.0b1", -1 },
	{ "1.0b2", "1.0rc1", -1 },
	{ "1.0", "1.0.post1", -1 },
	{ "1.0", "1.0.0", 0 },
	{ "1.4.0rc1", "1.3.2", 1 },
	{ "1.3", "1.3.1", -1 },
	{ "0.9", "1.0.dev1", -1 },
	{ "1.0.dev1", "1.0", -1 },
	/* issue 16, defect 8: one order across SemVer and PEP 440 */
	{ "1.0.0-post1", "1.0", -1 },	/* SemVer: a pre-release of 1.0.0 */
	{ "1.0.0-post1", "1.0.0", -1 },
	{ "1.0.0-r1", "1.0.0", -1 },
	{ "1.0.0-r1", "1.0.post1", -1 },
	{ "1.0.0", "1.0.post1", -1 },
	{ "1.0-r1", "1.0.post1", 0 },	/* PEP 440 spells post-releases so */
	{ "1.0-1", "1.0.post1", 0 },
	{ "1.0rc1", "1.0.0-rc.1", -1 },	/* PEP 440 pre-releases first */
	{ "1.0.0-rc.1", "1.0-hotfix", -1 }, /* then SemVer, then other */
	{ "1.0.dev1", "1.0a1", -1 },
	{ "1.0a1.dev1", "1.0a1", -1 },
	{ "1.0a1", "1.0a1.post1", -1 },
	{ "1.0", "1.0.post1.dev1", -1 },
	{ "1.0.post1.dev1", "1.0.post1", -1 },
	{ "1.0-beta-2", "1.0b2", 0 },
	{ "1.0", "1.0+ubuntu1", -1 },
	{ "1.0+ubuntu1", "1.0+ubuntu2", -1 },
	{ "1.0+abc", "1.0+1", -1 },
	{ "1.0.0+build.7", "1.0", 0 },
	{ "1!0.1", "2.0", 1 },
	{ "99999999999999999999999.0", "1.0", 1 },
	{ "", "0", -1 },
	{ "latest", "0.1", -1 },
	{ "1.0-hotfix", "1.0-hotfiy", -1 },
};

static int
sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

START_TEST(test_registry_version_order_table)
{
	ck_assert_msg(sign(registry_version_cmp(order[_i].a, order[_i].b)) ==
		      order[_i].sign, "%s vs %s", order[_i].a, order[_i].b);
	ck_assert_int_eq(sign(registry_version_cmp(order[_i].b, order[_i].a)),
			 -order[_i].sign);
}
END_TEST

/* Versions built from releases, suffixes and prefixes of every scheme
 * (SemVer, PEP 440 spellings, neither); a new string each, caller frees. */
static char **
generated_versions(size_t *n)
{
	static const char *const release[] = {
		"0", "1", "1.0", "1.0.0", "1.2", "01.2.3", "10.0.0", "2!1.0",
		"", ".1", "1..2",
	};
	static const char *const suffix[] = {
		"", "-1", "-r1", "-post1", ".post1", "post2", "rc1", "c1",
		"-rc.1", "-beta.2", "-beta.11", "a1", "-alpha", "alpha",
		".dev1", "dev", "a1.dev1", ".post1.dev1", "+local",
		"+build.5", "+1.abc", "-0", "foo", "-foo", "-x.7", "-", ".",
		"!", "rc", "-RC.1",
	};
	static const char *const prefix[] = { "", "v" };
	size_t max = sizeof(release) / sizeof(*release) *
		     (sizeof(suffix) / sizeof(*suffix)) * 2;
	char **v = xcalloc(max, sizeof(*v));

	*n = 0;
	for (size_t p = 0; p < 2; p++)
		for (size_t r = 0; r < sizeof(release) / sizeof(*release); r++)
			for (size_t x = 0; x < sizeof(suffix) / sizeof(*suffix);
			     x++)
				v[(*n)++] = xasprintf("%s%s%s", prefix[p],
						      release[r], suffix[x]);
	return v;
}

static int
cmp_for_qsort(const void *x, const void *y)
{
	return registry_version_cmp(*(char *const *)x, *(char *const *)y);
}

/* A total order: sort the versions, number the runs of equal neighbours,
 * and every pair must compare as its numbers do (both ways round). That
 * holds exactly when the relation is reflexive, antisymmetric and
 * transitive; a triple that breaks it fails with its names. */
START_TEST(test_registry_version_order_is_total)
{
	size_t n, bad = 0;
	char **v = generated_versions(&n);
	size_t *group = xcalloc(n, sizeof(*group));

	qsort(v, n, sizeof(*v), cmp_for_qsort);
	for (size_t i = 1; i < n; i++)
		group[i] = group[i - 1] +
			   (registry_version_cmp(v[i - 1], v[i]) != 0);
	for (size_t i = 0; i < n && bad < 5; i++)
		for (size_t k = 0; k < n && bad < 5; k++) {
			int want = group[i] < group[k] ? -1 : group[i] > group[k];
			int got = sign(registry_version_cmp(v[i], v[k]));

			if (got != want) {
				fprintf(stderr, "\"%s\" vs \"%s\": %d, the "
					"order says %d\n", v[i], v[k], got, want);
				bad++;
			}
		}
	ck_assert_msg(bad == 0, "registry_version_cmp is not a total order "
		      "on %zu generated versions (see above)", n);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(group);
}
END_TEST

START_TEST(test_registry_prerelease_per_type)
{
	ck_assert(registry_version_is_prerelease(REG_NPM, "1.3.0-beta.1"));
	ck_assert(!registry_version_is_prerelease(REG_NPM, "1.3.0"));
	ck_assert(!registry_version_is_prerelease(REG_NPM, "1.3.0+b1"));
	ck_assert(registry_version_is_prerelease(REG_NPM, "v2.0.0-rc.1"));
	ck_assert(registry_version_is_prerelease(REG_CRATES, "0.9.0-alpha.2"));
	ck_assert(!registry_version_is_prerelease(REG_CRATES, "0.9.0"));
	ck_assert(!registry_version_is_prerelease(REG_CRATES, "0.9.0+b1"));
	ck_assert(registry_version_is_prerelease(REG_PYPI, "1.4.0rc1"));
	ck_assert(registry_version_is_prerelease(REG_PYPI, "2.0a3"));
	ck_assert(registry_version_is_prerelease(REG_PYPI, "1.0.dev3"));
	ck_assert(!registry_version_is_prerelease(REG_PYPI, "1.0.post2"));
	ck_assert(!registry_version_is_prerelease(REG_PYPI, "1.3.2"));
	ck_assert(!registry_version_is_prerelease(REG_PYPI, "1.3.2+local"));
	/* PEP 440: a development release of a post-release is a pre-release */
	ck_assert(registry_version_is_prerelease(REG_PYPI, "1.0.post1.dev1"));
}
END_TEST

/* A version known only by its value takes the rule of the registries the
 * playbook watches; with none, any row's rule. */
START_TEST(test_registry_prerelease_by_the_playbooks_registries)
{
	static const struct {
		int types;	/* bits of enum reg_type; 0: no registry */
		const char *v;
		int pre;
	} cases[] = {
		{ 1 << REG_PYPI, "2.0rc1", 1 },
		{ 1 << REG_PYPI, "1.4.0.dev2", 1 },
		{ 1 << REG_PYPI, "2.0.post1", 0 },
		{ 1 << REG_NPM, "2.0.0-rc.1", 1 },
		{ 1 << REG_NPM, "2.0rc1", 0 },
		{ 1 << REG_CRATES, "0.9.0-alpha.2", 1 },
		{ 1 << REG_NPM | 1 << REG_PYPI, "2.0rc1", 1 },
		{ 1 << REG_NPM | 1 << REG_PYPI, "2.0.0", 0 },
		{ 0, "2.0rc1", 1 },
		{ 0, "2.0.0-beta.1", 1 },
		{ 0, "2.0.1", 0 },
	};
	struct pb_registry regs[REG_TYPE_COUNT] = { 0 };
	struct playbook pb = { 0 };

	pb.targets.registries = regs;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pb.targets.n_registries = 0;
		for (int t = 0; t < REG_TYPE_COUNT; t++)
			if (cases[i].types & 1 << t)
				regs[pb.targets.n_registries++].type =
					(enum reg_type)t;
		ck_assert_msg(registry_version_is_prerelease_in(&pb, cases[i].v)
			      == cases[i].pre, "case %zu: %s", i, cases[i].v);
	}
	ck_assert(registry_version_is_prerelease_in(NULL, "2.0rc1"));
	ck_assert(!registry_version_is_prerelease_in(NULL, "2.0.1"));
}
END_TEST

static char *
fixture_text(const char *name, size_t *len)
{
	char *path = tu_fixture(name);
	char *text = tu_read_file(path, len);

	ck_assert_msg(text != NULL, "cannot read %s", path);
	free(path);
	return text;
}

static int64_t
us_of(const char *rfc3339)
{
	int64_t us;

	ck_assert_int_eq(clock_parse_rfc3339(rfc3339, &us), 0);
	return us;
}

/* The mirror's shape: +00:00 times that are not in version order, a
 * deprecation with an escape byte, "deprecated": "" meaning none. */
START_TEST(test_registry_npm_mirror_document_parses)
{
	static const char *want[] = { "0.9.0", "1.2.2", "1.2.3", "1.2.10",
				      "1.3.0-beta.2", "1.3.0-canary.7" };
	struct reg_answer *a = reg_answer_new(REG_NPM, "rewind-fixture");
	struct err err = { 0 };
	size_t len;
	char *body = fixture_text("registry/npm-mirror.json", &len);

	ck_assert_int_eq(registry_parse_npm(a, body, len, &err), 0);
	ck_assert(a->has_data);
	ck_assert_uint_eq(a->n_versions, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(a->versions[i].version, want[i]);
	ck_assert_uint_eq(a->n_tags, 3);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.2.3");
	ck_assert_str_eq(reg_answer_tag(a, "canary"), "1.3.0-canary.7");
	ck_assert_ptr_null(reg_answer_tag(a, "next"));
	ck_assert(a->versions[0].published_us ==
		  us_of("2026-09-02T00:40:51.026Z"));
	ck_assert_str_eq(a->versions[0].deprecated,
			 "0.9 is unsupported\x1b[31m; upgrade");
	ck_assert_ptr_null(a->versions[3].deprecated);
	ck_assert(a->versions[3].published_us ==
		  us_of("2024-09-01T00:00:00Z"));
	reg_answer_free(a);
	free(body);
}
END_TEST

/* What Verdaccio answers for the abbreviated Accept: "...Z" times,
 * created/modified keys in "time", scoped name. */
START_TEST(test_registry_npm_abbreviated_document_parses)
{
	static const char doc[] =
		"{\"name\":\"@rewind-test/scoped\",\"modified\":"
		"\"2026-11-21T20:33:44.705Z\",\"dist-tags\":{\"latest\":"
		"\"0.2.0\"},\"versions\":{\"0.1.0\":{\"name\":\"@rewind-test/"
		"scoped\",\"version\":\"0.1.0\",\"deprecated\":\"old\","
		"\"dist\":{}},\"0.2.0\":{\"version\":\"0.2.0\"}},\"time\":{"
		"\"modified\":\"2026-11-21T20:33:44.705Z\",\"created\":"
		"\"2026-11-21T20:33:41.916Z\",\"0.1.0\":"
		"\"2026-11-21T20:33:41.916Z\",\"0.2.0\":"
		"\"2026-11-21T20:33:42.637Z\"}}";
	struct reg_answer *a = reg_answer_new(REG_NPM, "@rewind-test/scoped");

	ck_assert_int_eq(registry_parse_npm(a, doc, strlen(doc), NULL), 0);
	ck_assert_uint_eq(a->n_versions, 2);
	ck_assert_str_eq(a->versions[0].deprecated, "old");
	ck_assert(a->versions[1].published_us ==
		  us_of("2026-11-21T20:33:42.637Z"));
	ck_assert_ptr_null(reg_answer_find(a, "modified"));
	reg_answer_free(a);
}
END_TEST

/* Each version finds its own time however the "time" object is ordered
 * (it is looked up in a sorted index), and of two times with the same
 * name the first counts, as with cJSON's own lookup. */
START_TEST(test_registry_npm_times_match_their_versions_in_any_order)
{
	static const char doc[] =
		"{\"versions\":{\"1.0.10\":{},\"1.0.2\":{},\"1.0.1\":{},"
		"\"2.0.0\":{}},\"time\":{\"2.0.0\":\"2026-04-01T00:00:00Z\","
		"\"1.0.1\":\"2026-01-01T00:00:00Z\",\"created\":"
		"\"2025-12-01T00:00:00Z\",\"1.0.10\":\"2026-03-01T00:00:00Z\","
		"\"1.0.2\":\"2026-02-01T00:00:00Z\",\"1.0.1\":"
		"\"2027-01-01T00:00:00Z\"}}";
	static const char *const want[][2] = {
		{ "1.0.1", "2026-01-01T00:00:00Z" },
		{ "1.0.2", "2026-02-01T00:00:00Z" },
		{ "1.0.10", "2026-03-01T00:00:00Z" },
		{ "2.0.0", "2026-04-01T00:00:00Z" } };
	struct reg_answer *a = reg_answer_new(REG_NPM, "p");

	ck_assert_int_eq(registry_parse_npm(a, doc, strlen(doc), NULL), 0);
	ck_assert_uint_eq(a->n_versions, 4);
	for (size_t i = 0; i < 4; i++) {
		const struct reg_version *v = reg_answer_find(a, want[i][0]);

		ck_assert_ptr_nonnull(v);
		ck_assert_msg(v->published_us == us_of(want[i][1]),
			      "%s has the wrong time", want[i][0]);
	}
	reg_answer_free(a);
}
END_TEST

START_TEST(test_registry_npm_dist_tags_endpoint_replaces_tags_only)
{
	static const char full[] = "{\"dist-tags\":{\"latest\":\"1.0.0\"},"
				   "\"versions\":{\"1.0.0\":{},\"1.1.0\":{}}}";
	static const char tags[] = "{\"latest\":\"1.1.0\",\"beta\":\"1.1.0\"}";
	struct reg_answer *a = reg_answer_new(REG_NPM, "p");

	ck_assert_int_eq(registry_parse_npm(a, full, strlen(full), NULL), 0);
	ck_assert_int_eq(registry_parse_npm_dist_tags(a, tags, strlen(tags),
						      NULL), 0);
	ck_assert_uint_eq(a->n_versions, 2);
	ck_assert_uint_eq(a->n_tags, 2);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "1.1.0");
	reg_answer_free(a);
}
END_TEST

static void
check_pypi_fixture(const struct reg_answer *a)
{
	const struct reg_version *v;

	ck_assert_uint_eq(a->n_versions, 5);
	ck_assert_str_eq(a->versions[0].version, "1.0");
	ck_assert(a->versions[0].published_us == 0);
	ck_assert(!a->versions[0].yanked);
	v = reg_answer_find(a, "1.3.0");
	ck_assert(v->yanked);
	ck_assert_str_eq(v->yanked_reason, "breaks on Python 3.12");
	ck_assert(v->published_us == us_of("2026-10-01T09:59:00.000001Z"));
	v = reg_answer_find(a, "1.3.2");
	ck_assert(!v->yanked);
	ck_assert(v->published_us == us_of("2026-10-09T08:00:00.5Z"));
	ck_assert_str_eq(a->versions[4].version, "1.4.0rc1");
	ck_assert_str_eq(reg_answer_latest_stable(a), "1.3.2");
}

START_TEST(test_registry_pypi_json_api_parses)
{
	struct reg_answer *a = reg_answer_new(REG_PYPI, "rewind-fixture");
	struct err err = { 0 };
	size_t len;
	char *body = fixture_text("registry/pypi-json.json", &len);

	ck_assert_msg(registry_parse_pypi_json(a, body, len, &err) == 0, "%s",
		      err.msg);
	check_pypi_fixture(a);
	ck_assert(!reg_answer_find(a, "1.4.0rc1")->yanked);
	reg_answer_free(a);
	free(body);
}
END_TEST

START_TEST(test_registry_pypi_simple_api_parses)
{
	struct reg_answer *a = reg_answer_new(REG_PYPI, "Rewind_Fixture");
	struct err err = { 0 };
	size_t len;
	char *body = fixture_text("registry/pypi-simple.json", &len);

	ck_assert_msg(registry_parse_pypi_simple(a,
		      "application/vnd.pypi.simple.v1+json; charset=utf-8", body,
		      len, &err) == 0, "%s", err.msg);
	check_pypi_fixture(a);
	/* yanked: true on its only file; no upload-time key */
	ck_assert(reg_answer_find(a, "1.4.0rc1")->yanked);
	ck_assert(reg_answer_find(a, "1.4.0rc1")->published_us == 0);
	/* one file yanked, the other not: the release is not */
	ck_assert(!reg_answer_find(a, "1.3.2")->yanked);
	reg_answer_free(a);
	free(body);
}
END_TEST

/* A Cargo registry's API document: versions with times and yanks (and
 * the yank's message), no tags; "latest" is the highest version neither
 * yanked nor a pre-release, through the backend's row. */
START_TEST(test_registry_crates_api_parses)
{
	struct reg_answer *a = reg_answer_new(REG_CRATES, "rewind-fixture");
	struct err err = { 0 };
	char why[256];
	size_t len;
	char *body = fixture_text("registry/crates.json", &len);

	ck_assert_msg(registry_parse_crates(a, body, len, &err) == 0, "%s",
		      err.msg);
	ck_assert_uint_eq(a->n_versions, 5);
	ck_assert_uint_eq(a->n_tags, 0);
	ck_assert_str_eq(a->versions[0].version, "1.3.9");
	ck_assert_str_eq(a->versions[4].version, "1.5.0");
	ck_assert(reg_answer_find(a, "1.5.0")->yanked);
	ck_assert_str_eq(reg_answer_find(a, "1.5.0")->yanked_reason,
			 "panics on start-up");
	ck_assert(reg_answer_find(a, "1.3.9")->yanked);
	ck_assert_ptr_null(reg_answer_find(a, "1.3.9")->yanked_reason);
	ck_assert(!reg_answer_find(a, "1.4.1")->yanked);
	ck_assert(reg_answer_find(a, "1.4.1")->published_us ==
		  1795165200123456LL);
	ck_assert(registry_version_is_prerelease(REG_CRATES, "1.5.0-rc.1"));
	ck_assert(!registry_version_is_prerelease(REG_CRATES, "1.4.1"));
	ck_assert_str_eq(reg_answer_latest_stable(a), "1.4.1");
	a->has_data = 1;
	ck_assert_int_eq(registry_probe_judge(a, NULL, "1.4.1", why,
					      sizeof(why)), 1);
	ck_assert_int_eq(registry_probe_judge(a, "beta", "1.4.1", why,
					      sizeof(why)), 0);
	ck_assert_msg(strstr(why, "has no tag beta"), "%s", why);
	ck_assert_int_eq(registry_probe_judge_withdrawn(a, "1.5.0", why,
							sizeof(why)), 1);
	reg_answer_free(a);
	free(body);
}
END_TEST

/* API 1.0 has no "versions" list: versions come from the file names. */
START_TEST(test_registry_pypi_simple_v10_versions_from_filenames)
{
	static const char doc[] =
		"{\"meta\":{\"api-version\":\"1.0\"},\"name\":\"my.pkg\","
		"\"files\":[{\"filename\":\"my_pkg-2.0.tar.gz\",\"url\":\"u\","
		"\"hashes\":{}},{\"filename\":\"My.Pkg-2.1-py3-none-any.whl\","
		"\"url\":\"u\",\"hashes\":{}},{\"filename\":"
		"\"my-pkg-1.9-py3.11.egg\",\"url\":\"u\",\"hashes\":{}},"
		"{\"filename\":\"other-3.0.tar.gz\",\"url\":\"u\","
		"\"hashes\":{}}]}";
	struct reg_answer *a = reg_answer_new(REG_PYPI, "my-pkg");

	ck_assert_int_eq(registry_parse_pypi_simple(a,
		"application/vnd.pypi.simple.v1+json", doc, strlen(doc), NULL),
		0);
	ck_assert_uint_eq(a->n_versions, 3);
	ck_assert_str_eq(a->versions[0].version, "1.9");
	ck_assert_str_eq(a->versions[2].version, "2.1");
	reg_answer_free(a);
}
END_TEST

START_TEST(test_registry_pypi_simple_rejects_html_content_type)
{
	static const char html[] = "<!DOCTYPE html><html></html>";
	struct reg_answer *a = reg_answer_new(REG_PYPI, "p");
	struct err err = { 0 };

	ck_assert_int_eq(registry_parse_pypi_simple(a, "text/html", html,
						    strlen(html), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "Content-Type is text/html"));
	ck_assert_int_eq(registry_parse_pypi_simple(a, NULL, html,
						    strlen(html), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "missing"));
	ck_assert(!a->has_data);
	reg_answer_free(a);
}
END_TEST

enum parser { P_NPM, P_TAGS, P_PYPI, P_SIMPLE, P_CRATES, P_ANSWER };

static const struct {
	enum parser p;
	const char *body;
	const char *msg;	/* expected in the error */
} bad[] = {
	{ P_NPM, "{\"versions\":[]}", "npm document: versions: expected an "
	  "object, got a list" },
	{ P_NPM, "{\"versions\":{\"1.0.0\":3}}", "versions.1.0.0: expected "
	  "an object, got a number" },
	{ P_NPM, "{\"dist-tags\":{\"latest\":1},\"versions\":{}}",
	  "dist-tags.latest: expected a string, got a number" },
	{ P_NPM, "{\"dist-tags\":\"x\",\"versions\":{}}", "dist-tags: "
	  "expected an object, got a string" },
	{ P_NPM, "{\"versions\":{\"1.0.0\":{\"deprecated\":true}}}",
	  "versions.1.0.0.deprecated: expected a string, got a boolean" },
	{ P_NPM, "{\"versions\":{},\"time\":[]}", "time: expected an object" },
	{ P_NPM, "{\"versions\":{\"1.0.0\":{}},\"time\":{\"1.0.0\":{}}}",
	  "time.1.0.0: expected a time string, got an object" },
	{ P_NPM, "{\"name\":\"x\"}", "no \"versions\" member" },
	{ P_NPM, "{\"time\":{\"unpublished\":{}}}", "was unpublished" },
	{ P_NPM, "[1,2]", "npm document: expected an object, got a list" },
	{ P_NPM, "<html>oops</html>", "npm document: not JSON (error at byte" },
	{ P_NPM, "{\"versions\":{\"1.0.0\":{\"na", "npm document: truncated "
	  "JSON" },
	{ P_NPM, "", "npm document: empty body" },
	{ P_TAGS, "[\"latest\"]", "npm dist-tags: dist-tags: expected an "
	  "object, got a list" },
	{ P_PYPI, "{\"releases\":[]}", "PyPI JSON: releases: expected an "
	  "object, got a list" },
	{ P_PYPI, "{\"releases\":{\"1.0\":{}}}", "releases.1.0: expected a "
	  "list, got an object" },
	{ P_PYPI, "{\"releases\":{\"1.0\":[{\"yanked\":\"yes\"}]}}",
	  "releases.1.0[0].yanked: expected a boolean, got a string" },
	{ P_PYPI, "{\"releases\":{\"1.0\":[{\"upload_time_iso_8601\":5.5,"
	  "\"yanked\":false}, 7]}}", "releases.1.0[1]: expected an object" },
	{ P_PYPI, "{\"releases\":{\"1.0\":[{\"yanked_reason\":1}]}}",
	  "releases.1.0[0].yanked_reason: expected a string" },
	{ P_PYPI, "{\"info\":{}}", "no \"releases\" member" },
	{ P_PYPI, "{\"info\":[],\"releases\":{}}", "info: expected an object" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":\"2.0\"},\"files\":[]}",
	  "unsupported api-version \"2.0\"" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":1},\"files\":[]}",
	  "meta.api-version: expected a string, got a number" },
	{ P_SIMPLE, "{\"files\":[]}", "meta: expected an object" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":\"1.1\"},\"files\":{}}",
	  "files: expected a list, got an object" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":\"1.1\"},\"files\":[{}]}",
	  "files[0].filename: expected a string" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":\"1.1\"},\"files\":[{"
	  "\"filename\":\"p-1.0.tar.gz\",\"yanked\":3}]}",
	  "files[0].yanked: expected a boolean or a string, got a number" },
	{ P_SIMPLE, "{\"meta\":{\"api-version\":\"1.1\"},\"files\":[],"
	  "\"versions\":[1]}", "versions[0]: expected a string" },
	{ P_ANSWER, "{\"versions\":3}", "registry answer: versions: expected "
	  "an object or a list" },
	{ P_ANSWER, "{\"versions\":[3]}", "versions[0]: expected a string or "
	  "an object" },
	{ P_ANSWER, "{\"type\":\"cargo\"}", "type: expected \"npm\", "
	  "\"pypi\" or \"crates\"" },
	{ P_CRATES, "[]", "crates document: expected an object, got a list" },
	{ P_CRATES, "{\"crate\":{}}", "crates document: no \"versions\" "
	  "member" },
	{ P_CRATES, "{\"versions\":{}}", "versions: expected a list" },
	{ P_CRATES, "{\"versions\":[{\"num\":1}]}",
	  "versions[0].num: expected a string, got a number" },
	{ P_CRATES, "{\"versions\":[{\"num\":\"1.0.0\",\"yanked\":\"no\"}]}",
	  "versions[0].yanked: expected a boolean" },
	{ P_ANSWER, "{\"versions\":{\"1.0\":{\"yanked\":1}}}",
	  "versions.1.0.yanked: expected a boolean" },
	{ P_ANSWER, "{\"stale\":\"yes\"}", "stale: expected a boolean" },
};

static int
run_parser(enum parser p, struct reg_answer *a, const char *body,
	   struct err *err)
{
	struct reg_answer *b;

	switch (p) {
	case P_NPM:
		return registry_parse_npm(a, body, strlen(body), err);
	case P_TAGS:
		return registry_parse_npm_dist_tags(a, body, strlen(body), err);
	case P_PYPI:
		return registry_parse_pypi_json(a, body, strlen(body), err);
	case P_SIMPLE:
		return registry_parse_pypi_simple(a, "application/vnd.pypi."
						  "simple.v1+json", body,
						  strlen(body), err);
	case P_CRATES:
		return registry_parse_crates(a, body, strlen(body), err);
	case P_ANSWER:
		b = reg_answer_from_json(body, strlen(body), REG_NPM, "p", err);
		reg_answer_free(b);
		return b ? 0 : -1;
	}
	return 0;
}

/* Each bad document fails with a message naming what was wrong, and the
 * answer keeps the data it had. */
START_TEST(test_registry_bad_documents_fail_clearly_and_keep_data)
{
	static const char good[] = "{\"dist-tags\":{\"latest\":\"9.9.9\"},"
				   "\"versions\":{\"9.9.9\":{}}}";
	struct reg_answer *a = reg_answer_new(REG_NPM, "p");
	struct err err = { 0 };

	ck_assert_int_eq(registry_parse_npm(a, good, strlen(good), NULL), 0);
	ck_assert_int_eq(run_parser(bad[_i].p, a, bad[_i].body, &err), -1);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL,
		      "body %s: got \"%s\", want \"%s\"", bad[_i].body, err.msg,
		      bad[_i].msg);
	ck_assert_uint_eq(a->n_versions, 1);
	ck_assert_str_eq(reg_answer_tag(a, "latest"), "9.9.9");
	reg_answer_free(a);
}
END_TEST

START_TEST(test_registry_truncated_real_document_never_crashes)
{
	size_t len;
	char *body = fixture_text("registry/pypi-json.json", &len);

	/* every prefix of a real document: an error (or, at the very end, a
	 * parse) and never a crash */
	for (size_t n = 0; n < len; n += 7) {
		struct reg_answer *a = reg_answer_new(REG_PYPI, "p");
		struct err err = { 0 };
		int rc = registry_parse_pypi_json(a, body, n, &err);

		ck_assert(rc == -1 && err.msg[0]);
		reg_answer_free(a);
	}
	free(body);
}
END_TEST

/* A "time" no clock can hold (1e300, -1e300, 1e19 us, NaN-free but out
 * of int64) is unknown (0), never an overflowed year -290308; npm, the
 * PyPI JSON API and PEP 691 all go through the same rule, and the
 * cached answer keeps every time on its JSON round trip. */
START_TEST(test_registry_out_of_range_times_are_unknown)
{
	static const char npm[] =
		"{\"name\":\"x\",\"dist-tags\":{\"latest\":\"1.0.2\"},"
		"\"versions\":{\"1.0.0\":{},\"1.0.1\":{},\"1.0.2\":{}},"
		"\"time\":{\"1.0.0\":1e300,\"1.0.1\":-1e300,"
		"\"1.0.2\":1e19}}";
	static const char pypi[] =
		"{\"info\":{\"name\":\"x\",\"version\":\"1.0\"},"
		"\"releases\":{\"1.0\":[{\"upload_time_iso_8601\":1e300}]}}";
	struct reg_answer *a = reg_answer_new(REG_NPM, "x");
	struct reg_answer *b;
	struct err err = { 0 };
	char *json;

	ck_assert_msg(registry_parse_npm(a, npm, strlen(npm), &err) == 0,
		      "%s", err.msg);
	ck_assert_uint_eq(a->n_versions, 3);
	for (size_t i = 0; i < a->n_versions; i++)
		ck_assert_msg(a->versions[i].published_us == 0, "%s: %lld",
			      a->versions[i].version,
			      (long long)a->versions[i].published_us);
	json = reg_answer_to_json(a);
	b = reg_answer_from_json(json, strlen(json), REG_NPM, "x", NULL);
	ck_assert_ptr_nonnull(b);
	ck_assert(reg_answer_same_data(a, b));
	reg_answer_free(b);
	free(json);
	reg_answer_free(a);
	a = reg_answer_new(REG_PYPI, "x");
	if (registry_parse_pypi_json(a, pypi, strlen(pypi), &err) == 0)
		for (size_t i = 0; i < a->n_versions; i++)
			ck_assert(a->versions[i].published_us == 0);
	reg_answer_free(a);
}
END_TEST

START_TEST(test_registry_answer_json_round_trips)
{
	struct reg_answer *a = reg_answer_new(REG_PYPI, "rewind-fixture");
	struct reg_answer *b;
	size_t len;
	char *body = fixture_text("registry/pypi-json.json", &len);
	char *json, *again;

	ck_assert_int_eq(registry_parse_pypi_json(a, body, len, NULL), 0);
	reg_answer_set_source(a, "127.0.0.1:8080");
	reg_answer_set_error(a, "HTTP 500 from 127.0.0.1:8080");
	a->etag = strdup("\"abc\"");
	a->stale = 1;
	a->fetched_at_us = us_of("2026-11-21T19:30:00.25Z");
	json = reg_answer_to_json(a);
	ck_assert_ptr_null(strchr(json, '\n'));
	b = reg_answer_from_json(json, strlen(json), REG_NPM, "x", NULL);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->type, REG_PYPI);
	ck_assert_str_eq(b->package, "rewind-fixture");
	ck_assert_str_eq(b->source, "127.0.0.1:8080");
	ck_assert_str_eq(b->etag, "\"abc\"");
	ck_assert_str_eq(b->error, "HTTP 500 from 127.0.0.1:8080");
	ck_assert(b->stale && b->fetched_at_us == a->fetched_at_us);
	ck_assert(reg_answer_same_data(a, b));
	again = reg_answer_to_json(b);
	ck_assert_str_eq(json, again);
	free(json);
	free(again);
	free(body);
	reg_answer_free(a);
	reg_answer_free(b);
}
END_TEST

/* The scenario shapes the shipped playbooks use: npm dist-tags only, PyPI
 * a list of version strings. */
START_TEST(test_registry_shipped_playbook_scenarios_load)
{
	static const char *names[] = { "npm-dist-tag-rollback.json",
				       "pypi-release-recovery.json" };
	int n_loaded = 0;

	for (size_t i = 0; i < 2; i++) {
		char rel[128];
		struct err err = { 0 };
		struct playbook *pb;
		char *path;

		snprintf(rel, sizeof(rel), "../../playbooks/%s", names[i]);
		path = tu_fixture(rel);
		pb = playbook_load_file(path, &err);
		ck_assert_msg(pb != NULL, "%s: %s", path, err.msg);
		free(path);
		for (size_t s = 0; s < pb->n_scenarios; s++) {
			cJSON *st, *reg, *pkg;

			if (!pb->scenarios[s].state_json)
				continue;
			st = cJSON_Parse(pb->scenarios[s].state_json);
			reg = cJSON_GetObjectItem(st, "registry");
			cJSON_ArrayForEach(pkg, reg) {
				char *text = cJSON_PrintUnformatted(pkg);
				struct reg_answer *a = reg_answer_from_json(
					text, strlen(text), i ? REG_PYPI
					: REG_NPM, pkg->string, &err);

				ck_assert_msg(a != NULL, "%s", err.msg);
				ck_assert(a->has_data);
				ck_assert(a->n_tags || a->n_versions);
				ck_assert_str_eq(a->package, pkg->string);
				n_loaded++;
				reg_answer_free(a);
				free(text);
			}
			cJSON_Delete(st);
		}
		playbook_free(pb);
	}
	ck_assert_int_ge(n_loaded, 5);
}
END_TEST

START_TEST(test_registry_scenario_list_and_time_shapes)
{
	static const char list[] = "{\"versions\":[\"1.3.2\",\"1.4.0\","
				   "{\"version\":\"1.3.1\",\"yanked\":true}]}";
	static const char obj[] = "{\"dist-tags\":{\"latest\":\"1.0.0\"},"
				  "\"versions\":{\"1.0.0\":\"2026-01-02T03:04:"
				  "05Z\",\"0.9.0\":{\"deprecated\":\"no\"}}}";
	struct reg_answer *a = reg_answer_from_json(list, strlen(list),
						    REG_PYPI, "p", NULL);
	struct reg_answer *b = reg_answer_from_json(obj, strlen(obj), REG_NPM,
						    "q", NULL);

	ck_assert_uint_eq(a->n_versions, 3);
	ck_assert_str_eq(a->versions[0].version, "1.3.1");
	ck_assert(a->versions[0].yanked);
	ck_assert_str_eq(reg_answer_latest_stable(a), "1.4.0");
	ck_assert(b->versions[1].published_us == us_of("2026-01-02T03:04:05Z"));
	ck_assert_str_eq(b->versions[0].deprecated, "no");
	reg_answer_free(a);
	reg_answer_free(b);
}
END_TEST

START_TEST(test_registry_probe_judges_dist_tags_and_pypi_latest)
{
	static const char npm[] = "{\"dist-tags\":{\"latest\":\"1.2.2\"},"
				  "\"versions\":[\"1.2.2\",\"1.2.3\"]}";
	static const char pypi[] = "{\"versions\":{\"1.3.2\":{},\"1.4.0\":{"
				   "\"yanked\":true},\"1.5.0rc1\":{}}}";
	struct reg_answer *n = reg_answer_from_json(npm, strlen(npm), REG_NPM,
						    "pkg", NULL);
	struct reg_answer *p = reg_answer_from_json(pypi, strlen(pypi),
						    REG_PYPI, "py", NULL);
	char why[256];

	ck_assert_int_eq(registry_probe_judge(n, NULL, "1.2.2", why,
					      sizeof(why)), 1);
	ck_assert_str_eq(why, "pkg@latest is 1.2.2 (expected 1.2.2)");
	ck_assert_int_eq(registry_probe_judge(n, "latest", "1.2.3", why,
					      sizeof(why)), 0);
	ck_assert_str_eq(why, "pkg@latest is 1.2.2 (expected 1.2.3)");
	ck_assert_int_eq(registry_probe_judge(n, "beta", "1.2.3", why,
					      sizeof(why)), 0);
	ck_assert_str_eq(why, "pkg has no dist-tag beta (expected 1.2.3)");
	ck_assert_int_eq(registry_probe_judge(p, "latest", "1.3.2", why,
					      sizeof(why)), 1);
	ck_assert_int_eq(registry_probe_judge(p, NULL, "1.4.0", why,
					      sizeof(why)), 0);
	n->stale = 1;
	reg_answer_set_error(n, "connection refused");
	ck_assert_int_eq(registry_probe_judge(n, NULL, "1.2.2", why,
					      sizeof(why)), -1);
	ck_assert_str_eq(why, "the registry answer for pkg is stale: "
			 "connection refused");
	reg_answer_clear_data(n);
	n->has_data = 0;
	ck_assert_int_eq(registry_probe_judge(n, NULL, "1.2.2", why,
					      sizeof(why)), -1);
	reg_answer_free(n);
	reg_answer_free(p);
}
END_TEST

START_TEST(test_registry_probe_judges_deprecated_and_yanked)
{
	static const char npm[] = "{\"versions\":{\"1.2.3\":{\"deprecated\":"
				  "\"broken\"},\"1.2.2\":{}}}";
	static const char pypi[] = "{\"versions\":{\"1.4.0\":{\"yanked\":"
				   "true,\"yanked_reason\":\"bad wheel\"}}}";
	struct reg_answer *n = reg_answer_from_json(npm, strlen(npm), REG_NPM,
						    "pkg", NULL);
	struct reg_answer *p = reg_answer_from_json(pypi, strlen(pypi),
						    REG_PYPI, "py", NULL);
	char why[256];

	ck_assert_int_eq(registry_probe_judge_withdrawn(n, "1.2.3", why,
							sizeof(why)), 1);
	ck_assert_str_eq(why, "pkg@1.2.3 is deprecated: broken");
	ck_assert_int_eq(registry_probe_judge_withdrawn(n, "1.2.2", why,
							sizeof(why)), 0);
	ck_assert_int_eq(registry_probe_judge_withdrawn(n, "9.9.9", why,
							sizeof(why)), 0);
	ck_assert_str_eq(why, "pkg has no version 9.9.9");
	ck_assert_int_eq(registry_probe_judge_withdrawn(p, "1.4.0", why,
							sizeof(why)), 1);
	ck_assert_str_eq(why, "py 1.4.0 is yanked: bad wheel");
	reg_answer_free(n);
	reg_answer_free(p);
}
END_TEST

START_TEST(test_registry_huge_strings_are_bounded)
{
	size_t n = 100000;
	char *doc = malloc(n + 1000);
	struct reg_answer *a = reg_answer_new(REG_NPM, "p");
	int len;

	len = sprintf(doc, "{\"versions\":{\"1.0.0\":{\"deprecated\":\"");
	memset(doc + len, 'x', n);
	len += (int)n;
	len += sprintf(doc + len, "\"},\"");
	memset(doc + len, '9', 300);	/* a key too long to be a version */
	len += 300;
	len += sprintf(doc + len, "\":{}}}");
	ck_assert_int_eq(registry_parse_npm(a, doc, (size_t)len, NULL), 0);
	ck_assert_uint_eq(a->n_versions, 1);
	ck_assert_uint_eq(strlen(a->versions[0].deprecated), REG_MAX_MESSAGE);
	reg_answer_free(a);
	free(doc);
}
END_TEST

/* Every registry type is its own row, with every hook a row must have; a
 * new type cannot borrow another's rules by a missing entry. */
START_TEST(test_registry_each_type_is_its_own_row)
{
	for (int i = 0; i < REG_TYPE_COUNT; i++) {
		const struct reg_backend *be = reg_backend((enum reg_type)i);

		ck_assert_int_eq(be->type, i);
		ck_assert_ptr_nonnull(be->tag_word);
		ck_assert_ptr_nonnull(be->locate);
		ck_assert_ptr_nonnull(be->url);
		ck_assert_ptr_nonnull(be->accept);
		ck_assert_ptr_nonnull(be->parse);
		ck_assert_ptr_nonnull(be->is_prerelease);
		for (int j = 0; j < i; j++)
			ck_assert_ptr_ne(be, reg_backend((enum reg_type)j));
	}
}
END_TEST

/* A type outside the enum is a bug that stops the program, never a
 * reason to take the npm row (the old fall-back did). */
START_TEST(test_registry_type_outside_the_table_aborts)
{
	reg_backend((enum reg_type)REG_TYPE_COUNT);
	ck_abort_msg("reg_backend took a row for a type outside the table");
}
END_TEST

static Suite *
registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_registry_version_order_table, 0,
			    sizeof(order) / sizeof(order[0]));
	tcase_add_test(tc, test_registry_version_order_is_total);
	tcase_add_test(tc, test_registry_prerelease_per_type);
	tcase_add_test(tc, test_registry_prerelease_by_the_playbooks_registries);
	tcase_add_test(tc, test_registry_npm_mirror_document_parses);
	tcase_add_test(tc, test_registry_npm_times_match_their_versions_in_any_order);
	tcase_add_test(tc, test_registry_npm_abbreviated_document_parses);
	tcase_add_test(tc, test_registry_npm_dist_tags_endpoint_replaces_tags_only);
	tcase_add_test(tc, test_registry_pypi_json_api_parses);
	tcase_add_test(tc, test_registry_pypi_simple_api_parses);
	tcase_add_test(tc, test_registry_pypi_simple_v10_versions_from_filenames);
	tcase_add_test(tc, test_registry_pypi_simple_rejects_html_content_type);
	tcase_add_loop_test(tc, test_registry_bad_documents_fail_clearly_and_keep_data,
			    0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_registry_truncated_real_document_never_crashes);
	tcase_add_test(tc, test_registry_answer_json_round_trips);
	tcase_add_test(tc, test_registry_out_of_range_times_are_unknown);
	tcase_add_test(tc, test_registry_shipped_playbook_scenarios_load);
	tcase_add_test(tc, test_registry_scenario_list_and_time_shapes);
	tcase_add_test(tc, test_registry_probe_judges_dist_tags_and_pypi_latest);
	tcase_add_test(tc, test_registry_probe_judges_deprecated_and_yanked);
	tcase_add_test(tc, test_registry_crates_api_parses);
	tcase_add_test(tc, test_registry_huge_strings_are_bounded);
	tcase_add_test(tc, test_registry_each_type_is_its_own_row);
	/* a test that aborts needs its own process (CK_FORK=no has none) */
	if (!getenv("CK_FORK") || strcmp(getenv("CK_FORK"), "no") != 0)
		tcase_add_test_raise_signal(tc,
			test_registry_type_outside_the_table_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(registry_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
