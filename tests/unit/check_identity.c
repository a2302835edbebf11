/* People's names: the normal form (NFKC, blanks trimmed and collapsed),
 * what is refused (empty, control and invisible characters, bad UTF-8)
 * and what counts as the same person (case-folded). Table-driven. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "identity.h"

static const struct {
	const char *in, *want;
} normal_forms[] = {
	{ "alice", "alice" },
	{ " alice", "alice" },				/* leading blank */
	{ "alice ", "alice" },				/* trailing blank */
	{ "  alice   ", "alice" },
	{ "Alice  Smith", "Alice Smith" },		/* inner run */
	{ "Alice \u00a0\u3000 Smith", "Alice Smith" },	/* NBSP, ideographic */
	{ "\uff41\uff4c\uff49\uff43\uff45", "alice" },	/* fullwidth */
	{ "\uff22\uff4f\uff42", "Bob" },		/* case kept */
	{ "\u2163", "IV" },				/* roman numeral four */
	{ "\u03b9\u03f2", "\u03b9\u03f2" },		/* lunate sigma kept: a c */
	{ "Jose\u0301", "Jos\u00e9" },			/* composed */
	{ "ren\u00e9e", "ren\u00e9e" },
	{ "\u00c5sa", "\u00c5sa" },
	{ "\u674e\u96f7", "\u674e\u96f7" },		/* CJK as is */
	{ "\u0410\u043b\u0438\u0441\u0430 Smith",	/* a script a word */
	  "\u0410\u043b\u0438\u0441\u0430 Smith" },
	{ "\u5c71\u7530\u305f\u308d\u3046", /* kanji and kana mix */
	  "\u5c71\u7530\u305f\u308d\u3046" },
	{ "d\u0131lek", "d\u0131lek" },		/* dotless i is Latin */
};

START_TEST(test_identity_normal_form)
{
	struct err err = { 0 };
	char *got = identity_normalize(normal_forms[_i].in, "--as", &err);

	ck_assert_msg(got, "\"%s\" refused: %s", normal_forms[_i].in, err.msg);
	ck_assert_str_eq(got, normal_forms[_i].want);
	free(got);
}
END_TEST

static const struct {
	const char *in, *msg;
} refused[] = {
	{ "", "--as: the name is empty" },
	{ "   ", "--as: the name is empty" },
	{ "\u3000\u00a0", "--as: the name is empty" },
	{ "ali\u200bce", "--as: the name has an invisible character "
	  "(U+200B ZERO WIDTH SPACE) at character 4; type the name without it" },
	{ "alice\u200d", "invisible character (U+200D ZERO WIDTH JOINER) at "
	  "character 6" },
	{ "al\u200cice", "U+200C ZERO WIDTH NON-JOINER" },
	{ "\ufeffalice", "U+FEFF ZERO WIDTH NO-BREAK SPACE) at character 1" },
	{ "\u202eecila", "invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)" },
	{ "alice\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE" },
	{ "al\u00adice", "invisible character (U+00AD SOFT HYPHEN)" },
	{ "alice\u2060", "U+2060 WORD JOINER" },
	{ "\u3164", "U+3164 HANGUL FILLER" },
	{ "alice\t", "control character (U+0009" },
	{ "ali\nce", "control character (U+000A" },
	{ "alice\x1b[31m", "control character (U+001B" },
	{ "ali\xc2\x85" "ce", "control character (U+0085" },
	{ "ali\u2028ce", "control character (U+2028 LINE SEPARATOR)" },
	{ "ali\xffze", "--as: the name is not valid UTF-8 (byte 4)" },
	{ "al\ue000", "private-use character (U+E000" },
	/* a look-alike letter from another script inside a word */
	{ "\u0430lice", "--as: the name mixes scripts in one word (Cyrillic "
	  "and Latin; U+0430 CYRILLIC SMALL LETTER A at character 1" },
	{ "alic\u0435", "(Latin and Cyrillic; U+0435 CYRILLIC SMALL LETTER IE "
	  "at character 5" },
	{ "b\u03bfb", "U+03BF GREEK SMALL LETTER OMICRON at character 2" },
	{ "Dana \u0405cully", "U+0405 CYRILLIC CAPITAL LETTER DZE at "
	  "character 6" },
};

