/* No control sequence from outside survives the sanitizer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "suites.h"

struct san_case {
	const char *in;
	size_t len;
	const char *out;
};

#define C(s, o) { s, sizeof(s) - 1, o }

static const struct san_case cases[] = {
	C("plain text", "plain text"),
	C("tag\x1b[31mRED\x1b[0m", "tag^[[31mRED^[[0m"),
	C("title\x1b]0;pwned\x07 end", "title^[]0;pwned^G end"),
	C("status: OK\b\bFAIL", "status: OK^H^HFAIL"),
	C("a\rb\nc\td", "a^Mb^Jc^Id"),
	C("del\x7f", "del^?"),
	C("lone \x9b byte", "lone \\x9B byte"),
	C("c1 \xc2\x9b csi", "c1 \\u{009B} csi"),
	C("bidi \xe2\x80\xae evil", "bidi \\u{202E} evil"),
	C("isolate \xe2\x81\xa6 x", "isolate \\u{2066} x"),
	C("caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"),
	C("overlong \xc0\xaf", "overlong \\xC0\\xAF"),
	C("surrogate \xed\xa0\x80", "surrogate \\xED\\xA0\\x80"),
	C("nul\0in", "nul^@in"),
	C("zero\xe2\x80\x8bwidth", "zero<U+200B>width"),
	C("bom \xef\xbb\xbf joiner \xe2\x81\xa0", "bom <U+FEFF> joiner <U+2060>"),
	C("soft\xc2\xadhyphen", "soft<U+00AD>hyphen"),
	C("tag \xf3\xa0\x80\x81", "tag <U+E0001>"),
};

START_TEST(test_sanitize_maps_controls_to_visible_text)
{
	char *got = sanitize_text(cases[_i].in, cases[_i].len);

	ck_assert_str_eq(got, cases[_i].out);
	free(got);
}
END_TEST

/* Text is called clean exactly when the sanitizer leaves it as it is
 * (the report skips the copy for it): the same table says which. */
START_TEST(test_sanitize_is_clean_when_the_text_comes_out_unchanged)
{
	int same = strlen(cases[_i].out) == cases[_i].len &&
		   memcmp(cases[_i].in, cases[_i].out, cases[_i].len) == 0;

	ck_assert_int_eq(sanitize_is_clean(cases[_i].in, cases[_i].len), same);
}
END_TEST

START_TEST(test_sanitize_output_has_no_escape_byte)
{
	char all[256];
	char *got;

	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	got = sanitize_text(all, sizeof(all));
	for (const unsigned char *p = (const unsigned char *)got; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f && *p < 0x80,
			      "byte 0x%02x survived", *p);
	free(got);
}
END_TEST

Suite *
sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("sanitize");

	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_sanitize_maps_controls_to_visible_text, 0,
			    sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc,
		test_sanitize_is_clean_when_the_text_comes_out_unchanged, 0,
		sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_sanitize_output_has_no_escape_byte);
	suite_add_tcase(s, tc);
	return s;
}
