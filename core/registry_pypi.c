/* PyPI and the indexes that speak its APIs: the JSON API document
 * (/pypi/NAME/json) first, the PEP 691 simple page where an index has no
 * JSON API; PEP 440's pre-release rule; "latest" as the highest stable
 * release. One row of reg_backend.h. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "reg_backend.h"
#include "regconf.h"
#include "registry_int.h"
#include "version.h"
#include "xalloc.h"
static int
is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
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
		return reg_wrong_type(err, what, path, "an object", f);
	t = cJSON_GetObjectItemCaseSensitive(f, "upload_time_iso_8601");
	if (!t)
		t = cJSON_GetObjectItemCaseSensitive(f, "upload_time");
	snprintf(sub, sizeof(sub), "%s.upload_time_iso_8601", path);
	if (reg_json_time(t, &us, what, sub, err) < 0)
		return -1;
	if (us && (!rv->published_us || us < rv->published_us))
		rv->published_us = us;
	yanked = cJSON_GetObjectItemCaseSensitive(f, "yanked");
	snprintf(sub, sizeof(sub), "%s.yanked", path);
	if (yanked && !cJSON_IsBool(yanked))
		return reg_wrong_type(err, what, sub, "a boolean", yanked);
	snprintf(sub, sizeof(sub), "%s.yanked_reason", path);
	if (reg_json_opt_message(cJSON_GetObjectItemCaseSensitive(f,
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
		return reg_wrong_type(err, "PyPI JSON", path, "a list", rel);
	rv = reg_add_version(a, rel->string, cap);
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
			rv->yanked_reason = reg_dup_capped(r->valuestring,
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
			       "got %s", what, reg_json_type_name(root));
	info = cJSON_GetObjectItemCaseSensitive(root, "info");
	releases = cJSON_GetObjectItemCaseSensitive(root, "releases");
	if (info && !cJSON_IsObject(info))
		return reg_wrong_type(err, what, "info", "an object", info);
	if (!releases)
		return err_set(err, ERR_INVALID, "%s: no \"releases\" member "
			       "(use the simple API for this index)", what);
	if (!cJSON_IsObject(releases))
		return reg_wrong_type(err, what, "releases", "an object", releases);
	cJSON_ArrayForEach(rel, releases)
		if (pypi_release(new, &cap, rel, err) < 0)
			return -1;
	if (info)
		pypi_info_yank(new, info);
	reg_sort_versions(new);
	return 0;
}

int
registry_parse_pypi_json(struct reg_answer *a, const char *body, size_t len,
			 struct err *err)
{
	return reg_parse_document(a, body, len, "PyPI JSON", pypi_document, 0,
				  err);
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
		       reg_version_order);
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
		return reg_wrong_type(err, what, path, "an object", f);
	fn = cJSON_GetObjectItemCaseSensitive(f, "filename");
	y = cJSON_GetObjectItemCaseSensitive(f, "yanked");
	t = cJSON_GetObjectItemCaseSensitive(f, "upload-time");
	snprintf(path, sizeof(path), "files[%d].filename", i);
	if (!cJSON_IsString(fn))
		return reg_wrong_type(err, what, path, "a string", fn);
	snprintf(path, sizeof(path), "files[%d].yanked", i);
	if (y && !cJSON_IsBool(y) && !cJSON_IsString(y))
		return reg_wrong_type(err, what, path, "a boolean or a string", y);
	snprintf(path, sizeof(path), "files[%d].upload-time", i);
	if (reg_json_time(t, &us, what, path, err) < 0)
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
			rv->yanked_reason = reg_dup_capped(y->valuestring,
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
			return reg_wrong_type(err, what, "versions", "a list",
					  versions);
		cJSON_ArrayForEach(v, versions) {
			char path[32];

			snprintf(path, sizeof(path), "versions[%d]", i++);
			if (!cJSON_IsString(v))
				return reg_wrong_type(err, what, path, "a string", v);
			reg_add_version(new, v->valuestring, &cap);
		}
	} else {
		cJSON_ArrayForEach(v, files) {
			const cJSON *fn = cJSON_GetObjectItemCaseSensitive(
				v, "filename");
			char *ver = cJSON_IsString(fn)
				    ? filename_version(project, fn->valuestring)
				    : NULL;

			if (ver)
				reg_add_version(new, ver, &cap);
			free(ver);
		}
	}
	reg_sort_versions(new);
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
		return reg_wrong_type(err, what, "meta", "an object", meta);
	if (!cJSON_IsString(api))
		return reg_wrong_type(err, what, "meta.api-version", "a string", api);
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
			       "got %s", what, reg_json_type_name(root));
	if (simple_meta(root, err) < 0)
		return -1;
	name = cJSON_GetObjectItemCaseSensitive(root, "name");
	if (name && !cJSON_IsString(name))
		return reg_wrong_type(err, what, "name", "a string", name);
	if (name)
		project = name->valuestring;
	files = cJSON_GetObjectItemCaseSensitive(root, "files");
	if (!cJSON_IsArray(files))
		return reg_wrong_type(err, what, "files", "a list", files);
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

	if (!content_type_is(content_type, want))
		return err_set(err, ERR_INVALID, "PEP 691 page: Content-Type "
			       "is %.80s, expected %s", content_type
			       ? content_type : "missing", want);
	return reg_parse_document(a, body, len, "PEP 691 page",
				  simple_document, 0, err);
}

/* --- the row -------------------------------------------------------------- */

/* The two documents, in the order they are asked. */
enum { PYPI_JSON_API, PYPI_SIMPLE };

/* An index without the JSON API answers 404/406 or HTML there. */
static int
pypi_next_stage(int stage, int status, const char *content_type)
{
	const char *ct = content_type ? content_type : "";

	if (stage != PYPI_JSON_API)
		return -1;
	if (status == 404 || status == 406 ||
	    (status == 200 && (strstr(ct, "html") ||
			       strstr(ct, "vnd.pypi.simple"))))
		return PYPI_SIMPLE;
	return -1;
}

static char *
pypi_url(const char *base, const char *package, int stage)
{
	return stage == PYPI_SIMPLE ? regconf_pypi_simple_url(base, package)
				    : regconf_pypi_json_url(base, package);
}

static const char *
pypi_accept(int stage)
{
	return stage == PYPI_SIMPLE
		? "Accept: application/vnd.pypi.simple.v1+json, "
		  "application/vnd.pypi.simple.v1+html; q=0.1"
		: "Accept: application/json";
}

static int
pypi_parse(struct reg_answer *a, int stage, const char *content_type,
	   const char *body, size_t len, struct err *err)
{
	if (stage == PYPI_SIMPLE)
		return registry_parse_pypi_simple(a, content_type, body, len,
						  err);
	return registry_parse_pypi_json(a, body, len, err);
}

const struct reg_backend reg_backend_pypi = {
	.type = REG_PYPI,
	.tag_word = "dist-tag",
	.locate = regconf_locate_pypi,
	.next_stage = pypi_next_stage,
	.url = pypi_url,
	.accept = pypi_accept,
	.parse = pypi_parse,
	.is_prerelease = version_is_prerelease,
	.implied_tag = reg_backend_latest_is_stable,
};
