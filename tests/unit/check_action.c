/* The batch language: words, quotes, free-text tails, and clear errors. */
#include "config.h"

#include <string.h>

#include "action.h"
#include "err.h"
#include "suites.h"

struct parse_case {
	const char *line;
	int rc;
	enum action_kind kind;
	const char *step, *name, *value, *option, *role, *text;
};

static const struct parse_case cases[] = {
	{ "tick assess.ticket", 1, ACT_TICK, "assess.ticket", NULL, NULL, NULL, NULL, NULL },
	{ "tick a.b  opened INC-1, see \"x\" ", 1, ACT_TICK, "a.b", NULL, NULL, NULL, NULL, "opened INC-1, see \"x\"" },
	{ "set RESTORE_VERSION 1.2.2", 1, ACT_SET, NULL, "RESTORE_VERSION", "1.2.2", NULL, NULL, NULL },
	{ "set V \"1.2.2; rm -rf /\"", 1, ACT_SET, NULL, "V", "1.2.2; rm -rf /", NULL, NULL, NULL },
	{ "approve approve.signoff \"Technical Lead\" alice", 1, ACT_APPROVE, "approve.signoff", "alice", NULL, NULL, "Technical Lead", NULL },
	{ "approve s \"Product Owner\" \"Bo Li\" fine by me", 1, ACT_APPROVE, "s", "Bo Li", NULL, NULL, "Product Owner", "fine by me" },
	{ "choose d rollback because P0", 1, ACT_CHOOSE, "d", NULL, NULL, "rollback", NULL, "because P0" },
	{ "na s \"not on this host\"", 1, ACT_NA, "s", NULL, NULL, NULL, NULL, "not on this host" },
	{ "confirm x 1.2.2", 1, ACT_CONFIRM, "x", NULL, NULL, NULL, NULL, "1.2.2" },
	{ "note  all good  ", 1, ACT_NOTE, NULL, NULL, NULL, NULL, NULL, "all good" },
	{ "next", 1, ACT_NEXT, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "  quit", 1, ACT_QUIT, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "run \"a\\\"b\"", 1, ACT_RUN, "a\"b", NULL, NULL, NULL, NULL, NULL },
	{ "# a comment", 0, ACT_SET, NULL, NULL, NULL, NULL, NULL, NULL },
	{ "   ", 0, ACT_SET, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
check_field(const char *want, const char *got, const char *line)
{
	if (!want)
		ck_assert_msg(got == NULL, "%s: unexpected \"%s\"", line, got);
	else
		ck_assert_msg(got && strcmp(want, got) == 0,
			      "%s: want \"%s\" got \"%s\"", line, want,
			      got ? got : "(null)");
}

START_TEST(test_action_parse_table)
{
	const struct parse_case *c = &cases[_i];
	struct action a;
	struct err err = { 0 };
	int rc = action_parse(c->line, &a, &err);

	ck_assert_int_eq(rc, c->rc);
	if (rc == 1) {
		ck_assert_int_eq(a.kind, c->kind);
		check_field(c->step, a.step, c->line);
		check_field(c->name, a.name, c->line);
		check_field(c->value, a.value, c->line);
		check_field(c->option, a.option, c->line);
		check_field(c->role, a.role, c->line);
		check_field(c->text, a.text, c->line);
	}
	action_done(&a);
}
END_TEST

struct bad_case {
	const char *line;
	const char *msg;
};

static const struct bad_case bad[] = {
	{ "tik x", "unknown action \"tik\" (expected one of set, tick" },
	{ "set ONLY", "set: missing argument (usage: set NAME VALUE)" },
	{ "run", "run: missing argument (usage: run STEP)" },
	{ "run a b", "run: too many arguments (usage: run STEP)" },
	{ "next now", "next: too many arguments" },
	{ "set V \"unterminated", "unterminated double quote" },
	{ "choose d rollback", "choose: missing argument" },
	{ "approve s role", "approve: missing argument" },
};

START_TEST(test_action_parse_rejects_with_usage)
{
	struct action a;
	struct err err = { 0 };

	ck_assert_int_eq(action_parse(bad[_i].line, &a, &err), -1);
	ck_assert_int_eq(err.code, ERR_PARSE);
	ck_assert_msg(strstr(err.msg, bad[_i].msg) != NULL, "%s: got \"%s\"",
		      bad[_i].line, err.msg);
	action_done(&a);
}
END_TEST

START_TEST(test_action_names_and_usage_come_from_one_table)
{
	ck_assert_str_eq(action_name(ACT_APPROVE), "approve");
	ck_assert_str_eq(action_usage(ACT_CHOOSE), "choose STEP OPTION REASON");
	for (int k = 0; k < ACT_COUNT; k++)
		ck_assert_msg(strncmp(action_usage(k), action_name(k),
				      strlen(action_name(k))) == 0,
			      "usage of %s", action_name(k));
}
END_TEST

Suite *
action_suite(void)
{
	Suite *s = suite_create("action");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_action_parse_table, 0,
			    sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, test_action_parse_rejects_with_usage, 0,
			    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_action_names_and_usage_come_from_one_table);
	suite_add_tcase(s, tc);
	return s;
}
