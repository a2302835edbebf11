/* Fuzz target: a journal on disk read every way rewind reads one. The
 * input is journal.jsonl of a session directory whose playbook copy is
 * the bundled example's; it goes through `rewind verify`'s chain walk, the
 * read-only open, replay (open, seeks, output pane, tags and registry
 * tabs), the report (model and Markdown) and the read-write open that
 * repairs a torn last line. Properties: replay and verify name the same
 * first bad line; the report's Markdown holds no control character but
 * newlines; a journal the read-write open accepted verifies intact. */
#include "config.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "journal.h"
#include "playbook.h"
#include "replay.h"
#include "report.h"
#include "strbuf.h"
#include "xalloc.h"

#ifndef FUZZ_SRCDIR
#error "FUZZ_SRCDIR must name the source tree (for playbooks/example.json)"
#endif

static char *session_dir;
static char *journal_path;

/* The session directory, with its playbook copy, made once. */
static void
setup_session(void)
{
	size_t len;
	struct err err = { 0 };
	char *text;

	if (session_dir)
		return;
	session_dir = xasprintf("%s/session", fuzz_scratch_dir());
	journal_path = xasprintf("%s/journal.jsonl", session_dir);
	if (mkdir(session_dir, 0700) < 0)
		fuzz_require(0, "mkdir the session directory");
	text = playbook_read_text(FUZZ_SRCDIR "/playbooks/example.json", &len,
				  &err);
	if (!text)
		fprintf(stderr, "fuzz: %s\n", err.msg);
	fuzz_require(text != NULL, "read playbooks/example.json");
	fuzz_write_file(session_dir, "playbook.json", text, len);
	free(text);
}

static void
ignore_output(uint64_t ev, int kind, const char *text, void *arg)
{
	(void)ev;
	(void)kind;
	(void)text;
	(void)arg;
}

static void
walk_replay(struct replay *r)
{
	uint64_t n = replay_count(r);
	uint64_t stops[3] = { 0, n / 2, n };
	struct err err = { 0 };

	for (size_t i = 0; i < 3; i++) {
		if (replay_seek(r, stops[i], &err) < 0)
			continue;
		replay_output(r, replay_wall(r, stops[i]), 50, ignore_output,
			      NULL, &err);
		replay_tags(r);
		for (size_t k = 0; k < replay_n_registries(r); k++)
			replay_registry(r, k);
		replay_n_escalated(r, replay_wall(r, stops[i]));
	}
	replay_find_mark(r, 0, 1, REPLAY_MARKS_JUMP);
	replay_find_text(r, 0, "step", &err);
}

/* Replay and verify must agree on where the chain breaks. */
static void
check_replay(const struct journal_verify *v, int verify_rc)
{
	struct err err = { 0 };
	struct replay *r = replay_open(session_dir, &err);

	if (!r)
		return;
	if (verify_rc >= 0 && replay_integrity(r)->bad_line != v->bad_line)
		fprintf(stderr, "fuzz: verify says line %llu (%s), replay "
			"says line %llu (%s)\n",
			(unsigned long long)v->bad_line, v->reason,
			(unsigned long long)replay_integrity(r)->bad_line,
			replay_integrity(r)->reason);
	fuzz_require(verify_rc < 0 ||
		     replay_integrity(r)->bad_line == v->bad_line,
		     "replay and verify name the same first bad line");
	walk_replay(r);
	replay_free(r);
}

static void
check_report(void)
{
	struct err err = { 0 };
	struct strbuf md = STRBUF_INIT;
	cJSON *report = report_build(session_dir, &err);

	if (!report)
		return;
	report_render_md(report, &md);
	fuzz_require(fuzz_is_terminal_safe(md.buf ? md.buf : "", md.len,
					   "\n"),
		     "the report's Markdown is valid UTF-8 without control "
		     "characters (newlines aside)");
	strbuf_done(&md);
	cJSON_Delete(report);
}

/* The read-write open repairs a torn last line; what it leaves verifies. */
static void
check_repair(void)
{
	struct clock clk;
	struct err err = { 0 };
	struct journal_verify v;
	struct journal *j;

	clock_init_manual(&clk, 1796000000000000, 1000000);
	j = journal_open(journal_path, &clk, NULL, NULL, &err);
	if (!j)
		return;
	journal_free(j);
	fuzz_require(journal_verify_file(journal_path, &v, &err) == 0,
		     "a journal the read-write open accepted verifies intact");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = { 0 };
	struct journal_verify v;
	struct journal *j;
	int rc;

	setup_session();
	fuzz_write_file(session_dir, "journal.jsonl", data, size);
	rc = journal_verify_file(journal_path, &v, &err);
	j = journal_open_readonly(journal_path, NULL, NULL, &err);
	journal_free(j);
	check_replay(&v, rc);
	check_report();
	check_repair();
	return 0;
}
