/* Reading a repository's tags with libgit2: the glob reference iterator,
 * peeled ids straight from packed-refs, object reads only for the details
 * that are shown, semver ordering, HEAD, recent commits and status. */
#include "config.h"

#include "tags.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include <git2.h>

#include "err.h"
#include "semver.h"
#include "strbuf.h"
#include "xalloc.h"

struct reader {
	git_repository *repo;
	git_odb *odb;
	struct tag_list *tl;
	size_t cap;
	git_oid head;
	int has_head;
};

static const char *
git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

/* libgit2 is reference-counted: every entry point pairs these two. */
static void
git_begin(void)
{
	git_libgit2_init();
	/* fixtures and mounted repositories may belong to another uid */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

static int
open_repo(const char *path, git_repository **repo, struct err *err)
{
	struct stat st;
	int rc;

	if (stat(path, &st) < 0)
		return err_set(err, ERR_NOTFOUND, "%s: %s", path,
			       strerror(errno));
	rc = git_repository_open_ext(repo, path, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		return err_set(err, ERR_NOTFOUND, "%s: not a git repository "
			       "(nor any of its parents)", path);
	if (rc < 0)
		return err_set(err, ERR_IO, "%s: cannot open the repository: %s",
			       path, git_message());
	return 0;
}

static void
short_id(char *out, const git_oid *id)
{
	git_oid_tostr(out, TAGS_SHORT_ID, id);
}

static char *
first_line(const char *text)
{
	size_t n;

	if (!text)
		return NULL;
	n = strcspn(text, "\n");
	if (n > 0 && text[n - 1] == '\r')
		n--;
	return xstrndup(text, n);
}

static enum tag_target
target_of(git_object_t type)
{
	switch (type) {
	case GIT_OBJECT_COMMIT:
		return TAG_TARGET_COMMIT;
	case GIT_OBJECT_TREE:
		return TAG_TARGET_TREE;
	case GIT_OBJECT_BLOB:
		return TAG_TARGET_BLOB;
	default:
		return TAG_TARGET_UNKNOWN;
	}
}

const char *
tag_target_name(enum tag_target t)
{
	static const char *const names[] = { "commit", "tree", "blob",
					     "unknown" };

	return t <= TAG_TARGET_UNKNOWN ? names[t] : "unknown";
}

/* --- listing ------------------------------------------------------------- */

static struct tag_info *
add_tag(struct reader *r, const char *name)
{
	struct tag_list *tl = r->tl;
	struct tag_info *t;

	if (tl->n_tags == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		tl->tags = xrealloc(tl->tags, r->cap * sizeof(*tl->tags));
	}
	t = &tl->tags[tl->n_tags++];
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->is_semver = (unsigned)semver_parse(name, NULL);
	t->target = TAG_TARGET_UNKNOWN;
	return t;
}

/* Keep the first problem only: one bad ref is worth a line, not 50,000. */
static void __attribute__((format(printf, 2, 3)))
add_warning(struct tag_list *tl, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (tl->warning)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tl->warning = xstrdup(buf);
}

/* Peel a tag that packed-refs did not peel for us (a loose ref): follow
 * the chain of tag objects to what it finally names. */
static int
peel_loose(struct reader *r, struct tag_info *t, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = -1;

	if (git_object_lookup(&obj, r->repo, id, GIT_OBJECT_ANY) == 0) {
		if (git_object_type(obj) != GIT_OBJECT_TAG) {
			git_oid_cpy((git_oid *)t->peeled, id);
			t->target = target_of(git_object_type(obj));
			rc = 0;
		} else if (git_object_peel(&peeled, obj, GIT_OBJECT_ANY) == 0) {
			t->is_annotated = 1;
			git_oid_cpy((git_oid *)t->peeled, git_object_id(peeled));
			t->target = target_of(git_object_type(peeled));
			rc = 0;
		}
	}
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

static void
add_ref(struct reader *r, git_reference *ref)
{
	git_reference *resolved = NULL;
	const git_oid *id, *peel;
	struct tag_info *t;

	if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
		if (git_reference_resolve(&resolved, ref) < 0) {
			add_warning(r->tl, "tag %s skipped: %s",
				    git_reference_shorthand(ref), git_message());
			return;
		}
		ref = resolved;
	}
	t = add_tag(r, git_reference_shorthand(ref));
	id = git_reference_target(ref);
	peel = git_reference_target_peel(ref);
	git_oid_cpy((git_oid *)t->oid, id);
	if (peel) {
		/* packed-refs "^" line: an annotated tag, no object read */
		t->is_annotated = 1;
		git_oid_cpy((git_oid *)t->peeled, peel);
	} else if (git_reference_is_tag(ref) && peel_loose(r, t, id) < 0) {
		add_warning(r->tl, "tag %s: %s", t->name, git_message());
	}
	short_id(t->commit, (const git_oid *)t->peeled);
	git_reference_free(resolved);
}

/* --- the fast path: packed-refs read directly ---------------------------- */

/* libgit2's iterator loads packed-refs into a sorted cache, which costs
 * more than the whole listing git itself does; with a "fully-peeled"
 * packed-refs every line already says what we need. Loose refs under
 * refs/tags override packed ones and go through libgit2 as usual. */

struct names {
	char **v;
	size_t n, cap;
};

static void
names_add(struct names *ns, char *name)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xrealloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	ns->v[ns->n++] = name;
}

static void
names_done(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_lock_file(const char *name)
{
	size_t n = strlen(name);

	return n >= 5 && strcmp(name + n - 5, ".lock") == 0;
}

/* Every file below DIR as "refs/tags/..." names in NS. */
static void
collect_loose(const char *dir, const char *prefix, struct names *ns)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *path, *name;
		struct stat st;

		if (e->d_name[0] == '.' || is_lock_file(e->d_name))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		name = xasprintf("%s/%s", prefix, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			collect_loose(path, name, ns);
			free(name);
		} else {
			names_add(ns, name);
		}
		free(path);
	}
	closedir(d);
}

