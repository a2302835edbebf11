/* Tests of the tags source: semver precedence, reading real repositories
 * made with git in temporary directories (annotated, lightweight,
 * tag-of-tag, tags on blobs and trees, bare, shallow, corrupt, 100,000
 * tags), the JSON form, the HEAD probe and the watcher on a real loop. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "err.h"
#include "loop.h"
#include "semver.h"
#include "tags.h"
#include "tagwatch.h"
#include "testutil.h"
#include "xalloc.h"

#define T0 1700000000LL

static char *big_parent;	/* a temporary directory holding: */
static char *big_repo;		/* 100,000 tags, made once in main */
static double big_seconds;	/* how long making it took */

/* --- helpers ----------------------------------------------------------- */

/* Run CMD in DIR with a fixed identity and commit/tag date WHEN. */
static void
sh_at(const char *dir, long long when, const char *cmd)
{
	char *line = xasprintf("cd '%s' && GIT_COMMITTER_DATE='@%lld +0000' "
			       "GIT_AUTHOR_DATE='@%lld +0000'; export "
			       "GIT_COMMITTER_DATE GIT_AUTHOR_DATE; ( %s ) "
			       ">/dev/null 2>&1", dir, when, when, cmd);
	int rc = system(line);

	ck_assert_msg(rc == 0, "command failed (%d): %s", rc, cmd);
	free(line);
}

static void
sh(const char *dir, const char *cmd)
{
	sh_at(dir, T0, cmd);
}

