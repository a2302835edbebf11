/* Playbook loader: every malformed fixture in tests/fixtures/playbooks/bad
 * is rejected with the message expected.txt names, the good fixtures load
 * with every field in place, and the query helpers behave. */
#include "config.h"

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "playbook.h"
#include "registry.h"
#include "relimit.h"
#include "sha256.h"
#include "strbuf.h"
#include "suites.h"
#include "testutil.h"
#include "xalloc.h"

#define MIN_BAD_FIXTURES 35

/* Line I of bad/expected.txt split at its tab; caller frees both. */
static int
expected_line(size_t i, char **name, char **want)
{
	char *path = tu_fixture("playbooks/bad/expected.txt");
	char *text = tu_read_file(path, NULL);
	char *line, *save = NULL, *tab;
	int rc = -1;

	free(path);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (i-- > 0)
			continue;
		tab = strchr(line, '\t');
		if (tab) {
			*name = xstrndup(line, (size_t)(tab - line));
			*want = xstrdup(tab + 1);
			rc = 0;
		}
		break;
	}
	free(text);
	return rc;
}

static size_t
count_expected(void)
{
	char *name, *want;
	size_t n = 0;

	while (expected_line(n, &name, &want) == 0) {
		free(name);
		free(want);
		n++;
	}
	return n;
}

static struct playbook *
load_fixture(const char *rel)
{
	char *path = tu_fixture(rel);
	struct err err = { 0 };
	struct playbook *pb = playbook_load_file(path, &err);

	ck_assert_msg(pb != NULL, "%s: %s", rel, err.msg);
	free(path);
	return pb;
}

/* Variables for when/matrix/rto lookups: NULL-terminated name, value pairs. */
static const char *
lookup_pairs(const char *name, const void *arg)
{
	const char *const *kv = arg;

	for (; kv[0]; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

START_TEST(test_playbook_bad_fixture_is_rejected_with_its_message)
{
	char *name = NULL, *want = NULL, *rel, *path;
	struct err err = { 0 };
	struct playbook *pb;

	ck_assert_msg(expected_line((size_t)_i, &name, &want) == 0,
		      "playbooks/bad/expected.txt: no line %d", _i);
	rel = xasprintf("playbooks/bad/%s", name);
	path = tu_fixture(rel);
	pb = playbook_load_file(path, &err);
	ck_assert_msg(pb == NULL, "%s was accepted", name);
	ck_assert_msg(err.code == ERR_PARSE || err.code == ERR_INVALID,
		      "%s: code %d: %s", name, err.code, err.msg);
	ck_assert_msg(strncmp(err.msg, path, strlen(path)) == 0 &&
		      strncmp(err.msg + strlen(path), ": ", 2) == 0,
		      "%s: message does not start with the path: %s", name,
		      err.msg);
	ck_assert_msg(strstr(err.msg, want) != NULL,
		      "%s:\n  want: %s\n  got:  %s", name, want, err.msg);
	free(rel);
	free(path);
	free(name);
	free(want);
}
END_TEST

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
is_listed(const char *file)
{
	char *name, *want;
	int found = 0;

	for (size_t i = 0; !found && expected_line(i, &name, &want) == 0; i++) {
		found = strcmp(name, file) == 0;
		free(name);
		free(want);
	}
	return found;
}

/* expected.txt lists every bad fixture, and only fixtures that exist. */
START_TEST(test_playbook_bad_corpus_lists_every_file)
{
	char *dir = tu_fixture("playbooks/bad");
	size_t n_lines = count_expected(), n_files = 0;
	char *name, *want, *path;
	struct dirent *de;
	DIR *d = opendir(dir);

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".json"))
			continue;
		n_files++;
		ck_assert_msg(is_listed(de->d_name), "%s is not in "
			      "expected.txt", de->d_name);
	}
	closedir(d);
	for (size_t i = 0; expected_line(i, &name, &want) == 0; i++) {
		path = xasprintf("%s/%s", dir, name);
		ck_assert_msg(access(path, R_OK) == 0, "%s is missing", path);
		free(path);
		free(name);
		free(want);
	}
	ck_assert_uint_eq(n_files, n_lines);
	ck_assert_uint_ge(n_lines, MIN_BAD_FIXTURES);
	free(dir);
}
END_TEST

START_TEST(test_playbook_minimal_loads_with_defaults)
{
	static const char *const titles[PHASE_COUNT] = {
		"Assess", "Decide", "Approve", "Execute", "Verify",
		"Communicate",
	};
	struct playbook *pb = load_fixture("playbooks/good/minimal.json");
	const struct pb_step *look;

	ck_assert_str_eq(pb->id, "minimal");
	ck_assert_str_eq(pb->title, "Smallest valid playbook");
	ck_assert_ptr_null(pb->summary);
	ck_assert_ptr_null(pb->source);
	ck_assert_uint_eq(pb->n_variables, 0);
	ck_assert_uint_eq(pb->n_scenarios, 0);
	ck_assert_ptr_null(pb->targets.git_path);
	ck_assert_int_eq(pb->rto.default_us, 0);
	ck_assert_ptr_null(pb->header.from);
	ck_assert_ptr_null(pb->header.to);
	for (int p = 0; p < PHASE_COUNT; p++) {
		ck_assert_int_eq(pb->phases[p].id, p);
		ck_assert_str_eq(pb->phases[p].title, titles[p]);
		ck_assert_uint_eq(pb->phases[p].n_steps, p == 0 ? 1 : 0);
	}
	look = &pb->phases[PHASE_ASSESS].steps[0];
	ck_assert_str_eq(look->id, "look");
	ck_assert_int_eq(look->kind, STEP_KIND_CHECK);
	ck_assert_int_eq(look->required, 1);
	ck_assert_uint_eq(look->when.n_conds, 0);
	ck_assert_ptr_null(look->note);
	ck_assert(!look->drill.present);
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_sha256_is_digest_of_file_bytes)
{
	char *path = tu_fixture("playbooks/good/full.json");
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	size_t len = 0;
	char *text = tu_read_file(path, &len);
	char hex[65];

	sha256_hex(text, len, hex);
	ck_assert_str_eq(pb->sha256, hex);
	ck_assert_str_eq(pb->path, path);
	playbook_free(pb);
	free(text);
	free(path);
}
END_TEST

