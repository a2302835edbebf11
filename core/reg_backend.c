/* The table of registry types, and what depends on a type's rules: its
 * location, pre-releases, the "latest" a registry without tags implies,
 * and the probe checks. */
#include "config.h"

#include "reg_backend.h"

#include <stdio.h>
#include <string.h>

#include "playbook.h"
#include "regconf.h"
#include "xalloc.h"

static const struct reg_backend *const rows[] = {
	[REG_NPM] = &reg_backend_npm,
	[REG_PYPI] = &reg_backend_pypi,
	[REG_CRATES] = &reg_backend_crates,
};

_Static_assert(sizeof(rows) / sizeof(rows[0]) == REG_TYPE_COUNT,
	       "one row per enum reg_type");

const struct reg_backend *
reg_backend(enum reg_type t)
{
	/* A type comes from reg_type_parse or the playbook's loader; any
	 * other value is a bug, never a reason to take another row. */
	if ((unsigned)t >= REG_TYPE_COUNT)
		BUG("registry type outside enum reg_type");
	return rows[t];
}

int
reg_backend_latest_is_stable(const struct reg_answer *a, const char *tag,
			     const char **version)
{
	if (strcmp(tag, "latest") != 0)
		return 0;
	*version = reg_answer_latest_stable(a);
	return 1;
}

int
reg_backend_locate(enum reg_type t, const char *package,
		   const char *target_url, const struct regconf_opts *opts,
		   struct regconf *out, struct err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (target_url && !*target_url)
		target_url = NULL;
	rc = reg_backend(t)->locate(package, target_url, opts, out, err);
	if (rc < 0)
		regconf_done(out);
	return rc;
}

int
registry_version_is_prerelease(enum reg_type t, const char *v)
{
	return reg_backend(t)->is_prerelease(v);
}

int
registry_version_is_prerelease_in(const struct playbook *pb, const char *v)
{
	const struct pb_registry *regs = pb ? pb->targets.registries : NULL;
	size_t n = pb ? pb->targets.n_registries : 0;

	for (size_t i = 0; i < n; i++)
		if (registry_version_is_prerelease(regs[i].type, v))
			return 1;
	for (size_t t = 0; !n && t < REG_TYPE_COUNT; t++)
		if (registry_version_is_prerelease((enum reg_type)t, v))
			return 1;
	return 0;
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
	const struct reg_backend *be;
	const char *seen;
	int implied;

	if (!judgeable(a, why, size))
		return -1;
	be = reg_backend(a->type);
	implied = !a->n_tags && be->implied_tag &&
		  be->implied_tag(a, tag, &seen);
	if (!implied)
		seen = reg_answer_tag(a, tag);
	if (!seen) {
		snprintf(why, size, "%s has no %s %s (expected %s)", a->package,
			 implied ? "release for" : be->tag_word, tag,
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
