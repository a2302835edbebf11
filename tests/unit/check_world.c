/* The drill's world: each common rollback command answered from the
 * scenario's state (table-driven), and the commands that change it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "world.h"

static const char world_text[] =
"{ \"tags\": [ \"v1.3.2\", \"v1.4.0\", \"v1.3.1\", \"v1.2.0\" ],\n"
"  \"registry\": {\n"
"    \"kit\": { \"versions\": { \"1.4.0\": { \"yanked\": true,\n"
"                 \"yanked_reason\": \"crashes on import\",\n"
"                 \"still_resolves\": 1 },\n"
"               \"1.3.2\": {}, \"1.3.1\": {}, \"1.5.0rc1\": {} } },\n"
"    \"widget\": { \"dist-tags\": { \"latest\": \"1.2.3\", \"beta\": \"1.3.0-beta.1\" },\n"
"                \"versions\": [ \"1.2.2\", \"1.2.3\", \"1.3.0-beta.1\" ] } },\n"
"  \"http\": { \"http://127.0.0.1:8000/health\": { \"status\": 200, \"body\": \"{\\\"ok\\\":true}\" },\n"
"            \"http://127.0.0.1:8001/health\": { \"status\": 503, \"body\": \"down\" } },\n"
"  \"programs\": { \"widget\": { \"package\": \"widget\", \"installed\": \"1.2.3\",\n"
"                \"commands\": { \"--version\": \"{version}\",\n"
"                              \"doctor\": [\"widget {version}\", \"all ok\"] } } }\n"
"}";

static const char *
var(const char *name, const void *arg)
{
	(void)arg;
	if (strcmp(name, "VERSION") == 0)
		return "1.4.0";
	if (strcmp(name, "PKG") == 0)
		return "kit";
	return NULL;
}

static const struct {
	const char *command;
	int exit_code;
	const char *output;
} cases[] = {
	{ "git tag --sort=-version:refname | head -3", 0,
	  "v1.4.0\nv1.3.2\nv1.3.1\n" },
	{ "git tag -l 'v1.3*'", 0, "v1.3.1\nv1.3.2\n" },
	{ "git tag -l --sort=-creatordate | head -2", 0, "v1.3.2\nv1.4.0\n" },
	{ "pip index versions kit", 0,
	  "WARNING: pip index is currently an experimental command.\n"
	  "kit (1.3.2)\nAvailable versions: 1.3.2, 1.3.1\n" },
	{ "pip install \"kit==$VERSION\"", 0,
	  "Collecting kit==1.4.0\n  Downloading kit-1.4.0-py3-none-any.whl "
	  "(25 kB)\nWARNING: The candidate selected for download or install "
	  "is a yanked version: 'kit' candidate (version 1.4.0)\nReason for "
	  "being yanked: crashes on import\nInstalling collected packages: "
	  "kit\nSuccessfully installed kit-1.4.0\n" },
	{ "pip install kit==9.9", 1,
	  "ERROR: Could not find a version that satisfies the requirement "
	  "kit==9.9 (from versions: 1.5.0rc1, 1.4.0, 1.3.2, 1.3.1)\nERROR: "
	  "No matching distribution found for kit==9.9\n" },
	{ "pip download kit==1.3.2 --no-deps", 0,
	  "Collecting kit==1.3.2\n  Downloading kit-1.3.2-py3-none-any.whl "
	  "(25 kB)\nSaved ./kit-1.3.2-py3-none-any.whl\nSuccessfully "
	  "downloaded kit\n" },
	{ "npm view widget dist-tags.latest", 127, NULL },
	{ "npm view widget version", 0, "1.2.3\n" },
	{ "npm view widget", 0, "widget@1.2.3 | versions: 3\n\ndist-tags:\n"
	  "latest: 1.2.3\nbeta: 1.3.0-beta.1\n" },
	{ "npm view widget versions --json | tail -3", 0,
	  "  \"1.2.3\",\n  \"1.3.0-beta.1\"\n]\n" },
	{ "npm view widget@beta version", 0, "1.3.0-beta.1\n" },
	{ "v=$(npm view widget@latest version) && echo \"$v\" && [ \"$v\" = 1.2.2 ]",
	  1, "1.2.3\n" },
	{ "[ -n \"$VERSION\" ] && echo set", 0, "set\n" },
	{ "npm dist-tag ls widget", 0, "latest: 1.2.3\nbeta: 1.3.0-beta.1\n" },
	{ "npm dist-tag add widget@9.9.9 latest", 1,
	  "npm ERR! code E404\nnpm ERR! 404 Not Found - GET widget@9.9.9 - "
	  "Not found\n" },
	{ "curl -fsS http://127.0.0.1:8000/health", 0, "{\"ok\":true}\n" },
	{ "curl -fsS http://127.0.0.1:8001/health", 22,
	  "curl: (22) The requested URL returned error: 503\n" },
	/* the server at 127.0.0.1:8000 answers; it has no such path */
	{ "curl -fsS http://127.0.0.1:8000/api/health", 22,
	  "curl: (22) The requested URL returned error: 404\n" },
	{ "curl -s http://127.0.0.1:8000/api/health", 0, "Not Found\n" },
	{ "curl -fsS http://127.0.0.1:9/health", 7,
	  "curl: (7) Failed to connect to http://127.0.0.1:9/health: "
	  "Connection refused\n" },
	{ "d=$(mktemp -d) && echo \"$d\" && false || echo fell back", 0,
	  "/tmp/rewind-drill.XXXXXX\nfell back\n" },
	{ "git tag | grep -c v1.3", 0, "2\n" },
	{ "! git tag | grep -q v9", 0, "" },
	{ "poetry publish", 127, NULL },
	{ "git push origin main", 127, NULL },
	{ "for t in a b; do echo $t; done", 127, NULL },
};

