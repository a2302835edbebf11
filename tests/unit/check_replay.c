/* Replay: the state at event N equals that of a session attached to the
 * first N lines of the same journal (after any seek, across snapshots,
 * after following appended lines), the chain check names the line
 * `rewind verify` names, the output pane (escalations included) follows
 * the position, and nothing is written to the session. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "drill.h"
#include "err.h"
#include "journal.h"
#include "registry.h"
#include "replay.h"
#include "session.h"
#include "sha256.h"
#include "strbuf.h"
#include "tags.h"
#include "testutil.h"
#include "xalloc.h"

#define WALL0 1795289400000000LL	/* 2026-11-21T19:30:00Z */

struct fx {
	char *tmp;
	char *dir;		/* the recorded session */
	struct replay *r;
	struct err err;
};

static char *
src_path(const char *rel)
{
	const char *src = getenv("REWIND_SRCDIR");

	return xasprintf("%s/%s", src && *src ? src : ".", rel);
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->tmp = tu_mkdtemp();
	f->dir = xasprintf("%s/session", f->tmp);
}

static void
fx_done(struct fx *f)
{
	replay_free(f->r);
	tu_rmtree(f->tmp);
	free(f->tmp);
	free(f->dir);
}

/* Record the bundled example's walk (playbooks/example.walk) as a drill,
 * STEP_US of the manual clock per action. */
static void
record_walk_paced(struct fx *f, int64_t step_us)
{
	struct session_opts o = { 0 };
	struct clock clk;
	char *pb = src_path("playbooks/example.json");
	char *walk_path = src_path("playbooks/example.walk");
	char *walk = tu_read_file(walk_path, NULL);
	struct session *s;

	ck_assert_msg(walk != NULL, "cannot read %s", walk_path);
	clock_init_manual(&clk, WALL0, 1000);
	o.dir = f->dir;
	o.playbook = pb;
	o.mode = SESSION_DRILL;
	o.operator = "sam";
	o.clk = &clk;
	s = session_open(&o, &f->err);
	ck_assert_msg(s != NULL, "session_open: %s", f->err.msg);
	for (char *line = strtok(walk, "\n"); line; line = strtok(NULL, "\n")) {
		struct action a;

		if (line[0] == '#' || action_parse(line, &a, &f->err) <= 0)
			continue;
		clock_advance(&clk, step_us);
		session_apply(s, &a, NULL, &f->err);
		action_done(&a);
	}
	ck_assert(session_is_complete(s));
	session_free(s);
	free(walk);
	free(walk_path);
	free(pb);
}

/* The walk at one second per action. */
static void
record_walk(struct fx *f)
{
	record_walk_paced(f, 1000000);
}

static char *
journal_of(const char *dir)
{
	return xasprintf("%s/journal.jsonl", dir);
}

/* A copy of the session with only the first N journal lines. */
static char *
prefix_copy(struct fx *f, uint64_t n)
{
	char *dir = xasprintf("%s/prefix-%llu", f->tmp, (unsigned long long)n);
	char *src = journal_of(f->dir);
	char *pb = xasprintf("%s/playbook.json", f->dir);
	size_t len;
	char *text = tu_read_file(src, &len);
	char *pbtext = tu_read_file(pb, NULL);
	char *p = text;

	for (uint64_t i = 0; i < n; i++)
		p = strchr(p, '\n') + 1;
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	free(tu_write_file(dir, "journal.jsonl", text, (size_t)(p - text)));
	free(tu_write_file(dir, "playbook.json", pbtext, strlen(pbtext)));
	free(text);
	free(pbtext);
	free(src);
	free(pb);
	return dir;
}

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The drill's own record (what its score card lists) matches too. */
static void
assert_same_drill(const struct session *want, const struct session *got,
		  uint64_t n)
{
	cJSON *a, *b;
	char *na_a, *na_b;

	if (session_mode(want) != SESSION_DRILL)
		return;
	a = drill_scorecard_json(want);
	b = drill_scorecard_json(got);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	na_a = cJSON_PrintUnformatted(cJSON_GetObjectItem(a, "na"));
	na_b = cJSON_PrintUnformatted(cJSON_GetObjectItem(b, "na"));
	ck_assert_msg(strcmp(na_a, na_b) == 0, "event %llu: drill n/a list "
		      "differs: %.80s vs %.80s", (unsigned long long)n, na_a,
		      na_b);
	free(na_a);
	free(na_b);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

static void
assert_same_state(const struct session *want, const struct session *got,
		  uint64_t n)
{
	const struct playbook *pb = session_playbook(want);

	ck_assert_int_eq(session_n_steps(want), session_n_steps(got));
	ck_assert_msg(session_phase(want) == session_phase(got),
		      "event %llu: phase differs", (unsigned long long)n);
	ck_assert_int_eq(session_is_complete(want), session_is_complete(got));
	ck_assert_int_eq(session_start_wall(want), session_start_wall(got));
	for (size_t i = 0; i < session_n_steps(want); i++) {
		struct step_view a, b;

		session_step_view(want, i, &a);
		session_step_view(got, i, &b);
		ck_assert_msg(a.state == b.state && a.active == b.active &&
			      same_str(a.actor, b.actor) &&
			      a.wall_us == b.wall_us &&
			      same_str(a.option, b.option) &&
			      same_str(a.result, b.result) &&
			      same_str(a.reason, b.reason) &&
			      a.exit_code == b.exit_code &&
			      a.n_runs == b.n_runs &&
			      a.confirmed == b.confirmed &&
			      a.n_approvals == b.n_approvals,
			      "event %llu: step %s differs",
			      (unsigned long long)n, a.def->id);
	}
	for (size_t i = 0; i < pb->n_variables; i++)
		ck_assert_msg(same_str(session_var(want, pb->variables[i].name),
				       session_var(got, pb->variables[i].name)),
			      "event %llu: variable %s differs",
			      (unsigned long long)n, pb->variables[i].name);
	assert_same_drill(want, got, n);
}

/* Seek to N and compare with a session attached to the first N lines. */
static void
check_at(struct fx *f, uint64_t n)
{
	char *dir;
	struct session *want;

	ck_assert_int_eq(replay_seek(f->r, n, &f->err), 0);
	ck_assert_int_eq(replay_pos(f->r), n);
	if (n == 0)
		return;
	dir = prefix_copy(f, n);
	want = session_attach(dir, NULL, &f->err);
	ck_assert_msg(want != NULL, "attach: %s", f->err.msg);
	assert_same_state(want, replay_session(f->r), n);
	session_free(want);
	tu_rmtree(dir);
	free(dir);
}

static struct replay *
open_replay(struct fx *f)
{
	f->r = replay_open(f->dir, &f->err);
	ck_assert_msg(f->r != NULL, "replay_open: %s", f->err.msg);
	return f->r;
}

START_TEST(test_replay_state_at_every_event_matches_a_prefix_session)
{
	struct fx f;
	uint64_t n;

	fx_init(&f);
	record_walk(&f);
	open_replay(&f);
	n = replay_count(f.r);
	ck_assert_uint_gt(n, 30);
	ck_assert_uint_eq(replay_pos(f.r), n);
	ck_assert(session_is_complete(replay_session(f.r)));
	for (uint64_t i = 1; i <= n; i++)
		check_at(&f, i);
	for (uint64_t i = n; i-- > 1;)
		check_at(&f, i);
	check_at(&f, n / 2);
	check_at(&f, n);
	ck_assert_int_eq(replay_integrity(f.r)->bad_line, 0);
	fx_done(&f);
}
END_TEST

START_TEST(test_replay_seek_to_zero_is_the_state_before_any_event)
{
	struct fx f;
	struct step_view v;

	fx_init(&f);
	record_walk(&f);
	open_replay(&f);
	ck_assert_int_eq(replay_seek(f.r, 0, &f.err), 0);
	ck_assert(!session_is_complete(replay_session(f.r)));
	ck_assert_int_eq(session_phase(replay_session(f.r)), PHASE_ASSESS);
	for (size_t i = 0; i < session_n_steps(replay_session(f.r)); i++) {
		session_step_view(replay_session(f.r), i, &v);
		ck_assert_int_eq(v.state, STEP_OPEN);
	}
	ck_assert_ptr_null(session_var(replay_session(f.r), "SEVERITY"));
	fx_done(&f);
}
END_TEST

/* --- a long synthetic journal, across snapshots ------------------------------ */

struct writer {
	FILE *fp;
	uint64_t seq;
	char prev[65];
	struct strbuf line;
};

static void
put_event(struct writer *w, const char *actor, const char *type,
	  const char *step, cJSON *payload)
{
	struct journal_event ev = { 0 };

	ev.seq = ++w->seq;
	ev.wall_us = WALL0 + (int64_t)ev.seq * 1000000;
	ev.mono_us = (int64_t)ev.seq;
	ev.actor = xstrdup(actor);
	ev.type = xstrdup(type);
	ev.phase = xstrdup("assess");
	ev.step = step ? xstrdup(step) : NULL;
	ev.payload = payload;
	memcpy(ev.prev, w->prev, sizeof(ev.prev));
	journal_format_line(&w->line, &ev);
	fprintf(w->fp, "%s\n", w->line.buf);
	sha256_hex(w->line.buf, w->line.len, w->prev);
	journal_event_done(&ev);
}

static cJSON *
obj2(const char *k1, const char *v1, const char *k2, const char *v2)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, k1, v1);
	if (k2)
		cJSON_AddStringToObject(p, k2, v2);
	return p;
}

