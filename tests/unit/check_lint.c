/* Lint rules of `rewind check`: each fixture under playbooks/lint/ gives
 * exactly the findings lint/expected.txt lists, the shipped playbooks give
 * none, a shipped playbook broken on purpose is caught, and the command
 * line reports every problem with the documented exit codes. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "lint.h"
#include "playbook.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

/* One line of lint/expected.txt: file, severity, rule, path, problem. */
struct expect {
	char *field[5];
};

static size_t
read_expected(struct expect **out)
{
	char *path = tu_fixture("playbooks/lint/expected.txt");
	char *text = tu_read_file(path, NULL);
	char *line, *save = NULL;
	size_t n = 0;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	*out = NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct expect e;
		char *p = line;

		for (int f = 0; f < 5; f++) {
			char *tab = f < 4 ? strchr(p, '\t') : NULL;

			ck_assert_msg(f == 4 || tab, "bad line: %s", line);
			e.field[f] = tab ? xstrndup(p, (size_t)(tab - p))
					 : xstrdup(p);
			p = tab ? tab + 1 : p;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = e;
	}
	free(text);
	free(path);
	return n;
}

static void
free_expected(struct expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int f = 0; f < 5; f++)
			free(e[i].field[f]);
	free(e);
}

static struct playbook *
load(const char *rel)
{
	char *path = tu_fixture(rel);
	struct err err = { 0 };
	struct playbook *pb = playbook_load_file(path, &err);

	ck_assert_msg(pb != NULL, "%s: %s", rel, err.msg);
	free(path);
	return pb;
}

static void
lint_fixture(const char *name, struct lint_report *r)
{
	char *rel = xasprintf("playbooks/lint/%s", name);
	struct playbook *pb = load(rel);

	memset(r, 0, sizeof(*r));
	lint_playbook(pb, r);
	playbook_free(pb);
	free(rel);
}

static void
assert_msg_is(const struct lint_msg *m, const struct expect *e)
{
	const char *sev = m->severity == LINT_ERROR ? "error" : "warning";

	ck_assert_msg(strcmp(sev, e->field[1]) == 0 &&
		      strcmp(m->rule, e->field[2]) == 0 &&
		      strcmp(m->path, e->field[3]) == 0 &&
		      strstr(m->problem, e->field[4]) != NULL,
		      "%s: want %s %s %s \"%s\", got %s %s %s \"%s\"",
		      e->field[0], e->field[1], e->field[2], e->field[3],
		      e->field[4], sev, m->rule, m->path, m->problem);
	ck_assert_msg(*m->fix, "%s: %s has no fix", e->field[0], m->path);
}

/* Each listed fixture gives exactly its listed findings, in order. */
START_TEST(test_lint_fixtures_give_the_expected_findings)
{
	struct expect *e;
	size_t n = read_expected(&e), i = 0;

	ck_assert_uint_ge(n, 20);
	while (i < n) {
		struct lint_report r;
		size_t first = i, n_err = 0;

		while (i < n && strcmp(e[i].field[0], e[first].field[0]) == 0)
			n_err += strcmp(e[i++].field[1], "error") == 0;
		lint_fixture(e[first].field[0], &r);
		ck_assert_msg(r.n_msgs == i - first, "%s: %zu findings, want "
			      "%zu (first: %s)", e[first].field[0], r.n_msgs,
			      i - first, r.n_msgs ? r.msgs[0].problem : "-");
		for (size_t k = 0; k < r.n_msgs; k++)
			assert_msg_is(&r.msgs[k], &e[first + k]);
		ck_assert_uint_eq(r.n_errors, n_err);
		ck_assert_uint_eq(r.n_warnings, r.n_msgs - n_err);
		lint_report_done(&r);
	}
	free_expected(e, n);
}
END_TEST

static int
is_listed(const struct expect *e, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].field[0], name) == 0)
			return 1;
	return 0;
}

/* Every fixture is listed, except clean.json which must give nothing; and
 * every rule has a fixture. */
