/* rewind import: Markdown runbooks of our own (nested lists, fences in
 * lists, tilde fences, missing languages, CRLF, tables, placeholders,
 * console blocks, empty sections, no headings, bad bytes) and the five
 * seed runbooks, each checked by loading the draft and linting it. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "err.h"
#include "lint.h"
#include "mdimport.h"
#include "hazard.h"
#include "playbook.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

/* Convert TEXT, prove the draft loads and lints clean, return its JSON. */
static cJSON *
import_text(const char *text, size_t len, struct strbuf *summary)
{
	struct err err = { 0 };
	struct lint_report lr = { 0 };
	char *json = mdimport_convert(text, len, "runbook.md", summary, NULL,
				      &err);
	struct playbook *pb;
	cJSON *root;

	ck_assert_msg(json != NULL, "import failed: %s", err.msg);
	pb = playbook_load_buffer(json, strlen(json), "draft.json", &err);
	ck_assert_msg(pb != NULL, "draft does not load: %s", err.msg);
	lint_playbook(pb, &lr);
	for (size_t i = 0; i < lr.n_msgs; i++)
		if (lr.msgs[i].severity == LINT_ERROR)
			fprintf(stderr, "lint: %s: %s\n", lr.msgs[i].path,
				lr.msgs[i].problem);
	ck_assert_uint_eq(lr.n_errors, 0);
	lint_report_done(&lr);
	playbook_free(pb);
	root = cJSON_Parse(json);
	ck_assert_ptr_nonnull(root);
	free(json);
	return root;
}

static cJSON *
import_fixture(const char *name, struct strbuf *summary)
{
	char *rel = xasprintf("import/%s", name);
	char *path = tu_fixture(rel);
	size_t len;
	char *text = tu_read_file(path, &len);
	cJSON *root;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	root = import_text(text, len, summary);
	free(text);
	free(path);
	free(rel);
	return root;
}

static const char *
str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static cJSON *
phase_steps(const cJSON *root, int phase)
{
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
								    "phases"),
				   phase), "steps");
}

/* The first step whose FIELD contains TEXT; *PHASE and *INDEX set. */
static cJSON *
find_step(const cJSON *root, const char *field, const char *text,
	  int *phase, int *index)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		int i = 0;
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			const char *v = str(st, field);

			if (v && strstr(v, text)) {
				if (phase)
					*phase = p;
				if (index)
					*index = i;
				return st;
			}
			i++;
		}
	}
	return NULL;
}

static int
count_kind(const cJSON *root, const char *kind)
{
	int n = 0;

	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p))
			n += strcmp(str(st, "kind"), kind) == 0;
	}
	return n;
}

static const cJSON *
variable(const cJSON *root, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "variables"), name);
}

START_TEST(test_import_fences_inside_nested_list_items_become_runs)
{
	cJSON *root = import_fixture("nested.md", NULL);
	cJSON *st;

	st = find_step(root, "run", "cachectl drain --all", NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "title"), "Drain the queue first");
	ck_assert_str_eq(str(st, "run"), "cachectl drain --all");
	st = find_step(root, "run", "cachectl snapshot list | tail -1", NULL,
		       NULL);
	ck_assert_ptr_nonnull(st);	/* a ~~~ fence two lists deep */
	ck_assert_str_eq(str(st, "title"), "pick the newest snapshot");
	st = find_step(root, "run", "cachectl snapshot load latest", NULL,
		       NULL);
	ck_assert_ptr_nonnull(st);	/* indented code in an item */
	ck_assert_str_eq(str(st, "run"), "cachectl snapshot load latest");
	st = find_step(root, "run", "cachectl status", NULL, NULL);
	ck_assert_ptr_nonnull(st);	/* a fence without a language */
	ck_assert_str_eq(str(st, "title"),
			 "Star item with a fence without language");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_import_task_items_become_checks_with_subitems_as_notes)
{
	cJSON *root = import_fixture("nested.md", NULL);
	cJSON *st;

	st = find_step(root, "title", "writers stopped", NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "kind"), "check");
	ck_assert_ptr_nonnull(strstr(str(st, "note"),
				     "confirmed on the dashboard"));
	st = find_step(root, "title", "snapshot chosen", NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "note"), "ticked"));
	ck_assert_ptr_nonnull(find_step(root, "note", "tab-indented child",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "note", "Plus item", NULL,
					NULL));
	ck_assert_str_eq(str(root, "title"), "Cache service rollback");
	ck_assert_str_eq(str(root, "summary"), "Roll the cache service back "
			 "when a release corrupts entries.");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_import_crlf_file_gives_the_same_draft_as_lf)
{
	char *path = tu_fixture("import/nested.md");
	size_t len;
	char *text = tu_read_file(path, &len);
	struct strbuf crlf = STRBUF_INIT;
	cJSON *a, *b;
	char *ja, *jb;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			strbuf_addc(&crlf, '\r');
		strbuf_addc(&crlf, text[i]);
	}
	a = import_text(text, len, NULL);
	b = import_text(crlf.buf, crlf.len, NULL);
	ja = cJSON_Print(a);
	jb = cJSON_Print(b);
	ck_assert_str_eq(ja, jb);
	free(ja);
	free(jb);
	cJSON_Delete(a);
	cJSON_Delete(b);
	strbuf_done(&crlf);
	free(text);
	free(path);
}
END_TEST

START_TEST(test_import_severity_table_becomes_a_matrix_decision)
{
	struct strbuf sum = STRBUF_INIT;
	cJSON *root = import_fixture("tables.md", &sum);
	cJSON *st = find_step(root, "title", "Decision matrix", NULL, NULL);
	cJSON *m, *opts, *cells;
	char *vals;

	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "kind"), "decide");
	m = cJSON_GetObjectItemCaseSensitive(st, "matrix");
	ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(m, "rows"),
			     "variable"), "SEVERITY");
	vals = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(m, "rows"), "values"));
	ck_assert_str_eq(vals, "[\"critical\",\"high\",\"medium\",\"low\"]");
	free(vals);
	opts = cJSON_GetObjectItemCaseSensitive(st, "options");
	ck_assert_int_eq(cJSON_GetArraySize(opts), 3);	/* one per action */
	ck_assert_str_eq(str(cJSON_GetArrayItem(opts, 1), "label"),
			 "Hotfix | patch");
	cells = cJSON_GetObjectItemCaseSensitive(m, "cells");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(cells, 0), 0)
			 ->valuestring, "immediate-rollback");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(cells, 1), 0)
			 ->valuestring, "immediate-rollback");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(cells, 3), 0)
			 ->valuestring, "wait-for-next-release");
	ck_assert_ptr_nonnull(strstr(str(cJSON_GetArrayItem(opts, 0),
					 "description"), "User Impact: >50% users"));
	/* the severity is asked for before the decision */
	ck_assert_ptr_nonnull(find_step(root, "variable", "SEVERITY", NULL,
					NULL));
	/* a table without a severity column stays, as a note */
	ck_assert_ptr_nonnull(find_step(root, "note", "| Ann | Lead |", NULL,
					NULL));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&sum), "line 14: table"));
	/* P0..P3 rows without a severity header still make a matrix */
	st = find_step(root, "title", "Priorities", NULL, NULL);
	ck_assert_str_eq(str(st, "kind"), "decide");
	strbuf_done(&sum);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_import_placeholders_of_every_style_become_variables)
{
	cJSON *root = import_fixture("placeholders.md", NULL);
	const char *const declared[] = { "VERSION", "COMMIT_BEFORE_RELEASE",
		"TARGET_ENV", "REGION", "ON_CALL", "SERVICE_NAME",
		"TARGET_VERSION", "TIME", NULL };
	const char *const not_declared[] = { "NF", "HOME", "HOST", "MANAGER",
					     "THE_RUNBOOK", NULL };
	cJSON *st;
	int p_in, i_in, p_run, i_run;

	for (size_t i = 0; declared[i]; i++)
		ck_assert_msg(variable(root, declared[i]) != NULL, "%s missing",
			      declared[i]);
	for (size_t i = 0; not_declared[i]; i++)
		ck_assert_msg(variable(root, not_declared[i]) == NULL,
			      "%s declared", not_declared[i]);
	ck_assert_ptr_nonnull(find_step(root, "run", "git checkout v${VERSION}",
					NULL, NULL));
	st = find_step(root, "run", "git reset --hard ${COMMIT_BEFORE_RELEASE}",
		       NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	ck_assert_str_eq(str(st, "confirm"), "${COMMIT_BEFORE_RELEASE}");
	ck_assert_ptr_nonnull(find_step(root, "run", "deploy --env "
					"${TARGET_ENV} --region ${REGION}",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "run", "notify --to ${ON_CALL}",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "run", "\"Optional\\[Manager\\]\"",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "run", "awk '{print $NF}'",
					NULL, NULL));
	st = find_step(root, "template", "Rollback of ${SERVICE_NAME} to "
		       "${TARGET_VERSION} finished at ${TIME}.", NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "kind"), "message");
	ck_assert_ptr_nonnull(strstr(str(st, "template"),
				     "[the runbook](https://"));
	/* each variable is asked for before its first use */
	ck_assert_ptr_nonnull(find_step(root, "variable", "VERSION", &p_in,
					&i_in));
	find_step(root, "run", "${VERSION}", &p_run, &i_run);
	ck_assert(p_run >= PHASE_APPROVE ? p_in < PHASE_APPROVE
					 : p_in == p_run && i_in + 1 == i_run);
	ck_assert_ptr_nonnull(strstr(str(variable(root, "VERSION"), "pattern"),
				     "[0-9]"));
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_import_console_block_splits_command_and_output)
{
	cJSON *root = import_fixture("console.md", NULL);
	cJSON *st = find_step(root, "run", "queuectl version", NULL, NULL);
	cJSON *expect = cJSON_GetObjectItemCaseSensitive(st, "expect");

	ck_assert_int_eq(count_kind(root, "run"), 3);
	ck_assert_str_eq(str(st, "run"), "queuectl version");
	/* nothing says it must match: an example, kept for reference */
	ck_assert_ptr_null(expect);
	ck_assert_ptr_nonnull(strstr(str(st, "note"), "for reference"));
	ck_assert_ptr_nonnull(strstr(str(st, "note"), "queuectl 2.4.1"));
	ck_assert_str_eq(str(cJSON_GetObjectItem(st, "drill"), "output"),
			 "queuectl 2.4.1 (build 7)");
	st = find_step(root, "run", "queuectl health --json", NULL, NULL);
	ck_assert_str_eq(str(cJSON_GetObjectItem(st, "drill"), "output"),
			 "{\"status\": \"ok\"}");
	st = find_step(root, "run", "queuectl drain", NULL, NULL);
	ck_assert_ptr_null(cJSON_GetObjectItem(st, "expect"));
	ck_assert_ptr_nonnull(find_step(root, "run", "queuectl version",
					NULL, NULL));
	cJSON_Delete(root);
}
END_TEST

/* Headings with nothing under them, or prose alone, hold nothing to walk:
 * the import says so (rewind(1): exit 2) instead of writing a draft of
 * optional "Read ..." checks. One checklist item is enough to import. */
START_TEST(test_import_empty_sections_give_a_valid_draft)
{
	static const char prose[] = "# Notes\n\nWe ask the on-call to roll "
		"back.\n\n## Then\n\nWe tell people.\n";
	static const char one[] = "# Notes\n\n- [ ] Tell the team\n";
	struct err err = { 0 };
	char *rel = tu_fixture("import/empty.md");
	size_t len;
	char *text = tu_read_file(rel, &len);
	char *json = mdimport_convert(text, len, "empty.md", NULL, NULL, &err);
	cJSON *root;

	ck_assert_ptr_null(json);
	ck_assert_msg(strstr(err.msg, "empty.md: nothing to import") != NULL,
		      "%s", err.msg);
	json = mdimport_convert(prose, strlen(prose), "prose.md", NULL, NULL,
				&err);
	ck_assert_ptr_null(json);
	ck_assert_msg(strstr(err.msg, "only prose") != NULL, "%s", err.msg);
	root = import_text(one, strlen(one), NULL);
	ck_assert_ptr_nonnull(find_step(root, "title", "Tell the team", NULL,
					NULL));
	cJSON_Delete(root);
	free(text);
	free(rel);
}
END_TEST

START_TEST(test_import_runbook_without_headings_keeps_everything)
{
	struct strbuf sum = STRBUF_INIT;
	cJSON *root = import_fixture("noheadings.md", &sum);
	cJSON *st;

	ck_assert_str_eq(str(root, "title"), "runbook.md");
	ck_assert_ptr_nonnull(find_step(root, "title", "tell the team", NULL,
					NULL));
	ck_assert_ptr_nonnull(find_step(root, "title", "roll the tag back",
					NULL, NULL));
	st = find_step(root, "run", "git tag -d v2.0.0", NULL, NULL);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	ck_assert_str_eq(str(st, "confirm"), "git tag -d v2.0.0");
	ck_assert_ptr_nonnull(find_step(root, "run", "git log --oneline -3",
					NULL, NULL));	/* inside a quote */
	ck_assert_ptr_nonnull(find_step(root, "title", "Quoted advice", NULL,
					NULL));
	ck_assert_ptr_nonnull(find_step(root, "note", "last quarter", NULL,
					NULL));	/* HTML comment */
	ck_assert_ptr_nonnull(find_step(root, "note", "Closing paragraph",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "title", "Setext title", NULL,
					NULL));
	/* destructive commands and no approval: the draft asks for one */
	ck_assert_int_eq(cJSON_GetArraySize(phase_steps(root, PHASE_APPROVE)),
			 1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&sum), "HTML comment"));
	strbuf_done(&sum);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_import_repairs_invalid_utf8_and_controls)
{
	static const char text[] = "# Bad \xff bytes \xe2\x9c\x85\n\n"
				   "```sh\necho \"caf\xc3\x28\" \x01 done\n```\n";
	cJSON *root = import_text(text, sizeof(text) - 1, NULL);
	cJSON *st = find_step(root, "run", "echo", NULL, NULL);

	ck_assert_str_eq(str(root, "title"), "Bad \xef\xbf\xbd bytes "
			 "\xe2\x9c\x85");
	ck_assert_str_eq(str(st, "run"), "echo \"caf\xef\xbf\xbd(\" "
			 "\xef\xbf\xbd done");
	cJSON_Delete(root);
}
END_TEST

/* A first command line just over the title cap (73 to 75 bytes) is not
 * worth cutting: "..." would make it longer. It once overflowed its copy. */
START_TEST(test_import_command_title_just_over_the_cap_is_kept_whole)
{
	for (size_t len = 70; len <= 80; len++) {
		char *cmd = xmalloc(len + 1);
		char *text;
		cJSON *root;
		cJSON *st;
		const char *title;

		memset(cmd, 'x', len);
		memcpy(cmd, "echo ", 5);
		cmd[len] = '\0';
		text = xasprintf("# T\n\n```sh\n%s\n```\n", cmd);
		root = import_text(text, strlen(text), NULL);
		st = find_step(root, "run", "echo", NULL, NULL);
		title = str(st, "title");
		if (len <= 75)
			ck_assert_str_eq(title, cmd);
		else
			ck_assert_uint_eq(strlen(title), 72 + 3);
		ck_assert_uint_le(strlen(title), 75);
		cJSON_Delete(root);
		free(text);
		free(cmd);
	}
}
END_TEST

/* Every draft the import writes loads: odd fences (a console block with
 * nothing but blank lines or a bare "$", an empty sh block) once gave a
 * step with an empty "run" that the loader refuses. */
START_TEST(test_import_odd_fences_still_give_a_draft_that_loads)
{
	static const char *const texts[] = {
		"```console\n\n",
		"```console\n$\n```\n",
		"```console\n$ \nok\n```\n",
		"# T\n\n```sh\n\n```\n",
		"```sh\n   \n",
		"```console\n\n```\n```console\n$ ls\n```\n",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct err err = { 0 };
		char *json = mdimport_convert(texts[i], strlen(texts[i]),
					      "odd.md", NULL, NULL, &err);
		struct playbook *pb;

		if (!json) {	/* refused as blank is fine too */
			ck_assert_int_eq(err.code, ERR_INVALID);
			continue;
		}
		pb = playbook_load_buffer(json, strlen(json), "draft.json",
					  &err);
		ck_assert_msg(pb != NULL, "input %zu: draft does not load: %s",
			      i, err.msg);
		playbook_free(pb);
		free(json);
	}
}
END_TEST

START_TEST(test_import_blank_text_is_refused)
{
	struct err err = { 0 };

	ck_assert_ptr_null(mdimport_convert("\n  \n", 4, "blank.md", NULL, NULL,
					    &err));
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "blank.md"));
}
END_TEST

/* A binary file copied as x.md is refused, naming the file and why. */
START_TEST(test_import_binary_file_is_refused_naming_it)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	char noise[400];
	struct err err = { 0 };

	ck_assert_ptr_null(mdimport_convert(png, sizeof(png) - 1, "x.md", NULL,
					    NULL, &err));
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_msg(strstr(err.msg, "x.md") && strstr(err.msg, "NUL"), "%s",
		      err.msg);
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (char)(0x80 + (i * 37) % 0x7f);
	memset(&err, 0, sizeof(err));
	ck_assert_ptr_null(mdimport_convert(noise, sizeof(noise), "y.md", NULL,
					    NULL, &err));
	ck_assert_msg(strstr(err.msg, "y.md") && strstr(err.msg, "UTF-8"),
		      "%s", err.msg);
}
END_TEST

/* One of a thing is said in the singular in the summary. */
START_TEST(test_import_summary_says_one_in_the_singular)
{
	static const char text[] = "# T\n\n## Roll back\n\nRoll back now.\n\nUse the tag.\n\n"
				   "```sh\ngit reset --hard <GOOD_SHA>\n```\n";
	struct strbuf sum = STRBUF_INIT;
	cJSON *root = import_text(text, strlen(text), &sum);

	ck_assert_msg(strstr(strbuf_str(&sum), "1 block of prose"), "%s",
		      strbuf_str(&sum));
	ck_assert_msg(strstr(strbuf_str(&sum), "1 variable,"), "%s",
		      strbuf_str(&sum));
	ck_assert_msg(strstr(strbuf_str(&sum), "1 destructive command marked"),
		      "%s", strbuf_str(&sum));
	ck_assert_ptr_null(strstr(strbuf_str(&sum), " 1 blocks"));
	ck_assert_ptr_nonnull(strstr(str(find_step(root, "kind", "approve",
						   NULL, NULL), "note"),
				     "1 of its commands is destructive"));
	strbuf_done(&sum);
	cJSON_Delete(root);
}
END_TEST

/* Credentials the runbook names become secret variables: never journalled. */
START_TEST(test_import_credential_names_become_secret_variables)
{
	static const char text[] =
		"# Flag rollback\n\n## Roll back\n\n"
		"```bash\n"
		"curl -X POST -H \"Authorization: Bearer $FLAG_TOKEN\" "
		"https://flags.example.test/off\n"
		"curl -H \"X-Api-Key: $API_KEY\" https://flags.example.test/s\n"
		"echo \"$DB_PASSWORD\" | db-admin login <CLUSTER_NAME>\n"
		"aws secretsmanager get-secret-value --secret-id $APP_SECRET\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *vars = cJSON_GetObjectItem(root, "variables");
	static const char *const secret[] = { "FLAG_TOKEN", "API_KEY",
		"DB_PASSWORD", "APP_SECRET", NULL };

	for (size_t i = 0; secret[i]; i++)
		ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(
			cJSON_GetObjectItem(vars, secret[i]), "secret")),
			"%s is not secret", secret[i]);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(vars, "CLUSTER_NAME"));
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(vars,
		"CLUSTER_NAME"), "secret"));
	cJSON_Delete(root);
}
END_TEST

/* A secret is never the typed confirmation (the operator would type it,
 * and batch mode print it): the first value that is not a secret is, or
 * the destructive words; a database URL is a credential. */
START_TEST(test_import_secret_is_never_the_confirm_text)
{
	static const char text[] =
		"# Undo\n\n## Roll back\n\n"
		"```bash\n"
		"kubectl --token \"$DEPLOY_TOKEN\" rollout undo deployment/web "
		"-n <NAMESPACE>\n"
		"```\n\n## Database\n\n"
		"```bash\n"
		"pg_restore --clean -d \"$DATABASE_URL\" backup.dump\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *vars = cJSON_GetObjectItem(root, "variables");
	cJSON *undo = find_step(root, "run", "rollout undo", NULL, NULL);
	cJSON *restore = find_step(root, "run", "pg_restore", NULL, NULL);

	ck_assert_ptr_nonnull(undo);
	ck_assert_ptr_nonnull(restore);
	ck_assert_str_eq(str(undo, "confirm"),
			 "kubectl rollout undo deployment/web");
	ck_assert_str_eq(str(restore, "confirm"),
			 "pg_restore --clean backup.dump");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(vars, "DATABASE_URL"), "secret")));
	cJSON_Delete(root);
}
END_TEST

/* Two options whose destructive steps would confirm the same text are
 * told apart by a value only one uses, but never by a secret: the
 * unpublish that sets NPM_TOKEN (a token written out) confirms the
 * package, not the token. */
START_TEST(test_import_secret_never_tells_options_confirms_apart)
{
	static const char text[] =
		"# Rolling back a bad @acme/sdk publish\n\n## Decide\n\n"
		"Pick one:\n\n"
		"- **Deprecate** — keep the version but warn users (preferred)\n"
		"- **Unpublish** — only within 72 hours of publishing\n\n"
		"## Deprecate\n\n```bash\n"
		"npm deprecate @acme/sdk@<BAD_VERSION> \"Broken, use "
		"<GOOD_VERSION>\"\n"
		"npm dist-tag add @acme/sdk@<GOOD_VERSION> latest\n```\n\n"
		"## Unpublish\n\n```bash\n"
		"NPM_TOKEN=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 npm unpublish "
		"@acme/sdk@<BAD_VERSION>\n```\n";
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &(struct err){ 0 });
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st = find_step(root, "run", "npm unpublish", NULL, NULL);

	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(str(st, "confirm"));
	ck_assert_ptr_null(strstr(str(st, "confirm"), "TOKEN"));
	ck_assert_ptr_nonnull(strstr(str(st, "confirm"), "@acme/sdk@"));
	ck_assert_ptr_null(strstr(json, "\"confirm\":\t\"${NPM_TOKEN}"));
	free(json);
	cJSON_Delete(root);
}
END_TEST

/* A Go template in a command ({{.Tag}} of docker --format) is the
 * command's own text, not a placeholder to ask for. */
START_TEST(test_import_go_template_in_a_command_stays_literal)
{
	static const char text[] =
		"# Cache\n\n## Assess\n\n"
		"```bash\n"
		"docker image ls registry.example.test/cache --format '{{.Tag}}'\n"
		"kubectl get pods -o go-template='{{ .metadata.name }}'\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *vars = cJSON_GetObjectItem(root, "variables");

	ck_assert_ptr_nonnull(find_step(root, "run", "--format '{{.Tag}}'",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "run",
					"go-template='{{ .metadata.name }}'",
					NULL, NULL));
	ck_assert_ptr_null(cJSON_GetObjectItem(vars, "TAG"));
	ck_assert_ptr_null(cJSON_GetObjectItem(vars, "METADATA_NAME"));
	cJSON_Delete(root);
}
END_TEST

/* --- only shell becomes a run step; a script stays one step ------------ */

/* Every run step's command, joined by "\n---\n", for assertions. */
static char *
all_runs(const cJSON *root)
{
	struct strbuf sb = STRBUF_INIT;

	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p))
			if (str(st, "run"))
				strbuf_addf(&sb, "%s\n---\n", str(st, "run"));
	}
	return strbuf_detach(&sb);
}

static const char only_shell_md[] =
	"# Web rollback\n\n"
	"## Roll back\n\n"
	"```bash\nkubectl rollout undo deployment/web\n```\n\n"
	"Expected output:\n\n"
	"```\ndeployment.apps/web rolled back\n```\n\n"
	"Post in the channel:\n\n"
	"```bash\nROLLBACK DONE for web\n```\n\n"
	"```console\ndocker tag web:1.2.2 web:latest\n```\n\n"
	"```sh\n$ helm history web\n```\n\n"
	"```yaml\nreplicas: 3\n```\n\n"
	"1. Look at the app:\n\n"
	"   ```bash\n   argocd app get web\n   ```\n\n"
	"```bash\nClick \"Deployments\" then select web\n```\n\n"
	"```mermaid\ngraph TD\n  A[Alert] --> B{Roll back?}\n```\n";

START_TEST(test_import_only_shell_becomes_a_run_step)
{
	cJSON *root = import_text(only_shell_md, strlen(only_shell_md), NULL);
	char *runs = all_runs(root);
	cJSON *st = find_step(root, "run", "rollout undo", NULL, NULL);

	ck_assert_msg(!strstr(runs, "rolled back"), "%s", runs);
	ck_assert_msg(!strstr(runs, "ROLLBACK DONE"), "%s", runs);
	ck_assert_msg(!strstr(runs, "Click"), "%s", runs);
	ck_assert_msg(!strstr(runs, "replicas"), "%s", runs);
	ck_assert_msg(!strstr(runs, "-->"), "%s", runs);
	ck_assert_msg(!strstr(runs, "$ "), "%s", runs);
	ck_assert_ptr_nonnull(find_step(root, "run", "docker tag web:1.2.2",
					NULL, NULL));
	ck_assert_str_eq(str(find_step(root, "run", "helm history", NULL,
				       NULL), "run"), "helm history web");
	ck_assert_ptr_nonnull(find_step(root, "run", "argocd app get web",
					NULL, NULL));
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(st, "expect"), "output")), "rolled back"));
	free(runs);
	cJSON_Delete(root);
}
END_TEST

static const char script_md[] =
	"# Tag rollback\n\n"
	"## Roll back\n\n"
	"```bash\n"
	"set -e\n"
	"cd /srv/app\n"
	"CURRENT=$(git describe --tags)\n"
	"git fetch --tags\n"
	"git checkout \"$CURRENT\"\n"
	"```\n";

START_TEST(test_import_script_with_shared_state_stays_one_step)
{
	cJSON *root = import_text(script_md, strlen(script_md), NULL);
	cJSON *st = find_step(root, "run", "CURRENT=$(git describe", NULL,
			      NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "git checkout \"$CURRENT\""));
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "cd /srv/app"));
	ck_assert_int_eq(count_kind(root, "run"), 1);
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(root,
		"variables"), "CURRENT"));
	cJSON_Delete(root);
}
END_TEST

/* A value one step's script assigns is never an input of a later step:
 * the later step carries the assignment (each step has its own shell). */
static const char carried_md[] =
	"# Tag rollback\n\n"
	"## Assess\n\n"
	"```bash\nCURRENT=$(git describe --tags)\necho \"$CURRENT\"\n```\n\n"
	"## Roll back\n\n"
	"```bash\ngit checkout \"$CURRENT\"\n```\n";

START_TEST(test_import_value_a_script_sets_is_carried_not_asked)
{
	cJSON *root = import_text(carried_md, strlen(carried_md), NULL);
	int ph = -1;
	cJSON *st = find_step(root, "run", "git checkout", &ph, NULL);
	const cJSON *r;
	int said = 0;

	ck_assert_int_eq(count_kind(root, "input"), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(root,
		"variables"), "CURRENT"));
	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "run"), "CURRENT=$(git describe --tags)\n"
			 "git checkout \"$CURRENT\"");
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		said += str(r, "step") && strcmp(str(r, "step"), str(st, "id")) == 0
			&& strstr(str(r, "text"), "$CURRENT") != NULL
			&& !strstr(str(r, "text"), "not known to be read-only");
	ck_assert_int_eq(said, 1);
	cJSON_Delete(root);
}
END_TEST

/* Placeholders inside quotes are placeholders: in double quotes written
 * ${NAME}, in single quotes spliced out so the shell expands them. */
START_TEST(test_import_placeholders_inside_quotes_become_variables)
{
	static const char text[] =
		"# Batch\n\n## Roll back\n\n"
		"```bash\n"
		"psql \"$DATABASE_URL\" -c \"DELETE FROM jobs WHERE batch_id = "
		"'<BATCH_ID>'\"\n"
		"psql -c 'UPDATE jobs SET state = 0 WHERE id = <JOB_ID>'\n"
		"awk '{ print $NF }' jobs.txt\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *vars = cJSON_GetObjectItem(root, "variables");

	ck_assert_ptr_nonnull(find_step(root, "run", "batch_id = '${BATCH_ID}'\"",
					NULL, NULL));
	ck_assert_str_eq(str(find_step(root, "run", "UPDATE jobs", NULL, NULL),
			     "run"), "psql -c 'UPDATE jobs SET state = 0 WHERE "
			 "id = '\"${JOB_ID}\"");
	ck_assert_ptr_nonnull(find_step(root, "run", "awk '{ print $NF }'",
					NULL, NULL));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(vars, "BATCH_ID"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(vars, "JOB_ID"));
	ck_assert_ptr_null(cJSON_GetObjectItem(vars, "NF"));
	cJSON_Delete(root);
}
END_TEST

/* Sentences inside a bash fence are notes, in a script and out of one. */
START_TEST(test_import_prose_lines_in_a_shell_fence_are_notes)
{
	static const char text[] =
		"# Web restart\n\n## Roll back\n\n"
		"```bash\n"
		"export KUBECONFIG=/etc/kube/prod\n"
		"kubectl rollout undo deployment/web\n"
		"Then wait for the pods to restart\n"
		"kubectl get pods\n"
		"```\n\n"
		"```bash\n"
		"kubectl rollout undo deployment/api\n"
		"wait for the pods to restart\n"
		"make sure all pods are Running\n"
		"kubectl get pods -l app=api\n"
		"wait \"$pid\"\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	char *runs = all_runs(root);

	ck_assert_msg(!strstr(runs, "wait for"), "%s", runs);
	ck_assert_msg(!strstr(runs, "make sure"), "%s", runs);
	ck_assert_ptr_nonnull(strstr(runs, "export KUBECONFIG=/etc/kube/prod\n"
				     "kubectl rollout undo deployment/web\n"
				     "kubectl get pods\n"));
	ck_assert_ptr_nonnull(strstr(runs, "wait \"$pid\""));
	ck_assert_ptr_nonnull(find_step(root, "note", "Then wait for the pods",
					NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "note", "make sure all pods",
					NULL, NULL));
	free(runs);
	cJSON_Delete(root);
}
END_TEST