/* One of a few state-changing or inert events, chosen by I. */
static void
put_mixed(struct writer *w, uint64_t i)
{
	static const char *const sev[] = { "P0", "P1", "P2", "P3" };
	static const char *const steps[] = { "assess.ticket", "verify.errors",
					     "communicate.postmortem" };
	char note[64];

	switch (i % 7) {
	case 0:
		put_event(w, "sam", "var.set", NULL,
			  obj2("name", "SEVERITY", "value", sev[i / 7 % 4]));
		break;
	case 1:
		put_event(w, i % 3 ? "sam" : "dana", "step.ticked",
			  steps[i % 3], obj2("note", "ok", NULL, NULL));
		break;
	case 2:
		put_event(w, "sam", "step.na", steps[(i / 2) % 3],
			  obj2("reason", "not here", NULL, NULL));
		break;
	case 3:
		put_event(w, "sam", "var.set", NULL,
			  obj2("name", "IMPACT", "value",
			       i % 2 ? "most" : "some"));
		break;
	default:
		snprintf(note, sizeof(note), "note %llu", (unsigned long long)i);
		put_event(w, "sam", "note.added", NULL,
			  obj2("text", note, NULL, NULL));
		break;
	}
}

static void
write_long_journal(struct fx *f, uint64_t n)
{
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };
	char *pb = src_path("playbooks/example.json");
	char *text = tu_read_file(pb, NULL);
	char *path = journal_of(f->dir);
	cJSON *started = obj2("mode", "drill", "operator", "sam");

	ck_assert_int_eq(mkdir(f->dir, 0700), 0);
	free(tu_write_file(f->dir, "playbook.json", text, strlen(text)));
	w.fp = fopen(path, "w");
	ck_assert_ptr_nonnull(w.fp);
	put_event(&w, "sam", "session.started", NULL, started);
	for (uint64_t i = 1; i < n; i++)
		put_mixed(&w, i);
	fclose(w.fp);
	strbuf_done(&w.line);
	free(path);
	free(text);
	free(pb);
}

START_TEST(test_replay_seek_across_snapshots_matches_prefix_sessions)
{
	static const uint64_t at[] = {
		25000, 1, 9999, 10000, 10001, 19999, 20000, 20001, 24999,
		5000, 15000, 2, 12345, 12346, 12344, 0, 10000, 25000, 17,
	};
	struct fx f;

	fx_init(&f);
	write_long_journal(&f, 25000);
	open_replay(&f);
	ck_assert_uint_eq(replay_count(f.r), 25000);
	ck_assert_int_eq(replay_integrity(f.r)->bad_line, 0);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		check_at(&f, at[i]);
	fx_done(&f);
}
END_TEST

/* --- integrity ------------------------------------------------------------------ */

/* Rewrite line N of the journal with FROM replaced by TO. */
static void
edit_line_bytes(struct fx *f, uint64_t n, const char *from, const char *to,
		size_t to_len)
{
	char *path = journal_of(f->dir);
	char *text = tu_read_file(path, NULL);
	struct strbuf out = STRBUF_INIT;
	char *p = text, *hit;
	uint64_t line = 1;

	for (; line < n; line++)
		p = strchr(p, '\n') + 1;
	hit = strstr(p, from);
	ck_assert_msg(hit && hit < strchr(p, '\n'), "line %llu has no %s",
		      (unsigned long long)n, from);
	strbuf_add(&out, text, (size_t)(hit - text));
	strbuf_add(&out, to, to_len);
	strbuf_adds(&out, hit + strlen(from));
	free(tu_write_file(f->dir, "journal.jsonl", out.buf, out.len));
	strbuf_done(&out);
	free(text);
	free(path);
}

