/* Normalising people's names with libunistring (NFKC, case folding) and
 * comparing them with ICU's spoof checker (Unicode TS #39 confusables):
 * the Unicode data comes from those libraries, never from tables of our
 * own. */
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

#include <unicode/uspoof.h>
#include <unicode/utypes.h>

#include "err.h"
#include "sanitize.h"
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

/* Whether NFKC would turn UC, a lunate sigma, into a sigma: it is
 * written, and read, as the c it looks like (extra_reading). */
static int
is_lunate_sigma(ucs4_t uc)
{
	return uc == 0x03f2 || uc == 0x03f9;
}

static void
add_nfkc(struct strbuf *out, const uint8_t *s, size_t n)
{
	size_t len;
	uint8_t *r;

	if (!n)
		return;
	r = u8_normalize(UNINORM_NFKC, s, n, NULL, &len);
	if (!r)
		fatal("out of memory normalising a name");
	strbuf_add(out, r, len);
	free(r);
}

/* S (N bytes) in NFKC, each lunate sigma kept as typed. */
static uint8_t *
nfkc(const uint8_t *s, size_t n, size_t *out_len)
{
	struct strbuf out = STRBUF_INIT;
	size_t from = 0;

	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);

		if (is_lunate_sigma(uc)) {
			add_nfkc(&out, s + from, i - from);
			strbuf_add(&out, s + i, (size_t)len);
			from = i + (size_t)len;
		}
		i += (size_t)len;
	}
	add_nfkc(&out, s + from, n - from);
	*out_len = out.len;
	return (uint8_t *)strbuf_detach(&out);
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

/* ---- Look-alikes: Unicode TS #39 skeletons, through ICU ----
 *
 * NFKC and case folding leave a Cyrillic "а" and a Latin "a" different,
 * though no reader can tell them apart. ICU's spoof checker maps each
 * character to its prototype in Unicode's confusables data (Greek,
 * Cyrillic, Cherokee, Armenian, mathematical and other look-alikes), so
 * two names a reader would mistake for each other have the same
 * skeleton; we never keep a table of other scripts' letters ourselves.
 *
 * The confusables data is not closed under case ("Ᏼ" maps to B, its
 * small letter "ꮼ" to nothing; Greek capital eta is H, its small letter
 * n), so the skeleton is folded and mapped again until it stops changing,
 * once starting from the name as typed and once from it case-folded; two
 * names are one person when any of these keys meet. Where the data is
 * weaker than a glance, stricter rules of ours apply on top: a Latin
 * letter is read as the letter its Unicode name says it is a form of
 * (every small capital, barred, hooked, stroked or dotless letter),
 * "ᴉ" (turned i) and "¡" are i, a few prototypes of the data read as
 * the letter they look like (extra_reading), accents and other marks are dropped,
 * i, l, I, 1 and | are one letter (written l), and spacing and
 * punctuation never tell two names apart. */

/* ICU's spoof checker, opened once: only its data is read afterwards. */
static USpoofChecker *
spoof_checker(void)
{
	static USpoofChecker *sc;
	UErrorCode st = U_ZERO_ERROR;

	if (sc)
		return sc;
	sc = uspoof_open(&st);
	if (U_FAILURE(st) || !sc)
		fatal("cannot open ICU's spoof checker: %s", u_errorName(st));
	return sc;
}

/* Characters read as a Latin letter that neither the confusables data
 * nor their Unicode names say so: an upside-down i still reads as i, an
 * open o as the c it mirrors, a lunate sigma (plain, dotted or
 * reversed) as the c it is drawn as, and
 * two of the data's prototypes read as the letter they look like (kra,
 * its prototype of Greek kappa and Cyrillic ka, is a k; c with bar, its
 * prototype of the open e "ɛ", Greek epsilon and Cyrillic "є", an e). */
