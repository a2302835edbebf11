/* The session's live sources: one watcher per target, each reporting to
 * the session's listener and journal (see sources.h for the events). The
 * watchers are independent: one that cannot start leaves an error in its
 * status and the others go on. */
#include "config.h"
#include "sources.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "http.h"
#include "logwatch.h"
#include "regconf.h"
#include "registry.h"
#include "regwatch.h"
#include "session_int.h"
#include "tags.h"
#include "tagwatch.h"
#include "xalloc.h"

#define JOURNAL_MAX_TAGS 200	/* tags kept in a tags.answer event */
#define SOURCES_ACTOR "rewind"

struct src_log {
	struct sources *src;
	const struct pb_log *def;
	char *path;
	struct logwatch *w;
	size_t *counters;	/* per pattern of def */
};

struct src_reg {
	struct sources *src;
	const struct pb_registry *def;
	struct regwatch *w;
	struct reg_answer *injected;	/* drill state, wins over W */
	struct reg_answer *placeholder;	/* shown when there is neither */
	char *last_json;		/* last journalled answer's key */
};

struct probe_counter {
	const char *step;	/* step id (the playbook's) */
	size_t counter;
};

struct sources {
	struct session *s;
	struct http *http;
	struct tagwatch *tags;
	struct tag_list *tags_injected;
	char *tags_last_json;
	struct src_log *logs;
	size_t n_logs;
	struct src_reg *regs;
	size_t n_regs;
	struct probe_counter *pcs;
	size_t n_pcs;
	struct regconf_opts conf;
};

/* --- reporting -------------------------------------------------------------------- */

static void
emit(struct sources *src, const struct core_event *ev)
{
	if (src->s->listener)
		src->s->listener(ev, src->s->listener_arg);
}

static void
journal(struct sources *src, const char *type, cJSON *payload)
{
	struct err err;

	/* A complete session, or one taken over by someone else, no longer
	 * changes: its panes may look, its journal takes nothing more. */
	if (session_is_complete(src->s) || session_taken_by(src->s)) {
		cJSON_Delete(payload);
		return;
	}
	/* A failed write is not fatal here: the next change tries again. */
	session_record(src->s, SOURCES_ACTOR, type, NULL, payload, &err);
}

/* --- tags ------------------------------------------------------------------------- */

static void
on_tags(const struct tag_list *list, void *arg)
{
	struct sources *src = arg;
	cJSON *json = tag_list_to_json(list, JOURNAL_MAX_TAGS);
	char *text = cJSON_PrintUnformatted(json);

	if (src->tags_injected ||
	    (src->tags_last_json && strcmp(text, src->tags_last_json) == 0)) {
		cJSON_Delete(json);
		free(text);
		return;
	}
	free(src->tags_last_json);
	src->tags_last_json = text;
	journal(src, "tags.answer", json);
}

static const char *
git_path(const struct sources *src)
{
	const char *p = src->s->pb->targets.git_path;

	return p ? p : ".";
}

static void
start_tags(struct sources *src)
{
	struct err err;

	src->tags = tagwatch_new(src->s->loop, git_path(src), on_tags, src,
				 &err);
	if (!src->tags)
		src->tags_injected = tag_list_new_error(git_path(src), err.msg);
}

/* --- logs ------------------------------------------------------------------------- */

static void
on_log_line(const char *line, size_t len, int flags, void *arg)
{
	struct src_log *l = arg;
	struct core_event ev = {
		.kind = CORE_EV_LOG, .line = line, .step = l->def->name,
		.type = flags & LOGWATCH_NOTICE ? "notice"
			: flags & LOGWATCH_BACKLOG ? "backlog" : "line",
		.history = (flags & LOGWATCH_BACKLOG) != 0,
	};

	(void)len;
	emit(l->src, &ev);
}

static void
on_log_threshold(size_t i, int count, void *arg)
{
	struct src_log *l = arg;
	cJSON *p;

	for (size_t k = 0; k < l->def->n_patterns; k++) {
		const struct pb_log_pattern *pat = &l->def->patterns[k];

		if (l->counters[k] != i)
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "log", l->def->name);
		cJSON_AddStringToObject(p, "pattern", pat->name);
		cJSON_AddNumberToObject(p, "count", count);
		cJSON_AddNumberToObject(p, "threshold", pat->threshold);
		cJSON_AddNumberToObject(p, "window_s",
					(double)(pat->window_us / 1000000));
		journal(l->src, "log.threshold", p);
	}
}

