/* One sentence per journal event type; the table below is the only place
 * that turns type names into words. */
#include "config.h"
#include "evtext.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonutf8.h"
#include "identity.h"
#include "sessions.h"
#include "strbuf.h"
#include "timefmt.h"
#include "xalloc.h"

struct ev {
	const char *type, *actor, *step;
	const cJSON *p;
};

static const char *
str(const cJSON *o, const char *key, const char *dflt)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return v ? v : dflt;
}

static const char *
pay(const struct ev *e, const char *key)
{
	return str(e->p, key, "?");
}

char *
evtext_own_login(const cJSON *p)
{
	const cJSON *pv = cJSON_GetObjectItem(p, "provenance");

	if (!cJSON_IsTrue(cJSON_GetObjectItem(pv, "own_login")))
		return NULL;
	/* a refused sign-off carries the reason: it was tried, not signed */
	return xasprintf("%s as %s by login %s, the operator's own login",
			 cJSON_GetObjectItem(p, "reason") ? "tried" : "signed",
			 str(p, "name", str(p, "name_given", "?")),
			 str(pv, "login", "?"));
}

char *
evtext_provenance(const cJSON *p, int full)
{
	const cJSON *pv = cJSON_GetObjectItem(p, "provenance");
	const char *via = str(pv, "via", NULL), *op = str(pv, "operator", "?");
	const char *tty = str(pv, "tty", NULL);
	struct strbuf sb = STRBUF_INIT;
	char *own;

	if (!via)
		return xstrdup("provenance not recorded");
	if (strcmp(via, "console") == 0)
		strbuf_addf(&sb, "entered at %s's console", op);
	else if (strcmp(via, "batch") == 0)
		strbuf_addf(&sb, "entered in %s's batch run", op);
	else if (strcmp(via, "watch") == 0)
		strbuf_adds(&sb, "signed from rewind watch");
	else if (strcmp(via, "rewind approve") == 0)
		strbuf_adds(&sb, "signed with rewind approve");
	else if (strcmp(via, "remote approve") == 0) {
		const char *sig = str(pv, "signature", NULL);

		strbuf_addf(&sb, "from %s", str(pv, "remote", "?"));
		if (cJSON_GetObjectItem(pv, "signed_by"))
			strbuf_addf(&sb, ", signed with %s's ssh key",
				    str(pv, "signed_by", "?"));
		if (full)
			strbuf_addf(&sb, " by login %s on host %s",
				    str(pv, "login", "?"), str(pv, "host", "?"));
		if (full && sig && strcmp(sig, "unsigned") == 0)
			strbuf_adds(&sb, " (unsigned: as the request says)");
		else if (full && sig && strcmp(sig, "not checked") == 0)
			strbuf_adds(&sb, " (signed; not checked: the playbook "
				    "names no share_signers)");
		if ((own = evtext_own_login(p))) {
			strbuf_addf(&sb, "; %s on the operator's host", own);
			free(own);
		}
		return strbuf_detach(&sb);
	} else
		strbuf_addf(&sb, "entered via %s", via);
	if (full)
		strbuf_addf(&sb, " (login %s on %s%s%s)", str(pv, "login", "?"),
			    str(pv, "host", "?"), tty ? ", " : "",
			    tty ? tty : "");
	own = evtext_own_login(p);
	if (own)
		strbuf_addf(&sb, "; %s", own);
	free(own);
	return strbuf_detach(&sb);
}

static void
on_approval(const struct ev *e, struct strbuf *sb)
{
	char *where = cJSON_GetObjectItem(e->p, "provenance")
		? evtext_provenance(e->p, 1) : NULL;

	char *who = identity_display(pay(e, "name"));

	strbuf_addf(sb, "%s approved as %s", who, pay(e, "role"));
	free(who);
	if (where)	/* a journal from before it was recorded has none */
		strbuf_addf(sb, ", %s", where);
	free(where);
}

static void
on_voided(const struct ev *e, struct strbuf *sb)
{
	char *who = identity_display(pay(e, "name"));

	strbuf_addf(sb, "the approval by %s as %s was voided: %s",
		    who, pay(e, "role"), pay(e, "reason"));
	free(who);
}

