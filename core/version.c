/* The version order of version.h: each string is read once into a key
 * (its scheme, epoch, release, stage and the details of that stage), and
 * keys compare field by field. Every field compares in a total order, so
 * the order of keys is total too: transitive and antisymmetric across the
 * schemes, which is what qsort needs. */
#include "config.h"

#include "version.h"

#include <string.h>

#include "semver.h"

/* The schemes, in their order among pre-releases of one release. */
enum vscheme { VS_PEP440, VS_SEMVER, VS_OTHER };

/* Where a version sits around its release. */
enum vstage { ST_DEV, ST_PRE, ST_RELEASE, ST_POST };

/* Bytes of the string: a number's digits (none means 0), a release's
 * "N.N.N", a suffix's text. */
struct span {
	const char *s;
	size_t n;
};

struct vkey {
	enum vscheme scheme;
	enum vstage stage;
	struct span epoch, release;
	/* PEP 440: pre-release letter (0 a, 1 b, 2 rc) and the numbers of
	 * the pre-, post- and development release parts present. */
	int pre_kind, has_pre, has_post, has_dev;
	struct span pre_n, post_n, dev_n;
	struct span local;	/* PEP 440 local label; n 0 when none */
	struct semver sv;	/* SemVer: the parsed version */
	struct span tail;	/* other: the text after the release */
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/* --- comparing fields ---------------------------------------------------- */

/* Two numbers given as digits of any length (none counts as 0). */
static int
num_cmp(struct span a, struct span b)
{
	while (a.n && *a.s == '0')
		a.s++, a.n--;
	while (b.n && *b.s == '0')
		b.s++, b.n--;
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return a.n ? sign(memcmp(a.s, b.s, a.n)) : 0;
}

/* The next dot-separated number of a release *R (0 once it is used up). */
static struct span
next_part(struct span *r)
{
	struct span part = { r->s, 0 };

	while (part.n < r->n && r->s[part.n] != '.')
		part.n++;
	r->s += part.n;
	r->n -= part.n;
	if (r->n) /* the dot */
		r->s++, r->n--;
	return part;
}

/* Two releases "N.N.N", a missing part counting as 0. */
static int
release_cmp(struct span a, struct span b)
{
	while (a.n || b.n) {
		int c = num_cmp(next_part(&a), next_part(&b));

		if (c)
			return c;
	}
	return 0;
}

/* Text byte by byte; a prefix sorts first. */
static int
text_cmp(struct span a, struct span b)
{
	int c = memcmp(a.s, b.s, a.n < b.n ? a.n : b.n);

	if (c)
		return sign(c);
	return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

static int
all_digits(struct span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit(s.s[i]))
			return 0;
	return 1;
}

/* One segment of a PEP 440 local label: numbers sort above letters and
 * compare by value; letters compare without regard to case. */
static int
local_segment_cmp(struct span a, struct span b)
{
	int da = all_digits(a), db = all_digits(b);

	if (da != db)
		return da ? 1 : -1;
	if (da)
		return num_cmp(a, b);
	for (size_t i = 0; i < a.n && i < b.n; i++)
		if (lower(a.s[i]) != lower(b.s[i]))
			return lower(a.s[i]) < lower(b.s[i]) ? -1 : 1;
	return a.n == b.n ? 0 : a.n < b.n ? -1 : 1;
}

static struct span
next_local_segment(struct span *l)
{
	struct span seg = { l->s, 0 };

	while (seg.n < l->n && !is_sep(l->s[seg.n]))
		seg.n++;
	l->s += seg.n;
	l->n -= seg.n;
	if (l->n)
		l->s++, l->n--;
	return seg;
}

/* No label sorts below any label; labels compare segment by segment. */
static int
local_cmp(struct span a, struct span b)
{
	while (a.n && b.n) {
		int c = local_segment_cmp(next_local_segment(&a),
					  next_local_segment(&b));

		if (c)
			return c;
	}
	return (a.n != 0) - (b.n != 0);
}

/* A part that is present sorts below one that is absent (a development
 * release before its release) or above it (a post-release after). */
static int
part_cmp(int has_a, struct span a, int has_b, struct span b, int absent)
{
	if (has_a != has_b)
		return has_a ? -absent : absent;
	return has_a ? num_cmp(a, b) : 0;
}

static int
pep440_pre_cmp(const struct vkey *a, const struct vkey *b)
{
	int c = a->pre_kind - b->pre_kind;

	if (!c)
		c = num_cmp(a->pre_n, b->pre_n);
	if (!c)
		c = part_cmp(a->has_post, a->post_n, b->has_post, b->post_n, -1);
	if (!c)
		c = part_cmp(a->has_dev, a->dev_n, b->has_dev, b->dev_n, 1);
	return sign(c);
}

/* Two keys of the same release and stage. */
static int
stage_cmp(const struct vkey *a, const struct vkey *b)
{
	switch (a->stage) {
	case ST_DEV:
		return num_cmp(a->dev_n, b->dev_n);
	case ST_PRE:
		if (a->scheme != b->scheme)
			return a->scheme < b->scheme ? -1 : 1;
		if (a->scheme == VS_PEP440)
			return pep440_pre_cmp(a, b);
		if (a->scheme == VS_SEMVER)
			return sign(semver_cmp(&a->sv, &b->sv));
		return text_cmp(a->tail, b->tail);
	case ST_POST:
		if (num_cmp(a->post_n, b->post_n))
			return num_cmp(a->post_n, b->post_n);
		return part_cmp(a->has_dev, a->dev_n, b->has_dev, b->dev_n, 1);
	case ST_RELEASE:
		break;
	}
	return 0;
}

static int
key_cmp(const struct vkey *a, const struct vkey *b)
{
	int c = num_cmp(a->epoch, b->epoch);

	if (!c)
		c = release_cmp(a->release, b->release);
	if (!c && a->stage != b->stage)
		c = a->stage < b->stage ? -1 : 1;
	if (!c)
		c = stage_cmp(a, b);
	if (!c)
		c = local_cmp(a->local, b->local);
	return c;
}

/* --- reading a version ---------------------------------------------------- */

static const char *
skip_v(const char *s)
{
	return (*s == 'v' || *s == 'V') && is_digit(s[1]) ? s + 1 : s;
}

/* Digits at *P into N (possibly none); advances *P. */
static struct span
digits(const char **p)
{
	struct span n = { *p, 0 };

	while (is_digit((*p)[n.n]))
		n.n++;
	*p += n.n;
	return n;
}

/* Dotted numbers at *P ("1.2.3"; a dot must be followed by a digit). */
static struct span
release_at(const char **p)
{
	const char *s = *p;
	struct span r;

	while (is_digit(*s)) {
		while (is_digit(*s))
			s++;
		if (*s == '.' && is_digit(s[1]))
			s++;
	}
	r = (struct span){ *p, (size_t)(s - *p) };
	*p = s;
	return r;
}

/* Whether *P starts with WORD (in any case); advances past it if so. */
static int
take_word(const char **p, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < n; i++)
		if (lower((*p)[i]) != word[i])
			return 0;
	*p += n;
	return 1;
}

