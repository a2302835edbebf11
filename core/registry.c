/* Registry answers: the model, the npm / PyPI document parsers, the compact
 * JSON form and the probe checks. Everything here is pure (no I/O). */
#include "config.h"

#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "registry_int.h"
#include "strbuf.h"
#include "version.h"
#include "xalloc.h"

/* --- the model ---------------------------------------------------------- */

const char *const reg_type_names[] = {
	[REG_NPM] = "npm",
	[REG_PYPI] = "pypi",
	[REG_CRATES] = "crates",
	NULL
};

const char *
reg_type_name(enum reg_type t)
{
	return (unsigned)t < REG_TYPE_COUNT ? reg_type_names[t] : "?";
}

char *
reg_type_list(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < REG_TYPE_COUNT; i++)
		strbuf_addf(&sb, "%s\"%s\"", !i ? "" : i + 1 < REG_TYPE_COUNT
			    ? ", " : " or ", reg_type_names[i]);
	return strbuf_detach(&sb);
}

int
reg_type_parse(const char *s, enum reg_type *t)
{
	for (int i = 0; s && i < REG_TYPE_COUNT; i++)
		if (!strcmp(s, reg_type_names[i])) {
			*t = (enum reg_type)i;
			return 0;
		}
	return -1;
}

struct reg_answer *
reg_answer_new(enum reg_type t, const char *package)
{
	struct reg_answer *a = xcalloc(1, sizeof(*a));

	a->type = t;
	a->package = xstrdup(package ? package : "");
	return a;
}

void
reg_answer_clear_data(struct reg_answer *a)
{
	for (size_t i = 0; i < a->n_tags; i++) {
		free(a->tags[i].name);
		free(a->tags[i].version);
	}
	for (size_t i = 0; i < a->n_versions; i++) {
		free(a->versions[i].version);
		free(a->versions[i].deprecated);
		free(a->versions[i].yanked_reason);
	}
	free(a->tags);
	free(a->versions);
	a->tags = NULL;
	a->versions = NULL;
	a->n_tags = a->n_versions = 0;
}

void
reg_answer_free(struct reg_answer *a)
{
	if (!a)
		return;
	reg_answer_clear_data(a);
	free(a->package);
	free(a->source);
	free(a->etag);
	free(a->last_modified);
	free(a->error);
	free(a->note);
	free(a);
}

static void
replace_str(char **slot, const char *s)
{
	char *copy = xstrdup_or_null(s);

	free(*slot);
	*slot = copy;
}

void
reg_answer_set_error(struct reg_answer *a, const char *msg)
{
	replace_str(&a->error, msg);
}

void
reg_answer_set_note(struct reg_answer *a, const char *note)
{
	replace_str(&a->note, note);
}

void
reg_answer_set_source(struct reg_answer *a, const char *source)
{
	replace_str(&a->source, source);
}

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int
same_version(const struct reg_version *a, const struct reg_version *b)
{
	return !strcmp(a->version, b->version) &&
	       a->published_us == b->published_us &&
	       same_str(a->deprecated, b->deprecated) &&
	       a->yanked == b->yanked &&
	       same_str(a->yanked_reason, b->yanked_reason);
}

int
reg_answer_same_data(const struct reg_answer *a, const struct reg_answer *b)
{
	if (a->has_data != b->has_data || a->n_tags != b->n_tags ||
	    a->n_versions != b->n_versions)
		return 0;
	for (size_t i = 0; i < a->n_tags; i++)
		if (strcmp(a->tags[i].name, b->tags[i].name) ||
		    strcmp(a->tags[i].version, b->tags[i].version))
			return 0;
	for (size_t i = 0; i < a->n_versions; i++)
		if (!same_version(&a->versions[i], &b->versions[i]))
			return 0;
	return 1;
}

/* Move NEW's tags and versions into A (NEW keeps its package only). */
void
reg_take_data(struct reg_answer *a, struct reg_answer *new, int tags_only)
{
	struct reg_tag *tags = a->tags;
	size_t n_tags = a->n_tags;

	a->tags = new->tags;
	a->n_tags = new->n_tags;
	new->tags = tags;
	new->n_tags = n_tags;
	if (!tags_only) {
		struct reg_version *v = a->versions;
		size_t n = a->n_versions;

		a->versions = new->versions;
		a->n_versions = new->n_versions;
		new->versions = v;
		new->n_versions = n;
	}
	a->has_data = 1;
}

char *
reg_dup_capped(const char *s, size_t max)
{
	return strlen(s) > max ? xstrndup(s, max) : xstrdup(s);
}

void
reg_add_tag(struct reg_answer *a, const char *name, const char *version)
{
	a->tags = xrealloc(a->tags, (a->n_tags + 1) * sizeof(*a->tags));
	a->tags[a->n_tags].name = reg_dup_capped(name, REG_MAX_NAME);
	a->tags[a->n_tags].version = reg_dup_capped(version, REG_MAX_NAME);
	a->n_tags++;
}

