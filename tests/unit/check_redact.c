/* Secret sets: which names are secrets, and that text comes back with
 * every secret masked, longest first, and otherwise unchanged. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "suites.h"

static const struct {
	const char *name;
	int is_secret;
} names[] = {
	{ "TOKEN", 1 }, { "SECRET", 1 }, { "PASSWORD", 1 }, { "AUTH", 1 },
	{ "AUTHORIZATION", 1 }, { "HTTP_AUTHORISATION", 1 },
	{ "github_token", 1 }, { "Db_Password", 1 }, { "NPM_AUTH", 1 },
	{ "BASIC_AUTH_USER", 1 }, { "AUTHOR_TOKEN", 1 }, { "OAUTH_AUTHOR", 1 },
	{ "GIT_AUTHOR_NAME", 0 }, { "GIT_AUTHOR_EMAIL", 0 }, { "AUTHORS", 0 },
	{ "PATH", 0 }, { "TOKE", 0 }, { "", 0 }, { NULL, 0 },
};

START_TEST(test_redact_recognises_secret_names)
{
	ck_assert_msg(redact_is_secret_name(names[_i].name) ==
		      names[_i].is_secret, "%s",
		      names[_i].name ? names[_i].name : "(null)");
}
END_TEST

#define M REDACT_MASK

/* Secrets are added in the order given, so "shorter first" rows show the
 * set sorts them itself. */
static const struct {
	const char *secrets[4];	/* NULL-ended */
	const char *in, *out;
} rows[] = {
	{ { NULL }, "no secrets at all", "no secrets at all" },
	{ { "hunter2", NULL }, "nothing here", "nothing here" },
	{ { "hunter2", NULL }, "", "" },
	{ { "hunter2", NULL }, "pw=hunter2;", "pw=" M ";" },
	{ { "hunter2", NULL }, "hunter2hunter2 hunter2", M M " " M },
	{ { "s3cr3t", NULL }, "s3cr3t", M },
	{ { "abc", "abcdef", NULL }, "abcdef abc", M " " M },
	{ { "bcdefg", "defghij", NULL }, "abcdefghij bcdefg", "abc" M " " M },
	{ { "abcdefgh", "efghijkl", NULL }, "abcdefghijkl efghijkl",
	  M "ijkl " M },
	{ { "", NULL }, "empty is ignored", "empty is ignored" },
	{ { "", "x", NULL }, "x-ray", M "-ray" },
	{ { "aaaaaa", "aaaaaa", NULL }, "aaaaaaa", M "a" },
	{ { "line1\nline2", NULL }, "line1 then line2", M " then " M },
	{ { "Zo\xc3\xab", NULL }, "by Zo\xc3\xab.", "by " M "." },
	/* shorter than REDACT_MIN_SUBSTRING: whole words only */
	{ { "ab", NULL }, "about a lab: ab", "about a lab: " M },
	{ { "ab", NULL }, "pw=ab; user:ab@host \"ab\"",
	  "pw=" M "; user:" M "@host \"" M "\"" },
	{ { "pin12", NULL }, "pin123 pin12", "pin123 " M },
	{ { "ab", "abcdefgh", NULL }, "abcdefgh ab abc", M " " M " abc" },
};

START_TEST(test_redact_apply_masks_secrets_longest_first)
{
	struct redact *rd = redact_new();
	size_t len = 0;
	char *got;

	for (const char *const *s = rows[_i].secrets; *s; s++)
		redact_add(rd, *s);
	got = redact_apply(rd, rows[_i].in, strlen(rows[_i].in), &len);
	ck_assert_str_eq(got, rows[_i].out);
	ck_assert_uint_eq(len, strlen(rows[_i].out));
	free(got);
	got = redact_apply_str(rd, rows[_i].in);
	ck_assert_str_eq(got, rows[_i].out);
	free(got);
	redact_free(rd);
}
END_TEST

START_TEST(test_redact_apply_works_on_bytes_not_c_strings)
{
	static const char in[] = "a\0hunter2\0b";
	struct redact *rd = redact_new();
	size_t len = 0;
	char *got;

	redact_add(rd, "hunter2");
	redact_add(rd, NULL);
	got = redact_apply(rd, in, sizeof(in) - 1, &len);
	ck_assert_uint_eq(len, 2 + strlen(M) + 2);
	ck_assert(!memcmp(got, "a\0" M "\0b", len + 1));
	free(got);
	got = redact_apply(NULL, in, sizeof(in) - 1, NULL);
	ck_assert(!memcmp(got, in, sizeof(in)));
	free(got);
	redact_free(rd);
}
END_TEST

START_TEST(test_redact_child_masks_parent_secrets_added_later)
{
	struct redact *parent = redact_new();
	struct redact *child = redact_new_child(parent);
	char *got;

	redact_add(child, "abcdefgh");
	redact_add(parent, "abcdef");	/* inside the child's, after it */
	redact_add(parent, "hunter2");
	got = redact_apply_str(child, "abcdefgh abcdef hunter2");
	ck_assert_str_eq(got, M " " M " " M);
	free(got);
	got = redact_apply_str(parent, "abcdefgh hunter2");
	ck_assert_str_eq(got, M "gh " M);
	free(got);
	redact_free(child);
	redact_free(parent);
}
END_TEST