/* Relative log paths are where the playbook's commands run: the git
 * target when there is one. */
static char *
resolve_log_path(const struct sources *src, const char *path)
{
	const char *base = src->s->pb->targets.git_path;

	if (path[0] == '/' || !base)
		return xstrdup(path);
	return xasprintf("%s/%s", base, path);
}

static void
start_log(struct sources *src, struct src_log *l)
{
	struct logwatch_opts o = {
		.on_line = on_log_line, .on_threshold = on_log_threshold,
		.arg = l,
	};

	l->path = resolve_log_path(src, l->def->path);
	o.path = l->path;
	l->w = logwatch_new(src->s->loop, &o);
	for (size_t k = 0; k < l->def->n_patterns; k++) {
		const struct pb_log_pattern *pat = &l->def->patterns[k];

		l->counters[k] = logwatch_add_counter(l->w, &pat->re,
						      pat->threshold,
						      pat->window_us);
	}
}

static long
log_index(const struct sources *src, const char *name)
{
	for (size_t i = 0; src && name && i < src->n_logs; i++)
		if (strcmp(src->logs[i].def->name, name) == 0)
			return (long)i;
	return -1;
}

/* Log probes count with counters of their own, from the session's start,
 * so their window is full when they run. */
static void
add_probe_counters(struct sources *src)
{
	const struct playbook *pb = src->s->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];
			long li = st->kind == STEP_KIND_PROBE &&
				  st->probe.type == PROBE_LOG_COUNT
				? log_index(src, st->probe.log) : -1;
			struct probe_counter *pc;

			if (li < 0 || !src->logs[li].w)
				continue;
			src->pcs = xrealloc(src->pcs, (src->n_pcs + 1) *
						      sizeof(*src->pcs));
			pc = &src->pcs[src->n_pcs++];
			pc->step = st->id;
			pc->counter = logwatch_add_counter(
				src->logs[li].w, &st->probe.re, 0,
				st->probe.window_us);
		}
	}
}

/* --- registries ------------------------------------------------------------------- */

/* What of a registry answer (JSON text) counts as a change: not when or
 * from where it was fetched (a refresh or the disk cache give the same
 * answer again). Caller frees; NULL when TEXT is not JSON. */
static char *
registry_answer_key(const char *text)
{
	static const char *const volatile_fields[] = {
		"fetched_at", "stale", "etag", "last_modified", "source",
	};
	cJSON *a = cJSON_Parse(text);
	char *key;

	if (!a)
		return NULL;
	for (size_t i = 0; i < sizeof(volatile_fields) /
			       sizeof(volatile_fields[0]); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(a, volatile_fields[i]);
	key = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return key;
}

static void
on_registry(const struct reg_answer *a, void *arg)
{
	struct src_reg *r = arg;
	char *text, *key;
	cJSON *p, *answer;

	if (r->injected)
		return;
	text = reg_answer_to_json(a);
	key = registry_answer_key(text);
	if (r->last_json && key && strcmp(key, r->last_json) == 0) {
		free(key);
		free(text);
		return;
	}
	answer = cJSON_Parse(text);
	free(text);
	free(r->last_json);
	r->last_json = key;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "name", r->def->name);
	cJSON_AddItemToObject(p, "answer", answer ? answer
					    : cJSON_CreateNull());
	journal(r->src, "registry.answer", p);
}

static void
start_registry(struct sources *src, struct src_reg *r)
{
	struct regwatch_opts o = { .conf = &src->conf };

	r->w = regwatch_new(src->s->loop, src->http, r->def->type, r->def->name,
			    r->def->url, &o, on_registry, r);
}

/* --- life ------------------------------------------------------------------------- */

/* What a drill's registry pane says when its scenario gives no answer. */
static const char *
drill_registry_note(const struct session *s)
{
	return session_scenario(s)
	       ? "no answer in this drill: its scenario gives none, and a "
		 "drill asks no registry"
	       : "no answer in this drill: it runs without a scenario, and a "
		 "drill asks no registry";
}

