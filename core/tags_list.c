/* The tag list as a value: copying, freeing, lookup, and its compact JSON
 * form for the journal, drill scenarios and replay (shape in tags.h). */
#include "config.h"

#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "semver.h"
#include "xalloc.h"

struct tag_list *
tag_list_new_error(const char *path, const char *message)
{
	struct tag_list *tl = xcalloc(1, sizeof(*tl));

	tl->path = xstrdup(path ? path : "");
	tl->error = xstrdup(message ? message : "unknown error");
	return tl;
}

struct tag_list *
tag_list_dup(const struct tag_list *tl)
{
	struct tag_list *c;

	if (!tl)
		return NULL;
	c = xmalloc(sizeof(*c));
	*c = *tl;
	c->path = xstrdup_or_null(tl->path);
	c->gitdir = xstrdup_or_null(tl->gitdir);
	c->commondir = xstrdup_or_null(tl->commondir);
	c->branch = xstrdup_or_null(tl->branch);
	c->error = xstrdup_or_null(tl->error);
	c->warning = xstrdup_or_null(tl->warning);
	c->tags = tl->n_tags ? xmalloc(tl->n_tags * sizeof(*c->tags)) : NULL;
	for (size_t i = 0; i < tl->n_tags; i++) {
		c->tags[i] = tl->tags[i];
		c->tags[i].name = xstrdup(tl->tags[i].name);
		c->tags[i].message = xstrdup_or_null(tl->tags[i].message);
	}
	for (size_t i = 0; i < tl->n_recent; i++)
		c->recent[i].subject = xstrdup_or_null(tl->recent[i].subject);
	return c;
}

const struct tag_info *
tag_list_find(const struct tag_list *tl, const char *name)
{
	for (size_t i = 0; tl && name && i < tl->n_tags; i++)
		if (strcmp(tl->tags[i].name, name) == 0)
			return &tl->tags[i];
	return NULL;
}

void
tag_list_free(struct tag_list *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n_tags; i++) {
		free(tl->tags[i].name);
		free(tl->tags[i].message);
	}
	for (size_t i = 0; i < tl->n_recent; i++)
		free(tl->recent[i].subject);
	free(tl->tags);
	free(tl->path);
	free(tl->gitdir);
	free(tl->commondir);
	free(tl->branch);
	free(tl->error);
	free(tl->warning);
	free(tl);
}

/* --- to JSON ------------------------------------------------------------- */

static void
add_date(cJSON *o, const char *key, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t && gmtime_r(&tt, &tm)) {
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cJSON_AddStringToObject(o, key, buf);
	}
}

static void
add_flag(cJSON *o, const char *key, int on)
{
	if (on)
		cJSON_AddTrueToObject(o, key);
}

static cJSON *
tag_to_json(const struct tag_info *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", t->name);
	add_date(o, "date", t->time);
	if (t->commit[0])
		cJSON_AddStringToObject(o, "commit", t->commit);
	if (t->message)
		cJSON_AddStringToObject(o, "message", t->message);
	add_flag(o, "annotated", t->is_annotated);
	if (t->target == TAG_TARGET_TREE || t->target == TAG_TARGET_BLOB)
		cJSON_AddStringToObject(o, "target", tag_target_name(t->target));
	add_flag(o, "head", t->is_on_head);
	return o;
}

static cJSON *
recent_to_json(const struct tag_list *tl)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < tl->n_recent; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "commit", tl->recent[i].id);
		cJSON_AddStringToObject(o, "subject", tl->recent[i].subject
					? tl->recent[i].subject : "");
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void
add_state(cJSON *o, const struct tag_list *tl)
{
	if (tl->path)
		cJSON_AddStringToObject(o, "path", tl->path);
	if (tl->head[0])
		cJSON_AddStringToObject(o, "head", tl->head);
	if (tl->branch)
		cJSON_AddStringToObject(o, "branch", tl->branch);
	cJSON_AddBoolToObject(o, "dirty", tl->is_dirty);
	if (tl->n_changed)
		cJSON_AddNumberToObject(o, "n_changed", (double)tl->n_changed);
	add_flag(o, "detached", tl->is_detached);
	add_flag(o, "shallow", tl->is_shallow);
	add_flag(o, "bare", tl->is_bare);
	if (tl->error)
		cJSON_AddStringToObject(o, "error", tl->error);
	add_flag(o, "stale", tl->is_stale);
	if (tl->warning)
		cJSON_AddStringToObject(o, "warning", tl->warning);
}