/* The first of WORDS that *P starts with after an optional separator:
 * its index, or -1 (and *P unchanged). Longer spellings come first. */
static int
take_label(const char **p, const char *const *words, size_t n)
{
	const char *s = *p + is_sep(**p);

	for (size_t i = 0; i < n; i++)
		if (take_word(&s, words[i])) {
			*p = s;
			return (int)i;
		}
	return -1;
}

/* The number after a label: an optional separator and digits; none is
 * 0 (then the separator is taken all the same, as PEP 440 allows). */
static struct span
label_number(const char **p)
{
	if (is_sep(**p))
		(*p)++;
	return digits(p);
}

static int
pep440_pre(const char **p, struct vkey *k)
{
	static const char *const words[] = {
		"alpha", "a", "beta", "b", "preview", "pre", "c", "rc",
	};
	static const int kind[] = { 0, 0, 1, 1, 2, 2, 2, 2 };
	int w = take_label(p, words, sizeof(words) / sizeof(*words));

	if (w < 0)
		return 0;
	k->has_pre = 1;
	k->pre_kind = kind[w];
	k->pre_n = label_number(p);
	return 1;
}

static int
pep440_post(const char **p, struct vkey *k)
{
	static const char *const words[] = { "post", "rev", "r" };

	if (**p == '-' && is_digit((*p)[1])) {	/* "1.0-1" */
		(*p)++;
		k->post_n = digits(p);
	} else if (take_label(p, words, 3) >= 0) {
		k->post_n = label_number(p);
	} else {
		return 0;
	}
	k->has_post = 1;
	return 1;
}