START_TEST(test_world_answers_the_common_commands)
{
	cJSON *state = cJSON_Parse(world_text);
	struct world_run run = { 0 };
	int known;

	ck_assert_ptr_nonnull(state);
	known = world_simulate(state, cases[_i].command, var, NULL, &run);
	if (!cases[_i].output) {
		ck_assert_msg(!known, "%s: known", cases[_i].command);
	} else {
		ck_assert_msg(known, "%s: not known", cases[_i].command);
		ck_assert_str_eq(run.output, cases[_i].output);
		ck_assert_int_eq(run.exit_code, cases[_i].exit_code);
	}
	free(run.output);
	cJSON_Delete(state);
}
END_TEST

static char *
simulate(cJSON *state, const char *command, int *exit_code)
{
	struct world_run run = { 0 };

	ck_assert_msg(world_simulate(state, command, var, NULL, &run),
		      "%s: not known", command);
	*exit_code = run.exit_code;
	return run.output;
}

/* The seed's yank check: only the first unpinned resolve after the yank
 * still picks the yanked version (the index's cache lags). */
/* A port of the world's listeners answers HTTP on loopback: an unknown
 * path is a 404, not a refused connection; a port nobody listens on is. */
START_TEST(test_world_curl_of_a_listening_port_answers_404)
{
	cJSON *state = cJSON_Parse(
		"{ \"http\": { \"http://localhost:8000/api/v1/health\": "
		"{ \"status\": 200, \"body\": \"ok\" } },"
		"  \"listeners\": { \"8000\": { \"pid\": 4242 } } }");
	int rc;
	char *out = simulate(state, "curl -fsS http://127.0.0.1:8000/health",
			     &rc);

	ck_assert_int_eq(rc, 22);
	ck_assert_str_eq(out, "curl: (22) The requested URL returned error: "
			 "404\n");
	free(out);
	out = simulate(state, "curl -fsS http://127.0.0.1:8001/api/v1/health",
		       &rc);
	ck_assert_int_eq(rc, 7);
	free(out);
	out = simulate(state, "kill -TERM 4242", &rc);
	ck_assert_int_eq(rc, 0);
	free(out);
	out = simulate(state, "curl -fsS http://127.0.0.1:8000/health", &rc);
	ck_assert_int_eq(rc, 7);	/* nothing listens any more */
	free(out);
	cJSON_Delete(state);
}
END_TEST

START_TEST(test_world_first_install_after_a_yank_still_resolves_it)
{
	static const char check[] =
		"d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && python -m venv "
		"\"$d/venv\" && \"$d/venv/bin/pip\" install --dry-run "
		"--no-cache-dir --no-deps kit >\"$d/out\" 2>&1; cat \"$d/out\"; "
		"grep -q '^Would install' \"$d/out\" && ! grep -qE "
		"\"^Would install [A-Za-z0-9._-]+-$VERSION\\$\" \"$d/out\"";
	cJSON *state = cJSON_Parse(world_text);
	int rc;
	char *out = simulate(state, check, &rc);

	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(out, "Would install kit-1.4.0"));
	free(out);
	out = simulate(state, check, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "Would install kit-1.3.2"));
	free(out);
	cJSON_Delete(state);
}
END_TEST

