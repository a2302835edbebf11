/* A session published to a git remote while it runs (share.h): each
 * publish, the first failure of an outage and a refusal are journalled
 * (share.published, share.offline, share.rejected). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "action.h"
#include "clock.h"
#include "err.h"
#include "loop.h"
#include "session.h"
#include "session_int.h"
#include "identity.h"
#include "share.h"
#include "share_inbox.h"
#include "sshsig.h"
#include "xalloc.h"

static void
on_share_result(const struct share_result *r, void *arg)
{
	struct session *s = arg;
	cJSON *p = cJSON_CreateObject();
	struct err err = { 0 };
	const char *type = r->state == SHARE_PUBLISHED ? "share.published"
			 : r->state == SHARE_REJECTED ? "share.rejected"
			 : "share.offline";

	if (r->state == SHARE_OFFLINE && !r->first_failure) {
		cJSON_Delete(p);	/* one event an outage */
		return;
	}
	cJSON_AddStringToObject(p, "remote", r->remote);
	if (r->url && strcmp(r->url, r->remote) != 0)
		cJSON_AddStringToObject(p, "url", r->url);
	cJSON_AddStringToObject(p, "ref", r->ref);
	if (r->state == SHARE_PUBLISHED) {
		cJSON_AddStringToObject(p, "commit", r->commit);
		cJSON_AddStringToObject(p, "head", r->head);
		cJSON_AddNumberToObject(p, "events", (double)r->events);
	} else {
		cJSON_AddStringToObject(p, "why", r->why ? r->why : "");
		if (r->creds) {
			cJSON_AddBoolToObject(p, "needs_credentials", 1);
			cJSON_AddStringToObject(p, "what_to_do", r->creds);
		}
	}
	session_record(s, "rewind", type, NULL, p, &err);
}

/* --- sign-offs from the inbox (share_inbox.h) --------------------------------- */

/* Whether PRINCIPAL (an allowed signers name: "dana" or
 * "dana@example.org") is NAME. */
static int
signer_is(const char *principal, const char *name)
{
	const char *at = strchr(principal, '@');
	char *local = at ? xstrndup(principal, (size_t)(at - principal))
		    : NULL;
	int same = identity_same(principal, name) ||
		   (local && identity_same(local, name));

	free(local);
	return same;
}

/* Who signed R by the playbook's allowed signers (targets.share_signers):
 * *SIGNER the name listed for its key, or NULL when the playbook names
 * none. NULL with *WHY when the request may not be taken: unsigned,
 * a signature that does not verify, or a key listed for someone else. */
static char *
request_signer(const struct session *s, const struct share_request *r,
	       char **why)
{
	const char *allowed = s->pb->targets.share_signers;
	struct err err = { 0 };
	char *who = NULL;

	*why = NULL;
	if (!allowed)
		return NULL;
	if (!r->sig)
		*why = xasprintf("unsigned: this playbook takes sign-offs from "
				 "other machines only when signed with an ssh "
				 "key %s lists (the approver's git: gpg.format "
				 "ssh and user.signingKey)", allowed);
	else if (sshsig_verify(allowed, r->text, r->text_len, r->sig, &who,
			       &err) < 0)
		*why = xasprintf("its signature: %s", err.msg);
	else if (!signer_is(who, r->name)) {
		*why = xasprintf("signed with the key of %s, not of %s (%s "
				 "lists that key as %s's)", who, r->name,
				 allowed, who);
		free(who);
		who = NULL;
	}
	return who;
}

/* A request's signature, checked once: who signed it by the playbook's
 * allowed signers (WHO, or NULL), why it may not be taken for it (WHY, or
 * NULL), and in a word (STATE) for its provenance. */
struct request_sig {
	char *who, *why;
	const char *state;
};

static void
sig_check(const struct session *s, const struct share_request *r,
	  struct request_sig *g)
{
	g->who = g->why = NULL;
	if (!s->pb->targets.share_signers) {
		g->state = r->sig ? "not checked" : "unsigned";
		return;
	}
	g->who = request_signer(s, r, &g->why);
	g->state = g->who ? "verified" : r->sig ? "refused" : "unsigned";
}

static void
sig_done(struct request_sig *g)
{
	free(g->who);
	free(g->why);
}