static int
pep440_dev(const char **p, struct vkey *k)
{
	static const char *const words[] = { "dev" };

	if (take_label(p, words, 1) < 0)
		return 0;
	k->has_dev = 1;
	k->dev_n = label_number(p);
	return 1;
}

/* A local label: alphanumeric segments joined by separators. */
static int
pep440_local(const char *s, struct vkey *k)
{
	k->local = (struct span){ s, strlen(s) };
	for (;;) {
		if (!is_alnum(*s))
			return 0;
		while (is_alnum(*s))
			s++;
		if (!*s)
			return 1;
		if (!is_sep(*s++))
			return 0;
	}
}

static enum vstage
pep440_stage(const struct vkey *k)
{
	if (k->has_pre)
		return ST_PRE;
	if (k->has_post)
		return ST_POST;
	return k->has_dev ? ST_DEV : ST_RELEASE;
}

/* Read S as PEP 440 (any spelling it normalises); 0 when it is not. */
static int
pep440_parse(const char *s, struct vkey *k)
{
	const char *p = s + ((*s == 'v' || *s == 'V') && is_digit(s[1]));

	memset(k, 0, sizeof(*k));
	k->scheme = VS_PEP440;
	if (!is_digit(*p))
		return 0;
	k->release = release_at(&p);
	if (*p == '!') {
		k->epoch = k->release;
		p++;
		if (!is_digit(*p) || !all_digits(k->epoch))
			return 0;
		k->release = release_at(&p);
	}
	pep440_pre(&p, k);
	pep440_post(&p, k);
	pep440_dev(&p, k);
	if (*p == '+' && !pep440_local(p + 1, k))
		return 0;
	if (*p && *p != '+')
		return 0;
	k->stage = pep440_stage(k);
	return 1;
}

static int
semver_read(const char *s, struct vkey *k)
{
	const char *p = skip_v(s);

	memset(k, 0, sizeof(*k));
	if (!semver_parse(s, &k->sv))
		return 0;
	k->scheme = VS_SEMVER;
	k->release = release_at(&p);
	k->stage = k->sv.pre ? ST_PRE : ST_RELEASE;
	return 1;
}

static void
other_read(const char *s, struct vkey *k)
{
	const char *p = skip_v(s);

	memset(k, 0, sizeof(*k));
	k->scheme = VS_OTHER;
	k->stage = ST_PRE;
	k->release = release_at(&p);
	k->tail = (struct span){ p, strlen(p) };
}

static void
version_key(const char *s, struct vkey *k)
{
	if (!s)
		s = "";
	if (!semver_read(s, k) && !pep440_parse(s, k))
		other_read(s, k);
}

int
version_cmp(const char *a, const char *b)
{
	struct vkey ka, kb;

	version_key(a, &ka);
	version_key(b, &kb);
	return key_cmp(&ka, &kb);
}

int
version_is_prerelease(const char *v)
{
	struct vkey k;

	version_key(v, &k);
	return k.stage == ST_PRE || k.stage == ST_DEV || k.has_dev;
}