/* A fence closes only on a fence of its own character at least as long;
 * a block quoting Markdown with fences inside is a note, not commands; a
 * fence never closed runs to the end (CommonMark) with a review point. */
START_TEST(test_import_fences_close_as_commonmark_says_and_unclosed_is_said)
{
	static const char nested[] =
		"# Docs\n\n## Roll back\n\n"
		"````\n```bash\nrm -rf /srv/docs\n```\n````\n\n"
		"~~~~\n~~~\nrm -rf /srv/site\n~~~\n~~~~\n\n"
		"```bash\ngit revert HEAD\n```\n";
	static const char open_md[] =
		"# Docs\n\n## Roll back\n\n"
		"```bash\ngit revert HEAD\n\n## Verify\n\n"
		"curl -fsS http://127.0.0.1/health\n";
	cJSON *root = import_text(nested, strlen(nested), NULL);
	char *runs = all_runs(root);
	const cJSON *r;
	int said = 0;

	ck_assert_msg(!strstr(runs, "rm -rf"), "%s", runs);
	ck_assert_msg(!strstr(runs, "~~~"), "%s", runs);
	ck_assert_ptr_nonnull(strstr(runs, "git revert HEAD"));
	/* the note keeps the quoted fences inside a longer one */
	ck_assert_ptr_nonnull(find_step(root, "note", "````\n```bash\nrm -rf "
					"/srv/docs\n```\n````", NULL, NULL));
	free(runs);
	cJSON_Delete(root);
	root = import_text(open_md, strlen(open_md), NULL);
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		said += cJSON_GetNumberValue(cJSON_GetObjectItem(r, "line")) == 5 &&
			strstr(str(r, "text"), "never closed") != NULL;
	ck_assert_int_eq(said, 1);
	cJSON_Delete(root);
}
END_TEST

/* Steps run under sh: zsh only when plain POSIX; fish, PowerShell and
 * cmd never, each kept as a typed note with a review point. */
START_TEST(test_import_other_shells_are_typed_notes_unless_posix_zsh)
{
	static const char text[] =
		"# Shells\n\n## Roll back\n\n"
		"```zsh\nsetopt extendedglob\nrm -- ^*.keep\n```\n\n"
		"```zsh\nkubectl rollout undo deployment/web\n```\n\n"
		"```fish\nset -x KUBECONFIG /etc/kube/prod\n```\n\n"
		"```powershell\nRemove-Item -Recurse -Force C:\\app\n```\n\n"
		"```pwsh\nRestart-Service web\n```\n\n"
		"```cmd\nrmdir /s /q C:\\app\n```\n\n"
		"```bat\ndel /q C:\\app\\cache\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	char *runs = all_runs(root);
	const cJSON *r;
	int reviews = 0;

	ck_assert_str_eq(runs, "kubectl rollout undo deployment/web\n---\n");
	ck_assert_ptr_nonnull(find_step(root, "note", "```fish\nset -x", NULL,
					NULL));
	ck_assert_ptr_nonnull(find_step(root, "note", "```powershell\n", NULL,
					NULL));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		reviews += strstr(str(r, "text"), "kept as a note") != NULL;
	ck_assert_int_eq(reviews, 6);
	free(runs);
	cJSON_Delete(root);
}
END_TEST

/* --- alternatives become a decision ------------------------------------ */

static const char options_md[] =
	"# Release rollback\n\n"
	"## Rollback procedure\n\n"
	"### Option A: Revert (recommended)\n\n"
	"```bash\ngit revert HEAD\ngit push origin main\n```\n\n"
	"### Option B: Reset (only if A fails)\n\n"
	"```bash\ngit reset --hard v1.2.2\ngit push --force origin main\n```\n";

/* The value STEP's when gives VAR (a string, or the first of a list). */
static const char *
when_value(const cJSON *st, const char *var)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(st, "when"), var);

	return cJSON_IsArray(v) ? cJSON_GetStringValue(cJSON_GetArrayItem(v, 0))
				: cJSON_GetStringValue(v);
}

static const cJSON *
option_labelled(const cJSON *decide, const char *label)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItem(decide, "options"))
		if (strstr(str(o, "label"), label))
			return o;
	return NULL;
}

START_TEST(test_import_option_sections_become_one_decision)
{
	cJSON *root = import_text(options_md, strlen(options_md), NULL);
	int ph = -1;
	cJSON *d = find_step(root, "kind", "decide", &ph, NULL);
	const cJSON *a, *b;
	const char *var;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(ph, PHASE_DECIDE);
	var = str(d, "variable");
	ck_assert_ptr_nonnull(var);
	a = option_labelled(d, "Option A: Revert");
	b = option_labelled(d, "Option B: Reset");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "options"),
					    0), a);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(a, "recommended")));
	ck_assert_ptr_null(strstr(str(a, "label"), "recommended"));
	ck_assert_str_eq(when_value(find_step(root, "run", "git revert", NULL,
					      NULL), var), str(a, "id"));
	ck_assert_str_eq(when_value(find_step(root, "run", "git push origin main",
					      NULL, NULL), var), str(a, "id"));
	ck_assert_str_eq(when_value(find_step(root, "run", "reset --hard", NULL,
					      NULL), var), str(b, "id"));
	ck_assert_str_eq(when_value(find_step(root, "run", "push --force", NULL,
					      NULL), var), str(b, "id"));
	cJSON_Delete(root);
}
END_TEST

static const char shapes_md[] =
	"# App rollback\n\n"
	"## Rollback\n\n"
	"### Strategy 1: Helm rollback\n\n"
	"```bash\nhelm rollback web 41\n```\n\n"
	"### Strategy 2: Scale down\n\n"
	"```bash\nkubectl scale deployment web --replicas=0\n```\n\n"
	"## Store release\n\n"
	"### iOS\n\n"
	"```bash\nfastlane ios rollback_phased\n```\n\n"
	"### Android\n\n"
	"```bash\nfastlane supply --track production --rollout 0\n```\n\n"
	"## Database\n\n"
	"```bash\nflyway undo\n```\n\n"
	"### If the undo fails\n\n"
	"```bash\npg_restore --clean -d app backup.dump\n```\n";

START_TEST(test_import_strategy_platform_and_fallback_sections_are_choices)
{
	cJSON *root = import_text(shapes_md, strlen(shapes_md), NULL);
	cJSON *helm = find_step(root, "run", "helm rollback", NULL, NULL);
	cJSON *scale = find_step(root, "run", "kubectl scale", NULL, NULL);
	cJSON *ios = find_step(root, "run", "fastlane ios", NULL, NULL);
	cJSON *android = find_step(root, "run", "fastlane supply", NULL, NULL);
	cJSON *undo = find_step(root, "run", "flyway undo", NULL, NULL);
	cJSON *restore = find_step(root, "run", "pg_restore", NULL, NULL);

	ck_assert_ptr_nonnull(helm);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(helm, "when"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(scale, "when"));
	{
		char *a = cJSON_PrintUnformatted(cJSON_GetObjectItem(helm, "when"));
		char *b = cJSON_PrintUnformatted(cJSON_GetObjectItem(scale, "when"));

		ck_assert_str_ne(a, b);
		free(a);
		free(b);
	}
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(ios, "when"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(android, "when"));
	ck_assert_ptr_null(cJSON_GetObjectItem(undo, "when"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(restore, "when"));
	ck_assert_int_ge(count_kind(root, "decide"), 3);
	cJSON_Delete(root);
}
END_TEST

static const char no_rollback_md[] =
	"# Web rollback\n\n"
	"## Decide\n\n"
	"### Option A: Roll back\n\n"
	"Roll back the release.\n\n"
	"### Option B: Do not roll back\n\n"
	"Fix forward with a hotfix instead.\n\n"
	"## Rollback procedure\n\n"
	"```bash\nhelm rollback web 41\n```\n";

START_TEST(test_import_do_not_roll_back_runs_no_rollback_command)
{
	cJSON *root = import_text(no_rollback_md, strlen(no_rollback_md), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const cJSON *no = option_labelled(d, "Do not roll back");
	cJSON *helm = find_step(root, "run", "helm rollback", NULL, NULL);
	const cJSON *vals = cJSON_GetObjectItem(cJSON_GetObjectItem(helm, "when"),
						str(d, "variable"));
	const cJSON *v;

	ck_assert_ptr_nonnull(no);
	ck_assert_ptr_nonnull(vals);
	cJSON_ArrayForEach(v, vals)
		ck_assert_str_ne(v->valuestring, str(no, "id"));
	/* nor is anything to approve */
	ck_assert_ptr_nonnull(when_value(find_step(root, "kind", "approve",
						   NULL, NULL),
					 str(d, "variable")));
	cJSON_Delete(root);
}
END_TEST

/* Alternatives written inside one section: bold "Option N —" lead-ins,
 * "Alternatively" after commands, per-platform numbered items and the
 * list after "Pick one:". Each is a decision whose options' steps carry
 * when on it, so no path runs two of them. */
static const char *const block_alternatives_md[] = {
	"# Web rollback\n\n## Roll back\n\n"
	"**Option 1 \xe2\x80\x94** revert the merge:\n\n"
	"```bash\ngit revert HEAD\ngit push origin main\n```\n\n"
	"**Option 2 \xe2\x80\x94** reset to the last good tag:\n\n"
	"```bash\ngit reset --hard v1.2.2\ngit push --force origin main\n```\n",

	"# Web rollback\n\n## Roll back\n\n"
	"Run the Helm rollback:\n\n"
	"```bash\nhelm rollback web 41\n```\n\n"
	"Alternatively, undo the deployment directly:\n\n"
	"```bash\nkubectl rollout undo deployment/web\n```\n",

	"# Web rollback\n\n## Roll back\n\n"
	"1. On Kubernetes:\n\n"
	"   ```bash\n   kubectl rollout undo deployment/web\n   ```\n\n"
	"2. On ECS:\n\n"
	"   ```bash\n   aws ecs update-service --cluster prod --service web "
	"--task-definition web:41\n   ```\n",

	"# Web rollback\n\n## Roll back\n\n"
	"Pick one:\n\n"
	"- Helm:\n\n  ```bash\n  helm rollback web 41\n  ```\n\n"
	"- kubectl:\n\n  ```bash\n  kubectl rollout undo deployment/web\n"
	"  ```\n",
};

START_TEST(test_import_alternatives_inside_a_section_become_a_decision)
{
	const char *md = block_alternatives_md[_i];
	cJSON *root = import_text(md, strlen(md), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const char *var;
	const cJSON *o, *r;
	int reviewed = 0;

	ck_assert_msg(d != NULL, "case %d: no decide step", _i);
	var = str(d, "variable");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 2);
	/* every run step is on exactly one option's path */
	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p))
			if (str(st, "run"))
				ck_assert_msg(when_value(st, var) != NULL,
					      "case %d: %s runs on every path",
					      _i, str(st, "run"));
	}
	o = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "options"), 1);
	ck_assert_str_ne(str(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "options"),
						0), "id"), str(o, "id"));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		reviewed += strstr(str(r, "text"), "alternatives") != NULL;
	ck_assert_int_eq(reviewed, 1);
	cJSON_Delete(root);
}
END_TEST

/* A sequence of steps is not mistaken for alternatives. */
START_TEST(test_import_steps_in_places_stay_a_sequence)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n"
		"1. On the bastion:\n\n"
		"   ```bash\n   git -C /srv/web checkout v1.2.2\n   ```\n\n"
		"2. On the load balancer:\n\n"
		"   ```bash\n   systemctl reload haproxy\n   ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_int_eq(count_kind(root, "decide"), 0);
	cJSON_Delete(root);
}
END_TEST

/* A decision table's actions are tied to the sections named after them:
 * choosing fix-forward never runs the rollback, and an action no section
 * carries out is a review point. */
static const char situation_md[] =
	"# Orders release\n\n"
	"## Decide\n\n"
	"| Situation | Action |\n|---|---|\n"
	"| Checkout errors above 5% | Roll back |\n"
	"| A small bug with a known fix | Fix forward |\n"
	"| Latency only | Scale out |\n\n"
	"## Roll back\n\n"
	"```bash\nhelm rollback orders 41\n```\n\n"
	"## Fix forward\n\n"
	"```bash\ngit cherry-pick abc123\ngit push origin main\n```\n";

START_TEST(test_import_table_actions_run_only_their_sections)
{
	cJSON *root = import_text(situation_md, strlen(situation_md), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const char *var;
	const cJSON *back, *fwd, *r, *v;
	cJSON *helm, *pick, *push;
	int said = 0;

	ck_assert_ptr_nonnull(d);
	var = str(d, "variable");
	back = option_labelled(d, "Roll back");
	fwd = option_labelled(d, "Fix forward");
	ck_assert_ptr_nonnull(back);
	ck_assert_ptr_nonnull(fwd);
	helm = find_step(root, "run", "helm rollback", NULL, NULL);
	pick = find_step(root, "run", "cherry-pick", NULL, NULL);
	push = find_step(root, "run", "git push", NULL, NULL);
	v = cJSON_GetObjectItem(cJSON_GetObjectItem(helm, "when"), var);
	ck_assert_int_eq(cJSON_GetArraySize(v), 1);
	ck_assert_str_eq(when_value(helm, var), str(back, "id"));
	ck_assert_str_eq(when_value(pick, var), str(fwd, "id"));
	ck_assert_str_eq(when_value(push, var), str(fwd, "id"));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		said += strstr(str(r, "text"), "\"Scale out\" names no section")
			!= NULL;
	ck_assert_int_eq(said, 1);
	cJSON_Delete(root);
}
END_TEST

/* --- phases by what a section does; nothing before the gate ------------- */

static const char gate_md[] =
	"# Service rollback\n\n"
	"## Step 1: Communicate\n\n"
	"Tell the team in the incident channel.\n\n"
	"## Step 2: Check rollout history\n\n"
	"```bash\nkubectl rollout history deployment/web\n```\n\n"
	"## Assess the damage\n\n"
	"```bash\nkubectl delete pod web-0\n```\n\n"
	"## Rollback\n\n"
	"- [ ] Platform Owner approval obtained\n\n"
	"```bash\ngit reset --hard <GOOD_SHA>\n```\n";

START_TEST(test_import_phases_follow_sections_and_the_gate_comes_last)
{
	cJSON *root = import_text(gate_md, strlen(gate_md), NULL);
	int ph = -1, ph2 = -1;
	cJSON *ap, *in;

	ck_assert_ptr_nonnull(find_step(root, "run", "rollout history", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_ASSESS);
	ck_assert_ptr_nonnull(find_step(root, "run", "kubectl delete pod", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ap = find_step(root, "kind", "approve", &ph, NULL);
	ck_assert_ptr_nonnull(ap);
	ck_assert_str_eq(str(cJSON_GetArrayItem(cJSON_GetObjectItem(ap, "roles"),
						0), "role"), "Platform Owner");
	in = find_step(root, "variable", "GOOD_SHA", &ph2, NULL);
	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(str(in, "kind"), "input");
	ck_assert_int_lt(ph2, PHASE_APPROVE);
	cJSON_Delete(root);
}
END_TEST

static const char troubleshooting_md[] =
	"# Cache rollback\n\n"
	"## Troubleshooting\n\n"
	"```bash\nredis-cli -h cache.internal flushdb\n```\n\n"
	"## Rollback\n\n"
	"```bash\nhelm rollback cache 3\n```\n";

START_TEST(test_import_troubleshooting_commands_wait_behind_a_decision)
{
	cJSON *root = import_text(troubleshooting_md,
				  strlen(troubleshooting_md), NULL);
	int ph = -1;
	cJSON *st = find_step(root, "run", "flushdb", &ph, NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(when_value(st, str(d, "variable")));
	ck_assert_ptr_nonnull(option_labelled(d, "Not needed"));
	cJSON_Delete(root);
}
END_TEST

/* Each ### entry of a Troubleshooting section is a decision of its own:
 * its commands run only when chosen, never as required steps, and a
 * placeholder quoted inside the SQL is a variable. */
static const char troubleshooting_sub_md[] =
	"# Batch rollback\n\n"
	"## Roll back\n\n"
	"```bash\nhelm rollback batch 12\n```\n\n"
	"## Troubleshooting\n\n"
	"### Pods stuck in CrashLoopBackOff\n\n"
	"```bash\nkubectl delete pod -l app=batch\n```\n\n"
	"### A batch is stuck\n\n"
	"```bash\npsql \"$DATABASE_URL\" -c \"DELETE FROM jobs WHERE "
	"batch_id = '<BATCH_ID>'\"\n```\n";

START_TEST(test_import_troubleshooting_subsections_are_each_a_decision)
{
	cJSON *root = import_text(troubleshooting_sub_md,
				  strlen(troubleshooting_sub_md), NULL);
	int ph = -1;
	cJSON *del = find_step(root, "run", "kubectl delete pod", NULL, NULL);
	cJSON *sql = find_step(root, "run", "DELETE FROM", &ph, NULL);
	cJSON *helm = find_step(root, "run", "helm rollback", NULL, NULL);

	ck_assert_ptr_nonnull(cJSON_GetObjectItem(del, "when"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(sql, "when"));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(sql, "destructive")));
	ck_assert_ptr_nonnull(strstr(str(sql, "run"), "'${BATCH_ID}'"));
	ck_assert_ptr_null(cJSON_GetObjectItem(helm, "when"));
	ck_assert_int_eq(count_kind(root, "decide"), 2);
	cJSON_Delete(root);
}
END_TEST

/* A value a destructive step needs is asked before the sign-off that
 * covers it, and only on the path of the steps that use it. */
static const char verify_fails_md[] =
	"# Release rollback\n\n"
	"## Roll back\n\n"
	"```bash\nhelm rollback web 41\n```\n\n"
	"## Verify\n\n"
	"```bash\ncurl -fsS http://127.0.0.1/health\n```\n\n"
	"## If verification fails\n\n"
	"```bash\ngit reset --hard <GOOD_SHA>\n```\n";

static void assert_asked_on_remedy_path(const cJSON *root, const char *name,
					const char *run);

START_TEST(test_import_inputs_of_destructive_steps_come_before_the_gate)
{
	cJSON *root = import_text(verify_fails_md, strlen(verify_fails_md),
				  NULL);
	int ph = -1, ph_reset = -1;
	cJSON *in = find_step(root, "variable", "GOOD_SHA", &ph, NULL);
	cJSON *reset = find_step(root, "run", "reset --hard", &ph_reset, NULL);
	int ph_d = -1;
	cJSON *d = find_step(root, "kind", "decide", &ph_d, NULL);

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(reset);
	/* the fallback is decided in verify, once verification ran: its
	 * value is asked on its path only, before the remedy's sign-off */
	ck_assert_int_eq(ph_d, PHASE_VERIFY);
	ck_assert_ptr_nonnull(when_value(reset, str(d, "variable")));
	assert_asked_on_remedy_path(root, "GOOD_SHA", "reset --hard");
	(void)ph;
	cJSON_Delete(root);
}
END_TEST

/* The runbook's own emergency procedure is the procedure: its sections
 * stay required steps, and a timeline table is no decision. */
START_TEST(test_import_emergency_procedure_is_not_an_aside)
{
	static const char text[] =
		"# Emergency rollback\n\n"
		"| Time after release | Action required |\n|---|---|\n"
		"| 0-2 hours | Monitor |\n| 2-8 hours | Decide |\n\n"
		"## Emergency rollback procedure\n\n"
		"### Undo the deployment\n\n"
		"```bash\nkubectl rollout undo deployment/web\n```\n\n"
		"### Restore the cache\n\n"
		"```bash\n./bin/cache warm\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_int_eq(count_kind(root, "decide"), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "run",
		"rollout undo", NULL, NULL), "when"));
	cJSON_Delete(root);
}
END_TEST

/* --- placeholders, two-dimensional tables, front matter ------------------ */

static const char template_md[] =
	"---\n"
	"title: \"Checkout service rollback\"\n"
	"owner: payments\n"
	"---\n\n"
	"# Rollback\n\n"
	"## When to roll back\n\n"
	"| Severity | User impact | Action |\n"
	"|---|---|---|\n"
	"| P1 | Most users | Roll back now |\n"
	"| P1 | Few users | Roll back now |\n"
	"| P2 | Most users | Roll back now |\n"
	"| P2 | Few users | Hotfix forward |\n\n"
	"## Rollback procedure\n\n"
	"```bash\nhelm rollback ${{ values.serviceName }} 12\n```\n";

START_TEST(test_import_template_placeholders_tables_and_front_matter)
{
	cJSON *root = import_text(template_md, strlen(template_md), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *m = cJSON_GetObjectItem(d, "matrix");
	cJSON *rows = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "rows"),
					  "values");
	cJSON *cols = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "cols"),
					  "values");

	ck_assert_str_eq(str(root, "title"), "Checkout service rollback");
	ck_assert_ptr_nonnull(find_step(root, "run",
					"helm rollback ${SERVICE_NAME} 12",
					NULL, NULL));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(root,
		"variables"), "SERVICE_NAME"));
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(rows, 0)->valuestring, "p1");
	ck_assert_str_eq(cJSON_GetArrayItem(rows, 1)->valuestring, "p2");
	ck_assert_int_eq(cJSON_GetArraySize(cols), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(
		cJSON_GetObjectItem(m, "cells"), 1)), 2);
	cJSON_Delete(root);
}
END_TEST

/* --- the draft says what it could not decide ----------------------------- */

START_TEST(test_import_draft_has_review_points_and_explains_each_section)
{
	struct strbuf explain = STRBUF_INIT;
	struct err err = { 0 };
	char *json = mdimport_convert(options_md, strlen(options_md), "o.md",
				      NULL, &explain, &err);
	cJSON *root = json ? cJSON_Parse(json) : NULL;
	const cJSON *r;
	int with_line = 0;

	ck_assert_ptr_nonnull(root);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(root, "draft")));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		with_line += cJSON_GetNumberValue(cJSON_GetObjectItem(r, "line"))
			     == 5 && str(r, "step") != NULL;
	ck_assert_int_eq(with_line, 1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&explain),
				     "line 5: ### Option A: Revert (recommended)\n"
				     "    -> decide step "));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&explain),
				     "line 12: ### Option B: Reset (only if A "
				     "fails)\n    -> run step execute."));
	strbuf_done(&explain);
	cJSON_Delete(root);
	free(json);
}
END_TEST

/* --- the seeds: counted here with code of our own ------------------------ */

struct seed_items {
	char **cmds;
	size_t n_cmds;
	char **checks;
	size_t n_checks;
};

static void
push(char ***list, size_t *n, const char *s, size_t len)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrndup(s, len);
}

/* Commands: non-blank, non-comment lines of bash/sh/shell/zsh fences.
 * Checklist items: "- [ ]" lines outside fences. */
static void
seed_extract(const char *text, struct seed_items *out)
{
	int fence = 0, shell = 0;

	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\n");
		const char *t = l;

		while (*t == ' ' || *t == '\t')
			t++;
		if (strncmp(t, "```", 3) == 0) {
			shell = !fence && (strncmp(t + 3, "bash", 4) == 0 ||
					   strncmp(t + 3, "sh", 2) == 0 ||
					   strncmp(t + 3, "zsh", 3) == 0);
			fence = !fence;
		} else if (fence && shell && t < l + len && *t != '#') {
			push(&out->cmds, &out->n_cmds, t, (size_t)(l + len - t));
		} else if (!fence && (strncmp(t, "- [ ] ", 6) == 0 ||
				      strncmp(t, "- [x] ", 6) == 0)) {
			push(&out->checks, &out->n_checks, t + 6,
			     (size_t)(l + len - t - 6));
		}
		l += len + (l[len] == '\n');
	}
}

/* Every word of CMD without a placeholder-ish character appears in TEXT. */
static int
words_in(const char *cmd, const char *text)
{
	char *copy = xstrdup(cmd), *save = NULL;
	int all = 1, any = 0;

	for (char *w = strtok_r(copy, " \t", &save); w && all;
	     w = strtok_r(NULL, " \t", &save)) {
		if (strpbrk(w, "<>[]{}$"))
			continue;
		any = 1;
		all = strstr(text, w) != NULL;
	}
	free(copy);
	return any ? all : strstr(text, cmd) != NULL;
}

static int
command_found(const cJSON *root, const char *cmd)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			const char *run = str(st, "run");
			const char *tpl = str(st, "template");

			if ((run && words_in(cmd, run)) ||
			    (tpl && words_in(cmd, tpl)))
				return 1;
		}
	}
	return 0;
}

/* Lower-case letters and digits of S only, at most MAX of them. */
static char *
alnum_key(const char *s, size_t max)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s && sb.len < max; s++)
		if (isalnum((unsigned char)*s))
			strbuf_addc(&sb, (char)tolower((unsigned char)*s));
	return strbuf_detach(&sb);
}

static int
check_found(const cJSON *root, const char *item)
{
	char *want = alnum_key(item, 40);
	int found = 0;

	for (int p = 0; p < PHASE_COUNT && !found; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			char *have;

			if (strcmp(str(st, "kind"), "check") != 0 &&
			    strcmp(str(st, "kind"), "approve") != 0)
				continue;
			have = alnum_key(str(st, "title"), 1000);
			found = strstr(have, want) != NULL;
			free(have);
			if (found)
				break;
		}
	}
	free(want);
	return found;
}

static void
free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static char *
seeds_dir(void)
{
	const char *src = getenv("REWIND_SRCDIR");

	return xasprintf("%s/../shared/seeds", src && *src ? src : ".");
}

static void
import_seed(const char *path)
{
	struct seed_items it = { 0 };
	size_t len, cmds = 0, checks = 0;
	char *text = tu_read_file(path, &len);
	cJSON *root;

	ck_assert_ptr_nonnull(text);
	seed_extract(text, &it);
	ck_assert_msg(it.n_cmds > 5, "%s: too few commands counted", path);
	root = import_text(text, len, NULL);
	for (size_t i = 0; i < it.n_cmds; i++) {
		if (command_found(root, it.cmds[i]))
			cmds++;
		else
			fprintf(stderr, "%s: command not found: %s\n", path,
				it.cmds[i]);
	}
	for (size_t i = 0; i < it.n_checks; i++) {
		if (check_found(root, it.checks[i]))
			checks++;
		else
			fprintf(stderr, "%s: check not found: %s\n", path,
				it.checks[i]);
	}
	ck_assert_msg(cmds * 10 >= it.n_cmds * 9, "%s: %zu of %zu commands",
		      path, cmds, it.n_cmds);
	ck_assert_msg(checks * 10 >= it.n_checks * 9, "%s: %zu of %zu checks",
		      path, checks, it.n_checks);
	ck_assert_str_eq(str(root, "source"), "runbook.md");
	cJSON_Delete(root);
	free_list(it.cmds, it.n_cmds);
	free_list(it.checks, it.n_checks);
	free(text);
}

START_TEST(test_import_each_seed_keeps_its_commands_and_checklists)
{
	char *dir = seeds_dir();
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d) {
		fprintf(stderr, "check_import: SKIP seeds: %s is absent\n", dir);
		free(dir);
		return;
	}
	while ((de = readdir(d))) {
		char *path;

		if (!strstr(de->d_name, ".txt"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		import_seed(path);
		free(path);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 5);
	free(dir);
}
END_TEST


/* --- the release engineer's second round ------------------------------- */

/* Whether some review point of ROOT is on LINE and says WORDS. */
static int
review_on(const cJSON *root, int line, const char *words)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		if ((line < 0 || cJSON_GetNumberValue(cJSON_GetObjectItem(r,
						"line")) == line) &&
		    strstr(str(r, "text"), words))
			return 1;
	return 0;
}

/* A closing fence indented 4 spaces is the block's text (CommonMark). */
START_TEST(test_import_closing_fence_indented_four_spaces_does_not_close)
{
	static const char text[] =
		"# Web\n\n## Roll back\n\n"
		"```bash\ngit revert HEAD\n    ```\ngit push origin main\n```\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1/health\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	char *runs = all_runs(root);

	ck_assert_msg(!review_on(root, -1, "never closed"), "%s", runs);
	ck_assert_ptr_nonnull(strstr(runs, "curl -fsS"));
	ck_assert_ptr_nonnull(find_step(root, "run", "git push origin main",
					NULL, NULL));
	free(runs);
	cJSON_Delete(root);
}
END_TEST

/* Every review point names a line of the runbook, never line 0. */
START_TEST(test_import_every_review_point_names_a_real_line)
{
	static const char text[] =
		"# Web\n\n## Assess\n\n"
		"```bash\nkubectl delete pod web-0\n```\n\n"
		"## Roll back\n\n"
		"```bash\nCURRENT=$(git describe --tags)\n```\n\n"
		"Then:\n\n```bash\necho \"$CURRENT\"\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	const cJSON *r;
	int n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review")) {
		double line = cJSON_GetNumberValue(cJSON_GetObjectItem(r,
								      "line"));

		ck_assert_msg(line >= 1 && line <= 18, "line %g: %s", line,
			      str(r, "text"));
		n++;
	}
	ck_assert_int_ge(n, 3);
	cJSON_Delete(root);
}
END_TEST

/* A front matter title that is a template is no title: a review point
 * on its line, and the first heading is the title. */