static void
on_refused(const struct ev *e, struct strbuf *sb)
{
	const char *remote = str(cJSON_GetObjectItem(e->p, "provenance"),
				 "remote", NULL);
	char *where = cJSON_GetObjectItem(e->p, "provenance") && !remote
		? evtext_provenance(e->p, 1) : NULL;

	const char *step = e->step[0] ? e->step : str(e->p, "step", "request");
	const char *tried = str(e->p, "name_given", NULL);
	const char *name = str(e->p, "name", NULL);

	/* A name that is not the actor (one with no normal form is refused
	 * under the login that typed it) is named apart from the login:
	 * nobody tried to sign as the login. */
	if (!tried && name && strcmp(name, e->actor) != 0)
		tried = name;
	/* A sign-off from the inbox names its remote first: the status line
	 * may cut what follows. */
	if (remote && strcmp(e->actor, "rewind") == 0)	/* no name taken */
		strbuf_addf(sb, "a request to %s %s as '%s'", pay(e, "action"),
			    step, str(e->p, "name", "?"));
	else if (tried && strcmp(pay(e, "action"), "approve") == 0)
		strbuf_addf(sb, "approve %s as \"%s\" by login %s", step,
			    tried, str(cJSON_GetObjectItem(e->p, "provenance"),
				       "login", e->actor));
	else
		strbuf_addf(sb, "%s's %s %s", e->actor, pay(e, "action"),
			    step);
	if (remote)
		strbuf_addf(sb, " from %s", remote);
	strbuf_addf(sb, " was refused: %s", pay(e, "reason"));
	if (where)	/* a refused sign-off: who tried, from where */
		strbuf_addf(sb, "; %s", where);
	free(where);
}

/* "exit 0", "killed by signal 15": how a finished run ended. */
static void
add_exit(const struct ev *e, struct strbuf *sb)
{
	const cJSON *code = cJSON_GetObjectItem(e->p, "exit");
	const cJSON *signo = cJSON_GetObjectItem(e->p, "signal");

	if (cJSON_IsNumber(signo) && signo->valueint > 0)
		strbuf_addf(sb, "killed by signal %d", signo->valueint);
	else
		strbuf_addf(sb, "exit %d", cJSON_IsNumber(code)
			    ? code->valueint : -1);
}

/* A run that ended after its console quit, as its keeper recorded:
 * "ended after the console quit: exit 0 at 10:41:07". */
static void
finished_kept(const struct ev *e, struct strbuf *sb)
{
	char when[40];

	timefmt_rfc3339(str(e->p, "ended", ""), TF_HMS, when, sizeof(when));
	strbuf_addf(sb, "%s ended after the console quit: ", e->step);
	add_exit(e, sb);
	strbuf_addf(sb, " at %s (its keeper's record)", when);
	if (strcmp(str(e->p, "outcome", ""), "unknown") == 0)
		strbuf_adds(sb, "; it was stopped while it ran: outcome "
			      "unknown (its command may have acted)");
	else if (!cJSON_IsTrue(cJSON_GetObjectItem(e->p, "ok")))
		strbuf_addf(sb, "; failed: %s", pay(e, "reason"));
}

static void
on_finished(const struct ev *e, struct strbuf *sb)
{
	const cJSON *exit_code = cJSON_GetObjectItem(e->p, "exit");

	if (strcmp(str(e->p, "recorded_by", ""), "keeper") == 0) {
		finished_kept(e, sb);
		return;
	}
	if (cJSON_IsTrue(cJSON_GetObjectItem(e->p, "ok")))
		strbuf_addf(sb, "%s finished", e->step);
	else if (strcmp(str(e->p, "outcome", ""), "unknown") == 0) {
		strbuf_addf(sb, "%s was cancelled while it ran: outcome unknown "
			    "(its command may have acted)", e->step);
		return;
	} else
		strbuf_addf(sb, "%s failed", e->step);
	if (cJSON_IsNumber(exit_code))
		strbuf_addf(sb, " (exit %d)", exit_code->valueint);
	if (str(e->p, "reason", NULL))
		strbuf_addf(sb, ": %s", pay(e, "reason"));
}

