/* A Cargo registry's web API (crates.io and the registries that serve the
 * same API): GET API/api/v1/crates/NAME lists every version with its
 * publish time and yank. Cargo keeps no tags; "latest" is the highest
 * version that is neither yanked nor a SemVer pre-release, as cargo picks
 * for a plain requirement. The API root is not in Cargo's configuration
 * (only the index is), so the playbook names it. One row of
 * reg_backend.h. */
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
#include "strbuf.h"
#include "xalloc.h"

static const char what[] = "crates document";

/* One member of "versions": {"num": "1.2.3", "yanked": false,
 * "created_at": "...", "yank_message": "..."}. */
static int
crates_version(struct reg_answer *a, size_t *cap, const cJSON *v, int i,
	       struct err *err)
{
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(v, "num");
	const cJSON *yanked = cJSON_GetObjectItemCaseSensitive(v, "yanked");
	struct reg_version *rv;
	char path[64], *reason;
	int64_t us;

	snprintf(path, sizeof(path), "versions[%d]", i);
	if (!cJSON_IsObject(v))
		return reg_wrong_type(err, what, path, "an object", v);
	snprintf(path, sizeof(path), "versions[%d].num", i);
	if (!cJSON_IsString(num))
		return reg_wrong_type(err, what, path, "a string", num);
	snprintf(path, sizeof(path), "versions[%d].yanked", i);
	if (yanked && !cJSON_IsBool(yanked))
		return reg_wrong_type(err, what, path, "a boolean", yanked);
	snprintf(path, sizeof(path), "versions[%d].created_at", i);
	if (reg_json_time(cJSON_GetObjectItemCaseSensitive(v, "created_at"),
			  &us, what, path, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "versions[%d].yank_message", i);
	if (reg_json_opt_message(cJSON_GetObjectItemCaseSensitive(
			v, "yank_message"), &reason, what, path, err) < 0)
		return -1;
	rv = reg_add_version(a, num->valuestring, cap);
	if (!rv) {
		free(reason);
		return 0;
	}
	rv->published_us = us;
	rv->yanked = cJSON_IsTrue(yanked);
	rv->yanked_reason = rv->yanked ? reason : NULL;
	if (!rv->yanked)
		free(reason);
	return 0;
}

static int
crates_document(struct reg_answer *new, const cJSON *root, struct err *err)
{
	const cJSON *versions, *v;
	size_t cap = 0;
	int i = 0;

	if (!cJSON_IsObject(root))
		return err_set(err, ERR_INVALID, "%s: expected an object, "
			       "got %s", what, reg_json_type_name(root));
	versions = cJSON_GetObjectItemCaseSensitive(root, "versions");
	if (!versions)
		return err_set(err, ERR_INVALID, "%s: no \"versions\" member",
			       what);
	if (!cJSON_IsArray(versions))
		return reg_wrong_type(err, what, "versions", "a list",
				      versions);
	cJSON_ArrayForEach(v, versions)
		if (crates_version(new, &cap, v, i++, err) < 0)
			return -1;
	reg_sort_versions(new);
	return 0;
}

int
registry_parse_crates(struct reg_answer *a, const char *body, size_t len,
		      struct err *err)
{
	return reg_parse_document(a, body, len, what, crates_document, 0, err);
}

/* --- the row -------------------------------------------------------------- */

static int
crates_locate(const char *package, const char *target_url,
	      const struct regconf_opts *o, struct regconf *out,
	      struct err *err)
{
	(void)o;
	if (!target_url)
		return err_set(err, ERR_NOTFOUND, "no Cargo registry API "
			       "for %s: set the playbook's "
			       "targets.registry[].url to the registry's API "
			       "root (the \"api\" of its index config.json)",
			       package);
	return regconf_locate_url(target_url, "playbook", out, err);
}

/* API/api/v1/crates/NAME (crate names are ASCII letters, digits, - and
 * _; anything else is escaped). */
static char *
crates_url(const char *base, const char *package, int stage)
{
	struct strbuf sb = STRBUF_INIT;

	(void)stage;
	strbuf_adds(&sb, base);
	strbuf_adds(&sb, "api/v1/crates/");
	for (const unsigned char *p = (const unsigned char *)package; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			strbuf_addc(&sb, (char)*p);
		else
			strbuf_addf(&sb, "%%%02X", *p);
	return strbuf_detach(&sb);
}

static const char *
crates_accept(int stage)
{
	(void)stage;
	return "Accept: application/json";
}

static int
crates_parse(struct reg_answer *a, int stage, const char *content_type,
	     const char *body, size_t len, struct err *err)
{
	(void)stage;
	(void)content_type;
	return registry_parse_crates(a, body, len, err);
}

const struct reg_backend reg_backend_crates = {
	.type = REG_CRATES,
	.tag_word = "tag",
	.locate = crates_locate,
	.url = crates_url,
	.accept = crates_accept,
	.parse = crates_parse,
	.is_prerelease = semver_is_prerelease,	/* as Cargo reads them */
	.implied_tag = reg_backend_latest_is_stable,
};
