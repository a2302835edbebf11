/* Normalising people's names with libunistring: NFKC and case folding
 * come from its Unicode tables, never from tables of our own. */
#include "config.h"
#include "identity.h"

#include <stdint.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uniname.h>
#include <uninorm.h>
#include <unistr.h>

#include "err.h"
#include "strbuf.h"
#include "xalloc.h"

/* Why UC may not appear in a name, or NULL when it may. */
static const char *
refusal(ucs4_t uc)
{
	if (uc_is_general_category(uc, UC_CATEGORY_Cc) ||
	    uc_is_general_category(uc, UC_CATEGORY_Zl) ||
	    uc_is_general_category(uc, UC_CATEGORY_Zp))
		return "a control character";
	if (uc_is_property_default_ignorable_code_point(uc) ||
	    uc_is_general_category(uc, UC_CATEGORY_Cf))
		return "an invisible character";
	if (uc_is_general_category(uc, UC_CATEGORY_Cs) ||
	    uc_is_general_category(uc, UC_CATEGORY_Co) ||
	    uc_is_general_category(uc, UC_CATEGORY_Cn))
		return "an unassigned or private-use character";
	return NULL;
}

/* Refuse the first character of S (N bytes, valid UTF-8) that may not
 * be in a name, saying which it is and where (1-based, in characters). */
static int
check_chars(const uint8_t *s, size_t n, const char *what, struct err *err)
{
	size_t i = 0, pos = 1;

	while (i < n) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);
		const char *why = refusal(uc);
		char name[UNINAME_MAX];

		if (why)
			return err_set(err, ERR_INVALID, "%s: the name has %s "
				       "(U+%04X %s) at character %zu; type "
				       "the name without it", what, why,
				       (unsigned)uc,
				       unicode_character_name(uc, name)
					       ? name : "unnamed", pos);
		i += (size_t)len;
		pos++;
	}
	return 0;
}

static int
is_blank(ucs4_t uc)
{
	return uc == ' ' || uc_is_general_category(uc, UC_CATEGORY_Zs);
}

/* S (N bytes) with blanks trimmed and each inner run made one space. */
static char *
collapse_blanks(const uint8_t *s, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	int gap = 0;

	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);

		if (is_blank(uc)) {
			gap = 1;
		} else {
			if (gap && out.len)
				strbuf_addc(&out, ' ');
			gap = 0;
			strbuf_add(&out, s + i, (size_t)len);
		}
		i += (size_t)len;
	}
	return strbuf_detach(&out);
}

static uint8_t *
nfkc(const uint8_t *s, size_t n, size_t *out_len)
{
	uint8_t *r = u8_normalize(UNINORM_NFKC, s, n, NULL, out_len);

	if (!r)
		fatal("out of memory normalising a name");
	return r;
}

/* NAME in its normal form, without the test of scripts. */
static char *
normal_form(const char *name, const char *what, struct err *err)
{
	const uint8_t *s = (const uint8_t *)(name ? name : "");
	size_t n = strlen((const char *)s), len;
	const uint8_t *bad = u8_check(s, n);
	uint8_t *norm;
	char *out = NULL;

	if (bad) {
		err_set(err, ERR_INVALID, "%s: the name is not valid UTF-8 "
			"(byte %zu)", what, (size_t)(bad - s) + 1);
		return NULL;
	}
	if (check_chars(s, n, what, err) < 0)
		return NULL;
	/* NFKC may make what was allowed into what is not: check again. */
	norm = nfkc(s, n, &len);
	if (check_chars(norm, len, what, err) == 0)
		out = collapse_blanks(norm, len);
	free(norm);
	if (out && !*out) {
		free(out);
		out = NULL;
		err_set(err, ERR_INVALID, "%s: the name is empty", what);
	}
	return out;
}

/* The case-folded normal form of NAME (LEN bytes out); caller frees. */
static uint8_t *
fold(const char *name, size_t *len)
{
	char *norm = normal_form(name, "", NULL);
	const char *use = norm ? norm : name;
	uint8_t *r = u8_casefold((const uint8_t *)use, strlen(use), NULL,
				 UNINORM_NFKC, NULL, len);

	free(norm);
	if (!r)
		fatal("out of memory case-folding a name");
	return r;
}

const char *
identity_login(void)
{
	const char *user = getenv("USER");
	struct passwd *pw;

	if (user && *user)
		return user;
	pw = getpwuid(getuid());
	return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "operator";
}

const char *
identity_real_login(void)
{
	static char name[64];
	struct passwd *pw = getpwuid(getuid());

	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %lu",
			 (unsigned long)getuid());
	return name;
}

