/* What a package registry says about one package (npm dist-tags and
 * versions with publish times and deprecations; PyPI versions with upload
 * times and yanks): the answer model, the parsers for the registries' JSON
 * documents, a compact JSON form for the journal, the disk cache and drill
 * scenarios, and the pure checks the registry probes use. */
#ifndef REWIND_CORE_REGISTRY_H
#define REWIND_CORE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* One per row of the backend table (reg_backend.h). */
enum reg_type {
	REG_NPM,
	REG_PYPI,
	REG_CRATES,
	REG_TYPE_COUNT
};

struct reg_tag {
	char *name;		/* "latest", "beta"... */
	char *version;
};

struct reg_version {
	char *version;
	int64_t published_us;	/* publish/first upload time, 0 = unknown */
	char *deprecated;	/* npm deprecation message, or NULL */
	int yanked;		/* PyPI: the release is yanked */
	char *yanked_reason;	/* or NULL */
};

struct reg_answer {
	enum reg_type type;
	char *package;
	char *source;		/* host[:port] it came from, or NULL */
	struct reg_tag *tags;	/* npm dist-tags, in document order */
	size_t n_tags;
	struct reg_version *versions;	/* ascending by version order */
	size_t n_versions;
	int64_t fetched_at_us;	/* wall time of the last good answer, 0 = never */
	char *etag;		/* validator of the last good answer, or NULL */
	char *last_modified;	/* likewise */
	char *error;		/* the last fault (one line), or NULL */
	int stale;		/* tags/versions are from an earlier answer (the
				 * disk cache, or before ERROR) */
	int has_data;		/* tags/versions were filled at least once */
	char *note;		/* why no data will come (a drill), or NULL */
};

/* Longest version string, tag name and message kept (longer ones are cut
 * or, for keys, skipped). */
#define REG_MAX_NAME 256
#define REG_MAX_MESSAGE 1024

/* The type names a playbook may write, in enum reg_type order, NULL
 * ended. */
extern const char *const reg_type_names[];
/* "npm" / "pypi". */
const char *reg_type_name(enum reg_type t);
/* "\"npm\", \"pypi\" or \"crates\"", for messages; caller frees. */
char *reg_type_list(void);
/* Parse "npm" / "pypi" into *T; returns 0, or -1 for anything else. */
int reg_type_parse(const char *s, enum reg_type *t);

/* A new empty answer for PACKAGE (copied); caller frees with
 * reg_answer_free. */
struct reg_answer *reg_answer_new(enum reg_type t, const char *package);
/* Set (a copy of) NOTE, shown instead of "asking" when A has no data
 * and none is coming; NULL clears it. */
void reg_answer_set_note(struct reg_answer *a, const char *note);

/* Free A and everything it holds (A may be NULL). */
void reg_answer_free(struct reg_answer *a);
/* Drop A's tags and versions (keeps package, source, validators). */
void reg_answer_clear_data(struct reg_answer *a);
/* Replace A's error with a copy of MSG (NULL clears it). */
void reg_answer_set_error(struct reg_answer *a, const char *msg);
/* Replace A's source with a copy of SOURCE (or NULL). */
void reg_answer_set_source(struct reg_answer *a, const char *source);
/* Whether A and B hold the same tags and versions (times, deprecations
 * and yanks included); package, validators and errors are not compared. */
int reg_answer_same_data(const struct reg_answer *a, const struct reg_answer *b);

/* Parsers: fill A's tags and versions from BODY (LEN bytes, need not be
 * NUL-terminated) and set has_data; on failure A is left as it was and ERR
 * names what was wrong ("npm document: versions: expected an object"). */
/* An npm packument, full or abbreviated (corgi). */
int registry_parse_npm(struct reg_answer *a, const char *body, size_t len,
		       struct err *err);
/* The /-/package/NAME/dist-tags object: replaces only A's tags. */
int registry_parse_npm_dist_tags(struct reg_answer *a, const char *body,
				 size_t len, struct err *err);
/* PyPI's JSON API document (/pypi/NAME/json). */
int registry_parse_pypi_json(struct reg_answer *a, const char *body,
			     size_t len, struct err *err);
/* A PEP 691 simple API project page; CONTENT_TYPE (may be NULL) must be
 * application/vnd.pypi.simple.v1+json (an HTML page is an error naming the
 * type it got). */
int registry_parse_pypi_simple(struct reg_answer *a, const char *content_type,
			       const char *body, size_t len, struct err *err);

/* A Cargo registry's /api/v1/crates/NAME document. */
int registry_parse_crates(struct reg_answer *a, const char *body, size_t len,
			  struct err *err);

/* A's compact JSON (one line, no secrets):
 *   {"type":"npm","package":"p","source":"host:port",
 *    "fetched_at":"2026-11-21T19:30:00.000000Z","etag":"...",
 *    "stale":true,"error":"...",
 *    "dist-tags":{"latest":"1.2.3"},
 *    "versions":{"1.2.3":{"time":"2026-...Z","deprecated":"msg",
 *                         "yanked":true,"yanked_reason":"msg"}}}
 * Optional members are left out when empty. Caller frees. */
char *reg_answer_to_json(const struct reg_answer *a);

/* Read an answer back from JSON (LEN bytes): the form above, or a drill
 * scenario's state.registry.NAME, where "type"/"package" may be missing
 * (T and PACKAGE fill them), "versions" may also be a list of version
 * strings or of {"version": ..., ...} objects, and a version's value may be
 * a time string, and "time" may be µs since the epoch. Returns a new answer
 * (caller frees) or NULL with ERR. */
struct reg_answer *reg_answer_from_json(const char *json, size_t len,
					enum reg_type t, const char *package,
					struct err *err);

/* Order two version strings: the total order of version.h (SemVer 2.0 and
 * PEP 440 each by their own rules, and a rule between them: 1.0.dev1 <
 * 1.0rc1 < 1.0.0-rc.1 < 1.0 == 1.0.0 < 1.0.post1). Returns <0, 0 or >0. */
int registry_version_cmp(const char *a, const char *b);
/* The version dist-tag TAG points at, borrowed, or NULL. */
const char *reg_answer_tag(const struct reg_answer *a, const char *tag);
/* Version entry V, borrowed, or NULL. */
const struct reg_version *reg_answer_find(const struct reg_answer *a,
					  const char *v);

#endif
