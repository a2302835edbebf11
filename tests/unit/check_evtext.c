/* Journal events in words: each type a person may see in a status line
 * is told in a sentence that names who did what, and never by its type
 * name. Table-driven. */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtext.h"

static const struct {
	const char *line, *want;
} cases[] = {
	{ "{\"type\":\"approval.granted\",\"actor\":\"bob\",\"step\":\"p.sign\","
	  "\"payload\":{\"role\":\"Release Manager\",\"name\":\"bob\"}}",
	  "bob approved as Release Manager" },
	{ "{\"type\":\"approval.granted\",\"actor\":\"dana\",\"step\":\"p\","
	  "\"payload\":{\"role\":\"QA\",\"name\":\"dana\",\"provenance\":"
	  "{\"via\":\"console\",\"login\":\"ic\",\"host\":\"h1\","
	  "\"tty\":\"/dev/pts/3\",\"operator\":\"ic\"}}}",
	  "dana approved as QA, entered at ic's console (login ic on h1, "
	  "/dev/pts/3)" },
	{ "{\"type\":\"approval.granted\",\"actor\":\"erin\",\"step\":\"p\","
	  "\"payload\":{\"role\":\"QA\",\"name\":\"erin\",\"provenance\":"
	  "{\"via\":\"rewind approve\",\"login\":\"bob\",\"host\":\"h2\"}}}",
	  "erin approved as QA, signed with rewind approve (login bob on h2)" },
	{ "{\"type\":\"approval.voided\",\"actor\":\"rewind\",\"step\":\"p\","
	  "\"payload\":{\"role\":\"QA\",\"name\":\"eve\",\"reason\":\"changed\"}}",
	  "the approval by eve as QA was voided: changed" },
	{ "{\"type\":\"action.refused\",\"actor\":\"sam\",\"step\":\"p.sign\","
	  "\"payload\":{\"action\":\"approve\",\"reason\":\"no\"}}",
	  "sam's approve p.sign was refused: no" },
	/* the operator's own login signing, and only trying (refused) */
	{ "{\"type\":\"approval.granted\",\"actor\":\"dana\",\"step\":\"p\","
	  "\"payload\":{\"role\":\"QA\",\"name\":\"dana\",\"provenance\":"
	  "{\"via\":\"rewind approve\",\"login\":\"ic\",\"host\":\"h\","
	  "\"operator_login\":\"ic\",\"own_login\":true}}}",
	  "dana approved as QA, signed with rewind approve (login ic on h); "
	  "signed as dana by login ic, the operator's own login" },
	{ "{\"type\":\"action.refused\",\"actor\":\"dana\",\"step\":\"p\","
	  "\"payload\":{\"action\":\"approve\",\"name\":\"dana\","
	  "\"reason\":\"no\",\"provenance\":{\"via\":\"rewind approve\","
	  "\"login\":\"ic\",\"host\":\"h\",\"operator_login\":\"ic\","
	  "\"own_login\":true}}}",
	  "dana's approve p was refused: no; signed with rewind approve (login "
	  "ic on h); tried as dana by login ic, the operator's own login" },
	/* an invalid name, refused under the login that typed it: the name
	 * tried and the login are told apart */
	{ "{\"type\":\"action.refused\",\"actor\":\"root\",\"step\":\"p\","
	  "\"payload\":{\"action\":\"approve\",\"name_given\":\"NAME\","
	  "\"reason\":\"--as is a placeholder, not a name\"}}",
	  "approve p as \"NAME\" by login root was refused: --as is a "
	  "placeholder, not a name" },
	{ "{\"type\":\"step.finished\",\"actor\":\"sam\",\"step\":\"e.push\","
	  "\"payload\":{\"ok\":false,\"exit\":3,\"reason\":\"exit 3\"}}",
	  "e.push failed (exit 3): exit 3" },
	{ "{\"type\":\"step.finished\",\"actor\":\"sam\",\"step\":\"e.push\","
	  "\"payload\":{\"ok\":true,\"exit\":0}}", "e.push finished (exit 0)" },
	{ "{\"type\":\"share.published\",\"actor\":\"rewind\",\"payload\":"
	  "{\"remote\":\"origin\",\"events\":12,\"head\":"
	  "\"0123456789abcdef0123\"}}",
	  "published 12 events to origin (head 0123456789abcdef)" },
	{ "{\"type\":\"share.offline\",\"actor\":\"rewind\",\"payload\":"
	  "{\"remote\":\"origin\",\"why\":\"unable to connect\"}}",
	  "origin does not answer: publishing again when it does (unable to "
	  "connect)" },
	{ "{\"type\":\"drill.inject\",\"actor\":\"scenario\",\"payload\":"
	  "{\"id\":\"errors-climb\"}}", "the scenario injected errors-climb" },
	{ "{\"type\":\"drill.inject\",\"actor\":\"gm\",\"payload\":"
	  "{\"id\":\"fix-published\"}}",
	  "the game master (gm) injected fix-published" },
	{ "{\"type\":\"var.set\",\"actor\":\"sam\",\"payload\":{\"name\":\"V\","
	  "\"value\":\"1.2.2\"}}", "sam set V to 1.2.2" },
	{ "{\"type\":\"var.set\",\"actor\":\"sam\",\"payload\":{\"name\":\"T\","
	  "\"secret\":true}}", "sam set T (secret)" },
	{ "{\"type\":\"phase.advanced\",\"actor\":\"sam\",\"payload\":"
	  "{\"from\":\"approve\",\"to\":\"execute\"}}",
	  "sam moved on from approve to execute" },
	{ "{\"type\":\"decision.made\",\"actor\":\"sam\",\"step\":\"d\","
	  "\"payload\":{\"option\":\"rollback\"}}", "sam chose rollback at d" },
	{ "{\"type\":\"message.failed\",\"actor\":\"sam\",\"step\":\"c.t\"}",
	  "message c.t not delivered yet" },
	{ "{\"type\":\"step.ticked\",\"actor\":\"sam\",\"step\":\"a.look\"}",
	  "sam ticked a.look" },
	{ "{\"type\":\"note.added\",\"actor\":\"erin\",\"payload\":{}}",
	  "erin added a note" },
	{ "{\"type\":\"step.interrupted\",\"actor\":\"rewind\",\"step\":\"x\"}",
	  "x was interrupted: the console ended while it ran (outcome "
	  "unknown)" },
	{ "{\"type\":\"probe.url\",\"actor\":\"rewind\",\"step\":\"v.h\"}",
	  "rewind: probe url (v.h)" },
	{ "{\"type\":\"session.resumed\",\"actor\":\"sam\"}",
	  "sam resumed the session" },
	{ "{\"type\":\"session.quit\",\"actor\":\"sam\",\"payload\":"
	  "{\"how\":\"SIGHUP\",\"running\":[{\"step\":\"e.tag\","
	  "\"pid\":41}]}}",
	  "sam: the console ended on SIGHUP (the terminal closed) while e.tag "
	  "(pid 41) ran; the session can be resumed" },
	{ "{\"type\":\"session.quit\",\"actor\":\"sam\",\"payload\":"
	  "{\"how\":\"quit\",\"running\":[]}}",
	  "sam: the console was closed; the session can be resumed" },
	{ "{\"type\":\"step.spawned\",\"actor\":\"alice\",\"step\":"
	  "\"e.tag\",\"payload\":{\"pid\":4242}}",
	  "e.tag's command is running (pid 4242)" },
	{ "{\"type\":\"step.orphan\",\"actor\":\"rewind\",\"step\":"
	  "\"e.tag\",\"payload\":{\"pid\":4242}}",
	  "e.tag's run from the previous console is still running (pid 4242)" },
	{ "{\"type\":\"step.orphan_ended\",\"actor\":\"rewind\",\"step\":"
	  "\"e.tag\",\"payload\":{\"pid\":4242,\"how\":\"ended by itself\"}}",
	  "e.tag's run from the previous console (pid 4242) ended by itself; "
	  "outcome unknown" },
	{ "{\"type\":\"registry.answer\",\"actor\":\"rewind\","
	  "\"payload\":{}}", "the registry answered (versions and tags read)" },
	{ "{\"type\":\"share.offline\",\"actor\":\"rewind\",\"payload\":"
	  "{\"remote\":\"origin\",\"why\":\"Permission denied\","
	  "\"needs_credentials\":true,\"what_to_do\":\"ssh-add your key\"}}",
	  "share: needs credentials: origin asked for a login (Permission "
	  "denied); ssh-add your key" },
	{ "{\"type\":\"session.handover_offered\",\"actor\":\"alice\","
	  "\"payload\":{\"from\":\"alice\",\"to\":\"bob\",\"remote\":"
	  "\"origin\"}}", "alice offered the session to bob (who takes it "
	  "with --take through origin)" },
	{ "{\"type\":\"session.handover_offered\",\"actor\":\"alice\","
	  "\"payload\":{\"to\":\"erin\",\"remote\":\"origin\",\"replaces\":"
	  "\"bob\"}}", "alice offered the session to erin (who takes it "
	  "with --take through origin), instead of bob" },
	{ "{\"type\":\"session.handover_withdrawn\",\"actor\":\"alice\","
	  "\"payload\":{\"to\":\"bob\"}}",
	  "alice withdrew the hand-over offered to bob" },
	{ "{\"type\":\"session.handover\",\"actor\":\"bob\",\"payload\":"
	  "{\"from\":\"alice\",\"to\":\"bob\",\"remote\":\"origin\","
	  "\"offered_to\":\"bob\",\"forced\":false}}",
	  "bob took the session over from alice (through origin), as offered" },
	{ "{\"type\":\"session.handover\",\"actor\":\"carol\",\"payload\":"
	  "{\"from\":\"alice\",\"to\":\"carol\",\"remote\":\"origin\","
	  "\"offered_to\":\"bob\",\"forced\":true}}",
	  "carol took the session over from alice (through origin), forced: "
	  "it was offered to bob" },
	{ "{\"type\":\"session.handover\",\"actor\":\"carol\",\"payload\":"
	  "{\"from\":\"alice\",\"to\":\"carol\",\"remote\":\"origin\"}}",
	  "carol took the session over from alice (through origin)" },
	{ "{\"type\":\"session.handover\",\"actor\":\"carol\",\"payload\":"
	  "{\"from\":\"alice\",\"to\":\"carol\",\"remote\":\"origin\","
	  "\"forced\":true}}",
	  "carol took the session over from alice (through origin), forced: "
	  "alice had neither offered it nor quit" },
};