static void
edit_line(struct fx *f, uint64_t n, const char *from, const char *to)
{
	edit_line_bytes(f, n, from, to, strlen(to));
}

START_TEST(test_replay_flags_a_tampered_line_where_verify_does)
{
	struct fx f;
	struct journal_verify v;
	char *path;
	const struct replay_integrity *in;

	fx_init(&f);
	record_walk(&f);
	/* Line 11 is the decision: someone rewrites the rationale. */
	edit_line(&f, 11, "roll back now", "wait and see");
	path = journal_of(f.dir);
	ck_assert_int_eq(journal_verify_file(path, &v, &f.err), 1);
	open_replay(&f);
	in = replay_integrity(f.r);
	ck_assert_uint_eq(in->bad_line, v.bad_line);
	ck_assert_uint_eq(in->bad_line, 12);
	ck_assert_str_eq(in->reason, v.reason);
	ck_assert_str_eq(in->reason,
			 "hash chain broken: prev does not match line 11");
	ck_assert(replay_marks(f.r, 12) & REPLAY_MARK_BAD);
	ck_assert(!(replay_marks(f.r, 11) & REPLAY_MARK_BAD));
	/* Everything readable is still replayed. */
	ck_assert(session_is_complete(replay_session(f.r)));
	ck_assert_uint_eq(replay_find_mark(f.r, 0, 1, REPLAY_MARK_BAD), 12);
	free(path);
	fx_done(&f);
}
END_TEST

/* The walk's journal opened again to append, on a clock an hour on. */
static struct journal *
reopen_an_hour_later(struct fx *f, struct clock *clk)
{
	char *path = journal_of(f->dir);
	struct journal *j;

	clock_init_manual(clk, WALL0 + 3600 * 1000000LL, 1000);
	j = journal_open(path, clk, NULL, NULL, &f->err);
	ck_assert_msg(j != NULL, "%s", f->err.msg);
	free(path);
	return j;
}

/* Edits that leave a note's line no JSON: a payload that is none, one
 * followed by text before "prev" (cJSON would read the object and stop),
 * and a NUL inside a string (cJSON reads on past it): fuzz findings. */
#define BYTES(s) { s, sizeof(s) - 1 }
static const struct {
	const char *to;
	size_t len;
} broken_payloads[] = {
	BYTES("\"all quiet\",}"), BYTES("\"all quiet\"}, x}"),
	BYTES("\"all\0quiet\"}"),
};

/* A line replay does not apply (a note) whose payload is no longer JSON,
 * though its prev still chains: verify names it, and so does replay. */
START_TEST(test_replay_and_verify_agree_on_a_broken_note_payload)
{
	struct fx f;
	struct journal_verify v;
	struct clock clk;
	struct journal *j;
	char *path;
	cJSON *p = cJSON_Parse("{\"text\":\"all quiet\"}");
	const struct replay_integrity *in;
	uint64_t n;

	fx_init(&f);
	record_walk(&f);
	path = journal_of(f.dir);
	j = reopen_an_hour_later(&f, &clk);
	ck_assert(journal_append(j, "sam", "note.added", NULL, NULL, p, NULL,
				 &f.err) > 0);
	n = journal_count(j);
	ck_assert(journal_append(j, "sam", "session.quit", NULL, NULL, NULL,
				 NULL, &f.err) > 0);
	journal_free(j);
	cJSON_Delete(p);
	edit_line_bytes(&f, n, "\"all quiet\"}", broken_payloads[_i].to,
			broken_payloads[_i].len);
	ck_assert_int_eq(journal_verify_file(path, &v, &f.err), 1);
	ck_assert_uint_eq(v.bad_line, n);
	open_replay(&f);
	in = replay_integrity(f.r);
	ck_assert_uint_eq(in->bad_line, v.bad_line);
	ck_assert_str_eq(in->reason, v.reason);
	free(path);
	fx_done(&f);
}
END_TEST

START_TEST(test_replay_skips_an_unreadable_line_and_a_torn_tail)
{
	struct fx f;
	char *path;
	FILE *fp;
	const struct replay_integrity *in;
	uint64_t n;

	fx_init(&f);
	record_walk(&f);
	edit_line(&f, 5, "{\"seq\":5,", "garbage{\"seq\":5,");
	path = journal_of(f.dir);
	fp = fopen(path, "a");
	fputs("{\"seq\":999,\"wall\":", fp);
	fclose(fp);
	open_replay(&f);
	in = replay_integrity(f.r);
	ck_assert_uint_eq(in->bad_line, 5);
	ck_assert_str_eq(in->reason, "not valid JSON");
	ck_assert_uint_eq(in->n_unreadable, 1);
	ck_assert_uint_eq(in->torn_bytes, strlen("{\"seq\":999,\"wall\":"));
	n = replay_count(f.r);
	ck_assert(replay_marks(f.r, 5) & REPLAY_MARK_BAD);
	ck_assert(session_is_complete(replay_session(f.r)));
	ck_assert_int_eq(replay_seek(f.r, 4, &f.err), 0);
	ck_assert_int_eq(replay_seek(f.r, n, &f.err), 0);
	ck_assert(session_is_complete(replay_session(f.r)));
	free(path);
	fx_done(&f);
}
END_TEST

/* A journal long enough that its hash chain is checked after its events
 * are applied (a second thread hashes the lines): a rewritten line and an
 * unreadable one, in either order; replay names the first, as verify
 * does. */
static const struct {
	uint64_t tampered, garbled, first_bad;
} long_cases[] = {
	{ 300, 420, 301 },	/* line 301's prev no longer matches 300 */
	{ 420, 300, 300 },
};