START_TEST(test_import_template_title_is_a_review_point_not_the_title)
{
	static const char text[] =
		"---\ntitle: ${{ values.component_id }} rollback\n"
		"description: Roll back {{ values.name }}\n---\n\n"
		"# Payments rollback\n\n## Roll back\n\n"
		"```bash\ngit revert HEAD\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_str_eq(str(root, "title"), "Payments rollback");
	ck_assert_ptr_null(strstr(str(root, "summary"), "{{"));
	ck_assert(review_on(root, 2, "template"));
	ck_assert(review_on(root, 3, "template"));
	cJSON_Delete(root);
}
END_TEST


/* A credential written out in a command (a token of a known shape, a
 * long random value given to a name ending _TOKEN or _SECRET) never reaches the
 * draft: a secret variable takes its place, a review point names its
 * line. */
START_TEST(test_import_literal_credentials_become_secret_variables)
{
	static const char text[] =
		"# Deploy rollback\n\n## Roll back\n\n"
		"```bash\n"
		"export DEPLOY_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z\n"
		"export SIGNING_SECRET=\"Zx81kLm29QpR7tYv44Nc\"\n"
		"aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\n"
		"git push --force origin v1.2.2:main\n```\n";
	struct err err = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st = find_step(root, "run", "git push", NULL, NULL);

	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_null(strstr(json, "ghp_aB3d"));
	ck_assert_ptr_null(strstr(json, "Zx81kLm29"));
	ck_assert_ptr_null(strstr(json, "AKIAIOSFODNN7EXAMPLE"));
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "run"),
				     "export DEPLOY_TOKEN=${DEPLOY_TOKEN}"));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
		"DEPLOY_TOKEN"), "secret")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
		"SIGNING_SECRET"), "secret")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
		"AWS_ACCESS_KEY"), "secret")));
	ck_assert(review_on(root, 6, "credential"));
	ck_assert(review_on(root, 7, "removed"));
	ck_assert(review_on(root, 8, "AWS access key"));
	free(json);
	cJSON_Delete(root);
}
END_TEST

/* A PyPI token (its "pypi-AgE" shape) is a known credential like npm's
 * and GitHub's, also inside a here-document's body: the draft asks it as
 * a secret input and the body reads the variable. */
START_TEST(test_import_pypi_token_in_heredoc_becomes_secret_variable)
{
	static const char text[] =
		"# PyPI rollback\n\n## Re-upload\n\n"
		"```sh\n"
		"python -m build\n"
		"cat > ~/.pypirc <<EOF2\n"
		"[pypi]\n"
		"username = __token__\n"
		"password = pypi-AgEIcHlwaS5vcmcCJGE4ZjM0ZTY1LTk5YWUtNGY2ZC1hMzQx"
		"LTBmZWQ3YjYxYzY0ZQACKlszLCJhY2I0YWJlYi0wYjQyLTRlMDctYjQ1ZC1i\n"
		"EOF2\n"
		"twine upload dist/*\n```\n";
	struct err err = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_ptr_nonnull(json);
	ck_assert_ptr_null(strstr(json, "pypi-AgE"));
	ck_assert_ptr_null(strstr(json, "AgEIcHlwaS5vcmc"));
	ck_assert_ptr_nonnull(strstr(json, "password = ${PYPI_TOKEN}"));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
		"PYPI_TOKEN"), "secret")));
	ck_assert(review_on(root, 10, "PyPI token"));
	free(json);
	cJSON_Delete(root);
}
END_TEST

/* The typed confirmation names what is destroyed or changed: the
 * release, not the namespace; never a connection string's words. */
START_TEST(test_import_confirm_names_the_target_not_where_or_a_url)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n"
		"```bash\nhelm rollback -n <namespace> <release> <revision>\n```\n\n"
		"```bash\npsql postgres://app:hunter2@db.internal/app -f down.sql\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *helm = find_step(root, "run", "helm rollback", NULL, NULL);
	cJSON *psql = find_step(root, "run", "psql", NULL, NULL);

	ck_assert_str_eq(str(helm, "confirm"), "${RELEASE}");
	ck_assert_ptr_nonnull(str(psql, "confirm"));
	ck_assert_msg(!strstr(str(psql, "confirm"), "://") &&
		      !strstr(str(psql, "confirm"), "hunter2"), "%s",
		      str(psql, "confirm"));
	cJSON_Delete(root);
}
END_TEST

/* A platform option's steps done by hand in a store console are checks
 * the operator ticks on that option's path; a kill-switch PATCH is
 * destructive. */
START_TEST(test_import_console_ui_items_are_checks_and_flag_patch_destroys)
{
	static const char text[] =
		"# Mobile rollback\n\n## Roll back\n\n### iOS\n\n"
		"1. Open App Store Connect and select the app.\n"
		"2. Tap \"Pause Phased Release\".\n\n"
		"### Android\n\n"
		"1. In the Play Console, click \"Halt rollout\".\n\n"
		"## Kill switch\n\n"
		"```bash\ncurl -X PATCH https://flags.example/api/flags/pay "
		"-d '{\"on\": false}'\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *tap = find_step(root, "title", "Pause Phased Release", NULL,
			       NULL);
	cJSON *halt = find_step(root, "title", "Halt rollout", NULL, NULL);
	cJSON *patch = find_step(root, "run", "curl -X PATCH", NULL, NULL);
	const char *var;

	ck_assert_ptr_nonnull(tap);
	ck_assert_ptr_nonnull(halt);
	ck_assert_str_eq(str(tap, "kind"), "check");
	ck_assert_str_eq(str(halt, "kind"), "check");
	var = cJSON_GetObjectItem(tap, "when")->child->string;
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(tap, "when"),
					     var)->valuestring, "ios");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(halt, "when"),
					     var)->valuestring, "android");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(patch, "destructive")));
	cJSON_Delete(root);
}
END_TEST


/* Whether linting the draft of TEXT gives a finding of RULE. */
static int
draft_lints(const char *text, const char *rule)
{
	struct err err = { 0 };
	struct lint_report lr = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	struct playbook *pb;
	int hit = 0;

	ck_assert_ptr_nonnull(json);
	pb = playbook_load_buffer(json, strlen(json), "draft.json", &err);
	ck_assert_ptr_nonnull(pb);
	lint_playbook(pb, &lr);
	for (size_t i = 0; i < lr.n_msgs; i++)
		hit |= strcmp(lr.msgs[i].rule, rule) == 0;
	lint_report_done(&lr);
	playbook_free(pb);
	free(json);
	return hit;
}

/* "If it fails, ..." in a Verify section is a contingency: a decision,
 * its commands only on "yes", and never on the "Do not roll back" path,
 * where no approval is active. */
START_TEST(test_import_if_it_fails_in_verify_is_a_gated_contingency)
{
	static const char text[] =
		"# Web rollback\n\n## Decide\n\n### Option A: Roll back\n\n"
		"```bash\nhelm rollback web 3\n```\n\n"
		"### Option B: Do not roll back\n\nWatch the error rate.\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1/health\n```\n\n"
		"If it fails, restore the database:\n\n"
		"```bash\npg_restore --clean -d app backup.dump\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *restore = find_step(root, "run", "pg_restore", NULL, NULL);
	cJSON *when = cJSON_GetObjectItem(restore, "when");
	cJSON *cont = find_step(root, "title", "If it fails", NULL, NULL);
	cJSON *opt;

	ck_assert_ptr_nonnull(cont);
	ck_assert_str_eq(str(cont, "kind"), "decide");
	ck_assert_ptr_nonnull(when);
	ck_assert_str_eq(str(when, str(cont, "variable")), "yes");
	opt = cJSON_GetObjectItem(when, "DECIDE_OPTION");
	ck_assert_ptr_nonnull(opt);
	ck_assert_int_eq(cJSON_GetArraySize(opt), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(opt, 0)->valuestring, "a-roll-back");
	ck_assert(!draft_lints(text, "destructive-unapproved-path"));
	cJSON_Delete(root);
}
END_TEST

/* A conditional list item ("If the down migration fails, restore the
 * backup") is a contingency, never a required step. */
START_TEST(test_import_conditional_list_item_is_a_contingency)
{
	static const char text[] =
		"# DB rollback\n\n## Roll back\n\n"
		"1. Run the down migration:\n\n   ```bash\n   goose down\n   ```\n\n"
		"2. If the down migration fails, restore the backup:\n\n"
		"   ```bash\n   pg_restore --clean -d app backup.dump\n   ```\n\n"
		"3. Tell the team:\n\n   ```bash\n   echo done\n   ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *down = find_step(root, "run", "goose down", NULL, NULL);
	cJSON *restore = find_step(root, "run", "pg_restore", NULL, NULL);
	cJSON *echo = find_step(root, "run", "echo done", NULL, NULL);
	cJSON *cont = find_step(root, "title", "If the down migration fails",
				NULL, NULL);

	ck_assert_ptr_null(cJSON_GetObjectItem(down, "when"));
	ck_assert_ptr_null(cJSON_GetObjectItem(echo, "when"));
	ck_assert_ptr_nonnull(cont);
	ck_assert_str_eq(str(cont, "kind"), "decide");
	ck_assert_str_eq(str(cJSON_GetObjectItem(restore, "when"),
			     str(cont, "variable")), "yes");
	cJSON_Delete(root);
}
END_TEST


/* "Pick one:" and a list of three procedures, each a section below: a
 * decision with those three options, each running only its section. */
START_TEST(test_import_pick_one_of_three_procedures_is_three_options)
{
	static const char text[] =
		"# Web rollback\n\n## Decide\n\nPick one:\n\n"
		"- Helm rollback: back one revision.\n"
		"- Image rollback: the previous image.\n"
		"- Feature flag: turn it off.\n\n"
		"## Helm rollback\n\n```bash\nhelm rollback web 3\n```\n\n"
		"## Image rollback\n\n```bash\nkubectl set image deployment/web "
		"web=web:1.2.2\n```\n\n"
		"## Feature flag\n\n```bash\ncurl -X PATCH "
		"https://flags.example/api/flags/web -d off\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *opts = cJSON_GetObjectItem(d, "options");
	const char *var = str(d, "variable");
	const char *runs[] = { "helm rollback", "kubectl set image",
			       "curl -X PATCH" };

	ck_assert_int_eq(cJSON_GetArraySize(opts), 3);
	for (int k = 0; k < 3; k++) {
		cJSON *st = find_step(root, "run", runs[k], NULL, NULL);
		cJSON *vals = cJSON_GetObjectItem(cJSON_GetObjectItem(st,
								      "when"),
						  var);
		const char *id = str(cJSON_GetArrayItem(opts, k), "id");

		ck_assert_msg(cJSON_GetArraySize(vals) == 1 &&
			      strcmp(cJSON_GetArrayItem(vals, 0)->valuestring,
				     id) == 0, "%s does not run on %s alone",
			      runs[k], id);
	}
	cJSON_Delete(root);
}
END_TEST


/* A lone "Approach B" after numbered sections of their own: those are
 * the approach written first, the other option of one decision, not a
 * procedure B falls back from. */
START_TEST(test_import_lone_approach_b_is_an_alternative_to_the_steps_above)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n"
		"### 1. Roll back with Helm\n\n```bash\nhelm rollback web 3\n```\n\n"
		"### 2. Verify the pods\n\n```bash\nkubectl get pods -l app=web\n```\n\n"
		"### Approach B: Roll back the image\n\n"
		"```bash\nkubectl set image deployment/web web=web:1.2.2\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const char *var = str(d, "variable");
	cJSON *helm = find_step(root, "run", "helm rollback", NULL, NULL);
	cJSON *img = find_step(root, "run", "set image", NULL, NULL);
	cJSON *opts = cJSON_GetObjectItem(d, "options");

	ck_assert_int_eq(cJSON_GetArraySize(opts), 2);
	ck_assert_ptr_null(strstr(str(cJSON_GetArrayItem(opts, 1), "id"),
				  "not-needed"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(helm,
		"when"), var));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(img,
		"when"), var));
	cJSON_Delete(root);
}
END_TEST


/* A read-only lookup written just before the step that uses a value
 * (helm history before helm rollback <REVISION>) runs before the value
 * is asked, not after it. */
START_TEST(test_import_lookup_informing_a_value_comes_before_its_input)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n"
		"Find the last good revision:\n\n```bash\nhelm history web\n```\n\n"
		"Then roll back to it:\n\n"
		"```bash\nhelm rollback web <REVISION>\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int lp = -1, li = -1, ip = -1, ii = -1;
	cJSON *look = find_step(root, "run", "helm history", &lp, &li);
	cJSON *in = find_step(root, "variable", "REVISION", &ip, &ii);

	ck_assert_ptr_nonnull(look);
	ck_assert_ptr_nonnull(in);
	ck_assert_msg(lp < ip || (lp == ip && li < ii), "lookup at %d/%d, "
		      "input at %d/%d", lp, li, ip, ii);
	cJSON_Delete(root);
}
END_TEST


/* An approval with no destructive step to gate is not drafted as a
 * sign-off over nothing: it stays a check, with a review point. */
START_TEST(test_import_approval_gating_nothing_is_a_check)
{
	static const char text[] =
		"# Web rollback\n\n## Approve\n\n"
		"- [ ] Platform Owner approval obtained\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1/health\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_int_eq(count_kind(root, "approve"), 0);
	ck_assert_ptr_nonnull(find_step(root, "title", "Platform Owner",
					NULL, NULL));
	ck_assert(review_on(root, -1, "gates no destructive step"));
	cJSON_Delete(root);
}
END_TEST


/* A two-dimensional matrix asks both of its dimensions before its
 * decision, the column's as well as the row's. */
START_TEST(test_import_matrix_asks_both_dimensions)
{
	static const char text[] =
		"# Web rollback\n\n## When to roll back\n\n"
		"| Severity | Environment | Action |\n"
		"|----------|-------------|--------|\n"
		"| P1 | production | Roll back |\n"
		"| P1 | staging | Fix forward |\n"
		"| P2 | production | Fix forward |\n"
		"| P2 | staging | Fix forward |\n\n"
		"## Roll back\n\n```bash\nhelm rollback web 3\n```\n\n"
		"## Fix forward\n\n```bash\ngit revert --no-edit HEAD\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int dp = -1, di = -1;
	cJSON *d = find_step(root, "kind", "decide", &dp, &di);
	cJSON *m = cJSON_GetObjectItem(d, "matrix");
	const char *axes[] = { "rows", "cols" };

	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < 2; k++) {
		const char *var = str(cJSON_GetObjectItem(m, axes[k]),
				      "variable");
		int ip = -1, ii = -1;
		cJSON *in = find_step(root, "variable", var, &ip, &ii);

		ck_assert_msg(in && strcmp(str(in, "kind"), "input") == 0 &&
			      (ip < dp || (ip == dp && ii < di)),
			      "%s (%s) is not asked before the decision",
			      var, axes[k]);
	}
	cJSON_Delete(root);
}
END_TEST


/* The option ids step ST runs on for VAR (a string or a list), joined
 * by commas; "" when it has no condition on VAR. Caller frees. */
static char *
when_on(const cJSON *st, const char *var)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "when"),
					     var);
	const cJSON *o;
	struct strbuf sb = STRBUF_INIT;

	if (cJSON_IsString(v))
		strbuf_adds(&sb, v->valuestring);
	if (cJSON_IsArray(v))
		cJSON_ArrayForEach(o, v)
			strbuf_addf(&sb, "%s%s", sb.len ? "," : "",
				    o->valuestring);
	return strbuf_detach(&sb);
}

static void
assert_runs_on(const cJSON *root, const char *run, const char *var,
	       const char *want)
{
	const cJSON *st = find_step(root, "run", run, NULL, NULL);
	char *got;

	ck_assert_msg(st != NULL, "no step runs %s", run);
	got = when_on(st, var);
	ck_assert_msg(strcmp(got, want) == 0, "%s runs when %s is '%s', not "
		      "'%s'", run, var, got, want);
	free(got);
}


/* "Pick one:" over procedures whose commands sit in one later section,
 * each under a lead-in naming it ("Scale to zero:"): each command runs
 * on its own procedure only, never both on one path. */
START_TEST(test_import_pick_one_ties_commands_by_their_lead_ins)
{
	static const char text[] =
		"# Worker rollback\n\n## Decide\n\nPick one:\n\n"
		"1. Scale the new workers to zero and let the old ones take over\n"
		"2. Set the image back to the previous tag\n"
		"3. Do not roll back, fix forward\n\n"
		"## Approval\n\n- [ ] On-call Lead approval obtained\n\n"
		"## Execute\n\nScale to zero:\n\n```bash\nkubectl -n jobs scale "
		"deployment/worker-v2 --replicas=0\n```\n\nSet image:\n\n"
		"```bash\nkubectl -n jobs set image deployment/worker "
		"worker=worker:<PREVIOUS_TAG>\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *opts = cJSON_GetObjectItem(d, "options");
	const char *var = str(d, "variable");

	ck_assert_int_eq(cJSON_GetArraySize(opts), 3);
	assert_runs_on(root, "scale deployment", var,
		       str(cJSON_GetArrayItem(opts, 0), "id"));
	assert_runs_on(root, "set image", var,
		       str(cJSON_GetArrayItem(opts, 1), "id"));
	cJSON_Delete(root);
}
END_TEST


/* Bold "Option 1 — ..." / "Option 2 — ..." lead-ins are alternatives
 * like option headings, whether the command is inline or fenced. */
START_TEST(test_import_bold_option_lead_ins_are_one_decision)
{
	static const char text[] =
		"# API rollback\n\n## Roll back\n\n"
		"**Option 1 \xe2\x80\x94 restart only:** `systemctl restart api`\n\n"
		"**Option 2 \xe2\x80\x94 full redeploy:**\n\n"
		"```bash\n./deploy.sh --env prod --tag 4.1.0 --force\n```\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1/health\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *opts = cJSON_GetObjectItem(d, "options");
	const char *var;

	ck_assert_ptr_nonnull(d);
	var = str(d, "variable");
	ck_assert_int_eq(cJSON_GetArraySize(opts), 2);
	assert_runs_on(root, "systemctl restart api", var,
		       str(cJSON_GetArrayItem(opts, 0), "id"));
	assert_runs_on(root, "./deploy.sh", var,
		       str(cJSON_GetArrayItem(opts, 1), "id"));
	cJSON_Delete(root);
}
END_TEST


/* A matrix whose columns are environments: the environment is an input
 * (one of the column names, the same variable the commands use), the
 * rows a decision, and each cell's command runs only on its action and
 * the environments whose cells name it. */
START_TEST(test_import_matrix_with_environment_columns_is_two_dimensional)
{
	static const char text[] =
		"# Release rollback\n\n## Decide\n\n"
		"| Situation | staging | production |\n|---|---|---|\n"
		"| Errors < 1% | Fix forward | Fix forward |\n"
		"| Errors 1-5% | Roll back | Feature flag off |\n"
		"| Errors > 5% | Roll back | Roll back |\n\n"
		"## Approval\n\n- [ ] Engineering Lead approval obtained\n\n"
		"## Roll back\n\n```bash\n./deploy.sh --env <ENVIRONMENT> "
		"--tag v1.2.2\n```\n\n"
		"## Feature flag off\n\n```bash\ncurl -X POST "
		"https://flags.example/admin/kill/checkout\n```\n\n"
		"## Fix forward\n\n- [ ] Open a hotfix PR\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int dp = -1, di = -1, ip = -1, ii = -1;
	cJSON *d = find_step(root, "kind", "decide", &dp, &di);
	cJSON *m = cJSON_GetObjectItem(d, "matrix");
	cJSON *cols = cJSON_GetObjectItem(m, "cols");
	const char *env, *var;
	cJSON *in;
	char *cells;

	ck_assert_ptr_nonnull(cols);
	env = str(cols, "variable");
	var = str(d, "variable");
	ck_assert_str_eq(env, "ENVIRONMENT");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(cols,
		"values"), 1)->valuestring, "production");
	in = find_step(root, "variable", env, &ip, &ii);
	ck_assert_msg(in && (ip < dp || (ip == dp && ii < di)),
		      "the environment is not asked before the decision");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(
		m, "rows"), "values")), 3);
	/* "< 1%" is not "1%": the comparison stays in the row's value */
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(m, "rows"), "values"), 0)->valuestring,
		"errors-lt-1");
	cells = cJSON_PrintUnformatted(cJSON_GetObjectItem(m, "cells"));
	ck_assert_str_eq(cells, "[[\"fix-forward\",\"fix-forward\"],"
			 "[\"roll-back\",\"feature-flag-off\"],"
			 "[\"roll-back\",\"roll-back\"]]");
	free(cells);
	assert_runs_on(root, "./deploy.sh", var, "roll-back");
	assert_runs_on(root, "./deploy.sh", env, "staging,production");
	assert_runs_on(root, "curl -X POST", var, "feature-flag-off");
	assert_runs_on(root, "curl -X POST", env, "production");
	ck_assert_ptr_nonnull(strstr(str(find_step(root, "run", "./deploy.sh",
		NULL, NULL), "run"), "${ENVIRONMENT}"));
	cJSON_Delete(root);
}
END_TEST



/* STEP's place in the walk: phase, then index. */
static int
walk_order(const cJSON *root, const char *run)
{
	int p = -1, i = -1;

	ck_assert_msg(find_step(root, "run", run, &p, &i) != NULL,
		      "no step runs %s", run);
	return p * 1000 + i;
}

/* A section's script keeps its order when its destructive line goes
 * behind the approval: git checkout and terraform plan never run after
 * the terraform apply of the same fence. A state version id is no
 * release version: it takes an S3 version id. */
START_TEST(test_import_split_script_keeps_its_order_and_ids_take_any_value)
{
	static const char text[] =
		"# Network state rollback\n\n"
		"### Step 1 \xe2\x80\x94 look at state versions\n\n"
		"    aws s3api list-object-versions --bucket tfstate --prefix net\n\n"
		"### Step 2 \xe2\x80\x94 approval\n\n"
		"- [ ] Platform Lead approval obtained\n\n"
		"### Step 3 \xe2\x80\x94 restore the previous state\n\n"
		"```bash\naws s3api get-object --bucket tfstate --key net "
		"--version-id <STATE_VERSION_ID> prev.tfstate\n"
		"terraform state push -force prev.tfstate\n```\n\n"
		"### Step 4 \xe2\x80\x94 re-apply the last known good config\n\n"
		"```bash\ngit checkout <GOOD_TAG>\n"
		"terraform plan -out rollback.plan\n"
		"terraform apply rollback.plan\n```\n\n"
		"### Step 5 \xe2\x80\x94 publish <GOOD_VERSION>\n\n"
		"```bash\n./publish.sh <GOOD_VERSION>\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	const char *pat = str(variable(root, "STATE_VERSION_ID"), "pattern");
	regex_t re;
	char *anchored;

	/* the checkout, the plan and its apply share rollback.plan: one
	 * script, in the order written */
	ck_assert_int_le(walk_order(root, "git checkout"),
			 walk_order(root, "terraform plan"));
	ck_assert_int_le(walk_order(root, "terraform plan"),
			 walk_order(root, "terraform apply"));
	ck_assert_int_lt(walk_order(root, "terraform state push"),
			 walk_order(root, "git checkout"));
	if (pat) {
		anchored = xasprintf("^(%s)$", pat);
		ck_assert_int_eq(regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB),
				 0);
		ck_assert_msg(regexec(&re, "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
				      0, NULL, 0) == 0, "STATE_VERSION_ID's "
			      "pattern %s refuses an S3 version id", pat);
		regfree(&re);
		free(anchored);
	}
	/* a release version keeps its version pattern */
	ck_assert_ptr_nonnull(str(variable(root, "GOOD_VERSION"), "pattern"));
	cJSON_Delete(root);
}
END_TEST



/* A runbook of numbered steps keeps their order (the check after the
 * rollback verifies, it does not run before it), and "Get approval from
 * the release manager" is a sign-off by that role. */
START_TEST(test_import_numbered_steps_keep_order_and_their_approver)
{
	static const char text[] =
		"# Release rollback\n\n"
		"1. Check the current release:\n"
		"   ```bash\n   helm history web\n   ```\n"
		"2. Get approval from the release manager.\n"
		"3. Roll back:\n"
		"   ```bash\n   helm rollback web 3\n   ```\n"
		"4. Check the pods:\n"
		"   ```bash\n   kubectl rollout status deployment/web "
		"--timeout=120s\n   ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ap = find_step(root, "kind", "approve", NULL, NULL);

	ck_assert_int_lt(walk_order(root, "helm history"),
			 walk_order(root, "helm rollback"));
	ck_assert_int_lt(walk_order(root, "helm rollback"),
			 walk_order(root, "rollout status"));
	ck_assert_ptr_nonnull(ap);
	ck_assert_int_eq(count_kind(root, "approve"), 1);
	ck_assert_str_eq(str(cJSON_GetArrayItem(cJSON_GetObjectItem(ap,
		"roles"), 0), "role"), "Release Manager");
	cJSON_Delete(root);
}
END_TEST



/* Optional and required follow the runbook's words: the yank done by
 * hand after the approval is a required step of execute, and the
 * section headed "(optional)" gives optional steps. */
START_TEST(test_import_optional_follows_the_runbooks_words)
{
	static const char text[] =
		"# Yank a bad release\n\n## Assess\n\n```bash\n"
		"pip index versions acme-client\n```\n\n"
		"## Approval\n\n- [ ] Release Manager approval obtained\n\n"
		"## Yank\n\n1. Open the package's releases page in the index's "
		"web console.\n"
		"2. Click **Options** next to `<BAD_VERSION>` and choose "
		"**Yank**.\n\n"
		"## Publish a fix-forward (optional)\n\n```bash\n"
		"python -m build\ntwine upload dist/*\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int p = -1;
	cJSON *yank = find_step(root, "note", "choose **Yank**", &p, NULL);

	ck_assert_ptr_nonnull(yank);
	ck_assert_int_eq(p, PHASE_EXECUTE);
	ck_assert(!cJSON_IsFalse(cJSON_GetObjectItem(yank, "required")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(find_step(root, "run",
		"twine upload", NULL, NULL), "required")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(find_step(root, "run",
		"python -m build", NULL, NULL), "required")));
	cJSON_Delete(root);
}
END_TEST



/* A troubleshooting table's rows are contingencies: "did you see X?",
 * yes or no, each row's remedy only on yes, so a healthy rollback runs
 * none of them. A remedy that changes things, decided after the main
 * approval, has a sign-off of its own on its path, after the decision
 * and before the remedy. */
START_TEST(test_import_troubleshooting_table_rows_are_contingencies)
{
	static const char text[] =
		"# Payments rollback\n\n## Approval\n\n"
		"- [ ] Payments Lead approval obtained\n\n"
		"## Roll back\n\n```bash\nkubectl -n pay rollout undo "
		"deployment/gateway\n```\n\n"
		"## Verify\n\n```bash\nkubectl -n pay rollout status "
		"deployment/gateway --timeout=180s\n```\n\n"
		"## Troubleshooting\n\n| Symptom | Action |\n|---|---|\n"
		"| Pods CrashLoopBackOff after undo | `kubectl -n pay delete pod "
		"-l app=gateway` |\n"
		"| Still 5xx | Escalate to the payments lead |\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int dp = -1, di = -1, rp = -1, ri = -1, ap = -1, ai = -1;
	cJSON *d = find_step(root, "title", "CrashLoopBackOff", &dp, &di);
	cJSON *fix = find_step(root, "run", "delete pod", &rp, &ri);
	cJSON *esc = find_step(root, "title", "Escalate", NULL, NULL);
	cJSON *gate = NULL, *o;
	const char *var;
	char *w;
	int has_no = 0;

	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(str(d, "kind"), "decide");
	var = str(d, "variable");
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(d, "options"))
		has_no |= strcmp(str(o, "id"), "no") == 0;
	ck_assert(has_no);
	ck_assert_ptr_nonnull(fix);
	w = when_on(fix, var);
	ck_assert_str_eq(w, "yes");
	free(w);
	ck_assert_msg(dp * 1000 + di < rp * 1000 + ri,
		      "the remedy comes before its question");
	ck_assert_ptr_nonnull(esc);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(esc, "when"));
	ck_assert_ptr_null(find_step(root, "variable", "RESPONSE", NULL, NULL));
	/* the remedy's own sign-off, between the question and the remedy */
	for (int p = 0; p < PHASE_COUNT && !gate; p++) {
		int i = 0;
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			const cJSON *g;

			cJSON_ArrayForEach(g, cJSON_GetObjectItem(st, "gates"))
				if (strcmp(g->valuestring, str(fix, "id")) == 0) {
					gate = st;
					ap = p;
					ai = i;
				}
			i++;
		}
	}
	ck_assert_ptr_nonnull(gate);
	w = when_on(gate, var);
	ck_assert_str_eq(w, "yes");
	free(w);
	ck_assert(dp * 1000 + di < ap * 1000 + ai &&
		  ap * 1000 + ai < rp * 1000 + ri);
	cJSON_Delete(root);
}
END_TEST



/* "Pick the platform(s) affected" lets the operator choose several, but
 * at least one: one decision whose options are iOS, Android and both,
 * each setting a yes or no per platform, so iOS and Android can both be
 * halted and no path declines both (the try's "no to both" walked on and
 * halted nothing). */