START_TEST(test_playbook_full_variables_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_variable *v;

	ck_assert_str_eq(pb->id, "npm-full.rollback_1");
	ck_assert_str_eq(pb->summary, "Every feature of the format, used once.");
	ck_assert_str_eq(pb->source, "docs/ROLLBACK.md");
	ck_assert_uint_eq(pb->n_variables, 7);
	v = &pb->variables[0];
	ck_assert_str_eq(v->name, "ROLLBACK_VERSION");
	ck_assert_str_eq(v->prompt, "Version to roll back to");
	ck_assert_ptr_null(v->default_value);
	ck_assert_str_eq(v->pattern, "[0-9]+\\.[0-9]+\\.[0-9]+");
	ck_assert_str_eq(v->from, "registry");
	ck_assert(!v->secret);
	v = playbook_find_var(pb, "BAD_TAG");
	ck_assert_str_eq(v->default_value, "v1.2.3");
	ck_assert_str_eq(v->from, "tags");
	v = playbook_find_var(pb, "ACTION");
	ck_assert_ptr_null(v->pattern);
	ck_assert_ptr_null(v->from);
	ck_assert(playbook_find_var(pb, "NPM_TOKEN")->secret);
	ck_assert_str_eq(pb->header.from, "BAD_TAG");
	ck_assert_str_eq(pb->header.to, "ROLLBACK_VERSION");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_targets_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_targets *t = &pb->targets;
	const struct pb_log_pattern *lp;

	ck_assert_str_eq(t->git_path, ".");
	ck_assert_uint_eq(t->n_registries, 2);
	ck_assert_int_eq(t->registries[0].type, REG_NPM);
	ck_assert_str_eq(t->registries[0].name, "mycelicmemory");
	ck_assert_uint_eq(t->registries[0].n_channels, 2);
	ck_assert_str_eq(t->registries[0].channels[1], "beta");
	ck_assert_str_eq(t->registries[0].url, "http://127.0.0.1:4873/");
	ck_assert_int_eq(t->registries[1].type, REG_PYPI);
	ck_assert_ptr_null(t->registries[1].url);
	ck_assert_uint_eq(t->registries[1].n_channels, 0);
	ck_assert_uint_eq(t->n_logs, 1);
	ck_assert_str_eq(t->logs[0].name, "app");
	ck_assert_str_eq(t->logs[0].path, "logs/application.log");
	ck_assert_uint_eq(t->logs[0].n_patterns, 2);
	lp = &t->logs[0].patterns[0];
	ck_assert_str_eq(lp->name, "errors");
	ck_assert_str_eq(lp->regex, "ERROR|FATAL");
	ck_assert_int_eq(lp->threshold, 5);
	ck_assert_int_eq(lp->window_us, 300000000);
	ck_assert_int_eq(regexec(&lp->re, "12:00 FATAL disk", 0, NULL, 0), 0);
	ck_assert_int_eq(t->logs[0].patterns[1].threshold, 1);
	ck_assert_int_eq(t->logs[0].patterns[1].window_us, 0);
	ck_assert_uint_eq(t->n_http, 2);
	ck_assert_str_eq(t->http[0].url, "http://127.0.0.1:8000/health");
	ck_assert_int_eq(t->http[0].status, 200);
	ck_assert_int_eq(t->http[1].status, 204);
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_rto_loads)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_rto *rto = &pb->rto;

	ck_assert_int_eq(rto->default_us, 3600000000LL);
	ck_assert_uint_eq(rto->n_rules, 2);
	ck_assert_uint_eq(rto->rules[0].when.n_conds, 1);
	ck_assert_str_eq(rto->rules[0].when.conds[0].var, "LEVEL");
	ck_assert_str_eq(rto->rules[0].when.conds[0].values[0], "1");
	ck_assert_int_eq(rto->rules[0].within_us, 300000000);
	ck_assert_str_eq(rto->rules[0].label, "Level 1 emergency");
	ck_assert_uint_eq(rto->rules[1].when.conds[0].n_values, 2);
	ck_assert_int_eq(rto->rules[1].within_us, 1800000000LL);
	ck_assert_int_eq(rto->phase_us[PHASE_ASSESS], 300000000);
	ck_assert_int_eq(rto->phase_us[PHASE_DECIDE], 0);
	ck_assert_int_eq(rto->phase_us[PHASE_EXECUTE], 900000000);
	ck_assert_int_eq(rto->phase_us[PHASE_COMMUNICATE], 600000000);
	ck_assert_uint_eq(rto->n_escalations, 2);
	ck_assert_int_eq(rto->escalations[1].after_us, 1800000000LL);
	ck_assert_str_eq(rto->escalations[1].notify, "CTO");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_probes_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *s = pb->phases[PHASE_ASSESS].steps;

	ck_assert_uint_eq(pb->phases[PHASE_ASSESS].n_steps, 6);
	ck_assert_str_eq(pb->phases[PHASE_ASSESS].title, "Assess the damage");
	ck_assert_int_eq(s[0].required, 0);
	ck_assert_str_eq(s[0].note,
			 "Users report failures right after the release.");
	ck_assert_int_eq(s[1].probe.type, PROBE_GIT_HEAD);
	ck_assert_str_eq(s[1].probe.tag, "${BAD_TAG}");
	ck_assert_int_eq(s[2].probe.type, PROBE_REGISTRY_TAG);
	ck_assert_str_eq(s[2].probe.package, "mycelicmemory");
	ck_assert_str_eq(s[2].probe.dist_tag, "latest");
	ck_assert_str_eq(s[2].probe.version, "1.2.3");
	ck_assert(s[2].drill.present);
	ck_assert_str_eq(s[2].drill.output, "latest: 1.2.3");
	ck_assert_int_eq(s[3].probe.type, PROBE_HTTP);
	ck_assert_int_eq(s[3].probe.status, 200);
	ck_assert_str_eq(s[3].probe.json_field, "status.db");
	ck_assert_str_eq(s[3].probe.equals, "ok");
	ck_assert_int_eq(s[4].probe.type, PROBE_LOG_COUNT);
	ck_assert_str_eq(s[4].probe.log, "app");
	ck_assert_int_eq(s[4].probe.below, 10);
	ck_assert_int_eq(s[4].probe.window_us, 600000000);
	ck_assert_int_eq(regexec(&s[4].probe.re, "a\nERROR b", 0, NULL, 0), 0);
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_run_steps_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *v = &pb->phases[PHASE_ASSESS].steps[5];
	const struct pb_step *d = &pb->phases[PHASE_EXECUTE].steps[0];
	const struct pb_step *sh = &pb->phases[PHASE_EXECUTE].steps[1];

	ck_assert_int_eq(v->kind, STEP_KIND_RUN);
	ck_assert_int_eq(v->timeout_us, 30000000);
	ck_assert_int_eq(v->expect_exit, 0);
	ck_assert_str_eq(v->expect_output, "^\\s*\"[0-9]");
	/* output patterns are REG_NEWLINE: ^ matches at every line */
	ck_assert_int_eq(regexec(&v->expect_re, "[\n  \"1.2.2\"\n]", 0, NULL,
				 0), 0);
	ck_assert_str_eq(v->drill.output, "[\n  \"1.2.2\",\n  \"1.2.3\"\n]");
	ck_assert_int_eq(v->drill.duration_us, 2000000);
	ck_assert(v->drill.real_in_clone);
	ck_assert_str_eq(d->run,
			 "npm dist-tag add \"mycelicmemory@$ROLLBACK_VERSION\" "
			 "latest");
	ck_assert_str_eq(d->cwd, "/tmp");
	ck_assert_int_eq(d->timeout_us, 5400000000LL);
	ck_assert(d->destructive);
	ck_assert_str_eq(d->confirm, "rollback ${ROLLBACK_VERSION}");
	ck_assert_uint_eq(d->when.n_conds, 2);
	ck_assert_str_eq(d->when.conds[0].values[1], "scheduled");
	ck_assert_int_eq(d->drill.duration_us, 3000000);
	ck_assert(sh->interactive);
	ck_assert(!sh->destructive);
	ck_assert_ptr_null(sh->confirm);
	ck_assert(!sh->drill.present);
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_decide_steps_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *in = &pb->phases[PHASE_DECIDE].steps[0];
	const struct pb_step *ch = &pb->phases[PHASE_DECIDE].steps[1];
	const struct pb_step *lv = &pb->phases[PHASE_DECIDE].steps[2];
	const struct pb_matrix *m = ch->matrix;

	ck_assert_str_eq(pb->phases[PHASE_DECIDE].title, "Decide");
	ck_assert_int_eq(in->kind, STEP_KIND_INPUT);
	ck_assert_str_eq(in->variable, "SEVERITY");
	ck_assert_str_eq(ch->variable, "ACTION");
	ck_assert_uint_eq(ch->n_options, 3);
	ck_assert_str_eq(ch->options[0].description,
			 "Move latest back to the previous version.");
	ck_assert_ptr_null(ch->options[1].description);
	ck_assert_uint_eq(ch->options[2].n_sets, 1);
	ck_assert_str_eq(ch->options[2].sets[0].name, "LEVEL");
	ck_assert_str_eq(ch->options[2].sets[0].value, "3");
	ck_assert_str_eq(m->row_var, "SEVERITY");
	ck_assert_uint_eq(m->n_rows, 3);
	ck_assert_str_eq(m->col_var, "IMPACT");
	ck_assert_uint_eq(m->n_cols, 2);
	ck_assert_str_eq(m->cells[1 * 2 + 1], "scheduled");
	ck_assert_str_eq(m->cells[2 * 2 + 0], "hotfix");
	ck_assert_ptr_null(lv->variable);
	ck_assert_ptr_null(lv->matrix->col_var);
	ck_assert_uint_eq(lv->matrix->n_cols, 0);
	ck_assert_str_eq(lv->matrix->cells[1], "l2");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_approve_steps_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *a = &pb->phases[PHASE_APPROVE].steps[0];
	const struct pb_step *b = &pb->phases[PHASE_APPROVE].steps[1];

	ck_assert_int_eq(a->kind, STEP_KIND_APPROVE);
	ck_assert_uint_eq(a->n_roles, 2);
	ck_assert_str_eq(a->roles[0].role, "incident commander");
	ck_assert_int_eq(a->roles[0].count, 1);
	ck_assert_int_eq(a->roles[1].count, 2);
	ck_assert_uint_eq(a->n_gates, 2);
	ck_assert_str_eq(a->gates[1], "dist-tag");
	ck_assert_uint_eq(a->when.conds[0].n_values, 2);
	ck_assert_uint_eq(b->n_gates, 1);
	ck_assert_str_eq(b->gates[0], "execute");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_wait_and_message_steps_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *w = pb->phases[PHASE_VERIFY].steps;
	const struct pb_step *m = pb->phases[PHASE_COMMUNICATE].steps;

	ck_assert_int_eq(w[0].kind, STEP_KIND_WAIT);
	ck_assert_int_eq(w[0].duration_us, 900000000);
	ck_assert_uint_eq(w[0].n_probes, 2);
	ck_assert_str_eq(w[0].probes[1], "errors-low");
	ck_assert_int_eq(w[0].drill.duration_us, 2000000);
	ck_assert_int_eq(w[1].duration_us, 90000000);
	ck_assert_uint_eq(w[1].n_probes, 0);
	ck_assert_str_eq(pb->phases[PHASE_COMMUNICATE].title, "Tell people");
	ck_assert_int_eq(m[0].kind, STEP_KIND_MESSAGE);
	ck_assert_str_eq(m[0].template,
			 "We rolled back to ${ROLLBACK_VERSION}.");
	ck_assert_int_eq(m[0].channel, CHANNEL_WEBHOOK);
	ck_assert_str_eq(m[0].drill.output, "posted");
	ck_assert_int_eq(m[1].channel, CHANNEL_FILE);
	ck_assert_str_eq(m[1].path, "notes.md");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_full_scenarios_load)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_scenario *sc = playbook_find_scenario(pb,
							      "upload-timeout");
	const struct pb_scenario *quiet = playbook_find_scenario(pb, "quiet");

	ck_assert_uint_eq(pb->n_scenarios, 2);
	ck_assert_str_eq(sc->title, "Registry upload times out");
	ck_assert_ptr_nonnull(sc->description);
	ck_assert_str_eq(sc->expect_step, "choose");
	ck_assert_str_eq(sc->expect_option, "scheduled");
	ck_assert_uint_eq(sc->n_vars, 2);
	ck_assert_str_eq(sc->vars[1].name, "IMPACT");
	ck_assert_str_eq(sc->vars[1].value, "some");
	ck_assert_uint_eq(sc->n_outcomes, 2);
	ck_assert_str_eq(sc->outcomes[0].step, "dist-tag");
	ck_assert_int_eq(sc->outcomes[0].exit_code, 1);
	ck_assert_str_eq(sc->outcomes[0].output, "npm ERR! network timeout");
	ck_assert_int_eq(sc->outcomes[0].duration_us, 30000000);
	ck_assert(sc->outcomes[0].timed_out);
	ck_assert_int_eq(sc->outcomes[1].exit_code, 0);
	ck_assert(!sc->outcomes[1].timed_out);
	ck_assert_str_eq(sc->state_json,
			 "{\"registry\":{\"mycelicmemory\":{\"dist-tags\":"
			 "{\"latest\":\"1.2.3\"}}},\"tags\":[\"v1.2.2\","
			 "\"v1.2.3\"]}");
	ck_assert_ptr_null(quiet->expect_step);
	ck_assert_ptr_null(quiet->state_json);
	ck_assert_uint_eq(quiet->n_outcomes, 0);
	playbook_free(pb);
}
END_TEST