START_TEST(test_replay_names_the_first_bad_line_of_a_long_journal)
{
	struct fx f;
	struct journal_verify v;
	struct clock clk;
	struct journal *j;
	char *path, *mark;
	const struct replay_integrity *in;
	uint64_t base;

	fx_init(&f);
	record_walk(&f);
	path = journal_of(f.dir);
	j = reopen_an_hour_later(&f, &clk);
	base = journal_count(j);
	for (int i = 1; i <= 600; i++) {
		char *text = xasprintf("{\"text\":\"note %d of the long watch\"}",
				       i);
		cJSON *p = cJSON_Parse(text);

		ck_assert(journal_append(j, "sam", "note.added", NULL, NULL, p,
					 NULL, &f.err) > 0);
		cJSON_Delete(p);
		free(text);
	}
	journal_free(j);
	ck_assert_uint_lt(base, 200);
	mark = xasprintf("note %llu of",
			 (unsigned long long)(long_cases[_i].tampered - base));
	edit_line(&f, long_cases[_i].tampered, mark, "note 0 of");
	free(mark);
	mark = xasprintf("{\"seq\":%llu,",
			 (unsigned long long)long_cases[_i].garbled);
	edit_line(&f, long_cases[_i].garbled, mark, "garbage");
	free(mark);
	ck_assert_int_eq(journal_verify_file(path, &v, &f.err), 1);
	ck_assert_uint_eq(v.bad_line, long_cases[_i].first_bad);
	open_replay(&f);
	in = replay_integrity(f.r);
	ck_assert_uint_eq(in->bad_line, v.bad_line);
	ck_assert_str_eq(in->reason, v.reason);
	ck_assert_uint_eq(in->n_unreadable, 1);
	ck_assert(replay_marks(f.r, long_cases[_i].first_bad) &
		  REPLAY_MARK_BAD);
	ck_assert_uint_eq(replay_find_mark(f.r, 0, 1, REPLAY_MARK_BAD),
			  long_cases[_i].first_bad);
	free(path);
	fx_done(&f);
}
END_TEST

/* --- read-only ------------------------------------------------------------------ */

/* Names, sizes and modification times of everything under DIR. */
static void
listing(const char *dir, struct strbuf *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		ck_assert_int_eq(stat(p, &st), 0);
		strbuf_addf(out, "%s %lld %lld.%09ld\n", p, (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (S_ISDIR(st.st_mode))
			listing(p, out);
		free(p);
	}
	closedir(d);
}

START_TEST(test_replay_never_writes_to_the_session_directory)
{
	struct fx f;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char *lock;

	fx_init(&f);
	record_walk(&f);
	lock = xasprintf("%s/session.lock", f.dir);
	unlink(lock);
	listing(f.dir, &before);
	open_replay(&f);
	for (uint64_t i = 0; i <= replay_count(f.r); i += 3)
		ck_assert_int_eq(replay_seek(f.r, i, &f.err), 0);
	replay_free(f.r);
	f.r = NULL;
	listing(f.dir, &after);
	ck_assert_str_eq(before.buf, after.buf);
	ck_assert_int_ne(access(lock, F_OK), 0);
	strbuf_done(&before);
	strbuf_done(&after);
	free(lock);
	fx_done(&f);
}
END_TEST

/* --- finding things ------------------------------------------------------------- */

static uint64_t
first_of(struct fx *f, const char *text)
{
	int64_t n = replay_find_text(f->r, 0, text, &f->err);

	ck_assert_int_gt(n, 0);
	return (uint64_t)n;
}

START_TEST(test_replay_finds_marks_times_and_text)
{
	struct fx f;
	uint64_t n, next, dec, appr;
	struct strbuf sb = STRBUF_INIT;

	fx_init(&f);
	record_walk(&f);
	open_replay(&f);
	n = replay_count(f.r);
	ck_assert(replay_marks(f.r, 1) & REPLAY_MARK_PHASE);
	next = replay_find_mark(f.r, 1, 1, REPLAY_MARK_PHASE);
	ck_assert_int_eq(replay_line(f.r, next, &sb, &f.err), 0);
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"type\":\"phase.advanced\""));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"to\":\"decide\""));
	dec = first_of(&f, "decision.made");
	appr = first_of(&f, "APPROVAL.granted");	/* case ignored */
	ck_assert(replay_marks(f.r, dec) & REPLAY_MARK_DECISION);
	ck_assert(replay_marks(f.r, appr) & REPLAY_MARK_APPROVAL);
	ck_assert_uint_eq(replay_find_mark(f.r, dec, 1, REPLAY_MARKS_JUMP &
					   ~REPLAY_MARK_PHASE), appr);
	ck_assert_uint_eq(replay_find_mark(f.r, appr, -1,
					   REPLAY_MARK_DECISION), dec);
	ck_assert_uint_eq(replay_find_mark(f.r, 1, -1, REPLAY_MARK_PHASE), 0);
	/* Wrapping: searching after the last match finds the first. */
	ck_assert_int_eq(replay_find_text(f.r, dec, "decision.made",
					  &f.err), (int64_t)dec);
	/* What the screens show, not the JSON: no keys, no escapes. */
	ck_assert_int_eq(replay_find_text(f.r, 0, "\"type\"", &f.err), 0);
	ck_assert_int_eq(replay_find_text(f.r, 0, "\"prev\":", &f.err), 0);
	ck_assert_int_eq(replay_find_text_dir(f.r, appr, -1, "decision.made",
					      &f.err), (int64_t)dec);
	ck_assert_int_eq(replay_find_text(f.r, 0, "no such text", &f.err), 0);
	/* Times: the events up to a wall time, on the manual clock. */
	ck_assert_uint_eq(replay_find_time(f.r, replay_wall(f.r, 1) - 1), 0);
	ck_assert_uint_eq(replay_find_time(f.r, replay_wall(f.r, n)), n);
	ck_assert_uint_eq(replay_find_time(f.r, replay_wall(f.r, dec)),
			  replay_find_time(f.r, replay_wall(f.r, dec) + 999999));
	ck_assert_int_le(replay_wall(f.r, replay_find_time(f.r,
				     replay_wall(f.r, dec))),
			 replay_wall(f.r, dec));
	strbuf_done(&sb);
	fx_done(&f);
}
END_TEST

/* --- the output pane ---------------------------------------------------------------- */

static void
join_output(uint64_t ev, int kind, const char *text, void *arg)
{
	(void)ev;
	strbuf_addf(arg, "%c %s\n", kind ? '!' : ' ', text);
}