/* The first line CMD prints in DIR (caller frees). */
static char *
capture(const char *dir, const char *cmd)
{
	char *line = xasprintf("cd '%s' && %s", dir, cmd);
	char buf[256] = "";
	FILE *p = popen(line, "r");

	ck_assert(p != NULL);
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	pclose(p);
	free(line);
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	free(tu_write_file(dir, name, text, strlen(text)));
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Three commits and nine tags of every kind (dates in comments):
 * c1 v1.0.0 (annotated, T0+10), old-build (annotated, T0+220)
 * c2 v1.1.0-rc.1 (lightweight), v1.1.0 (annotated, T0+110),
 *    nested-outer (tag of v1.1.0, T0+120), blob-tag (blob),
 *    tree-tag (annotated on c2's tree, T0+130)
 * c3 = HEAD: v1.2.0 (lightweight), release/2024-01 (annotated, T0+210) */
static char *
make_repo(void)
{
	char *dir = tu_mkdtemp();

	sh(dir, "git init -q -b main .");
	write_file(dir, "file.txt", "one\n");
	sh_at(dir, T0, "git add file.txt && git commit -q -m first");
	sh_at(dir, T0 + 10, "git tag -a v1.0.0 -m 'Release 1.0.0'");
	write_file(dir, "file.txt", "two\n");
	sh_at(dir, T0 + 100, "git commit -q -a -m second");
	sh_at(dir, T0 + 100, "git tag v1.1.0-rc.1");
	sh_at(dir, T0 + 110, "printf 'Release 1.1.0\\n\\nWith a body.\\n' | "
	      "git tag -a v1.1.0 -F -");
	sh_at(dir, T0 + 120, "git -c advice.nestedTag=false tag -a "
	      "nested-outer -m 'Outer tag' v1.1.0");
	sh_at(dir, T0 + 120, "git tag blob-tag HEAD:file.txt");
	sh_at(dir, T0 + 130, "git tag -a tree-tag -m 'A tree' 'HEAD^{tree}'");
	write_file(dir, "file.txt", "three\n");
	sh_at(dir, T0 + 200, "git commit -q -a -m third");
	sh_at(dir, T0 + 200, "git tag v1.2.0");
	sh_at(dir, T0 + 210, "git tag -a release/2024-01 -m 'Nested name'");
	sh_at(dir, T0 + 220, "git tag -a old-build -m old HEAD~2");
	return dir;
}

static const struct tag_info *
must_find(const struct tag_list *tl, const char *name)
{
	const struct tag_info *t = tag_list_find(tl, name);

	ck_assert_msg(t != NULL, "tag %s missing", name);
	return t;
}

static struct tag_list *
must_read(const char *dir)
{
	struct err err = { 0 };
	struct tag_list *tl = tags_read(dir, &err);

	ck_assert_msg(tl != NULL, "tags_read %s: %s", dir, err.msg);
	return tl;
}

/* --- semver -------------------------------------------------------------- */

static const struct {
	const char *a, *b;
	int sign;
} precedence[] = {
	{ "1.0.0", "2.0.0", -1 },
	{ "2.0.0", "2.1.0", -1 },
	{ "2.1.0", "2.1.1", -1 },
	{ "1.9.0", "1.10.0", -1 },
	{ "1.10.0", "1.9.9", 1 },
	{ "0.0.9", "0.0.10", -1 },
	{ "v1.2.3", "1.2.3", 0 },
	{ "V1.2.3", "v1.2.3", 0 },
	{ "v1.2.3", "v1.2.4", -1 },
	{ "1.0.0-rc.2", "1.0.0", -1 },
	{ "1.0.0", "1.0.0-rc.2", 1 },
	{ "v1.0.0-rc.1", "v1.0.0-rc.2", -1 },
	{ "1.0.0-rc.2", "1.0.0-rc.10", -1 },
	{ "1.0.0-alpha", "1.0.0-alpha.1", -1 },
	{ "1.0.0-alpha.1", "1.0.0-alpha.beta", -1 },
	{ "1.0.0-alpha.beta", "1.0.0-beta", -1 },
	{ "1.0.0-beta", "1.0.0-beta.2", -1 },
	{ "1.0.0-beta.2", "1.0.0-beta.11", -1 },
	{ "1.0.0-beta.11", "1.0.0-rc.1", -1 },
	{ "1.0.0-rc.1", "1.0.0", -1 },
	{ "1.0.0-1", "1.0.0-a", -1 },
	{ "1.0.0-999", "1.0.0-a", -1 },
	{ "1.0.0-a", "1.0.0-B", 1 },
	{ "1.0.0-x-y", "1.0.0-x", 1 },
	{ "1.0.0-0.3.7", "1.0.0-0.3.8", -1 },
	{ "1.0.0+build.1", "1.0.0+build.2", 0 },
	{ "1.0.0-rc.1+b", "1.0.0-rc.1", 0 },
	{ "1.0.0+20130313144700", "1.0.0", 0 },
	{ "2.0.0-rc.1", "1.9.9", 1 },
	{ "18446744073709551615.0.0", "1.0.0", 1 },
	{ "1.0.0-18446744073709551616", "1.0.0-9", 1 },
	{ "1.2.3", "release-1", 1 },
	{ "release-1", "1.2.3", -1 },
	{ "abc", "abd", -1 },
	{ "1.2", "1.2.0", -1 },
	{ "v1.2", "v1.1", 1 },
	{ "01.2.3", "1.2.3", -1 },
	{ "latest", "latest", 0 },
	{ "10.0.0", "9.99.99", 1 },
	{ "1.0.0-alpha", "1.0.0-alpha", 0 },
};

START_TEST(test_semver_precedence_table)
{
	int c = semver_compare(precedence[_i].a, precedence[_i].b);
	int r = semver_compare(precedence[_i].b, precedence[_i].a);

	c = c < 0 ? -1 : c > 0;
	r = r < 0 ? -1 : r > 0;
	ck_assert_msg(c == precedence[_i].sign, "%s vs %s: %d, want %d",
		      precedence[_i].a, precedence[_i].b, c,
		      precedence[_i].sign);
	ck_assert_msg(r == -precedence[_i].sign, "%s vs %s is not symmetric",
		      precedence[_i].a, precedence[_i].b);
}
END_TEST

static const struct {
	const char *s;
	int ok;
} parse_cases[] = {
	{ "1.2.3", 1 }, { "v1.2.3", 1 }, { "V0.0.0", 1 },
	{ "1.2.3-rc.1", 1 }, { "1.2.3-0", 1 }, { "1.2.3-x-y.z-0", 1 },
	{ "1.2.3+build", 1 }, { "1.2.3-rc.1+build.007", 1 },
	{ "1.2.3-0a", 1 }, { "1.2", 0 }, { "1", 0 }, { "", 0 },
	{ "v", 0 }, { "vv1.2.3", 0 }, { "01.2.3", 0 }, { "1.02.3", 0 },
	{ "1.2.03", 0 }, { "1.2.3-01", 0 }, { "1.2.3-", 0 },
	{ "1.2.3-rc..1", 0 }, { "1.2.3-rc.", 0 }, { "1.2.3+", 0 },
	{ "1.2.3+a..b", 0 }, { "1.2.3 ", 0 }, { " 1.2.3", 0 },
	{ "1.2.3-rc_1", 0 }, { "1.2.3.4", 0 }, { "release-2024", 0 },
	{ "18446744073709551616.0.0", 0 }, { "-1.2.3", 0 },
};

START_TEST(test_semver_parse_table)
{
	struct semver v;

	ck_assert_msg(semver_parse(parse_cases[_i].s, &v) == parse_cases[_i].ok,
		      "semver_parse(\"%s\") should be %d", parse_cases[_i].s,
		      parse_cases[_i].ok);
}
END_TEST

START_TEST(test_semver_parse_fills_fields)
{
	struct semver v;

	ck_assert(semver_parse("v12.34.56-rc.7+meta", &v));
	ck_assert_uint_eq(v.major, 12);
	ck_assert_uint_eq(v.minor, 34);
	ck_assert_uint_eq(v.patch, 56);
	ck_assert_uint_eq(v.pre_len, 4);
	ck_assert(strncmp(v.pre, "rc.7", 4) == 0);
	ck_assert(semver_parse("1.2.3", &v) && v.pre == NULL);
}
END_TEST

/* --- ordering -------------------------------------------------------------- */

START_TEST(test_tags_sort_semver_first_then_newest)
{
	cJSON *j = cJSON_Parse("[\"zeta\", \"v1.0.0\", \"1.0.0-rc.2\","
			       "{\"name\":\"nightly\",\"date\":\"2026-01-02\"},"
			       "{\"name\":\"alpha\",\"date\":\"2026-01-01\"},"
			       "\"v1.10.0\", \"v1.9.0\", \"1.0.0\", \"ant\"]");
	const char *want[] = { "v1.10.0", "v1.9.0", "1.0.0", "v1.0.0",
			       "1.0.0-rc.2", "nightly", "alpha", "ant", "zeta" };
	struct tag_list *tl = tag_list_from_json(j, NULL);

	ck_assert(tl != NULL);
	ck_assert_uint_eq(tl->n_tags, 9);
	for (size_t i = 0; i < 9; i++)
		ck_assert_str_eq(tl->tags[i].name, want[i]);
	ck_assert_int_lt(tags_order(&tl->tags[0], &tl->tags[1]), 0);
	ck_assert_int_gt(tags_order(&tl->tags[5], &tl->tags[2]), 0);
	tag_list_free(tl);
	cJSON_Delete(j);
}
END_TEST

/* --- reading repositories ------------------------------------------------ */

static void
check_kinds(const struct tag_list *tl, const char *c1, const char *c2)
{
	const struct tag_info *t = must_find(tl, "v1.0.0");

	ck_assert(t->is_annotated && t->has_details);
	ck_assert_str_eq(t->message, "Release 1.0.0");
	ck_assert_int_eq(t->time, T0 + 10);
	ck_assert_str_eq(t->commit, c1);
	t = must_find(tl, "v1.1.0-rc.1");
	ck_assert(!t->is_annotated && t->message == NULL);
	ck_assert_int_eq(t->time, T0 + 100);
	ck_assert_str_eq(t->commit, c2);
	ck_assert_int_eq(t->target, TAG_TARGET_COMMIT);
	ck_assert_str_eq(must_find(tl, "v1.1.0")->message, "Release 1.1.0");
	t = must_find(tl, "nested-outer");
	ck_assert(t->is_annotated);
	ck_assert_str_eq(t->message, "Outer tag");
	ck_assert_str_eq(t->commit, c2);
	ck_assert_int_eq(t->target, TAG_TARGET_COMMIT);
	ck_assert_int_eq(must_find(tl, "blob-tag")->target, TAG_TARGET_BLOB);
	t = must_find(tl, "tree-tag");
	ck_assert_int_eq(t->target, TAG_TARGET_TREE);
	ck_assert(t->is_annotated && t->time == T0 + 130);
}

START_TEST(test_tags_read_lists_every_kind_loose_and_packed)
{
	char *dir = make_repo();
	const char *order[] = { "v1.2.0", "v1.1.0", "v1.1.0-rc.1", "v1.0.0",
				"old-build", "release/2024-01", "tree-tag",
				"nested-outer", "blob-tag" };
	char *c1 = capture(dir, "git rev-parse --short=7 HEAD~2");
	char *c2 = capture(dir, "git rev-parse --short=7 HEAD~1");
	struct tag_list *tl;

	if (_i == 1)
		sh(dir, "git pack-refs --all");
	tl = must_read(dir);
	ck_assert_uint_eq(tl->n_tags, 9);
	ck_assert_uint_eq(tl->n_total, 9);
	for (size_t i = 0; i < 9; i++)
		ck_assert_msg(strcmp(tl->tags[i].name, order[i]) == 0,
			      "tags[%zu] = %s, want %s", i, tl->tags[i].name,
			      order[i]);
	check_kinds(tl, c1, c2);
	ck_assert_ptr_null(tl->warning);
	tag_list_free(tl);
	free(c1);
	free(c2);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_marks_head_branch_and_recent)
{
	char *dir = make_repo();
	char *head = capture(dir, "git rev-parse --short=7 HEAD");
	struct tag_list *tl = must_read(dir);

	ck_assert_str_eq(tl->head, head);
	ck_assert_str_eq(tl->branch, "main");
	ck_assert(!tl->is_detached && !tl->is_bare && !tl->is_shallow);
	for (size_t i = 0; i < tl->n_tags; i++) {
		const char *n = tl->tags[i].name;
		int want = !strcmp(n, "v1.2.0") || !strcmp(n, "release/2024-01");

		ck_assert_msg(tl->tags[i].is_on_head == (unsigned)want,
			      "%s on HEAD should be %d", n, want);
	}
	ck_assert_uint_eq(tl->n_recent, 3);
	ck_assert_str_eq(tl->recent[0].subject, "third");
	ck_assert_str_eq(tl->recent[0].id, head);
	ck_assert_str_eq(tl->recent[2].subject, "first");
	tag_list_free(tl);
	sh(dir, "git checkout -q --detach v1.0.0");
	tl = must_read(dir);
	ck_assert(tl->is_detached && tl->branch == NULL);
	ck_assert(must_find(tl, "v1.0.0")->is_on_head);
	ck_assert(!must_find(tl, "v1.2.0")->is_on_head);
	ck_assert(must_find(tl, "old-build")->is_on_head);
	tag_list_free(tl);
	free(head);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_dirty_means_tracked_changes_only)
{
	char *dir = make_repo();
	struct tag_list *tl = must_read(dir);

	ck_assert(!tl->is_dirty);
	tag_list_free(tl);
	write_file(dir, "untracked.txt", "new\n");
	tl = must_read(dir);
	ck_assert_msg(!tl->is_dirty, "untracked files do not make it dirty");
	tag_list_free(tl);
	write_file(dir, "file.txt", "changed\n");
	tl = must_read(dir);
	ck_assert(tl->is_dirty);
	ck_assert_uint_eq(tl->n_changed, 1);
	tag_list_free(tl);
	sh(dir, "git checkout -q file.txt && git add untracked.txt");
	tl = must_read(dir);
	ck_assert_msg(tl->is_dirty, "a staged new file makes it dirty");
	tag_list_free(tl);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_not_a_repository_names_the_path)
{
	char *dir = tu_mkdtemp();
	char *missing = xasprintf("%s/no-such-dir", dir);
	struct err err = { 0 };

	ck_assert_ptr_null(tags_read(dir, &err));
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_msg(strstr(err.msg, dir) && strstr(err.msg,
						     "not a git repository"),
		      "message: %s", err.msg);
	ck_assert_ptr_null(tags_read(missing, &err));
	ck_assert_msg(strstr(err.msg, missing) != NULL, "message: %s", err.msg);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_bare_repository)
{
	char *dir = make_repo();
	char *bare = xasprintf("%s/bare.git", dir);
	struct tag_list *tl;

	sh(dir, "git clone -q --bare . bare.git");
	tl = must_read(bare);
	ck_assert(tl->is_bare && !tl->is_dirty);
	ck_assert_uint_eq(tl->n_tags, 9);
	ck_assert_str_eq(tl->branch, "main");
	ck_assert(must_find(tl, "v1.2.0")->is_on_head);
	ck_assert_int_eq(must_find(tl, "blob-tag")->target, TAG_TARGET_BLOB);
	tag_list_free(tl);
	free(bare);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_shallow_clone)
{
	char *dir = make_repo();
	char *clone = xasprintf("%s/shallow", dir);
	char *cmd = xasprintf("git clone -q --depth 1 'file://%s' shallow", dir);
	struct tag_list *tl;

	sh(dir, cmd);
	tl = must_read(clone);
	ck_assert(tl->is_shallow);
	ck_assert_uint_eq(tl->n_recent, 1);
	ck_assert_str_eq(tl->recent[0].subject, "third");
	ck_assert(must_find(tl, "v1.2.0")->is_on_head);
	ck_assert(!tl->is_dirty);
	tag_list_free(tl);
	free(cmd);
	free(clone);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_corrupt_packed_refs_is_a_clear_error)
{
	char *dir = make_repo();
	char *gitdir = xasprintf("%s/.git", dir);
	struct err err = { 0 };

	sh(dir, "git pack-refs --all");
	write_file(gitdir, "packed-refs", "# pack-refs with: peeled "
		   "fully-peeled sorted \nthis is not a ref line\n\x01\x02\n");
	ck_assert_ptr_null(tags_read(dir, &err));
	ck_assert_int_eq(err.code, ERR_CORRUPT);
	ck_assert_msg(strstr(err.msg, dir) && strstr(err.msg, "packed-refs"),
		      "message: %s", err.msg);
	free(gitdir);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_loose_tag_overrides_packed_one)
{
	char *dir = make_repo();
	char *c1 = capture(dir, "git rev-parse --short=7 HEAD~2");
	struct tag_list *tl;

	sh(dir, "git pack-refs --all");
	sh(dir, "git tag -f v1.2.0 HEAD~2 && git tag v2.0.0-beta.1");
	tl = must_read(dir);
	ck_assert_uint_eq(tl->n_tags, 10);
	ck_assert_str_eq(tl->tags[0].name, "v2.0.0-beta.1");
	ck_assert_str_eq(must_find(tl, "v1.2.0")->commit, c1);
	ck_assert(!must_find(tl, "v1.2.0")->is_on_head);
	tag_list_free(tl);
	sh(dir, "git tag -d v1.1.0");
	tl = must_read(dir);
	ck_assert_ptr_null(tag_list_find(tl, "v1.1.0"));
	ck_assert(tag_list_find(tl, "nested-outer") != NULL);
	tag_list_free(tl);
	free(c1);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_read_100000_tags)
{
	struct err err = { 0 };
	double t0 = now_s(), t1, t2;
	struct tag_list *tl = tags_read(big_repo, &err);
	size_t n_pre = 0;

	t1 = now_s();
	ck_assert_msg(tl != NULL, "%s", err.msg);
	ck_assert_uint_eq(tl->n_tags, 100000);
	ck_assert_str_eq(tl->tags[0].name, "v9.99.99");
	for (size_t i = 1; i < tl->n_tags; i++) {
		ck_assert(tags_order(&tl->tags[i - 1], &tl->tags[i]) < 0);
		n_pre += tl->tags[i].name[strcspn(tl->tags[i].name, "-")] &&
			 tl->tags[i].is_semver;
	}
	ck_assert_uint_gt(n_pre, 10000);
	ck_assert(tl->tags[0].has_details && !tl->tags[50000].has_details);
	ck_assert_int_eq(tags_load_details(tl, &err), 0);
	t2 = now_s();
	for (size_t i = 0; i < tl->n_tags; i++)
		ck_assert(tl->tags[i].has_details && tl->tags[i].time > 0);
	ck_assert_str_eq(must_find(tl, "v0.0.2")->message, "Release v0.0.2");
	fprintf(stderr, "# 100,000 tags: made in %.1f s, read+sorted in "
		"%.0f ms, all details in %.0f ms\n", big_seconds,
		(t1 - t0) * 1e3, (t2 - t1) * 1e3);
	tag_list_free(tl);
}
END_TEST

/* --- JSON ------------------------------------------------------------------ */

START_TEST(test_tags_json_round_trip)
{
	char *dir = make_repo();
	struct tag_list *tl = must_read(dir), *back;
	cJSON *j = tag_list_to_json(tl, 0);
	char *text = cJSON_PrintUnformatted(j);
	cJSON *parsed = cJSON_Parse(text);

	back = tag_list_from_json(parsed, NULL);
	ck_assert(back != NULL);
	ck_assert_uint_eq(back->n_tags, tl->n_tags);
	ck_assert_str_eq(back->head, tl->head);
	ck_assert_str_eq(back->branch, "main");
	ck_assert_uint_eq(back->n_recent, tl->n_recent);
	for (size_t i = 0; i < tl->n_tags; i++) {
		const struct tag_info *a = &tl->tags[i], *b = &back->tags[i];

		ck_assert_str_eq(a->name, b->name);
		ck_assert_str_eq(a->commit, b->commit);
		ck_assert_int_eq(a->time, b->time);
		ck_assert_int_eq(a->target, b->target);
		ck_assert_int_eq(a->is_annotated, b->is_annotated);
		ck_assert_int_eq(a->is_on_head, b->is_on_head);
		ck_assert((a->message == NULL) == (b->message == NULL));
		ck_assert(!a->message || !strcmp(a->message, b->message));
	}
	ck_assert(strstr(text, "\"date\":\"2023-11-14T22:13:30Z\"") != NULL);
	cJSON_Delete(j);
	j = tag_list_to_json(tl, 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "tags")), 2);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "n_tags")->valueint, 9);
	cJSON_Delete(j);
	cJSON_Delete(parsed);
	free(text);
	tag_list_free(back);
	tag_list_free(tl);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tags_json_accepts_scenario_shapes)
{
	cJSON *j = cJSON_Parse("{\"head\":\"abc1234\",\"branch\":\"main\","
		"\"dirty\":true,\"tags\":[{\"name\":\"v1.2.3\",\"date\":"
		"\"2026-11-20T10:00:00Z\",\"commit\":\"abc1234\",\"message\":"
		"\"Release 1.2.3\"},\"v1.2.2\"],\"recent\":[{\"commit\":"
		"\"abc1234\",\"subject\":\"Bump\"}]}");
	struct tag_list *tl = tag_list_from_json(j, NULL);

	ck_assert(tl != NULL && tl->is_dirty && tl->n_tags == 2);
	ck_assert_str_eq(tl->tags[0].name, "v1.2.3");
	ck_assert(tl->tags[0].is_on_head && tl->tags[0].is_annotated);
	ck_assert_int_eq(tl->tags[0].time, 1795168800);
	ck_assert(!tl->tags[1].is_on_head && !tl->tags[1].is_annotated);
	ck_assert_str_eq(tl->recent[0].subject, "Bump");
	tag_list_free(tl);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_tags_json_rejects_wrong_types)
{
	const char *bad[] = {
		"[1, 2]", "{\"tags\": \"v1\"}", "{\"tags\": [{\"date\": 1}]}",
		"{\"tags\": [{\"name\": \"v1\", \"commit\": 5}]}",
		"{\"tags\": [{\"name\": \"v1\", \"date\": \"soon\"}]}",
		"{\"head\": 3}", "\"v1.0.0\"", "{\"recent\": [1]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *j = cJSON_Parse(bad[i]);
		struct err err = { 0 };

		ck_assert_msg(tag_list_from_json(j, &err) == NULL, "%s", bad[i]);
		ck_assert_int_eq(err.code, ERR_PARSE);
		cJSON_Delete(j);
	}
}
END_TEST

