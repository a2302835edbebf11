/* The npm registry: its packument (full or abbreviated) and dist-tags
 * documents, and SemVer's pre-release rule. One row of reg_backend.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "reg_backend.h"
#include "regconf.h"
#include "registry_int.h"
#include "semver.h"
#include "xalloc.h"

/* The "time" object's members sorted by name, for a lookup per version
 * in log time: cJSON finds a member by walking the list, and a package
 * with 10,000 versions spent 0.6 s in those walks alone. Among members
 * of the same name the first wins, as in cJSON's own lookup. */
struct time_member {
	const cJSON *item;
	size_t pos;
};

struct time_index {
	struct time_member *m;
	size_t n;
};

static int
cmp_member(const void *a, const void *b)
{
	const struct time_member *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int
cmp_key(const void *key, const void *member)
{
	return strcmp(key, ((const struct time_member *)member)->item->string);
}

static void
time_index_build(struct time_index *ix, const cJSON *times)
{
	const cJSON *t;
	size_t n = 0;

	ix->n = 0;
	ix->m = NULL;
	cJSON_ArrayForEach(t, times)
		n++;
	if (!n)
		return;
	ix->m = xcalloc(n, sizeof(*ix->m));
	cJSON_ArrayForEach(t, times) {
		if (t->string) {
			ix->m[ix->n].item = t;
			ix->m[ix->n].pos = ix->n;
			ix->n++;
		}
	}
	qsort(ix->m, ix->n, sizeof(*ix->m), cmp_member);
}

/* The first member named KEY, or NULL. */
static const cJSON *
time_index_find(const struct time_index *ix, const char *key)
{
	const struct time_member *hit;

	if (!ix->n)
		return NULL;
	hit = bsearch(key, ix->m, ix->n, sizeof(*ix->m), cmp_key);
	while (hit && hit > ix->m && !strcmp(hit[-1].item->string, key))
		hit--;
	return hit ? hit->item : NULL;
}

static int
npm_version(struct reg_answer *a, size_t *cap, const cJSON *v,
	    const struct time_index *times, struct err *err)
{
	static const char what[] = "npm document";
	char path[REG_MAX_NAME + 32];
	struct reg_version *rv;
	char *deprecated;
	int64_t t;

	snprintf(path, sizeof(path), "versions.%s", v->string);
	if (!cJSON_IsObject(v))
		return reg_wrong_type(err, what, path, "an object", v);
	snprintf(path, sizeof(path), "versions.%s.deprecated", v->string);
	if (reg_json_opt_message(cJSON_GetObjectItemCaseSensitive(v, "deprecated"),
			     &deprecated, what, path, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "time.%s", v->string);
	if (reg_json_time(time_index_find(times, v->string), &t, what, path,
			  err) < 0) {
		free(deprecated);
		return -1;
	}
	rv = reg_add_version(a, v->string, cap);
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
	struct time_index ix;
	size_t cap = 0;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_INVALID, "%s: expected an object, "
			       "got %s", what, reg_json_type_name(root));
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
		return reg_wrong_type(err, what, "versions", "an object", versions);
	if (times && !cJSON_IsObject(times))
		return reg_wrong_type(err, what, "time", "an object", times);
	if (tags && reg_parse_tags(new, tags, what, err) < 0)
		return -1;
	time_index_build(&ix, times);
	cJSON_ArrayForEach(v, versions) {
		if (npm_version(new, &cap, v, &ix, err) < 0) {
			free(ix.m);
			return -1;
		}
	}
	free(ix.m);
	reg_sort_versions(new);
	return 0;
}

int
registry_parse_npm(struct reg_answer *a, const char *body, size_t len,
		   struct err *err)
{
	return reg_parse_document(a, body, len, "npm document", npm_document,
				  0, err);
}

static int
npm_dist_tags(struct reg_answer *new, const cJSON *root, struct err *err)
{
	return reg_parse_tags(new, root, "npm dist-tags", err);
}

int
registry_parse_npm_dist_tags(struct reg_answer *a, const char *body,
			     size_t len, struct err *err)
{
	return reg_parse_document(a, body, len, "npm dist-tags", npm_dist_tags,
				  1, err);
}

/* --- the row -------------------------------------------------------------- */

static char *
npm_url(const char *base, const char *package, int stage)
{
	(void)stage;
	return regconf_npm_url(base, package);
}

static const char *
npm_accept(int stage)
{
	(void)stage;
	return "Accept: application/vnd.npm.install-v1+json; q=1.0, "
	       "application/json; q=0.8";
}

static int
npm_parse(struct reg_answer *a, int stage, const char *content_type,
	  const char *body, size_t len, struct err *err)
{
	(void)stage;
	(void)content_type;
	return registry_parse_npm(a, body, len, err);
}

const struct reg_backend reg_backend_npm = {
	.type = REG_NPM,
	.tag_word = "dist-tag",
	.locate = regconf_locate_npm,
	.url = npm_url,
	.accept = npm_accept,
	.parse = npm_parse,
	.is_prerelease = semver_is_prerelease,	/* npm versions are SemVer */
};