/* ---- Look-alikes (in the spirit of Unicode TR39's skeletons) ----
 *
 * NFKC and case folding leave a Cyrillic "а" and a Latin "a" different,
 * though no reader can tell them apart. A name's skeleton maps each
 * letter that looks like a Latin letter (or digit) to it, so two names a
 * reader would mistake for each other have the same skeleton.
 *
 * Each character is case-folded first, so a capital maps as its small
 * letter does ("İ" is "i" and a dot, "Ø" is "ø": i and o). Whole families
 * of Latin letters map by their Unicode names (a small capital, a barred,
 * hooked, stroked or dotless letter is the letter it is a form of); the
 * table below holds the rest: other scripts' look-alikes and the IPA
 * letters named otherwise. i, l, capital I, 1 and | are one shape at a
 * glance ("ALICE", "aIice", "al1ce"): the skeleton writes them all l. */

struct lookalike {
	ucs4_t uc;
	char latin;
};

/* Sorted by code point (bsearch). Looked up before folding (a Greek
 * capital eta looks like H, its small letter like n) and after it. */
static const struct lookalike lookalikes[] = {
	/* The digits 0 and 1 and |; Latin letters whose names do not say
	 * what they look like (eth, alpha, iota, gamma, upsilon...); Greek,
	 * Cyrillic, Cherokee and Armenian look-alikes. */
	{ 0x0030, 'o' }, { 0x0031, 'l' }, { 0x007c, 'l' },
	{ 0x00f0, 'd' }, { 0x00f8, 'o' }, { 0x0111, 'd' }, { 0x0127, 'h' },
	{ 0x0131, 'i' }, { 0x0142, 'l' }, { 0x0167, 't' }, { 0x0180, 'b' },
	{ 0x0184, 'b' }, { 0x0185, 'b' }, { 0x0188, 'c' }, { 0x018c, 'd' },
	{ 0x0192, 'f' }, { 0x0199, 'k' }, { 0x019a, 'l' }, { 0x01a5, 'p' },
	{ 0x01ab, 't' }, { 0x01ad, 't' }, { 0x01b4, 'y' }, { 0x01b6, 'z' },
	{ 0x01c0, 'l' }, { 0x0247, 'e' }, { 0x0249, 'j' }, { 0x024d, 'r' },
	{ 0x024f, 'y' }, { 0x0251, 'a' }, { 0x0253, 'b' }, { 0x0256, 'd' },
	{ 0x0257, 'd' }, { 0x0260, 'g' }, { 0x0261, 'g' }, { 0x0263, 'y' },
	{ 0x0266, 'h' }, { 0x0268, 'i' }, { 0x0269, 'i' }, { 0x026a, 'i' },
	{ 0x026b, 'l' }, { 0x026c, 'l' }, { 0x026d, 'l' }, { 0x0271, 'm' },
	{ 0x0272, 'n' }, { 0x0273, 'n' }, { 0x027d, 'r' }, { 0x0282, 's' },
	{ 0x0288, 't' }, { 0x0289, 'u' }, { 0x028a, 'u' }, { 0x0290, 'z' },
	{ 0x0291, 'z' }, { 0x029f, 'l' },
	{ 0x0391, 'a' }, { 0x0392, 'b' }, { 0x0395, 'e' }, { 0x0396, 'z' },
	{ 0x0397, 'h' }, { 0x0399, 'l' }, { 0x039a, 'k' }, { 0x039c, 'm' },
	{ 0x039d, 'n' }, { 0x039f, 'o' }, { 0x03a1, 'p' }, { 0x03a4, 't' },
	{ 0x03a5, 'y' }, { 0x03a7, 'x' }, { 0x03b1, 'a' }, { 0x03b2, 'b' },
	{ 0x03b3, 'y' }, { 0x03b5, 'e' }, { 0x03b6, 'z' }, { 0x03b7, 'n' },
	{ 0x03b9, 'i' }, { 0x03ba, 'k' }, { 0x03bc, 'm' }, { 0x03bd, 'v' },
	{ 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' }, { 0x03c5, 'u' },
	{ 0x03c7, 'x' }, { 0x03c9, 'w' }, { 0x03f2, 'c' }, { 0x03f3, 'j' },
	{ 0x0405, 's' }, { 0x0406, 'l' }, { 0x0408, 'j' }, { 0x0410, 'a' },
	{ 0x0412, 'b' }, { 0x0415, 'e' }, { 0x041a, 'k' }, { 0x041c, 'm' },
	{ 0x041d, 'h' }, { 0x041e, 'o' }, { 0x0420, 'p' }, { 0x0421, 'c' },
	{ 0x0422, 't' }, { 0x0423, 'y' }, { 0x0425, 'x' }, { 0x0430, 'a' },
	{ 0x0432, 'b' }, { 0x0435, 'e' }, { 0x043a, 'k' }, { 0x043c, 'm' },
	{ 0x043d, 'h' }, { 0x043e, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' },
	{ 0x0442, 't' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x044c, 'b' },
	{ 0x0455, 's' }, { 0x0456, 'i' }, { 0x0457, 'i' }, { 0x0458, 'j' },
	{ 0x0461, 'w' }, { 0x0475, 'v' }, { 0x04af, 'y' }, { 0x04bb, 'h' },
	{ 0x04c0, 'l' }, { 0x04cf, 'l' }, { 0x0501, 'd' }, { 0x050d, 'g' },
	{ 0x051b, 'q' }, { 0x051d, 'w' }, { 0x0555, 'o' }, { 0x0585, 'o' },
	{ 0x13a0, 'd' }, { 0x13a1, 'r' }, { 0x13a2, 't' }, { 0x13aa, 'a' },
	{ 0x13ac, 'e' }, { 0x13b3, 'w' }, { 0x13bb, 'h' }, { 0x13c2, 'h' },
	{ 0x13da, 's' }, { 0x2170, 'i' }, { 0x217c, 'l' }, { 0xab83, 'w' },
};

static int
cmp_lookalike(const void *k, const void *e)
{
	ucs4_t a = *(const ucs4_t *)k, b = ((const struct lookalike *)e)->uc;

	return a < b ? -1 : a > b;
}

/* The Latin letter the table says UC looks like, or 0. */
static char
listed_lookalike(ucs4_t uc)
{
	const struct lookalike *l = bsearch(&uc, lookalikes,
		sizeof(lookalikes) / sizeof(*lookalikes), sizeof(*lookalikes),
		cmp_lookalike);

	return l ? l->latin : 0;
}

/* Words in a Latin letter's name that make it another shape: a turned
 * "ɐ" or a reversed "ɘ" is not read as a or e. */
static int
reshaped(const char *word, size_t n)
{
	static const char *const words[] = {
		"TURNED", "REVERSED", "INVERTED", "SIDEWAYS", "HALF",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], word, n))
			return 1;
	return 0;
}