/* --- the probe ------------------------------------------------------------- */

START_TEST(test_tags_head_at)
{
	char *dir = make_repo();
	char *nowhere = tu_mkdtemp();
	char why[256];

	ck_assert_int_eq(tags_head_at(dir, "v1.2.0", why, sizeof(why)), 1);
	ck_assert_msg(strstr(why, "HEAD is at v1.2.0"), "%s", why);
	ck_assert_int_eq(tags_head_at(dir, "v1.0.0", why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "tag v1.0.0 is at"), "%s", why);
	ck_assert_int_eq(tags_head_at(dir, "v9.9.9", why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "no tag v9.9.9"), "%s", why);
	ck_assert_int_eq(tags_head_at(dir, "blob-tag", why, sizeof(why)), -1);
	ck_assert_int_eq(tags_head_at(nowhere, "v1.0.0", why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "not a git repository"), "%s", why);
	sh(dir, "git checkout -q --detach nested-outer");
	ck_assert_int_eq(tags_head_at(dir, "v1.1.0", why, sizeof(why)), 1);
	tu_rmtree(nowhere);
	free(nowhere);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* --- the watcher ------------------------------------------------------------ */

struct seen {
	struct tag_list *last;	/* a copy of the last list delivered */
	int n_calls;
};

static void
on_tags(const struct tag_list *tl, void *arg)
{
	struct seen *s = arg;

	tag_list_free(s->last);
	s->last = tag_list_dup(tl);
	s->n_calls++;
}

typedef int (*seen_pred)(const struct seen *s, const void *arg);

/* Run the loop until PRED holds, for at most LIMIT seconds; returns the
 * time it took, or -1 if it never held. */
static double
wait_for(struct loop *l, struct seen *s, seen_pred pred, const void *arg,
	 double limit)
{
	double t0 = now_s();

	limit *= tu_slack();
	while (now_s() - t0 < limit) {
		if (s->last && pred(s, arg))
			return now_s() - t0;
		loop_run_once(l, 50000);
	}
	return -1;
}

static int
has_tag(const struct seen *s, const void *name)
{
	return tag_list_find(s->last, name) != NULL;
}

static int
lacks_tag(const struct seen *s, const void *name)
{
	return !s->last->error && tag_list_find(s->last, name) == NULL;
}

static int
head_is(const struct seen *s, const void *id)
{
	return strcmp(s->last->head, id) == 0;
}

static int
is_fresh(const struct seen *s, const void *arg)
{
	(void)arg;
	return !s->last->error && !s->last->is_stale;
}

static int
head_is_not(const struct seen *s, const void *id)
{
	return s->last->head[0] && strcmp(s->last->head, id) != 0;
}

static int
has_error(const struct seen *s, const void *arg)
{
	(void)arg;
	return s->last->error != NULL;
}

static void
expect_within(double took, double limit, const char *what)
{
	ck_assert_msg(took >= 0, "%s: not seen within 5 s", what);
	ck_assert_msg(took <= limit, "%s: seen after %.2f s", what, took);
}

START_TEST(test_tagwatch_sees_new_deleted_tags_and_checkout)
{
	char *dir = make_repo();
	struct loop *l = loop_new(NULL);
	struct seen s = { 0 };
	struct tagwatch *w = tagwatch_new(l, dir, on_tags, &s, NULL);
	char *c1 = capture(dir, "git rev-parse --short=7 HEAD~2");
	char *c3 = capture(dir, "git rev-parse --short=7 HEAD");

	ck_assert(w != NULL);
	ck_assert(wait_for(l, &s, has_tag, "v1.2.0", 5) >= 0);
	ck_assert(tagwatch_list(w) != NULL && s.n_calls >= 1);
	sh(dir, "git tag v3.0.0");
	expect_within(wait_for(l, &s, has_tag, "v3.0.0", 5), 2.0, "new tag");
	ck_assert_str_eq(s.last->tags[0].name, "v3.0.0");
	sh(dir, "git tag -d v1.0.0");
	expect_within(wait_for(l, &s, lacks_tag, "v1.0.0", 5), 2.0,
		      "deleted tag");
	sh(dir, "git checkout -q --detach HEAD~2");
	expect_within(wait_for(l, &s, head_is, c1, 5), 2.0, "checkout");
	ck_assert(s.last->is_detached);
	sh(dir, "git checkout -q main");
	expect_within(wait_for(l, &s, head_is, c3, 5), 2.0, "checkout main");
	sh(dir, "git commit -q --allow-empty -m fourth");
	expect_within(wait_for(l, &s, head_is_not, c3, 5), 2.0, "commit");
	ck_assert_str_eq(s.last->recent[0].subject, "fourth");
	sh(dir, "git pack-refs --all && git tag -d v1.1.0");
	expect_within(wait_for(l, &s, lacks_tag, "v1.1.0", 5), 2.0,
		      "packed-refs rewrite");
	tagwatch_free(w);
	loop_free(l);
	tag_list_free(s.last);
	free(c1);
	free(c3);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_tagwatch_reports_errors_and_keeps_stale_tags)
{
	char *dir = tu_mkdtemp();
	char *repo = xasprintf("%s/repo", dir);
	char *moved = xasprintf("%s/moved", dir);
	struct loop *l = loop_new(NULL);
	struct seen s = { 0 };
	struct tagwatch *w = tagwatch_new(l, dir, on_tags, &s, NULL);

	ck_assert(wait_for(l, &s, has_error, NULL, 5) >= 0);
	ck_assert_msg(strstr(s.last->error, "not a git repository"), "%s",
		      s.last->error);
	ck_assert(!s.last->is_stale);
	tagwatch_free(w);
	tag_list_free(s.last);
	s.last = NULL;
	sh(dir, "git init -q -b main repo && cd repo && git commit -q "
	   "--allow-empty -m one && git tag v1.0.0");
	w = tagwatch_new(l, repo, on_tags, &s, NULL);
	ck_assert(wait_for(l, &s, has_tag, "v1.0.0", 5) >= 0);
	ck_assert_int_eq(rename(repo, moved), 0);
	expect_within(wait_for(l, &s, has_error, NULL, 5), 2.0, "repo gone");
	ck_assert(s.last->is_stale);
	ck_assert(tag_list_find(s.last, "v1.0.0") != NULL);
	ck_assert_int_eq(rename(moved, repo), 0);
	tagwatch_refresh(w);
	ck_assert(wait_for(l, &s, is_fresh, NULL, 5) >= 0);
	ck_assert(tag_list_find(s.last, "v1.0.0") != NULL);
	tagwatch_free(w);
	loop_free(l);
	tag_list_free(s.last);
	free(repo);
	free(moved);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* --- the suite --------------------------------------------------------------- */

static TCase *
tcase(Suite *su, const char *name, double timeout)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, timeout);
	suite_add_tcase(su, tc);
	return tc;
}