START_TEST(test_identity_refuses)
{
	struct err err = { 0 };
	char *got = identity_normalize(refused[_i].in, "--as", &err);

	ck_assert_msg(!got, "\"%s\" accepted as \"%s\"", refused[_i].in,
		      got ? got : "");
	ck_assert_int_eq(err.code, ERR_INVALID);
	ck_assert_msg(strstr(err.msg, refused[_i].msg), "message \"%s\" "
		      "lacks \"%s\"", err.msg, refused[_i].msg);
}
END_TEST

static const struct {
	const char *a, *b;
	int same;
} pairs[] = {
	{ "alice", "alice", 1 },
	{ "alice", " alice", 1 },
	{ "alice", "alice ", 1 },
	{ "alice", "ALICE", 1 },
	{ "alice", "\uff21\uff2c\uff29\uff23\uff25", 1 },	/* fullwidth */
	{ "Alice Smith", "alice   smith", 1 },
	{ "stra\u00dfe", "STRASSE", 1 },			/* full folding */
	{ "\u1f80", "\u1f08\u0399", 1 },			/* Greek */
	/* look-alikes: the same skeleton */
	{ "alice", "\u0430\u0406\u0456\u0441\u0435", 1 },	/* Cyrillic */
	{ "scott", "\u0455\u0441\u043e\u0442\u0442", 1 },
	{ "ANNA", "\u0391\u039d\u039d\u0391", 1 },	/* Greek capitals */
	{ "kate", "\u03ba\u03b1\u03c4\u03b5", 1 },	/* Greek small */
	{ "alice", "al\u0131ce", 1 },			/* dotless i */
	{ "alice", "\u0251lice", 1 },			/* Latin alpha */
	{ "alex", "a\u0142ex", 1 },			/* l with stroke */
	{ "alex", "A\u0141EX", 1 },
	{ "bob", "b\u00f8b", 1 },			/* o with stroke */
	{ "dana", "\u0111ana", 1 },			/* d with stroke */
	{ "alice", "aIice", 1 },			/* capital I as l */
	{ "alice", "al1ce", 1 },			/* 1, l, i: one shape */
	{ "all", "a11", 1 },
	{ "bob", "b0b", 1 },
	{ "jose", "Jos\u00e9", 1 },			/* accent dropped */
	{ "alice", "alicia", 0 },
	/* spacing and punctuation tell no two people apart */
	{ "alice", "al ice", 1 },
	{ "ic", "i c", 1 },
	{ "ic", "i.c", 1 },
	{ "dana", "dana.", 1 },
	{ "dana", "d ana", 1 },
	{ "dana", "dana_", 1 },
	{ "dana", "da-na", 1 },
	{ "dana", "danae", 0 },
	{ "alice", "bob", 0 },
	{ "alice", NULL, 0 },
	/* the same person whatever the case, though the confusables map a
	 * capital and its small letter apart (capital eta is H, small n) */
	{ "\u0397\u0397", "\u03b7\u03b7", 1 },
	{ "\u0397\u0397", "hh", 1 },
	{ "\u039d\u0391\u039d\u0391", "\u03bd\u03b1\u03bd\u03b1", 1 },
	{ "\u13f4\u13be\u13f4", "\u13fc\uab8e\u13fc", 1 },	/* Cherokee */
};

/* Disguises of people's names: each is the same person as the name, in
 * either order; so the operator cannot sign as an approver, an approver
 * cannot take over as the operator, nor sign twice. Capitals fold as
 * their small letters do, and whole families of Latin letters (small
 * capitals, barred, stroked, hooked, IPA) are read as the plain letter. */
