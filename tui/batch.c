/* Batch mode: a line-oriented front end on the same event loop as the
 * console. Actions are read from stdin only while no command is running
 * (except beside a step the playbook marks "parallel"); output stays
 * machine-readable (JSON lines on stdout, messages on stderr). */
#include "config.h"
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "app.h"
#include "cli.h"
#include "clock.h"
#include "drill.h"
#include "err.h"
#include "jsonutf8.h"
#include "loop.h"
#include "playbook.h"
#include "sanitize.h"
#include "session.h"
#include "sessions.h"
#include "strbuf.h"
#include "testhook.h"
#include "xalloc.h"

struct batch {
	struct loop *loop;
	struct session *session;
	struct strbuf in;	/* bytes read but not yet a whole line */
	unsigned long lineno;
	int eof;		/* stdin ended */
	int quit;		/* a quit action was accepted */
	int waiting;		/* an action's work is still running */
	int ended;		/* a drill told to stop by a signal */
	int stdin_watched;
};

/* One JSON line on stdout, valid UTF-8 whatever bytes it holds and with
 * C1 and bidi controls escaped, so no terminal acts on it (jsonutf8.h). */
static void
put_json_line(const char *json)
{
	struct strbuf sb = STRBUF_INIT;

	jsonutf8_escape(&sb, json, strlen(json));
	strbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	fflush(stdout);
	strbuf_done(&sb);
}

static void
emit_json(cJSON *obj)
{
	char *text = cJSON_PrintUnformatted(obj);

	put_json_line(text);
	free(text);
	cJSON_Delete(obj);
}

static void
emit_awaiting(struct batch *b)
{
	emit_json(session_awaiting(b->session));
}

static void
emit_error(struct batch *b, const char *msg)
{
	cJSON *e = cJSON_CreateObject();
	char *safe = sanitize_text(msg, strlen(msg));

	cJSON_AddStringToObject(e, "type", "error");
	cJSON_AddNumberToObject(e, "line", (double)b->lineno);
	cJSON_AddStringToObject(e, "message", msg);
	emit_json(e);
	fprintf(stderr, "rewind: stdin:%lu: %s\n", b->lineno, safe);
	free(safe);
}

/* Copy KEY of FROM into TO when FROM has it. */
static void
copy_item(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(from, key);

	if (item)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(item, 1));
}

/* A drill's injection as the trainee's console shows it: its alert and
 * the log lines it adds, never its id, its moment or its change to the
 * world (the answers stay in the journal, for the game master and the
 * report). */
static void
emit_trainee_inject(const char *line)
{
	cJSON *ev = jsonutf8_parse(line, strlen(line), NULL);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev, "payload");
	cJSON *out = cJSON_CreateObject(), *shown;

	copy_item(out, ev, "seq");
	copy_item(out, ev, "wall");
	copy_item(out, ev, "type");
	copy_item(out, ev, "phase");
	shown = cJSON_AddObjectToObject(out, "payload");
	copy_item(shown, p, "alert");
	copy_item(shown, p, "log");
	copy_item(shown, p, "lines");
	cJSON_Delete(ev);
	emit_json(out);
}

static void
on_core_event(const struct core_event *ev, void *arg)
{
	struct batch *b = arg;

	if (ev->kind == CORE_EV_JOURNAL && ev->type &&
	    strcmp(ev->type, "drill.inject") == 0) {
		emit_trainee_inject(ev->line);
	} else if (ev->kind == CORE_EV_JOURNAL) {
		put_json_line(ev->line);
	} else if (ev->kind == CORE_EV_STEP_DONE && b->waiting &&
		   !session_is_busy(b->session)) {
		b->waiting = 0;
		emit_awaiting(b);
	}
}

/* A run of a step marked "parallel": the next line is read at once, so
 * it may start another parallel step beside it. */
static int
runs_beside(struct batch *b, const struct action *a)
{
	const struct pb_step *st;

	if (a->kind != ACT_RUN || !a->step)
		return 0;
	st = playbook_find_step(session_playbook(b->session), a->step, NULL,
				NULL);
	return st && st->kind == STEP_KIND_RUN && st->parallel;
}

static void
do_action(struct batch *b, const char *line)
{
	struct action a;
	struct err err = { 0 };
	int rc = action_parse(line, &a, &err);

	if (rc == 0)
		return;
	if (rc < 0) {
		emit_error(b, err.msg);
		return;
	}
	rc = session_apply(b->session, &a, NULL, &err);
	if (rc < 0)
		emit_error(b, err.msg);
	if (rc >= 0 && a.kind == ACT_QUIT)
		b->quit = 1;
	if (rc == 1 && session_is_busy(b->session) && !runs_beside(b, &a))
		b->waiting = 1;
	else
		emit_awaiting(b);
	action_done(&a);
}