static Suite *
tags_suite(void)
{
	Suite *su = suite_create("tags");
	TCase *tc;

	tc = tcase(su, "semver", 5);
	tcase_add_loop_test(tc, test_semver_precedence_table, 0,
			    sizeof(precedence) / sizeof(precedence[0]));
	tcase_add_loop_test(tc, test_semver_parse_table, 0,
			    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_semver_parse_fills_fields);
	tcase_add_test(tc, test_tags_sort_semver_first_then_newest);
	tc = tcase(su, "read", 30);
	tcase_add_loop_test(tc, test_tags_read_lists_every_kind_loose_and_packed,
			    0, 2);
	tcase_add_test(tc, test_tags_read_marks_head_branch_and_recent);
	tcase_add_test(tc, test_tags_read_dirty_means_tracked_changes_only);
	tcase_add_test(tc, test_tags_read_not_a_repository_names_the_path);
	tcase_add_test(tc, test_tags_read_bare_repository);
	tcase_add_test(tc, test_tags_read_shallow_clone);
	tcase_add_test(tc, test_tags_read_corrupt_packed_refs_is_a_clear_error);
	tcase_add_test(tc, test_tags_read_loose_tag_overrides_packed_one);
	tcase_add_test(tc, test_tags_head_at);
	tc = tcase(su, "big", 60);
	tcase_add_test(tc, test_tags_read_100000_tags);
	tc = tcase(su, "json", 30);
	tcase_add_test(tc, test_tags_json_round_trip);
	tcase_add_test(tc, test_tags_json_accepts_scenario_shapes);
	tcase_add_test(tc, test_tags_json_rejects_wrong_types);
	tc = tcase(su, "watch", 40);
	tcase_add_test(tc, test_tagwatch_sees_new_deleted_tags_and_checkout);
	tcase_add_test(tc, test_tagwatch_reports_errors_and_keeps_stale_tags);
	return su;
}

