/* Registry answers: the model, the npm / PyPI document parsers, the compact
 * JSON form and the probe checks. Everything here is pure (no I/O). */
#include "config.h"

#include "registry.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "version.h"
#include "xalloc.h"

/* --- the model ---------------------------------------------------------- */

const char *
reg_type_name(enum reg_type t)
{
	return t == REG_PYPI ? "pypi" : "npm";
}

int
reg_type_parse(const char *s, enum reg_type *t)
{
	if (s && !strcmp(s, "npm"))
		*t = REG_NPM;
	else if (s && !strcmp(s, "pypi"))
		*t = REG_PYPI;
	else
		return -1;
	return 0;
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
static void
take_data(struct reg_answer *a, struct reg_answer *new, int tags_only)
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

static char *
dup_capped(const char *s, size_t max)
{
	return strlen(s) > max ? xstrndup(s, max) : xstrdup(s);
}

static void
add_tag(struct reg_answer *a, const char *name, const char *version)
{
	a->tags = xrealloc(a->tags, (a->n_tags + 1) * sizeof(*a->tags));
	a->tags[a->n_tags].name = dup_capped(name, REG_MAX_NAME);
	a->tags[a->n_tags].version = dup_capped(version, REG_MAX_NAME);
	a->n_tags++;
}

/* A new version entry (zeroed but for its name), or NULL for a name that
 * is empty or too long to be a version. */
static struct reg_version *
add_version(struct reg_answer *a, const char *version, size_t *cap)
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

static int
is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

int
registry_version_cmp(const char *a, const char *b)
{
	return version_cmp(a, b);
}

int
registry_version_is_prerelease(enum reg_type t, const char *v)
{
	const char *p = v;

	if (t != REG_NPM)
		return version_is_prerelease(v);
	if (*p == 'v' || *p == 'V')
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	return *p == '-';
}

static int
version_order(const void *x, const void *y)
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
static void
sort_versions(struct reg_answer *a)
{
	size_t out = 0;

	if (!a->n_versions)
		return;
	qsort(a->versions, a->n_versions, sizeof(*a->versions), version_order);
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

static cJSON *
parse_body(const char *body, size_t len, const char *what, struct err *err)
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

static const char *
json_type_name(const cJSON *j)
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
static int
wrong_type(struct err *err, const char *what, const char *path,
	   const char *want, const cJSON *got)
{
	return err_set(err, ERR_INVALID, "%s: %s: expected %s, got %s", what,
		       path, want, json_type_name(got));
}

/* The last microsecond of year 9999: a later time is no real release. */
#define TIME_MAX_US 253402300799999999.0

/* Parse a timestamp member: absent/null gives 0, a string that is no
 * timestamp also gives 0 (registries differ in format; the time is only
 * shown), and so does a time before 1970 or after 9999 (numbers are
 * microseconds); anything else is a type error. */
static int
json_time(const cJSON *j, int64_t *us, const char *what, const char *path,
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
		return wrong_type(err, what, path, "a time string", j);
	if (clock_parse_rfc3339(j->valuestring, us) < 0 || *us <= 0 ||
	    *us > (int64_t)TIME_MAX_US)
		*us = 0;
	return 0;
}

/* A string member that may be absent, null, false or "" (all meaning
 * none); anything else but a string is a type error. */
static int
json_opt_message(const cJSON *j, char **out, const char *what,
		 const char *path, struct err *err)
{
	*out = NULL;
	if (!j || cJSON_IsNull(j) || cJSON_IsFalse(j))
		return 0;
	if (!cJSON_IsString(j))
		return wrong_type(err, what, path, "a string", j);
	if (*j->valuestring)
		*out = dup_capped(j->valuestring, REG_MAX_MESSAGE);
	return 0;
}

static int
parse_tags(struct reg_answer *a, const cJSON *tags, const char *what,
	   struct err *err)
{
	const cJSON *t;
	char path[REG_MAX_NAME + 32];

	if (!cJSON_IsObject(tags))
		return wrong_type(err, what, "dist-tags", "an object", tags);
	cJSON_ArrayForEach(t, tags) {
		snprintf(path, sizeof(path), "dist-tags.%s", t->string);
		if (!cJSON_IsString(t))
			return wrong_type(err, what, path, "a string", t);
		if (strlen(t->string) <= REG_MAX_NAME)
			add_tag(a, t->string, t->valuestring);
	}
	return 0;
}

/* --- npm ---------------------------------------------------------------- */

static int
npm_version(struct reg_answer *a, size_t *cap, const cJSON *v,
	    const cJSON *times, struct err *err)
{
	static const char what[] = "npm document";
	char path[REG_MAX_NAME + 32];
	struct reg_version *rv;
	char *deprecated;
	int64_t t;

	snprintf(path, sizeof(path), "versions.%s", v->string);
	if (!cJSON_IsObject(v))
		return wrong_type(err, what, path, "an object", v);
	snprintf(path, sizeof(path), "versions.%s.deprecated", v->string);
	if (json_opt_message(cJSON_GetObjectItemCaseSensitive(v, "deprecated"),
			     &deprecated, what, path, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "time.%s", v->string);
	if (json_time(times ? cJSON_GetObjectItemCaseSensitive(times, v->string)
		      : NULL, &t, what, path, err) < 0) {
		free(deprecated);
		return -1;
	}
	rv = add_version(a, v->string, cap);
	if (!rv) {
		free(deprecated);
		return 0;
	}
	rv->deprecated = deprecated;
	rv->published_us = t;
	return 0;
}

static int
npm_document(struct reg_answer *new, const cJSON *root, struct err *err)
{
	static const char what[] = "npm document";
	const cJSON *tags, *versions, *times, *v;
	size_t cap = 0;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_INVALID, "%s: expected an object, "
			       "got %s", what, json_type_name(root));
	tags = cJSON_GetObjectItemCaseSensitive(root, "dist-tags");
	versions = cJSON_GetObjectItemCaseSensitive(root, "versions");
	times = cJSON_GetObjectItemCaseSensitive(root, "time");
	if (!versions) {
		if (times && cJSON_GetObjectItemCaseSensitive(times,
							      "unpublished"))
			return err_set(err, ERR_NOTFOUND, "%s: the package "
				       "was unpublished", what);
		return err_set(err, ERR_INVALID, "%s: no \"versions\" member",
			       what);
	}
	if (!cJSON_IsObject(versions))
		return wrong_type(err, what, "versions", "an object", versions);
	if (times && !cJSON_IsObject(times))
		return wrong_type(err, what, "time", "an object", times);
	if (tags && parse_tags(new, tags, what, err) < 0)
		return -1;
	cJSON_ArrayForEach(v, versions)
		if (npm_version(new, &cap, v, times, err) < 0)
			return -1;
	sort_versions(new);
	return 0;
}

int
registry_parse_npm(struct reg_answer *a, const char *body, size_t len,
		   struct err *err)
{
	struct reg_answer *new = reg_answer_new(a->type, a->package);
	cJSON *root = parse_body(body, len, "npm document", err);
	int rc = -1;

	if (root && npm_document(new, root, err) == 0) {
		take_data(a, new, 0);
		rc = 0;
	}
	cJSON_Delete(root);
	reg_answer_free(new);
	return rc;
}

int
registry_parse_npm_dist_tags(struct reg_answer *a, const char *body,
			     size_t len, struct err *err)
{
	struct reg_answer *new = reg_answer_new(a->type, a->package);
	cJSON *root = parse_body(body, len, "npm dist-tags", err);
	int rc = -1;

	if (root && parse_tags(new, root, "npm dist-tags", err) == 0) {
		take_data(a, new, 1);
		rc = 0;
	}
	cJSON_Delete(root);
	reg_answer_free(new);
	return rc;
}

/* --- PyPI JSON API ------------------------------------------------------ */

/* Fold one release file into RV: earliest upload time, yanked state. */
static int
pypi_file(struct reg_version *rv, const cJSON *f, const char *path,
	  struct err *err)
{
	static const char what[] = "PyPI JSON";
	const cJSON *t, *yanked;
	char *reason = NULL;
	char sub[REG_MAX_NAME + 64];
	int64_t us;

	if (!cJSON_IsObject(f))
		return wrong_type(err, what, path, "an object", f);
	t = cJSON_GetObjectItemCaseSensitive(f, "upload_time_iso_8601");
	if (!t)
		t = cJSON_GetObjectItemCaseSensitive(f, "upload_time");
	snprintf(sub, sizeof(sub), "%s.upload_time_iso_8601", path);
	if (json_time(t, &us, what, sub, err) < 0)
		return -1;
	if (us && (!rv->published_us || us < rv->published_us))
		rv->published_us = us;
	yanked = cJSON_GetObjectItemCaseSensitive(f, "yanked");
	snprintf(sub, sizeof(sub), "%s.yanked", path);
	if (yanked && !cJSON_IsBool(yanked))
		return wrong_type(err, what, sub, "a boolean", yanked);
	snprintf(sub, sizeof(sub), "%s.yanked_reason", path);
	if (json_opt_message(cJSON_GetObjectItemCaseSensitive(f,
			     "yanked_reason"), &reason, what, sub, err) < 0)
		return -1;
	if (cJSON_IsTrue(yanked))
		rv->yanked = 1;
	if (reason && !rv->yanked_reason)
		rv->yanked_reason = reason;
	else
		free(reason);
	return 0;
}

static int
pypi_release(struct reg_answer *a, size_t *cap, const cJSON *rel,
	     struct err *err)
{
	char path[REG_MAX_NAME + 32];
	struct reg_version *rv;
	const cJSON *f;
	int i = 0;

	snprintf(path, sizeof(path), "releases.%s", rel->string);
	if (!cJSON_IsArray(rel))
		return wrong_type(err, "PyPI JSON", path, "a list", rel);
	rv = add_version(a, rel->string, cap);
	if (!rv)
		return 0;
	cJSON_ArrayForEach(f, rel) {
		char fpath[REG_MAX_NAME + 48];

		snprintf(fpath, sizeof(fpath), "%s[%d]", path, i++);
		if (pypi_file(rv, f, fpath, err) < 0)
			return -1;
	}
	return 0;
}

/* info.yanked covers the version info describes, also when it has no
 * files to carry the flag. */
static void
pypi_info_yank(struct reg_answer *a, const cJSON *info)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(info, "version");
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(info, "yanked");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(info,
							  "yanked_reason");

	if (!cJSON_IsString(v) || !cJSON_IsTrue(y))
		return;
	for (size_t i = 0; i < a->n_versions; i++) {
		struct reg_version *rv = &a->versions[i];

		if (strcmp(rv->version, v->valuestring))
			continue;
		rv->yanked = 1;
		if (!rv->yanked_reason && cJSON_IsString(r) && *r->valuestring)
			rv->yanked_reason = dup_capped(r->valuestring,
						       REG_MAX_MESSAGE);
	}
}

static int
pypi_document(struct reg_answer *new, const cJSON *root, struct err *err)
{
	static const char what[] = "PyPI JSON";
	const cJSON *info, *releases, *rel;
	size_t cap = 0;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_INVALID, "%s: expected an object, "
			       "got %s", what, json_type_name(root));
	info = cJSON_GetObjectItemCaseSensitive(root, "info");
	releases = cJSON_GetObjectItemCaseSensitive(root, "releases");
	if (info && !cJSON_IsObject(info))
		return wrong_type(err, what, "info", "an object", info);
	if (!releases)
		return err_set(err, ERR_INVALID, "%s: no \"releases\" member "
			       "(use the simple API for this index)", what);
	if (!cJSON_IsObject(releases))
		return wrong_type(err, what, "releases", "an object", releases);
	cJSON_ArrayForEach(rel, releases)
		if (pypi_release(new, &cap, rel, err) < 0)
			return -1;
	if (info)
		pypi_info_yank(new, info);
	sort_versions(new);
	return 0;
}