/* A new version entry (zeroed but for its name), or NULL for a name that
 * is empty or too long to be a version. */
struct reg_version *
reg_add_version(struct reg_answer *a, const char *version, size_t *cap)
{
	struct reg_version *v;

	if (!*version || strlen(version) > REG_MAX_NAME)
		return NULL;
	if (a->n_versions == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		a->versions = xrealloc(a->versions, *cap * sizeof(*a->versions));
	}
	v = &a->versions[a->n_versions++];
	memset(v, 0, sizeof(*v));
	v->version = xstrdup(version);
	return v;
}

/* --- version order ------------------------------------------------------ */


int
registry_version_cmp(const char *a, const char *b)
{
	return version_cmp(a, b);
}


int
reg_version_order(const void *x, const void *y)
{
	const struct reg_version *a = x, *b = y;
	int c = registry_version_cmp(a->version, b->version);

	return c ? c : strcmp(a->version, b->version);
}

static void
version_free(struct reg_version *v)
{
	free(v->version);
	free(v->deprecated);
	free(v->yanked_reason);
}

/* Sort A's versions and drop exact duplicates (the first one stays). */
void
reg_sort_versions(struct reg_answer *a)
{
	size_t out = 0;

	if (!a->n_versions)
		return;
	qsort(a->versions, a->n_versions, sizeof(*a->versions), reg_version_order);
	for (size_t i = 0; i < a->n_versions; i++) {
		if (out && !strcmp(a->versions[out - 1].version,
				   a->versions[i].version)) {
			version_free(&a->versions[i]);
			continue;
		}
		a->versions[out++] = a->versions[i];
	}
	a->n_versions = out;
}

int
reg_parse_document(struct reg_answer *a, const char *body, size_t len,
		   const char *what, reg_doc_fn doc, int tags_only,
		   struct err *err)
{
	struct reg_answer *new = reg_answer_new(a->type, a->package);
	cJSON *root = reg_parse_body(body, len, what, err);
	int rc = -1;

	if (root && doc(new, root, err) == 0) {
		reg_take_data(a, new, tags_only);
		rc = 0;
	}
	cJSON_Delete(root);
	reg_answer_free(new);
	return rc;
}

/* --- JSON helpers -------------------------------------------------------- */

/* Whether TEXT stops inside a string or an open object/list: a body cut
 * short rather than one that is not JSON. */