/* The plain letter a Latin letter's Unicode name says UC is a form of,
 * or 0: "LATIN LETTER SMALL CAPITAL B", "LATIN SMALL LETTER BARRED O",
 * "LATIN SMALL LETTER L WITH BELT" are b, o and l: the last word before
 * any "WITH" is one letter, and no word reshapes it. */
static char
named_letter(ucs4_t uc)
{
	char name[UNINAME_MAX], *with;
	const char *p, *last = NULL;
	size_t last_n = 0;

	if (!unicode_character_name(uc, name) || strncmp(name, "LATIN ", 6))
		return 0;
	if ((with = strstr(name, " WITH ")))
		*with = '\0';
	for (p = name; *p;) {
		size_t n = strcspn(p, " ");

		if (reshaped(p, n))
			return 0;
		last = p;
		last_n = n;
		p += n + (p[n] == ' ');
	}
	if (last_n != 1 || *last < 'A' || *last > 'Z')
		return 0;
	return (char)(*last - 'A' + 'a');
}

/* The letter UC (already case-folded) is read as, or 0 to keep it. */
static char
folded_lookalike(ucs4_t uc)
{
	char l = listed_lookalike(uc);

	return l ? l : named_letter(uc);
}

/* Append to OUT what UC is read as: its look-alike, nothing for a mark
 * (an accent is missed at a glance), else its case-folded, decomposed
 * form, each character of which is mapped in turn. */
static void
add_skeleton_char(struct strbuf *out, ucs4_t uc)
{
	uint8_t one[8], *f;
	size_t n, len;
	char l = listed_lookalike(uc);

	if (l) {
		strbuf_addc(out, l);
		return;
	}
	n = (size_t)u8_uctomb(one, uc, sizeof(one));
	f = u8_casefold(one, n, NULL, UNINORM_NFD, NULL, &len);
	if (!f)
		fatal("out of memory case-folding a name");
	for (size_t i = 0; i < len;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, f + i, len - i);

		i += (size_t)k;
		if ((l = folded_lookalike(c)))
			strbuf_addc(out, l);
		else if (!uc_is_general_category(c, UC_CATEGORY_M))
			strbuf_add(out, f + i - k, (size_t)k);
	}
	free(f);
}

/* S (N bytes) mapped to what a reader takes it for, letters and digits
 * only: "i c", "i.c" and "ic" are one person to a reader, so spacing and
 * punctuation never tell two names apart; i is written l. */
static void
add_skeleton(struct strbuf *out, const uint8_t *s, size_t n)
{
	struct strbuf mapped = STRBUF_INIT;
	const uint8_t *p, *end;

	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);

		add_skeleton_char(&mapped, uc);
		i += (size_t)len;
	}
	p = (const uint8_t *)strbuf_str(&mapped);
	end = p + mapped.len;
	while (p < end) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		if (k <= 0)
			break;
		if (uc == 'i')
			strbuf_addc(out, 'l');
		else if (uc_is_alnum(uc))
			strbuf_add(out, p, (size_t)k);
		p += k;
	}
	strbuf_done(&mapped);
}