static void
alloc_targets(struct sources *src)
{
	const struct pb_targets *t = &src->s->pb->targets;

	src->n_logs = t->n_logs;
	src->logs = xcalloc(t->n_logs ? t->n_logs : 1, sizeof(*src->logs));
	for (size_t i = 0; i < t->n_logs; i++) {
		src->logs[i].src = src;
		src->logs[i].def = &t->logs[i];
		src->logs[i].counters = xcalloc(t->logs[i].n_patterns + 1,
						sizeof(size_t));
	}
	src->n_regs = t->n_registries;
	src->regs = xcalloc(t->n_registries ? t->n_registries : 1,
			    sizeof(*src->regs));
	for (size_t i = 0; i < t->n_registries; i++) {
		src->regs[i].src = src;
		src->regs[i].def = &t->registries[i];
		src->regs[i].placeholder = reg_answer_new(
			t->registries[i].type, t->registries[i].name);
		if (src->s->mode == SESSION_DRILL)
			reg_answer_set_note(src->regs[i].placeholder,
					    drill_registry_note(src->s));
	}
}

/* The answer text a resumed session journalled last under KEY, copied. */
static char *
last_answer(const struct session *s, const char *key)
{
	const char *text = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(s->answers, key));

	return xstrdup_or_null(text);
}

/* A resumed session journals an answer only when it differs from the
 * one its journal already holds. */
static void
seed_last_answers(struct sources *src)
{
	src->tags_last_json = last_answer(src->s, "tags");
	for (size_t i = 0; i < src->n_regs; i++) {
		char *key = xasprintf("registry:%s", src->regs[i].def->name);

		char *text = last_answer(src->s, key);

		src->regs[i].last_json = text ? registry_answer_key(text) : NULL;
		free(text);
		free(key);
	}
}

struct sources *
sources_new(struct session *s, struct err *err)
{
	struct sources *src = xcalloc(1, sizeof(*src));

	src->s = s;
	src->conf.project_dir = s->pb->targets.git_path;
	alloc_targets(src);
	if (!s->loop || s->mode != SESSION_LIVE)
		return src;	/* a drill: state comes from the scenario */
	src->http = http_new(s->loop, err);
	if (!src->http) {
		sources_free(src);
		return NULL;
	}
	seed_last_answers(src);
	start_tags(src);
	for (size_t i = 0; i < src->n_logs; i++)
		start_log(src, &src->logs[i]);
	add_probe_counters(src);
	for (size_t i = 0; i < src->n_regs; i++)
		start_registry(src, &src->regs[i]);
	return src;
}

void
sources_free(struct sources *src)
{
	if (!src)
		return;
	tagwatch_free(src->tags);
	tag_list_free(src->tags_injected);
	free(src->tags_last_json);
	for (size_t i = 0; i < src->n_logs; i++) {
		logwatch_free(src->logs[i].w);
		free(src->logs[i].path);
		free(src->logs[i].counters);
	}
	free(src->logs);
	for (size_t i = 0; i < src->n_regs; i++) {
		regwatch_free(src->regs[i].w);
		reg_answer_free(src->regs[i].injected);
		reg_answer_free(src->regs[i].placeholder);
		free(src->regs[i].last_json);
	}
	free(src->regs);
	free(src->pcs);
	http_free(src->http);
	free(src);
}

/* --- drill state ------------------------------------------------------------------ */

static void
inject_tags(struct sources *src, const cJSON *tags)
{
	struct err err;

	tag_list_free(src->tags_injected);
	src->tags_injected = NULL;
	if (!tags)
		return;
	src->tags_injected = tag_list_from_json(tags, &err);
	if (!src->tags_injected)
		src->tags_injected = tag_list_new_error(git_path(src), err.msg);
}

static void
inject_registry(struct src_reg *r, const cJSON *json)
{
	enum reg_type t = r->def->type;
	struct err err;
	char *text;

	reg_answer_free(r->injected);
	r->injected = NULL;
	if (!json)
		return;
	text = cJSON_PrintUnformatted(json);
	r->injected = reg_answer_from_json(text, strlen(text), t,
					   r->def->name, &err);
	if (!r->injected) {
		r->injected = reg_answer_new(t, r->def->name);
		reg_answer_set_error(r->injected, err.msg);
	}
	free(text);
}

void
sources_set_state(struct sources *src, const cJSON *state)
{
	const cJSON *regs = cJSON_GetObjectItemCaseSensitive(state, "registry");

	if (!src)
		return;
	inject_tags(src, cJSON_GetObjectItemCaseSensitive(state, "tags"));
	for (size_t i = 0; i < src->n_regs; i++)
		inject_registry(&src->regs[i],
				cJSON_GetObjectItemCaseSensitive(
					regs, src->regs[i].def->name));
}