static const struct {
	const char *name, *disguise;
} disguises[] = {
	{ "alice", "AL\u0130CE" },		/* capital I with dot above */
	{ "alice", "al\u0130ce" },
	{ "alice", "Al\u0130ce" },
	{ "alice", "ALICE" },
	{ "alice", "aIice" },			/* capital I for l */
	{ "alice", "AIICE" },
	{ "alice", "al1ce" },
	{ "alice", "\u1d00\u029f\u026a\u1d04\u1d07" },	/* small capitals */
	{ "alice", "\u0251l\u0131ce" },		/* alpha, dotless i */
	{ "alice", "al\u0268ce" },		/* barred i */
	{ "alice", "a\u026bice" },		/* l with middle tilde */
	{ "alice", "\u0226lice" },		/* A with dot above */
	{ "alice", "al\ua7aece" },		/* capital small capital I */
	{ "alice", "ali\u0188e" },		/* c with hook */
	{ "alice", "alic\u0247" },		/* e with stroke */
	{ "ollie", "\u00d8LLIE" },		/* capital O with stroke */
	{ "ollie", "\u00f8llie" },
	{ "ollie", "\u019fllie" },		/* capital barred O */
	{ "ollie", "\u0275llie" },		/* barred o */
	{ "ollie", "\u1d0f\u029f\u029f\u026a\u1d07" },
	{ "ollie", "0LLIE" },
	{ "ollie", "o\u0141\u0141ie" },		/* capital L with stroke */
	{ "bob", "b\u0275b" },			/* barred o */
	{ "bob", "\u0299\u1d0f\u0299" },		/* small capitals B and O */
	{ "bob", "\u0299ob" },
	{ "bob", "\u0180\u00f8\u0253" },		/* b with stroke, hook */
	{ "bob", "\u0243O\u0181" },		/* capital B with stroke, hook */
	{ "bob", "B\u00d8B" },
	{ "ilse", "\u0130LSE" },		/* capital I with dot above */
	{ "ilse", "ILSE" },
	{ "ilse", "Ilse" },
	{ "ilse", "\u026a\u029f\ua731\u1d07" },	/* small capitals */
	{ "ilse", "\u0131lse" },
	{ "ilse", "1lse" },
	{ "ilse", "il\u0282e" },		/* s with hook */
	{ "dana", "\u1d05\u1d00\u0274\u1d00" },	/* small capitals */
	{ "dana", "\u0110ANA" },		/* capital D with stroke */
	{ "dana", "d\u0251\u0272a" },		/* n with left hook */
	{ "dana", "\u0189ana" },		/* African D */
	{ "greg", "\u0262\u0280\u1d07\u0262" },	/* small capitals */
	{ "greg", "\u0261r\u0247g" },		/* script g */
	{ "greg", "g\u024d\u0115g" },		/* r with stroke, e breve */
	{ "kate", "\u1d0b\u1d00\u1d1b\u1d07" },
	{ "kate", "\u0199a\u01adE" },		/* k, t with hook */
	{ "mona", "\u1d0d\u1d0f\u0274\u1d00" },
	{ "mona", "\u0271\u00f8\u0273a" },		/* m, n with hook */
	{ "paul", "\u1d18\u1d00\u1d1c\u029f" },
	{ "paul", "\u01a5a\u0289l" },		/* p with hook, barred u */
	{ "quinn", "\ua7af\u1d1c\u026a\u0274\u0274" },
	{ "fritz", "\ua730\u0280\u026a\u1d1b\u1d22" },
	{ "hyvonne", "\u029c\u028f\u1d20\u1d0f\u0274\u0274\u1d07" },
	{ "jake", "\u1d0a\u1d00\u1d0b\u1d07" },
	{ "wes", "\u1d21\u1d07\ua731" },
	{ "zed", "\u0290\u025b\u0257" },		/* z, d with hook, open e */
	{ "chad", "\u0188\u0127ad" },		/* c with hook, h with stroke */
	{ "yuri", "\u024fur\u0268" },		/* y with stroke */
	/* A commander's try got these past the hand-made tables: */
	{ "ic", "\u1d09c" },			/* turned i */
	{ "bob", "\u13f4\u13be\u13f4" },		/* Cherokee capitals */
	{ "bob", "b\u1d11b" },			/* sideways o */
	/* and a second commander's try got alice upside down past them: */
	{ "alice", "\u0250l\u0131\u0254\u01dd" },	/* turned a, open o, turned e */
	{ "carol", "\u0254arol" },		/* open o, a mirrored c */
	{ "bab", "b\u0250b" },			/* turned a */
	{ "ic", "\u00a1c" },			/* inverted exclamation mark */
	/* Unicode's confusables (TS #39), through ICU: */
	{ "bob", "\u0392\u039f\u0392" },		/* Greek capitals */
	{ "kate", "\u039a\u0391\u03a4\u0395" },
	{ "ic", "\u03b9c" },			/* Greek iota */
	{ "ic", "\u03b9\u03f2" },		/* iota, lunate sigma */
	{ "cc", "\u03f2\u03f9" },		/* lunate sigma, capital */
	{ "ic", "\u03b9\u0441" },		/* Greek iota, Cyrillic es */
	{ "bob", "\u042c\u043e\u042c" },		/* Cyrillic soft sign, o */
	{ "ic", "\u0456\u0441" },		/* Cyrillic i, es */
	{ "joe", "\u0458\u043e\u0435" },
	{ "kate", "\u043a\u0430\u0442\u0435" },	/* Cyrillic ka */
	{ "bob", "\u13fc\uab8e\u13fc" },		/* Cherokee small letters */
	{ "dave", "\u13a0\u13aa\u13d9\u13ac" },	/* Cherokee */
	{ "sw", "\u13da\u13b3" },
	{ "bob", "b\u0585b" },			/* Armenian oh */
	{ "ic", "\uff49\uff43" },			/* fullwidth */
	{ "bob", "\uff22\uff2f\uff22" },
	{ "ic", "\U0001d422\U0001d41c" },		/* mathematical bold */
	{ "bob", "\U0001d4b7\u2134\U0001d4b7" },	/* mathematical script */
	{ "bob", "\U0001d553\U0001d560\U0001d553" },	/* double-struck */
	{ "alice", "\U0001d68a\U0001d695\U0001d692\U0001d68c\U0001d68e" },
	{ "ic", "\u24d8\u24d2" },			/* circled */
	{ "ic", "\u2170c" },			/* small roman numeral one */
	{ "ic", "\u0269c" },			/* Latin iota */
	{ "ic", "\u026ac" },			/* small capital I */
	{ "ic", "i\u0307c" },			/* combining marks */
	{ "bob", "b\u0336o\u0336b\u0336" },
	{ "bob", "bo\u0308\u0301b" },
	{ "alice", "a\u0328lic\u0327e" },
	{ "paul", "pa\u0289l" },			/* u bar */
	{ "mona", "rnona" },			/* r and n make an m */
};