static int
is_truncated_json(const char *text, size_t len)
{
	size_t depth = 0, start = 0;
	int in_string = 0;

	while (start < len && strchr(" \t\r\n", text[start]))
		start++;
	if (start == len || (text[start] != '{' && text[start] != '['))
		return 0;
	for (size_t i = start; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return in_string || depth > 0;
}

cJSON *
reg_parse_body(const char *body, size_t len, const char *what, struct err *err)
{
	const char *end = NULL;
	cJSON *root;

	if (!body || !len) {
		err_set(err, ERR_PARSE, "%s: empty body", what);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (!root) {
		size_t at = end && end >= body ? (size_t)(end - body) : 0;

		if (is_truncated_json(body, len))
			err_set(err, ERR_PARSE, "%s: truncated JSON "
				"(ends after %zu bytes)", what, len);
		else
			err_set(err, ERR_PARSE, "%s: not JSON (error at "
				"byte %zu of %zu)", what, at, len);
	}
	return root;
}

const char *
reg_json_type_name(const cJSON *j)
{
	if (cJSON_IsObject(j))
		return "an object";
	if (cJSON_IsArray(j))
		return "a list";
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNull(j))
		return "null";
	return "something else";
}

/* "WHAT: PATH: expected WANT, got a number". */
int
reg_wrong_type(struct err *err, const char *what, const char *path,
	   const char *want, const cJSON *got)
{
	return err_set(err, ERR_INVALID, "%s: %s: expected %s, got %s", what,
		       path, want, reg_json_type_name(got));
}

/* The last microsecond of year 9999: a later time is no real release. */
#define TIME_MAX_US 253402300799999999.0

/* Parse a timestamp member: absent/null gives 0, a string that is no
 * timestamp also gives 0 (registries differ in format; the time is only
 * shown), and so does a time before 1970 or after 9999 (numbers are
 * microseconds); anything else is a type error. */
int
reg_json_time(const cJSON *j, int64_t *us, const char *what, const char *path,
	  struct err *err)
{
	*us = 0;
	if (!j || cJSON_IsNull(j))
		return 0;
	if (cJSON_IsNumber(j)) {
		/* out of range (or 1e300, which no int64 holds): unknown */
		if (j->valuedouble > 0 && j->valuedouble <= TIME_MAX_US)
			*us = (int64_t)j->valuedouble;
		return 0;
	}
	if (!cJSON_IsString(j))
		return reg_wrong_type(err, what, path, "a time string", j);
	if (clock_parse_rfc3339(j->valuestring, us) < 0 || *us <= 0 ||
	    *us > (int64_t)TIME_MAX_US)
		*us = 0;
	return 0;
}

/* A string member that may be absent, null, false or "" (all meaning
 * none); anything else but a string is a type error. */
int
reg_json_opt_message(const cJSON *j, char **out, const char *what,
		 const char *path, struct err *err)
{
	*out = NULL;
	if (!j || cJSON_IsNull(j) || cJSON_IsFalse(j))
		return 0;
	if (!cJSON_IsString(j))
		return reg_wrong_type(err, what, path, "a string", j);
	if (*j->valuestring)
		*out = reg_dup_capped(j->valuestring, REG_MAX_MESSAGE);
	return 0;
}

int
reg_parse_tags(struct reg_answer *a, const cJSON *tags, const char *what,
	   struct err *err)
{
	const cJSON *t;
	char path[REG_MAX_NAME + 32];

	if (!cJSON_IsObject(tags))
		return reg_wrong_type(err, what, "dist-tags", "an object", tags);
	cJSON_ArrayForEach(t, tags) {
		snprintf(path, sizeof(path), "dist-tags.%s", t->string);
		if (!cJSON_IsString(t))
			return reg_wrong_type(err, what, path, "a string", t);
		if (strlen(t->string) <= REG_MAX_NAME)
			reg_add_tag(a, t->string, t->valuestring);
	}
	return 0;
}

/* --- compact JSON -------------------------------------------------------- */

static void
add_time(cJSON *o, const char *key, int64_t us)
{
	char buf[40];

	if (us)
		cJSON_AddStringToObject(o, key,
					clock_format_rfc3339(us, buf,
							     sizeof(buf)));
}

static void
add_opt_string(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
}

static cJSON *
version_json(const struct reg_version *v)
{
	cJSON *o = cJSON_CreateObject();

	add_time(o, "time", v->published_us);
	add_opt_string(o, "deprecated", v->deprecated);
	if (v->yanked)
		cJSON_AddTrueToObject(o, "yanked");
	add_opt_string(o, "yanked_reason", v->yanked_reason);
	return o;
}

char *
reg_answer_to_json(const struct reg_answer *a)
{
	cJSON *o = cJSON_CreateObject(), *tags, *versions;
	char *out;

	cJSON_AddStringToObject(o, "type", reg_type_name(a->type));
	cJSON_AddStringToObject(o, "package", a->package);
	add_opt_string(o, "source", a->source);
	add_time(o, "fetched_at", a->fetched_at_us);
	add_opt_string(o, "etag", a->etag);
	add_opt_string(o, "last_modified", a->last_modified);
	if (a->stale)
		cJSON_AddTrueToObject(o, "stale");
	add_opt_string(o, "error", a->error);
	if (a->has_data) {
		tags = cJSON_AddObjectToObject(o, "dist-tags");
		for (size_t i = 0; i < a->n_tags; i++)
			cJSON_AddStringToObject(tags, a->tags[i].name,
						a->tags[i].version);
		versions = cJSON_AddObjectToObject(o, "versions");
		for (size_t i = 0; i < a->n_versions; i++)
			cJSON_AddItemToObject(versions, a->versions[i].version,
					      version_json(&a->versions[i]));
	}
	out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!out)
		BUG("cJSON_PrintUnformatted failed");
	return out;
}

static const char from_what[] = "registry answer";

static int
from_version_object(struct reg_version *rv, const cJSON *v, const char *path,
		    struct err *err)
{
	char sub[REG_MAX_NAME + 48];
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(v, "yanked");