int
registry_parse_pypi_json(struct reg_answer *a, const char *body, size_t len,
			 struct err *err)
{
	struct reg_answer *new = reg_answer_new(a->type, a->package);
	cJSON *root = parse_body(body, len, "PyPI JSON", err);
	int rc = -1;

	if (root && pypi_document(new, root, err) == 0) {
		take_data(a, new, 0);
		rc = 0;
	}
	cJSON_Delete(root);
	reg_answer_free(new);
	return rc;
}

/* --- PEP 691 simple API ------------------------------------------------- */

/* PEP 503 normalisation of the N bytes at S into OUT (SIZE bytes):
 * lower case, runs of "-_." become one "-". */
static void
pep503_normalize(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (is_sep(s[i])) {
			if (o == 0 || out[o - 1] != '-')
				out[o++] = '-';
		} else {
			out[o++] = (char)tolower((unsigned char)s[i]);
		}
	}
	out[o] = '\0';
}

static const char *const sdist_exts[] = {
	".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tar", ".zip", NULL
};

/* The version in a distribution FILENAME of PROJECT ("pkg-1.0.tar.gz",
 * "pkg-1.0-py3-none-any.whl", "pkg-1.0-py3.11.egg"), or NULL. */
static char *
filename_version(const char *project, const char *filename)
{
	char want[REG_MAX_NAME + 1], got[REG_MAX_NAME + 1];
	size_t n = strlen(filename);

	pep503_normalize(project, strlen(project), want, sizeof(want));
	for (const char *dash = strchr(filename, '-'); dash;
	     dash = strchr(dash + 1, '-')) {
		const char *v = dash + 1, *end;

		pep503_normalize(filename, (size_t)(dash - filename), got,
				 sizeof(got));
		if (strcmp(got, want))
			continue;
		if (n > 4 && (!strcmp(filename + n - 4, ".whl") ||
			      !strcmp(filename + n - 4, ".egg"))) {
			end = strchr(v, '-');
			if (!end)
				end = filename + n - 4;
			return end > v ? xstrndup(v, (size_t)(end - v)) : NULL;
		}
		for (int i = 0; sdist_exts[i]; i++) {
			size_t e = strlen(sdist_exts[i]);

			if (n > e && !strcmp(filename + n - e, sdist_exts[i]) &&
			    filename + n - e > v)
				return xstrndup(v, (size_t)(filename + n - e - v));
		}
		return NULL;
	}
	return NULL;
}