START_TEST(test_import_platforms_s_is_one_question_per_platform)
{
	static const char text[] =
		"# Mobile release halt\n\nPick the platform(s) affected.\n\n"
		"## iOS\n\n```bash\n./halt-release.sh ios\n```\n\n"
		"## Android\n\n```bash\n./halt-release.sh android\n```\n\n"
		"## Verify\n\n```bash\n./release-status.sh\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ios = find_step(root, "run", "halt-release.sh ios", NULL, NULL);
	cJSON *and = find_step(root, "run", "halt-release.sh android", NULL,
			       NULL);
	cJSON *wi = cJSON_GetObjectItem(ios, "when");
	cJSON *wa = cJSON_GetObjectItem(and, "when");
	const char *vi, *va;
	const cJSON *o;
	cJSON *d;
	int both = 0;

	ck_assert_int_eq(cJSON_GetArraySize(wi), 1);
	ck_assert_int_eq(cJSON_GetArraySize(wa), 1);
	vi = wi->child->string;
	va = wa->child->string;
	ck_assert_str_ne(vi, va);
	ck_assert_str_eq(cJSON_GetStringValue(wi->child), "yes");
	ck_assert_int_eq(count_kind(root, "decide"), 1);
	d = find_step(root, "kind", "decide", NULL, NULL);
	ck_assert_str_eq(str(d, "title"), "Which apply: iOS, Android or both?");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d,
		"options")), 3);
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(d, "options")) {
		const cJSON *sets = cJSON_GetObjectItem(o, "sets");
		const char *si = str(sets, vi), *sa = str(sets, va);

		ck_assert_msg(si && sa, "option %s sets neither", str(o, "id"));
		ck_assert_msg(strcmp(si, "yes") == 0 || strcmp(sa, "yes") == 0,
			      "option %s declines both", str(o, "id"));
		both += strcmp(si, "yes") == 0 && strcmp(sa, "yes") == 0;
	}
	ck_assert_int_eq(both, 1);
	ck_assert_str_eq(str(cJSON_GetArrayItem(cJSON_GetObjectItem(d,
		"options"), 2), "label"), "iOS and Android");
	ck_assert(!draft_lints(text, "unreachable"));
	ck_assert(!draft_lints(text, "unset-before-use"));
	cJSON_Delete(root);
}
END_TEST



/* An escalation matrix (| Severity | Who | Within |) is a decision whose
 * options are whom to call, in the table's words, the time staying in
 * the description: never "5 min" as an option. */
START_TEST(test_import_escalation_matrix_options_are_the_tables_words)
{
	static const char text[] =
		"# Worker rollback\n\n## Procedure\n\n```bash\n"
		"sudo systemctl restart worker\n```\n\n## Escalation\n\n"
		"| Severity | Who | Within |\n|---|---|---|\n"
		"| SEV1 | Head of Platform + on-call lead | 5 min |\n"
		"| SEV2 | On-call lead | 15 min |\n"
		"| SEV3 | Team channel | next business day |\n";
	static const char *const labels[] = { "Head of Platform + on-call lead",
		"On-call lead", "Team channel", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "title", "Escalation", NULL, NULL);
	cJSON *opts = cJSON_GetObjectItem(d, "options");
	cJSON *cells = cJSON_GetObjectItem(cJSON_GetObjectItem(d, "matrix"),
					   "cells");
	size_t i = 0;
	const cJSON *o;

	ck_assert_ptr_nonnull(cJSON_GetObjectItem(d, "matrix"));
	ck_assert_int_eq(cJSON_GetArraySize(opts), 3);
	cJSON_ArrayForEach(o, opts) {
		ck_assert_str_eq(str(o, "label"), labels[i]);
		ck_assert_ptr_nonnull(strstr(str(o, "description"), "Within: "));
		ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(cells,
			(int)i), 0)->valuestring, str(o, "id"));
		i++;
	}
	ck_assert_str_eq(str(opts->child, "id"), "head-of-platform-on-call-lead");
	cJSON_Delete(root);
}
END_TEST

/* A review point about a credential taken out of the runbook promises a
 * secret input only when the draft asks one: a token written in prose,
 * which no command uses, is removed and said so, never "you will be
 * asked". */
START_TEST(test_import_credential_review_promises_only_an_asked_input)
{
	static const char text[] =
		"# npm rollback\n\n## Approval\n\n"
		"- [ ] Release Manager approval obtained\n\n## Procedure\n\n"
		"```\nnpm dist-tag add @acme/w@<GOOD_VERSION> latest\n```\n\n"
		"NPM_TOKEN in CI is npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 "
		"(rotate after).\n\n"
		"```\ncurl -H \"Authorization: Bearer "
		"ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\" "
		"https://api.example.test/hooks\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	const cJSON *r, *v;
	int prose = 0, used = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review")) {
		const char *t = str(r, "text");
		const char *d = strstr(t, "${");

		if (!strstr(t, "held a credential"))
			continue;
		if (strstr(t, "npm token")) {
			prose++;
			ck_assert_msg(!strstr(t, "secret input") && !d, "%s", t);
			ck_assert_ptr_nonnull(strstr(t, "nothing asks it"));
			continue;
		}
		used++;
		ck_assert_msg(d != NULL, "%s", t);
		{
			char *name = xstrndup(d + 2, strcspn(d + 2, "}"));

			v = variable(root, name);
			ck_assert_msg(v && cJSON_IsTrue(cJSON_GetObjectItem(v,
				"secret")), "%s is not a secret variable", name);
			ck_assert_ptr_nonnull(find_step(root, "variable", name,
							NULL, NULL));
			free(name);
		}
	}
	ck_assert_int_eq(prose, 1);
	ck_assert_int_eq(used, 1);
	cJSON_Delete(root);
}
END_TEST

/* Output under "You should see something like:" is a sample: a note and
 * the drill's output, never an expect the real run must match; output
 * under "Expected output:" stays the step's expect. */
START_TEST(test_import_sample_output_is_a_note_not_an_expect)
{
	static const char text[] =
		"# Gateway rollback\n\n## Roll back\n\n```bash\n"
		"kubectl -n gw rollout undo deployment/gateway\n```\n\n"
		"## Verify\n\n```bash\ncurl -s http://127.0.0.1:8001/version\n"
		"```\n\nYou should see something like:\n\n```\nv56\n```\n\n"
		"```bash\ncurl -s http://127.0.0.1:8001/health\n```\n\n"
		"Expected output:\n\n```\nok\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ver = find_step(root, "run", "/version", NULL, NULL);
	cJSON *health = find_step(root, "run", "/health", NULL, NULL);

	ck_assert_ptr_null(cJSON_GetObjectItem(ver, "expect"));
	ck_assert_ptr_nonnull(strstr(str(ver, "note"), "v56"));
	ck_assert_str_eq(str(cJSON_GetObjectItem(ver, "drill"), "output"),
			 "v56");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(health, "expect"));
	cJSON_Delete(root);
}
END_TEST



/* Approve step gating step ID, or NULL; *AT gets its walk order. */
static cJSON *
gate_of(const cJSON *root, const char *id, int *at)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		int i = 0;
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			const cJSON *g;

			cJSON_ArrayForEach(g, cJSON_GetObjectItem(st, "gates"))
				if (strcmp(g->valuestring, id) == 0) {
					*at = p * 1000 + i;
					return st;
				}
			i++;
		}
	}
	return NULL;
}

/* The value NAME, used only by the remedy RUN of a contingency decided
 * after the runbook's approval, is asked on the remedy's path alone:
 * after the question, before the sign-off that covers RUN, and never
 * before the runbook's approval (every path would need it). */
static void
assert_asked_on_remedy_path(const cJSON *root, const char *name,
			    const char *run)
{
	int ph = -1, pi = -1, at = -1, dp = -1, di = -1, gp = -1;
	cJSON *in = find_step(root, "variable", name, &ph, &pi);
	cJSON *st = find_step(root, "run", run, NULL, NULL);
	cJSON *main_ap = find_step(root, "kind", "approve", &gp, NULL);
	const cJSON *w, *d;

	ck_assert_msg(in && strcmp(str(in, "kind"), "input") == 0,
		      "%s is not asked", name);
	ck_assert_msg(st != NULL, "no step runs %s", run);
	ck_assert_msg(gate_of(root, str(st, "id"), &at) != NULL,
		      "nothing signs off %s", run);
	ck_assert_msg(ph * 1000 + pi < at, "%s is asked after the sign-off "
		      "that covers %s", name, run);
	ck_assert_msg(ph > gp && main_ap, "%s is asked before the runbook's "
		      "approval, on every path", name);
	w = cJSON_GetObjectItem(in, "when");
	ck_assert_msg(w && w->child, "%s is asked on every path", name);
	d = find_step(root, "variable", w->child->string, &dp, &di);
	ck_assert_msg(d && strcmp(str(d, "kind"), "decide") == 0,
		      "%s is asked when %s, no decision", name,
		      w->child->string);
	ck_assert_int_lt(dp * 1000 + di, ph * 1000 + pi);
	ck_assert_str_eq(when_value(in, w->child->string),
			 when_value(st, w->child->string));
}

/* A contingency decided in verify, after the runbook's approval (which
 * gates execute only): its destructive remedy has a sign-off of its own
 * on that path, after the question and before the remedy. */
START_TEST(test_import_late_contingency_remedy_has_its_own_sign_off)
{
	static const char text[] =
		"# Config rollback\n\n## Approval\n\n"
		"- [ ] Service Owner approval obtained\n\n"
		"## Roll back\n\n```bash\nkubectl -n cfg rollout undo "
		"deployment/config\n```\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1:8080/healthz\n"
		"```\n\nIf the health check fails, restore the config DB:\n\n"
		"```bash\npg_restore --clean -d configdb /backups/nightly.dump\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int dp = -1, di = -1, at = -1;
	cJSON *d = find_step(root, "title", "If the health check fails", &dp,
			     &di);
	cJSON *fix = find_step(root, "run", "pg_restore", NULL, NULL);
	cJSON *gate;
	char *w;

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(fix);
	gate = gate_of(root, str(fix, "id"), &at);
	ck_assert_msg(gate != NULL, "nothing signs off the late remedy");
	w = when_on(gate, str(d, "variable"));
	ck_assert_str_eq(w, "yes");
	free(w);
	ck_assert_int_lt(dp * 1000 + di, at);
	ck_assert_int_lt(at, walk_order(root, "pg_restore"));
	cJSON_Delete(root);
}
END_TEST



/* A runbook that writes <ENVIRONMENT> before its environment matrix
 * asks one environment, the matrix's columns its values. */
START_TEST(test_import_environment_matrix_reuses_the_placeholder)
{
	static const char text[] =
		"# Release rollback\n\n## Assess\n\n```bash\ncurl -fsS "
		"https://<ENVIRONMENT>.example.com/healthz\n```\n\n"
		"## Decide\n\n"
		"| Situation | staging | production |\n|---|---|---|\n"
		"| Errors 1-5% | Roll back | Fix forward |\n"
		"| Errors > 5% | Roll back | Roll back |\n\n"
		"## Roll back\n\n```bash\n./deploy.sh --env <ENVIRONMENT> "
		"--tag v1.2.2\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const char *env = str(cJSON_GetObjectItem(cJSON_GetObjectItem(d,
		"matrix"), "cols"), "variable");

	ck_assert_str_eq(env, "ENVIRONMENT");
	ck_assert_ptr_null(variable(root, "ENVIRONMENT_2"));
	ck_assert_str_eq(str(variable(root, "ENVIRONMENT"), "pattern"),
			 "(staging|production)");
	cJSON_Delete(root);
}
END_TEST



/* A contingency in execute, answered after the runbook's approval: its
 * remedy has a sign-off of its own, and the runbook's approval no longer
 * covers it (it gates the other execute steps by id), so answering yes
 * voids nothing already signed. */
START_TEST(test_import_execute_contingency_remedy_is_out_of_the_main_gate)
{
	static const char text[] =
		"# Network rollback\n\n## Approval\n\n"
		"- [ ] Platform Lead approval obtained\n\n"
		"## Roll back\n\n```bash\nterraform apply rollback.plan\n```\n\n"
		"If the apply fails with a lock error, force-unlock:\n\n"
		"```bash\nterraform force-unlock -force 1234-abcd\n"
		"curl -X POST http://127.0.0.1:9200/_snapshot/n/s1/_restore\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *fix = find_step(root, "run", "force-unlock", NULL, NULL);
	cJSON *post = find_step(root, "run", "_restore", NULL, NULL);
	cJSON *apply = find_step(root, "run", "terraform apply", NULL, NULL);
	cJSON *main_ap = find_step(root, "title", "Platform Lead", NULL, NULL);
	cJSON *gates = cJSON_GetObjectItem(main_ap, "gates");
	const cJSON *g;
	int at = -1, covers_fix = 0, covers_apply = 0;

	ck_assert_ptr_nonnull(fix);
	ck_assert_ptr_nonnull(gate_of(root, str(fix, "id"), &at));
	ck_assert_int_lt(at, walk_order(root, "force-unlock"));
	ck_assert_ptr_nonnull(gates);
	cJSON_ArrayForEach(g, gates) {
		covers_fix |= strcmp(g->valuestring, str(fix, "id")) == 0;
		covers_apply |= strcmp(g->valuestring, str(apply, "id")) == 0;
	}
	ck_assert(!covers_fix);
	ck_assert(covers_apply);
	/* the rest of the remedy changes things too: under the same sign-off */
	ck_assert_ptr_nonnull(post);
	ck_assert_ptr_nonnull(gate_of(root, str(post, "id"), &at));
	cJSON_ArrayForEach(g, gates)
		ck_assert_str_ne(g->valuestring, str(post, "id"));
	cJSON_Delete(root);
}
END_TEST


/* "If the flags API is down, set the override instead" after a PATCH
 * that went to execute: the question is asked in execute right after the
 * PATCH and before the override's commands (asked in verify, after them,
 * "yes" could never run them), and the override has its own sign-off
 * between the question and its commands. */
START_TEST(test_import_fallback_question_comes_before_its_remedy)
{
	static const char text[] =
		"# Kill switch\n\n## 1. Assess\n\n"
		"```bash\ncurl -s https://flags.test/api/v1/flags/s2 | jq .on\n"
		"```\n\n## 2. Approval\n\nApproval: Search on-call.\n\n"
		"## 3. Turn the flag off\n\n"
		"```bash\ncurl -X PATCH -d '{\"on\": false}' "
		"https://flags.test/api/v1/flags/s2\n```\n\n"
		"If the flags API is down, set the override in the config map "
		"instead:\n\n"
		"```bash\nkubectl create configmap f --from-literal=S2=off -n s "
		"--dry-run=client -o yaml | kubectl apply -f -\n"
		"kubectl rollout restart deployment/search-api -n s\n```\n\n"
		"## 4. Verify\n\n"
		"```bash\ncurl -s https://flags.test/api/v1/flags/s2 | jq .on\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int qp = -1, qi = -1, sp = -1, si = -1, at = -1;
	cJSON *q = find_step(root, "title", "If the flags API is down", &qp, &qi);
	cJSON *patch = find_step(root, "run", "curl -X PATCH", NULL, NULL);
	cJSON *apply = find_step(root, "run", "kubectl apply", NULL, NULL);
	cJSON *restart = find_step(root, "run", "rollout restart", NULL, NULL);
	cJSON *own;

	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_nonnull(patch);
	ck_assert_ptr_nonnull(apply);
	ck_assert_ptr_nonnull(restart);
	ck_assert_int_eq(qp, PHASE_EXECUTE);
	ck_assert_int_lt(walk_order(root, "curl -X PATCH"), qp * 1000 + qi);
	ck_assert_int_lt(qp * 1000 + qi, walk_order(root, "kubectl apply"));
	ck_assert_int_lt(qp * 1000 + qi, walk_order(root, "rollout restart"));
	own = gate_of(root, str(apply, "id"), &at);
	ck_assert_ptr_nonnull(own);
	ck_assert_ptr_nonnull(find_step(root, "title", "Sign-off before: If "
					"the flags", &sp, &si));
	ck_assert_int_eq(sp * 1000 + si, at);
	ck_assert_int_eq(at, qp * 1000 + qi + 1);
	ck_assert_ptr_eq(gate_of(root, str(restart, "id"), &at), own);
	cJSON_Delete(root);
}
END_TEST

/* An escalation table asked in verify, after execute, ties no execute
 * step written after it: tied to its options, the notes file's step
 * would wait on a question asked only later, and never run. */
START_TEST(test_import_step_never_waits_on_a_later_escalation)
{
	static const char text[] =
		"# Mobile app release halt\n\n## Backend compatibility\n\n"
		"```bash\naws ssm put-parameter --name /m/min --value "
		"<PREV_APP_VERSION> --overwrite\n```\n\n"
		"## Escalation\n\n| Priority | Contact | Channel |\n|---|---|---|\n"
		"| P1 | Mobile lead | phone |\n| P2 | Mobile on-call | Slack |\n\n"
		"## Notes log\n\nKeep a notes file during the incident:\n\n"
		"```bash\ncat >> incident-notes.txt <<EOF\n$(date -u) halted "
		"<APP_VERSION>\nEOF\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int dp = -1, di = -1;
	cJSON *d = find_step(root, "title", "Escalation", &dp, &di);
	cJSON *notes = find_step(root, "run", "incident-notes.txt", NULL, NULL);
	const cJSON *when;

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(notes);
	when = cJSON_GetObjectItem(notes, "when");
	if (walk_order(root, "incident-notes.txt") < dp * 1000 + di)
		ck_assert(!cJSON_HasObjectItem(when, str(d, "variable")));
	cJSON_Delete(root);
}
END_TEST

/* A fix-forward chosen in a table before the approval deploys: its
 * "gh workflow run" is an execute step behind the approval (written
 * after the rollback's steps, it landed in verify, outside the sign-off's
 * gates). */
START_TEST(test_import_fix_forward_deploy_is_behind_the_approval)
{
	static const char text[] =
		"# Checkout web rollback\n\n"
		"| Situation | Action |\n|---|---|\n"
		"| Error rate > 5% | Roll back |\n| Error rate 1-5% | Fix forward |\n\n"
		"## Roll back\n\n```bash\n"
		"kubectl rollout undo deployment/checkout-web -n shop\n```\n\n"
		"## Fix forward\n\n```bash\n"
		"gh workflow run deploy.yml -f version=<FIX_VERSION>\n```\n\n"
		"## Troubleshooting\n\n"
		"If the registry is down, use the mirror instead:\n\n```bash\n"
		"kubectl set image deployment/checkout-web web=mirror.test/w:"
		"<GOOD_VERSION> -n shop\n```\n\n"
		"## Verify\n\n```bash\n"
		"kubectl get deploy checkout-web -n shop\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int p = -1, at = -1;
	cJSON *gh = find_step(root, "run", "gh workflow run", &p, NULL);

	ck_assert_ptr_nonnull(gh);
	ck_assert_int_eq(p, PHASE_EXECUTE);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(gh, "destructive")));
	/* gated: by id when the main approval names its steps, else by
	 * being in execute */
	if (!gate_of(root, str(gh, "id"), &at)) {
		cJSON *ap = find_step(root, "kind", "approve", &p, NULL);

		ck_assert_ptr_nonnull(ap);
		ck_assert_ptr_null(cJSON_GetObjectItem(ap, "gates"));
	}
	cJSON_Delete(root);
}
END_TEST

/* --- the release engineer's third round --------------------------------- */

/* Only commands known to only read run before the approval: a change
 * the rules do not know (a DNS change, a deploy script, a push, a POST)
 * waits behind it with a confirmation and a review point naming its
 * line, so the runbook's approval stays an approval. */
START_TEST(test_import_only_known_reads_run_before_the_approval)
{
	static const char text[] =
		"# Consumer rollback\n\n"			/* 1 */
		"## Check the state\n\n"			/* 3 */
		"```sh\n"					/* 5 */
		"kubectl -n q get pods\n"			/* 6 */
		"./deploy.sh --env prod\n"			/* 7 */
		"git push origin main\n"			/* 8 */
		"curl -X POST https://deploy.test/api/deploys -d '{\"ref\":"
		"\"v1\"}'\n"					/* 9 */
		"kubectl -n q scale deployment/consumer --replicas=2\n"
		"```\n\n"
		"## Approval\n\n"				/* 13 */
		"- [ ] Service Owner approval obtained\n\n"	/* 15 */
		"## Fail over\n\n"				/* 17 */
		"```sh\naws route53 change-resource-record-sets --hosted-zone-id "
		"Z1 --change-batch file://west.json\n```\n\n"	/* 20 */
		"## Verify\n\n```sh\ndig +short api.example.test\n```\n";
	static const char *const gated[] = { "./deploy.sh", "git push",
		"curl -X POST", "kubectl -n q scale", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;
	cJSON *get = find_step(root, "run", "get pods", &ph, NULL);

	ck_assert_ptr_nonnull(get);
	ck_assert_int_eq(ph, PHASE_ASSESS);
	ck_assert_ptr_null(find_step(root, "run", "get pods\n", NULL, NULL));
	for (size_t i = 0; gated[i]; i++) {
		cJSON *st = find_step(root, "run", gated[i], &ph, NULL);

		ck_assert_msg(st != NULL, "%s dropped", gated[i]);
		ck_assert_msg(ph == PHASE_EXECUTE, "%s runs in phase %d",
			      gated[i], ph);
		ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(st,
				"destructive")) && str(st, "confirm"),
			      "%s has no confirmation", gated[i]);
	}
	ck_assert(review_on(root, 7, "not known to be read-only"));
	ck_assert(review_on(root, 8, "not known to be read-only"));
	/* written after the approval, it runs after it */
	ck_assert_ptr_nonnull(find_step(root, "run", "aws route53", &ph, NULL));
	ck_assert_int_gt(ph, PHASE_APPROVE);
	ck_assert_str_eq(str(find_step(root, "title", "Service Owner", NULL,
				       NULL), "kind"), "approve");
	cJSON_Delete(root);
}
END_TEST

/* A section for later ("Fail back (later, not during the incident)",
 * "After the incident") is optional follow-up work, never a required
 * step of the walk. */
START_TEST(test_import_later_sections_are_optional_follow_up)
{
	static const char text[] =
		"# DNS failover\n\n"
		"## Approval\n\n- [ ] Incident Commander approval obtained\n\n"
		"## Fail over\n\n"
		"```sh\naws route53 change-resource-record-sets --change-batch "
		"file://west.json\n```\n\n"
		"## Fail back (later, not during the incident)\n\n"
		"```sh\naws route53 change-resource-record-sets --change-batch "
		"file://east.json\n```\n\n"
		"## Verify\n\n```sh\ndig +short api.example.test\n```\n\n"
		"## After the incident\n\n"
		"```sh\nkubectl -n web scale deployment/web-old --replicas=0\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;
	cJSON *west = find_step(root, "run", "west.json", &ph, NULL);
	cJSON *east, *old;

	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert(!cJSON_IsFalse(cJSON_GetObjectItem(west, "required")));
	east = find_step(root, "run", "east.json", &ph, NULL);
	ck_assert_ptr_nonnull(east);
	ck_assert_int_eq(ph, PHASE_COMMUNICATE);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(east, "required")));
	old = find_step(root, "run", "web-old", &ph, NULL);
	ck_assert_ptr_nonnull(old);
	ck_assert_int_eq(ph, PHASE_COMMUNICATE);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(old, "required")));
	ck_assert_ptr_nonnull(find_step(root, "run", "dig +short", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	cJSON_Delete(root);
}
END_TEST

/* A plain bullet list under "Follow-up" is optional work, with one
 * "required" key: a second one made the draft fail to load (exit 2). */
START_TEST(test_import_follow_up_bullets_load)
{
	static const char text[] =
		"# Fix\n\n## Procedure\n\n```bash\nkubectl -n web rollout "
		"undo deploy/web\n```\n\n## Follow-up\n\n"
		"- Open a postmortem ticket\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1, keys = 0;
	cJSON *st = find_step(root, "note", "postmortem", &ph, NULL), *it;

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ph, PHASE_COMMUNICATE);
	cJSON_ArrayForEach(it, st)
		keys += strcmp(it->string, "required") == 0;
	ck_assert_int_eq(keys, 1);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(st, "required")));
	cJSON_Delete(root);
}
END_TEST

/* A typed confirmation names what is changed: the flag an API call
 * turns off (not the incident id in its body), the target group traffic
 * goes to (not the listener), the revision (not the service), the
 * package and version, the deployment (never "-n NAMESPACE" nor the
 * whole command). */
START_TEST(test_import_confirmation_names_what_is_changed)
{
	static const char text[] =
		"# Rollback\n\n## Roll back\n\n"
		"```bash\ncurl -X PATCH -H \"Authorization: Bearer $FLAGS_ADMIN_TOKEN\" "
		"\\\n  -d '{\"enabled\": false, \"reason\": \"<INCIDENT_ID>\"}' \\\n"
		"  https://flags.test/api/flags/new-pricing\n```\n\n"
		"```bash\naws elbv2 modify-listener --listener-arn \"$LISTENER_ARN\" "
		"--default-actions Type=forward,TargetGroupArn=<PREVIOUS_TG_ARN>\n"
		"```\n\n"
		"```bash\nhelm rollback <SERVICE_NAME> <REVISION> -n <NAMESPACE>\n"
		"```\n\n"
		"```bash\nnpm dist-tag add @acme/sdk@<GOOD_VERSION> latest\n```\n\n"
		"```bash\nkubectl -n jobs scale deployment/worker-v2 --replicas=0\n"
		"```\n\n"
		"```bash\nkubectl -n pay rollout undo deployment/gateway\n```\n";
	static const char *const want[][2] = {
		{ "flags.test", "curl -X PATCH new-pricing" },
		{ "modify-listener", "${PREVIOUS_TG_ARN}" },
		{ "helm rollback", "${SERVICE_NAME} ${REVISION}" },
		{ "dist-tag add", "@acme/sdk@${GOOD_VERSION}" },
		{ "scale deployment", "kubectl scale deployment/worker-v2 "
		  "--replicas=0" },
		{ "rollout undo", "kubectl rollout undo deployment/gateway" },
	};
	cJSON *root = import_text(text, strlen(text), NULL);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cJSON *st = find_step(root, "run", want[i][0], NULL, NULL);

		ck_assert_msg(st != NULL, "%s dropped", want[i][0]);
		ck_assert_msg(str(st, "confirm") &&
			      strcmp(str(st, "confirm"), want[i][1]) == 0,
			      "%s: confirm \"%s\", want \"%s\"", want[i][0],
			      str(st, "confirm"), want[i][1]);
	}
	cJSON_Delete(root);
}
END_TEST

/* A confirmation names the target the step acts on: a revision with
 * the object it is a revision of (so twin steps differ), the place a
 * command with no object acts in; where import finds none, a review
 * point on the command's line says so. */
START_TEST(test_import_confirmation_names_a_target_or_says_it_does_not)
{
	static const char text[] =
		"# Checkout rollback\n\n## Roll back\n\n"	/* 1-4 */
		"```bash\nhelm rollback <SERVICE> <REVISION> -n <NAMESPACE>\n"
		"```\n\n"						/* 5-8 */
		"```bash\nkubectl -n pay rollout undo deployment/checkout "
		"--to-revision=<REVISION>\n```\n\n"			/* 9-12 */
		"```bash\nterraform apply -auto-approve -var=\"env=<ENV>\"\n"
		"```\n\n"						/* 13-16 */
		"```bash\nkubectl apply -f -\n```\n\n"			/* 17-20 */
		"```bash\ncd infra/edge\nterraform init -input=false\n```\n";
									/* 21-24 */
	static const char *const want[][2] = {
		{ "helm rollback", "${SERVICE} ${REVISION}" },
		{ "rollout undo", "deployment/checkout ${REVISION}" },
		{ "terraform apply", "terraform apply in ${ENV}" },
		{ "terraform init", "terraform init in infra/edge" },
		{ "kubectl apply", "kubectl apply" },
	};
	cJSON *root = import_text(text, strlen(text), NULL);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cJSON *st = find_step(root, "run", want[i][0], NULL, NULL);

		ck_assert_msg(st != NULL, "%s dropped", want[i][0]);
		ck_assert_msg(str(st, "confirm") &&
			      strcmp(str(st, "confirm"), want[i][1]) == 0,
			      "%s: confirm \"%s\", want \"%s\"", want[i][0],
			      str(st, "confirm"), want[i][1]);
		ck_assert_int_eq(review_on(root, -1, want[i][1]) &&
				 review_on(root, -1, "names no target"),
				 i == 4);
	}
	ck_assert(review_on(root, 18, "\"kubectl apply\" names no target"));
	cJSON_Delete(root);
}
END_TEST

/* Review points cite the runbook's own lines, whatever comes before:
 * front matter, an HTML comment, a setext heading, a fence inside a list
 * item, a fence indented as code inside a nested item, a heading, a
 * command placed by a later pass, a fence never closed. */
START_TEST(test_import_review_points_cite_exact_lines)
{
	static const char lists[] =
		"---\ntitle: Cart rollback\n---\n"		/* 1-3 */
		"<!--\n  owner: cart team\n-->\n\n"		/* 4-7 */
		"Cart rollback\n=============\n\n"		/* 8-10 */
		"## Roll back\n\n1. Undo the rollout:\n\n"	/* 11-14 */
		"   ```sh\n   kubectl apply -f -\n"		/* 15-16 */
		"   Then wait for the pods to restart\n   ```\n\n" /* 17-19 */
		"- item\n  - nested:\n\n"			/* 20-22 */
		"        kubectl apply -f -\n"			/* 23 */
		"        Now check the dashboard carefully\n\n"	/* 24-25 */
		"## Verify\n\n```sh\ncurl -fsS http://127.0.0.1/h\n"; /* 26-29 */
	static const char sections[] =
		"---\ntitle: Cart\nowner: cart\n---\n\n"	/* 1-5 */
		"<!-- keep this\n     comment -->\n\n"		/* 6-8 */
		"# Cart rollback\n\n## Roll back\n\n"		/* 9-12 */
		"- If the rollback fails, page the database owner and "
		"restore the snapshot.\n"				/* 13 */
		"- Run it:\n  ```sh\n  helm rollback cart <REVISION>\n"
		"  ```\n\n"						/* 14-18 */
		"## If verification fails\n\n"			/* 19-20 */
		"```sh\nkubectl -n shop rollout undo deployment/cart\n```\n";
	static const struct { const char *text; int line; const char *says; }
	want[] = {
		{ lists, 16, "\"kubectl apply\" names no target" },
		{ lists, 17, "Then wait for the pods" },
		{ lists, 23, "\"kubectl apply\" names no target" },
		{ lists, 24, "Now check the dashboard" },
		{ lists, 28, "the fence opened at line 28" },
		{ sections, 19, "the section at line 19" },
		{ sections, 22, "this command changes things" },
	};
	cJSON *root[2] = { import_text(lists, strlen(lists), NULL),
			   import_text(sections, strlen(sections), NULL) };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const cJSON *r = root[want[i].text == sections];

		ck_assert_msg(review_on(r, want[i].line, want[i].says),
			      "no review point on line %d saying %s",
			      want[i].line, want[i].says);
		ck_assert_msg(!review_on(r, want[i].line + 1, want[i].says),
			      "line %d: cited one line late", want[i].line);
	}
	cJSON_Delete(root[0]);
	cJSON_Delete(root[1]);
}
END_TEST

