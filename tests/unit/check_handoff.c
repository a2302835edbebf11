/* The hand-off line's pieces: a word quoted for a POSIX shell (checked by
 * running sh on it), and control characters spotted before a clipboard
 * gets the line. Table-driven. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handoff.h"
#include "xalloc.h"

static const struct {
	const char *in, *want;
} quotes[] = {
	{ "approve.signoff", "approve.signoff" },
	{ "/srv/incidents/2026-11-21", "/srv/incidents/2026-11-21" },
	{ "Release Manager", "'Release Manager'" },
	{ "/tmp/bob's session", "'/tmp/bob'\\''s session'" },
	{ "$HOME", "'$HOME'" },
	{ "a;rm -rf x", "'a;rm -rf x'" },
	{ "`id`", "'`id`'" },
	{ "", "''" },
	{ "Sécurité", "'Sécurité'" },
};

START_TEST(test_handoff_shell_quote)
{
	char *got = handoff_shell_quote(quotes[_i].in);

	ck_assert_str_eq(got, quotes[_i].want);
	free(got);
}
END_TEST

/* What sh makes of the quoted word is the text itself, one word. */
START_TEST(test_handoff_shell_quote_round_trips)
{
	char *q = handoff_shell_quote(quotes[_i].in);
	char *cmd = xasprintf("printf '%%s|%%s' %s END", q);
	char out[256] = "";
	char *want = xasprintf("%s|END", quotes[_i].in);
	FILE *p = popen(cmd, "r");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	pclose(p);
	ck_assert_str_eq(out, want);
	free(q);
	free(cmd);
	free(want);
}
END_TEST

static const struct {
	const char *in;
	int has;
} controls[] = {
	{ "rewind approve '/tmp/x' s --role R --as NAME", 0 },
	{ "caf\xc3\xa9", 0 },
	{ "a\nb", 1 },
	{ "a\x1b]52;c;x\x07", 1 },
	{ "a\x7f", 1 },
	{ "a\xc2\x9b" "31m", 1 },		/* C1 CSI */
	{ "\xc2\xa0", 0 },			/* NBSP is no control */
};

START_TEST(test_handoff_has_control)
{
	ck_assert_int_eq(handoff_has_control(controls[_i].in),
			 controls[_i].has);
}
END_TEST

static Suite *
handoff_suite(void)
{
	Suite *s = suite_create("handoff");
	TCase *tc = tcase_create("handoff");
	int nq = (int)(sizeof(quotes) / sizeof(quotes[0]));

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_handoff_shell_quote, 0, nq);
	tcase_add_loop_test(tc, test_handoff_shell_quote_round_trips, 0, nq);
	tcase_add_loop_test(tc, test_handoff_has_control, 0,
			    sizeof(controls) / sizeof(controls[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(handoff_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