/* Handle whole lines while nothing is running; keep the rest buffered. */
static void
drain_lines(struct batch *b)
{
	while (!b->waiting && !b->quit && b->in.len) {
		char *nl = memchr(b->in.buf, '\n', b->in.len);
		size_t len;
		char *line;

		if (!nl && !b->eof)
			return;
		len = nl ? (size_t)(nl - b->in.buf) : b->in.len;
		line = xstrndup(b->in.buf, len);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		memmove(b->in.buf, b->in.buf + len + (nl != NULL),
			b->in.len - len - (nl != NULL));
		b->in.len -= len + (nl != NULL);
		b->lineno++;
		do_action(b, line);
		free(line);
	}
}

static void
on_stdin(int fd, int events, void *arg)
{
	struct batch *b = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)events;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		b->eof = 1;
		loop_del_fd(b->loop, fd);
		b->stdin_watched = 0;
	} else {
		strbuf_add(&b->in, buf, (size_t)n);
	}
	drain_lines(b);
}

static int
finished(const struct batch *b)
{
	if (b->ended)
		return 1;
	if (b->waiting || session_is_busy(b->session))
		return 0;	/* parallel steps too end before we do */
	return b->quit || (b->eof && b->in.len == 0);
}

static void
print_field(const char *label, const char *text)
{
	char *clean = sanitize_text(text, strlen(text));

	printf("  %s: %s\n", label, clean);
	free(clean);
}

/* The scenario's own recovery-time target, if it has one: "8m (LABEL)"
 * when LABELLED and it has a label, else "8m from the drill's start to a
 * verified recovery". */
static void
print_target(const struct pb_scenario *sc, int labelled)
{
	char within[24], *text;

	if (!sc->rto_us)
		return;
	bars_duration_text(sc->rto_us / 1000000, 1, within, sizeof(within));
	if (labelled && sc->rto_label)
		text = xasprintf("%s (%s)", within, sc->rto_label);
	else
		text = xasprintf("%s from the drill's start to a verified "
				 "recovery", within);
	print_field("recovery-time target", text);
	free(text);
}

/* What a trainee may know: the scenario's number (rewind drill --scenario
 * takes it), the briefing and the scenario's own recovery-time target (the
 * console's clock shows it from the start), never the id or title, which
 * may give the answer away, nor the target's label, which may name the
 * severity ("P0 drill"). */
static void
print_briefing(size_t number, const struct pb_scenario *sc)
{
	char *brief = sc->briefing ? sanitize_text(sc->briefing,
						   strlen(sc->briefing)) : NULL;

	printf("%zu\t%s\n", number, brief ? brief
	       : "(no briefing: the game master sets the scene)");
	free(brief);
	print_target(sc, 0);
}

/* "answers: SEVERITY=critical, IMPACT=over-50": what a good trainee gives
 * at the input steps, for the game master only. */
static void
print_answers(const struct pb_scenario *sc)
{
	struct strbuf sb = STRBUF_INIT;

	if (!sc->n_answers)
		return;
	for (size_t i = 0; i < sc->n_answers; i++)
		strbuf_addf(&sb, "%s%s=%s", i ? ", " : "", sc->answers[i].name,
			    sc->answers[i].value);
	print_field("answers", strbuf_str(&sb));
	strbuf_done(&sb);
}

/* The game master's view: title, the expected decision, the briefing,
 * the scenario's own recovery-time target with its label, why (unless the
 * notes already say it), the expected answers, each injection with its
 * moment, and the scenario's notes. */
static void
print_game_master(const struct pb_scenario *sc)
{
	char *title = sanitize_text(sc->title, strlen(sc->title));

	printf("%s\t%s\t", sc->id, title);
	if (sc->expect_step)
		printf("expect %s = %s", sc->expect_step, sc->expect_option);
	else
		printf("no expected decision");
	printf("\t%zu injection%s", sc->n_injects,
	       sc->n_injects == 1 ? "" : "s");
	putchar('\n');
	free(title);
	if (sc->briefing)
		print_field("briefing", sc->briefing);
	print_target(sc, 1);
	if (sc->description)
		print_field("notes", sc->description);
	if (sc->expect_rationale && !(sc->description &&
				      strstr(sc->description,
					     sc->expect_rationale)))
		print_field("why", sc->expect_rationale);
	print_answers(sc);
	for (size_t i = 0; i < sc->n_injects; i++) {
		char *what = drill_describe_inject(&sc->injects[i]);
		char *when = sc->injects[i].after
			? xasprintf("after %s", sc->injects[i].after)
			: xasprintf("at %llds",
				    (long long)(sc->injects[i].at_us / 1000000));
		char *label = xasprintf("inject %s (%s)", sc->injects[i].id,
					when);

		print_field(label, what);
		free(label);
		free(when);
		free(what);
	}
}

