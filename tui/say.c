/* The console's status-line words for actions: the core's refusals are
 * written for batch mode ("na p.signoff: ..."), which keeps them; here
 * the batch verb becomes what the key did not do, and the batch lines a
 * refusal suggests become the keys that do the same. */
#include "config.h"
#include "say.h"

#include <stdio.h>
#include <string.h>

#include "action.h"
#include "keymap.h"
#include "strbuf.h"

/* What a key's action did not do, as the status line starts. */
static const char *
not_done(enum action_kind kind)
{
	switch (kind) {
	case ACT_SET: return "Not set";
	case ACT_TICK: return "Not ticked";
	case ACT_NA: return "Not marked n/a";
	case ACT_REOPEN: return "Not reopened";
	case ACT_UNTICK: return "Not unticked";
	case ACT_RUN: case ACT_CONFIRM: return "Not run";
	case ACT_CANCEL: return "Nothing stopped";
	case ACT_CHOOSE: return "No decision recorded";
	case ACT_APPROVE: return "Not approved";
	case ACT_SEND: return "Not sent";
	case ACT_NOTE: return "Note not saved";
	case ACT_NEXT: return "Not moved to the next phase";
	case ACT_PREDICT: return "Prediction not recorded";
	default: return "Not done";
	}
}

/* The console's key for what batch verb KIND does, and its words. */
static const char *
key_of(enum action_kind kind, const char **what)
{
	enum uiact act = UI_ACT;

	*what = NULL;
	switch (kind) {
	case ACT_TICK: act = UI_TICK; *what = "ticking"; break;
	case ACT_NA: act = UI_NA; *what = "marking n/a"; break;
	case ACT_CANCEL: act = UI_CANCEL_STEP; *what = "stopping a run"; break;
	case ACT_APPROVE: act = UI_APPROVE; *what = "approving"; break;
	case ACT_SET: act = UI_SET_VAR; *what = "setting a variable"; break;
	case ACT_NEXT: act = UI_NEXT_PHASE; *what = "moving on"; break;
	case ACT_NOTE: act = UI_NOTE; *what = "a note"; break;
	case ACT_RUN: case ACT_CONFIRM: *what = "running"; break;
	case ACT_CHOOSE: *what = "deciding"; break;
	case ACT_SEND: *what = "sending"; break;
	default: break;
	}
	return keymap_key_label(KM_STEPS, act);
}

/* MSG without its batch prefix ("na p.signoff: ", "set NAME: ",
 * "next: "). */
static const char *
strip_prefix(const struct action *act, const char *msg)
{
	const char *verb = action_name(act->kind);
	const char *what = act->step ? act->step : act->name;
	size_t n = strlen(verb);
	const char *p;

	if (strncmp(msg, verb, n) != 0)
		return msg;
	p = msg + n;
	if (*p == ':')
		return p[1] == ' ' ? p + 2 : p + 1;
	if (*p != ' ' || !what || strncmp(p + 1, what, strlen(what)) != 0)
		return msg;
	p += 1 + strlen(what);
	return strncmp(p, ": ", 2) == 0 ? p + 2 : msg;
}

/* Replace FROM (once) in SB by TO. */
static void
replace(struct strbuf *sb, const char *from, const char *to)
{
	char *at;
	struct strbuf out = STRBUF_INIT;

	if (!sb->buf || !(at = strstr(sb->buf, from)))
		return;
	strbuf_addf(&out, "%.*s%s%s", (int)(at - sb->buf), sb->buf, to,
		    at + strlen(from));
	strbuf_done(sb);
	*sb = out;
}

/* Replace the parenthesised batch line opening with FROM (up to its
 * ')') in SB by TO. */
static void
replace_call(struct strbuf *sb, const char *from, const char *to)
{
	char *at, *end;
	struct strbuf out = STRBUF_INIT;

	if (!sb->buf || !(at = strstr(sb->buf, from)) ||
	    !(end = strchr(at, ')')))
		return;
	strbuf_addf(&out, "%.*s%s%s", (int)(at - sb->buf), sb->buf, to,
		    end + 1);
	strbuf_done(sb);
	*sb = out;
}

/* The batch lines a reason may suggest, as the console's keys. */
static void
keys_for_batch_lines(struct strbuf *sb)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "(set it on its input step, or with %s)",
		 keymap_key_label(KM_STEPS, UI_SET_VAR));
	replace_call(sb, "(set it with: set ", buf);
	snprintf(buf, sizeof(buf), "(%s on the step asks for it)",
		 keymap_key_label(KM_STEPS, UI_ACT));
	replace_call(sb, "(confirm ", buf);
	snprintf(buf, sizeof(buf), "(%s on the step runs it)",
		 keymap_key_label(KM_STEPS, UI_ACT));
	replace_call(sb, "(run ", buf);
	snprintf(buf, sizeof(buf), "(%s on the step stops it)",
		 keymap_key_label(KM_STEPS, UI_CANCEL_STEP));
	replace_call(sb, "(cancel ", buf);
}

/* The batch words a reason may hold, as keys of the console. */
static void
keys_for_batch_words(struct strbuf *sb)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "(finish it, then press %s)",
		 keymap_key_label(KM_STEPS, UI_NEXT_PHASE));
	replace(sb, "(finish it, then next)", buf);
	snprintf(buf, sizeof(buf), "(wait for it, or press %s to stop it)",
		 keymap_key_label(KM_STEPS, UI_CANCEL_STEP));
	replace(sb, "(wait for it, or cancel it)", buf);
	replace(sb, "(wait for it or cancel it)", buf);
	snprintf(buf, sizeof(buf), "(select it and press %s)",
		 keymap_key_label(KM_STEPS, UI_APPROVE));
	replace(sb, "(a in the console, or rewind approve)", buf);
}

/* "na applies to ...": the batch verb becomes the key and its words. */
static void
key_for_verb(struct strbuf *sb, const struct action *act)
{
	const char *verb = action_name(act->kind), *what, *key;
	char from[64], to[96];

	key = key_of(act->kind, &what);
	snprintf(from, sizeof(from), "%s applies to ", verb);
	if (!what || strncmp(strbuf_str(sb), from, strlen(from)) != 0)
		return;
	snprintf(to, sizeof(to), "%s (%s) applies to ", key, what);
	replace(sb, from, to);
}

void
say_refusal(const struct action *act, const char *msg, char *buf,
	    size_t size)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s", strip_prefix(act, msg));
	keys_for_batch_words(&sb);
	keys_for_batch_lines(&sb);
	key_for_verb(&sb, act);
	snprintf(buf, size, "%s: %s", not_done(act->kind), strbuf_str(&sb));
	strbuf_done(&sb);
}

void
say_done(const struct action *act, int started, char *buf, size_t size)
{
	const char *step = act->step ? act->step : "";

	switch (act->kind) {
	case ACT_TICK: snprintf(buf, size, "%s ticked", step); break;
	case ACT_NA: snprintf(buf, size, "%s marked n/a", step); break;
	case ACT_REOPEN: snprintf(buf, size, "%s reopened", step); break;
	case ACT_UNTICK: snprintf(buf, size, "%s unticked", step); break;
	case ACT_CANCEL: snprintf(buf, size, "%s: stop sent", step); break;
	case ACT_SEND: snprintf(buf, size, "%s sent", step); break;
	case ACT_RUN: case ACT_CONFIRM:
		snprintf(buf, size, "%s %s", step, started ? "started"
			 : "done");
		break;
	default: snprintf(buf, size, "%s done", step); break;
	}
}
