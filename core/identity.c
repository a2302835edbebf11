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

char *
identity_normalize(const char *name, const char *what, struct err *err)
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
	char *norm = identity_normalize(name, "", NULL);
	const char *use = norm ? norm : name;
	uint8_t *r = u8_casefold((const uint8_t *)use, strlen(use), NULL,
				 UNINORM_NFKC, NULL, len);

	free(norm);
	if (!r)
		fatal("out of memory case-folding a name");
	return r;
}

int
identity_same(const char *a, const char *b)
{
	size_t la, lb;
	uint8_t *fa, *fb;
	int same;

	if (!a || !b)
		return 0;
	fa = fold(a, &la);
	fb = fold(b, &lb);
	same = la == lb && memcmp(fa, fb, la) == 0;
	free(fa);
	free(fb);
	return same;
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