static int
is_loose(const struct names *ns, const char *name)
{
	return ns->n && bsearch(&name, ns->v, ns->n, sizeof(*ns->v),
				cmp_name) != NULL;
}

static void
add_loose(struct reader *r, const struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		git_reference *ref = NULL;

		if (git_reference_lookup(&ref, r->repo, ns->v[i]) < 0) {
			add_warning(r->tl, "%s skipped: %s", ns->v[i],
				    git_message());
			continue;
		}
		add_ref(r, ref);
		git_reference_free(ref);
	}
}

static int
is_hex_oid(const char *p, const char *end)
{
	return end - p >= GIT_OID_HEXSZ &&
	       strspn(p, "0123456789abcdef") >= GIT_OID_HEXSZ;
}

/* One line of packed-refs (NUL-terminated); *LAST is the tag the next "^"
 * line peels, NULL after a non-tag ref. Returns -1 on a malformed line. */
static int
packed_line(struct reader *r, char *line, char *end,
	    const struct names *loose, struct tag_info **last)
{
	struct tag_info *t;
	char *name = line + GIT_OID_HEXSZ + 1;

	if (line[0] == '^') {
		if (!is_hex_oid(line + 1, end))
			return -1;
		if (*last) {
			git_oid_fromstrn((git_oid *)(*last)->peeled, line + 1,
					 GIT_OID_HEXSZ);
			(*last)->is_annotated = 1;
			short_id((*last)->commit,
				 (const git_oid *)(*last)->peeled);
		}
		*last = NULL;
		return 0;
	}
	if (!is_hex_oid(line, end) || line[GIT_OID_HEXSZ] != ' ' || !*name)
		return -1;
	*last = NULL;
	if (strncmp(name, "refs/tags/", 10) != 0 || is_loose(loose, name))
		return 0;
	t = add_tag(r, name + 10);
	git_oid_fromstrn((git_oid *)t->oid, line, GIT_OID_HEXSZ);
	memcpy(t->peeled, t->oid, sizeof(t->peeled));
	short_id(t->commit, (const git_oid *)t->peeled);
	*last = t;
	return 0;
}

static int
parse_packed(struct reader *r, char *buf, size_t len,
	     const struct names *loose)
{
	char *p = buf, *end = buf + len;
	struct tag_info *last = NULL;
	char *nl = memchr(p, '\n', len);

	/* only a "fully-peeled" file says that a ref without "^" is not a
	 * tag object */
	if (!nl || strncmp(p, "# pack-refs with:", 17) != 0)
		return 0;
	*nl = '\0';
	if (!strstr(p, " fully-peeled"))
		return 0;
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = '\0';
		if (*p && packed_line(r, p, nl, loose, &last) < 0)
			return 0;
	}
	return 1;
}