static int
content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	while (ct && isspace((unsigned char)*ct))
		ct++;
	return ct && !strncasecmp(ct, want, n) &&
	       (!ct[n] || ct[n] == ';' || isspace((unsigned char)ct[n]));
}

static struct reg_version *
find_version(struct reg_answer *a, const char *v)
{
	struct reg_version key = { .version = (char *)(uintptr_t)v };

	if (!a->n_versions)
		return NULL;
	return bsearch(&key, a->versions, a->n_versions, sizeof(key),
		       version_order);
}

/* Fold one file of the simple API into its version (found by filename). */
static int
simple_file(struct reg_answer *a, const char *project, const cJSON *f,
	    int i, struct err *err)
{
	static const char what[] = "PEP 691 page";
	const cJSON *fn, *y, *t;
	struct reg_version *rv;
	char path[64];
	char *v;
	int64_t us;

	snprintf(path, sizeof(path), "files[%d]", i);
	if (!cJSON_IsObject(f))
		return wrong_type(err, what, path, "an object", f);
	fn = cJSON_GetObjectItemCaseSensitive(f, "filename");
	y = cJSON_GetObjectItemCaseSensitive(f, "yanked");
	t = cJSON_GetObjectItemCaseSensitive(f, "upload-time");
	snprintf(path, sizeof(path), "files[%d].filename", i);
	if (!cJSON_IsString(fn))
		return wrong_type(err, what, path, "a string", fn);
	snprintf(path, sizeof(path), "files[%d].yanked", i);
	if (y && !cJSON_IsBool(y) && !cJSON_IsString(y))
		return wrong_type(err, what, path, "a boolean or a string", y);
	snprintf(path, sizeof(path), "files[%d].upload-time", i);
	if (json_time(t, &us, what, path, err) < 0)
		return -1;
	v = filename_version(project, fn->valuestring);
	rv = v ? find_version(a, v) : NULL;
	free(v);
	if (!rv)
		return 0;
	if (us && (!rv->published_us || us < rv->published_us))
		rv->published_us = us;
	if (cJSON_IsTrue(y) || (cJSON_IsString(y) && *y->valuestring)) {
		rv->yanked = 1;
		if (cJSON_IsString(y) && !rv->yanked_reason)
			rv->yanked_reason = dup_capped(y->valuestring,
						       REG_MAX_MESSAGE);
	}
	return 0;
}