START_TEST(test_replay_output_follows_the_position)
{
	struct fx f;
	struct strbuf out = STRBUF_INIT;
	uint64_t run;
	long k;

	fx_init(&f);
	record_walk(&f);
	open_replay(&f);
	k = replay_output(f.r, replay_wall(f.r, replay_count(f.r)), 5000,
			  join_output, &out, &f.err);
	ck_assert_int_gt(k, 3);
	ck_assert_ptr_nonnull(strstr(out.buf,
				     "  HEAD is now at 9f8e7d6 Release 1.3.2\n"));
	/* The command as the step pane shows it: its quotes unescaped. */
	run = first_of(&f, "git checkout \"tags/v$RESTORE_VERSION\"");
	ck_assert(replay_marks(f.r, run) & REPLAY_MARK_RUN);
	ck_assert_int_eq(replay_seek(f.r, run - 1, &f.err), 0);
	strbuf_reset(&out);
	replay_output(f.r, replay_wall(f.r, run - 1), 5000, join_output, &out,
		      &f.err);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "HEAD is now at"));
	ck_assert_int_eq(replay_seek(f.r, run + 1, &f.err), 0);
	strbuf_reset(&out);
	replay_output(f.r, replay_wall(f.r, run + 1), 5000, join_output, &out,
		      &f.err);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "HEAD is now at"));
	/* At most MAX items, the newest. */
	strbuf_reset(&out);
	ck_assert_int_eq(replay_output(f.r, replay_wall(f.r, run + 1), 1,
				       join_output, &out, &f.err), 1);
	strbuf_done(&out);
	fx_done(&f);
}
END_TEST

/* --- escalations ------------------------------------------------------------------ */

#define MINUTE_US 60000000LL

/* The alerts (not output lines) of the output pane, one a line. */
static void
join_alerts(uint64_t ev, int kind, const char *text, void *arg)
{
	(void)ev;
	if (kind == REPLAY_ITEM_ALERT)
		strbuf_addf(arg, "escalation %s\n", text);
	else if (kind == REPLAY_ITEM_EVENT)
		strbuf_addf(arg, "event %.40s\n", text);
}

/* The example escalates after 15 minutes (Engineering Lead) and after 30
 * (CTO): how many of them a clock at WALL has passed. */
static size_t
escalations_by(const struct replay *r, int64_t wall)
{
	int64_t el = wall - session_start_wall(replay_session(r));

	return (size_t)(el >= 15 * MINUTE_US) + (el >= 30 * MINUTE_US);
}

/* Seek to K: the escalations raised are those the clock has passed, and
 * the alerts equal those of a replay of only the first K events. */
static void
check_alerts_at(struct fx *f, uint64_t k)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	char *dir = prefix_copy(f, k);
	struct replay *prefix = replay_open(dir, &f->err);
	int64_t wall;

	ck_assert_msg(prefix != NULL, "%s", f->err.msg);
	ck_assert_int_eq(replay_seek(f->r, k, &f->err), 0);
	wall = replay_wall(f->r, k);
	ck_assert_uint_eq(replay_n_escalated(f->r, wall),
			  escalations_by(f->r, wall));
	ck_assert_int_ge(replay_output(f->r, wall, 5000, join_alerts, &got,
				       &f->err), 0);
	ck_assert_int_ge(replay_output(prefix, wall, 5000, join_alerts, &want,
				       &f->err), 0);
	ck_assert_msg(strcmp(strbuf_str(&got), strbuf_str(&want)) == 0,
		      "event %llu: alerts differ:\n%s---\n%s",
		      (unsigned long long)k, strbuf_str(&got),
		      strbuf_str(&want));
	replay_free(prefix);
	tu_rmtree(dir);
	free(dir);
	strbuf_done(&got);
	strbuf_done(&want);
}

/* The walk at 90 s an action runs past both: at every event, forward and
 * backward, the output pane's alerts are a function of the position. */
START_TEST(test_replay_escalations_follow_the_position)
{
	struct fx f;
	struct strbuf got = STRBUF_INIT;
	uint64_t n;
	int64_t start;

	fx_init(&f);
	record_walk_paced(&f, 90000000);
	open_replay(&f);
	n = replay_count(f.r);
	start = session_start_wall(replay_session(f.r));
	ck_assert_int_eq(start, WALL0);
	ck_assert_int_eq(replay_escalation_due(f.r, 0), start + 15 * MINUTE_US);
	ck_assert_int_eq(replay_escalation_due(f.r, 1), start + 30 * MINUTE_US);
	ck_assert_int_eq(replay_escalation_due(f.r, 2), INT64_MAX);
	ck_assert_uint_eq(replay_n_escalated(f.r, replay_wall(f.r, n)), 2);
	ck_assert_uint_eq(replay_n_escalated(f.r, start + 15 * MINUTE_US - 1),
			  0);
	ck_assert_uint_eq(replay_n_escalated(f.r, start + 15 * MINUTE_US), 1);
	for (uint64_t k = 1; k <= n; k++)
		check_alerts_at(&f, k);
	for (uint64_t k = n; k >= 1; k--)
		check_alerts_at(&f, k);
	/* At the last event, both, in their order. */
	ck_assert_int_eq(replay_seek(f.r, n, &f.err), 0);
	replay_output(f.r, replay_wall(f.r, n), 5000, join_alerts, &got,
		      &f.err);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&got),
				     "escalation Engineering Lead\n"
				     "escalation CTO\n"));
	strbuf_done(&got);
	fx_done(&f);
}
END_TEST

/* Whether text A comes before text B in S (both present). */
static int
before(const char *s, const char *a, const char *b)
{
	const char *pa = strstr(s, a), *pb = strstr(s, b);

	return pa && pb && pa < pb;
}

/* The escalation line sits in the stream where the clock passed it:
 * after the output printed before, before the output printed after;
 * between two events it shows as soon as the clock passes it. */