/* A request that says it was made by the login driving the operator's
 * console on this very host (the operator's own seat) is flagged as a
 * sign-off from the operator's own login, as one typed here is: not
 * refused (an account may be shared), but a reviewer sees it. */
static void
flag_operators_seat(const struct session *s, const struct share_request *r,
		    cJSON *p)
{
	char host[256];

	if (!s->driver_login || !r->login || !r->host ||
	    gethostname(host, sizeof(host)) < 0)
		return;
	host[sizeof(host) - 1] = '\0';
	if (strcmp(r->host, host) != 0 ||
	    !identity_same(r->login, s->driver_login))
		return;
	cJSON_AddStringToObject(p, "operator_login", s->driver_login);
	cJSON_AddBoolToObject(p, "own_login", 1);
}

/* Where a request came from, for the journal: the remote, the login and
 * host it names, its ids, the head it saw and its signature (G). */
static cJSON *
inbox_provenance(const struct session *s, const char *ref_id,
		 const struct share_request *r, const struct request_sig *g)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "via", "remote approve");
	cJSON_AddStringToObject(p, "remote", s->share_remote);
	if (r) {
		cJSON_AddStringToObject(p, "login", r->login);
		cJSON_AddStringToObject(p, "host", r->host);
		cJSON_AddStringToObject(p, "request", r->id);
		cJSON_AddStringToObject(p, "head", r->head);
		cJSON_AddNumberToObject(p, "events", (double)r->events);
	}
	if (g) {
		cJSON_AddStringToObject(p, "signature", g->state);
		if (g->who)
			cJSON_AddStringToObject(p, "signed_by", g->who);
	}
	cJSON_AddStringToObject(p, "inbox_ref", ref_id);
	cJSON_AddStringToObject(p, "operator", s->console_op ? s->console_op
				: s->operator);
	if (r)
		flag_operators_seat(s, r, p);
	return p;
}

/* Journal that the request at REF_ID was refused for WHY (as its signer
 * when that is a name, on its step when there is one). */
static void
refuse_request(struct session *s, const char *ref_id,
	       const struct share_request *r, const struct request_sig *g,
	       const char *name, const char *why)
{
	const char *step = r && session_find_step(s, r->step) ? r->step : NULL;
	cJSON *p = cJSON_CreateObject();
	struct err ignored = { 0 };

	cJSON_AddStringToObject(p, "action", "approve");
	cJSON_AddStringToObject(p, "reason", why);
	if (r) {
		cJSON_AddStringToObject(p, "step", r->step);
		cJSON_AddStringToObject(p, "role", r->role);
		cJSON_AddStringToObject(p, "name", r->name);
	}
	cJSON_AddItemToObject(p, "provenance",
			      inbox_provenance(s, ref_id, r, g));
	session_record(s, name ? name : "rewind", "action.refused", step, p,
		       &ignored);
}

/* Whether the journal already took or refused request ID. */
static int
request_consumed(const struct session *s, const char *id)
{
	char *path = xasprintf("%s/journal.jsonl", s->dir), *line = NULL;
	char *needle = xasprintf("\"request\":\"%s\"", id);
	FILE *f = fopen(path, "r");
	size_t size = 0;
	int found = 0;

	while (!found && f && getline(&line, &size, f) > 0)
		found = strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	free(line);
	free(needle);
	free(path);
	return found;
}

/* Why the request may not be taken for its signature G (NULL when it
 * may): request_signer's reasons, and a key the allowed signers list as
 * the operator's, whatever name the request gives (the principal in full,
 * "alice@team.example", is not the name "alice" but is her key). */
static char *
signed_not_by_operator(const struct session *s, const struct request_sig *g)
{
	const char *op = s->console_op ? s->console_op : s->operator;

	if (g->why)
		return xstrdup(g->why);
	if (g->who && op && signer_is(g->who, op))
		return xasprintf("signed with the key of %s, the operator's "
				 "own (%s cannot approve their own rollback, "
				 "under any name)", g->who, op);
	return NULL;
}

/* NAME (taken) as the person whose key signed the request (G): a key the
 * allowed signers list as "bob@team.example" is bob's whether the request
 * names "bob" or the whole principal, so both count as one person (a
 * second sign-off for a role under the other name is refused as bob's
 * second). NULL with ERR when the principal is no valid name. */