static int
read_packed(struct reader *r, const char *common, const struct names *loose)
{
	char *path = xasprintf("%s/packed-refs", common);
	struct strbuf sb;
	struct stat st;
	int rc;

	strbuf_init(&sb);
	if (stat(path, &st) < 0)
		rc = errno == ENOENT;	/* no packed-refs: all refs are loose */
	else if (strbuf_read_file(&sb, path, 0, NULL) < 0)
		rc = 0;
	else
		rc = parse_packed(r, sb.buf, sb.len, loose);
	strbuf_done(&sb);
	free(path);
	return rc;
}

/* Returns 1 when the tags were listed, 0 when libgit2 must do it. */
static int
tags_list_fast(struct reader *r)
{
	const char *common = git_repository_commondir(r->repo);
	struct names loose = { 0 };
	char *dir;
	int rc;

	if (!common)
		return 0;
	dir = xasprintf("%s/refs/tags", common);
	collect_loose(dir, "refs/tags", &loose);
	free(dir);
	if (loose.n)
		qsort(loose.v, loose.n, sizeof(*loose.v), cmp_name);
	rc = read_packed(r, common, &loose);
	if (rc == 1)
		add_loose(r, &loose);
	names_done(&loose);
	return rc;
}

static int
list_with_iterator(struct reader *r, const char *path, struct err *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc;

	if (git_reference_iterator_glob_new(&it, r->repo, "refs/tags/*") < 0)
		return err_set(err, ERR_CORRUPT, "%s: cannot read the tags "
			       "(packed-refs or refs/tags): %s", path,
			       git_message());
	while ((rc = git_reference_next(&ref, it)) == 0) {
		add_ref(r, ref);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return err_set(err, ERR_CORRUPT, "%s: cannot read the tags "
			       "(packed-refs or refs/tags): %s", path,
			       git_message());
	return 0;
}

static void
drop_tags(struct tag_list *tl)
{
	for (size_t i = 0; i < tl->n_tags; i++) {
		free(tl->tags[i].name);
		free(tl->tags[i].message);
	}
	tl->n_tags = 0;
	free(tl->warning);
	tl->warning = NULL;
}

static int
list_tags(struct reader *r, const char *path, struct err *err)
{
	int rc = tags_list_fast(r);

	if (rc <= 0) {
		/* not packed with peeled lines, or something odd: libgit2
		 * decides, and words the error when it is corrupt */
		drop_tags(r->tl);
		if (list_with_iterator(r, path, err) < 0)
			return -1;
	}
	r->tl->n_total = r->tl->n_tags;
	return 0;
}

/* --- details: date, message, target kind ------------------------------- */

static void
commit_details(struct reader *r, struct tag_info *t, int set_time)
{
	git_object *obj = NULL;

	if (git_object_lookup(&obj, r->repo, (const git_oid *)t->peeled,
			      GIT_OBJECT_ANY) < 0) {
		add_warning(r->tl, "tag %s: %s", t->name, git_message());
		return;
	}
	t->target = target_of(git_object_type(obj));
	if (set_time && t->target == TAG_TARGET_COMMIT)
		t->time = git_commit_time((const git_commit *)obj);
	git_object_free(obj);
}

static void
load_details(struct reader *r, struct tag_info *t)
{
	git_tag *tag = NULL;
	const git_signature *who = NULL;

	if (t->has_details)
		return;
	t->has_details = 1;
	if (t->is_annotated &&
	    git_tag_lookup(&tag, r->repo, (const git_oid *)t->oid) == 0) {
		who = git_tag_tagger(tag);
		if (who)
			t->time = who->when.time;
		t->message = first_line(git_tag_message(tag));
		if (!t->message)
			t->message = xstrdup("");
		git_tag_free(tag);
	}
	commit_details(r, t, who == NULL);
}

static void
load_details_range(struct reader *r, size_t from, size_t n)
{
	struct tag_list *tl = r->tl;

	for (size_t i = from; i < tl->n_tags && i - from < n; i++)
		load_details(r, &tl->tags[i]);
}

static void
load_nonsemver_details(struct reader *r)
{
	for (size_t i = 0; i < r->tl->n_tags; i++)
		if (!r->tl->tags[i].is_semver)
			load_details(r, &r->tl->tags[i]);
}

/* --- ordering ------------------------------------------------------------ */

struct sort_key {
	struct semver v;
	const struct tag_info *t;
};

static int
cmp_keys(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	int c;

	if (a->t->is_semver != b->t->is_semver)
		return a->t->is_semver ? -1 : 1;
	if (a->t->is_semver)
		c = -semver_cmp(&a->v, &b->v);
	else
		c = a->t->time > b->t->time ? -1 : a->t->time < b->t->time;
	return c ? c : strcmp(a->t->name, b->t->name);
}

int
tags_order(const struct tag_info *a, const struct tag_info *b)
{
	struct sort_key ka = { .t = a };
	struct sort_key kb = { .t = b };

	semver_parse(a->name, &ka.v);
	semver_parse(b->name, &kb.v);
	return cmp_keys(&ka, &kb);
}

/* Versions are parsed once into keys; the comparator never re-parses. */
void
tags_sort(struct tag_list *tl)
{
	struct sort_key *keys;
	struct tag_info *sorted;

	if (tl->n_tags < 2)
		return;
	keys = xmalloc(tl->n_tags * sizeof(*keys));
	for (size_t i = 0; i < tl->n_tags; i++) {
		keys[i].t = &tl->tags[i];
		tl->tags[i].is_semver = (unsigned)semver_parse(
			tl->tags[i].name, &keys[i].v);
	}
	qsort(keys, tl->n_tags, sizeof(*keys), cmp_keys);
	sorted = xmalloc(tl->n_tags * sizeof(*sorted));
	for (size_t i = 0; i < tl->n_tags; i++)
		sorted[i] = *keys[i].t;
	free(tl->tags);
	tl->tags = sorted;
	free(keys);
}

/* --- HEAD, recent commits, status ---------------------------------------- */

static void
read_unborn_branch(struct reader *r)
{
	git_reference *head = NULL;
	const char *target;

	if (git_reference_lookup(&head, r->repo, "HEAD") < 0)
		return;
	target = git_reference_symbolic_target(head);
	if (target && strncmp(target, "refs/heads/", 11) == 0)
		r->tl->branch = xstrdup(target + 11);
	git_reference_free(head);
}

static void
read_head(struct reader *r)
{
	git_reference *head = NULL;
	int rc = git_repository_head(&head, r->repo);

	if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
		read_unborn_branch(r);
		return;
	}
	if (rc < 0) {
		add_warning(r->tl, "HEAD: %s", git_message());
		return;
	}
	git_oid_cpy(&r->head, git_reference_target(head));
	r->has_head = 1;
	short_id(r->tl->head, &r->head);
	if (git_repository_head_detached(r->repo) == 1)
		r->tl->is_detached = 1;
	else
		r->tl->branch = xstrdup(git_reference_shorthand(head));
	git_reference_free(head);
}