static int
list_scenarios(const char *path, int game_master)
{
	struct err err = { 0 };
	struct playbook *pb = playbook_load_file(path, &err);

	if (!pb) {
		cli_print_error(NULL, err.msg);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < pb->n_scenarios; i++) {
		if (game_master)
			print_game_master(&pb->scenarios[i]);
		else
			print_briefing(i + 1, &pb->scenarios[i]);
	}
	if (pb->n_scenarios == 0)
		printf("%s: no drill scenarios\n", path);
	playbook_free(pb);
	return EXIT_OK;
}

/* Input ended before the session completed: journal that the run
 * stopped there (resumable), so it is not taken for a console that died. */
static void
note_end_of_input(struct batch *b)
{
	struct err err = { 0 };

	if (b->ended || b->quit || !b->eof || b->in.len ||
	    session_is_complete(b->session))
		return;
	if (session_record_quit(b->session, NULL, SESSION_END_OF_INPUT,
				&err) < 0)
		cli_print_error(NULL, err.msg);
}

static int
run_batch(struct batch *b)
{
	fcntl(STDIN_FILENO, F_SETFL,
	      fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	if (loop_add_fd(b->loop, STDIN_FILENO, LOOP_READ, on_stdin, b) == 0)
		b->stdin_watched = 1;
	emit_awaiting(b);
	while (!finished(b)) {
		if (loop_run_once(b->loop, -1) < 0)
			break;
		drain_lines(b);
		testhook_idle();
	}
	if (b->stdin_watched)
		loop_del_fd(b->loop, STDIN_FILENO);
	note_end_of_input(b);
	return session_is_complete(b->session) ? EXIT_OK : EXIT_INCOMPLETE;
}

static void
on_end_signal(int signo, void *arg)
{
	struct batch *b = arg;

	(void)signo;
	b->ended = 1;
}

/* A drill stopped by a signal ends cleanly (its session freed, its clone
 * removed) and says how to resume, as one left incomplete does. */
static void
end_drill_on_signals(struct batch *b)
{
	loop_add_signal(b->loop, SIGHUP, on_end_signal, b, NULL);
	loop_add_signal(b->loop, SIGINT, on_end_signal, b, NULL);
	loop_add_signal(b->loop, SIGTERM, on_end_signal, b, NULL);
}

static void
report_incomplete(struct batch *b, const char *cmd)
{
	char *why;

	if (session_taken_by(b->session))
		return;		/* not this console's to resume */
	why = session_describe_open(b->session);
	fprintf(stderr, "rewind: session %s is not complete (%s); resume it "
		"with: rewind %s %s --batch\n", session_dir(b->session), why,
		cmd, session_dir(b->session));
	free(why);
}

/* How long a batch that ends waits for its last publish (--share). */
#define SHARE_SETTLE_US (15 * 1000000LL)

int
batch_main(const struct cli_opts *o)
{
	struct batch b = { 0 };
	struct clock test_clock;
	const struct clock *clk = NULL;
	struct err err = { 0 };
	int rc;

	if (o->list_scenarios)
		return o->n_args == 1 ? list_scenarios(o->args[0], o->game_master)
				      : EXIT_USAGE;
	rc = testhook_clock(&test_clock, &err);
	if (rc < 0) {
		fprintf(stderr, "rewind: %s\n", err.msg);
		return EXIT_USAGE;
	}
	clk = rc ? &test_clock : NULL;
	signal(SIGPIPE, SIG_IGN);
	b.loop = loop_new(clk);
	b.session = cli_open_session(o, b.loop, clk, on_core_event, &b);
	if (!b.session) {
		loop_free(b.loop);
		return EXIT_USAGE;
	}
	session_set_entry(b.session, "batch");
	if (session_mode(b.session) == SESSION_DRILL)
		end_drill_on_signals(&b);
	rc = run_batch(&b);
	session_share_settle(b.session, SHARE_SETTLE_US);
	if (rc != EXIT_OK)
		report_incomplete(&b, o->command == CMD_RUN ? "run" : "drill");
	session_free(b.session);
	loop_free(b.loop);
	strbuf_done(&b.in);
	return rc;
}