START_TEST(test_identity_disguises)
{
	const char *name = disguises[_i].name, *d = disguises[_i].disguise;

	ck_assert_msg(identity_same(name, d), "\"%s\" passes for someone "
		      "other than %s", d, name);
	ck_assert_msg(identity_same(d, name), "%s passes for someone other "
		      "than \"%s\"", name, d);
}
END_TEST

/* Other people stay other people: a disguise of one name is never taken
 * for another's. */
static const struct {
	const char *a, *b;
} different[] = {
	{ "alice", "alicia" }, { "alice", "alina" }, { "ollie", "olive" },
	{ "bob", "rob" }, { "bob", "bab" }, { "ilse", "else" },
	{ "dana", "dena" }, { "greg", "gregg" }, { "kate", "kata" },
	{ "\u0299\u1d0f\u0299", "\u0280\u1d0f\u0299" },
	{ "AL\u0130CE", "ALINE" }, { "\u00d8LLIE", "OLIVE" },
	{ "\u0250c", "ic" },			/* a turned a is not an i */
	{ "\u0250c", "\u01ddc" },		/* nor a turned e */
	{ "\u13f4\u13be\u13f4", "rob" },
	{ "\u03b7\u03b7", "hh" },			/* small eta is an n */
	{ "ic", "jc" }, { "ic", "ec" }, { "bob", "dob" },
	{ "\U0001d422\U0001d41c", "\U0001d41e\U0001d41c" },	/* ic, ec */
};

START_TEST(test_identity_different)
{
	ck_assert_msg(!identity_same(different[_i].a, different[_i].b),
		      "\"%s\" and \"%s\" taken for one person",
		      different[_i].a, different[_i].b);
}
END_TEST

START_TEST(test_identity_same)
{
	ck_assert_msg(identity_same(pairs[_i].a, pairs[_i].b) ==
		      pairs[_i].same, "\"%s\" vs \"%s\": expected %s",
		      pairs[_i].a, pairs[_i].b ? pairs[_i].b : "(null)",
		      pairs[_i].same ? "the same" : "different");
}
END_TEST

static const struct {
	const char *in, *skeleton;
} skeletons[] = {
	{ "alice", "allce" },
	{ "ALICE", "allce" },		/* i, I and l look alike: all l */
	{ "\u0430lice", "allce" },
	{ "\u0410\u0412\u0421", "abc" },		/* Cyrillic capitals */
	{ "\u03a1\u03bf\u03bd", "pov" },
	{ "Ian", "lan" },
	{ "AL\u0130CE", "allce" },		/* capital I with dot above */
	{ "\u00d8LLIE", "ollle" },		/* capital O with stroke */
	{ "b\u0275b", "bob" },			/* barred o */
	{ "\u0299\u1d0f\u0299", "bob" },		/* small capitals */
	{ "\u0397\u03b7", "hn" },		/* capital eta is H, small n */
	{ "\u0250\u01dd", "ae" },		/* turned a and e read as a, e */
	{ "...", "..." },			/* no letter: as folded */
	{ "\u5c71\u7530", "\u5c71\u7530" },		/* no look-alike */
	{ "\u13f4\u13be\u13f4", "bob" },		/* Cherokee, folded */
	{ "\u1d09c", "lc" },			/* turned i */
	{ "\u00a1c", "lc" },
	{ "m", "rn" },				/* TS #39's prototype */
};