/* --- accessors -------------------------------------------------------------------- */

struct http *
sources_http(const struct sources *src)
{
	return src ? src->http : NULL;
}

const char *
sources_tags_absent_why(const struct sources *src)
{
	if (!src || src->tags_injected || src->tags)
		return NULL;
	if (src->s->mode != SESSION_DRILL)
		return "No tags: this session reads no repository.";
	return session_scenario(src->s)
	       ? "This drill has no tags: its scenario gives none, and a "
		 "drill reads no repository."
	       : "This drill has no tags: it runs without a scenario, and a "
		 "drill reads no repository.";
}

const struct tag_list *
sources_tags(const struct sources *src)
{
	if (!src)
		return NULL;
	if (src->tags_injected)
		return src->tags_injected;
	return src->tags ? tagwatch_list(src->tags) : NULL;
}

void
sources_refresh(struct sources *src)
{
	if (!src)
		return;
	if (src->tags)
		tagwatch_refresh(src->tags);
	for (size_t i = 0; i < src->n_regs; i++)
		if (src->regs[i].w)
			regwatch_refresh(src->regs[i].w);
}

size_t
sources_n_registries(const struct sources *src)
{
	return src ? src->n_regs : 0;
}

const struct reg_answer *
sources_registry(const struct sources *src, size_t i)
{
	const struct src_reg *r;

	if (!src || i >= src->n_regs)
		return NULL;
	r = &src->regs[i];
	if (r->injected)
		return r->injected;
	return r->w ? regwatch_answer(r->w) : r->placeholder;
}

void
sources_registry_refresh(struct sources *src, size_t i)
{
	if (src && i < src->n_regs && src->regs[i].w)
		regwatch_refresh(src->regs[i].w);
}

int
sources_registry_is_busy(const struct sources *src, size_t i)
{
	return src && i < src->n_regs && src->regs[i].w &&
	       regwatch_is_busy(src->regs[i].w);
}

long
sources_registry_index(const struct sources *src, const char *name)
{
	for (size_t i = 0; src && name && i < src->n_regs; i++)
		if (strcmp(src->regs[i].def->name, name) == 0)
			return (long)i;
	return -1;
}

size_t
sources_n_logs(const struct sources *src)
{
	return src ? src->n_logs : 0;
}

const char *
sources_log_name(const struct sources *src, size_t i)
{
	return src && i < src->n_logs ? src->logs[i].def->name : NULL;
}

const char *
sources_log_path(const struct sources *src, size_t i)
{
	if (!src || i >= src->n_logs)
		return NULL;
	return src->logs[i].path ? src->logs[i].path : src->logs[i].def->path;
}

const char *
sources_log_status(const struct sources *src, size_t i)
{
	if (!src || i >= src->n_logs)
		return NULL;
	return src->logs[i].w ? logwatch_status(src->logs[i].w)
			      : "not followed in a drill";
}

static long
pattern_index(const struct src_log *l, const char *pattern)
{
	for (size_t k = 0; pattern && k < l->def->n_patterns; k++)
		if (strcmp(l->def->patterns[k].name, pattern) == 0)
			return (long)k;
	return -1;
}

int
sources_log_count(struct sources *src, const char *log, const char *pattern)
{
	long li = log_index(src, log);
	long k = li < 0 ? -1 : pattern_index(&src->logs[li], pattern);

	if (k < 0 || !src->logs[li].w)
		return -1;
	return logwatch_count(src->logs[li].w, src->logs[li].counters[k]);
}

int
sources_log_is_alert(const struct sources *src, const char *log,
		     const char *pattern)
{
	long li = log_index(src, log);
	long k = li < 0 ? -1 : pattern_index(&src->logs[li], pattern);

	return k >= 0 && src->logs[li].w &&
	       logwatch_is_above(src->logs[li].w, src->logs[li].counters[k]);
}

struct logwatch *
sources_logwatch(const struct sources *src, const char *log)
{
	long li = log_index(src, log);

	return li < 0 ? NULL : src->logs[li].w;
}

long
sources_probe_counter(const struct sources *src, const char *step_id)
{
	for (size_t i = 0; src && i < src->n_pcs; i++)
		if (strcmp(src->pcs[i].step, step_id) == 0)
			return (long)src->pcs[i].counter;
	return -1;
}