static void
on_reopened(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s reopened: %s", e->step, pay(e, "reason"));
}

static void
on_var(const struct ev *e, struct strbuf *sb)
{
	if (cJSON_IsTrue(cJSON_GetObjectItem(e->p, "secret")))
		strbuf_addf(sb, "%s set %s (secret)", e->actor, pay(e, "name"));
	else
		strbuf_addf(sb, "%s set %s to %s", e->actor, pay(e, "name"),
			    pay(e, "value"));
	if (str(e->p, "warning", NULL))
		strbuf_addf(sb, " (%s)", str(e->p, "warning", ""));
}

static void
on_phase(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s moved on from %s to %s", e->actor, pay(e, "from"),
		    pay(e, "to"));
}

static void
on_decision(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s chose %s at %s", e->actor, pay(e, "option"),
		    e->step);
}

static void
on_message(const struct ev *e, struct strbuf *sb)
{
	const char *what = strchr(e->type, '.') + 1;

	strbuf_addf(sb, "message %s %s", e->step,
		    strcmp(what, "failed") == 0 ? "not delivered yet" : what);
}

/* "SIGHUP (the terminal closed)" for a quit's HOW. */
static const char *
quit_how(const char *how)
{
	if (strcmp(how, "SIGHUP") == 0)
		return "on SIGHUP (the terminal closed)";
	if (strcmp(how, "SIGTERM") == 0)
		return "on SIGTERM (it was told to stop)";
	if (strcmp(how, SESSION_END_OF_INPUT) == 0)
		return "at the end of its input (a batch run; resumable)";
	return NULL;
}

void
evtext_quit(const cJSON *p, struct strbuf *sb)
{
	const char *how = str(p, "how", "quit");
	const cJSON *r, *running = cJSON_GetObjectItem(p, "running");
	int n = 0;

	if (quit_how(how))
		strbuf_addf(sb, "the console ended %s", quit_how(how));
	else
		strbuf_adds(sb, "the console was closed");
	cJSON_ArrayForEach(r, running) {
		const cJSON *pid = cJSON_GetObjectItem(r, "pid");

		strbuf_addf(sb, "%s%s", n++ ? ", " : " while ",
			    str(r, "step", "?"));
		if (cJSON_IsNumber(pid))
			strbuf_addf(sb, " (pid %d)", pid->valueint);
	}
	if (n)
		strbuf_adds(sb, " ran");
	strbuf_adds(sb, "; the session can be resumed");
}

static void
on_operator_changed(const struct ev *e, struct strbuf *sb)
{
	char *from = identity_display(pay(e, "from"));
	char *to = identity_display(pay(e, "to"));

	strbuf_addf(sb, "the operator changed from %s to %s", from, to);
	free(from);
	free(to);
}

static void
on_quit(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s: ", e->actor);
	evtext_quit(e->p, sb);
}

static int
pid_of(const struct ev *e)
{
	const cJSON *pid = cJSON_GetObjectItem(e->p, "pid");

	return cJSON_IsNumber(pid) ? pid->valueint : 0;
}

static void
on_spawned(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s's command is running (pid %d)", e->step,
		    pid_of(e));
}

static void
on_orphan(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s's run from the previous console is still running "
		    "(pid %d)", e->step, pid_of(e));
}

static void
on_orphan_stop(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s stopped %s's run from the previous console (pid "
		    "%d)", e->actor, e->step, pid_of(e));
}

static void
on_orphan_ended(const struct ev *e, struct strbuf *sb)
{
	const char *outcome = str(e->p, "outcome", "unknown");
	char when[40];

	strbuf_addf(sb, "%s's run from the previous console (pid %d) %s",
		    e->step, pid_of(e), str(e->p, "how", "ended"));
	if (strcmp(outcome, "unknown") != 0) {
		timefmt_rfc3339(str(e->p, "ended", ""), TF_HMS, when,
				sizeof(when));
		strbuf_addf(sb, ": %s at %s (its keeper's record)",
			    pay(e, "outcome"), when);
	} else if (str(e->p, "exit_status", NULL)) {
		timefmt_rfc3339(str(e->p, "ended", ""), TF_HMS, when,
				sizeof(when));
		strbuf_addf(sb, "; outcome unknown (%s at %s, its keeper's "
			    "record)", pay(e, "exit_status"), when);
	} else if (str(e->p, "keeper", NULL)) {
		strbuf_adds(sb, "; outcome unknown: its keeper was stopped "
			      "before it recorded the exit status");
	} else {
		strbuf_adds(sb, "; outcome unknown");
	}
}

