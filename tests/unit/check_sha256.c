/* SHA-256 against the FIPS 180-4 / NIST example vectors and against
 * itself when the input arrives in pieces. */
#include "config.h"

#include <string.h>

#include "sha256.h"
#include "suites.h"

static const struct {
	const char *msg;
	const char *hex;
} nist[] = {
	{ "",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
};

START_TEST(test_sha256_nist_vectors_match)
{
	char hex[65];

	sha256_hex(nist[_i].msg, strlen(nist[_i].msg), hex);
	ck_assert_str_eq(hex, nist[_i].hex);
}
END_TEST

START_TEST(test_sha256_million_a_matches_nist)
{
	char chunk[1000];
	struct sha256 ctx;
	char hex[65];

	/* Fed in 1000-byte pieces so both the buffered and the direct block
	 * paths of sha256_update run. */
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		sha256_update(&ctx, chunk, sizeof(chunk));
	sha256_final_hex(&ctx, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			      "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Lengths around the 55/56/64-byte padding boundaries, from sha256sum. */
static const struct {
	size_t n_a;
	const char *hex;
} padding[] = {
	{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
	{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
	{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
	{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
	{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	{ 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
};

START_TEST(test_sha256_padding_boundaries_match_sha256sum)
{
	char buf[128];
	char hex[65];

	memset(buf, 'a', sizeof(buf));
	sha256_hex(buf, padding[_i].n_a, hex);
	ck_assert_str_eq(hex, padding[_i].hex);
}
END_TEST

START_TEST(test_sha256_split_updates_equal_one_shot)
{
	char msg[200];
	char want[65], got[65];
	struct sha256 ctx;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)(i * 7 + 3);
	sha256_hex(msg, sizeof(msg), want);
	for (size_t cut = 0; cut <= sizeof(msg); cut++) {
		sha256_init(&ctx);
		sha256_update(&ctx, msg, cut);
		sha256_update(&ctx, msg + cut, sizeof(msg) - cut);
		sha256_final_hex(&ctx, got);
		ck_assert_msg(strcmp(got, want) == 0, "split at %zu", cut);
	}
	sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(msg); i++)
		sha256_update(&ctx, msg + i, 1);
	sha256_final_hex(&ctx, got);
	ck_assert_str_eq(got, want);
}
END_TEST

/* The digests of every prefix (0 to 299 bytes) of a fixed pattern,
 * chained: sha256 over the concatenated hex digests, computed with Python's
 * hashlib. Run once with the CPU's SHA instructions and once without. */
START_TEST(test_sha256_every_length_matches_reference_with_and_without_accel)
{
	uint8_t msg[300];
	struct sha256 all;
	char hex[65];

	sha256_set_accel(_i);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	sha256_init(&all);
	for (size_t n = 0; n < sizeof(msg); n++) {
		sha256_hex(msg, n, hex);
		sha256_update(&all, hex, 64);
	}
	sha256_final_hex(&all, hex);
	ck_assert_str_eq(hex, "e58750e2a145fc5559c66f9b6cfb156f"
			      "52894470a74c4daec866d7b6ceea29ea");
}
END_TEST

START_TEST(test_sha256_portable_code_matches_nist)
{
	char hex[65];

	ck_assert_int_eq(sha256_set_accel(0), 0);
	for (size_t i = 0; i < sizeof(nist) / sizeof(nist[0]); i++) {
		sha256_hex(nist[i].msg, strlen(nist[i].msg), hex);
		ck_assert_str_eq(hex, nist[i].hex);
	}
}
END_TEST

/* Tests that switch to the portable code must not leave it on for the
 * rest of a CK_FORK=no run. */
static void
restore_accel(void)
{
	sha256_set_accel(1);
}

/* One TCase per test, named after it, each with its own timeout. */
static void
add(Suite *s, const TTest *test, int n_loops)
{
	TCase *tc = tcase_create(test->name);

	tcase_add_checked_fixture(tc, NULL, restore_accel);
	tcase_set_timeout(tc, 10);
	if (n_loops > 0)
		tcase_add_loop_test(tc, test, 0, n_loops);
	else
		tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
sha256_suite(void)
{
	Suite *s = suite_create("sha256");

	add(s, test_sha256_nist_vectors_match, N_OF(nist));
	add(s, test_sha256_million_a_matches_nist, 0);
	add(s, test_sha256_padding_boundaries_match_sha256sum, N_OF(padding));
	add(s, test_sha256_split_updates_equal_one_shot, 0);
	add(s, test_sha256_every_length_matches_reference_with_and_without_accel,
	    2);
	add(s, test_sha256_portable_code_matches_nist, 0);
	return s;
}