cJSON *
tag_list_to_json(const struct tag_list *tl, size_t max_tags)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *tags = cJSON_CreateArray();
	size_t n = tl->n_tags;

	if (max_tags && n > max_tags)
		n = max_tags;
	add_state(o, tl);
	cJSON_AddNumberToObject(o, "n_tags", (double)(tl->n_total > tl->n_tags
						      ? tl->n_total
						      : tl->n_tags));
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(tags, tag_to_json(&tl->tags[i]));
	cJSON_AddItemToObject(o, "tags", tags);
	cJSON_AddItemToObject(o, "recent", recent_to_json(tl));
	return o;
}

/* --- from JSON ----------------------------------------------------------- */

static int
parse_date(const cJSON *v, int64_t *out)
{
	int64_t us;
	char buf[40];

	if (!v)
		return 0;
	if (cJSON_IsNumber(v)) {
		*out = (int64_t)v->valuedouble;
		return 0;
	}
	if (!cJSON_IsString(v))
		return -1;
	if (strlen(v->valuestring) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", v->valuestring);
		if (clock_parse_rfc3339(buf, &us) < 0)
			return -1;
	} else if (clock_parse_rfc3339(v->valuestring, &us) < 0) {
		return -1;
	}
	*out = us / 1000000;
	return 0;
}

/* An optional string member: absent is fine, another type is not. */
static int
get_string(const cJSON *o, const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return -1;
	*out = v->valuestring;
	return 0;
}

static int
get_flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static enum tag_target
parse_target(const char *s)
{
	if (!s || strcmp(s, "commit") == 0)
		return TAG_TARGET_COMMIT;
	if (strcmp(s, "tree") == 0)
		return TAG_TARGET_TREE;
	if (strcmp(s, "blob") == 0)
		return TAG_TARGET_BLOB;
	return TAG_TARGET_UNKNOWN;
}

static int
tag_from_json(const cJSON *item, struct tag_info *t, size_t i,
	      struct err *err)
{
	const char *name, *commit, *message, *target;

	memset(t, 0, sizeof(*t));
	if (cJSON_IsString(item)) {
		name = item->valuestring;
		commit = message = target = NULL;
	} else if (!cJSON_IsObject(item) ||
		   get_string(item, "name", &name) < 0 || !name) {
		return err_set(err, ERR_PARSE, "tags[%zu]: expected a tag name "
			       "or an object with a string \"name\"", i);
	} else if (get_string(item, "commit", &commit) < 0 ||
		   get_string(item, "message", &message) < 0 ||
		   get_string(item, "target", &target) < 0 ||
		   parse_date(cJSON_GetObjectItemCaseSensitive(item, "date"),
			      &t->time) < 0) {
		return err_set(err, ERR_PARSE, "tags[%zu] (%s): \"date\", "
			       "\"commit\", \"message\" and \"target\" must be "
			       "strings (date as 2026-11-20T10:00:00Z)", i,
			       name);
	}
	t->name = xstrdup(name);
	snprintf(t->commit, sizeof(t->commit), "%s", commit ? commit : "");
	t->message = message ? xstrndup(message, strcspn(message, "\r\n"))
			     : NULL;
	t->target = parse_target(target);
	t->is_annotated = message != NULL || get_flag(item, "annotated");
	t->is_on_head = (unsigned)get_flag(item, "head");
	t->is_semver = (unsigned)semver_parse(name, NULL);
	t->has_details = 1;
	return 0;
}

static int
tags_from_json(struct tag_list *tl, const cJSON *arr, struct err *err)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	const cJSON *item;

	if (!cJSON_IsArray(arr))
		return err_set(err, ERR_PARSE, "tags: expected an array");
	tl->tags = xcalloc(n ? n : 1, sizeof(*tl->tags));
	cJSON_ArrayForEach(item, arr) {
		if (tag_from_json(item, &tl->tags[i], i, err) < 0)
			return -1;
		tl->n_tags = ++i;
	}
	return 0;
}

static int
recent_from_json(struct tag_list *tl, const cJSON *arr, struct err *err)
{
	const cJSON *item;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return err_set(err, ERR_PARSE, "recent: expected an array");
	cJSON_ArrayForEach(item, arr) {
		const char *id, *subject;

		if (tl->n_recent == TAGS_N_RECENT)
			break;
		if (!cJSON_IsObject(item) || get_string(item, "commit", &id) < 0 ||
		    get_string(item, "subject", &subject) < 0)
			return err_set(err, ERR_PARSE, "recent[%zu]: expected "
				       "{\"commit\": ..., \"subject\": ...}",
				       tl->n_recent);
		snprintf(tl->recent[tl->n_recent].id, TAGS_SHORT_ID, "%s",
			 id ? id : "");
		tl->recent[tl->n_recent++].subject = xstrdup(subject ? subject
							     : "");
	}
	return 0;
}