/* The EXAMPLE section of doc/rewind-playbook.5, kept as a fixture. */
START_TEST(test_playbook_manpage_example_loads)
{
	static const char *const l1[] = { "LEVEL", "1", NULL };
	struct playbook *pb = load_fixture("playbooks/good/manpage-example.json");
	const struct pb_step *tag = playbook_find_step(pb, "dist-tag", NULL,
						       NULL);

	ck_assert_str_eq(pb->id, "npm-dist-tag");
	ck_assert(tag->destructive);
	ck_assert_int_eq(tag->timeout_us, 120000000);
	ck_assert_int_eq(playbook_rto_within(pb, lookup_pairs, l1), 300000000);
	ck_assert_str_eq(pb->scenarios[0].outcomes[0].output,
			 "npm ERR! network timeout");
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_find_functions_return_borrowed_entries)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *step;
	enum phase_id phase = PHASE_COUNT;
	size_t index = 99;

	step = playbook_find_step(pb, "dist-tag", &phase, &index);
	ck_assert_ptr_eq(step, &pb->phases[PHASE_EXECUTE].steps[0]);
	ck_assert_int_eq(phase, PHASE_EXECUTE);
	ck_assert_uint_eq(index, 0);
	ck_assert_ptr_eq(playbook_find_step(pb, "notes", NULL, NULL),
			 &pb->phases[PHASE_COMMUNICATE].steps[1]);
	ck_assert_ptr_null(playbook_find_step(pb, "nope", &phase, &index));
	ck_assert_ptr_eq(playbook_find_var(pb, "LEVEL"), &pb->variables[5]);
	ck_assert_ptr_null(playbook_find_var(pb, "level"));
	ck_assert_ptr_eq(playbook_find_scenario(pb, "quiet"),
			 &pb->scenarios[1]);
	ck_assert_ptr_null(playbook_find_scenario(pb, "loud"));
	step = playbook_find_step(pb, "choose", NULL, NULL);
	ck_assert_ptr_eq(playbook_find_option(step, "hotfix"),
			 &step->options[2]);
	ck_assert_ptr_null(playbook_find_option(step, "wait"));
	ck_assert_ptr_null(playbook_find_option(
		playbook_find_step(pb, "dist-tag", NULL, NULL), "hotfix"));
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_phase_and_kind_names_round_trip)
{
	static const char *const phases[] = {
		"assess", "decide", "approve", "execute", "verify",
		"communicate",
	};
	static const char *const kinds[] = {
		"check", "run", "probe", "decide", "approve", "input",
		"message", "wait",
	};
	enum phase_id ph;
	enum step_kind k;

	for (int i = 0; i < PHASE_COUNT; i++) {
		ck_assert_str_eq(playbook_phase_name((enum phase_id)i),
				 phases[i]);
		ck_assert_int_eq(playbook_phase_parse(phases[i], &ph), 0);
		ck_assert_int_eq(ph, i);
	}
	for (int i = 0; i < STEP_KIND_COUNT; i++) {
		ck_assert_str_eq(playbook_kind_name((enum step_kind)i),
				 kinds[i]);
		ck_assert_int_eq(playbook_kind_parse(kinds[i], &k), 0);
		ck_assert_int_eq(k, i);
	}
	ck_assert_int_eq(playbook_phase_parse("Assess", &ph), -1);
	ck_assert_int_eq(playbook_phase_parse("", &ph), -1);
	ck_assert_int_eq(playbook_kind_parse("deploy", &k), -1);
	ck_assert_str_eq(playbook_phase_name(PHASE_COUNT), "?");
	ck_assert_str_eq(playbook_kind_name(STEP_KIND_COUNT), "?");
}
END_TEST