START_TEST(test_evtext_says_it_in_words)
{
	char *got = evtext_line(cases[_i].line);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, cases[_i].want);
	free(got);
}
END_TEST

/* Every type the session journals: no sentence shows the type's name. */
static const char *const types[] = {
	"action.refused", "approval.granted", "approval.voided",
	"decision.made", "drill.clone", "drill.inject", "drill.scorecard",
	"drill.world",
	"journal.truncated", "log.threshold", "message.delivered",
	"message.failed", "message.queued", "message.sent", "note.added",
	"phase.advanced", "reminder.dismissed", "reminder.due",
	"reminder.sent", "session.completed", "session.quit",
	"session.resumed", "session.started", "step.confirm_mismatch",
	"step.confirmed", "step.finished", "step.interrupted", "step.na",
	"step.predicted", "step.skipped", "step.started", "step.ticked",
	"var.set", "step.spawned", "step.orphan", "step.orphan_stop",
	"step.orphan_ended", "registry.answer", "tags.answer",
	"share.published", "share.offline", "share.rejected",
	"session.handover", "session.handover_offered",
	"session.handover_withdrawn", "share.taken",
};

/* "step orphan ended" for "step.orphan_ended": the type name in words. */
static void
type_words(const char *type, char *out, size_t size)
{
	snprintf(out, size, "%s", type);
	for (char *c = out; *c; c++)
		if (*c == '.' || *c == '_')
			*c = ' ';
}