/* The lint rule import's review point follows: a confirmation with no
 * variable and no word of the command's arguments names no target. */
START_TEST(test_import_confirm_target_rule_is_the_lint_rule)
{
	ck_assert(!hazard_confirm_names_target("terraform apply -auto-approve",
					       "terraform apply"));
	ck_assert(!hazard_confirm_names_target("kubectl apply -f -",
					       "kubectl apply"));
	ck_assert(!hazard_confirm_names_target("cd x\nterraform init",
					       "terraform init"));
	ck_assert(!hazard_confirm_names_target("git reset --hard v1.2.2",
					       "yes"));
	ck_assert(hazard_confirm_names_target("git reset --hard v1.2.2",
					      "v1.2.2"));
	ck_assert(hazard_confirm_names_target("kubectl -n prod rollout undo "
					      "deployment/web",
					      "deployment/web in prod"));
	ck_assert(hazard_confirm_names_target("helm rollback web ${R}",
					      "${R}"));
}
END_TEST

/* A contingency's values are known before anyone signs: the backup a
 * verify contingency's pg_restore --clean restores, the snapshot to
 * restore once the index is deleted, are asked before the approval on
 * every path (a when on a decision made after the approval would never
 * hold there), so the sign-off covers them. */
START_TEST(test_import_contingency_values_are_asked_on_their_path_only)
{
	static const char text[] =
		"# Config rollback\n\n"
		"## Approval\n- [ ] Service Owner approval obtained\n\n"
		"## Roll back\n"
		"```bash\nkubectl -n cfg rollout undo deployment/config-svc\n```\n\n"
		"If it fails, delete the broken index and restore from snapshot:\n\n"
		"```bash\ncurl -X DELETE https://es.test:9200/products-<NEW_INDEX>\n"
		"curl -X POST https://es.test:9200/_snapshot/nightly/<SNAPSHOT>/"
		"_restore\n```\n\n"
		"## Verify\n"
		"```bash\ncurl -fsS https://config.test/healthz\n```\n\n"
		"If the health check fails, restore the config DB from backup:\n\n"
		"```bash\npg_restore --clean -d \"$CONFIG_DB_URL\" /backups/"
		"<BACKUP_FILE>\n```\n";
	static const char *const names[] = { "BACKUP_FILE", "SNAPSHOT",
		"NEW_INDEX", NULL };
	static const char *const runs[] = { "pg_restore", "_snapshot",
		"curl -X DELETE", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);

	for (size_t i = 0; names[i]; i++)
		assert_asked_on_remedy_path(root, names[i], runs[i]);
	cJSON_Delete(root);
}
END_TEST

/* Credentials of other shapes never reach the draft: an AWS secret key
 * holding "/", a JWT in a Bearer header, a "?token=" or "&access_token="
 * value, a live Stripe key in prose; each is a secret input with a
 * review point on its line. */
START_TEST(test_import_credentials_of_other_shapes_are_taken_out)
{
	static const char text[] =
		"# Token zoo\n\n"					/* 1 */
		"The key is sk_live_51HxQ2eZvKYlo2C8n3RbT9qWm if asked.\n\n"	/* 3 */
		"## Setup\n\n```bash\n"					/* 7 */
		"export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY"
		"EXAMPLEKEY\n```\n\n"					/* 8 */
		"## Approval\n\n- [ ] Release Manager approval obtained\n\n"
		"## Roll back\n\n```bash\n"				/* 17 */
		"curl -X POST -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9."
		"eyJzdWIiOiJib3QifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk\" "
		"https://deploy.test/api/rollback?service=web\n"	/* 18 */
		"curl -X POST \"https://hooks.test/deploy?token=8f14e45fceea167a5"
		"a36dedd4bea2543&env=prod\"\n"				/* 19 */
		"curl -fsS \"https://api.test/status?env=prod&access_token="
		"Zx9kQ2mP7vL4nR8tY1wE\"\n```\n";			/* 20 */
	static const char *const literals[] = { "sk_live_51Hx", "wJalrXUtn",
		"bPxRfiCY", "eyJhbGci", "dBjftJeZ4", "8f14e45f", "Zx9kQ2mP", NULL };
	static const struct { int line; const char *var; } taken[] = {
		{ 3, "STRIPE_KEY" }, { 8, "AWS_SECRET_ACCESS_KEY" },
		{ 18, "BEARER_TOKEN" }, { 19, "URL_TOKEN" }, { 20, "ACCESS_TOKEN" },
	};
	struct err err = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	cJSON *root;

	ck_assert_msg(json != NULL, "%s", err.msg);
	for (size_t i = 0; literals[i]; i++)
		ck_assert_msg(!strstr(json, literals[i]), "%s reached the draft",
			      literals[i]);
	free(json);
	root = import_text(text, strlen(text), NULL);
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		/* the prose's key is only read: no step asks it */
		ck_assert_msg(taken[i].line == 3 ||
			      cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
				taken[i].var), "secret")), "%s is no secret",
			      taken[i].var);
		ck_assert_msg(review_on(root, taken[i].line, "credential"),
			      "no review point on line %d", taken[i].line);
	}
	ck_assert_ptr_nonnull(find_step(root, "run", "Bearer ${BEARER_TOKEN}",
					NULL, NULL));
	cJSON_Delete(root);
}
END_TEST

/* An approval asked on one option's path only holds on every path whose
 * steps change things: "fix forward" pushes, so it is signed off too. */
START_TEST(test_import_approval_covers_every_path_that_changes_things)
{
	static const char text[] =
		"# Orders\n\n## Decide\n\n"
		"| Situation | Action |\n|---|---|\n"
		"| Checkout errors | Roll back |\n| Known fix | Fix forward |\n\n"
		"## Roll back\n\n```bash\nhelm -n shop rollback orders 41\n```\n\n"
		"## Fix forward\n\n```bash\ngit -C /srv/orders push origin main\n"
		"```\n\n## Verify\n\n```bash\ncurl -fsS http://127.0.0.1:1/h\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *push = find_step(root, "run", "push origin main", NULL, NULL);
	cJSON *ap = cJSON_GetArrayItem(phase_steps(root, PHASE_APPROVE), 0);
	cJSON *when, *v;
	int fix = 0, roll = 0;

	ck_assert_ptr_nonnull(push);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(push, "destructive")));
	ck_assert_ptr_nonnull(str(push, "confirm"));
	ck_assert_str_eq(str(ap, "kind"), "approve");
	when = cJSON_GetObjectItem(ap, "when");
	if (!when) {	/* on every path */
		cJSON_Delete(root);
		return;
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(when, "RESPONSE")) {
		fix |= strcmp(v->valuestring, "fix-forward") == 0;
		roll |= strcmp(v->valuestring, "roll-back") == 0;
	}
	ck_assert(fix && roll);
	cJSON_Delete(root);
}
END_TEST

/* Whatever is not known to only read, written before the approval or
 * after it, is gated with a typed confirmation: a PUT that activates, a
 * deploy or migrate wrapper, terraform init, a push inside a script;
 * and a script's title names what it changes, not its first "cd". */
START_TEST(test_import_changes_anywhere_are_gated_and_named)
{
	static const char text[] =
		"# Billing\n\n## Assess\n\n"
		"```bash\ncd infra/network\nterraform init -input=false\n"
		"terraform state list | wc -l\n```\n\n"
		"## Approval\n\n- [ ] Engineering Manager approval obtained\n\n"
		"## Roll back\n\n"
		"```bash\ncd ~/src/billing\ngit revert --no-edit HEAD\n"
		"git push origin main\n```\n\n"
		"Then:\n\n"
		"```bash\ncurl -X PUT -H \"Fastly-Key: $T\" "
		"https://api.test/service/x/version/3/activate\n"
		"./deploy.sh green --version 1.2.3\n./bin/migrate down 1\n```\n";
	static const char *const gated[] = { "terraform init", "git push",
		"/activate", "./deploy.sh", "./bin/migrate down", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st;
	int ph;

	for (size_t i = 0; gated[i]; i++) {
		st = find_step(root, "run", gated[i], &ph, NULL);
		ck_assert_msg(st != NULL, "%s dropped", gated[i]);
		ck_assert_msg(ph > PHASE_APPROVE, "%s runs in phase %d",
			      gated[i], ph);
		ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(st,
				"destructive")) && str(st, "confirm"),
			      "%s has no confirmation", gated[i]);
	}
	st = find_step(root, "run", "git push", NULL, NULL);
	ck_assert_msg(strstr(str(st, "title"), "git") &&
		      !strstr(str(st, "title"), "cd ~"), "titled %s",
		      str(st, "title"));
	cJSON_Delete(root);
}
END_TEST

/* "If the rollout status times out, scale ..." and an "If that fails"
 * section are contingencies: a decision placed after the step they
 * depend on (never in decide before it ran), their remedy gated, never
 * a required step. */
START_TEST(test_import_timeouts_and_if_that_fails_are_contingencies)
{
	static const char text[] =
		"# Rollout\n\n## Approval\n\n"
		"- [ ] Incident commander approval obtained\n\n"
		"## Roll back\n\n"
		"```bash\nkubectl -n p rollout undo deployment/c\n"
		"kubectl -n p rollout status deployment/c --timeout=120s\n```\n\n"
		"If the rollout status times out, scale the old ReplicaSet up:\n\n"
		"```bash\nkubectl -n p scale rs/old --replicas=6\n```\n\n"
		"### If that fails\n\nSet the image back explicitly:\n\n"
		"```bash\nkubectl argo rollouts set image l l=reg/l:1 -n p\n```\n\n"
		"## Verify\n\n```bash\ncurl -fsS http://127.0.0.1:1/h\n```\n";
	static const char *const remedies[] = { "scale rs/old",
		"set image l", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);

	for (size_t i = 0; remedies[i]; i++) {
		int ph = -1, at = -1, dph = -1, dat = -1;
		cJSON *st = find_step(root, "run", remedies[i], &ph, &at);
		cJSON *when = cJSON_GetObjectItem(st, "when"), *d;
		const char *var;

		ck_assert_ptr_nonnull(st);
		ck_assert_msg(when && when->child, "%s runs on every path",
			      remedies[i]);
		var = when->child->string;
		ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
		d = find_step(root, "variable", var, &dph, &dat);
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(str(d, "kind"), "decide");
		/* asked after the step it depends on has run */
		ck_assert_msg(dph == PHASE_EXECUTE, "%s asked in phase %d",
			      var, dph);
		ck_assert_int_lt(dat, at);
		ck_assert_int_gt(dat, 0);
	}
	cJSON_Delete(root);
}
END_TEST

/* A password in a DSN and an Authorization header value with no scheme
 * word are credentials: taken out of the draft into secret inputs, each
 * with a review point on its line. */
START_TEST(test_import_dsn_password_and_bare_authorization_are_taken_out)
{
	static const char text[] =
		"# Orders\n\n## Assess\n\n```bash\n"			/* 5 */
		"export DATABASE_URL=postgres://orders_rw:Sup3rS3cretPw@db.test"
		":5432/orders\n"					/* 6 */
		"psql \"$DATABASE_URL\" -c 'select 1'\n```\n\n"
		"## Approval\n\n- [ ] DBA approval obtained\n\n"
		"## Roll back\n\n```bash\n"				/* 16 */
		"curl -X PATCH https://flags.test/api/v2/flags/x \\\n"
		"  -H \"Authorization: api-1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6\" "
		"\\\n  -d '{}'\n```\n";					/* 18 */
	static const struct { int line; const char *var; } taken[] = {
		{ 6, "URL_PASSWORD" }, { 18, "AUTH_TOKEN" },
	};
	struct err err = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	cJSON *root;

	ck_assert_msg(json != NULL, "%s", err.msg);
	ck_assert_msg(!strstr(json, "Sup3rS3cretPw"), "DSN password kept");
	ck_assert_msg(!strstr(json, "1a2b3c4d"), "Authorization value kept");
	free(json);
	root = import_text(text, strlen(text), NULL);
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
				taken[i].var), "secret")), "%s is no secret",
			      taken[i].var);
		ck_assert_msg(review_on(root, taken[i].line, taken[i].var),
			      "no review point on line %d", taken[i].line);
	}
	ck_assert_ptr_nonnull(find_step(root, "run",
		"orders_rw:${URL_PASSWORD}@", NULL, NULL));
	ck_assert_ptr_nonnull(find_step(root, "run",
		"Authorization: ${AUTH_TOKEN}", NULL, NULL));
	cJSON_Delete(root);
}
END_TEST

/* A password given on a command line or in the environment variable a
 * tool reads is a credential like a token: a secret input, never the
 * draft's text. */
START_TEST(test_import_command_line_passwords_are_taken_out)
{
	static const char text[] =
		"# Staging\n\n## Execute\n\n```bash\n"			/* 5 */
		"mysql -u root -pHunter2Hunter2 -e \"drop database t\"\n"	/* 6 */
		"```\n\n```bash\n"
		"PGPASSWORD=Sw0rdfish psql -h db -U app -c 'select 1'\n"	/* 10 */
		"MYSQL_PWD='Tr0ub4dor' mysqldump -u root app > app.sql\n"	/* 11 */
		"docker login --password s3cretpass registry.test\n"	/* 12 */
		"sqlcmd -S db -U sa -P \"Passw0rd!\" -Q \"select 1\"\n"	/* 13 */
		"curl -u admin:adminpass https://ci.test/job/x/build\n"	/* 14 */
		"mysql -u root -p -e \"show databases\"\n```\n";	/* 15 */
	static const struct { int line; const char *var, *run; } taken[] = {
		{ 6, "MYSQL_PASSWORD", "-p${MYSQL_PASSWORD} -e" },
		{ 10, "PGPASSWORD", "PGPASSWORD=${PGPASSWORD} psql" },
		{ 11, "MYSQL_PWD", "MYSQL_PWD=\"${MYSQL_PWD}\" mysqldump" },
		{ 12, "DOCKER_PASSWORD", "--password ${DOCKER_PASSWORD} reg" },
		{ 13, "SQLCMD_PASSWORD", "-P \"${SQLCMD_PASSWORD}\" -Q" },
		{ 14, "HTTP_PASSWORD", "admin:${HTTP_PASSWORD} https" },
	};
	static const char *const gone[] = { "Hunter2Hunter2", "Sw0rdfish",
		"Tr0ub4dor", "s3cretpass", "Passw0rd!", "adminpass" };
	struct err err = { 0 };
	char *json = mdimport_convert(text, strlen(text), "runbook.md", NULL,
				      NULL, &err);
	cJSON *root;

	ck_assert_msg(json != NULL, "%s", err.msg);
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		ck_assert_msg(!strstr(json, gone[i]), "%s kept", gone[i]);
	free(json);
	root = import_text(text, strlen(text), NULL);
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(variable(root,
				taken[i].var), "secret")), "%s is no secret",
			      taken[i].var);
		ck_assert_msg(review_on(root, taken[i].line, taken[i].var),
			      "no review point on line %d", taken[i].line);
		ck_assert_msg(find_step(root, "run", taken[i].run, NULL, NULL)
			      != NULL, "no step runs %s", taken[i].run);
	}
	/* a bare -p asks mysql to prompt: nothing to take out */
	ck_assert_ptr_nonnull(find_step(root, "run",
		"mysql -u root -p -e \"show databases\"", NULL, NULL));
	cJSON_Delete(root);
}
END_TEST

/* Expected output cut for the display ("D...") or naming a placeholder
 * is a note, never an expect; a clear one-line result is an expect. */
START_TEST(test_import_expect_only_from_a_clear_single_line_result)
{
	static const char text[] =
		"# Fastly\n\n## Approval\n\n- [ ] Lead approval obtained\n\n"
		"## Roll back\n\n```bash\nfastly service-version activate "
		"--version 41\n```\n\nExpected output:\n\n```\nD...\n```\n\n"
		"```bash\nfastly service-version list\n```\n\n"
		"Expected output:\n\n```\nActive: <PREV_VERSION>\n```\n\n"
		"```bash\nfastly purge --all\n```\n\nExpected output:\n\n"
		"```\nSUCCESS: Purged all content\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *act = find_step(root, "run", "activate", NULL, NULL);
	cJSON *list = find_step(root, "run", "version list", NULL, NULL);
	cJSON *purge = find_step(root, "run", "purge --all", NULL, NULL);

	ck_assert_ptr_nonnull(act);
	ck_assert_ptr_null(cJSON_GetObjectItem(act, "expect"));
	ck_assert_ptr_nonnull(strstr(str(act, "note"), "D..."));
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_null(cJSON_GetObjectItem(list, "expect"));
	ck_assert_ptr_nonnull(purge);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(purge, "expect"));
	cJSON_Delete(root);
}
END_TEST

/* A runbook's approval line of any common shape ("Approval: Network
 * on-call.", "DBA on call must approve.", "1. Approval: the Duty Manager
 * signs off ...", "Get approval from the ... before the next command")
 * is the approval step naming that role, never the title of the
 * command after it; and the change after it is gated. */
static const struct {
	const char *line;
	const char *role;
} approval_lines[] = {
	{ "Approval: Network on-call.\n", "Network On-call" },
	{ "DBA on call must approve. - [ ] DBA approval obtained\n", "DBA" },
	{ "1. Approval: the Duty Manager signs off in the incident channel.\n",
	  "Duty Manager" },
	{ "Get approval from the on-call SRE lead.\n", "On-call SRE Lead" },
	{ "Get approval from the release manager before the next command.\n",
	  "Release Manager" },
	/* i15o: the shapes a release engineer's own runbooks used */
	{ "Requires approval from the platform lead.\n", "Platform Lead" },
	{ "This change requires approval from the network lead.\n",
	  "Network Lead" },
	{ "Needs sign-off from the change manager.\n", "Change Manager" },
	{ "Get a \xf0\x9f\x91\x8d from the duty lead in #ops before "
	  "continuing.\n", "Duty Lead" },
	{ "**Approval required:** VP Platform\n", "VP Platform" },
	{ "Get sign-off from the change manager in #changes first.\n",
	  "Change Manager" },
};

START_TEST(test_import_approval_line_names_the_role_and_gates_the_change)
{
	char *text = xasprintf(
		"# DNS revert\n\n## Assess\n\n```bash\ndig +short api.test\n"
		"```\n\n## Procedure\n\n%s\n"
		"```bash\ncat > /tmp/revert.json <<JSON\n{\"Changes\":[]}\nJSON\n"
		"aws route53 change-resource-record-sets --hosted-zone-id Z1 "
		"--change-batch file:///tmp/revert.json\n```\n",
		approval_lines[_i].line);
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ap = cJSON_GetArrayItem(phase_steps(root, PHASE_APPROVE), 0);
	int ph = -1;
	cJSON *st;

	ck_assert_ptr_nonnull(ap);
	ck_assert_str_eq(str(ap, "kind"), "approve");
	ck_assert_str_eq(str(cJSON_GetArrayItem(cJSON_GetObjectItem(ap,
				"roles"), 0), "role"), approval_lines[_i].role);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ap, "roles")),
			 1);
	/* the line titles the approval, never a command */
	st = find_step(root, "title", "Approval:", NULL, NULL);
	ck_assert(!st || strcmp(str(st, "kind"), "approve") == 0);
	st = find_step(root, "title", "must approve", NULL, NULL);
	ck_assert(!st || strcmp(str(st, "kind"), "approve") == 0);
	st = find_step(root, "run", "change-resource-record-sets", &ph, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_msg(!strstr(str(st, "title"), "pprov") &&
		      !strstr(str(st, "title"), "sign-off") &&
		      !strstr(str(st, "title"), "\xf0\x9f\x91\x8d"),
		      "the approval line titles the command: %s",
		      str(st, "title"));
	ck_assert_msg(str(st, "confirm") != NULL, "no confirmation");
	cJSON_Delete(root);
	free(text);
}
END_TEST

/* --- i15o: drafts that are safe to walk ------------------------------ */

/* A paragraph too long for a title before a command is the step's note,
 * whole, and only its first clause titles the step: the title was the
 * paragraph cut at 120 bytes ("... - in that c...") and the rest was
 * nowhere, with "0 blocks of prose kept as step notes". */
START_TEST(test_import_long_leadin_is_kept_whole_as_the_note)
{
	static const char text[] =
		"# Cache\n\n## Look first\n\n"
		"List the cache nodes, but never flush them while the nightly "
		"billing export runs because invoices would be priced twice; "
		"ask the billing on-call to pause it before anything else.\n\n"
		"```bash\nkubectl -n cache get pods -o wide\n```\n\n"
		"## Roll back\n\n```bash\nkubectl -n cache rollout undo "
		"deployment/cache\n```\n";
	struct strbuf sum = STRBUF_INIT;
	cJSON *root = import_text(text, strlen(text), &sum);
	cJSON *st = find_step(root, "run", "get pods", NULL, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_str_eq(str(st, "title"), "List the cache nodes");
	ck_assert_ptr_nonnull(str(st, "note"));
	ck_assert_ptr_nonnull(strstr(str(st, "note"), "ask the billing "
				     "on-call to pause it before anything "
				     "else."));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&sum), "1 block of prose "
				     "kept as step notes"));
	strbuf_done(&sum);
	cJSON_Delete(root);
}
END_TEST

/* A paragraph "Do not roll back if ..." is the roll back / do not roll
 * back decision the heading "Do not roll back if" makes, its words the
 * decision's note; the change runs only on "roll back". */
START_TEST(test_import_do_not_roll_back_paragraph_is_a_decision)
{
	static const char text[] =
		"# Search\n\n## Check\n\n"
		"Do not roll back if the new index has already been promoted "
		"to the primary alias (see the `indices` board) \xe2\x80\x94 "
		"then reindex forward and tell the search team.\n\n"
		"```bash\ncurl -fsS https://search.test/_cat/aliases\n```\n\n"
		"## Roll back\n\nApproval: search lead.\n\n```bash\n"
		"kubectl -n search rollout undo deployment/indexer\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "title", "Do not roll back if", NULL,
			     NULL);
	cJSON *st = find_step(root, "run", "rollout undo", NULL, NULL);
	const cJSON *when;

	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(str(d, "kind"), "decide");
	ck_assert_ptr_nonnull(strstr(str(d, "note"), "tell the search team"));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 2);
	ck_assert_ptr_nonnull(st);
	when = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "when"),
				   str(d, "variable"));
	ck_assert_ptr_nonnull(when);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(when, 0)),
			 "roll-back");
	ck_assert_int_eq(cJSON_GetArraySize(when), 1);
	/* the paragraph titles no command */
	st = find_step(root, "run", "_cat/aliases", NULL, NULL);
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_null(strstr(str(st, "title"), "roll back"));
	cJSON_Delete(root);
}
END_TEST

/* Output shown under a "$ " command is an example, a note for reference,
 * unless the runbook says it must match ("Expected output:", "should
 * print"); and output naming a placeholder is never an expect: the
 * draft expected "<GOOD_VERSION>" literally, and "{ latest: '4.2.0' }"
 * exactly, failing a live walk in the very incident it is for. */
static const struct {
	const char *md;
	const char *cmd;	/* the step */
	int expect;		/* whether it gets an expect */
} console_expect_md[] = {
	{ "# Pkg\n\n## Look\n\n```console\n$ npm view @acme/kit dist-tags\n"
	  "{ latest: '3.1.0', beta: '3.2.0-rc.2' }\n```\n",
	  "npm view @acme/kit dist-tags", 0 },
	{ "# Pkg\n\n## Roll back\n\n```sh\nnpm dist-tag add "
	  "@acme/kit@<GOOD_VERSION> latest\n```\n\n## Verify\n\n"
	  "Expected output:\n\n```console\n$ npm view @acme/kit "
	  "dist-tags.latest\n<GOOD_VERSION>\n```\n",
	  "npm view @acme/kit dist-tags.latest", 0 },
	{ "# Pkg\n\n## Verify\n\nThe health check should print:\n\n"
	  "```console\n$ curl -fsS https://kit.test/health\nok\n```\n",
	  "curl -fsS https://kit.test/health", 1 },
	{ "# Pkg\n\n## Verify\n\nYou should see something like:\n\n"
	  "```console\n$ curl -fsS https://kit.test/health\nok\n```\n",
	  "curl -fsS https://kit.test/health", 0 },
};

START_TEST(test_import_console_output_is_an_example_unless_it_must_match)
{
	const char *md = console_expect_md[_i].md;
	cJSON *root = import_text(md, strlen(md), NULL);
	cJSON *st = find_step(root, "run", console_expect_md[_i].cmd, NULL,
			      NULL);
	const cJSON *expect;

	ck_assert_ptr_nonnull(st);
	expect = cJSON_GetObjectItem(st, "expect");
	ck_assert_int_eq(expect != NULL, console_expect_md[_i].expect);
	if (expect)
		ck_assert_str_eq(str(expect, "output"), "ok");
	else
		ck_assert_ptr_nonnull(strstr(str(st, "note"), "utput"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(st, "drill"));
	cJSON_Delete(root);
}
END_TEST

/* --- i15h: a release engineer's runbooks ------------------------------- */


/* How many review points of ROOT hold TEXT. */
static int
reviews_saying(const cJSON *root, const char *text)
{
	const cJSON *r;
	int n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		n += strstr(str(r, "text"), text) != NULL;
	return n;
}

/* A step of any phase whose run holds TEXT, or NULL. */
static cJSON *
run_holding(const cJSON *root, const char *text)
{
	return find_step(root, "run", text, NULL, NULL);
}

/* A block the runbook scopes to CI ("For the CI job:", "In the
 * pipeline:") or gives for reference is a note with a review point:
 * it became a required step overwriting the operator's ~/.npmrc, and
 * the CI's token a secret asked on every path. */
static const char *const ci_scoped_md[] = {
	"# Pkg\n\n## Roll back\n\n```sh\nnpm dist-tag add "
	"@acme/kit@<GOOD_VERSION> latest\n```\n\nThe release job signs in "
	"with `REG_TOKEN`; on a laptop use `npm login`. For the CI job:\n\n"
	"```sh\necho \"//npm.example.test/:_authToken=${REG_TOKEN}\" > "
	"~/.npmrc\n```\n",
	"# Pkg\n\n## Roll back\n\n```sh\nnpm dist-tag add "
	"@acme/kit@<GOOD_VERSION> latest\n```\n\nFor reference, the "
	"pipeline writes its login like this:\n\n```bash\nprintf "
	"'//npm.example.test/:_authToken=%s\\n' \"$REG_TOKEN\" > ~/.npmrc\n"
	"```\n",
};

START_TEST(test_import_ci_scoped_block_is_a_note)
{
	cJSON *root = import_text(ci_scoped_md[_i], strlen(ci_scoped_md[_i]),
				  NULL);
	cJSON *st = find_step(root, "run", "dist-tag add", NULL, NULL);

	ck_assert_ptr_null(find_step(root, "run", ".npmrc", NULL, NULL));
	ck_assert_ptr_null(variable(root, "REG_TOKEN"));
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "note"), "> ~/.npmrc"));
	ck_assert_int_eq(reviews_saying(root, "to CI or to reading"), 1);
	cJSON_Delete(root);
}
END_TEST

/* A command that overwrites a file of the operator's home ("> ~/.npmrc")
 * is destructive, and a review point names the file. */
START_TEST(test_import_home_file_overwrite_is_destructive)
{
	static const char text[] =
		"# Pkg\n\n## Roll back\n\nSign in:\n\n```sh\necho "
		"\"//npm.example.test/:_authToken=${REG_TOKEN}\" > ~/.npmrc\n"
		"```\n\n```sh\nnpm dist-tag add @acme/kit@<GOOD_VERSION> "
		"latest\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;
	cJSON *st = find_step(root, "run", "> ~/.npmrc", &ph, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(str(st, "confirm"));
	ck_assert_int_eq(reviews_saying(root, "overwrites ~/.npmrc"), 1);
	cJSON_Delete(root);
}
END_TEST

/* A webhook URL whose path holds a token (a chat webhook's) is a
 * credential: the token becomes a secret input with a "revoke" review
 * point, the draft holds it nowhere, and no confirmation names it (the
 * operator was made to type it, into the journal and the cast). */
START_TEST(test_import_webhook_url_token_is_a_secret_input)
{
	static const char text[] =
		"# Flag\n\n## Approval\n\nApproval: incident lead.\n\n"
		"## Kill\n\nTell the channel:\n\n```bash\ncurl -X POST -H "
		"'Content-type: application/json' --data '{\"text\":\"flag "
		"off\"}' https://hooks.chat.example.test/services/T9ZY87XWV/"
		"B6UT54SRQ/Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	char *json = cJSON_PrintUnformatted(root);
	cJSON *st = find_step(root, "run", "hooks.chat.example.test", NULL,
			      NULL);
	const cJSON *v = variable(root, "WEBHOOK_TOKEN");

	ck_assert_ptr_null(strstr(json, "Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1"));
	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "/${WEBHOOK_TOKEN}"));
	ck_assert_ptr_nonnull(v);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(v, "secret")));
	ck_assert_int_eq(reviews_saying(root, "revoke"), 1);
	ck_assert(!str(st, "confirm") ||
		  (!strstr(str(st, "confirm"), "WEBHOOK_TOKEN") &&
		   !mdimport_confirm_credential(str(st, "confirm"))));
	ck_assert_str_eq(mdimport_literal_credential(
		"curl -d x https://hooks.chat.example.test/services/T9ZY87XWV/"
		"B6UT54SRQ/Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1"),
		"the secret token of a webhook URL");
	/* paths of words, versions and digests are no tokens */
	ck_assert_ptr_null(mdimport_literal_credential(
		"curl https://api.example.test/v2/flags/default/"
		"new-pricing-engine/releases/4.2.0-beta.1/"
		"3f9a1c0e5b7d2a4c6e8f0a1b"));
	cJSON_Delete(root);
	free(json);
}
END_TEST