START_TEST(test_lint_every_fixture_listed_and_every_rule_covered)
{
	char *dir = tu_fixture("playbooks/lint");
	DIR *d = opendir(dir);
	struct dirent *de;
	struct expect *e;
	size_t n = read_expected(&e), n_files = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct lint_report r;

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		n_files++;
		if (strcmp(de->d_name, "clean.json") != 0) {
			ck_assert_msg(is_listed(e, n, de->d_name),
				      "%s is not in expected.txt", de->d_name);
			continue;
		}
		lint_fixture(de->d_name, &r);
		ck_assert_msg(r.n_msgs == 0, "clean.json: %s: %s",
			      r.n_msgs ? r.msgs[0].path : "",
			      r.n_msgs ? r.msgs[0].problem : "");
		lint_report_done(&r);
	}
	closedir(d);
	ck_assert_uint_ge(n_files, 14);
	for (size_t k = 0; lint_rule_names[k]; k++) {
		int found = 0;

		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(e[i].field[2], lint_rule_names[k]) == 0;
		ck_assert_msg(found, "rule %s has no fixture",
			      lint_rule_names[k]);
	}
	free_expected(e, n);
	free(dir);
}
END_TEST

static const char *const shipped[] = {
	"example", "framework-emergency-rollback", "git-conversion-rollback",
	"npm-dist-tag-rollback", "pypi-release-recovery",
	"web-service-rollback", NULL,
};

/* The shipped playbooks pass without errors or warnings. */
START_TEST(test_lint_shipped_playbooks_are_clean)
{
	for (size_t i = 0; shipped[i]; i++) {
		char *rel = xasprintf("../../playbooks/%s.json", shipped[i]);
		struct playbook *pb = load(rel);
		struct lint_report r = { 0 };

		lint_playbook(pb, &r);
		ck_assert_msg(r.n_msgs == 0, "%s: %zu findings, first %s: %s",
			      shipped[i], r.n_msgs,
			      r.n_msgs ? r.msgs[0].path : "",
			      r.n_msgs ? r.msgs[0].problem : "");
		lint_report_done(&r);
		playbook_free(pb);
		free(rel);
	}
}
END_TEST

/* The shipped example with TEXT replaced by WITH, linted. */
static void
lint_example_edited(const char *text, const char *with,
		    struct lint_report *r)
{
	char *path = tu_fixture("../../playbooks/example.json");
	char *json = tu_read_file(path, NULL);
	char *at = json ? strstr(json, text) : NULL;
	struct strbuf sb = STRBUF_INIT;
	struct err err = { 0 };
	struct playbook *pb;

	ck_assert_msg(at != NULL, "example.json no longer holds: %s", text);
	strbuf_add(&sb, json, (size_t)(at - json));
	strbuf_adds(&sb, with);
	strbuf_adds(&sb, at + strlen(text));
	pb = playbook_load_buffer(strbuf_str(&sb), sb.len, "edited.json",
				  &err);
	ck_assert_msg(pb != NULL, "%s", err.msg);
	memset(r, 0, sizeof(*r));
	lint_playbook(pb, r);
	playbook_free(pb);
	strbuf_done(&sb);
	free(json);
	free(path);
}

static const struct lint_msg *
find_msg(const struct lint_report *r, const char *rule, const char *path)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		if (strcmp(r->msgs[i].rule, rule) == 0 &&
		    strcmp(r->msgs[i].path, path) == 0)
			return &r->msgs[i];
	return NULL;
}

/* With the input step that picks the version on the wrong branch, the
 * checkout and the message use RESTORE_VERSION unset. */
START_TEST(test_lint_catches_an_input_on_the_wrong_branch)
{
	struct lint_report r;
	const struct lint_msg *m;

	lint_example_edited("\"variable\": \"RESTORE_VERSION\", \"when\": "
			    "{ \"RESPONSE\": \"rollback\" }",
			    "\"variable\": \"RESTORE_VERSION\", \"when\": "
			    "{ \"RESPONSE\": \"hotfix\" }", &r);
	m = find_msg(&r, "unset-before-use", "phases[3].steps[0].run");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->problem, "RESTORE_VERSION may be unset when step "
			 "\"execute.checkout\" comes: on every decision path "
			 "that reaches it");
	ck_assert_ptr_nonnull(find_msg(&r, "unset-before-use",
				       "phases[5].steps[0].template"));
	ck_assert_uint_eq(r.n_errors, 2);
	ck_assert_uint_eq(r.n_warnings, 0);
	lint_report_done(&r);
}
END_TEST

/* Without the input step, only the operator can give the version: a
 * warning, and the steps count it as set from the start. */