static char *
skeleton_of(const char *name)
{
	char *norm = normal_form(name, "", NULL);
	const char *use = norm ? norm : name ? name : "";
	struct strbuf out = STRBUF_INIT;
	uint8_t *nfd;
	size_t len;

	/* decomposed, so an accent is a mark of its own */
	nfd = u8_normalize(UNINORM_NFD, (const uint8_t *)use, strlen(use),
			   NULL, &len);
	if (!nfd)
		fatal("out of memory normalising a name");
	add_skeleton(&out, nfd, len);
	free(nfd);
	free(norm);
	/* A name of no letter or digit at all is compared case-folded. */
	if (!out.len) {
		uint8_t *f = fold(name ? name : "", &len);

		strbuf_add(&out, f, len);
		free(f);
	}
	return strbuf_detach(&out);
}

char *
identity_skeleton(const char *name)
{
	return skeleton_of(name);
}

int
identity_same(const char *a, const char *b)
{
	char *sa, *sb;
	int same;

	if (!a || !b)
		return 0;
	sa = skeleton_of(a);
	sb = skeleton_of(b);
	same = strcmp(sa, sb) == 0;
	free(sa);
	free(sb);
	return same;
}

/* ---- Scripts ---- */

/* The script UC is written in, for telling scripts apart in a name;
 * NULL for characters every script uses (digits, punctuation, marks).
 * Han, kana and Hangul count as one: Japanese and Korean mix them. */
static const char *
script_of(ucs4_t uc)
{
	const uc_script_t *sc = uc_script(uc);

	if (!sc || !strcmp(sc->name, "Common") ||
	    !strcmp(sc->name, "Inherited") || !uc_is_alpha(uc))
		return NULL;
	if (!strcmp(sc->name, "Han") || !strcmp(sc->name, "Hiragana") ||
	    !strcmp(sc->name, "Katakana") || !strcmp(sc->name, "Hangul") ||
	    !strcmp(sc->name, "Bopomofo"))
		return "Han";
	return sc->name;
}

/* The refusal of a word mixing scripts FIRST and SECOND, naming the
 * letter UC at POS (1-based, in characters): the non-Latin one. */
static int
mixed_scripts(const char *what, const char *first, const char *second,
	      ucs4_t uc, size_t pos, struct err *err)
{
	char cname[UNINAME_MAX];

	return err_set(err, ERR_INVALID, "%s: the name mixes scripts in one "
		       "word (%s and %s; U+%04X %s at character %zu can pass "
		       "for a letter of the other); type the name in one "
		       "script", what, first, second, (unsigned)uc,
		       unicode_character_name(uc, cname) ? cname : "unnamed",
		       pos);
}

/* Refuse a word of S (N bytes) whose letters come from two scripts. */
static int
check_scripts(const uint8_t *s, size_t n, const char *what, struct err *err)
{
	const char *word = NULL;
	ucs4_t first = 0;
	size_t pos = 1, first_pos = 0;

	for (size_t i = 0; i < n; pos++) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);
		const char *sc = script_of(uc);

		i += (size_t)len;
		if (is_blank(uc))
			word = NULL;
		if (!sc || (word && !strcmp(sc, word)))
			continue;
		if (!word) {
			word = sc;
			first = uc;
			first_pos = pos;
			continue;
		}
		if (!strcmp(sc, "Latin"))
			return mixed_scripts(what, word, sc, first, first_pos,
					     err);
		return mixed_scripts(what, word, sc, uc, pos, err);
	}
	return 0;
}

char *
identity_normalize(const char *name, const char *what, struct err *err)
{
	char *out = normal_form(name, what, err);

	if (out && check_scripts((const uint8_t *)out, strlen(out), what,
				 err) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *
identity_display(const char *name)
{
	const uint8_t *s = (const uint8_t *)(name ? name : "");
	size_t n = strlen((const char *)s);
	struct strbuf scripts = STRBUF_INIT;
	char *out;

	if (u8_check(s, n))
		return xstrdup(name ? name : "");
	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);
		const char *sc = script_of(uc);

		i += (size_t)len;
		if (sc && strcmp(sc, "Latin") != 0 &&
		    !strstr(strbuf_str(&scripts), sc))
			strbuf_addf(&scripts, "%s%s", scripts.len ? ", " : "",
				    sc);
	}
	if (!scripts.len) {
		strbuf_done(&scripts);
		return xstrdup((const char *)s);
	}
	out = xasprintf("%s [%s letters]", (const char *)s, scripts.buf);
	strbuf_done(&scripts);
	return out;
}