static void
mark_head_tags(struct reader *r)
{
	if (!r->has_head)
		return;
	for (size_t i = 0; i < r->tl->n_tags; i++)
		if (git_oid_equal((const git_oid *)r->tl->tags[i].peeled,
				  &r->head))
			r->tl->tags[i].is_on_head = 1;
}

static void
add_recent(struct reader *r, git_commit *commit)
{
	struct tag_commit *c = &r->tl->recent[r->tl->n_recent++];
	const char *subject = git_commit_summary(commit);

	short_id(c->id, git_commit_id(commit));
	c->subject = xstrdup(subject ? subject : "");
}

/* libgit2 1.5's revwalk does not know shallow grafts and fails at the
 * missing parent of a shallow clone; following first parents from where
 * it stopped shows the history that is there. */
static void
walk_first_parents(struct reader *r, const git_oid *from)
{
	git_commit *commit = NULL, *parent = NULL;

	if (git_commit_lookup(&commit, r->repo, from) < 0)
		return;
	if (r->tl->n_recent == 0)
		add_recent(r, commit);
	while (r->tl->n_recent < TAGS_N_RECENT &&
	       git_commit_parent(&parent, commit, 0) == 0) {
		add_recent(r, parent);
		git_commit_free(commit);
		commit = parent;
	}
	git_commit_free(commit);
}

static void
read_recent(struct reader *r)
{
	git_revwalk *walk = NULL;
	git_commit *commit;
	git_oid id, last;
	int rc = -1;

	if (!r->has_head || git_revwalk_new(&walk, r->repo) < 0)
		return;
	git_oid_cpy(&last, &r->head);
	if (git_revwalk_push(walk, &r->head) == 0) {
		while (r->tl->n_recent < TAGS_N_RECENT &&
		       (rc = git_revwalk_next(&id, walk)) == 0 &&
		       git_commit_lookup(&commit, r->repo, &id) == 0) {
			add_recent(r, commit);
			git_oid_cpy(&last, &id);
			git_commit_free(commit);
		}
	}
	git_revwalk_free(walk);
	if (rc < 0 && rc != GIT_ITEROVER && r->tl->n_recent < TAGS_N_RECENT)
		walk_first_parents(r, &last);
}