/* when: table of variable values and whether the condition holds. */
static const struct {
	const char *vars[7];
	int holds;
} when_cases[] = {
	{ { NULL }, 0 },
	{ { "LEVEL", "1", NULL }, 0 },
	{ { "LEVEL", "1", "ACTION", "hotfix", NULL }, 0 },
	{ { "LEVEL", "1", "ACTION", "rollback", NULL }, 1 },
	{ { "LEVEL", "1", "ACTION", "scheduled", NULL }, 1 },
	{ { "LEVEL", "2", "ACTION", "rollback", NULL }, 0 },
	{ { "LEVEL", "", "ACTION", "rollback", NULL }, 0 },
	{ { "LEVEL", "1", "ACTION", "Rollback", NULL }, 0 },
	{ { "ACTION", "rollback", "LEVEL", "1", "OTHER", "x", NULL }, 1 },
};

START_TEST(test_playbook_when_holds_only_when_every_condition_holds)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *d = playbook_find_step(pb, "dist-tag", NULL, NULL);

	ck_assert_int_eq(playbook_when_holds(&d->when, lookup_pairs,
					     when_cases[_i].vars),
			 when_cases[_i].holds);
	playbook_free(pb);
}
END_TEST

/* dist-tag applies when ACTION is rollback or scheduled and LEVEL is 1:
 * it waits on the first unset variable while nothing set rules it out. */
static const struct {
	const char *vars[5];
	const char *waits_on;
} waiting_cases[] = {
	{ { NULL }, "ACTION" },
	{ { "LEVEL", "1", NULL }, "ACTION" },
	{ { "ACTION", "scheduled", NULL }, "LEVEL" },
	{ { "LEVEL", "2", NULL }, NULL },
	{ { "ACTION", "hotfix", NULL }, NULL },
	{ { "LEVEL", "1", "ACTION", "rollback", NULL }, NULL },
};

START_TEST(test_playbook_when_waits_on_the_first_undecided_variable)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *d = playbook_find_step(pb, "dist-tag", NULL, NULL);
	const struct pb_cond *c = playbook_when_waiting_on(&d->when,
			lookup_pairs, waiting_cases[_i].vars);

	if (waiting_cases[_i].waits_on)
		ck_assert_str_eq(c ? c->var : "(none)",
				 waiting_cases[_i].waits_on);
	else
		ck_assert_ptr_null(c);
	ck_assert_ptr_null(playbook_when_waiting_on(NULL, lookup_pairs,
						    waiting_cases[_i].vars));
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_empty_when_always_holds)
{
	static const char *const none[] = { NULL };
	struct pb_when empty = { NULL, 0 };

	ck_assert_int_eq(playbook_when_holds(&empty, lookup_pairs, none), 1);
	ck_assert_int_eq(playbook_when_holds(NULL, lookup_pairs, none), 1);
}
END_TEST

static struct playbook *
load_text(const char *text, struct err *err)
{
	return playbook_load_buffer(text, strlen(text), "inline.json", err);
}

/* A playbook around VARIABLES (JSON object text) and one wait step whose
 * duration is DURATION (JSON value text); caller frees. */
static char *
playbook_text(const char *variables, const char *duration)
{
	return xasprintf(
		"{\"id\": \"t\", \"title\": \"T\", \"variables\": %s,\n"
		" \"phases\": [{\"id\": \"assess\", \"steps\": []},\n"
		"  {\"id\": \"decide\", \"steps\": []},\n"
		"  {\"id\": \"approve\", \"steps\": []},\n"
		"  {\"id\": \"execute\", \"steps\": []},\n"
		"  {\"id\": \"verify\", \"steps\": [{\"id\": \"w\", \"kind\":"
		" \"wait\", \"title\": \"W\", \"duration\": %s}]},\n"
		"  {\"id\": \"communicate\", \"steps\": []}]}\n",
		variables, duration);
}