/* A section the runbook says not to run in production ("Do NOT run
 * this in prod", or opened by "For staging resets only:") is a note to
 * read, never a step that runs: the staging reset became a required
 * execute step on every path. */
static const char *const not_prod_md[] = {
	"# Db\n\n## Roll back\n\n```bash\nexport DATABASE_URL=postgres://"
	"prod.internal/orders\nbundle exec rails db:migrate:down VERSION=3\n"
	"```\n\n## Do NOT run this in prod\n\nFor staging resets only:\n\n"
	"```bash\npsql \"$DATABASE_URL\" -c \"DROP SCHEMA public CASCADE;\"\n"
	"```\n",
	"# Db\n\n## Roll back\n\n```bash\nbundle exec rails db:migrate:down "
	"VERSION=3\n```\n\n## Reset\n\nFor staging resets only:\n\n"
	"```bash\npsql \"$DATABASE_URL\" -c \"DROP SCHEMA public CASCADE;\"\n"
	"```\n\n## Verify\n\n```bash\ncurl -fsS https://orders/healthz\n```\n",
};

START_TEST(test_import_not_for_production_section_is_a_note)
{
	cJSON *root = import_text(not_prod_md[_i], strlen(not_prod_md[_i]),
				  NULL);
	cJSON *note = find_step(root, "note", "DROP SCHEMA", NULL, NULL);

	ck_assert_ptr_null(run_holding(root, "DROP SCHEMA"));
	ck_assert_ptr_nonnull(note);
	ck_assert_str_eq(str(note, "kind"), "check");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(note, "required")));
	ck_assert_int_eq(reviews_saying(root, "not to be run in production"), 1);
	if (_i == 1)	/* the next section is mapped again */
		ck_assert_ptr_nonnull(run_holding(root, "healthz"));
	cJSON_Delete(root);
}
END_TEST

/* "Pick one:" items whose sections are headed by their key words ("##
 * Yank", "## Post-release") run only their sections; the yank, done by
 * hand, is the option's execute step, not an optional verify check; a
 * section no option names waits for the options no section names. */
static const char pick_keywords_md[] =
	"# Pkg\n\n## Decide\n\nPick one:\n\n1. Yank the bad release\n"
	"2. Publish a post-release with the previous code\n\n## Approval\n\n"
	"- [ ] Release manager approval obtained\n\n## Yank\n\nIn the web UI "
	"click **Options -> Yank**.\n\n## Post-release\n\n```bash\n"
	"python -m build\ntwine upload dist/*\n```\n";
static const char pick_unbound_md[] =
	"# Pkg\n\n## Decide\n\nPick one:\n\n1. Yank the bad release\n"
	"2. Publish a post-release with the previous code\n\n## Approval\n\n"
	"- [ ] Release manager approval obtained\n\n## Yank\n\nIn the web UI "
	"click **Options -> Yank**.\n\n## Re-release\n\n```bash\n"
	"python -m build\ntwine upload dist/*\n```\n";

START_TEST(test_import_pick_one_items_tie_to_sections_by_key_words)
{
	cJSON *root = import_text(pick_keywords_md, strlen(pick_keywords_md),
				  NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const cJSON *yank = option_labelled(d, "Yank"),
		    *post = option_labelled(d, "post-release");
	const char *var = str(d, "variable");
	int ph = -1;
	cJSON *upload = run_holding(root, "twine upload"),
	      *by_hand = find_step(root, "title", "Yank", &ph, NULL);

	ck_assert_ptr_nonnull(yank);
	ck_assert_ptr_nonnull(post);
	ck_assert_str_eq(when_value(upload, var), str(post, "id"));
	ck_assert_ptr_nonnull(by_hand);
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_null(cJSON_GetObjectItem(by_hand, "required"));
	ck_assert_str_eq(when_value(by_hand, var), str(yank, "id"));
	ck_assert_int_eq(reviews_saying(root, "names no section"), 0);
	cJSON_Delete(root);

	root = import_text(pick_unbound_md, strlen(pick_unbound_md), NULL);
	d = find_step(root, "kind", "decide", NULL, NULL);
	var = str(d, "variable");
	upload = run_holding(root, "twine upload");
	post = option_labelled(d, "post-release");
	ck_assert_str_eq(when_value(upload, var), str(post, "id"));
	ck_assert_int_ge(reviews_saying(root, "is tied to no option"), 1);
	cJSON_Delete(root);
}
END_TEST

/* A severity table whose actions are exactly the headings "Roll back all
 * regions" and "Roll back one region": each section runs only for its
 * own option, not for both. */
static const char exact_actions_md[] =
	"# Helm\n\n## Severity\n\n| Severity | Impact | Action |\n|---|---|---|\n"
	"| P1 | Full outage | Roll back all regions |\n"
	"| P2 | One region degraded | Roll back one region |\n\n"
	"## Roll back all regions\n\n```bash\nfor ctx in eu us; do helm "
	"--kube-context \"$ctx\" -n web rollback web <REVISION>; done\n```\n\n"
	"## Roll back one region\n\n```bash\nhelm --kube-context eu -n web "
	"rollback web <REVISION>\n```\n";

START_TEST(test_import_table_actions_named_exactly_run_only_their_section)
{
	cJSON *root = import_text(exact_actions_md, strlen(exact_actions_md),
				  NULL);
	cJSON *d = find_step(root, "variable", "RESPONSE", NULL, NULL);
	const char *var = str(d, "variable");
	cJSON *all = run_holding(root, "for ctx"),
	      *one = run_holding(root, "--kube-context eu");
	const cJSON *v;

	v = cJSON_GetObjectItem(cJSON_GetObjectItem(all, "when"), var);
	ck_assert_int_eq(cJSON_GetArraySize(v), 1);
	ck_assert_str_eq(when_value(all, var),
			 str(option_labelled(d, "all regions"), "id"));
	v = cJSON_GetObjectItem(cJSON_GetObjectItem(one, "when"), var);
	ck_assert_int_eq(cJSON_GetArraySize(v), 1);
	ck_assert_str_eq(when_value(one, var),
			 str(option_labelled(d, "one region"), "id"));
	/* typing the confirmation says which one is meant */
	ck_assert_str_ne(str(all, "confirm"), str(one, "confirm"));
	ck_assert_ptr_nonnull(strstr(str(all, "confirm"), "all regions"));
	ck_assert_ptr_nonnull(strstr(str(one, "confirm"), "one region"));
	cJSON_Delete(root);
}
END_TEST

/* "If the flag API is down, set the env override instead" is a fallback:
 * a yes/no contingency asked after the step it depends on, never a
 * required step; a credential left in its prose is not promised as an
 * input the draft never asks. */
static const char fallback_md[] =
	"# Kill\n\n### Step 1 - sign-off\n\nGet approval from the incident "
	"commander.\n\n### Step 2 - turn it off\n\n```bash\ncurl -s -X PATCH "
	"-d '{\"enabled\": false}' https://flags.internal/api/flags/x\n```\n\n"
	"If the API returns 409, unlock it with `curl -X DELETE "
	"https://flags.internal/api/flags/x/lock?token=fl_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d`."
	"\n\nIf the flag API is down, set the env override instead:\n\n```bash\n"
	"kubectl -n pricing set env deploy/pricing PRICING_V2=off\n```\n";

START_TEST(test_import_fallback_instead_is_a_contingency)
{
	cJSON *root = import_text(fallback_md, strlen(fallback_md), NULL);
	cJSON *env = run_holding(root, "set env"), *patch;
	cJSON *d = find_step(root, "title", "flag API is down", NULL, NULL);
	int ph = -1, pi = -1, dp = -1, di = -1;

	ck_assert_ptr_nonnull(env);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(str(d, "kind"), "decide");
	ck_assert_str_eq(when_value(env, str(d, "variable")), "yes");
	/* asked after the step it depends on */
	patch = find_step(root, "run", "PATCH", &ph, &pi);
	ck_assert_ptr_nonnull(patch);
	find_step(root, "title", "flag API is down", &dp, &di);
	ck_assert(dp > ph || (dp == ph && di > pi));
	ck_assert_int_eq(reviews_saying(root, "as a secret input instead"), 0);
	ck_assert_int_eq(reviews_saying(root, "nothing asks it"), 1);
	cJSON_Delete(root);
}
END_TEST

/* "Pick the platform(s) affected." ending Assess, the platforms listed
 * under Roll back further below: one yes/no per platform, as when the
 * sentence sits right above the list, never an either/or. */
static const char picked_earlier_md[] =
	"# Web\n\n## Assess\n\n```bash\nkubectl -n web get deploy web\n```\n\n"
	"Pick the platform(s) affected.\n\n## Get approval\n\nGet sign-off "
	"from the release manager.\n\n## Roll back\n\n1. On ECS:\n\n   ```bash\n"
	"   aws ecs update-service --cluster web --service web "
	"--task-definition web:7 --force-new-deployment\n   ```\n\n"
	"2. On Kubernetes:\n\n   ```bash\n   kubectl -n web set image "
	"deploy/web web=web:1.2.2\n   ```\n";

START_TEST(test_import_platforms_picked_earlier_are_each_a_yes_no)
{
	cJSON *root = import_text(picked_earlier_md, strlen(picked_earlier_md),
				  NULL);
	cJSON *ecs = run_holding(root, "aws ecs update-service"),
	      *k8s = run_holding(root, "set image");
	const cJSON *we = cJSON_GetObjectItem(ecs, "when"),
		    *wk = cJSON_GetObjectItem(k8s, "when");

	ck_assert_ptr_nonnull(we);
	ck_assert_ptr_nonnull(wk);
	/* each on a variable of its own, answered yes */
	ck_assert_str_ne(we->child->string, wk->child->string);
	ck_assert_str_eq(when_value(ecs, we->child->string), "yes");
	ck_assert_str_eq(when_value(k8s, wk->child->string), "yes");
	cJSON_Delete(root);
}
END_TEST

/* Prose naming two roles that both approve gives two roles, each named;
 * "Release manager approval required." names its role, not "Approver". */
static const char *const roles_md[] = {
	"# Dns\n\n## Approval\n\nThe on-call SRE lead and the VP Eng both "
	"have to approve a region failover.\n\n## Fail over\n\n```bash\n"
	"kubectl -n dns delete pod dns-0\n```\n",
	"# Npm\n\n## Approval\n\nRelease manager approval required. Post the "
	"versions in #release.\n\n## Roll back\n\n```bash\nnpm dist-tag add "
	"sdk@1.2.2 latest\n```\n",
};

START_TEST(test_import_roles_named_in_approval_prose)
{
	cJSON *root = import_text(roles_md[_i], strlen(roles_md[_i]), NULL);
	cJSON *ap = find_step(root, "kind", "approve", NULL, NULL);
	const cJSON *roles = cJSON_GetObjectItem(ap, "roles");

	if (_i == 0) {
		ck_assert_int_eq(cJSON_GetArraySize(roles), 2);
		ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 0), "role"),
				 "On-call SRE Lead");
		ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 1), "role"),
				 "VP Eng");
	} else {
		ck_assert_int_eq(cJSON_GetArraySize(roles), 1);
		ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 0), "role"),
				 "Release Manager");
	}
	cJSON_Delete(root);
}
END_TEST

/* A pick of several platforms ("or both") sets one yes/no per platform
 * through its options: an input only AWS's step uses is asked only when
 * AWS is picked, and no review point claims it is decided after the
 * approval. */
START_TEST(test_import_platform_pick_inputs_only_on_their_platform)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n"
		"Pick the platform(s) you deploy to:\n\n- On AWS:\n\n"
		"  ```bash\n  aws ecs update-service --cluster web --service "
		"web --task-definition web:<TASK_REVISION>\n  ```\n\n"
		"- On GCP:\n\n  ```bash\n  gcloud run services update-traffic "
		"web --to-revisions=<GCP_REVISION>=100\n  ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *aws = find_step(root, "run", "aws ecs", NULL, NULL);
	cJSON *gcp = find_step(root, "run", "gcloud run", NULL, NULL);
	cJSON *task = find_step(root, "variable", "TASK_REVISION", NULL, NULL);
	cJSON *rev = find_step(root, "variable", "GCP_REVISION", NULL, NULL);
	const cJSON *aw = cJSON_GetObjectItem(aws, "when");
	const cJSON *gw = cJSON_GetObjectItem(gcp, "when");
	const cJSON *r;

	ck_assert_ptr_nonnull(aw);
	ck_assert_ptr_nonnull(gw);
	ck_assert_ptr_nonnull(task);
	ck_assert_ptr_nonnull(rev);
	ck_assert_str_eq(when_value(task, aw->child->string),
			 cJSON_GetStringValue(aw->child));
	ck_assert_str_eq(when_value(rev, gw->child->string),
			 cJSON_GetStringValue(gw->child));
	ck_assert_ptr_null(when_value(task, gw->child->string));
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "review"))
		ck_assert_msg(!strstr(str(r, "text"), "decided after the "
				      "approval"), "%s", str(r, "text"));
	cJSON_Delete(root);
}
END_TEST

/* Two roles in approval prose of other shapes: after a lead-in clause,
 * after "Approval:", opening with "Both", in a step; each role stops at
 * the words saying what the role does (both, have to, must, ...). */
static const char *const two_roles_md[] = {
	"Approval: the SRE lead and the VP Eng both have to approve the "
	"rollback.",
	"Before rolling back, the SRE lead and the VP Eng both have to "
	"approve.",
	"Both the SRE lead and the VP Eng have to approve.",
	"1. Get approval: the SRE lead and the VP Eng both have to approve",
	"The SRE lead and the VP Eng shall sign off.",
};

START_TEST(test_import_two_roles_stop_at_the_verb)
{
	char *text = xasprintf("# Web rollback\n\n## Roll back\n\n%s\n\n"
			       "```bash\nhelm rollback web 41\n```\n",
			       two_roles_md[_i]);
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ap = find_step(root, "kind", "approve", NULL, NULL);
	const cJSON *roles = cJSON_GetObjectItem(ap, "roles");

	ck_assert_int_eq(cJSON_GetArraySize(roles), 2);
	ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 0), "role"), "SRE Lead");
	ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 1), "role"), "VP Eng");
	cJSON_Delete(root);
	free(text);
}
END_TEST

/* An input is asked only on the paths whose steps use it, also when
 * those steps carry two conditions (an option section under a table's
 * action): the revision is not asked on the pin-the-chart path. */
static const char input_paths_md[] =
	"# Helm\n\n## Severity\n\n| Severity | Impact | Action |\n|---|---|---|\n"
	"| SEV1 | Outage | Roll back |\n| SEV3 | Cosmetic | Fix forward |\n\n"
	"## Roll back\n\n### Option A: helm rollback (recommended)\n\n```bash\n"
	"helm rollback web <REVISION> -n web\n```\n\n### Option B: pin the chart"
	"\n\n```bash\nhelm upgrade web ./chart -n web --version <CHART_VERSION>\n"
	"```\n\n## Fix forward\n\nOpen a PR with the fix.\n";

START_TEST(test_import_inputs_carry_the_when_of_their_users)
{
	cJSON *root = import_text(input_paths_md, strlen(input_paths_md), NULL);
	cJSON *rev = find_step(root, "variable", "REVISION", NULL, NULL);
	cJSON *chart = find_step(root, "variable", "CHART_VERSION", NULL, NULL);
	cJSON *undo = run_holding(root, "helm rollback");
	const cJSON *w;

	ck_assert_ptr_nonnull(rev);
	ck_assert_ptr_nonnull(chart);
	w = cJSON_GetObjectItem(rev, "when");
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(when_value(rev, w->child->string),
			 when_value(undo, w->child->string));
	w = cJSON_GetObjectItem(chart, "when");
	ck_assert_ptr_nonnull(w);
	ck_assert_str_ne(when_value(chart, w->child->string),
			 when_value(undo, w->child->string));
	cJSON_Delete(root);
}
END_TEST

/* A "Post-incident" section is communicate work, not verify. */
START_TEST(test_import_post_incident_section_communicates)
{
	static const char text[] =
		"# Fix\n\n## Roll back\n\n```bash\nkubectl -n web rollout "
		"undo deploy/web\n```\n\n## Post-incident\n\n"
		"- Rotate GH_TOKEN\n- Write the postmortem\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;

	ck_assert_ptr_nonnull(find_step(root, "note", "Rotate GH_TOKEN", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_COMMUNICATE);
	cJSON_Delete(root);
}
END_TEST

/* A templated first heading gives the title with its variable, not the
 * file's name. */
START_TEST(test_import_templated_heading_gives_the_title)
{
	static const char text[] =
		"# {{service}} Helm rollback\n\n## Roll back\n\n```bash\n"
		"helm -n {{namespace}} rollback {{service}} 41\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_str_eq(str(root, "title"), "${SERVICE} Helm rollback");
	cJSON_Delete(root);
}
END_TEST

/* A numbered release-recovery script keeps its numbers' order across
 * phases: "4. twine check" (a read the import would verify with) runs
 * before "5. twine upload", in execute, not in verify after it; the
 * review point says so on the line of its command. */
START_TEST(test_import_numbered_script_keeps_its_order_across_phases)
{
	static const char text[] =
		"# Package release recovery\n\n"
		"1. Check which versions are on the index:\n\n"
		"   ```bash\n   pip index versions acme-sdk\n   ```\n\n"
		"2. Yank the bad release:\n\n"
		"   ```bash\n   pypi-yank acme-sdk 2.4.0\n   ```\n\n"
		"3. Build the fixed release:\n\n"
		"   ```bash\n   python3 -m build\n   ```\n\n"
		"4. Check the built files:\n\n"
		"   ```bash\n   twine check dist/*\n   ```\n\n"
		"5. Upload the fixed release:\n\n"
		"   ```bash\n   twine upload dist/*\n   ```\n";
	static const char headed[] =
		"# Package release recovery\n\n"
		"## Step 1: Yank the bad release\n\n"
		"```bash\npypi-yank acme-sdk 2.4.0\n```\n\n"
		"## Step 2: Build the fixed release\n\n"
		"```bash\npython3 -m build\n```\n\n"
		"## Step 3: Check the built files\n\n"
		"```bash\ntwine check dist/*\n```\n\n"
		"## Step 4: Upload the fixed release\n\n"
		"```bash\ntwine upload dist/*\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	static const char *const order[] = { "pip index", "pypi-yank",
		"python3 -m build", "twine check", "twine upload" };

	for (size_t k = 1; k < sizeof(order) / sizeof(order[0]); k++)
		ck_assert_msg(walk_order(root, order[k - 1]) <
			      walk_order(root, order[k]), "%s runs after %s",
			      order[k - 1], order[k]);
	ck_assert_int_eq(walk_order(root, "twine check") / 1000,
			 PHASE_EXECUTE);
	ck_assert(review_on(root, 24, "the runbook numbers this step before"));
	cJSON_Delete(root);
	root = import_text(headed, strlen(headed), NULL);
	ck_assert_int_lt(walk_order(root, "twine check"),
			 walk_order(root, "twine upload"));
	ck_assert(review_on(root, 18, "the runbook numbers this step before"));
	cJSON_Delete(root);
}
END_TEST

/* "Pick one:" opening the runbook, before any heading (and under the
 * title's heading), is a decision as under a decide heading: its
 * options run only the sections named after them. */
START_TEST(test_import_pick_one_before_the_first_heading_is_a_decision)
{
	static const char body[] =
		"Pick one:\n\n"
		"- Roll back with a revert\n"
		"- Roll back with a reset\n\n"
		"## Roll back with a revert\n\n"
		"```bash\ngit revert --no-edit HEAD\ngit push origin main\n```\n\n"
		"## Roll back with a reset\n\n"
		"```bash\ngit reset --hard v1.2.2\n"
		"git push --force origin main\n```\n";
	char *titled = xasprintf("# Web rollback\n\n%s", body);
	const char *texts[] = { body, titled };

	for (size_t t = 0; t < 2; t++) {
		cJSON *root = import_text(texts[t], strlen(texts[t]), NULL);
		int p = -1;
		cJSON *d = find_step(root, "kind", "decide", &p, NULL);
		cJSON *revert = find_step(root, "run", "git revert", NULL, NULL);
		cJSON *reset = find_step(root, "run", "git reset", NULL, NULL);
		const char *var;

		ck_assert_msg(d != NULL, "text %zu: no decision", t);
		ck_assert_int_eq(p, PHASE_DECIDE);
		ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d,
			"options")), 2);
		var = str(d, "variable");
		ck_assert_str_eq(when_value(revert, var),
				 "roll-back-with-a-revert");
		ck_assert_str_eq(when_value(reset, var),
				 "roll-back-with-a-reset");
		cJSON_Delete(root);
	}
	free(titled);
}
END_TEST

/* "Approval from the release manager and the SRE lead" asks two roles,
 * as "X and Y must approve" does: one approve step with both. */
START_TEST(test_import_approval_from_two_roles_names_both)
{
	static const char *const lines[] = {
		"Get approval from the release manager and the SRE lead "
		"before rolling back.",
		"- Get approval from the release manager and the SRE lead.",
		"The release manager and the SRE lead must approve.",
	};

	for (size_t t = 0; t < sizeof(lines) / sizeof(lines[0]); t++) {
		char *text = xasprintf("# Web rollback\n\n## Approval\n\n"
				       "%s\n\n## Roll back\n\n```bash\n"
				       "helm rollback web 3\n```\n", lines[t]);
		cJSON *root = import_text(text, strlen(text), NULL);
		cJSON *ap = find_step(root, "kind", "approve", NULL, NULL);
		cJSON *roles = cJSON_GetObjectItem(ap, "roles");

		ck_assert_int_eq(count_kind(root, "approve"), 1);
		ck_assert_msg(cJSON_GetArraySize(roles) == 2, "line %zu: %d "
			      "roles", t, cJSON_GetArraySize(roles));
		ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 0), "role"),
				 "Release Manager");
		ck_assert_str_eq(str(cJSON_GetArrayItem(roles, 1), "role"),
				 "SRE Lead");
		cJSON_Delete(root);
		free(text);
	}
}
END_TEST

/* A platform pick written as a numbered list ("1. AWS:", "2. GCP:") is
 * one decision, as the bullet form ("- On AWS:") is: each platform's
 * command runs only on its option. */
START_TEST(test_import_numbered_platform_items_are_a_decision)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\nPick your platform:\n\n"
		"1. AWS:\n\n   ```bash\n   aws ecs update-service --cluster "
		"web --service web --task-definition web:41\n   ```\n\n"
		"2. GCP:\n\n   ```bash\n   gcloud run services update-traffic "
		"web --to-revisions=web-00041=100\n   ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *aws = find_step(root, "run", "aws ecs", NULL, NULL);
	cJSON *gcp = find_step(root, "run", "gcloud run", NULL, NULL);

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(option_labelled(d, "AWS"));
	ck_assert_ptr_nonnull(option_labelled(d, "GCP"));
	ck_assert_str_eq(when_value(aws, str(d, "variable")), "aws");
	ck_assert_str_eq(when_value(gcp, str(d, "variable")), "gcp");
	cJSON_Delete(root);
}
END_TEST

/* One value under two spellings (ENV in one section, <ENVIRONMENT> in
 * another) is one variable, asked once. */
START_TEST(test_import_env_and_environment_are_one_input)
{
	static const char text[] =
		"# Web rollback\n\n## Check\n\n```bash\n"
		"kubectl get pods -n web-$ENV\n```\n\n## Roll back\n\n"
		"```bash\nhelm rollback web 3 --kube-context <ENVIRONMENT>\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);

	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(root,
		"variables")), 1);
	ck_assert_int_eq(count_kind(root, "input"), 1);
	ck_assert_ptr_nonnull(find_step(root, "run", "--kube-context ${ENV}",
					NULL, NULL));
	cJSON_Delete(root);
}
END_TEST

/* A platform's section whose steps are UI clicks written in a fence
 * (untagged or bash) or run into one numbered line keeps them: each is a
 * step to tick on that platform's path, never dropped into a note. */
static const char *const platform_clicks_md[] = {
	"# Mobile rollback\n\n## Rollback\n\n### iOS\n\n```\n"
	"1. Open App Store Connect\n2. Select the build\n"
	"3. Click 'Remove from Sale'\n```\n\n### Android\n\n```bash\n"
	"fastlane supply --track production --rollout 0\n```\n",
	"# Mobile rollback\n\n## Rollback\n\n### iOS\n\n```bash\n"
	"1. Open App Store Connect\n2. Select the build\n"
	"3. Click 'Remove from Sale'\n```\n\n### Android\n\n```bash\n"
	"fastlane supply --track production --rollout 0\n```\n",
	"# Mobile rollback\n\n## Rollback\n\n### iOS\n\n"
	"1. Open App Store Connect 2. Select the build "
	"3. Click 'Remove from Sale'\n\n### Android\n\n```bash\n"
	"fastlane supply --track production --rollout 0\n```\n",
};

START_TEST(test_import_platform_click_steps_stay_on_their_path)
{
	const char *text = platform_clicks_md[_i];
	static const char *const titles[] = { "Open App Store Connect",
		"Select the build", "Click 'Remove from Sale'" };
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *android = find_step(root, "run", "fastlane supply", NULL, NULL);
	const char *var;
	int ios = 0;

	ck_assert_ptr_nonnull(d);
	var = str(d, "variable");
	ck_assert_ptr_nonnull(option_labelled(d, "iOS"));
	ck_assert_str_eq(when_value(android, var), "android");
	for (size_t k = 0; k < 3; k++) {
		int ph = -1;
		cJSON *st = find_step(root, "title", titles[k], &ph, NULL);

		ck_assert_msg(st != NULL, "no step '%s'", titles[k]);
		ck_assert_str_eq(str(st, "title"), titles[k]);
		ck_assert_str_eq(str(st, "kind"), "check");
		ck_assert_int_eq(ph, PHASE_EXECUTE);
		ck_assert_str_eq(when_value(st, var), "ios");
	}
	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p)) {
			const char *w = when_value(st, var);

			ios += w && strcmp(w, "ios") == 0;
			ck_assert_msg(!str(st, "run") ||
				      !strstr(str(st, "run"), "App Store"),
				      "a click step became a command");
		}
	}
	ck_assert_int_eq(ios, 3);
	cJSON_Delete(root);
}
END_TEST

/* "Pick one:" (or "Choose one:", "Either:", "One of:") over bare
 * lead-ins, each followed by its commands (a fence, an indented block,
 * inside a list item too): a decision with the lead-ins as options, each
 * fence's commands running on its own option only. */
static const char *const pick_leadins_md[] = {
	"# Repo rollback\n\n## Approval\n\n- [ ] Repo Owner approval obtained\n\n"
	"## Roll back\n\nPick one:\n\nRevert:\n\n"
	"```bash\ngit revert --no-edit HEAD\ngit push origin main\n```\n\n"
	"Reset:\n\n"
	"```bash\ngit reset --hard v1.2.2\ngit push --force origin main\n```\n",

	"# Repo rollback\n\n## Approval\n\n- [ ] Repo Owner approval obtained\n\n"
	"## Roll back\n\nEither:\n\n**Revert:**\n\n"
	"    git revert --no-edit HEAD\n    git push origin main\n\n"
	"**Reset:**\n\n"
	"    git reset --hard v1.2.2\n    git push --force origin main\n\n"
	"## Verify\n\n```bash\ngit log -1\n```\n",

	"# Repo rollback\n\n## Roll back\n\n"
	"1. Lock the deploys:\n\n   ```bash\n   deployctl lock web\n   ```\n\n"
	"2. One of:\n\n   Revert:\n\n"
	"   ```bash\n   git revert --no-edit HEAD\n   git push origin main\n"
	"   ```\n\n   Reset:\n\n"
	"   ```bash\n   git reset --hard v1.2.2\n   git push --force origin "
	"main\n   ```\n\n"
	"3. Tell the team.\n",

	"# Repo rollback\n\n## Approval\n\n- [ ] Repo Owner approval obtained\n\n"
	"## Roll back\n\nChoose one:\n\nRevert:\n\n"
	"```bash\ngit revert --no-edit HEAD\ngit push origin main\n```\n\n"
	"Reset:\n\n"
	"```bash\ngit reset --hard v1.2.2\ngit push --force origin main\n```\n",
};

START_TEST(test_import_pick_one_over_bare_leadins_is_a_decision)
{
	const char *md = pick_leadins_md[_i];
	cJSON *root = import_text(md, strlen(md), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const cJSON *rev, *res;
	const char *var;

	ck_assert_msg(d != NULL, "case %d: no decide step", _i);
	var = str(d, "variable");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 2);
	rev = option_labelled(d, "Revert");
	res = option_labelled(d, "Reset");
	ck_assert_msg(rev && res, "case %d: the options are not the lead-ins",
		      _i);
	assert_runs_on(root, "git revert", var, str(rev, "id"));
	assert_runs_on(root, "git push origin main", var, str(rev, "id"));
	assert_runs_on(root, "reset --hard", var, str(res, "id"));
	assert_runs_on(root, "push --force", var, str(res, "id"));
	if (find_step(root, "run", "deployctl lock", NULL, NULL))
		ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "run",
			"deployctl lock", NULL, NULL), "when"));
	cJSON_Delete(root);
}
END_TEST

/* "Or with X:" (or "Or using X:", "Or via X:") and a fence after a
 * procedure (a fence, or a list of clicks) is the same thing done another
 * way: a decision between the two, each running only on its option,
 * never the second run after the first. Inside a per-platform section the
 * decision holds on that platform's path only. */
