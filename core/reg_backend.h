/* Each kind of package registry is one row of a table: how its location
 * and credentials are found, which documents are asked and in what order,
 * how each is read, and its rules for versions. The watcher, the probes,
 * the panes and the playbook's "type" field all go through the table, so
 * a new registry type is one file (registry_TYPE.c defining its row), one
 * entry in reg_backend.c and one test of its documents. */
#ifndef REWIND_CORE_REG_BACKEND_H
#define REWIND_CORE_REG_BACKEND_H

#include <stddef.h>

#include "registry.h"

struct err;
struct playbook;
struct regconf;
struct regconf_opts;

struct reg_backend {
	enum reg_type type;
	/* What this registry calls a tag ("dist-tag") and a withdrawn
	 * release ("deprecated", "yanked"), for messages. */
	const char *tag_word;
	/* Find the registry for PACKAGE: TARGET_URL (the playbook's, never
	 * NULL or empty here) wins, else the user's configuration; see
	 * regconf.h. */
	int (*locate)(const char *package, const char *target_url,
		      const struct regconf_opts *o, struct regconf *out,
		      struct err *err);
	/* A registry may need more than one document: STAGE 0 is asked
	 * first; next_stage says which to ask instead after an answer with
	 * STATUS and CONTENT_TYPE (may be NULL), or -1 to take the answer;
	 * NULL for a registry with one document. */
	int (*next_stage)(int stage, int status, const char *content_type);
	/* The document URL of PACKAGE under BASE (ends in "/"); caller
	 * frees. */
	char *(*url)(const char *base, const char *package, int stage);
	/* The Accept header line to send for STAGE. */
	const char *(*accept)(int stage);
	/* Fill A's tags and versions from BODY (see registry.h's parsers). */
	int (*parse)(struct reg_answer *a, int stage, const char *content_type,
		     const char *body, size_t len, struct err *err);
	int (*is_prerelease)(const char *version);
	/* For a registry that keeps no tags of its own: whether it implies
	 * TAG (PyPI's "latest" is its highest stable release), and then
	 * the version in *VERSION (NULL when there is none). May be NULL. */
	int (*implied_tag)(const struct reg_answer *a, const char *tag,
			   const char **version);
};

/* The row of type T; a T outside enum reg_type is a bug (abort). */
const struct reg_backend *reg_backend(enum reg_type t);

/* regconf_resolve's work for type T: zeroes OUT, treats an empty
 * TARGET_URL as none, and releases OUT again on failure. */
int reg_backend_locate(enum reg_type t, const char *package,
		       const char *target_url, const struct regconf_opts *opts,
		       struct regconf *out, struct err *err);

/* Whether V is a pre-release by the rule of type T's row ("1.3.0-beta.1",
 * "2.0rc1", "1.0.dev3"). */
int registry_version_is_prerelease(enum reg_type t, const char *v);

/* Whether V is a pre-release by the rule of a registry PB watches (one
 * of its registries' rows calls it one); with no registry, or a NULL PB,
 * by the rule of any row. For a version known only by its value (the
 * restore target in the report, prerelease_note). */
int registry_version_is_prerelease_in(const struct playbook *pb,
				      const char *v);

/* The highest version that is neither yanked nor a pre-release by A's
 * type's rule (NULL when there is none; PyPI's "latest"); borrowed. */
const char *reg_answer_latest_stable(const struct reg_answer *a);

/* Probe check: does DIST_TAG (NULL = "latest"; a tag the registry does
 * not keep is its row's implied_tag) point at EXPECT_VERSION? Returns 1 when it
 * does, 0 when it does not, -1 when A cannot say (no data); WHY gets one
 * line saying what was expected and what was seen. */
int registry_probe_judge(const struct reg_answer *a, const char *dist_tag,
			 const char *expect_version, char *why, size_t size);
/* Probe check: is VERSION deprecated (npm) or yanked (PyPI)? Same
 * results and WHY as registry_probe_judge. */
int registry_probe_judge_withdrawn(const struct reg_answer *a,
				   const char *version, char *why,
				   size_t size);

/* An implied_tag for registries without tags: "latest" is
 * reg_answer_latest_stable. */
int reg_backend_latest_is_stable(const struct reg_answer *a, const char *tag,
				 const char **version);

/* The rows (registry_npm.c, registry_pypi.c, registry_crates.c). */
extern const struct reg_backend reg_backend_npm;
extern const struct reg_backend reg_backend_pypi;
extern const struct reg_backend reg_backend_crates;

#endif