static const char semver_vars[] =
	"{\"V\": {\"prompt\": \"v\", \"pattern\": "
	"\"[0-9]+\\\\.[0-9]+\\\\.[0-9]+\"},"
	" \"T\": {\"prompt\": \"t\", \"secret\": true, \"pattern\": \"[a-f]+\"},"
	" \"ALT\": {\"prompt\": \"a\", \"pattern\": \"a|b\"},"
	" \"SHORT\": {\"prompt\": \"s\", \"pattern\": \"a|ab\"},"
	" \"PAREN\": {\"prompt\": \"p\", \"pattern\": \"a)b\"},"
	" \"ANY\": {\"prompt\": \"x\"}}";

static const struct {
	const char *var;
	const char *value;
	int ok;
} validate_cases[] = {
	{ "V", "1.2.2", 0 },
	{ "V", "10.20.30", 0 },
	{ "V", "1.2.2; rm -rf /", -1 },
	{ "V", "1.2.2\n", -1 },
	{ "V", "$(reboot)1.2.2", -1 },
	{ "V", "1.2", -1 },
	{ "V", "", -1 },
	{ "ALT", "a", 0 },
	{ "ALT", "b", 0 },
	{ "ALT", "ab", -1 },
	{ "ALT", "xa", -1 },
	/* the longest match from the start is the one that counts */
	{ "SHORT", "ab", 0 },
	{ "SHORT", "a", 0 },
	{ "SHORT", "abb", -1 },
	/* a lone ')' is an ordinary character, never closing our group */
	{ "PAREN", "a)b", 0 },
	{ "PAREN", "ab)", -1 },
	{ "ANY", "anything; at all", 0 },
	{ "T", "beef", 0 },
	{ "T", "s3cr3t-token", -1 },
};

START_TEST(test_playbook_var_validate_matches_whole_value)
{
	char *text = playbook_text(semver_vars, "\"1m\"");
	struct err err = { 0 };
	struct playbook *pb = load_text(text, &err);
	const struct pb_variable *var;
	int rc;

	ck_assert_msg(pb != NULL, "%s", err.msg);
	var = playbook_find_var(pb, validate_cases[_i].var);
	rc = playbook_var_validate(var, validate_cases[_i].value, &err);
	ck_assert_int_eq(rc, validate_cases[_i].ok);
	if (rc < 0) {
		ck_assert_int_eq(err.code, ERR_INVALID);
		ck_assert_msg(strstr(err.msg, var->name) &&
			      strstr(err.msg, "does not match pattern"),
			      "%s", err.msg);
	}
	playbook_free(pb);
	free(text);
}
END_TEST

START_TEST(test_playbook_var_validate_never_shows_a_secret)
{
	char *text = playbook_text(semver_vars, "\"1m\"");
	struct err err = { 0 };
	struct playbook *pb = load_text(text, &err);

	ck_assert_int_eq(playbook_var_validate(playbook_find_var(pb, "T"),
					       "s3cr3t-token", &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "s3cr3t"));
	ck_assert_ptr_nonnull(strstr(err.msg, "variable T"));
	playbook_free(pb);
	free(text);
}
END_TEST

/* The pattern "[0-9]+\\.[0-9]+..." in JSON is [0-9]+\.[0-9]+ to its
 * author: a message shows one backslash, not the JSON escape. */
START_TEST(test_playbook_var_validate_shows_the_pattern_as_written)
{
	char *text = playbook_text(semver_vars, "\"1m\"");
	struct err err = { 0 };
	struct playbook *pb = load_text(text, &err);

	ck_assert_int_eq(playbook_var_validate(playbook_find_var(pb, "V"),
					       "v1.2.3", &err), -1);
	ck_assert_msg(strstr(err.msg, "\"[0-9]+\\.[0-9]+\\.[0-9]+\"") &&
		      !strstr(err.msg, "\\\\"), "%s", err.msg);
	playbook_free(pb);
	free(text);
}
END_TEST

START_TEST(test_playbook_pattern_cannot_escape_its_anchors)
{
	char *text = playbook_text(
		"{\"V\": {\"prompt\": \"v\", \"pattern\": \"1)|(.*\"}}", "1");
	struct err err = { 0 };

	ck_assert_ptr_null(load_text(text, &err));
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "inline.json: variables.V."
					      "pattern: invalid regular "
					      "expression: "));
	free(text);
}
END_TEST

/* Patterns glibc's regcomp would take seconds and gigabytes to compile
 * are refused before it sees them, with the limit named; ordinary ones
 * (counts, groups, classes with brackets and braces) still load. The
 * costly ones come last so that code without the limits fails early. */
static const struct {
	const char *pattern;	/* JSON text */
	const char *limit;	/* in the message, or NULL: loads */
} regex_limit_cases[] = {
	{ "x{0,1001}", "the limit is 1000" },
	{ "((((((((((((((((((a))))))))))))))))))", "groups nested 18 deep" },
	{ "x***", "repetition operators in a row" },
	{ "((x{0,20}){0,20}){0,20}", "multiply to 8000" },
	{ "x{2}{2}{2}{2}{2}{2}{2}{2}{2}{2}{2}", "repetition operators in a row" },
	{ "^[0-9]{1,3}(\\\\.[0-9]{1,3}){3}$", NULL },
	{ "^v?[0-9]+\\\\.[0-9]+\\\\.[0-9]+(-[a-z0-9.]+)?$", NULL },
	{ "[{(]x{0,1001}[)}]", "the limit is 1000" },
	{ "[]{(]+", NULL },
	{ "\\\\{\\\\(x\\\\)", NULL },
	{ "(t******************************************************************"
	  "************************************************************", "in a row" },
	{ "((x{0,30}){0,30}){0,30}", "multiply to 27000" },
};

START_TEST(test_playbook_costly_patterns_are_refused_before_compiling)
{
	char *vars = xasprintf("{\"V\": {\"prompt\": \"v\", \"pattern\": "
			       "\"%s\"}}", regex_limit_cases[_i].pattern);
	char *text = playbook_text(vars, "1");
	struct err err = { 0 };
	struct playbook *pb = load_text(text, &err);

	if (!regex_limit_cases[_i].limit) {
		ck_assert_msg(pb != NULL, "%s: %s",
			      regex_limit_cases[_i].pattern, err.msg);
	} else {
		ck_assert_msg(pb == NULL, "%s was accepted",
			      regex_limit_cases[_i].pattern);
		ck_assert_int_eq(err.code, ERR_INVALID);
		ck_assert_msg(strstr(err.msg, regex_limit_cases[_i].limit),
			      "%s: %s", regex_limit_cases[_i].pattern,
			      err.msg);
		ck_assert_ptr_nonnull(strstr(err.msg, "variables.V.pattern"));
	}
	playbook_free(pb);
	free(text);
	free(vars);
}
END_TEST