/* Dirty means what "check the working tree is clean" asks: tracked files
 * modified, deleted or staged; untracked and ignored files do not count. */
static void
read_status(struct reader *r)
{
	git_status_options opts;
	git_status_list *list = NULL;

	if (r->tl->is_bare)
		return;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, r->repo, &opts) < 0) {
		add_warning(r->tl, "status: %s", git_message());
		return;
	}
	r->tl->n_changed = git_status_list_entrycount(list);
	r->tl->is_dirty = r->tl->n_changed > 0;
	git_status_list_free(list);
}

static void
read_repo_state(struct reader *r)
{
	const char *common = git_repository_commondir(r->repo);

	r->tl->gitdir = xstrdup(git_repository_path(r->repo));
	r->tl->commondir = xstrdup(common ? common : r->tl->gitdir);
	r->tl->is_bare = git_repository_is_bare(r->repo) == 1;
	r->tl->is_shallow = git_repository_is_shallow(r->repo) == 1;
	read_head(r);
	read_recent(r);
	read_status(r);
}

/* --- entry points -------------------------------------------------------- */

static struct tag_list *
list_new(const char *path)
{
	struct tag_list *tl = xcalloc(1, sizeof(*tl));

	tl->path = xstrdup(path);
	return tl;
}

struct tag_list *
tags_read_ex(const char *path, size_t n_detailed, struct err *err)
{
	struct reader r = { 0 };
	struct tag_list *tl = list_new(path);

	r.tl = tl;
	git_begin();
	if (open_repo(path, &r.repo, err) < 0 ||
	    list_tags(&r, path, err) < 0) {
		tag_list_free(tl);
		tl = NULL;
		goto out;
	}
	read_repo_state(&r);
	load_nonsemver_details(&r);
	tags_sort(tl);
	load_details_range(&r, 0, n_detailed ? n_detailed : tl->n_tags);
	mark_head_tags(&r);
out:
	git_repository_free(r.repo);
	git_libgit2_shutdown();
	return tl;
}

struct tag_list *
tags_read(const char *path, struct err *err)
{
	return tags_read_ex(path, TAGS_DETAILED, err);
}

int
tags_load_details(struct tag_list *tl, struct err *err)
{
	struct reader r = { .tl = tl };
	int rc = 0;

	git_begin();
	if (!tl->gitdir)
		rc = err_set(err, ERR_STATE, "%s: no repository was read",
			     tl->path);
	else if (open_repo(tl->gitdir, &r.repo, err) < 0)
		rc = -1;
	else
		load_details_range(&r, 0, tl->n_tags);
	git_repository_free(r.repo);
	git_libgit2_shutdown();
	return rc;
}

/* --- the git probe ------------------------------------------------------- */

static int
peel_to_commit(git_repository *repo, const char *spec, git_oid *out,
	       char *why, size_t size)
{
	git_object *obj = NULL, *commit = NULL;
	int rc = -1;

	if (git_revparse_single(&obj, repo, spec) < 0)
		snprintf(why, size, "%s: %s", spec, git_message());
	else if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		snprintf(why, size, "%s does not point at a commit (%s)", spec,
			 git_object_type2string(git_object_type(obj)));
	else {
		git_oid_cpy(out, git_object_id(commit));
		rc = 0;
	}
	git_object_free(commit);
	git_object_free(obj);
	return rc;
}

static int
compare_head(git_repository *repo, const char *tag, char *why, size_t size)
{
	char *spec = xasprintf("refs/tags/%s", tag);
	char a[TAGS_SHORT_ID], b[TAGS_SHORT_ID];
	git_oid head, want;
	int rc = -1;

	if (peel_to_commit(repo, "HEAD", &head, why, size) == 0 &&
	    peel_to_commit(repo, spec, &want, why, size) == 0) {
		rc = git_oid_equal(&head, &want);
		short_id(a, &head);
		short_id(b, &want);
		if (rc)
			snprintf(why, size, "HEAD is at %s (%s)", tag, a);
		else
			snprintf(why, size, "HEAD is at %s, tag %s is at %s",
				 a, tag, b);
	} else if (strstr(why, spec) == why) {
		snprintf(why, size, "no tag %s", tag);
	}
	free(spec);
	return rc;
}

int
tags_head_at(const char *path, const char *tag, char *why, size_t size)
{
	git_repository *repo = NULL;
	struct err err;
	int rc;

	git_begin();
	if (open_repo(path, &repo, &err) < 0) {
		snprintf(why, size, "%s", err.msg);
		rc = -1;
	} else {
		rc = compare_head(repo, tag, why, size);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