static const char *const or_with_md[] = {
	"# Web halt\n\n## Approval\n\n- [ ] Release Manager approval obtained\n\n"
	"## Roll back\n\nWith the deploy script:\n\n"
	"```bash\n./deploy.sh --pause web\n```\n\n"
	"Or with deployctl:\n\n```bash\ndeployctl pause web\n```\n",

	"# Web halt\n\n## Approval\n\n- [ ] Release Manager approval obtained\n\n"
	"## Roll back\n\nIn the dashboard:\n\n"
	"1. Open the deploys page\n2. Click \"Pause\" on web\n\n"
	"Or using deployctl:\n\n```bash\ndeployctl pause web\n```\n",

	"# Web halt\n\n## Approval\n\n- [ ] Release Manager approval obtained\n\n"
	"## Roll back\n\n### Linux\n\n"
	"```bash\n./deploy.sh --pause web\n```\n\n"
	"Or via deployctl:\n\n```bash\ndeployctl pause web\n```\n\n"
	"### Windows\n\n```bash\nnomad job stop web\n```\n",
};

START_TEST(test_import_or_with_a_tool_after_a_procedure_is_an_option)
{
	const char *md = or_with_md[_i];
	cJSON *root = import_text(md, strlen(md), NULL);
	cJSON *cli = find_step(root, "run", "deployctl pause", NULL, NULL);
	cJSON *first = find_step(root, "run", "deploy.sh", NULL, NULL);
	const cJSON *d = NULL, *w, *o;
	const char *var, *mine;
	int n_var = 0;

	ck_assert_ptr_nonnull(cli);
	if (!first)
		first = find_step(root, "title", "Open the deploys page", NULL,
				  NULL);
	ck_assert_ptr_nonnull(first);
	/* the decision the CLI's step runs under, of two options */
	cJSON_ArrayForEach(w, cJSON_GetObjectItem(cli, "when")) {
		const cJSON *st = find_step(root, "variable", w->string, NULL,
					    NULL);

		if (st && strcmp(str(st, "kind"), "decide") == 0 &&
		    when_value(first, w->string) &&
		    strcmp(when_value(first, w->string),
			   when_value(cli, w->string)) != 0)
			d = st;
	}
	ck_assert_msg(d != NULL, "case %d: the second way is a step after the "
		      "first, no option", _i);
	var = str(d, "variable");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 2);
	mine = when_value(cli, var);
	ck_assert_str_ne(mine, when_value(first, var));
	cJSON_ArrayForEach(o, cJSON_GetObjectItem(d, "options"))
		if (strcmp(str(o, "id"), mine) == 0)
			ck_assert_msg(strncmp(str(o, "label"), "Or ", 3) != 0,
				      "case %d: option label %s", _i,
				      str(o, "label"));
	/* only the two ways hang on it */
	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, phase_steps(root, p))
			n_var += when_value(st, var) != NULL &&
				 strcmp(str(st, "kind"), "input") != 0;
	}
	ck_assert_int_eq(n_var, _i == 1 ? 3 : 2);
	if (_i == 1) {	/* the clicks are one procedure, in one phase */
		int pc = -1, pk = -1, po = -1;
		cJSON *click = find_step(root, "title", "Click", &pk, NULL);

		ck_assert_ptr_nonnull(click);
		ck_assert_str_eq(when_value(click, var), when_value(first, var));
		find_step(root, "title", "Open the deploys page", &po, NULL);
		find_step(root, "run", "deployctl pause", &pc, NULL);
		ck_assert_int_eq(pk, po);
		ck_assert_int_eq(pk, pc);
	}
	if (_i == 2) {
		const cJSON *nomad = find_step(root, "run", "nomad job stop",
					       NULL, NULL);

		ck_assert_ptr_null(when_value(nomad, var));
		ck_assert_ptr_nonnull(cJSON_GetObjectItem(d, "when"));
	}
	cJSON_Delete(root);
}
END_TEST

/* Sections under hosting-platform headings that are siblings ("### Kubernetes",
 * "### Nomad", "### VMs (systemd)") are one procedure per platform: a
 * "Which platform?" decision, each section's steps on its own path. Two
 * siblings on the same platform are steps of one procedure. */
START_TEST(test_import_hosting_platform_sections_are_a_platform_pick)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n### Kubernetes\n\n```bash\n"
		"kubectl rollout undo deployment/web -n prod\n```\n\n"
		"### Nomad\n\n```bash\nnomad job revert web 3\n```\n\n"
		"### ECS\n\n```bash\naws ecs update-service --cluster web "
		"--service web --task-definition web:41\n```\n\n"
		"### Heroku\n\n```bash\nheroku rollback v102 -a web\n```\n\n"
		"### VMs (systemd)\n\n```bash\nsudo systemctl restart web\n"
		"```\n";
	static const char same[] =
		"# Web rollback\n\n## Roll back\n\n### Kubernetes: scale down\n\n"
		"```bash\nkubectl scale deployment/web --replicas=0\n```\n\n"
		"### Kubernetes: roll back\n\n```bash\n"
		"kubectl rollout undo deployment/web\n```\n";
	static const char *const runs[] = { "kubectl rollout", "nomad job",
		"aws ecs", "heroku rollback", "systemctl restart" };
	static const char *const ids[] = { "kubernetes", "nomad", "ecs",
		"heroku", "vms-systemd" };
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);

	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(str(d, "title"), "Which platform?");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 5);
	for (size_t k = 0; k < 5; k++) {
		cJSON *st = find_step(root, "run", runs[k], NULL, NULL);

		ck_assert_ptr_nonnull(st);
		ck_assert_ptr_nonnull(when_value(st, str(d, "variable")));
		ck_assert_str_eq(when_value(st, str(d, "variable")), ids[k]);
	}
	cJSON_Delete(root);
	root = import_text(same, strlen(same), NULL);
	ck_assert_ptr_null(find_step(root, "kind", "decide", NULL, NULL));
	ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "run",
		"rollout undo", NULL, NULL), "when"));
	cJSON_Delete(root);
}
END_TEST

/* A heading with no phase word ("## Halt", "## Pause the rollout") takes
 * its phase from what its steps do: after the rollback, a command that
 * changes something executes; only a read verifies. */
START_TEST(test_import_heading_without_phase_word_acts_by_its_steps)
{
	static const char text[] =
		"# Web rollback\n\n## Approval\n\nThe SRE lead must approve "
		"the rollback.\n\n## Halt\n\n```bash\nkubectl rollout undo "
		"deployment/web -n prod\n```\n\n```bash\nkubectl annotate "
		"deployment/web-worker paused=true -n prod\n```\n\n"
		"## Pause the rollout\n\n```bash\nkubectl argo rollouts pause "
		"web -n prod\n```\n\n```bash\nkubectl get pods -n prod\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;

	ck_assert_ptr_nonnull(find_step(root, "run", "rollout undo", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(find_step(root, "run", "annotate", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(find_step(root, "run", "rollouts pause", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(find_step(root, "run", "get pods", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	cJSON_Delete(root);
}
END_TEST

/* Sibling sections one of which says "(preferred)", as one saying
 * "(recommended)", are alternatives whatever their names: a decision
 * with the marked one first and recommended, each section on its path. */
static const char *const preferred_md[] = {
	"# Web rollback\n\n## Rollback options\n\n### Reset\n\n```bash\n"
	"git reset --hard v1.2.2\ngit push --force origin main\n```\n\n"
	"### Revert (preferred)\n\n```bash\ngit revert HEAD\n"
	"git push origin main\n```\n",
	"# Web rollback\n\n## Roll back\n\n### Reset\n\n```bash\n"
	"git reset --hard v1.2.2\ngit push --force origin main\n```\n\n"
	"### Revert (recommended)\n\n```bash\ngit revert HEAD\n"
	"git push origin main\n```\n",
};

START_TEST(test_import_preferred_heading_is_recommended_alternative)
{
	const char *text = preferred_md[_i];
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const cJSON *first;
	const char *var;

	ck_assert_ptr_nonnull(d);
	var = str(d, "variable");
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "options"), 0);
	ck_assert_ptr_nonnull(strstr(str(first, "label"), "Revert"));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(first, "recommended")));
	ck_assert_ptr_null(strstr(str(first, "label"), "("));
	ck_assert_str_eq(when_value(find_step(root, "run", "git revert",
					      NULL, NULL), var),
			 str(first, "id"));
	ck_assert_str_eq(when_value(find_step(root, "run", "reset --hard",
					      NULL, NULL), var), "reset");
	cJSON_Delete(root);
}
END_TEST

/* After "Do not roll back" nothing of the roll back is asked: the
 * procedure decision and the value only its steps use carry the roll
 * back's when, as its steps do. */
START_TEST(test_import_no_rollback_path_asks_no_rollback_questions)
{
	static const char text[] =
		"# Web rollback\n\n## When to roll back\n\nDo not roll back if "
		"the error rate is below 1%: watch it instead.\n\n"
		"## Procedure\n\n### Option A: Helm rollback (recommended)\n\n"
		"```bash\nhelm rollback web <PREVIOUS_VERSION> -n prod\n```\n\n"
		"### Option B: Redeploy the old image\n\n```bash\nkubectl set "
		"image deployment/web web=registry.example.com/web:"
		"<PREVIOUS_VERSION> -n prod\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *go = find_step(root, "title", "Do not roll back", NULL, NULL);
	cJSON *proc = find_step(root, "title", "Procedure", NULL, NULL);
	cJSON *in = find_step(root, "variable", "PREVIOUS_VERSION", NULL, NULL);
	const char *var;

	ck_assert_ptr_nonnull(go);
	ck_assert_ptr_nonnull(proc);
	ck_assert_ptr_nonnull(in);
	var = str(go, "variable");
	ck_assert_str_eq(str(in, "kind"), "input");
	ck_assert_ptr_nonnull(when_value(proc, var));
	ck_assert_str_eq(when_value(proc, var), "roll-back");
	ck_assert_ptr_nonnull(when_value(in, var));
	ck_assert_str_eq(when_value(in, var), "roll-back");
	ck_assert_ptr_nonnull(when_value(in, str(proc, "variable")));
	cJSON_Delete(root);
}
END_TEST

/* The lookup written before a choice ("helm history" in step 1, then
 * "Pick one:" in step 2) runs before the decide step it informs. */
START_TEST(test_import_lookup_before_the_choice_stays_before_it)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n1. Look at the release "
		"history:\n\n   ```bash\n   helm history web -n prod\n   ```\n\n"
		"2. Pick one:\n\n   - Helm rollback:\n\n     ```bash\n"
		"     helm rollback web <REVISION> -n prod\n     ```\n\n"
		"   - Redeploy the old chart:\n\n     ```bash\n     helm upgrade "
		"web ./chart --version <CHART_VERSION> -n prod\n     ```\n";
	static const char platforms[] =
		"# Web rollback\n\n## When to roll back\n\nDo not roll back "
		"if only search is slow.\n\n## Roll back\n\n1. See what was "
		"released:\n\n   ```bash\n   helm history web -n prod\n   ```"
		"\n\n### Kubernetes\n\n```bash\nhelm rollback web "
		"<REVISION> -n prod\n```\n\n### Nomad\n\n```bash\n"
		"nomad job revert web <REVISION>\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int hp = -1, hi = -1, dp = -1, di = -1;

	ck_assert_ptr_nonnull(find_step(root, "run", "helm history", &hp, &hi));
	ck_assert_ptr_nonnull(find_step(root, "kind", "decide", &dp, &di));
	ck_assert(hp < dp || (hp == dp && hi < di));
	cJSON_Delete(root);
	/* step 1 of the section holding the per-platform ones, after a
	 * "do not roll back" decision the lookup waits on */
	root = import_text(platforms, strlen(platforms), NULL);
	ck_assert_ptr_nonnull(find_step(root, "run", "helm history", &hp, &hi));
	ck_assert_ptr_nonnull(find_step(root, "title", "Which platform",
					&dp, &di));
	ck_assert(hp < dp || (hp == dp && hi < di));
	cJSON_Delete(root);
}
END_TEST

/* A chat message the runbook says to post ('Post to #incidents: "..."',
 * 'Tell #releases: "..."', as an item, a task or a paragraph) is a
 * message step in communicate, its placeholders ${VARS} and <OPERATOR>
 * the session's operator; never a check to tick. */
START_TEST(test_import_chat_message_is_a_message_step)
{
	static const char text[] =
		"# Web rollback\n\n## Assess\n\n- Post to #incidents: \"Rolling "
		"back web <VERSION> - <OPERATOR>\"\n\n## Roll back\n\n```bash\n"
		"helm rollback web <REVISION> -n prod\n```\n\n## Verify\n\n"
		"```bash\nkubectl get pods -n prod\n```\n\n"
		"- [ ] Tell #releases: \"web <VERSION> is rolled back\"\n\n"
		"Post to #status: \"All clear, <OPERATOR>\"\n\n"
		"1. Tell the #ops channel: \xe2\x80\x9cweb is back on "
		"<VERSION>\xe2\x80\x9d\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int p = -1;
	cJSON *a = find_step(root, "title", "#ops", &p, NULL);

	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(str(a, "kind"), "message");
	ck_assert_str_eq(str(a, "template"), "web is back on ${VERSION}");
	a = find_step(root, "title", "#incidents", &p, NULL);

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(p, PHASE_COMMUNICATE);
	ck_assert_str_eq(str(a, "kind"), "message");
	ck_assert_str_eq(str(a, "template"),
			 "Rolling back web ${VERSION} - ${OPERATOR}");
	a = find_step(root, "title", "#releases", &p, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(p, PHASE_COMMUNICATE);
	ck_assert_str_eq(str(a, "kind"), "message");
	ck_assert_str_eq(str(a, "template"), "web ${VERSION} is rolled back");
	a = find_step(root, "title", "#status", &p, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(str(a, "kind"), "message");
	ck_assert_str_eq(str(a, "template"), "All clear, ${OPERATOR}");
	ck_assert_int_eq(count_kind(root, "check"), 0);
	ck_assert_ptr_null(variable(root, "OPERATOR"));
	cJSON_Delete(root);
}
END_TEST

/* Verify's per-platform sections after the roll back's follow the one
 * "Which platform?" answer: the platform is asked once. */
START_TEST(test_import_platform_is_asked_once)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n### Kubernetes\n\n```bash\n"
		"kubectl rollout undo deployment/web -n prod\n```\n\n"
		"### Nomad\n\n```bash\nnomad job revert web 3\n```\n\n"
		"## Verify\n\n### Kubernetes\n\n```bash\nkubectl get pods -n "
		"prod\n```\n\n### Nomad\n\n```bash\nnomad job status web\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);

	ck_assert_int_eq(count_kind(root, "decide"), 1);
	ck_assert_str_eq(when_value(find_step(root, "run", "get pods", NULL,
					      NULL), str(d, "variable")),
			 "kubernetes");
	ck_assert_str_eq(when_value(find_step(root, "run", "job status", NULL,
					      NULL), str(d, "variable")),
			 "nomad");
	cJSON_Delete(root);
}
END_TEST

/* A backup is a backup however its file is named: "pg_dump -f FILE" and
 * "pg_dump > FILE" (and mysqldump's --result-file and ">", a dump piped
 * through gzip) all run before the approval, none asks a confirmation. */
START_TEST(test_import_dump_into_a_file_is_a_backup_either_way)
{
	static const char text[] =
		"# Orders schema rollback\n\n## Back up\n\n```bash\n"
		"pg_dump -f orders.sql orders\npg_dump orders > orders2.sql\n"
		"mysqldump --result-file=shop.sql shop\n"
		"mysqldump shop > shop2.sql\n"
		"pg_dump orders | gzip > orders.sql.gz\n```\n\n"
		"## Roll back\n\n```bash\n"
		"psql -h db1 -d orders -c \"DROP TABLE invoices_v2\"\n```\n";
	static const char *const dumps[] = { "pg_dump -f", "pg_dump orders >",
		"--result-file", "mysqldump shop >", "| gzip", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;

	for (size_t i = 0; dumps[i]; i++) {
		cJSON *st = find_step(root, "run", dumps[i], &ph, NULL);

		ck_assert_msg(st != NULL, "%s dropped", dumps[i]);
		ck_assert_msg(ph == PHASE_ASSESS, "%s runs in phase %d",
			      dumps[i], ph);
		ck_assert_msg(!cJSON_GetObjectItem(st, "destructive"),
			      "%s asks a confirmation", dumps[i]);
	}
	ck_assert_ptr_nonnull(find_step(root, "run", "DROP TABLE", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	cJSON_Delete(root);
}
END_TEST

/* A block whose commands share files or what an earlier one changed is
 * one script behind the approval, under any heading: under "Step 1:
 * Decide" the plan written to dns.tfplan never runs before the approval
 * (and the revert) while its apply runs after it. */
START_TEST(test_import_block_sharing_a_plan_file_stays_one_script)
{
	static const char decide[] =
		"# DNS rollback\n\n## Step 1: Decide\n\n"
		"Option A \xe2\x80\x94 revert and re-apply:\n\n"
		"```bash\ngit revert --no-edit <BAD_COMMIT>\n"
		"terraform plan -out=dns.tfplan\nterraform apply dns.tfplan\n```\n\n"
		"Option B \xe2\x80\x94 restore the state:\n\n"
		"```bash\nterraform state push -force backup.tfstate\n```\n";
	static const char assess[] =
		"# DNS rollback\n\n## Assess\n\n"
		"```bash\nterraform plan -out=dns.tfplan\n"
		"terraform apply dns.tfplan\n```\n";
	cJSON *root = import_text(decide, strlen(decide), NULL);
	int p = -1;
	cJSON *st = find_step(root, "run", "terraform apply dns.tfplan", &p,
			      NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(p, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "git revert"));
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "terraform plan -out"));
	cJSON_Delete(root);
	root = import_text(assess, strlen(assess), NULL);
	st = find_step(root, "run", "terraform plan -out", &p, NULL);
	ck_assert_int_eq(p, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "terraform apply"));
	cJSON_Delete(root);
}
END_TEST

/* A client's confirmation names what it changes, in which database, on
 * which host: never its password, nor the option that carries one. */
START_TEST(test_import_client_confirmation_names_host_database_or_key)
{
	static const char text[] =
		"# Flush sessions\n\n## Roll back\n\n```bash\n"
		"redis-cli -a s3cretpass -h cache1 DEL session:web\n"
		"redis-cli -h cache2 -a \"$REDIS_PASSWORD\" FLUSHDB\n"
		"psql -h db1 -d orders -f rollback.sql\n"
		"psql -h db1 -U admin orders < down.sql\n"
		"mysql -h db2 -u root -pS3cretPw shop -e \"DROP TABLE carts\"\n"
		"```\n";
	static const char *const runs[][2] = {
		{ "DEL session:web", "DEL session:web on cache1" },
		{ "FLUSHDB", "FLUSHDB on cache2" },
		{ "rollback.sql", "rollback.sql in orders on db1" },
		{ "down.sql", "down.sql in orders on db1" },
		{ "DROP TABLE carts", "DROP TABLE carts in shop on db2" },
	};
	cJSON *root = import_text(text, strlen(text), NULL);

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		cJSON *st = find_step(root, "run", runs[i][0], NULL, NULL);
		const char *c;

		ck_assert_msg(st != NULL, "%s dropped", runs[i][0]);
		c = str(st, "confirm");
		ck_assert_msg(c && strcmp(c, runs[i][1]) == 0,
			      "%s: confirm \"%s\"", runs[i][0], c ? c : "");
		ck_assert_ptr_null(strstr(c, "-a"));
		ck_assert_ptr_null(strstr(c, "PASSWORD"));
		ck_assert_ptr_null(strstr(c, "S3cret"));
	}
	cJSON_Delete(root);
}
END_TEST

/* A confirmation names what the command acts on, with its ${VALUES}:
 * the namespace "kubectl delete namespace" deletes (a place word only
 * there), the version a fastlane script pauses, never the API key id it
 * logs in with nor the approver a commit message names. */
START_TEST(test_import_confirmation_names_the_target_not_a_key_or_person)
{
	static const char text[] =
		"# Clean up\n\n## Roll back\n\n"
		"```bash\nkubectl delete namespace <NS>\n```\n\n"
		"```bash\ncd ios\nbundle exec fastlane run "
		"app_store_connect_api_key key_id:\"$ASC_KEY_ID\"\n"
		"bundle exec fastlane pause_phased_release "
		"version:<APP_VERSION>\n```\n\n"
		"```bash\ngit commit -m \"Rolled back, approved by "
		"<APPROVER_NAME>\"\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ns = find_step(root, "run", "delete namespace", NULL, NULL);
	cJSON *fl = find_step(root, "run", "pause_phased_release", NULL, NULL);
	cJSON *gc = find_step(root, "run", "git commit", NULL, NULL);

	ck_assert_ptr_nonnull(ns);
	ck_assert_ptr_nonnull(fl);
	ck_assert_ptr_nonnull(gc);
	ck_assert_msg(strstr(str(ns, "confirm"), "${NS}") != NULL,
		      "namespace confirm \"%s\"", str(ns, "confirm"));
	ck_assert_msg(strstr(str(fl, "confirm"), "${APP_VERSION}") != NULL,
		      "fastlane confirm \"%s\"", str(fl, "confirm"));
	ck_assert_ptr_null(strstr(str(fl, "confirm"), "ASC_KEY_ID"));
	ck_assert_msg(strstr(str(gc, "confirm"), "APPROVER") == NULL,
		      "commit confirm \"%s\"", str(gc, "confirm"));
	cJSON_Delete(root);
}
END_TEST

/* A cd is carried only to later steps on its own path: the cd of the
 * iOS option's script never reaches the Android option's command, even
 * though "both" runs the two. */
START_TEST(test_import_cd_stays_on_its_option)
{
	static const char text[] =
		"# Halt the release\n\nPick the platform(s) affected, one or "
		"more.\n\n## iOS\n\n1. Click **Pause** in the console\n\n"
		"Or with the CLI:\n\n```bash\ncd mobile-ios\n"
		"./bin/pause-release --all\n```\n\n"
		"## Android\n\n1. Click **Halt** in the console\n\n"
		"Or via the API:\n\n```bash\n"
		"./bin/halt-rollout --track production\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *ios = find_step(root, "run", "pause-release", NULL, NULL);
	cJSON *android = find_step(root, "run", "halt-rollout", NULL, NULL);

	ck_assert_ptr_nonnull(ios);
	ck_assert_ptr_nonnull(android);
	ck_assert_ptr_nonnull(strstr(str(ios, "run"), "cd mobile-ios"));
	ck_assert_msg(strstr(str(android, "run"), "mobile-ios") == NULL,
		      "the Android step runs \"%s\"", str(android, "run"));
	cJSON_Delete(root);
}
END_TEST

/* A cd of a section about staging stays in it: the production steps
 * after it run where the production section's cd left them. */
START_TEST(test_import_staging_cd_stays_in_staging)
{
	static const char text[] =
		"# Roll back the shop\n\n## Roll back\n\n```bash\n"
		"cd /opt/shop\n./bin/deploy --tag v3.1.0\n```\n\n"
		"## Rehearse\n\nRehearse this quarterly in staging.\n\n"
		"```bash\ncd /opt/shop-staging\n./bin/deploy --tag v3.1.0\n"
		"```\n\n## If the port is taken\n\n```bash\n"
		"./bin/free-port 8080\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st = find_step(root, "run", "free-port", NULL, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_msg(strstr(str(st, "run"), "shop-staging") == NULL,
		      "the production step runs \"%s\"", str(st, "run"));
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "cd /opt/shop &&"));
	cJSON_Delete(root);
}
END_TEST

/* "If ..., STOP: do not switch back" is a go/no-go decision before the
 * approval, with a review point: the change runs only on its go. */
START_TEST(test_import_stop_condition_is_a_go_no_go_decision)
{
	static const char text[] =
		"# Switch to the old pool\n\n## Check\n\n```bash\n"
		"./bin/pool-health old-pool\n```\n\n"
		"Every member should be up. If the old pool is degraded, STOP: "
		"do not switch back, page the on-call.\n\n## Switch\n\n"
		"```bash\n./bin/pool-switch --to old-pool\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int phase = -1;
	cJSON *d = find_step(root, "title", "Go or no-go", &phase, NULL);
	cJSON *sw = find_step(root, "run", "pool-switch", NULL, NULL);
	const char *var;
	cJSON *when;
	char *all;

	ck_assert_msg(d != NULL, "no go/no-go decision");
	ck_assert_int_eq(phase, PHASE_DECIDE);
	ck_assert_str_eq(str(d, "kind"), "decide");
	var = str(d, "variable");
	ck_assert_ptr_nonnull(var);
	ck_assert_ptr_nonnull(sw);
	when = cJSON_GetObjectItemCaseSensitive(sw, "when");
	ck_assert_msg(cJSON_GetObjectItemCaseSensitive(when, var) != NULL,
		      "the switch runs whatever the decision");
	all = cJSON_PrintUnformatted(root);
	ck_assert_ptr_nonnull(strstr(all, "go/no-go decision"));
	free(all);
	cJSON_Delete(root);
}
END_TEST

/* A platform chosen once ("one or more") is not asked again: the verify
 * sections per platform follow its yes per platform, so "both" verifies
 * both. */
START_TEST(test_import_platform_verify_follows_the_platforms_chosen)
{
	static const char text[] =
		"# Halt the release\n\nPick the platform(s) affected, one or "
		"more.\n\n## iOS\n\n```bash\n./bin/pause-ios --all\n```\n\n"
		"## Android\n\n```bash\n./bin/halt-android --all\n```\n\n"
		"## Verify\n\n### iOS\n\n- [ ] The store shows Paused\n\n"
		"### Android\n\n- [ ] The console shows Halted\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *run = find_step(root, "run", "pause-ios", NULL, NULL);
	cJSON *ios = find_step(root, "title", "shows Paused", NULL, NULL);
	cJSON *and = find_step(root, "title", "shows Halted", NULL, NULL);
	cJSON *rw, *iw, *aw;
	int decides = 0;
	cJSON *st;

	ck_assert_ptr_nonnull(run);
	ck_assert_ptr_nonnull(ios);
	ck_assert_ptr_nonnull(and);
	rw = cJSON_GetObjectItemCaseSensitive(run, "when");
	iw = cJSON_GetObjectItemCaseSensitive(ios, "when");
	aw = cJSON_GetObjectItemCaseSensitive(and, "when");
	ck_assert_ptr_nonnull(rw);
	ck_assert_ptr_nonnull(iw);
	ck_assert_ptr_nonnull(aw);
	ck_assert_msg(cJSON_GetObjectItemCaseSensitive(iw,
		      rw->child->string) != NULL,
		      "the iOS verify does not follow %s", rw->child->string);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(aw,
		      rw->child->string));
	cJSON_ArrayForEach(st, phase_steps(root, PHASE_DECIDE))
		decides += strcmp(str(st, "kind"), "decide") == 0;
	ck_assert_int_eq(decides, 1);
	cJSON_Delete(root);
}
END_TEST

/* "Pin the values ... In `values.yaml`:" and its YAML after a
 * contingency's item is a check of the main path, not a note of the
 * contingency's retry step (on the normal path nobody would pin them). */
START_TEST(test_import_config_edit_item_is_a_main_path_check)
{
	static const char text[] =
		"# Roll back search\n\n## Roll back\n\n"
		"1. Roll back:\n\n   ```sh\n   ./bin/rollback search 7\n"
		"   ```\n\n2. If the rollback fails with a lock error, clear "
		"it:\n\n   ```sh\n   ./bin/unlock search\n"
		"   ./bin/rollback search 7\n   ```\n\n"
		"3. Pin the image so the next deploy keeps it. In "
		"`values-live.yaml`:\n\n   ```yaml\n   image:\n"
		"     tag: \"2.0.1\"\n   ```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *pin = find_step(root, "title", "Pin the image", NULL, NULL);

	ck_assert_msg(pin != NULL, "no step pins the image");
	ck_assert_str_eq(str(pin, "kind"), "check");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(pin, "when"));
	ck_assert_ptr_nonnull(strstr(str(pin, "note"), "tag: \"2.0.1\""));
	cJSON_Delete(root);
}
END_TEST

/* "Step 2: find the build number" (clicks in a UI) says where the
 * value <BUILD_NUMBER> comes from: it runs before that value is asked,
 * not in verify after the step that needs it. */
START_TEST(test_import_value_lookup_runs_before_its_input)
{
	static const char text[] =
		"# Restore the build\n\n### Step 1: Save the current state"
		"\n\n```bash\ncd ci\n./bin/save-state > /tmp/before.json\n"
		"```\n\n### Step 2: Find the good build number\n\n"
		"In the CI console:\n\n1. Open the CI console\n"
		"2. Click **Builds**\n"
		"3. Copy the number of the last green build\n\n"
		"### Step 3: Restore\n\n```bash\n"
		"./bin/restore-build <GOOD_BUILD_NUMBER>\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int fp = -1, fi = -1, ip = -1, ii = -1;
	cJSON *find = find_step(root, "title", "good build number", &fp, &fi);
	cJSON *in = find_step(root, "variable", "GOOD_BUILD_NUMBER", &ip, &ii);

	ck_assert_ptr_nonnull(find);
	ck_assert_ptr_nonnull(in);
	ck_assert_msg(fp < ip || (fp == ip && fi < ii),
		      "the lookup %s comes after the input %s",
		      str(find, "id"), str(in, "id"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(find,
							    "required"));
	cJSON_Delete(root);
}
END_TEST

/* "terraform state push -force old.tfstate" is confirmed by the
 * workspace whose state it overwrites, not the file it reads. */
START_TEST(test_import_state_push_confirms_the_workspace)
{
	static const char text[] =
		"# Restore state\n\n## Restore\n\n```bash\n"
		"export TF_WORKSPACE=live\nterraform init -input=false\n"
		"terraform state push -force saved.tfstate\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st = find_step(root, "run", "state push", NULL, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_msg(strstr(str(st, "confirm"), "workspace live") != NULL,
		      "confirm \"%s\"", str(st, "confirm"));
	cJSON_Delete(root);
}
END_TEST