static char *
as_signer(char *name, const struct request_sig *g, struct err *err)
{
	const char *at;
	char *local, *canon;

	if (!g || !g->who || g->why)
		return name;
	at = strchr(g->who, '@');
	local = at ? xstrndup(g->who, (size_t)(at - g->who))
		   : xstrdup(g->who);
	canon = identity_normalize(local, "approve: the signer", err);
	free(local);
	free(name);
	return canon;
}

/* The request's name checked and normalised, its sign-off allowed now
 * and for what the approver saw; NULL (and journalled why) when not. */
static char *
check_request(struct session *s, const char *ref_id,
	      const struct share_request *r, const struct request_sig *g)
{
	struct err err = { 0 };
	char *id = share_session_id(s->dir), *name = NULL, *why = NULL;
	char *now;
	const struct step_rt *rt;

	if (request_consumed(s, r->id))
		why = xasprintf("a replay: request %s was already taken or "
				"refused", r->id);
	else if (strcmp(r->id, ref_id) != 0)
		why = xasprintf("request %s was written under another ref "
				"(%s): a copy, not a request", r->id, ref_id);
	else if (strcmp(r->session, id) != 0)
		why = xasprintf("it was written for session %s", r->session);
	else if ((why = signed_not_by_operator(s, g)))
		;
	else if (!(name = identity_normalize(r->name, "approve", &err)) ||
		 !(name = as_signer(name, g, &err)) ||
		 session_approval_allowed(s, r->step, r->role, name, &err) < 0)
		why = xstrdup(err.msg);
	if (!why) {
		rt = session_find_step(s, r->step);
		now = session_gate_hash(s, rt);
		if (strcmp(now, r->gate_hash) != 0)
			why = xasprintf("approve %s: the commands or variables "
					"it approved have changed since the "
					"approver read the session (at event "
					"%llu)", r->step,
					(unsigned long long)r->events);
		free(now);
	}
	if (why) {
		refuse_request(s, ref_id, r, g, name, why);
		free(why);
		free(name);
		name = NULL;
	}
	free(id);
	return name;
}

static void
on_inbox(const char *ref_id, const struct share_request *r, const char *why,
	 void *arg)
{
	struct session *s = arg;
	struct err err = { 0 };
	struct request_sig g;
	char *name;

	if (session_poll(s, &err) < 0)
		return;
	if (!r) {
		char *text = xasprintf("inbox request %s: %s", ref_id, why);

		refuse_request(s, ref_id, NULL, NULL, NULL, text);
		free(text);
		return;
	}
	sig_check(s, r, &g);
	name = check_request(s, ref_id, r, &g);
	if (name && session_grant_remote(s, r->step, r->role, name,
					 r->comment,
					 inbox_provenance(s, ref_id, r, &g),
					 &err) < 0)
		refuse_request(s, ref_id, r, &g, name, err.msg);
	sig_done(&g);
	free(name);
}

/* The inbox refs the journal already handled: never handled twice. */
static void
mark_handled(struct session *s)
{
	char *path = xasprintf("%s/journal.jsonl", s->dir), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;

	while (f && (n = getline(&line, &size, f)) > 0) {
		cJSON *ev, *pv, *ref;

		if (!strstr(line, "\"inbox_ref\""))
			continue;
		ev = cJSON_ParseWithLength(line, (size_t)n);
		pv = cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "payload"),
					 "provenance");
		ref = cJSON_GetObjectItem(pv, "inbox_ref");
		if (cJSON_IsString(ref))
			share_inbox_seen(s->inbox, ref->valuestring);
		cJSON_Delete(ev);
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
}

/* Whether event SEQ of the journal here is a hand-over (this console's
 * own take, published): events here after the taker's fetch do not hide
 * a take from the console it was taken from. */
static int
own_handover(const struct session *s, uint64_t seq)
{
	char *path = xasprintf("%s/journal.jsonl", s->dir), *line = NULL;
	char *key = xasprintf("{\"seq\":%llu,", (unsigned long long)seq);
	FILE *f = fopen(path, "r");
	size_t size = 0;
	int own = 0;

	while (!own && f && getline(&line, &size, f) > 0)
		own = strncmp(line, key, strlen(key)) == 0 &&
		      strstr(line, "\"type\":\"session.handover\"");
	if (f)
		fclose(f);
	free(line);
	free(key);
	free(path);
	return own;
}

/* The published session's last hand-over is not this console's own:
 * someone else runs it now, and this console only reads. */
