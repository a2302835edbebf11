/* The git tags source: a repository's tags (semver order, dates, peeled
 * commits, annotations), HEAD, recent commits and work-tree state read with
 * libgit2; the compact JSON form used by the journal, drill scenarios and
 * replay; and the "HEAD is at tag" probe.
 *
 * JSON shape (tag_list_to_json writes it, tag_list_from_json reads it; the
 * same thing a drill scenario's state.tags holds):
 *
 *   {"path": "repo", "head": "abc1234", "branch": "main", "dirty": false,
 *    "n_changed": 0, "detached": false, "shallow": false, "bare": false,
 *    "n_tags": 3, "error": "...", "stale": true,
 *    "tags": [{"name": "v1.2.3", "date": "2026-11-20T10:00:00Z",
 *              "commit": "abc1234", "message": "Release 1.2.3",
 *              "annotated": true, "target": "blob", "head": true}, ...],
 *    "recent": [{"commit": "abc1234", "subject": "Fix the build"}, ...]}
 *
 * Every member is optional when reading. Writing omits false flags, null
 * messages, "target" for commits, "error"/"stale" when not set, and keeps
 * at most max_tags tags ("n_tags" still counts them all). A bare array of
 * tag names or tag objects is accepted too (hand-written scenarios):
 *   ["v1.2.3", {"name": "v1.2.2", "date": "2026-11-01"}]
 * Dates are RFC 3339 UTC ("2026-11-20T10:00:00Z"; "2026-11-20" and numeric
 * seconds since the epoch are accepted when reading). */
#ifndef REWIND_CORE_TAGS_H
#define REWIND_CORE_TAGS_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct cJSON;

#define TAGS_SHORT_ID 8		/* 7 hex digits and the NUL */
#define TAGS_N_RECENT 10	/* commits kept in tag_list.recent */
#define TAGS_DETAILED 256	/* tags whose details tags_read loads */

/* What a tag's chain of tag objects ends at. */
enum tag_target {
	TAG_TARGET_COMMIT,
	TAG_TARGET_TREE,
	TAG_TARGET_BLOB,
	TAG_TARGET_UNKNOWN,	/* details not loaded, or a missing object */
};

struct tag_info {
	char *name;		/* "v1.2.3" (refs/tags/ stripped) */
	int64_t time;		/* tagger date, else commit time (s, UTC) */
	char commit[TAGS_SHORT_ID]; /* short id of the peeled target */
	char *message;		/* first line of the annotation, or NULL */
	enum tag_target target;	/* commit unless the tag peels elsewhere */
	unsigned is_annotated:1;
	unsigned is_semver:1;
	unsigned is_on_head:1;	/* peels to HEAD's commit */
	unsigned has_details:1;	/* time, message and target are loaded */
	unsigned char oid[20];	/* raw id the ref names (tag or commit) */
	unsigned char peeled[20]; /* raw id after peeling, zeros if unknown */
};

struct tag_commit {
	char id[TAGS_SHORT_ID];
	char *subject;		/* first line of the commit message */
};

struct tag_list {
	char *path;		/* as given to tags_read */
	char *gitdir;		/* the repository's git dir, NULL if none */
	char *commondir;	/* where refs and packed-refs live */
	char head[TAGS_SHORT_ID]; /* HEAD's short id, "" when unborn */
	char *branch;		/* HEAD's branch, NULL when detached */
	unsigned is_detached:1;
	unsigned is_dirty:1;	/* tracked files modified or staged */
	unsigned is_shallow:1;
	unsigned is_bare:1;
	unsigned is_stale:1;	/* ERROR is set but the tags are old data */
	size_t n_changed;	/* tracked files modified or staged */
	size_t n_tags;		/* entries in TAGS */
	size_t n_total;		/* tags in the repository (>= n_tags) */
	struct tag_info *tags;	/* tags_sort order */
	size_t n_recent;
	struct tag_commit recent[TAGS_N_RECENT]; /* newest first */
	char *error;		/* why the repository could not be read */
	char *warning;		/* a partial read, e.g. a bad ref skipped */
};

/* Read the repository at PATH (or the one enclosing it; bare works): all
 * tags in tags_sort order with details (date, message, target kind) for
 * the first TAGS_DETAILED of them and for every non-semver tag, HEAD, the
 * last TAGS_N_RECENT commits and whether tracked files are modified or
 * staged (untracked files do not count). Caller frees with tag_list_free;
 * NULL with ERR set when PATH is not a repository or refs are corrupt. */
struct tag_list *tags_read(const char *path, struct err *err);

/* tags_read with details for the first N_DETAILED tags (0 = all). */
struct tag_list *tags_read_ex(const char *path, size_t n_detailed,
			      struct err *err);

/* Load the details tags_read left out (reopens TL->gitdir); returns 0, or
 * -1 with ERR set when the repository can no longer be read. */
int tags_load_details(struct tag_list *tl, struct err *err);

/* Sort TL's tags: semver tags highest first, then the others newest first,
 * ties by name. */
void tags_sort(struct tag_list *tl);

/* Order of two tags as tags_sort uses it (<0: A is shown first). */
int tags_order(const struct tag_info *a, const struct tag_info *b);

/* An empty list for PATH that only carries MESSAGE as its error (what a
 * watcher reports when the repository cannot be read); caller frees. */
struct tag_list *tag_list_new_error(const char *path, const char *message);

/* A deep copy of TL (NULL gives NULL); caller frees. */
struct tag_list *tag_list_dup(const struct tag_list *tl);

/* The tag named NAME in TL, borrowed; NULL when there is none. */
const struct tag_info *tag_list_find(const struct tag_list *tl,
				     const char *name);

/* Free TL and everything it holds; TL may be NULL. */
void tag_list_free(struct tag_list *tl);

/* "commit", "tree", "blob" or "unknown". */
const char *tag_target_name(enum tag_target t);

/* TL as compact JSON (shape above) with at most MAX_TAGS tags (0 = all);
 * the caller owns the tree. */
struct cJSON *tag_list_to_json(const struct tag_list *tl, size_t max_tags);

/* A list from JSON (shape above, or an array of names or tag objects),
 * sorted; caller frees. NULL with ERR_PARSE naming the bad member. */
struct tag_list *tag_list_from_json(const struct cJSON *json,
				    struct err *err);

/* The git probe: whether HEAD of the repository at PATH and TAG peel to
 * the same commit. Returns 1 (yes), 0 (no) or -1 (not a repository, no
 * such tag, unborn HEAD); WHY (SIZE bytes) says what was seen. */
int tags_head_at(const char *path, const char *tag, char *why, size_t size);

#endif
