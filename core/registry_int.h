/* What the registry backends (registry_npm.c, registry_pypi.c...) share
 * with the answer model in registry.c to read their documents: building an
 * answer, and reading JSON members with errors that name the member. Not
 * for anyone else: the rest of the program sees registry.h and
 * reg_backend.h. */
#ifndef REWIND_CORE_REGISTRY_INT_H
#define REWIND_CORE_REGISTRY_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "registry.h"

struct err;

/* --- building an answer --- */

/* Move NEW's tags (and, unless TAGS_ONLY, versions) into A and mark A as
 * having data; NEW gets A's old ones. */
void reg_take_data(struct reg_answer *a, struct reg_answer *new,
		   int tags_only);
/* A copy of S cut to MAX bytes. */
char *reg_dup_capped(const char *s, size_t max);
void reg_add_tag(struct reg_answer *a, const char *name, const char *version);
/* A new version entry (zeroed but for its name; *CAP is the array's room),
 * or NULL for a name that is empty or too long to be a version. */
struct reg_version *reg_add_version(struct reg_answer *a, const char *version,
				    size_t *cap);
/* Sort A's versions into version order and drop exact duplicates. */
void reg_sort_versions(struct reg_answer *a);
/* qsort/bsearch order of two struct reg_version by version. */
int reg_version_order(const void *x, const void *y);

/* Read BODY as one JSON document with DOC (which fills a new answer from
 * the root); on success A takes the new data (its tags only with
 * TAGS_ONLY); on failure A is left as it was. WHAT names the document in
 * errors ("npm document"). */
typedef int (*reg_doc_fn)(struct reg_answer *new, const cJSON *root,
			  struct err *err);
int reg_parse_document(struct reg_answer *a, const char *body, size_t len,
		       const char *what, reg_doc_fn doc, int tags_only,
		       struct err *err);

/* --- reading JSON --- */

/* BODY (LEN bytes) as JSON, or NULL with ERR saying "WHAT: empty body",
 * "truncated JSON" or "not JSON (error at byte N)". */
cJSON *reg_parse_body(const char *body, size_t len, const char *what,
		      struct err *err);
/* "an object", "a list", "a string"... */
const char *reg_json_type_name(const cJSON *j);
/* Sets ERR to "WHAT: PATH: expected WANT, got a number"; returns -1. */
int reg_wrong_type(struct err *err, const char *what, const char *path,
		   const char *want, const cJSON *got);
/* A timestamp member (RFC 3339 text, or µs as a number) into *US; absent,
 * unreadable or out-of-range times give 0; other types are an error. */
int reg_json_time(const cJSON *j, int64_t *us, const char *what,
		  const char *path, struct err *err);
/* A message member that may be absent, null, false or "" (*OUT = NULL). */
int reg_json_opt_message(const cJSON *j, char **out, const char *what,
			 const char *path, struct err *err);
/* An object of tag name -> version string into A's tags. */
int reg_parse_tags(struct reg_answer *a, const cJSON *tags, const char *what,
		   struct err *err);

#endif