START_TEST(test_playbook_long_pattern_is_refused)
{
	struct strbuf vars = STRBUF_INIT;
	char *text;
	struct err err = { 0 };

	strbuf_adds(&vars, "{\"V\": {\"prompt\": \"v\", \"pattern\": \"");
	for (int i = 0; i < 1100; i++)
		strbuf_addc(&vars, 'a');
	strbuf_adds(&vars, "\"}}");
	text = playbook_text(strbuf_str(&vars), "1");
	ck_assert_ptr_null(load_text(text, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "1100 bytes, the limit is 1024"));
	free(text);
	strbuf_done(&vars);
}
END_TEST

/* Durations: JSON value text and µs, or -1 for a value both the schema
 * and the loader refuse. */
static const struct {
	const char *json;
	int64_t us;
} duration_cases[] = {
	{ "\"90s\"", 90000000 },
	{ "\"15m\"", 900000000 },
	{ "\"1h30m\"", 5400000000LL },
	{ "\"2h\"", 7200000000LL },
	{ "\"1h1m1s\"", 3661000000LL },
	{ "\"30m1h\"", 5400000000LL },
	{ "\"0s\"", 0 },
	{ "\"45\"", 45000000 },
	{ "45", 45000000 },
	{ "0", 0 },
	{ "45.0", 45000000 },
	{ "\"999999h\"", 999999 * 3600000000LL },
	{ "\"999999999\"", 999999999000000LL },
	{ "999999999", 999999999000000LL },
	{ "\"5 minutes\"", -1 },
	{ "\"\"", -1 },
	{ "\"1h30\"", -1 },
	{ "\"-5s\"", -1 },
	{ "\"1.5s\"", -1 },
	{ "\"1H\"", -1 },
	{ "\"1d\"", -1 },
	{ "\"1000000s\"", -1 },
	{ "\"1000000000\"", -1 },
	{ "\"1h1m1s1h\"", -1 },
	{ "1000000000", -1 },
	{ "-1", -1 },
	{ "1.5", -1 },
	{ "true", -1 },
	{ "null", -1 },
};

START_TEST(test_playbook_duration_forms_parse_or_fail)
{
	char *text = playbook_text("{}", duration_cases[_i].json);
	struct err err = { 0 };
	struct playbook *pb = load_text(text, &err);

	if (duration_cases[_i].us < 0) {
		ck_assert_msg(pb == NULL, "%s accepted", duration_cases[_i].json);
		ck_assert_msg(strstr(err.msg, "inline.json: phases[4].steps[0]"
					      ".duration: "), "%s", err.msg);
	} else {
		ck_assert_msg(pb != NULL, "%s: %s", duration_cases[_i].json,
			      err.msg);
		ck_assert_int_eq(pb->phases[PHASE_VERIFY].steps[0].duration_us,
				 duration_cases[_i].us);
	}
	playbook_free(pb);
	free(text);
}
END_TEST

START_TEST(test_playbook_missing_file_is_io_error)
{
	struct err err = { 0 };

	ck_assert_ptr_null(playbook_load_file("/nonexistent/pb.json", &err));
	ck_assert_int_eq(err.code, ERR_IO);
	ck_assert_str_eq(err.msg,
			 "/nonexistent/pb.json: No such file or directory");
	ck_assert_ptr_null(playbook_load_file("/nonexistent/pb.json", NULL));
}
END_TEST

START_TEST(test_playbook_parse_error_names_line_and_column)
{
	struct err err = { 0 };

	ck_assert_ptr_null(load_text("{\n  \"id\": \"x\",\n  \"title\" \"t\"\n}",
				     &err));
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_str_eq(err.msg, "inline.json: line 3, column 11: invalid "
			 "JSON near '\"t\"'");
	ck_assert_ptr_null(load_text("{\"id\": \"x\", \"ti", &err));
	ck_assert_str_eq(err.msg, "inline.json: line 1, column 16: invalid "
			 "JSON: unexpected end of file");
	ck_assert_ptr_null(load_text("[]", &err));
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_str_eq(err.msg, "inline.json: (top level): expected "
			 "object, got array");
}
END_TEST

START_TEST(test_playbook_messages_escape_control_characters)
{
	char *text = playbook_text("{\"L\\u001b[2J\": {\"prompt\": \"p\"}}",
				   "1");
	struct err err = { 0 };

	ck_assert_ptr_null(load_text(text, &err));
	ck_assert_str_eq(err.msg, "inline.json: variables.L\\x1b[2J: invalid "
			 "variable name \"L\\x1b[2J\" (1 to 64 of A-Z, 0-9, "
			 "'_', starting with a letter, e.g. ROLLBACK_VERSION)");
	ck_assert_ptr_null(strchr(err.msg, '\033'));
	free(text);
}
END_TEST

/* Matrix lookups: SEVERITY, IMPACT and the option recommended, or NULL. */
static const struct {
	const char *vars[5];
	const char *option;
} recommend_cases[] = {
	{ { "SEVERITY", "critical", "IMPACT", "some" }, "rollback" },
	{ { "SEVERITY", "high", "IMPACT", "some" }, "scheduled" },
	{ { "SEVERITY", "low", "IMPACT", "most" }, "hotfix" },
	{ { "SEVERITY", "high" }, NULL },
	{ { "SEVERITY", "medium", "IMPACT", "most" }, NULL },
	{ { NULL }, NULL },
};

START_TEST(test_playbook_recommend_reads_the_matrix_cell)
{
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	const struct pb_step *ch = playbook_find_step(pb, "choose", NULL, NULL);
	const struct pb_option *opt;

	opt = playbook_recommend(ch, lookup_pairs, recommend_cases[_i].vars);
	if (recommend_cases[_i].option)
		ck_assert_str_eq(opt->id, recommend_cases[_i].option);
	else
		ck_assert_ptr_null(opt);
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_recommend_one_dimensional_and_none)
{
	static const char *const high[] = { "SEVERITY", "high", NULL };
	struct playbook *pb = load_fixture("playbooks/good/full.json");

	ck_assert_str_eq(playbook_recommend(playbook_find_step(pb, "level",
							       NULL, NULL),
					    lookup_pairs, high)->id, "l2");
	ck_assert_ptr_null(playbook_recommend(playbook_find_step(pb,
					      "dist-tag", NULL, NULL),
					      lookup_pairs, high));
	playbook_free(pb);
}
END_TEST

