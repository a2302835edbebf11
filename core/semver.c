/* SemVer 2.0 parsing and precedence (semver.org, section 11). */
#include "config.h"

#include "semver.h"

#include <string.h>

static int
is_ident_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A numeric core part: digits, no leading zero, no overflow; advances *P. */
static int
parse_number(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t n = 0;

	if (!is_digit(*s) || (s[0] == '0' && is_digit(s[1])))
		return 0;
	for (; is_digit(*s); s++) {
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return 0;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*out = n;
	return 1;
}

/* Dot-separated identifiers up to END; NUMERIC_RULE forbids leading zeros
 * in all-digit identifiers (pre-release, not build metadata). */
static int
valid_identifiers(const char *s, const char *end, int numeric_rule)
{
	while (s < end) {
		const char *id = s;
		int all_digits = 1;

		for (; s < end && *s != '.'; s++) {
			if (!is_ident_char(*s))
				return 0;
			all_digits &= is_digit(*s);
		}
		if (s == id)
			return 0;
		if (numeric_rule && all_digits && s - id > 1 && *id == '0')
			return 0;
		if (s < end && ++s == end)
			return 0;	/* trailing dot */
	}
	return 1;
}

int
semver_parse(const char *s, struct semver *out)
{
	struct semver v = { 0 };
	const char *pre_end;

	if (!s)
		return 0;
	if (*s == 'v' || *s == 'V')
		s++;
	if (!parse_number(&s, &v.major) || *s++ != '.' ||
	    !parse_number(&s, &v.minor) || *s++ != '.' ||
	    !parse_number(&s, &v.patch))
		return 0;
	if (*s == '-') {
		v.pre = ++s;
		pre_end = s + strcspn(s, "+");
		if (pre_end == s || !valid_identifiers(s, pre_end, 1))
			return 0;
		v.pre_len = (size_t)(pre_end - s);
		s = pre_end;
	}
	if (*s == '+') {
		s++;
		if (!*s || !valid_identifiers(s, s + strlen(s), 0))
			return 0;
		s += strlen(s);
	}
	if (*s)
		return 0;
	if (out)
		*out = v;
	return 1;
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* One pre-release identifier each (lengths LA, LB): numeric ones compare
 * numerically (by length first, as there are no leading zeros) and sort
 * below alphanumeric ones, which compare in ASCII order. */
static int
cmp_identifier(const char *a, size_t la, const char *b, size_t lb)
{
	int num_a = 1, num_b = 1, c;

	for (size_t i = 0; i < la; i++)
		num_a &= is_digit(a[i]);
	for (size_t i = 0; i < lb; i++)
		num_b &= is_digit(b[i]);
	if (num_a != num_b)
		return num_a ? -1 : 1;
	if (num_a && la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la < lb ? la : lb);
	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(la, lb);
}

static int
cmp_prerelease(const char *a, size_t la, const char *b, size_t lb)
{
	const char *ea = a + la, *eb = b + lb;

	while (a < ea && b < eb) {
		const char *da = memchr(a, '.', (size_t)(ea - a));
		const char *db = memchr(b, '.', (size_t)(eb - b));
		int c;

		if (!da)
			da = ea;
		if (!db)
			db = eb;
		c = cmp_identifier(a, (size_t)(da - a), b, (size_t)(db - b));
		if (c)
			return c;
		a = da < ea ? da + 1 : ea;
		b = db < eb ? db + 1 : eb;
	}
	/* a larger set of identifiers wins when all before are equal */
	return (a < ea) - (b < eb);
}

int
semver_cmp(const struct semver *a, const struct semver *b)
{
	int c = cmp_u64(a->major, b->major);

	if (!c)
		c = cmp_u64(a->minor, b->minor);
	if (!c)
		c = cmp_u64(a->patch, b->patch);
	if (c)
		return c;
	if (!a->pre || !b->pre)
		return (a->pre == NULL) - (b->pre == NULL);
	return cmp_prerelease(a->pre, a->pre_len, b->pre, b->pre_len);
}

int
semver_compare(const char *a, const char *b)
{
	struct semver va, vb;
	int ok_a = semver_parse(a, &va), ok_b = semver_parse(b, &vb);
	int c;

	if (ok_a && ok_b)
		return semver_cmp(&va, &vb);
	if (ok_a != ok_b)
		return ok_a ? 1 : -1;
	c = strcmp(a ? a : "", b ? b : "");
	return c < 0 ? -1 : c > 0;
}

int
semver_is_prerelease(const char *v)
{
	if (*v == 'v' || *v == 'V')
		v++;
	v += strspn(v, "0123456789.");
	return *v == '-';
}