static int
state_from_json(struct tag_list *tl, const cJSON *o, struct err *err)
{
	const char *path, *head, *branch, *error, *warning;
	const cJSON *n;

	if (get_string(o, "path", &path) < 0 || get_string(o, "head", &head) < 0 ||
	    get_string(o, "branch", &branch) < 0 ||
	    get_string(o, "error", &error) < 0 ||
	    get_string(o, "warning", &warning) < 0)
		return err_set(err, ERR_PARSE, "tags state: \"path\", \"head\", "
			       "\"branch\", \"error\" and \"warning\" must be "
			       "strings");
	tl->path = xstrdup(path ? path : "");
	snprintf(tl->head, sizeof(tl->head), "%s", head ? head : "");
	tl->branch = xstrdup_or_null(branch);
	tl->error = xstrdup_or_null(error);
	tl->warning = xstrdup_or_null(warning);
	tl->is_dirty = (unsigned)get_flag(o, "dirty");
	tl->is_detached = (unsigned)get_flag(o, "detached") || (head && !branch);
	tl->is_shallow = (unsigned)get_flag(o, "shallow");
	tl->is_bare = (unsigned)get_flag(o, "bare");
	tl->is_stale = (unsigned)get_flag(o, "stale");
	n = cJSON_GetObjectItemCaseSensitive(o, "n_changed");
	tl->n_changed = cJSON_IsNumber(n) && n->valuedouble > 0
			? (size_t)n->valuedouble : tl->is_dirty;
	n = cJSON_GetObjectItemCaseSensitive(o, "n_tags");
	tl->n_total = cJSON_IsNumber(n) && n->valuedouble > 0
		      ? (size_t)n->valuedouble : 0;
	return 0;
}

/* Hand-written scenarios give HEAD's id once; tags with that commit are on
 * HEAD even without their own "head": true. */
static void
mark_head(struct tag_list *tl)
{
	size_t n = strlen(tl->head);

	for (size_t i = 0; n >= 4 && i < tl->n_tags; i++) {
		size_t m = strlen(tl->tags[i].commit);

		if (m >= 4 && strncmp(tl->tags[i].commit, tl->head,
				      m < n ? m : n) == 0)
			tl->tags[i].is_on_head = 1;
	}
}

/* A drill world that names no HEAD commit has one as its story tells
 * it, as git describe answers there: at the tag marked "head", else at
 * the newest tag (the first given). Without a branch it is detached
 * there, as a given head without a branch is. */
static void
world_head(struct tag_list *tl)
{
	const struct tag_info *at = NULL;

	if (tl->head[0] || !tl->n_tags || (tl->path && *tl->path))
		return;
	for (size_t i = 0; i < tl->n_tags && !at; i++)
		if (tl->tags[i].is_on_head)
			at = &tl->tags[i];
	if (!at) {
		at = &tl->tags[0];
		tl->tags[0].is_on_head = 1;
	}
	snprintf(tl->head, sizeof(tl->head), "%s", at->commit);
	if (!tl->branch)
		tl->is_detached = 1;
}

struct tag_list *
tag_list_from_json(const cJSON *json, struct err *err)
{
	struct tag_list *tl = xcalloc(1, sizeof(*tl));
	const cJSON *tags = json;
	int rc;

	if (cJSON_IsObject(json)) {
		tags = cJSON_GetObjectItemCaseSensitive(json, "tags");
		rc = state_from_json(tl, json, err);
		if (rc == 0 && tags)
			rc = tags_from_json(tl, tags, err);
		if (rc == 0)
			rc = recent_from_json(tl, cJSON_GetObjectItemCaseSensitive(
						      json, "recent"), err);
	} else if (cJSON_IsArray(json)) {
		tl->path = xstrdup("");
		rc = tags_from_json(tl, tags, err);
	} else {
		rc = err_set(err, ERR_PARSE, "tags: expected an object or an "
			     "array of tags");
	}
	if (rc < 0) {
		tag_list_free(tl);
		return NULL;
	}
	if (tl->n_total < tl->n_tags)
		tl->n_total = tl->n_tags;
	world_head(tl);
	mark_head(tl);
	tags_sort(tl);
	return tl;
}