static char
extra_reading(ucs4_t uc)
{
	switch (uc) {
	case 0x00a1:	/* INVERTED EXCLAMATION MARK */
	case 0x1d09:	/* LATIN SMALL LETTER TURNED I */
		return 'i';
	case 0x0138:	/* LATIN SMALL LETTER KRA */
		return 'k';
	case 0xa792:	/* LATIN CAPITAL LETTER C WITH BAR */
	case 0xa793:	/* LATIN SMALL LETTER C WITH BAR */
		return 'e';
	case 0x0186:	/* LATIN CAPITAL LETTER OPEN O */
	case 0x0254:	/* LATIN SMALL LETTER OPEN O: a mirrored c */
	case 0x03f2:	/* GREEK LUNATE SIGMA SYMBOL: a c */
	case 0x03f9:	/* GREEK CAPITAL LUNATE SIGMA SYMBOL */
	case 0x037b:	/* GREEK SMALL REVERSED LUNATE SIGMA SYMBOL */
	case 0x037c:	/* GREEK SMALL DOTTED LUNATE SIGMA SYMBOL */
	case 0x037d:	/* GREEK SMALL REVERSED DOTTED LUNATE SIGMA */
	case 0x03fd:	/* GREEK CAPITAL REVERSED LUNATE SIGMA SYMBOL */
	case 0x03fe:	/* GREEK CAPITAL DOTTED LUNATE SIGMA SYMBOL */
	case 0x03ff:	/* GREEK CAPITAL REVERSED DOTTED LUNATE SIGMA */
		return 'c';
	default:
		return 0;
	}
}

/* Words in a Latin letter's name that make it another shape: a half
 * "ⱶ" is not read as h. A turned, reversed, inverted or sideways letter
 * is still read as its letter ("ɐlıɔǝ" is alice upside down: a disguise,
 * and refusing too much is the safer side). */
static int
reshaped(const char *word, size_t n)
{
	static const char *const words[] = {
		"HALF",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], word, n))
			return 1;
	return 0;
}

/* The plain letter a Latin letter's Unicode name says UC is a form of,
 * or 0: "LATIN LETTER SMALL CAPITAL B", "LATIN SMALL LETTER BARRED O",
 * "LATIN SMALL LETTER L WITH BELT", "LATIN SMALL LETTER U BAR" are b,
 * o, l and u: the last word before any "WITH" (or a final "BAR") is one
 * letter, and no word reshapes it. */
static char
named_letter(ucs4_t uc)
{
	char name[UNINAME_MAX], *with;
	const char *p, *last = NULL;
	size_t last_n = 0;

	if (uc < 0x80 || !unicode_character_name(uc, name) ||
	    strncmp(name, "LATIN ", 6))
		return 0;
	if ((with = strstr(name, " WITH ")))
		*with = '\0';
	/* "LATIN SMALL LETTER U BAR" is a barred u */
	if ((with = strstr(name, " BAR")) && !with[4])
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

/* S (N bytes, valid UTF-8) decomposed, each Latin letter our rules read
 * as a plain letter written as it; caller frees. */
static char *
plain_letters(const uint8_t *s, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	uint8_t *nfd;
	size_t len;

	nfd = u8_normalize(UNINORM_NFD, s, n, NULL, &len);
	if (!nfd)
		fatal("out of memory normalising a name");
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, nfd + i, len - i);
		char l = extra_reading(uc);

		if (!l)
			l = named_letter(uc);
		if (l)
			strbuf_addc(&out, l);
		else
			strbuf_add(&out, nfd + i, (size_t)k);
		i += (size_t)k;
	}
	free(nfd);
	return strbuf_detach(&out);
}

/* The TS #39 skeleton of S (valid UTF-8); caller frees. */
static char *
confusable_skeleton(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	char small[256], *out;
	int32_t n;

	n = uspoof_getSkeletonUTF8(spoof_checker(), 0, s, -1, small,
				   (int32_t)sizeof(small), &st);
	if (U_SUCCESS(st) && n < (int32_t)sizeof(small))
		return xstrdup(small);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		fatal("ICU's skeleton of a name failed: %s", u_errorName(st));
	out = xmalloc((size_t)n + 1);
	st = U_ZERO_ERROR;
	uspoof_getSkeletonUTF8(spoof_checker(), 0, s, -1, out, n + 1, &st);
	if (U_FAILURE(st))
		fatal("ICU's skeleton of a name failed: %s", u_errorName(st));
	return out;
}