START_TEST(test_playbook_rto_within_takes_first_matching_rule)
{
	static const char *const l1[] = { "LEVEL", "1", NULL };
	static const char *const l3[] = { "LEVEL", "3", NULL };
	static const char *const none[] = { NULL };
	struct playbook *pb = load_fixture("playbooks/good/full.json");
	struct playbook *min = load_fixture("playbooks/good/minimal.json");

	ck_assert_int_eq(playbook_rto_within(pb, lookup_pairs, l1), 300000000);
	ck_assert_int_eq(playbook_rto_within(pb, lookup_pairs, l3),
			 1800000000LL);
	ck_assert_int_eq(playbook_rto_within(pb, lookup_pairs, none),
			 3600000000LL);
	ck_assert_int_eq(playbook_rto_within(min, lookup_pairs, none), 0);
	playbook_free(pb);
	playbook_free(min);
}
END_TEST

/* A decide step without a matrix may mark one option "recommended":
 * playbook_recommend returns it (the console marks it, a drill hides it
 * until decided); a second recommended option is refused, named. */
static char *
decide_text(const char *opts)
{
	return xasprintf(
		"{\"id\": \"t\", \"title\": \"T\", \"variables\": {\"W\": "
		"{\"prompt\": \"w\", \"pattern\": \"(a|b)\"}},\n"
		" \"phases\": [{\"id\": \"assess\", \"steps\": []},\n"
		"  {\"id\": \"decide\", \"steps\": [{\"id\": \"d\", \"kind\":"
		" \"decide\", \"title\": \"D\", \"variable\": \"W\","
		" \"options\": %s}]},\n"
		"  {\"id\": \"approve\", \"steps\": []},\n"
		"  {\"id\": \"execute\", \"steps\": []},\n"
		"  {\"id\": \"verify\", \"steps\": []},\n"
		"  {\"id\": \"communicate\", \"steps\": []}]}\n", opts);
}

START_TEST(test_playbook_option_recommended_without_matrix)
{
	static const char *const none[] = { NULL };
	struct err err = { 0 };
	char *one = decide_text("[{\"id\": \"a\", \"label\": \"A\"}, {\"id\":"
				" \"b\", \"label\": \"B\", \"recommended\": true}]");
	char *two = decide_text("[{\"id\": \"a\", \"label\": \"A\", "
				"\"recommended\": true}, {\"id\": \"b\", "
				"\"label\": \"B\", \"recommended\": true}]");
	char *neither = decide_text("[{\"id\": \"a\", \"label\": \"A\"}, "
				    "{\"id\": \"b\", \"label\": \"B\"}]");
	struct playbook *pb = load_text(one, &err);
	const struct pb_option *rec;

	ck_assert_msg(pb != NULL, "%s", err.msg);
	rec = playbook_recommend(playbook_find_step(pb, "d", NULL, NULL),
				 lookup_pairs, none);
	ck_assert_ptr_nonnull(rec);
	ck_assert_str_eq(rec->id, "b");
	playbook_free(pb);
	pb = load_text(neither, &err);
	ck_assert_ptr_nonnull(pb);
	ck_assert_ptr_null(playbook_recommend(playbook_find_step(pb, "d", NULL,
						NULL), lookup_pairs, none));
	playbook_free(pb);
	ck_assert_ptr_null(load_text(two, &err));
	ck_assert_msg(strstr(err.msg, "options[1].recommended: a second "
			     "recommended option") != NULL, "%s", err.msg);
	free(one);
	free(two);
	free(neither);
}
END_TEST

START_TEST(test_playbook_free_accepts_null)
{
	playbook_free(NULL);
}
END_TEST

static void
add_loop_case(Suite *s, const TTest *test, int n)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test, 0, n);
	suite_add_tcase(s, tc);
}

/* --- playbook_subst_refs ------------------------------------------------ */

static const char *
subst_lookup(const char *name, const void *arg)
{
	(void)arg;
	if (strcmp(name, "PKG") == 0)
		return "@demo/widget";
	if (strcmp(name, "V") == 0)
		return "1.2.2";
	return NULL;
}

static const struct {
	const char *in, *out;
} subst_cases[] = {
	{ "npm dist-tag add \"$PKG@$V\" latest",
	  "npm dist-tag add \"@demo/widget@1.2.2\" latest" },
	{ "${PKG}@${V}", "@demo/widget@1.2.2" },
	{ "$VX and ${UNSET} and $", "$VX and ${UNSET} and $" },
	{ "$V.0 ${V", "1.2.2.0 ${V" },
	{ "price: $5, $$", "price: $5, $$" },
	{ "", "" },
};

START_TEST(test_playbook_subst_refs_replaces_only_known_references)
{
	char *got = playbook_subst_refs(subst_cases[_i].in, subst_lookup, NULL);

	ck_assert_str_eq(got, subst_cases[_i].out);
	free(got);
}
END_TEST

/* --- patterns checked at load, compiled on first use ------------------- */

static const struct {
	const char *in, *out;
} shrink_cases[] = {
	{ ".{1,200}", ".{1,1}" },
	{ "x{2,200}y", "x{1,1}y" },
	{ "a{0,5}", "a{0,1}" },
	{ "a{0}", "a{0}" },
	{ "a{3}", "a{1}" },
	{ "a{3,}", "a{1,}" },
	{ "a{0,0}", "a{0}" },
	{ "[{2,5}]x", "[{2,5}]x" },		/* in a bracket: no count */
	{ "[]{3}]{2}", "[]{3}]{1}" },
	{ "[[:alpha:]{2}]{30}", "[[:alpha:]{2}]{1}" },
	{ "a\\{2,5}", "a\\{2,5}" },		/* an escaped brace */
	{ "a{5,3}", "a{5,3}" },			/* refused by regcomp: kept */
	{ "a{1,2,}", "a{1,2,}" },
	{ "{", "{" },
	{ "a{x}", "a{x}" },
	{ "(ab){2,4}|c{10}", "(ab){1,1}|c{1}" },
};

START_TEST(test_playbook_shrunk_pattern_cuts_only_counts)
{
	char *got = relimit_shrunk(shrink_cases[_i].in);

	ck_assert_str_eq(got, shrink_cases[_i].out);
	free(got);
}
END_TEST

static int
compiles(const char *pattern)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED);

	if (rc == 0)
		regfree(&re);
	return rc == 0;
}

/* The check at load compiles the shrunk copy: regcomp must take it
 * exactly when it takes the pattern, for patterns made of the characters
 * that matter to it (deterministic, so that a failure repeats). */