static void
on_share(const struct ev *e, struct strbuf *sb)
{
	const char *remote = str(e->p, "remote", "the remote");
	const cJSON *n = cJSON_GetObjectItem(e->p, "events");

	if (strcmp(e->type, "share.published") == 0)
		strbuf_addf(sb, "published %d events to %s (head %.16s)",
			    cJSON_IsNumber(n) ? n->valueint : 0, remote,
			    str(e->p, "head", "?"));
	else if (strcmp(e->type, "share.offline") == 0 &&
		 cJSON_IsTrue(cJSON_GetObjectItem(e->p, "needs_credentials")))
		strbuf_addf(sb, "share: needs credentials: %s asked for a login "
			    "(%s); %s", remote, str(e->p, "why", ""),
			    str(e->p, "what_to_do", ""));
	else if (strcmp(e->type, "share.offline") == 0)
		strbuf_addf(sb, "%s does not answer: publishing again when it "
			    "does (%s)", remote, str(e->p, "why", ""));
	else
		strbuf_addf(sb, "%s refused the publish: someone else wrote %s "
			    "(never forced; %s)", remote, str(e->p, "ref", "?"),
			    str(e->p, "why", ""));
}

static void
on_taken(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s took the session over through %s (its event "
		    "%d): this copy only reads from here on", pay(e, "to"),
		    pay(e, "remote"),
		    cJSON_GetObjectItem(e->p, "handover_seq")
			    ? cJSON_GetObjectItem(e->p, "handover_seq")->valueint
			    : 0);
}

static void
on_handover(const struct ev *e, struct strbuf *sb)
{
	const cJSON *forced = cJSON_GetObjectItem(e->p, "forced");

	strbuf_addf(sb, "%s took the session over from %s (through %s)",
		    pay(e, "to"), pay(e, "from"), pay(e, "remote"));
	if (cJSON_IsTrue(forced) && cJSON_GetObjectItem(e->p, "offered_to"))
		strbuf_addf(sb, ", forced: it was offered to %s",
			    pay(e, "offered_to"));
	else if (cJSON_IsTrue(forced))
		strbuf_addf(sb, ", forced: %s had neither offered it nor quit",
			    pay(e, "from"));
	else if (cJSON_GetObjectItem(e->p, "offered_to"))
		strbuf_adds(sb, ", as offered");
}

/* The commander's offer of the session to a successor, or its
 * withdrawal. */
static void
on_handover_offer(const struct ev *e, struct strbuf *sb)
{
	if (strcmp(e->type, "session.handover_withdrawn") == 0) {
		strbuf_addf(sb, "%s withdrew the hand-over offered to %s",
			    e->actor, pay(e, "to"));
		return;
	}
	strbuf_addf(sb, "%s offered the session to %s (who takes it with "
		    "--take through %s)", e->actor, pay(e, "to"),
		    pay(e, "remote"));
	if (cJSON_GetObjectItem(e->p, "replaces"))
		strbuf_addf(sb, ", instead of %s", pay(e, "replaces"));
}

/* Sentences that name only the actor (@) and the step (#). */
static const struct {
	const char *type, *fmt;
} simple[] = {
	{ "session.started", "@ started the session" },
	{ "session.resumed", "@ resumed the session" },
	{ "session.completed", "@ completed the session" },
	{ "step.ticked", "@ ticked #" },
	{ "step.unticked", "@ unticked #" },
	{ "step.na", "@ marked # not applicable" },
	{ "step.skipped", "@ skipped #" },
	{ "step.started", "@ started #" },
	{ "step.confirmed", "@ typed the confirmation of #" },
	{ "step.confirm_mismatch", "@ mistyped the confirmation of #" },
	{ "step.predicted", "@ predicted the outcome of #" },
	{ "step.interrupted", "# was interrupted: the console ended while "
	  "it ran (outcome unknown)" },
	{ "note.added", "@ added a note" },
	{ "reminder.due", "an update is due (#)" },
	{ "reminder.sent", "@ sent the due update" },
	{ "reminder.dismissed", "@ dismissed the update reminder" },
	{ "drill.clone", "@ changed the drill's real runs in the clone" },
	{ "drill.world", "# changed the drill's world (tags, registry)" },
	{ "drill.scorecard", "the drill's score card is ready" },
	{ "log.threshold", "a log pattern went over its threshold" },
	{ "journal.truncated", "@ cut a torn last line of the journal" },
	{ "registry.answer", "the registry answered (versions and tags "
	  "read)" },
	{ "tags.answer", "the git tags were read" },
};