static void
on_taken(const char *to, uint64_t seq, void *arg)
{
	struct session *s = arg;

	cJSON *p;
	struct err ignored = { 0 };

	if (s->taken_by || own_handover(s, seq))
		return;
	s->taken_by = xstrdup(to);
	/* Kept in this copy's own journal: it stays read-only when resumed,
	 * whatever the remote's ref says then (put back to an older commit
	 * of this copy's, it would look like this copy's own). */
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "to", to);
	cJSON_AddNumberToObject(p, "handover_seq", (double)seq);
	cJSON_AddStringToObject(p, "remote", session_origin(s) ?
				session_origin(s) : "?");
	session_record(s, "rewind", "share.taken", NULL, p, &ignored);
}

/* Someone else wrote the session's ref while this console was idle. */
static void
on_replaced(const char *theirs, void *arg)
{
	struct session *s = arg;

	if (!s->taken_by)
		share_mark_replaced(s->share, theirs);
}

static void
start_inbox(struct session *s, const char *remote)
{
	char *gitdir = xasprintf("%s/share.git", s->dir);
	char *id = share_session_id(s->dir);

	s->share_remote = xstrdup(remote);
	s->inbox = share_inbox_start(s->loop, share_runner(s->share), gitdir,
				     remote, id, on_inbox, s);
	share_inbox_on_taken(s->inbox, on_taken);
	share_inbox_on_replaced(s->inbox, on_replaced);
	mark_handled(s);
	free(id);
	free(gitdir);
}

int
session_share(struct session *s, const char *remote, struct err *err)
{
	struct share_opts o = {
		.remote = remote, .dir = s->dir, .loop = s->loop,
		.runner = s->runner, .on_result = on_share_result, .arg = s,
	};

	if (!s->loop)
		return err_set(err, ERR_STATE, "--share: this session has no "
			       "event loop to publish on");
	s->share = share_start(&o, err);
	if (s->share)
		start_inbox(s, remote);
	return s->share ? 0 : -1;
}

void
session_set_origin(struct session *s, const char *remote)
{
	free(s->origin);
	s->origin = xstrdup_or_null(remote);
}

const char *
session_origin(const struct session *s)
{
	if (s->origin)
		return s->origin;
	return s->share ? share_url(s->share) : s->share_remote;
}

/* The remote of the journal's last share.published, or NULL. */
char *
session_share_last_remote(const struct session *s)
{
	return session_share_remote_in(s->dir, NULL);
}

/* The remote of DIR's last share.published: its URL (WANT_URL) or as
 * given; *REJECTED as session_share_remote_in says. */
static char *
last_published_to(const char *dir, int want_url, int *rejected)
{
	char *path = xasprintf("%s/journal.jsonl", dir), *line = NULL;
	char *remote = NULL;
	FILE *f = fopen(path, "r");
	size_t size = 0;
	ssize_t n;

	if (rejected)
		*rejected = 0;
	while (f && (n = getline(&line, &size, f)) > 0) {
		cJSON *ev, *p, *r;

		if (strstr(line, "\"type\":\"share.rejected\"") && rejected)
			*rejected = 1;
		if (!strstr(line, "\"type\":\"share.published\""))
			continue;
		if (rejected)
			*rejected = 0;
		ev = cJSON_ParseWithLength(line, (size_t)n);
		p = cJSON_GetObjectItem(ev, "payload");
		r = want_url ? cJSON_GetObjectItem(p, "url") : NULL;
		if (!cJSON_IsString(r))
			r = cJSON_GetObjectItem(p, "remote");
		if (cJSON_IsString(r) && r->valuestring[0]) {
			free(remote);
			remote = xstrdup(r->valuestring);
		}
		cJSON_Delete(ev);
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	return remote;
}

char *
session_share_remote_in(const char *dir, int *rejected)
{
	return last_published_to(dir, 0, rejected);
}

char *
session_share_url_in(const char *dir)
{
	return last_published_to(dir, 1, NULL);
}

char *
session_share_last_url(const struct session *s)
{
	if (s->share)
		return xstrdup(share_url(s->share));
	return last_published_to(s->dir, 1, NULL);
}

int
session_share_text(const struct session *s, char *buf, size_t size)
{
	size_t n = 0;

	if (!s->share && !s->taken_by)
		return 0;
	if (s->taken_by) {
		snprintf(buf, size, "share: TAKEN OVER by %s, who runs the "
			 "session now; this console is read-only",
			 s->taken_by);
		return 1;
	}
	if (s->offer_to) {
		snprintf(buf, size, "handover offered to %s; ", s->offer_to);
		n = strlen(buf);
	}
	share_status_text(s->share, buf + n, size - n);
	return 1;
}

const char *
session_taken_by(const struct session *s)
{
	return s->taken_by;
}

int
session_handover(struct session *s, const char *from, const char *to,
		 const char *remote, const char *offered_to, int forced,
		 struct err *err)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "from", from);
	cJSON_AddStringToObject(p, "to", to);
	cJSON_AddStringToObject(p, "remote", remote);
	if (offered_to)
		cJSON_AddStringToObject(p, "offered_to", offered_to);
	if (offered_to || forced)
		cJSON_AddBoolToObject(p, "forced", forced);
	session_add_workdir(p);	/* the successor's commands run there */
	return session_record(s, to, "session.handover", NULL, p, err);
}