	snprintf(sub, sizeof(sub), "%s.time", path);
	if (reg_json_time(cJSON_GetObjectItemCaseSensitive(v, "time"),
		      &rv->published_us, from_what, sub, err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.deprecated", path);
	if (reg_json_opt_message(cJSON_GetObjectItemCaseSensitive(v, "deprecated"),
			     &rv->deprecated, from_what, sub, err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.yanked", path);
	if (y && !cJSON_IsBool(y))
		return reg_wrong_type(err, from_what, sub, "a boolean", y);
	rv->yanked = cJSON_IsTrue(y);
	snprintf(sub, sizeof(sub), "%s.yanked_reason", path);
	return reg_json_opt_message(cJSON_GetObjectItemCaseSensitive(v,
				"yanked_reason"), &rv->yanked_reason,
				from_what, sub, err);
}

/* One member of "versions": KEY names it (object form) or V holds it. */
static int
from_version(struct reg_answer *a, size_t *cap, const char *key,
	     const cJSON *v, int i, struct err *err)
{
	char path[REG_MAX_NAME + 32];
	struct reg_version *rv;

	if (key)
		snprintf(path, sizeof(path), "versions.%s", key);
	else
		snprintf(path, sizeof(path), "versions[%d]", i);
	if (!key && cJSON_IsString(v))
		key = v->valuestring;
	else if (!key && cJSON_IsObject(v)) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(v,
								     "version");

		if (!cJSON_IsString(name))
			return reg_wrong_type(err, from_what, path,
					  "{\"version\": string}", name);
		key = name->valuestring;
	} else if (!key)
		return reg_wrong_type(err, from_what, path, "a string or an object",
				  v);
	rv = reg_add_version(a, key, cap);
	if (!rv)
		return 0;
	if (cJSON_IsObject(v))
		return from_version_object(rv, v, path, err);
	if (cJSON_IsString(v) && v->string)
		return reg_json_time(v, &rv->published_us, from_what, path, err);
	if (!cJSON_IsNull(v) && !cJSON_IsTrue(v) && !cJSON_IsString(v))
		return reg_wrong_type(err, from_what, path, "an object", v);
	return 0;
}

static int
from_versions(struct reg_answer *a, const cJSON *versions, struct err *err)
{
	const cJSON *v;
	size_t cap = 0;
	int i = 0;

	if (!cJSON_IsObject(versions) && !cJSON_IsArray(versions))
		return reg_wrong_type(err, from_what, "versions",
				  "an object or a list", versions);
	cJSON_ArrayForEach(v, versions)
		if (from_version(a, &cap, cJSON_IsObject(versions) ? v->string
				 : NULL, v, i++, err) < 0)
			return -1;
	reg_sort_versions(a);
	return 0;
}

static int
from_string_member(const cJSON *o, const char *key, char **slot,
		   struct err *err)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsString(j))
		return reg_wrong_type(err, from_what, key, "a string", j);
	replace_str(slot, j->valuestring);
	return 0;
}

static int
from_header(struct reg_answer *a, const cJSON *o, struct err *err)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *stale = cJSON_GetObjectItemCaseSensitive(o, "stale");

	if (type && (!cJSON_IsString(type) ||
		     reg_type_parse(type->valuestring, &a->type) < 0)) {
		char *names = reg_type_list();

		err_set(err, ERR_INVALID, "%s: type: expected %s", from_what,
			names);
		free(names);
		return -1;
	}
	if (from_string_member(o, "package", &a->package, err) < 0 ||
	    from_string_member(o, "source", &a->source, err) < 0 ||
	    from_string_member(o, "etag", &a->etag, err) < 0 ||
	    from_string_member(o, "last_modified", &a->last_modified, err) < 0 ||
	    from_string_member(o, "error", &a->error, err) < 0)
		return -1;
	if (stale && !cJSON_IsBool(stale))
		return reg_wrong_type(err, from_what, "stale", "a boolean", stale);
	a->stale = cJSON_IsTrue(stale);
	return reg_json_time(cJSON_GetObjectItemCaseSensitive(o, "fetched_at"),
			 &a->fetched_at_us, from_what, "fetched_at", err);
}

struct reg_answer *
reg_answer_from_json(const char *json, size_t len, enum reg_type t,
		     const char *package, struct err *err)
{
	struct reg_answer *a = reg_answer_new(t, package);
	cJSON *o = reg_parse_body(json, len, from_what, err);
	const cJSON *tags, *versions;
	int rc = -1;

	if (!o)
		goto out;
	if (!cJSON_IsObject(o)) {
		err_set(err, ERR_INVALID, "%s: expected an object, got %s",
			from_what, reg_json_type_name(o));
		goto out;
	}
	tags = cJSON_GetObjectItemCaseSensitive(o, "dist-tags");
	versions = cJSON_GetObjectItemCaseSensitive(o, "versions");
	if (from_header(a, o, err) < 0 ||
	    (tags && reg_parse_tags(a, tags, from_what, err) < 0) ||
	    (versions && from_versions(a, versions, err) < 0))
		goto out;
	a->has_data = tags || versions;
	rc = 0;
out:
	cJSON_Delete(o);
	if (rc < 0) {
		reg_answer_free(a);
		return NULL;
	}
	return a;
}

/* --- lookups and probe checks -------------------------------------------- */

const char *
reg_answer_tag(const struct reg_answer *a, const char *tag)
{
	for (size_t i = 0; i < a->n_tags; i++)
		if (!strcmp(a->tags[i].name, tag))
			return a->tags[i].version;
	return NULL;
}

const struct reg_version *
reg_answer_find(const struct reg_answer *a, const char *v)
{
	for (size_t i = 0; i < a->n_versions; i++)
		if (!strcmp(a->versions[i].version, v))
			return &a->versions[i];
	return NULL;
}