/* A scenario's injection, a fault or a fix alike: named, and by whom
 * (the scenario's script, or the game master who fired it). */
static void
on_inject(const struct ev *e, struct strbuf *sb)
{
	const char *id = str(e->p, "id", "an event");

	if (strcmp(e->actor, "scenario") == 0)
		strbuf_addf(sb, "the scenario injected %s", id);
	else
		strbuf_addf(sb, "the game master (%s) injected %s", e->actor,
			    id);
}

static const struct {
	const char *type;
	void (*fn)(const struct ev *e, struct strbuf *sb);
} special[] = {
	{ "approval.granted", on_approval }, { "approval.voided", on_voided },
	{ "action.refused", on_refused }, { "step.finished", on_finished },
	{ "var.set", on_var }, { "phase.advanced", on_phase },
	{ "decision.made", on_decision }, { "message.sent", on_message },
	{ "message.queued", on_message }, { "message.delivered", on_message },
	{ "message.failed", on_message }, { "step.spawned", on_spawned },
	{ "step.orphan", on_orphan }, { "step.orphan_stop", on_orphan_stop },
	{ "step.orphan_ended", on_orphan_ended },
	{ "step.reopened", on_reopened }, { "session.quit", on_quit },
	{ "session.operator_changed", on_operator_changed },
	{ "share.published", on_share }, { "share.offline", on_share },
	{ "share.rejected", on_share }, { "session.handover", on_handover },
	{ "share.taken", on_taken },
	{ "session.handover_offered", on_handover_offer },
	{ "session.handover_withdrawn", on_handover_offer },
	{ "drill.inject", on_inject },
};

/* A type without a sentence: its words, "probe url" for "probe.url". */
static void
plain_words(const struct ev *e, struct strbuf *sb)
{
	strbuf_addf(sb, "%s: ", e->actor);
	for (const char *c = e->type; *c; c++)
		strbuf_addc(sb, *c == '.' || *c == '_' ? ' ' : *c);
	if (*e->step)
		strbuf_addf(sb, " (%s)", e->step);
}

/* TEMPLATE with @ as the actor and # as the step. */
static void
fill(const struct ev *e, const char *template, struct strbuf *sb)
{
	for (const char *c = template; *c; c++) {
		if (*c == '@')
			strbuf_adds(sb, e->actor);
		else if (*c == '#')
			strbuf_adds(sb, e->step);
		else
			strbuf_addc(sb, *c);
	}
}

static void
describe(const struct ev *e, struct strbuf *sb)
{
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcmp(e->type, special[i].type) == 0) {
			special[i].fn(e, sb);
			return;
		}
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcmp(e->type, simple[i].type) == 0) {
			fill(e, simple[i].fmt, sb);
			return;
		}
	plain_words(e, sb);
}

char *
evtext_describe(const cJSON *ev)
{
	struct strbuf sb = STRBUF_INIT;
	struct ev e = {
		.type = str(ev, "type", "event"),
		.actor = str(ev, "actor", "someone"),
		.step = str(ev, "step", ""),
		.p = cJSON_GetObjectItem(ev, "payload"),
	};

	describe(&e, &sb);
	return strbuf_detach(&sb);
}

char *
evtext_line(const char *line)
{
	cJSON *ev = jsonutf8_parse(line, strlen(line), NULL);
	char *text;

	if (!ev)
		return NULL;
	text = evtext_describe(ev);
	cJSON_Delete(ev);
	return text;
}