/* S (valid UTF-8) case-folded; caller frees. */
static char *
case_fold(const char *s)
{
	size_t len;
	uint8_t *f = u8_casefold((const uint8_t *)s, strlen(s), NULL,
				 UNINORM_NFD, NULL, &len);
	char *out;

	if (!f)
		fatal("out of memory case-folding a name");
	out = xmalloc(len + 1);
	memcpy(out, f, len);
	out[len] = '\0';
	free(f);
	return out;
}

/* One round: our plain letters, the confusables' prototypes, folded. */
static char *
skeleton_round(const char *s)
{
	char *plain = plain_letters((const uint8_t *)s, strlen(s));
	char *mapped = confusable_skeleton(plain);
	char *folded = case_fold(mapped);

	free(plain);
	free(mapped);
	return folded;
}

/* S (N bytes) as its key: letters and digits only, marks dropped
 * ("o̸" is o), i written l. */
static void
add_key(struct strbuf *out, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, s + i, n - i);

		if (k <= 0)
			break;
		if (uc == 'i')
			strbuf_addc(out, 'l');
		else if (uc_is_alnum(uc) &&
			 !uc_is_general_category(uc, UC_CATEGORY_M))
			strbuf_add(out, s + i, (size_t)k);
		i += (size_t)k;
	}
}

/* Rounds of mapping a name's skeleton may take before it is taken as
 * is: each round only maps to prototypes, so a real name settles in two
 * or three. */
#define SKELETON_ROUNDS 8

/* The key of NAME, mapped until it stops changing, starting from the
 * name case-folded when FOLD_FIRST; caller frees. */
static char *
key_of(const char *name, int fold_first)
{
	char *norm = normal_form(name, "", NULL);
	char *cur, *next;
	struct strbuf out = STRBUF_INIT;

	/* A name that cannot be normalised (not UTF-8) is compared as given. */
	if (!norm)
		return xstrdup(name ? name : "");
	cur = fold_first ? case_fold(norm) : xstrdup(norm);
	free(norm);
	for (int r = 0; r < SKELETON_ROUNDS; r++) {
		next = skeleton_round(cur);
		if (!strcmp(next, cur)) {
			free(next);
			break;
		}
		free(cur);
		cur = next;
	}
	add_key(&out, (const uint8_t *)cur, strlen(cur));
	/* A name of no letter or digit at all is compared case-folded. */
	if (!out.len) {
		char *f = case_fold(cur);

		strbuf_adds(&out, f);
		free(f);
	}
	free(cur);
	return strbuf_detach(&out);
}

char *
identity_skeleton(const char *name)
{
	return key_of(name, 0);
}

int
identity_same(const char *a, const char *b)
{
	char *ka[2], *kb[2];
	int same = 0;

	if (!a || !b)
		return 0;
	for (int i = 0; i < 2; i++) {
		ka[i] = key_of(a, i);
		kb[i] = key_of(b, i);
	}
	for (int i = 0; i < 4 && !same; i++)
		same = strcmp(ka[i / 2], kb[i % 2]) == 0;
	for (int i = 0; i < 2; i++) {
		free(ka[i]);
		free(kb[i]);
	}
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

char *
identity_as_typed(const char *typed)
{
	const uint8_t *s = (const uint8_t *)(typed ? typed : "");
	size_t n = strlen((const char *)s), start = 0, end = 0;

	if (u8_check(s, n))
		return sanitize_text((const char *)s, n);
	for (size_t i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, s + i, n - i);

		if (!is_blank(uc)) {
			if (!end)
				start = i;
			end = i + (size_t)len;
		}
		i += (size_t)len;
	}
	return sanitize_text((const char *)s + start, end - start);
}