START_TEST(test_identity_skeleton)
{
	char *got = identity_skeleton(skeletons[_i].in);

	ck_assert_str_eq(got, skeletons[_i].skeleton);
	free(got);
}
END_TEST

static const struct {
	const char *in, *shown;
} displays[] = {
	{ "alice", "alice" },
	{ "Ren\u00e9e \u00c5sa", "Ren\u00e9e \u00c5sa" },	/* Latin */
	{ "\u0430\u043b\u0438\u0441\u0430",
	  "\u0430\u043b\u0438\u0441\u0430 [Cyrillic letters]" },
	{ "\u0430lice", "\u0430lice [Cyrillic letters]" },	/* old journal */
	{ "\u03ba\u03b1\u03c4\u03b5 \u0430",
	  "\u03ba\u03b1\u03c4\u03b5 \u0430 [Greek, Cyrillic letters]" },
};

START_TEST(test_identity_display)
{
	char *got = identity_display(displays[_i].in);

	ck_assert_str_eq(got, displays[_i].shown);
	free(got);
}
END_TEST

static const struct {
	const char *typed, *quoted;
} as_typed[] = {
	{ "\uff49\uff43", "\uff49\uff43" },		/* fullwidth kept */
	{ "  \uff33\uff21\uff2d \u3000", "\uff33\uff21\uff2d" },	/* blanks around */
	{ "DANA  SCULLY", "DANA  SCULLY" },		/* inner run kept */
	{ "ic\x1b[31m", "ic^[[31m" },			/* made safe */
	{ "i\xff" "c", "i\\xFFc" },
};

START_TEST(test_identity_as_typed)
{
	char *got = identity_as_typed(as_typed[_i].typed);

	ck_assert_str_eq(got, as_typed[_i].quoted);
	free(got);
}
END_TEST

/* Each sign-off compares its name with the operator and every earlier
 * approver: a comparison (some 30 us here; ICU's checker is opened
 * once) stays under 5 ms even under a sanitizer or valgrind, so a step
 * with many approvers still signs at once. The cost is printed. */
START_TEST(test_identity_same_cost)
{
	struct timespec t0, t1;
	enum { N = 2000 };
	double us;
	int same = 0;

	ck_assert(identity_same("warm", "up") == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++)
		same += identity_same("\u13f4\u13be\u13f4 Smith", "bob smith");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	      (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / N;
	fprintf(stderr, "identity_same: %.1f us a call\n", us);
	ck_assert_int_eq(same, N);
	ck_assert_msg(us < 5000, "identity_same takes %.0f us a call", us);
}
END_TEST

/* The normal form is a fixed point: normalising it again changes nothing. */
START_TEST(test_identity_normal_form_is_stable)
{
	char *once = identity_normalize(normal_forms[_i].in, "x", NULL);
	char *twice = identity_normalize(once, "x", NULL);

	ck_assert_str_eq(once, twice);
	free(once);
	free(twice);
}
END_TEST

static Suite *
identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("identity");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_identity_normal_form, 0,
			    sizeof(normal_forms) / sizeof(normal_forms[0]));
	tcase_add_loop_test(tc, test_identity_refuses, 0,
			    sizeof(refused) / sizeof(refused[0]));
	tcase_add_loop_test(tc, test_identity_same, 0,
			    sizeof(pairs) / sizeof(pairs[0]));
	tcase_add_loop_test(tc, test_identity_disguises, 0,
			    sizeof(disguises) / sizeof(disguises[0]));
	tcase_add_loop_test(tc, test_identity_different, 0,
			    sizeof(different) / sizeof(different[0]));
	tcase_add_loop_test(tc, test_identity_skeleton, 0,
			    sizeof(skeletons) / sizeof(skeletons[0]));
	tcase_add_loop_test(tc, test_identity_display, 0,
			    sizeof(displays) / sizeof(displays[0]));
	tcase_add_loop_test(tc, test_identity_normal_form_is_stable, 0,
			    sizeof(normal_forms) / sizeof(normal_forms[0]));
	tcase_add_test(tc, test_identity_same_cost);
	tcase_add_loop_test(tc, test_identity_as_typed, 0,
			    sizeof(as_typed) / sizeof(as_typed[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(identity_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