/* The lagging cache is shown to the trainee (the Targets tab's words),
 * so a prediction that the first check fails can be made from what they
 * see; once used up, the words go. */
START_TEST(test_world_describe_shows_the_cache_lag)
{
	cJSON *state = cJSON_Parse(world_text);
	char *text = world_describe(state);
	int rc;

	ck_assert_ptr_nonnull(strstr(text, "1.4.0 (yanked) (the index's "
				     "cache still serves it to the next 1 "
				     "unpinned install)"));
	free(text);
	free(simulate(state, "pip install --dry-run --no-deps kit", &rc));
	text = world_describe(state);
	ck_assert_ptr_null(strstr(text, "cache still serves"));
	/* Programs in words, not JSON (the Targets tab showed raw JSON). */
	ck_assert_msg(strstr(text, "program widget: version 1.2.3 installed "
			     "(from package widget)\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "\"commands\"") == NULL, "%s", text);
	free(text);
	cJSON_Delete(state);
}
END_TEST

/* A program of the world reports the version npm install -g put there,
 * so a verification shows what the trainee restored, not a fixed one. */
START_TEST(test_world_install_changes_the_program)
{
	cJSON *state = cJSON_Parse(world_text);
	int rc;
	char *out = simulate(state, "widget --version", &rc);

	ck_assert_str_eq(out, "1.2.3\n");
	free(out);
	out = simulate(state, "npm install -g widget@1.2.2", &rc);
	ck_assert_int_eq(rc, 0);
	free(out);
	out = simulate(state, "widget doctor", &rc);
	ck_assert_str_eq(out, "widget 1.2.2\nall ok\n");
	free(out);
	out = simulate(state, "npm dist-tag add widget@1.3.0-beta.1 latest && "
		       "npm install -g widget@latest && widget --version", &rc);
	ck_assert_ptr_nonnull(strstr(out, "1.3.0-beta.1\n"));
	free(out);
	out = simulate(state, "npm install -g widget@9.9.9", &rc);
	ck_assert_int_eq(rc, 1);
	free(out);
	cJSON_Delete(state);
}
END_TEST

START_TEST(test_world_dist_tag_add_moves_latest)
{
	cJSON *state = cJSON_Parse(world_text);
	int rc;
	char *out = simulate(state, "npm dist-tag add widget@1.2.2 latest", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "+latest: widget@1.2.2\n");
	free(out);
	out = simulate(state, "npm view widget dist-tags --json", &rc);
	ck_assert_ptr_nonnull(strstr(out, "\"latest\":\t\"1.2.2\""));
	free(out);
	out = simulate(state, "npm deprecate widget@1.2.3 'data loss' && "
		       "npm view widget@1.2.3 deprecated", &rc);
	ck_assert_str_eq(out, "data loss\n");
	free(out);
	cJSON_Delete(state);
}
END_TEST

START_TEST(test_world_tag_delete_and_upload_change_it)
{
	cJSON *state = cJSON_Parse(world_text);
	cJSON *before = cJSON_Duplicate(state, 1);
	int rc;
	char *out = simulate(state, "git tag -d \"v$VERSION\"", &rc);

	ck_assert_str_eq(out, "Deleted tag 'v1.4.0' (was 0000000)\n");
	free(out);
	out = simulate(state, "git tag -d v1.4.0", &rc);
	ck_assert_int_eq(rc, 1);
	free(out);
	/* An unknown command leaves the world as it was. */
	ck_assert(!world_simulate(before, "git tag -d v1.4.0 && poetry build",
				  var, NULL, &(struct world_run){ 0 }));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(before, "tags")),
			 4);
	cJSON_Delete(before);
	cJSON_Delete(state);
}
END_TEST

/* git checkout of a tag moves HEAD in the world (the Tags tab reads the
 * same state): that tag alone is marked, the state's head is its commit,
 * describe names it; reset --hard moves it and keeps the branch; a path
 * checkout or a new branch is unknown to the world. */