START_TEST(test_redact_line_borrows_only_when_something_matched)
{
	static const char clean[] = "nothing to hide";
	struct redact *rd = redact_new();
	size_t len = sizeof(clean) - 1;
	const char *got;

	redact_add(rd, "tok123");
	redact_add(rd, "tok");
	got = redact_line(rd, clean, &len);
	ck_assert_ptr_eq(got, clean);
	ck_assert_uint_eq(len, sizeof(clean) - 1);
	len = strlen("x tok123 tok");
	got = redact_line(rd, "x tok123 tok", &len);
	ck_assert_str_eq(got, "x " M " " M);
	ck_assert_uint_eq(len, strlen(got));
	len = strlen("tok");
	got = redact_line(rd, "tok", &len);
	ck_assert_str_eq(got, M);
	redact_free(rd);
}
END_TEST

START_TEST(test_redact_env_adds_only_values_of_secret_names)
{
	static char tok[] = "MY_TOKEN=tok123", empty[] = "API_TOKEN=",
		    author[] = "GIT_AUTHOR_NAME=Zo\xc3\xab",
		    path[] = "PATH=/usr/bin:/bin", broken[] = "BROKEN",
		    nameless[] = "=x";
	char *const envp[] = { tok, empty, author, path, broken, nameless,
			       NULL };
	struct redact *rd = redact_new();
	char *got;

	redact_add_env(rd, envp);
	redact_add_env(rd, NULL);
	redact_add_env_entry(rd, "Db_Password=pa=ss");
	got = redact_apply_str(rd, "tok123 Zo\xc3\xab /usr/bin:/bin x pa=ss");
	ck_assert_str_eq(got, M " Zo\xc3\xab /usr/bin:/bin x " M);
	free(got);
	redact_free(rd);
}
END_TEST

START_TEST(test_redact_env_ignores_switch_values_of_secret_names)
{
	static char always[] = "NPM_CONFIG_ALWAYS_AUTH=true",
		    type[] = "AUTH_TYPE=Basic", tiny[] = "X_TOKEN=abc",
		    real[] = "DEPLOY_TOKEN=ghp_abcdef";
	char *const envp[] = { always, type, tiny, real, NULL };
	struct redact *rd = redact_new();
	char *got;

	redact_add_env(rd, envp);
	got = redact_apply_str(rd, "ok true Basic abc ghp_abcdef");
	ck_assert_str_eq(got, "ok true Basic abc " M);
	free(got);
	redact_free(rd);
}
END_TEST

/* Credentials nobody declared are masked by their shape wherever text is
 * journalled, cast or reported: an AWS secret key with "/", a JWT in a
 * Bearer header, a token in a query, a live Stripe key in prose. */
static const char *const shapes[][2] = {
	{ "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	  "export AWS_SECRET_ACCESS_KEY=" M },
	{ "curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3Qi"
	  "fQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk\" https://d.test/x",
	  "curl -H \"Authorization: Bearer " M "\" https://d.test/x" },
	{ "POST https://hooks.test/deploy?token=8f14e45fceea167a5a36dedd4bea2543"
	  "&env=prod", "POST https://hooks.test/deploy?token=" M "&env=prod" },
	{ "GET /x?a=1&access_token=Zx9kQ2mP7vL4nR8t", "GET /x?a=1&access_token="
	  M },
	{ "https://s3.test/b/k?X-Amz-Date=1&sig=Zx9kQ2mP7vL4nR8t&x=1",
	  "https://s3.test/b/k?X-Amz-Date=1&sig=" M "&x=1" },
	{ "the key is sk_live_51HxQ2eZvKYlo2C8n3RbT9qWm, keep it",
	  "the key is " M ", keep it" },
	{ "password = pypi-AgEIcHlwaS5vcmcCJGE4ZjM0ZTY1LTk5YWUtNGY2ZC1hMzQx",
	  "password = " M },
	{ "pip install pypi-server-tools", "pip install pypi-server-tools" },
	{ "Authorization: Bearer ${DEPLOY_TOKEN}",
	  "Authorization: Bearer ${DEPLOY_TOKEN}" },
	{ "GIT_AUTHOR_NAME=Dana Example ?page=2 bearer of news",
	  "GIT_AUTHOR_NAME=Dana Example ?page=2 bearer of news" },
};

START_TEST(test_redact_masks_credentials_by_their_shape)
{
	struct redact *rd = redact_new();
	char *got = redact_apply_str(rd, shapes[_i][0]);

	ck_assert_str_eq(got, shapes[_i][1]);
	free(got);
	redact_free(rd);
}
END_TEST

/* One TCase per behaviour, named after the fact its test states. */
static void
add_case(Suite *s, const TTest *test, int n)
{
	TCase *tc = tcase_create(test->name);

	tcase_set_timeout(tc, 5);
	if (n)
		tcase_add_loop_test(tc, test, 0, n);
	else
		tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

#define N_ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
redact_suite(void)
{
	Suite *s = suite_create("redact");

	add_case(s, test_redact_recognises_secret_names, N_ROWS(names));
	add_case(s, test_redact_apply_masks_secrets_longest_first,
		 N_ROWS(rows));
	add_case(s, test_redact_apply_works_on_bytes_not_c_strings, 0);
	add_case(s, test_redact_child_masks_parent_secrets_added_later, 0);
	add_case(s, test_redact_line_borrows_only_when_something_matched, 0);
	add_case(s, test_redact_env_adds_only_values_of_secret_names, 0);
	add_case(s, test_redact_env_ignores_switch_values_of_secret_names, 0);
	add_case(s, test_redact_masks_credentials_by_their_shape,
		 N_ROWS(shapes));
	return s;
}