START_TEST(test_replay_escalation_lands_between_output_lines)
{
	struct fx f;
	struct strbuf out = STRBUF_INIT;
	const char *s, *lead, *cto;
	uint64_t k;
	int64_t due;

	fx_init(&f);
	record_walk_paced(&f, 90000000);
	open_replay(&f);
	replay_output(f.r, replay_wall(f.r, replay_count(f.r)), 5000,
		      join_output, &out, &f.err);
	s = strbuf_str(&out);
	lead = strstr(s, "! Engineering Lead\n");
	cto = strstr(s, "! CTO\n");
	ck_assert_ptr_nonnull(lead);
	ck_assert_ptr_nonnull(cto);
	/* assess.status ran at 1.5 min, execute.checkout at 21, and
	 * execute.restart at 24. */
	ck_assert(before(s, "a1b2c3d (HEAD, tag: v1.4.0)", lead));
	ck_assert(before(s, lead, "HEAD is now at 9f8e7d6"));
	ck_assert(before(s, "service started, pid 4311", cto));
	/* The last event before the 15 minutes; the clock then moves on. */
	due = replay_escalation_due(f.r, 0);
	k = replay_find_time(f.r, due - 1);
	ck_assert_int_lt(replay_wall(f.r, k + 1), due + 90000000);
	ck_assert_int_eq(replay_seek(f.r, k, &f.err), 0);
	strbuf_reset(&out);
	replay_output(f.r, due - 1, 5000, join_output, &out, &f.err);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "Engineering Lead"));
	strbuf_reset(&out);
	replay_output(f.r, due, 5000, join_output, &out, &f.err);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "! Engineering Lead\n"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "CTO"));
	strbuf_done(&out);
	fx_done(&f);
}
END_TEST

/* --- the tags and registry answers as journalled ----------------------------- */

#define PKG "mycelicmemory"

/* The npm seed playbook, its critical-outage scenario given an injection
 * that moves latest and brings tags, as the session's playbook copy. */
static void
write_npm_playbook(struct fx *f)
{
	char *path = src_path("playbooks/npm-dist-tag-rollback.json");
	char *text = tu_read_file(path, NULL);
	cJSON *pb = cJSON_Parse(text), *sc;
	const char *inject = "[{\"id\": \"latest-moves\", \"at\": \"1m\", "
		"\"state\": {\"tags\": [\"v1.3.0\", \"v1.2.3\"], \"registry\": "
		"{\"" PKG "\": {\"dist-tags\": {\"latest\": \"1.3.0\"}}}}}]";
	char *out;

	ck_assert_ptr_nonnull(pb);
	/* A world with no tags of its own: the injection brings them. */
	cJSON_DeleteItemFromObject(cJSON_GetObjectItem(cJSON_GetObjectItem(
		pb, "drill"), "state"), "tags");
	cJSON_ArrayForEach(sc, cJSON_GetObjectItem(pb, "scenarios"))
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(sc, "id")),
			   "critical-outage") == 0)
			cJSON_AddItemToObject(sc, "inject", cJSON_Parse(inject));
	out = cJSON_Print(pb);
	ck_assert_int_eq(mkdir(f->dir, 0700), 0);
	free(tu_write_file(f->dir, "playbook.json", out, strlen(out)));
	free(out);
	cJSON_Delete(pb);
	free(text);
	free(path);
}

static FILE *
open_journal(struct fx *f)
{
	char *path = journal_of(f->dir);
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	free(path);
	return fp;
}

/* A tags.answer payload as the live sources journal it. */
static cJSON *
tags_answer(const char *names_json)
{
	cJSON *names = cJSON_Parse(names_json);
	struct err err = { 0 };
	struct tag_list *tl = tag_list_from_json(names, &err);
	cJSON *json;

	ck_assert_msg(tl != NULL, "tag_list_from_json: %s", err.msg);
	json = tag_list_to_json(tl, 0);
	tag_list_free(tl);
	cJSON_Delete(names);
	return json;
}

/* A registry.answer payload for NAME whose latest is LATEST. */
static cJSON *
registry_answer(const char *name, const char *latest)
{
	char *in = xasprintf("{\"dist-tags\": {\"latest\": \"%s\"}, "
			     "\"versions\": [\"1.1.0\", \"%s\"]}", latest, latest);
	struct err err = { 0 };
	struct reg_answer *a = reg_answer_from_json(in, strlen(in), REG_NPM,
						    name, &err);
	cJSON *p = cJSON_CreateObject();
	char *text;

	ck_assert_msg(a != NULL, "reg_answer_from_json: %s", err.msg);
	a->fetched_at_us = WALL0;
	text = reg_answer_to_json(a);
	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddItemToObject(p, "answer", cJSON_Parse(text));
	free(text);
	reg_answer_free(a);
	free(in);
	return p;
}

static const char *
latest_at(struct replay *r, uint64_t n)
{
	const struct reg_answer *a;

	ck_assert_int_eq(replay_seek(r, n, NULL), 0);
	ck_assert_uint_eq(replay_n_registries(r), 1);
	a = replay_registry(r, 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->package, PKG);
	ck_assert_ptr_null(a->error);
	for (size_t i = 0; i < a->n_tags; i++)
		if (strcmp(a->tags[i].name, "latest") == 0)
			return a->tags[i].version;
	return "";
}

/* The tags shown after N events, as "v1,v2" ("-" for none). */
static const char *
tags_at(struct replay *r, uint64_t n)
{
	static char buf[256];
	const struct tag_list *tl;

	ck_assert_int_eq(replay_seek(r, n, NULL), 0);
	tl = replay_tags(r);
	if (!tl)
		return "-";
	ck_assert_ptr_null(tl->error);
	buf[0] = '\0';
	for (size_t i = 0; i < tl->n_tags; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			 i ? "," : "", tl->tags[i].name);
	return buf;
}