START_TEST(test_lint_removed_input_makes_a_start_variable)
{
	struct lint_report r;

	lint_example_edited("\"kind\": \"input\", \"title\": \"Pick the "
			    "version to restore\",\n          \"variable\": "
			    "\"RESTORE_VERSION\",",
			    "\"kind\": \"check\", \"title\": \"Pick the "
			    "version to restore\",", &r);
	ck_assert_ptr_nonnull(find_msg(&r, "start-variable",
				       "variables.RESTORE_VERSION"));
	ck_assert_uint_eq(r.n_errors, 0);
	ck_assert_uint_eq(r.n_warnings, 1);
	lint_report_done(&r);
}
END_TEST

/* A misspelt value in a when makes its step unreachable. */
START_TEST(test_lint_catches_a_misspelt_when_value)
{
	struct lint_report r;
	const struct lint_msg *m;

	lint_example_edited("\"title\": \"Hotfix merged and released\",\n"
			    "          \"when\": { \"RESPONSE\": \"hotfix\" }",
			    "\"title\": \"Hotfix merged and released\",\n"
			    "          \"when\": { \"RESPONSE\": \"hot-fix\" }",
			    &r);
	m = find_msg(&r, "unreachable", "phases[3].steps[2].when.RESPONSE");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->problem, "\"execute.hotfix\" is never "
					       "active"));
	ck_assert_uint_eq(r.n_msgs, 1);
	lint_report_done(&r);
}
END_TEST

START_TEST(test_lint_msg_format)
{
	char path[] = "phases[1].steps[0]", problem[] = "it is never active";
	char fix[] = "change the when";
	struct lint_msg m = { LINT_ERROR, "unreachable", path, problem, fix };
	char *line = lint_msg_format(&m, "pb.json");

	ck_assert_str_eq(line, "pb.json: phases[1].steps[0]: it is never "
			 "active; fix: change the when");
	free(line);
	m.severity = LINT_WARNING;
	line = lint_msg_format(&m, "pb.json");
	ck_assert_str_eq(line, "pb.json: phases[1].steps[0]: warning: it is "
			 "never active; fix: change the when");
	free(line);
	lint_report_done(NULL);
}
END_TEST

/* --- the command line ---------------------------------------------------- */

/* Run `rewind check ARGS` through the shell; returns the exit status and
 * the output (stdout, or stdout and stderr with BOTH) in *OUT. */