START_TEST(test_world_checkout_moves_head)
{
	cJSON *state = cJSON_Parse("{ \"tags\": [ { \"name\": \"v1.4.0\", "
				   "\"commit\": \"a1b2c3d\", \"head\": true }, "
				   "{ \"name\": \"v1.3.2\", \"commit\": "
				   "\"9f8e7d6\", \"message\": \"Release 1.3.2\" }, "
				   "\"v1.3.1\" ] }");
	cJSON *tags, *it;
	int rc, heads = 0;
	char *out = simulate(state, "git checkout \"tags/v1.3.2\"", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "Note: switching to 'tags/v1.3.2'.\n\nYou are "
			 "in 'detached HEAD' state.\nHEAD is now at 9f8e7d6 "
			 "Release 1.3.2\n");
	free(out);
	tags = cJSON_GetObjectItem(state, "tags");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(tags, "head")),
			 "9f8e7d6");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(tags, "detached")));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(tags, "tags"))
		if (cJSON_IsTrue(cJSON_GetObjectItem(it, "head"))) {
			heads++;
			ck_assert_str_eq(cJSON_GetStringValue(
				cJSON_GetObjectItem(it, "name")), "v1.3.2");
		}
	ck_assert_int_eq(heads, 1);
	out = simulate(state, "git describe --tags", &rc);
	ck_assert_str_eq(out, "v1.3.2\n");
	free(out);
	out = simulate(state, "git reset --hard v1.3.1", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "HEAD is now at 0000000\n");
	free(out);
	out = simulate(state, "git describe", &rc);
	ck_assert_str_eq(out, "v1.3.1\n");
	free(out);
	ck_assert(!world_simulate(state, "git checkout v1.3.2 -- src/", var,
				  NULL, &(struct world_run){ 0 }));
	ck_assert(!world_simulate(state, "git checkout -b hotfix/1.4.0", var,
				  NULL, &(struct world_run){ 0 }));
	ck_assert(!world_simulate(state, "git checkout main", var, NULL,
				  &(struct world_run){ 0 }));
	cJSON_Delete(state);
}
END_TEST

/* gh release list reads the same tags: those marked "release", newest
 * first, the newest that is no pre-release as Latest, up to --limit. */
START_TEST(test_world_gh_release_list_reads_the_tags)
{
	cJSON *state = cJSON_Parse("{ \"tags\": [ { \"name\": \"v1.2.2\", "
				   "\"release\": true, \"date\": \"2026-11-12\" }, "
				   "{ \"name\": \"v1.2.3\", \"release\": true, "
				   "\"date\": \"2026-11-21\" }, \"v1.2.0\", "
				   "{ \"name\": \"v1.2.1\", \"release\": true } ] }");
	int rc;
	char *out = simulate(state, "gh release list --limit 2", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "v1.2.3\tLatest\tv1.2.3\t2026-11-21\n"
			 "v1.2.2\t\tv1.2.2\t2026-11-12\n");
	free(out);
	out = simulate(state, "gh release list", &rc);
	ck_assert_str_eq(out, "v1.2.3\tLatest\tv1.2.3\t2026-11-21\n"
			 "v1.2.2\t\tv1.2.2\t2026-11-12\nv1.2.1\t\tv1.2.1\t\n");
	free(out);
	ck_assert(!world_simulate(state, "gh release view v1.2.3", var, NULL,
				  &(struct world_run){ 0 }));
	cJSON_Delete(state);
}
END_TEST

/* twine upload of a version the index serves skips it and names the file
 * a glob stands for; a new version uploads both its wheel and sdist. */
START_TEST(test_world_twine_skips_what_the_index_serves)
{
	cJSON *state = cJSON_Parse("{ \"registry\": { \"my-kit\": { "
				   "\"versions\": [ \"1.4.0\" ] } } }");
	int rc;
	char *out = simulate(state, "python -m twine upload --skip-existing "
			     "\"assets/v$VERSION\"/*.whl \"assets/v$VERSION\"/*.tar.gz",
			     &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "Uploading distributions to the configured "
			 "index\nSkipping my_kit-1.4.0-py3-none-any.whl because "
			 "it appears to already exist\nSkipping my_kit-1.4.0."
			 "tar.gz because it appears to already exist\n");
	free(out);
	out = simulate(state, "twine upload assets/v1.5.0/*.whl "
		       "assets/v1.5.0/*.tar.gz", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "Uploading distributions to the configured "
			 "index\nUploading my_kit-1.5.0-py3-none-any.whl\n"
			 "Uploading my_kit-1.5.0.tar.gz\n");
	free(out);
	cJSON_Delete(state);
}
END_TEST

/* The world's files: ls and cat answer from them; a file the world does
 * not hold (a report whose workflow failed) is missing, not invented; a
 * world without tags lists none (the Tags tab says it has none). */
