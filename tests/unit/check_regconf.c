/* Registry configuration found as npm and pip find it: precedence of the
 * environment, project, user and global files, scoped registries, per-host
 * credentials, and the request URLs built from it. Every test runs in a
 * cleared environment with its own HOME. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "reg_backend.h"
#include "regconf.h"
#include "testutil.h"

static char *tmp;
static struct regconf_opts opts;
static char project[1024], etc[1024], global_rc[1024];

static void
setup(void)
{
	char home[1024];

	tmp = tu_mkdtemp();
	clearenv();
	snprintf(home, sizeof(home), "%s/home", tmp);
	snprintf(project, sizeof(project), "%s/proj", tmp);
	snprintf(etc, sizeof(etc), "%s/etc", tmp);
	snprintf(global_rc, sizeof(global_rc), "%s/global/etc/npmrc", tmp);
	setenv("HOME", home, 1);
	opts.project_dir = project;
	opts.etc_dir = etc;
	opts.npm_global_rc = global_rc;
}

static void
teardown(void)
{
	tu_rmtree(tmp);
	free(tmp);
}

/* Write TEXT to the file REL under the test's directory. */
static void
put(const char *rel, const char *text)
{
	char path[2048];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	for (char *p = path + strlen(tmp) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static int
resolve(enum reg_type t, const char *pkg, const char *url, struct regconf *c,
	struct err *err)
{
	return reg_backend_locate(t, pkg, url, &opts, c, err);
}

START_TEST(test_regconf_nothing_configured_says_what_to_set)
{
	struct regconf c;
	struct err err = { 0 };

	ck_assert_int_eq(resolve(REG_NPM, "left", NULL, &c, &err), -1);
	ck_assert_int_eq(err.code, ERR_NOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "no npm registry configured "
				     "for left: set registry=URL"));
	ck_assert_ptr_nonnull(strstr(err.msg, "npm_config_registry"));
	ck_assert_ptr_null(c.base_url);
	ck_assert_int_eq(resolve(REG_NPM, "@s/p", NULL, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "@scope:registry=URL"));
	ck_assert_int_eq(resolve(REG_PYPI, "proj", NULL, &c, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no PyPI index configured for "
				     "proj: set index-url in pip.conf"));
}
END_TEST

START_TEST(test_regconf_npm_precedence_env_project_user_global)
{
	struct regconf c;

	put("global/etc/npmrc", "registry=http://127.0.0.1:4001/\n");
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4001/");
	ck_assert_ptr_nonnull(strstr(c.origin, "global npmrc"));
	regconf_done(&c);
	put("home/.npmrc", "; comment\n# another\nregistry = "
	    "\"http://127.0.0.1:4002\"\n");
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4002/");
	ck_assert_ptr_nonnull(strstr(c.origin, "user .npmrc"));
	regconf_done(&c);
	put("proj/.npmrc", "registry=http://127.0.0.1:4003/npm/\n");
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4003/npm/");
	ck_assert_str_eq(c.shown, "127.0.0.1:4003");
	regconf_done(&c);
	setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:4004/", 1);
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4004/");
	ck_assert_str_eq(c.origin, "NPM_CONFIG_REGISTRY");
	regconf_done(&c);
	ck_assert_int_eq(resolve(REG_NPM, "p", "http://127.0.0.1:4005", &c,
				 NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4005/");
	ck_assert_str_eq(c.origin, "playbook");
	regconf_done(&c);
}
END_TEST

/* npm's project root is the nearest directory with a package.json. */
START_TEST(test_regconf_npm_project_root_found_upward)
{
	struct regconf c;
	char sub[1100];

	put("proj/package.json", "{}");
	put("proj/.npmrc", "registry=http://127.0.0.1:4010/\n");
	put("proj/a/b/x", "");
	snprintf(sub, sizeof(sub), "%s/a/b", project);
	opts.project_dir = sub;
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4010/");
	regconf_done(&c);
}
END_TEST

START_TEST(test_regconf_npm_scoped_registry_and_token)
{
	struct regconf c;

	put("home/.npmrc",
	    "registry=http://127.0.0.1:4020/\n"
	    "@corp:registry=http://127.0.0.1:4021/corp/npm/\n"
	    "//127.0.0.1:4020/:_authToken=${DEFAULT_TOKEN}\n"
	    "//127.0.0.1:4021/corp/:_authToken=corp-${CORP_SUFFIX}\n");
	setenv("DEFAULT_TOKEN", "tok-default", 1);
	setenv("CORP_SUFFIX", "secret", 1);
	ck_assert_int_eq(resolve(REG_NPM, "@corp/lib", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4021/corp/npm/");
	/* found by walking up from //127.0.0.1:4021/corp/npm/ */
	ck_assert_str_eq(c.token, "corp-secret");
	regconf_done(&c);
	ck_assert_int_eq(resolve(REG_NPM, "@other/lib", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:4020/");
	ck_assert_str_eq(c.token, "tok-default");
	regconf_done(&c);
	/* the playbook's URL on another port gets no token */
	ck_assert_int_eq(resolve(REG_NPM, "x", "http://127.0.0.1:4099/", &c,
				 NULL), 0);
	ck_assert_ptr_null(c.token);
	ck_assert_ptr_null(c.basic_auth);
	regconf_done(&c);
}
END_TEST

START_TEST(test_regconf_npm_unset_env_var_is_an_error)
{
	struct regconf c;
	struct err err = { 0 };

	put("home/.npmrc", "registry=http://127.0.0.1:4030/\n"
	    "//127.0.0.1:4030/:_authToken=${NPM_TOKEN}\n");
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, &err), -1);
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "${NPM_TOKEN} is not set"));
	ck_assert_ptr_nonnull(strstr(err.msg, "//127.0.0.1:4030/:_authToken"));
}
END_TEST

START_TEST(test_regconf_npm_basic_auth_forms)
{
	struct regconf c;

	/* "dXNlcjpwYXNz" is user:pass, "c2VjcmV0" is secret */
	put("home/.npmrc", "registry=http://127.0.0.1:4040/\n"
	    "//127.0.0.1:4040/:_auth=dXNlcjpwYXNz\n"
	    "@b:registry=http://127.0.0.1:4041/\n"
	    "//127.0.0.1:4041/:username=bob\n"
	    "//127.0.0.1:4041/:_password=c2VjcmV0\n");
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.basic_auth, "user:pass");
	ck_assert_ptr_null(c.token);
	regconf_done(&c);
	ck_assert_int_eq(resolve(REG_NPM, "@b/p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.basic_auth, "bob:secret");
	regconf_done(&c);
}
END_TEST

START_TEST(test_regconf_npm_userconfig_env_and_bad_url)
{
	struct regconf c;
	struct err err = { 0 };
	char path[1100];

	put("elsewhere/rc", "registry=ftp://127.0.0.1/\n");
	snprintf(path, sizeof(path), "%s/elsewhere/rc", tmp);
	setenv("npm_config_userconfig", path, 1);
	ck_assert_int_eq(resolve(REG_NPM, "p", NULL, &c, &err), -1);
	ck_assert_str_eq(err.msg, "registry URL is not an http:// or "
			 "https:// URL");
}
END_TEST

START_TEST(test_regconf_pip_precedence_and_credentials)
{
	struct regconf c;
	char path[1100];

	put("etc/pip.conf", "[global]\nindex-url = http://127.0.0.1:5001/simple\n");
	ck_assert_int_eq(resolve(REG_PYPI, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5001/simple/");
	ck_assert_ptr_nonnull(strstr(c.origin, "system pip.conf"));
	regconf_done(&c);
	put("home/.pip/pip.conf", "[global]\nindex_url: http://127.0.0.1:5002/\n");
	ck_assert_int_eq(resolve(REG_PYPI, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5002/");
	regconf_done(&c);
	put("home/.config/pip/pip.conf", "[global]\nindex-url = "
	    "http://127.0.0.1:5003/simple/\n[install]\nindex-url = "
	    "http://alice:p%40ss@127.0.0.1:5004/simple/\n");
	ck_assert_int_eq(resolve(REG_PYPI, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5004/simple/");
	ck_assert_str_eq(c.shown, "127.0.0.1:5004");
	ck_assert_str_eq(c.basic_auth, "alice:p@ss");
	regconf_done(&c);
	put("cfg/pip.ini", "[global]\nindex-url=http://127.0.0.1:5005/\n");
	snprintf(path, sizeof(path), "%s/cfg/pip.ini", tmp);
	setenv("PIP_CONFIG_FILE", path, 1);
	ck_assert_int_eq(resolve(REG_PYPI, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5005/");
	regconf_done(&c);
	setenv("PIP_INDEX_URL", "http://tok@127.0.0.1:5006/simple", 1);
	ck_assert_int_eq(resolve(REG_PYPI, "p", NULL, &c, NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5006/simple/");
	ck_assert_str_eq(c.basic_auth, "tok:");
	ck_assert_str_eq(c.origin, "PIP_INDEX_URL");
	regconf_done(&c);
	ck_assert_int_eq(resolve(REG_PYPI, "p", "http://127.0.0.1:5007", &c,
				 NULL), 0);
	ck_assert_str_eq(c.base_url, "http://127.0.0.1:5007/");
	regconf_done(&c);
}
END_TEST

START_TEST(test_regconf_request_urls)
{
	char *u;

	u = regconf_npm_url("http://127.0.0.1:1/", "@scope/name");
	ck_assert_str_eq(u, "http://127.0.0.1:1/@scope%2fname");
	free(u);
	u = regconf_npm_url("http://127.0.0.1:1/npm", "left-pad");
	ck_assert_str_eq(u, "http://127.0.0.1:1/npm/left-pad");
	free(u);
	u = regconf_pypi_json_url("http://127.0.0.1:1/simple/", "My_Pkg");
	ck_assert_str_eq(u, "http://127.0.0.1:1/pypi/My_Pkg/json");
	free(u);
	u = regconf_pypi_simple_url("http://127.0.0.1:1/simple/", "My_Pkg.x");
	ck_assert_str_eq(u, "http://127.0.0.1:1/simple/my-pkg-x/");
	free(u);
	u = regconf_pypi_simple_url("http://127.0.0.1:1/", "p");
	ck_assert_str_eq(u, "http://127.0.0.1:1/simple/p/");
	free(u);
	u = regconf_pypi_json_url("http://127.0.0.1:1/root", "p");
	ck_assert_str_eq(u, "http://127.0.0.1:1/root/pypi/p/json");
	free(u);
}
END_TEST

static Suite *
regconf_suite(void)
{
	Suite *s = suite_create("regconf");
	TCase *tc = tcase_create("regconf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_regconf_nothing_configured_says_what_to_set);
	tcase_add_test(tc, test_regconf_npm_precedence_env_project_user_global);
	tcase_add_test(tc, test_regconf_npm_project_root_found_upward);
	tcase_add_test(tc, test_regconf_npm_scoped_registry_and_token);
	tcase_add_test(tc, test_regconf_npm_unset_env_var_is_an_error);
	tcase_add_test(tc, test_regconf_npm_basic_auth_forms);
	tcase_add_test(tc, test_regconf_npm_userconfig_env_and_bad_url);
	tcase_add_test(tc, test_regconf_pip_precedence_and_credentials);
	tcase_add_test(tc, test_regconf_request_urls);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(regconf_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