/* The version list: "versions" (api 1.1) or the versions in file names. */
static int
simple_versions(struct reg_answer *new, const char *project,
		const cJSON *versions, const cJSON *files, struct err *err)
{
	static const char what[] = "PEP 691 page";
	const cJSON *v;
	size_t cap = 0;
	int i = 0;

	if (versions) {
		if (!cJSON_IsArray(versions))
			return wrong_type(err, what, "versions", "a list",
					  versions);
		cJSON_ArrayForEach(v, versions) {
			char path[32];

			snprintf(path, sizeof(path), "versions[%d]", i++);
			if (!cJSON_IsString(v))
				return wrong_type(err, what, path, "a string", v);
			add_version(new, v->valuestring, &cap);
		}
	} else {
		cJSON_ArrayForEach(v, files) {
			const cJSON *fn = cJSON_GetObjectItemCaseSensitive(
				v, "filename");
			char *ver = cJSON_IsString(fn)
				    ? filename_version(project, fn->valuestring)
				    : NULL;

			if (ver)
				add_version(new, ver, &cap);
			free(ver);
		}
	}
	sort_versions(new);
	return 0;
}

/* A release is yanked when it has files and every one of them is; the
 * first pass marked versions with any yanked file, so undo the mixed ones. */
static void
simple_unyank_mixed(struct reg_answer *a, const char *project,
		    const cJSON *files)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, files) {
		const cJSON *fn = cJSON_GetObjectItemCaseSensitive(f, "filename");
		const cJSON *y = cJSON_GetObjectItemCaseSensitive(f, "yanked");
		char *v = filename_version(project, fn->valuestring);
		struct reg_version *rv = v ? find_version(a, v) : NULL;

		free(v);
		if (rv && !(cJSON_IsTrue(y) ||
			    (cJSON_IsString(y) && *y->valuestring))) {
			rv->yanked = 0;
			free(rv->yanked_reason);
			rv->yanked_reason = NULL;
		}
	}
}