/* Whether TEXT holds PHRASE as whole words ("drill injected" does not
 * hold "drill inject"). */
static int
has_phrase(const char *text, const char *phrase)
{
	for (const char *hit = strstr(text, phrase); hit;
	     hit = strstr(hit + 1, phrase)) {
		char after = hit[strlen(phrase)];

		if (!isalpha((unsigned char)after))
			return 1;
	}
	return 0;
}

START_TEST(test_evtext_never_shows_the_type_name)
{
	char line[256], words[64];
	char *got;

	snprintf(line, sizeof(line), "{\"type\":\"%s\",\"actor\":\"sam\","
		 "\"step\":\"s1\",\"payload\":{}}", types[_i]);
	got = evtext_line(line);
	ck_assert_ptr_nonnull(got);
	ck_assert_msg(!strstr(got, types[_i]), "%s told as \"%s\"", types[_i],
		      got);
	ck_assert_msg(!strchr(got, '_'), "%s told as \"%s\"", types[_i], got);
	type_words(types[_i], words, sizeof(words));
	ck_assert_msg(!has_phrase(got, words), "%s told as \"%s\"", types[_i],
		      got);
	free(got);
}
END_TEST

START_TEST(test_evtext_not_json_is_null)
{
	ck_assert_ptr_null(evtext_line("approval.granted"));
}
END_TEST

static Suite *
evtext_suite(void)
{
	Suite *s = suite_create("evtext");
	TCase *tc = tcase_create("evtext");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_evtext_says_it_in_words, 0,
			    sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, test_evtext_never_shows_the_type_name, 0,
			    sizeof(types) / sizeof(types[0]));
	tcase_add_test(tc, test_evtext_not_json_is_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(evtext_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