static int
run_check(const char *args, int both, char **out)
{
	const char *bin = getenv("REWIND_BIN");
	char *dir = tu_fixture("playbooks/lint");
	char *cmd = xasprintf("cd '%s' && '%s' check %s%s", dir,
			      bin && *bin ? bin : "./rewind", args,
			      both ? " 2>&1" : " 2>/dev/null");
	FILE *p = popen(cmd, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	int st;

	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(&sb, buf, n);
	st = pclose(p);
	*out = strbuf_detach(&sb);
	free(cmd);
	free(dir);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t
count_lines(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

START_TEST(test_check_cli_exit_codes)
{
	char *out;

	ck_assert_int_eq(run_check("clean.json", 0, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "clean.json: ok: clean (10 steps"));
	free(out);
	ck_assert_int_eq(run_check("unbraced.json", 0, &out), 0);
	free(out);
	ck_assert_int_eq(run_check("--strict unbraced.json", 0, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "unbraced.json: invalid:"));
	free(out);
	ck_assert_int_eq(run_check("clean.json confirm-missing.json", 0, &out),
			 1);
	free(out);
	ck_assert_int_eq(run_check("clean.json no-such.json", 0, &out), 2);
	free(out);
	ck_assert_int_eq(run_check("", 0, &out), 2);
	free(out);
	ck_assert_int_eq(run_check("--frobnicate clean.json", 0, &out), 2);
	free(out);
}
END_TEST

/* Every problem of every file is printed, then one summary per file. */
START_TEST(test_check_cli_prints_every_problem)
{
	char *out;

	ck_assert_int_eq(run_check("unreachable.json unset-before-use.json "
				   "clean.json", 1, &out), 1);
	ck_assert_uint_eq(count_lines(out, "unreachable.json: phases["), 4);
	/* its three unset variables and its deploy with no approve step */
	ck_assert_uint_eq(count_lines(out, "unset-before-use.json: phases["),
			  4);
	ck_assert_uint_eq(count_lines(out, "; fix: "), 8);
	ck_assert_ptr_nonnull(strstr(out, "unreachable.json: invalid: "
				     "unreachable: 4 errors, 0 warnings"));
	ck_assert_ptr_nonnull(strstr(out, "clean.json: ok: "));
	free(out);
}
END_TEST

START_TEST(test_check_cli_quiet)
{
	char *out;

	ck_assert_int_eq(run_check("--quiet clean.json unbraced.json", 1, &out),
			 0);
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(run_check("-q clean.json confirm-missing.json "
				   "unbraced.json", 1, &out), 1);
	ck_assert_uint_eq(count_lines(out, "\n"), 1);
	ck_assert_ptr_nonnull(strstr(out, "confirm-missing.json: "
				     "phases[3].steps[0].destructive: "));
	free(out);
}
END_TEST

START_TEST(test_check_cli_json)
{
	char *out;
	cJSON *doc, *files, *f, *msg;

	ck_assert_int_eq(run_check("--format=json drill-missing.json "
				   "clean.json no-such.json", 0, &out), 2);
	doc = cJSON_Parse(out);
	ck_assert_msg(doc != NULL, "not JSON: %s", out);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(doc, "valid")));
	files = cJSON_GetObjectItem(doc, "files");
	ck_assert_int_eq(cJSON_GetArraySize(files), 3);
	f = cJSON_GetArrayItem(files, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(f, "id")->valuestring,
			 "drill-missing");
	ck_assert_int_eq(cJSON_GetObjectItem(f, "errors")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(f, "warnings")->valueint, 1);
	msg = cJSON_GetArrayItem(cJSON_GetObjectItem(f, "messages"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(msg, "rule")->valuestring,
			 "drill-missing");
	ck_assert_str_eq(cJSON_GetObjectItem(msg, "path")->valuestring,
			 "phases[0].steps[2]");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(files,
			1), "valid")));
	f = cJSON_GetArrayItem(files, 2);
	msg = cJSON_GetArrayItem(cJSON_GetObjectItem(f, "messages"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(msg, "rule")->valuestring, "io");
	cJSON_Delete(doc);
	free(out);
}
END_TEST

/* A loader error is reported with the loader's path and counts. */
START_TEST(test_check_cli_loader_error)
{
	char *out;

	ck_assert_int_eq(run_check("../bad/when-undeclared-variable.json "
				   "--format=json", 0, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"rule\":\"schema\",\"path\":"
				     "\"phases[3].steps[0].when.SEVERITY\""));
	free(out);
}
END_TEST

/* A playbook whose "draft": true was deleted but whose review points
 * were not: --strict refuses it, naming how many are left. */
START_TEST(test_check_strict_refuses_review_points_left)
{
	char *out;

	ck_assert_int_eq(run_check("--strict review-left.json", 1, &out), 1);
	ck_assert_ptr_nonnull(strstr(out, "2 review points not yet resolved: "
				     "remove each once checked"));
	free(out);
	ck_assert_int_eq(run_check("review-left.json", 1, &out), 0);
	free(out);
}
END_TEST

static Suite *
lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("rules");
	TCase *cli = tcase_create("cli");

	tcase_add_test(tc, test_lint_fixtures_give_the_expected_findings);
	tcase_add_test(tc,
		       test_lint_every_fixture_listed_and_every_rule_covered);
	tcase_add_test(tc, test_lint_shipped_playbooks_are_clean);
	tcase_add_test(tc, test_lint_catches_an_input_on_the_wrong_branch);
	tcase_add_test(tc, test_lint_removed_input_makes_a_start_variable);
	tcase_add_test(tc, test_lint_catches_a_misspelt_when_value);
	tcase_add_test(tc, test_lint_msg_format);
	suite_add_tcase(s, tc);
	tcase_add_test(cli, test_check_cli_exit_codes);
	tcase_add_test(cli, test_check_cli_prints_every_problem);
	tcase_add_test(cli, test_check_cli_quiet);
	tcase_add_test(cli, test_check_cli_json);
	tcase_add_test(cli, test_check_cli_loader_error);
	tcase_add_test(cli, test_check_strict_refuses_review_points_left);
	suite_add_tcase(s, cli);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lint_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