static int
simple_meta(const cJSON *root, struct err *err)
{
	static const char what[] = "PEP 691 page";
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "meta");
	const cJSON *api = cJSON_GetObjectItemCaseSensitive(meta, "api-version");

	if (!cJSON_IsObject(meta))
		return wrong_type(err, what, "meta", "an object", meta);
	if (!cJSON_IsString(api))
		return wrong_type(err, what, "meta.api-version", "a string", api);
	if (strncmp(api->valuestring, "1.", 2) && strcmp(api->valuestring, "1"))
		return err_set(err, ERR_INVALID, "%s: unsupported api-version "
			       "\"%.32s\" (expected 1.x)", what,
			       api->valuestring);
	return 0;
}

static int
simple_document(struct reg_answer *new, const cJSON *root, struct err *err)
{
	static const char what[] = "PEP 691 page";
	const cJSON *files, *name, *f;
	const char *project = new->package;
	int i = 0;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_INVALID, "%s: expected an object, "
			       "got %s", what, json_type_name(root));
	if (simple_meta(root, err) < 0)
		return -1;
	name = cJSON_GetObjectItemCaseSensitive(root, "name");
	if (name && !cJSON_IsString(name))
		return wrong_type(err, what, "name", "a string", name);
	if (name)
		project = name->valuestring;
	files = cJSON_GetObjectItemCaseSensitive(root, "files");
	if (!cJSON_IsArray(files))
		return wrong_type(err, what, "files", "a list", files);
	if (simple_versions(new, project, cJSON_GetObjectItemCaseSensitive(
				    root, "versions"), files, err) < 0)
		return -1;
	cJSON_ArrayForEach(f, files)
		if (simple_file(new, project, f, i++, err) < 0)
			return -1;
	simple_unyank_mixed(new, project, files);
	return 0;
}