const char *
session_handover_offer(const struct session *s)
{
	return s->offer_to;
}

/* Only the commander offers, or withdraws, the session's hand-over. */
static int
check_commander(const struct session *s, const char *what,
		const char *actor, struct err *err)
{
	if (identity_same(actor, s->operator))
		return 0;
	return err_set(err, ERR_STATE, "%s: only the session's commander (%s) "
		       "offers or withdraws its hand-over; %s does not command "
		       "it", what, s->operator, actor);
}

/* The remote the session is shared to, as its URL (the successor takes
 * it from another machine): this console's, or the last one it was
 * published to. Caller frees; NULL when it never was. */
static char *
shared_remote(const struct session *s)
{
	return session_share_last_url(s);
}

int
session_act_handover(struct session *s, struct step_rt *rt,
		     const struct action *a, const char *actor,
		     struct err *err)
{
	char *to, *remote;
	cJSON *p;
	int rc;

	(void)rt;
	if (check_commander(s, "handover", actor, err) < 0 ||
	    !(to = identity_normalize(a->name, "handover: the successor",
				      err)))
		return -1;
	remote = shared_remote(s);
	if (identity_same(to, s->operator))
		rc = err_set(err, ERR_STATE, "handover %s: %s commands the "
			     "session already", to, s->operator);
	else if (s->offer_to && identity_same(to, s->offer_to))
		rc = err_set(err, ERR_STATE, "handover %s: the hand-over is "
			     "offered to %s already", to, s->offer_to);
	else if (!remote)
		rc = err_set(err, ERR_STATE, "handover %s: the session is not "
			     "shared: run it with --share REMOTE, so that %s "
			     "can take it with rewind run --take "
			     "REMOTE#SESSION", to, to);
	else {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "from", s->operator);
		cJSON_AddStringToObject(p, "to", to);
		cJSON_AddStringToObject(p, "remote", remote);
		if (s->offer_to)
			cJSON_AddStringToObject(p, "replaces", s->offer_to);
		rc = session_record(s, actor, "session.handover_offered", NULL,
				    p, err);
	}
	free(remote);
	free(to);
	return rc;
}

int
session_act_withdraw_handover(struct session *s, struct step_rt *rt,
			      const struct action *a, const char *actor,
			      struct err *err)
{
	cJSON *p;

	(void)rt;
	(void)a;
	if (check_commander(s, "withdraw-handover", actor, err) < 0)
		return -1;
	if (!s->offer_to)
		return err_set(err, ERR_STATE, "withdraw-handover: no hand-over "
			       "is offered");
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "to", s->offer_to);
	return session_record(s, actor, "session.handover_withdrawn", NULL, p,
			      err);
}

int
session_share_state(const struct session *s)
{
	struct share_status st;

	if (!s->share)
		return -1;
	share_status(s->share, &st);
	return (int)st.state;
}

void
session_share_settle(struct session *s, int64_t max_us)
{
	const struct clock *clk = loop_clock(s->loop);
	int64_t end = clock_mono_now(clk) + max_us;
	struct share_status st;

	while (s->share && share_busy(s->share) &&
	       clock_mono_now(clk) < end) {
		share_status(s->share, &st);
		if (st.state == SHARE_OFFLINE)
			break;	/* nothing answers: the next run publishes */
		if (loop_run_once(s->loop, 100000) < 0)
			break;
	}
}