/* tu_mkdtemp reports through Check, which only works inside a test. */
static char *
make_temp_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = xasprintf("%s/rewind-tags-XXXXXX",
			       base && *base ? base : "/tmp");

	if (!mkdtemp(path)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	return path;
}

/* A private HOME and no system config, so the user's git settings
 * (signing, hooks, default branch) never reach the fixtures. */
static char *
isolate_git(void)
{
	char *home = make_temp_dir();

	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Zoë Ångström", 1);
	setenv("GIT_AUTHOR_EMAIL", "zoe@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Zoë Ångström", 1);
	setenv("GIT_COMMITTER_EMAIL", "zoe@example.com", 1);
	setenv("TZ", "UTC", 1);
	return home;
}

static void
make_big_repo(void)
{
	const char *srcdir = getenv("REWIND_SRCDIR");
	char *script = xasprintf("%s/tests/fixtures/mktags.sh",
				 srcdir && *srcdir ? srcdir : ".");
	char *cmd;
	double t0 = now_s();

	big_parent = make_temp_dir();
	big_repo = xasprintf("%s/big", big_parent);
	cmd = xasprintf("sh '%s' '%s' 100000 500 >/dev/null", script, big_repo);
	if (system(cmd) != 0)
		fprintf(stderr, "# mktags.sh failed: %s\n", cmd);
	big_seconds = now_s() - t0;
	free(cmd);
	free(script);
}

int
main(void)
{
	char *home = isolate_git();
	SRunner *sr;
	int n_failed;

	make_big_repo();
	sr = srunner_create(tags_suite());
	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tu_rmtree(big_parent);
	tu_rmtree(home);
	free(home);
	free(big_repo);
	free(big_parent);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