START_TEST(test_playbook_shrunk_pattern_compiles_exactly_when_pattern_does)
{
	static const char alphabet[] = "ab(){}[],0123|*+?.\\^$-:";
	unsigned seed = 12345;
	int tried = 0;

	for (int n = 0; n < 6000; n++) {
		char pat[16];
		size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 12;
		struct err err = { 0 };
		char *shrunk;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			pat[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		pat[len] = '\0';
		if (relimit_check(pat, &err) < 0)
			continue;
		shrunk = relimit_shrunk(pat);
		ck_assert_msg(compiles(pat) == compiles(shrunk),
			      "\"%s\" and its shrunk \"%s\" disagree", pat,
			      shrunk);
		free(shrunk);
		tried++;
	}
	ck_assert_int_gt(tried, 3000);
}
END_TEST

/* A variable's pattern is only checked at load; the first match
 * compiles it, and a bad one is refused at load all the same. */
START_TEST(test_playbook_counted_pattern_is_checked_at_load)
{
	char *bad = playbook_text("{\"N\": {\"prompt\": \"n\", \"pattern\":"
				  " \"(a{2,200}\"}}", "\"1m\"");
	char *good = playbook_text("{\"N\": {\"prompt\": \"n\", \"pattern\":"
				   " \".{2,200}\"}}", "\"1m\"");
	struct err err = { 0 };
	struct playbook *pb = load_text(bad, &err);

	ck_assert_ptr_null(pb);
	ck_assert_msg(strstr(err.msg, "variables.N.pattern: invalid regular "
			     "expression"), "%s", err.msg);
	pb = load_text(good, &err);
	ck_assert_msg(pb != NULL, "%s", err.msg);
	ck_assert_int_eq(playbook_var_validate(playbook_find_var(pb, "N"),
					       "x", &err), -1);
	ck_assert_int_eq(playbook_var_validate(playbook_find_var(pb, "N"),
					       "xy", &err), 0);
	playbook_free(pb);
	free(bad);
	free(good);
}
END_TEST

/* The names of an enum field in playbooks/schema.json ($defs.DEF's
 * property KEY) are the loader's table NAMES, in order: the list is kept
 * once in C and the schema must not drift from it. */
static void
assert_schema_enum(const cJSON *schema, const char *def, const char *key,
		   const char *const *names)
{
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(defs, def);
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(d, "properties");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(props, key);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(k, "enum");
	int i = 0;

	ck_assert_msg(cJSON_IsArray(e), "schema.json: no $defs.%s.%s enum",
		      def, key);
	for (const cJSON *v = e->child; v; v = v->next, i++) {
		ck_assert_msg(names[i] != NULL, "schema.json: $defs.%s.%s "
			      "lists %s, the loader does not", def, key,
			      v->valuestring);
		ck_assert_str_eq(v->valuestring, names[i]);
	}
	ck_assert_msg(names[i] == NULL, "schema.json: $defs.%s.%s lacks %s",
		      def, key, names[i]);
}

START_TEST(test_playbook_schema_enums_are_the_loaders_tables)
{
	char *path = tu_fixture("../../playbooks/schema.json");
	char *text = tu_read_file(path, NULL);
	cJSON *schema = text ? cJSON_Parse(text) : NULL;

	ck_assert_msg(schema != NULL, "cannot read %s", path);
	assert_schema_enum(schema, "registry", "type", reg_type_names);
	assert_schema_enum(schema, "step_message", "channel",
			   msg_channel_names);
	assert_schema_enum(schema, "step_message", "style",
			   webhook_style_names);
	for (int i = 0; i < REG_TYPE_COUNT; i++) {
		enum reg_type t;

		ck_assert_int_eq(reg_type_parse(reg_type_names[i], &t), 0);
		ck_assert_int_eq(t, i);
	}
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		enum msg_channel c;

		ck_assert_int_eq(msg_channel_parse(msg_channel_names[i], &c), 0);
		ck_assert_int_eq(c, i);
	}
	cJSON_Delete(schema);
	free(text);
	free(path);
}
END_TEST

static void
add_case(Suite *s, const TTest *test)
{
	add_loop_case(s, test, 1);
}

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
playbook_suite(void)
{
	Suite *s = suite_create("playbook");
	size_t n_bad = count_expected();

	/* one iteration per line of expected.txt; at least one, so that a
	 * missing file shows up as a failure */
	add_loop_case(s, test_playbook_bad_fixture_is_rejected_with_its_message,
		      n_bad ? (int)n_bad : 1);
	add_case(s, test_playbook_bad_corpus_lists_every_file);
	add_case(s, test_playbook_minimal_loads_with_defaults);
	add_case(s, test_playbook_sha256_is_digest_of_file_bytes);
	add_case(s, test_playbook_full_variables_load);
	add_case(s, test_playbook_full_targets_load);
	add_case(s, test_playbook_full_rto_loads);
	add_case(s, test_playbook_full_probes_load);
	add_case(s, test_playbook_full_run_steps_load);
	add_case(s, test_playbook_full_decide_steps_load);
	add_case(s, test_playbook_option_recommended_without_matrix);
	add_case(s, test_playbook_full_approve_steps_load);
	add_case(s, test_playbook_full_wait_and_message_steps_load);
	add_case(s, test_playbook_full_scenarios_load);
	add_case(s, test_playbook_manpage_example_loads);
	add_case(s, test_playbook_find_functions_return_borrowed_entries);
	add_case(s, test_playbook_phase_and_kind_names_round_trip);
	add_loop_case(s, test_playbook_when_holds_only_when_every_condition_holds,
		      N_OF(when_cases));
	add_case(s, test_playbook_empty_when_always_holds);
	add_loop_case(s, test_playbook_when_waits_on_the_first_undecided_variable,
		      N_OF(waiting_cases));
	add_loop_case(s, test_playbook_var_validate_matches_whole_value,
		      N_OF(validate_cases));
	add_case(s, test_playbook_var_validate_never_shows_a_secret);
	add_case(s, test_playbook_var_validate_shows_the_pattern_as_written);
	add_case(s, test_playbook_pattern_cannot_escape_its_anchors);
	add_loop_case(s, test_playbook_costly_patterns_are_refused_before_compiling,
		      N_OF(regex_limit_cases));
	add_case(s, test_playbook_long_pattern_is_refused);
	add_loop_case(s, test_playbook_duration_forms_parse_or_fail,
		      N_OF(duration_cases));
	add_case(s, test_playbook_missing_file_is_io_error);
	add_case(s, test_playbook_parse_error_names_line_and_column);
	add_case(s, test_playbook_messages_escape_control_characters);
	add_loop_case(s, test_playbook_recommend_reads_the_matrix_cell,
		      N_OF(recommend_cases));
	add_case(s, test_playbook_recommend_one_dimensional_and_none);
	add_case(s, test_playbook_rto_within_takes_first_matching_rule);
	add_case(s, test_playbook_free_accepts_null);
	add_loop_case(s, test_playbook_subst_refs_replaces_only_known_references,
		      N_OF(subst_cases));
	add_loop_case(s, test_playbook_shrunk_pattern_cuts_only_counts,
		      N_OF(shrink_cases));
	add_case(s, test_playbook_shrunk_pattern_compiles_exactly_when_pattern_does);
	add_case(s, test_playbook_counted_pattern_is_checked_at_load);
	add_case(s, test_playbook_schema_enums_are_the_loaders_tables);
	return s;
}