START_TEST(test_replay_shows_the_answers_journalled_by_then)
{
	struct fx f;
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };

	fx_init(&f);
	write_npm_playbook(&f);
	w.fp = open_journal(&f);
	put_event(&w, "sam", "session.started", NULL,
		  obj2("mode", "live", "operator", "sam"));		/* 1 */
	put_event(&w, "sam", "note.added", NULL, obj2("text", "a", NULL, NULL));
	put_event(&w, "sources", "tags.answer", NULL,
		  tags_answer("[\"v1.2.3\"]"));				/* 3 */
	put_event(&w, "sources", "registry.answer", NULL,
		  registry_answer(PKG, "1.2.3"));			/* 4 */
	put_event(&w, "sam", "note.added", NULL, obj2("text", "b", NULL, NULL));
	put_event(&w, "sources", "tags.answer", NULL,
		  tags_answer("[\"v1.2.3\", \"v1.3.0\"]"));		/* 6 */
	put_event(&w, "sources", "registry.answer", NULL,
		  registry_answer(PKG, "1.3.0"));			/* 7 */
	put_event(&w, "sources", "registry.answer", NULL,
		  registry_answer("not-a-target", "9.9.9"));		/* 8 */
	fclose(w.fp);
	strbuf_done(&w.line);
	f.r = replay_open(f.dir, &f.err);
	ck_assert_msg(f.r != NULL, "replay_open: %s", f.err.msg);

	/* At the end, then back and forth across each answer. */
	ck_assert_str_eq(tags_at(f.r, 8), "v1.3.0,v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 8), "1.3.0");
	ck_assert_str_eq(tags_at(f.r, 2), "-");
	ck_assert_str_eq(latest_at(f.r, 2), "");
	ck_assert_int_eq(replay_registry(f.r, 0)->has_data, 0);
	ck_assert_str_eq(tags_at(f.r, 3), "v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 3), "");
	ck_assert_str_eq(latest_at(f.r, 4), "1.2.3");
	ck_assert_int_eq(replay_registry(f.r, 0)->fetched_at_us, WALL0);
	ck_assert_str_eq(tags_at(f.r, 5), "v1.2.3");
	ck_assert_str_eq(tags_at(f.r, 6), "v1.3.0,v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 6), "1.2.3");
	ck_assert_str_eq(latest_at(f.r, 7), "1.3.0");
	ck_assert_str_eq(latest_at(f.r, 0), "");
	ck_assert_str_eq(tags_at(f.r, 4), "v1.2.3");
	ck_assert_ptr_null(replay_registry(f.r, 1));
	fx_done(&f);
}
END_TEST

START_TEST(test_replay_shows_the_drill_state_as_injected_by_then)
{
	struct fx f;
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };
	cJSON *started = obj2("mode", "drill", "operator", "sam");
	cJSON *inject = obj2("id", "latest-moves", "what", "state changes");

	fx_init(&f);
	write_npm_playbook(&f);
	w.fp = open_journal(&f);
	cJSON_AddStringToObject(started, "scenario", "critical-outage");
	cJSON_AddItemToObject(inject, "state", cJSON_Parse(
		"{\"tags\": [\"v1.3.0\", \"v1.2.3\"], \"registry\": {\"" PKG
		"\": {\"dist-tags\": {\"latest\": \"1.3.0\"}}}}"));
	put_event(&w, "sam", "session.started", NULL, started);	/* 1 */
	put_event(&w, "sources", "tags.answer", NULL,
		  tags_answer("[\"v0.9.0\"]"));				/* 2 */
	put_event(&w, "scenario", "drill.inject", NULL, inject);	/* 3 */
	put_event(&w, "sam", "note.added", NULL, obj2("text", "a", NULL, NULL));
	fclose(w.fp);
	strbuf_done(&w.line);
	f.r = replay_open(f.dir, &f.err);
	ck_assert_msg(f.r != NULL, "replay_open: %s", f.err.msg);

	/* The scenario's registry from the start; its tags (none before the
	 * injection) leave the watched ones shown; the injection wins. */
	ck_assert_str_eq(latest_at(f.r, 4), "1.3.0");
	ck_assert_str_eq(tags_at(f.r, 4), "v1.3.0,v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 1), "1.2.3");
	ck_assert_str_eq(tags_at(f.r, 1), "-");
	ck_assert_str_eq(tags_at(f.r, 2), "v0.9.0");
	ck_assert_str_eq(latest_at(f.r, 2), "1.2.3");
	ck_assert_str_eq(latest_at(f.r, 3), "1.3.0");
	ck_assert_str_eq(tags_at(f.r, 3), "v1.3.0,v1.2.3");
	fx_done(&f);
}
END_TEST

/* Many answers among many events, across snapshots: at random positions
 * the provider gives the answer a linear walk finds. */
START_TEST(test_replay_answers_across_snapshots_match_a_linear_walk)
{
	enum { N = 2 * REPLAY_SNAPSHOT_EVERY + 777, EVERY_TAGS = 613,
	       EVERY_REG = 1009 };
	struct fx f;
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };
	unsigned seed = 6;

	fx_init(&f);
	write_npm_playbook(&f);
	w.fp = open_journal(&f);
	put_event(&w, "sam", "session.started", NULL,
		  obj2("mode", "live", "operator", "sam"));
	for (uint64_t i = 2; i <= N; i++) {
		char v[64];

		if (i % EVERY_TAGS == 0) {
			snprintf(v, sizeof(v), "[\"v1.0.%llu\"]",
				 (unsigned long long)i);
			put_event(&w, "sources", "tags.answer", NULL,
				  tags_answer(v));
		} else if (i % EVERY_REG == 0) {
			snprintf(v, sizeof(v), "2.0.%llu", (unsigned long long)i);
			put_event(&w, "sources", "registry.answer", NULL,
				  registry_answer(PKG, v));
		} else {
			put_mixed(&w, i);
		}
	}
	fclose(w.fp);
	strbuf_done(&w.line);
	f.r = replay_open(f.dir, &f.err);
	ck_assert_msg(f.r != NULL, "replay_open: %s", f.err.msg);
	ck_assert_uint_eq(replay_count(f.r), N);
	for (int k = 0; k < 40; k++) {
		uint64_t n = 1 + (uint64_t)rand_r(&seed) % N;
		uint64_t t = n / EVERY_TAGS * EVERY_TAGS, g = n;
		char want[64];

		while (g >= EVERY_REG && (g % EVERY_REG || g % EVERY_TAGS == 0))
			g--;
		snprintf(want, sizeof(want), "v1.0.%llu", (unsigned long long)t);
		ck_assert_str_eq(tags_at(f.r, n), t ? want : "-");
		snprintf(want, sizeof(want), "2.0.%llu", (unsigned long long)g);
		ck_assert_str_eq(latest_at(f.r, n), g >= EVERY_REG ? want : "");
	}
	fx_done(&f);
}
END_TEST

/* --- following a session that goes on (rewind watch) ---------------------------- */

/* Append TEXT (LEN bytes) to the journal, cut after CUT bytes (all of it
 * when CUT is 0); returns a copy of the bytes not appended, or NULL. */
static char *
append_lines(struct fx *f, const char *text, size_t len, size_t cut)
{
	char *path = journal_of(f->dir);
	FILE *fp = fopen(path, "a");

	ck_assert_ptr_nonnull(fp);
	if (!cut || cut > len)
		cut = len;
	ck_assert_uint_eq(fwrite(text, 1, cut, fp), cut);
	fclose(fp);
	free(path);
	return cut < len ? xstrdup(text + cut) : NULL;
}

/* The events W's put_event calls between w_start and w_take, as text. */
static void
w_start(struct writer *w, char **buf, size_t *len)
{
	w->fp = open_memstream(buf, len);
	ck_assert_ptr_nonnull(w->fp);
}

static void
w_take(struct writer *w)
{
	fclose(w->fp);
	w->fp = NULL;
}

/* Carry W on from the last of the N lines of the journal. */
static void
w_resume(struct fx *f, struct writer *w, uint64_t n)
{
	char *path = journal_of(f->dir);
	char *text = tu_read_file(path, NULL);
	char *last = text + strlen(text) - 1;

	while (last > text && last[-1] != '\n')
		last--;
	sha256_hex(last, strlen(last) - 1, w->prev);
	w->seq = n;
	free(text);
	free(path);
}

START_TEST(test_replay_follow_reads_what_is_appended)
{
	struct fx f;
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };
	char *buf = NULL, *rest;
	size_t len = 0;

	fx_init(&f);
	write_npm_playbook(&f);
	w.fp = open_journal(&f);
	put_event(&w, "sam", "session.started", NULL,
		  obj2("mode", "live", "operator", "sam"));		/* 1 */
	put_event(&w, "sources", "tags.answer", NULL,
		  tags_answer("[\"v1.2.3\"]"));				/* 2 */
	fclose(w.fp);
	open_replay(&f);
	ck_assert_int_eq(replay_follow(f.r, &f.err), 0);
	ck_assert_str_eq(tags_at(f.r, 2), "v1.2.3");

	/* A line half written is left for the next call. */
	w_start(&w, &buf, &len);
	put_event(&w, "sources", "tags.answer", NULL,
		  tags_answer("[\"v1.2.3\", \"v1.3.0\"]"));		/* 3 */
	put_event(&w, "sources", "registry.answer", NULL,
		  registry_answer(PKG, "1.3.0"));			/* 4 */
	w_take(&w);
	rest = append_lines(&f, buf, len, 40);
	ck_assert_int_eq(replay_follow(f.r, &f.err), 0);
	ck_assert_uint_eq(replay_count(f.r), 2);
	ck_assert_uint_gt(replay_integrity(f.r)->torn_bytes, 0);
	ck_assert_uint_eq(replay_integrity(f.r)->bad_line, 3);
	free(append_lines(&f, rest, strlen(rest), 0));
	ck_assert_int_eq(replay_follow(f.r, &f.err), 2);
	ck_assert_uint_eq(replay_count(f.r), 4);
	ck_assert_uint_eq(replay_pos(f.r), 4);
	ck_assert_uint_eq(replay_integrity(f.r)->bad_line, 0);
	ck_assert_uint_eq(replay_integrity(f.r)->torn_bytes, 0);
	ck_assert_str_eq(tags_at(f.r, 4), "v1.3.0,v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 4), "1.3.0");
	ck_assert_str_eq(tags_at(f.r, 2), "v1.2.3");
	ck_assert_str_eq(latest_at(f.r, 2), "");
	/* Following from a position back in time goes to the end. */
	ck_assert_int_eq(replay_follow(f.r, &f.err), 0);
	ck_assert_uint_eq(replay_pos(f.r), 4);
	ck_assert_str_eq(latest_at(f.r, 4), "1.3.0");
	free(rest);
	free(buf);
	strbuf_done(&w.line);
	fx_done(&f);
}
END_TEST

/* Followed across a snapshot boundary, the state at any event still
 * equals a session attached to the journal up to there. */
START_TEST(test_replay_follow_across_a_snapshot_matches_prefix_sessions)
{
	static const uint64_t at[] = {
		REPLAY_SNAPSHOT_EVERY + 20, REPLAY_SNAPSHOT_EVERY - 5,
		REPLAY_SNAPSHOT_EVERY, REPLAY_SNAPSHOT_EVERY + 1, 3,
		REPLAY_SNAPSHOT_EVERY + 7,
	};
	struct fx f;
	struct writer w = { NULL, 0, JOURNAL_GENESIS, STRBUF_INIT };
	char *buf = NULL;
	size_t len = 0;

	fx_init(&f);
	write_long_journal(&f, REPLAY_SNAPSHOT_EVERY - 10);
	w_resume(&f, &w, REPLAY_SNAPSHOT_EVERY - 10);
	open_replay(&f);
	w_start(&w, &buf, &len);
	for (uint64_t i = w.seq; i < REPLAY_SNAPSHOT_EVERY + 20; i++)
		put_mixed(&w, i);
	w_take(&w);
	free(append_lines(&f, buf, len, 0));
	ck_assert_int_eq(replay_follow(f.r, &f.err), 30);
	ck_assert_uint_eq(replay_count(f.r), REPLAY_SNAPSHOT_EVERY + 20);
	ck_assert_int_eq(replay_integrity(f.r)->bad_line, 0);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		check_at(&f, at[i]);
	free(buf);
	strbuf_done(&w.line);
	fx_done(&f);
}
END_TEST

static Suite *
replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_replay_state_at_every_event_matches_a_prefix_session);
	tcase_add_test(tc, test_replay_seek_to_zero_is_the_state_before_any_event);
	tcase_add_test(tc, test_replay_seek_across_snapshots_matches_prefix_sessions);
	tcase_add_test(tc, test_replay_flags_a_tampered_line_where_verify_does);
	tcase_add_loop_test(tc, test_replay_and_verify_agree_on_a_broken_note_payload,
			    0, (int)(sizeof(broken_payloads) /
				     sizeof(*broken_payloads)));
	tcase_add_test(tc, test_replay_skips_an_unreadable_line_and_a_torn_tail);
	tcase_add_loop_test(tc, test_replay_names_the_first_bad_line_of_a_long_journal,
			    0, (int)(sizeof(long_cases) / sizeof(*long_cases)));
	tcase_add_test(tc, test_replay_never_writes_to_the_session_directory);
	tcase_add_test(tc, test_replay_finds_marks_times_and_text);
	tcase_add_test(tc, test_replay_output_follows_the_position);
	tcase_add_test(tc, test_replay_escalations_follow_the_position);
	tcase_add_test(tc, test_replay_escalation_lands_between_output_lines);
	tcase_add_test(tc, test_replay_shows_the_answers_journalled_by_then);
	tcase_add_test(tc, test_replay_shows_the_drill_state_as_injected_by_then);
	tcase_add_test(tc, test_replay_answers_across_snapshots_match_a_linear_walk);
	tcase_add_test(tc, test_replay_follow_reads_what_is_appended);
	tcase_add_test(tc, test_replay_follow_across_a_snapshot_matches_prefix_sessions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(replay_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