/* A script testing $? stays with the command it tests: split, the test
 * would run in a shell of its own, where $? is always 0. */
START_TEST(test_import_status_test_stays_with_its_command)
{
	static const char text[] =
		"# Release check\n\n## Smoke tests\n\n"
		"```bash\nnpm test > smoke.log 2>&1\n\n"
		"if [ $? -ne 0 ]; then\n  echo \"smoke tests failed\"\n"
		"  exit 1\nfi\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *st = find_step(root, "run", "$?", NULL, NULL);

	ck_assert_ptr_nonnull(st);
	ck_assert_ptr_nonnull(strstr(str(st, "run"), "npm test"));
	cJSON_Delete(root);
}
END_TEST

/* A placeholder the import made an input is that input everywhere the
 * operator reads it: the playbook's title, a checklist item's title, a
 * command step's title and its drill output. */
START_TEST(test_import_titles_and_drill_output_use_the_inputs)
{
	static const char text[] =
		"# Roll back web to <VERSION> in {{env}}\n\n## Roll back\n\n"
		"- [ ] Deploy <VERSION> to {{env}}\n\n```bash\n"
		"helm rollback web <VERSION> --namespace {{env}}\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *check = find_step(root, "kind", "check", NULL, NULL);
	cJSON *run = find_step(root, "run", "helm rollback", NULL, NULL);
	const char *out;

	ck_assert_ptr_nonnull(variable(root, "VERSION"));
	ck_assert_ptr_nonnull(variable(root, "ENV"));
	ck_assert_str_eq(str(root, "title"),
			 "Roll back web to ${VERSION} in ${ENV}");
	ck_assert_ptr_nonnull(check);
	ck_assert_str_eq(str(check, "title"), "Deploy ${VERSION} to ${ENV}");
	ck_assert_ptr_nonnull(run);
	ck_assert_str_eq(str(run, "title"),
			 "helm rollback web ${VERSION} --namespace ${ENV}");
	out = str(cJSON_GetObjectItem(run, "drill"), "output");
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(strstr(out, "web ${VERSION} --namespace ${ENV}"));
	ck_assert_ptr_null(strchr(out, '<'));
	ck_assert_ptr_null(strstr(out, "{{"));
	cJSON_Delete(root);
}
END_TEST

/* A runbook done all by hand (numbered clicks, no command anywhere) is
 * a draft of steps the operator ticks, in execute, with a review point
 * saying so, never refused as "only prose". */
START_TEST(test_import_ui_only_runbook_is_steps_to_tick)
{
	static const char text[] =
		"# Storefront theme rollback\n\n"		/* 1 */
		"## In the admin console\n\n"			/* 3 */
		"1. Go to Settings > Themes.\n"			/* 5 */
		"2. Click History.\n"				/* 6 */
		"3. Click Restore next to the previous version.\n\n"
		"## Verify\n\n"					/* 9 */
		"1. Open the storefront home page.\n";		/* 11 */
	static const char *const clicks[] = { "Go to Settings", "Click "
		"History", "Click Restore", NULL };
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1, prev = -1, idx = -1;

	for (size_t i = 0; clicks[i]; i++) {
		cJSON *st = find_step(root, "title", clicks[i], &ph, &idx);

		ck_assert_msg(st != NULL, "%s dropped", clicks[i]);
		ck_assert_str_eq(str(st, "kind"), "check");
		ck_assert_int_eq(ph, PHASE_EXECUTE);
		ck_assert(!cJSON_IsFalse(cJSON_GetObjectItem(st, "required")));
		ck_assert_int_gt(idx, prev);
		prev = idx;
	}
	ck_assert_ptr_nonnull(find_step(root, "title", "Open the storefront",
					&ph, NULL));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	ck_assert(review_on(root, 5, "no command"));
	cJSON_Delete(root);
}
END_TEST

/* A kill switch's fallback ("If the flag cannot be turned off, roll
 * back the deployment", as a paragraph or a heading) is a decision the
 * operator takes: its command runs only on the answer that asks for it,
 * never as a required step the operator must mark n/a to pass. */
static const char *const cannot_md[] = {
	"# Kill switch for checkout v2\n\n## Turn it off\n\n```bash\n"
	"curl -X POST https://flags.example.test/api/flags/checkout-v2/off\n"
	"```\n\nIf the flag cannot be turned off, roll back the deployment:\n"
	"\n```bash\nkubectl rollout undo deployment/checkout\n```\n",
	"# Kill switch for checkout v2\n\n## Turn it off\n\n```bash\n"
	"curl -X POST https://flags.example.test/api/flags/checkout-v2/off\n"
	"```\n\n### If the flag cannot be turned off\n\n```bash\n"
	"kubectl rollout undo deployment/checkout\n```\n",
};

START_TEST(test_import_cannot_turn_off_fallback_is_a_decision)
{
	const char *text = cannot_md[_i];
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *undo = find_step(root, "run", "rollout undo", NULL, NULL);
	const cJSON *when, *cond;
	cJSON *d;
	int on_decision = 0;

	ck_assert_ptr_nonnull(undo);
	when = cJSON_GetObjectItem(undo, "when");
	ck_assert_msg(cJSON_GetArraySize(when) > 0, "the fallback always runs");
	cJSON_ArrayForEach(cond, when) {
		d = find_step(root, "variable", cond->string, NULL, NULL);
		on_decision |= d && strcmp(str(d, "kind"), "decide") == 0;
	}
	ck_assert(on_decision);
	ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "run",
		"flags/checkout-v2/off", NULL, NULL), "when"));
	cJSON_Delete(root);
}
END_TEST

/* "(preferred)" on an item of a "Pick one:" list of procedure sections
 * is the runbook's recommendation: that option is "recommended", and
 * neither its label nor its description says so in words a drill would
 * show the trainee. */
START_TEST(test_import_preferred_pick_one_item_is_recommended)
{
	static const char text[] =
		"# Roll back api\n\n## Decide\n\nPick one:\n\n"
		"- Revert: undo the merge commit\n"
		"- Helm rollback (preferred): back to the previous release\n\n"
		"## Revert\n\n```bash\ngit revert HEAD\ngit push origin main\n"
		"```\n\n## Helm rollback\n\n```bash\nhelm rollback api 3\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	const cJSON *helm, *revert;

	ck_assert_ptr_nonnull(d);
	helm = option_labelled(d, "Helm rollback");
	revert = option_labelled(d, "Revert");
	ck_assert_ptr_nonnull(helm);
	ck_assert_ptr_nonnull(revert);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(helm, "recommended")));
	ck_assert_ptr_null(cJSON_GetObjectItem(revert, "recommended"));
	ck_assert_ptr_null(strstr(str(helm, "label"), "preferred"));
	ck_assert(!str(helm, "description") ||
		  !strstr(str(helm, "description"), "preferred"));
	ck_assert_str_eq(when_value(find_step(root, "run", "helm rollback",
					      NULL, NULL), str(d, "variable")),
			 str(helm, "id"));
	cJSON_Delete(root);
}
END_TEST

/* A lookup in the section of an option an opening "Pick one:" names
 * runs on that option's path, after the question, never before it (a
 * draft check calls invalid: "never active"). */
START_TEST(test_import_lookup_of_an_option_runs_after_its_question)
{
	static const char text[] =
		"# Web recovery\n\nPick one:\n- Chart move\n"
		"- Index yank\n\n## Chart move\n\n"
		"```bash\nhelm history web -n prod\n"
		"helm rollback web <REVISION> -n prod\n```\n\n"
		"## Index yank\n\n1. On the index page click **Yank** next to "
		"<BAD_VERSION>\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int lp = -1, li = -1, dp = -1, di = -1;
	cJSON *d = find_step(root, "kind", "decide", &dp, &di);
	cJSON *look = find_step(root, "run", "helm history", &lp, &li);

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(look);
	ck_assert_msg(lp > dp || (lp == dp && li > di),
		      "the lookup runs before the question it waits on");
	ck_assert_str_eq(when_value(look, str(d, "variable")),
			 "chart-move");
	cJSON_Delete(root);
}
END_TEST

/* A per-platform section whose heading says verify ("### Verify" under
 * "## Kubernetes", or "### VMs" under "## Verify") keeps a command not
 * known to read in verify; one known to change state still waits in
 * execute. */
static const char *const verify_md[] = {
	"# Roll back mobile backend\n\n## Kubernetes\n\n### Roll back\n\n"
	"```bash\nkubectl rollout undo deployment/mobile-api\n```\n\n"
	"### Verify\n\n```bash\nmobctl status --env prod\n```\n\n"
	"## VMs\n\n### Roll back\n\n```bash\nansible-playbook -i prod "
	"rollback.yml\n```\n\n### Verify\n\n```bash\nmobctl status --env vm\n"
	"kubectl delete pod -l app=mobile-api\n```\n",
	"# Roll back mobile backend\n\n## Roll back\n\n### Kubernetes\n\n"
	"```bash\nkubectl rollout undo deployment/mobile-api\n```\n\n"
	"### VMs\n\n```bash\nansible-playbook -i prod rollback.yml\n```\n\n"
	"## Verify\n\n### Kubernetes\n\n```bash\nmobctl status --env prod\n"
	"```\n\n### VMs\n\n```bash\nmobctl status --env vm\n"
	"kubectl delete pod -l app=mobile-api\n```\n",
};

START_TEST(test_import_verify_heading_keeps_unknown_commands_in_verify)
{
	const char *text = verify_md[_i];
	cJSON *root = import_text(text, strlen(text), NULL);
	int ph = -1;

	ck_assert_ptr_nonnull(find_step(root, "run", "--env prod", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	ck_assert_ptr_nonnull(find_step(root, "run", "--env vm", &ph, NULL));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	ck_assert_ptr_nonnull(find_step(root, "run", "kubectl delete pod", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	ck_assert_ptr_nonnull(find_step(root, "run", "ansible-playbook", &ph,
					NULL));
	ck_assert_int_eq(ph, PHASE_EXECUTE);
	cJSON_Delete(root);
}
END_TEST

/* Beside "## Option A: ... (recommended)", the sibling sections that
 * prepare or verify ("## Prepare", "## Verify") are steps of every path,
 * never options of the decision (choosing A would skip the cd and the
 * check). */
START_TEST(test_import_prepare_and_verify_beside_options_are_not_options)
{
	static const char text[] =
		"# Roll back edge config\n\n## Prepare\n\n```bash\ncd infra/edge\n"
		"```\n\n## Option A: Terraform (recommended)\n\n```bash\n"
		"terraform apply -auto-approve ./plans/previous.tfplan\n```\n\n"
		"## Option B: Script\n\n```bash\n./scripts/rollback.sh --to "
		"previous\n```\n\n## Verify\n\n```bash\ncat ./state/current.txt\n"
		"```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	int ph = -1;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")),
			 2);
	ck_assert_ptr_null(option_labelled(d, "Prepare"));
	ck_assert_ptr_null(option_labelled(d, "Verify"));
	ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "run",
		"current.txt", &ph, NULL), "when"));
	ck_assert_int_eq(ph, PHASE_VERIFY);
	ck_assert_ptr_null(cJSON_GetObjectItem(find_step(root, "title",
		"cd infra/edge", NULL, NULL), "when"));
	cJSON_Delete(root);
}
END_TEST

/* An export of one block is the environment the runbook runs its later
 * steps in: each step that may read it (terraform for TF_WORKSPACE)
 * starts with it, a review point says so; one whose value runs a command
 * is not run again, and a review point says the later steps lack it. */
START_TEST(test_import_exports_reach_the_later_steps_that_read_them)
{
	static const char text[] =
		"# CDN rollback\n\n## Prepare\n\n"
		"```bash\nexport TF_WORKSPACE=prod\n"
		"export RUN_ID=$(uuidgen)\nterraform init\n```\n\n"
		"## Roll back\n\n```bash\nterraform apply -auto-approve "
		"-target=module.cdn\n```\n\n## Verify\n\n```bash\n"
		"curl -fsS http://127.0.0.1:8080/health\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *apply = find_step(root, "run", "terraform apply", NULL, NULL);
	cJSON *curl = find_step(root, "run", "curl -fsS", NULL, NULL);

	ck_assert_ptr_nonnull(apply);
	ck_assert_ptr_nonnull(strstr(str(apply, "run"),
				     "export TF_WORKSPACE=prod\n"));
	ck_assert_ptr_null(strstr(str(apply, "run"), "RUN_ID"));
	ck_assert_ptr_null(strstr(str(curl, "run"), "TF_WORKSPACE"));
	ck_assert(review_on(root, -1, "`export TF_WORKSPACE=prod`: the "
			    "runbook runs the steps after this one"));
	ck_assert(review_on(root, -1, "does not run the command of its "
			    "value again"));
	cJSON_Delete(root);
}
END_TEST

/* A condition written in a comment or a lead-in ("# If needed, pull the
 * images from the mirror", "Log in first if you are not logged in:")
 * makes its step optional, with a review point quoting it: never a
 * required step on every path. */
START_TEST(test_import_conditional_comment_or_leadin_is_not_required)
{
	static const char text[] =
		"# Image rollback\n\n## Roll back\n\n"
		"```bash\n# Point the tag back\ncrane tag registry.example/web:"
		"<GOOD_TAG> stable\n\n# If needed, copy the image from the mirror\n"
		"crane copy mirror.example/web:<GOOD_TAG> registry.example/web:"
		"<GOOD_TAG>\n```\n\n"
		"Log in to the registry first if you are not logged in:\n\n"
		"```bash\ncrane auth login registry.example -u deploy\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *tag = find_step(root, "run", "crane tag", NULL, NULL);
	cJSON *copy = find_step(root, "run", "crane copy", NULL, NULL);
	cJSON *login = find_step(root, "run", "crane auth login", NULL, NULL);

	ck_assert_ptr_nonnull(tag);
	ck_assert_ptr_nonnull(copy);
	ck_assert_ptr_nonnull(login);
	ck_assert(!cJSON_IsFalse(cJSON_GetObjectItem(tag, "required")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(copy, "required")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(login, "required")));
	ck_assert(review_on(root, -1, "conditional (\"If needed, copy the "
			    "image from the mirror\")"));
	ck_assert(review_on(root, -1, "the runbook says to do this step first"));
	cJSON_Delete(root);
}
END_TEST

/* "### Level 1: ..." / "### Level 2: ..." are alternative procedures:
 * one decision, each level's commands on its own option, never a reset
 * then a checkout on one path. */
START_TEST(test_import_level_headings_are_alternatives)
{
	static const char text[] =
		"# Billing rollback\n\n## Rollback procedures\n\n"
		"### Level 1: Full rollback\n\n```bash\n"
		"git reset --hard <GOOD_COMMIT>\n```\n\n"
		"### Level 2: Partial rollback\n\n```bash\n"
		"git checkout HEAD~2 -- src/billing/\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	cJSON *d = find_step(root, "kind", "decide", NULL, NULL);
	cJSON *reset = find_step(root, "run", "git reset", NULL, NULL);
	cJSON *partial = find_step(root, "run", "git checkout HEAD~2", NULL,
				   NULL);
	const char *var, *a, *b;

	ck_assert_ptr_nonnull(d);
	var = str(d, "variable");
	a = when_value(reset, var);
	b = when_value(partial, var);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_ne(a, b);
	cJSON_Delete(root);
}
END_TEST

/* A destructive command the runbook writes under its verify heading (a
 * canary scaled to zero) waits for the sign-off: the approval gates it
 * by its id, so the approver sees it. */
START_TEST(test_import_change_in_verify_is_gated_by_the_approval)
{
	static const char text[] =
		"# Web rollback\n\n## Roll back\n\n```bash\n"
		"kubectl rollout undo deployment/web -n prod\n```\n\n"
		"## Verify\n\n```bash\nkubectl scale deployment/web-canary "
		"--replicas=0 -n prod\n```\n";
	cJSON *root = import_text(text, strlen(text), NULL);
	int p = -1;
	cJSON *scale = find_step(root, "run", "kubectl scale", &p, NULL);
	cJSON *ap = find_step(root, "kind", "approve", NULL, NULL);
	const cJSON *g;
	int gated = 0, execute = 0;

	ck_assert_ptr_nonnull(scale);
	ck_assert_ptr_nonnull(ap);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(ap, "gates")) {
		gated |= strcmp(g->valuestring, str(scale, "id")) == 0;
		execute |= strcmp(g->valuestring, "execute") == 0;
	}
	ck_assert_msg(p == PHASE_EXECUTE || gated, "%s in %d is gated by no "
		      "approval", str(scale, "id"), p);
	ck_assert(p == PHASE_EXECUTE || execute);
	cJSON_Delete(root);
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	struct {
		const char *name;
		const TTest *test;
	} tests[] = {
		{ "nested", test_import_fences_inside_nested_list_items_become_runs },
		{ "tasks", test_import_task_items_become_checks_with_subitems_as_notes },
		{ "crlf", test_import_crlf_file_gives_the_same_draft_as_lf },
		{ "tables", test_import_severity_table_becomes_a_matrix_decision },
		{ "placeholders", test_import_placeholders_of_every_style_become_variables },
		{ "console", test_import_console_block_splits_command_and_output },
		{ "empty", test_import_empty_sections_give_a_valid_draft },
		{ "noheadings", test_import_runbook_without_headings_keeps_everything },
		{ "utf8", test_import_repairs_invalid_utf8_and_controls },
		{ "blank", test_import_blank_text_is_refused },
		{ "oddfences", test_import_odd_fences_still_give_a_draft_that_loads },
		{ "titlecap", test_import_command_title_just_over_the_cap_is_kept_whole },
		{ "seeds", test_import_each_seed_keeps_its_commands_and_checklists },
		{ "onlyshell", test_import_only_shell_becomes_a_run_step },
		{ "draft", test_import_draft_has_review_points_and_explains_each_section },
		{ "templates", test_import_template_placeholders_tables_and_front_matter },
		{ "gate", test_import_phases_follow_sections_and_the_gate_comes_last },
		{ "troubleshooting", test_import_troubleshooting_commands_wait_behind_a_decision },
		{ "options", test_import_option_sections_become_one_decision },
		{ "altshapes", test_import_strategy_platform_and_fallback_sections_are_choices },
		{ "norollback", test_import_do_not_roll_back_runs_no_rollback_command },
		{ "script", test_import_script_with_shared_state_stays_one_step },
		{ "binary", test_import_binary_file_is_refused_naming_it },
		{ "singular", test_import_summary_says_one_in_the_singular },
		{ "confirmobject", test_import_confirmation_names_a_target_or_says_it_does_not },
		{ "confirmrule", test_import_confirm_target_rule_is_the_lint_rule },
		{ "reviewlines", test_import_review_points_cite_exact_lines },
		{ "secret", test_import_credential_names_become_secret_variables },
		{ "secretconfirm", test_import_secret_is_never_the_confirm_text },
		{ "gotemplate", test_import_go_template_in_a_command_stays_literal },
		{ "carried", test_import_value_a_script_sets_is_carried_not_asked },
		{ "quoted", test_import_placeholders_inside_quotes_become_variables },
		{ "prose", test_import_prose_lines_in_a_shell_fence_are_notes },
		{ "fences", test_import_fences_close_as_commonmark_says_and_unclosed_is_said },
		{ "shells", test_import_other_shells_are_typed_notes_unless_posix_zsh },
		{ "troublesub", test_import_troubleshooting_subsections_are_each_a_decision },
		{ "latevalue", test_import_inputs_of_destructive_steps_come_before_the_gate },
		{ "inseq", test_import_steps_in_places_stay_a_sequence },
		{ "tableties", test_import_table_actions_run_only_their_sections },
		{ "emergency", test_import_emergency_procedure_is_not_an_aside },
		{ "indentclose", test_import_closing_fence_indented_four_spaces_does_not_close },
		{ "reviewline", test_import_every_review_point_names_a_real_line },
		{ "templatetitle", test_import_template_title_is_a_review_point_not_the_title },
		{ "literalsecret", test_import_literal_credentials_become_secret_variables },
		{ "confirmtarget", test_import_confirm_names_the_target_not_where_or_a_url },
		{ "uichecks", test_import_console_ui_items_are_checks_and_flag_patch_destroys },
		{ "contingency", test_import_if_it_fails_in_verify_is_a_gated_contingency },
		{ "conditem", test_import_conditional_list_item_is_a_contingency },
		{ "pickthree", test_import_pick_one_of_three_procedures_is_three_options },
		{ "approachb", test_import_lone_approach_b_is_an_alternative_to_the_steps_above },
		{ "lookupfirst", test_import_lookup_informing_a_value_comes_before_its_input },
		{ "emptygate", test_import_approval_gating_nothing_is_a_check },
		{ "matrixcols", test_import_matrix_asks_both_dimensions },
		{ "pickleadin", test_import_pick_one_ties_commands_by_their_lead_ins },
		{ "boldoptions", test_import_bold_option_lead_ins_are_one_decision },
		{ "envmatrix", test_import_matrix_with_environment_columns_is_two_dimensional },
		{ "scriptorder", test_import_split_script_keeps_its_order_and_ids_take_any_value },
		{ "numbered", test_import_numbered_steps_keep_order_and_their_approver },
		{ "optional", test_import_optional_follows_the_runbooks_words },
		{ "troubletable", test_import_troubleshooting_table_rows_are_contingencies },
		{ "platforms", test_import_platforms_s_is_one_question_per_platform },
		{ "escalation", test_import_escalation_matrix_options_are_the_tables_words },
		{ "promise", test_import_credential_review_promises_only_an_asked_input },
		{ "sampleout", test_import_sample_output_is_a_note_not_an_expect },
		{ "lateremedy", test_import_late_contingency_remedy_has_its_own_sign_off },
		{ "envreuse", test_import_environment_matrix_reuses_the_placeholder },
		{ "execremedy", test_import_execute_contingency_remedy_is_out_of_the_main_gate },
		{ "onlyreads", test_import_only_known_reads_run_before_the_approval },
		{ "later", test_import_later_sections_are_optional_follow_up },
		{ "followupbullets", test_import_follow_up_bullets_load },
		{ "confirmwhat", test_import_confirmation_names_what_is_changed },
		{ "contvalues", test_import_contingency_values_are_asked_on_their_path_only },
		{ "othershapes", test_import_credentials_of_other_shapes_are_taken_out },
		{ "everypath", test_import_approval_covers_every_path_that_changes_things },
		{ "gatedanywhere", test_import_changes_anywhere_are_gated_and_named },
		{ "timeouts", test_import_timeouts_and_if_that_fails_are_contingencies },
		{ "dsnsecret", test_import_dsn_password_and_bare_authorization_are_taken_out },
		{ "cmdpassword", test_import_command_line_passwords_are_taken_out },
		{ "clearexpect", test_import_expect_only_from_a_clear_single_line_result },
		{ "pypitoken", test_import_pypi_token_in_heredoc_becomes_secret_variable },
		{ "fallbackorder", test_import_fallback_question_comes_before_its_remedy },
		{ "laterescalation", test_import_step_never_waits_on_a_later_escalation },
		{ "fixforward", test_import_fix_forward_deploy_is_behind_the_approval },
		{ "secrettwin", test_import_secret_never_tells_options_confirms_apart },
		{ "numberedphases", test_import_numbered_script_keeps_its_order_across_phases },
		{ "pickfirst", test_import_pick_one_before_the_first_heading_is_a_decision },
		{ "tworoles", test_import_approval_from_two_roles_names_both },
		{ "numberedplatforms", test_import_numbered_platform_items_are_a_decision },
		{ "envtwins", test_import_env_and_environment_are_one_input },
		{ "hostingplatforms", test_import_hosting_platform_sections_are_a_platform_pick },
		{ "nophaseword", test_import_heading_without_phase_word_acts_by_its_steps },
		{ "norollbackqs", test_import_no_rollback_path_asks_no_rollback_questions },
		{ "lookupchoice", test_import_lookup_before_the_choice_stays_before_it },
		{ "chatmessage", test_import_chat_message_is_a_message_step },
		{ "platformonce", test_import_platform_is_asked_once },
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		TCase *tc = tcase_create(tests[i].name);

		tcase_set_timeout(tc, 30);
		tcase_add_test(tc, tests[i].test);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("approvallines");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_approval_line_names_the_role_and_gates_the_change,
			0, (int)(sizeof(approval_lines) /
				 sizeof(approval_lines[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("safewalk");

		tcase_set_timeout(tc, 30);
		tcase_add_test(tc,
			test_import_long_leadin_is_kept_whole_as_the_note);
		tcase_add_test(tc,
			test_import_do_not_roll_back_paragraph_is_a_decision);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("ciscoped");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc, test_import_ci_scoped_block_is_a_note, 0,
			(int)(sizeof(ci_scoped_md) / sizeof(ci_scoped_md[0])));
		tcase_add_test(tc,
			test_import_home_file_overwrite_is_destructive);
		tcase_add_test(tc,
			test_import_webhook_url_token_is_a_secret_input);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("consoleexpect");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_console_output_is_an_example_unless_it_must_match,
			0, (int)(sizeof(console_expect_md) /
				 sizeof(console_expect_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("blockalts");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_alternatives_inside_a_section_become_a_decision,
			0, (int)(sizeof(block_alternatives_md) /
				 sizeof(block_alternatives_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("pickwords");

		tcase_add_test(tc,
			test_import_pick_one_items_tie_to_sections_by_key_words);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("exactactions");

		tcase_add_test(tc,
			test_import_table_actions_named_exactly_run_only_their_section);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("fallback");

		tcase_add_test(tc, test_import_fallback_instead_is_a_contingency);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("pickedearlier");

		tcase_add_test(tc,
			test_import_platforms_picked_earlier_are_each_a_yes_no);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("proseroles");

		tcase_add_loop_test(tc, test_import_roles_named_in_approval_prose,
			0, (int)(sizeof(roles_md) / sizeof(roles_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("platforminputs");

		tcase_add_test(tc,
			test_import_platform_pick_inputs_only_on_their_platform);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("roleverbs");

		tcase_add_loop_test(tc, test_import_two_roles_stop_at_the_verb, 0,
			(int)(sizeof(two_roles_md) / sizeof(two_roles_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("inputwhen");

		tcase_add_test(tc, test_import_inputs_carry_the_when_of_their_users);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("postincident");

		tcase_add_test(tc, test_import_post_incident_section_communicates);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("headingtitle");

		tcase_add_test(tc, test_import_templated_heading_gives_the_title);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("platformclicks");

		tcase_add_loop_test(tc,
			test_import_platform_click_steps_stay_on_their_path, 0,
			(int)(sizeof(platform_clicks_md) /
			      sizeof(platform_clicks_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("notprod");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_not_for_production_section_is_a_note,
			0, (int)(sizeof(not_prod_md) / sizeof(not_prod_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("pickbareleadins");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_pick_one_over_bare_leadins_is_a_decision, 0,
			(int)(sizeof(pick_leadins_md) /
			      sizeof(pick_leadins_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("orwithtool");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_or_with_a_tool_after_a_procedure_is_an_option,
			0, (int)(sizeof(or_with_md) / sizeof(or_with_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("sharedstate");

		tcase_add_test(tc,
			test_import_block_sharing_a_plan_file_stays_one_script);
		tcase_add_test(tc, test_import_status_test_stays_with_its_command);
		tcase_add_test(tc,
			test_import_lookup_of_an_option_runs_after_its_question);
		tcase_add_test(tc,
			test_import_exports_reach_the_later_steps_that_read_them);
		tcase_add_test(tc,
			test_import_conditional_comment_or_leadin_is_not_required);
		tcase_add_test(tc, test_import_level_headings_are_alternatives);
		tcase_add_test(tc,
			test_import_change_in_verify_is_gated_by_the_approval);
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("preferred");

		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc,
			test_import_preferred_heading_is_recommended_alternative,
			0, (int)(sizeof(preferred_md) / sizeof(preferred_md[0])));
		suite_add_tcase(s, tc);
	}
	{
		TCase *tc = tcase_create("leftovers15");

		tcase_set_timeout(tc, 30);
		tcase_add_test(tc,
			test_import_dump_into_a_file_is_a_backup_either_way);
		tcase_add_test(tc,
			test_import_client_confirmation_names_host_database_or_key);
		tcase_add_test(tc,
			test_import_titles_and_drill_output_use_the_inputs);
		tcase_add_test(tc,
		test_import_confirmation_names_the_target_not_a_key_or_person);
		tcase_add_test(tc, test_import_cd_stays_on_its_option);
		tcase_add_test(tc, test_import_staging_cd_stays_in_staging);
		tcase_add_test(tc,
			test_import_stop_condition_is_a_go_no_go_decision);
		tcase_add_test(tc,
		     test_import_platform_verify_follows_the_platforms_chosen);
		tcase_add_test(tc,
			test_import_config_edit_item_is_a_main_path_check);
		tcase_add_test(tc,
			test_import_value_lookup_runs_before_its_input);
		tcase_add_test(tc,
			test_import_state_push_confirms_the_workspace);
		tcase_add_test(tc, test_import_ui_only_runbook_is_steps_to_tick);
		tcase_add_loop_test(tc,
			test_import_cannot_turn_off_fallback_is_a_decision, 0,
			(int)(sizeof(cannot_md) / sizeof(cannot_md[0])));
		tcase_add_test(tc,
			test_import_preferred_pick_one_item_is_recommended);
		tcase_add_loop_test(tc,
			test_import_verify_heading_keeps_unknown_commands_in_verify,
			0, (int)(sizeof(verify_md) / sizeof(verify_md[0])));
		tcase_add_test(tc,
		       test_import_prepare_and_verify_beside_options_are_not_options);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