START_TEST(test_world_files_and_no_tags)
{
	cJSON *state = cJSON_Parse("{ \"files\": { \"incidents/r-1.2.3.md\": "
				   "[\"# Rollback 1.2.3\", \"- ok\"], "
				   "\"top.txt\": \"hi\" } }");
	cJSON *bare = cJSON_Parse("{ \"files\": {} }");
	int rc;
	char *out = simulate(state, "ls -la incidents/", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "-rw-r--r-- 1 dev dev 22 r-1.2.3.md\n");
	free(out);
	out = simulate(state, "ls", &rc);
	ck_assert_str_eq(out, "top.txt\n");
	free(out);
	out = simulate(state, "cat \"incidents/r-1.2.3.md\"", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "# Rollback 1.2.3\n- ok\n");
	free(out);
	out = simulate(bare, "ls -la incidents/", &rc);
	ck_assert_int_eq(rc, 2);
	ck_assert_str_eq(out, "ls: cannot access 'incidents/': No such file "
			 "or directory\n");
	free(out);
	out = simulate(bare, "cat incidents/r-1.2.3.md", &rc);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(out, "cat: incidents/r-1.2.3.md: No such file or "
			 "directory\n");
	free(out);
	out = simulate(bare, "git tag -l --sort=-creatordate | head -5", &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "");
	free(out);
	cJSON_Delete(state);
	cJSON_Delete(bare);
}
END_TEST

/* Dates written relative to the drill's start follow the start: the
 * tags' dates (gh release list), the versions' publish times (npm view
 * PKG time, the summary's "published"); absolute ones stay. */
START_TEST(test_world_dates_count_from_the_drill_start)
{
	static const char text[] =
		"{ \"tags\": [ { \"name\": \"v1.2.3\", \"date\": \"-5h20m\","
		" \"release\": true }, { \"name\": \"v1.2.2\", \"date\":"
		" \"2026-11-12T17:30:00Z\", \"release\": true } ],"
		" \"registry\": { \"widget\": { \"dist-tags\": { \"latest\":"
		" \"1.2.3\" }, \"versions\": { \"1.2.2\": { \"time\": \"-218h\" },"
		" \"1.2.3\": { \"time\": \"-5h20m\" }, \"1.3.0-beta.1\": {} } } } }";
	cJSON *state = cJSON_Parse(text);
	int64_t start = 1795289400LL * 1000000;	/* 2026-11-21T19:30:00Z */
	int rc;
	char *out;

	world_resolve_times(state, start + 250000);
	out = simulate(state, "gh release list", &rc);
	ck_assert_str_eq(out, "v1.2.3\tLatest\tv1.2.3\t2026-11-21T14:10:00Z\n"
			 "v1.2.2\t\tv1.2.2\t2026-11-12T17:30:00Z\n");
	free(out);
	out = simulate(state, "npm view widget time", &rc);
	ck_assert_str_eq(out, "{\n\t\"created\":\t\"2026-11-12T17:30:00Z\",\n"
			 "\t\"modified\":\t\"2026-11-21T14:10:00Z\",\n"
			 "\t\"1.2.2\":\t\"2026-11-12T17:30:00Z\",\n"
			 "\t\"1.2.3\":\t\"2026-11-21T14:10:00Z\"\n}\n");
	free(out);
	out = simulate(state, "npm view widget", &rc);
	ck_assert_ptr_nonnull(strstr(out, "\npublished 2026-11-21T14:10:00Z\n"));
	free(out);
	cJSON_Delete(state);
}
END_TEST

static Suite *
world_suite(void)
{
	Suite *s = suite_create("world");
	TCase *tc = tcase_create("commands");

	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_world_answers_the_common_commands, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_world_first_install_after_a_yank_still_resolves_it);
	tcase_add_test(tc, test_world_curl_of_a_listening_port_answers_404);
	tcase_add_test(tc, test_world_dist_tag_add_moves_latest);
	tcase_add_test(tc, test_world_describe_shows_the_cache_lag);
	tcase_add_test(tc, test_world_install_changes_the_program);
	tcase_add_test(tc, test_world_tag_delete_and_upload_change_it);
	tcase_add_test(tc, test_world_twine_skips_what_the_index_serves);
	tcase_add_test(tc, test_world_checkout_moves_head);
	tcase_add_test(tc, test_world_gh_release_list_reads_the_tags);
	tcase_add_test(tc, test_world_files_and_no_tags);
	tcase_add_test(tc, test_world_dates_count_from_the_drill_start);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(world_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