int
registry_parse_pypi_simple(struct reg_answer *a, const char *content_type,
			   const char *body, size_t len, struct err *err)
{
	static const char want[] = "application/vnd.pypi.simple.v1+json";
	struct reg_answer *new;
	cJSON *root;
	int rc = -1;

	if (!content_type_is(content_type, want))
		return err_set(err, ERR_INVALID, "PEP 691 page: Content-Type "
			       "is %.80s, expected %s", content_type
			       ? content_type : "missing", want);
	root = parse_body(body, len, "PEP 691 page", err);
	if (!root)
		return -1;
	new = reg_answer_new(a->type, a->package);
	if (simple_document(new, root, err) == 0) {
		take_data(a, new, 0);
		rc = 0;
	}
	cJSON_Delete(root);
	reg_answer_free(new);
	return rc;
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
	if (json_time(cJSON_GetObjectItemCaseSensitive(v, "time"),
		      &rv->published_us, from_what, sub, err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.deprecated", path);
	if (json_opt_message(cJSON_GetObjectItemCaseSensitive(v, "deprecated"),
			     &rv->deprecated, from_what, sub, err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.yanked", path);
	if (y && !cJSON_IsBool(y))
		return wrong_type(err, from_what, sub, "a boolean", y);
	rv->yanked = cJSON_IsTrue(y);
	snprintf(sub, sizeof(sub), "%s.yanked_reason", path);
	return json_opt_message(cJSON_GetObjectItemCaseSensitive(v,
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
			return wrong_type(err, from_what, path,
					  "{\"version\": string}", name);
		key = name->valuestring;
	} else if (!key)
		return wrong_type(err, from_what, path, "a string or an object",
				  v);
	rv = add_version(a, key, cap);
	if (!rv)
		return 0;
	if (cJSON_IsObject(v))
		return from_version_object(rv, v, path, err);
	if (cJSON_IsString(v) && v->string)
		return json_time(v, &rv->published_us, from_what, path, err);
	if (!cJSON_IsNull(v) && !cJSON_IsTrue(v) && !cJSON_IsString(v))
		return wrong_type(err, from_what, path, "an object", v);
	return 0;
}

static int
from_versions(struct reg_answer *a, const cJSON *versions, struct err *err)
{
	const cJSON *v;
	size_t cap = 0;
	int i = 0;

	if (!cJSON_IsObject(versions) && !cJSON_IsArray(versions))
		return wrong_type(err, from_what, "versions",
				  "an object or a list", versions);
	cJSON_ArrayForEach(v, versions)
		if (from_version(a, &cap, cJSON_IsObject(versions) ? v->string
				 : NULL, v, i++, err) < 0)
			return -1;
	sort_versions(a);
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
		return wrong_type(err, from_what, key, "a string", j);
	replace_str(slot, j->valuestring);
	return 0;
}

static int
from_header(struct reg_answer *a, const cJSON *o, struct err *err)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *stale = cJSON_GetObjectItemCaseSensitive(o, "stale");

	if (type && (!cJSON_IsString(type) ||
		     reg_type_parse(type->valuestring, &a->type) < 0))
		return err_set(err, ERR_INVALID, "%s: type: expected \"npm\" "
			       "or \"pypi\"", from_what);
	if (from_string_member(o, "package", &a->package, err) < 0 ||
	    from_string_member(o, "source", &a->source, err) < 0 ||
	    from_string_member(o, "etag", &a->etag, err) < 0 ||
	    from_string_member(o, "last_modified", &a->last_modified, err) < 0 ||
	    from_string_member(o, "error", &a->error, err) < 0)
		return -1;
	if (stale && !cJSON_IsBool(stale))
		return wrong_type(err, from_what, "stale", "a boolean", stale);
	a->stale = cJSON_IsTrue(stale);
	return json_time(cJSON_GetObjectItemCaseSensitive(o, "fetched_at"),
			 &a->fetched_at_us, from_what, "fetched_at", err);
}

struct reg_answer *
reg_answer_from_json(const char *json, size_t len, enum reg_type t,
		     const char *package, struct err *err)
{
	struct reg_answer *a = reg_answer_new(t, package);
	cJSON *o = parse_body(json, len, from_what, err);
	const cJSON *tags, *versions;
	int rc = -1;

	if (!o)
		goto out;
	if (!cJSON_IsObject(o)) {
		err_set(err, ERR_INVALID, "%s: expected an object, got %s",
			from_what, json_type_name(o));
		goto out;
	}
	tags = cJSON_GetObjectItemCaseSensitive(o, "dist-tags");
	versions = cJSON_GetObjectItemCaseSensitive(o, "versions");
	if (from_header(a, o, err) < 0 ||
	    (tags && parse_tags(a, tags, from_what, err) < 0) ||
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

const char *
reg_answer_latest_stable(const struct reg_answer *a)
{
	for (size_t i = a->n_versions; i-- > 0;) {
		const struct reg_version *v = &a->versions[i];

		if (!v->yanked && !registry_version_is_prerelease(a->type,
								  v->version))
			return v->version;
	}
	return NULL;
}

/* Whether A can be judged; fills WHY when it cannot. */
static int
judgeable(const struct reg_answer *a, char *why, size_t size)
{
	if (!a || !a->has_data) {
		snprintf(why, size, "no answer from the registry for %s%s%s",
			 a ? a->package : "the package",
			 a && a->error ? ": " : "", a && a->error ? a->error : "");
		return 0;
	}
	if (a->stale) {
		snprintf(why, size, "the registry answer for %s is stale%s%s",
			 a->package, a->error ? ": " : "",
			 a->error ? a->error : "");
		return 0;
	}
	return 1;
}

int
registry_probe_judge(const struct reg_answer *a, const char *dist_tag,
		     const char *expect_version, char *why, size_t size)
{
	const char *tag = dist_tag && *dist_tag ? dist_tag : "latest";
	const char *seen;
	int pypi_latest;

	if (!judgeable(a, why, size))
		return -1;
	pypi_latest = a->type == REG_PYPI && !strcmp(tag, "latest") &&
		      !a->n_tags;
	seen = pypi_latest ? reg_answer_latest_stable(a)
			   : reg_answer_tag(a, tag);
	if (!seen) {
		snprintf(why, size, "%s has no %s %s (expected %s)", a->package,
			 pypi_latest ? "release for" : "dist-tag", tag,
			 expect_version);
		return 0;
	}
	snprintf(why, size, "%s@%s is %s (expected %s)", a->package, tag, seen,
		 expect_version);
	return !strcmp(seen, expect_version);
}

int
registry_probe_judge_withdrawn(const struct reg_answer *a,
			       const char *version, char *why, size_t size)
{
	const struct reg_version *v;

	if (!judgeable(a, why, size))
		return -1;
	v = reg_answer_find(a, version);
	if (!v) {
		snprintf(why, size, "%s has no version %s", a->package,
			 version);
		return 0;
	}
	if (v->deprecated)
		snprintf(why, size, "%s@%s is deprecated: %s", a->package,
			 version, v->deprecated);
	else if (v->yanked)
		snprintf(why, size, "%s %s is yanked%s%s", a->package, version,
			 v->yanked_reason ? ": " : "",
			 v->yanked_reason ? v->yanked_reason : "");
	else
		snprintf(why, size, "%s %s is neither deprecated nor yanked",
			 a->package, version);
	return v->deprecated || v->yanked;
}
