/* Secret sets: values kept longest first, optionally layered on a parent
 * set, and replaced by a mask in any text handed to them. */
#include "config.h"
#include "redact.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "strbuf.h"
#include "xalloc.h"

#define MAX_DEPTH 4		/* sets in a parent chain */

struct secret {
	char *value;
	size_t len;
};

struct redact {
	const struct redact *parent;	/* borrowed, or NULL */
	int depth;			/* 1 for a set without parent */
	struct secret *v;		/* longest first */
	size_t n;
	struct strbuf scratch[2];	/* redact_line's results, swapped */
};

/* A walk over the secrets of a chain of sets, longest first. */
struct walk {
	const struct redact *set[MAX_DEPTH];	/* [0] is the child */
	size_t at[MAX_DEPTH];
	int n;
};

struct redact *
redact_new(void)
{
	struct redact *rd = xcalloc(1, sizeof(*rd));

	rd->depth = 1;
	return rd;
}

struct redact *
redact_new_child(const struct redact *parent)
{
	struct redact *rd = redact_new();

	assert(parent && parent->depth < MAX_DEPTH);
	rd->parent = parent;
	rd->depth = parent->depth + 1;
	return rd;
}

void
redact_free(struct redact *rd)
{
	if (!rd)
		return;
	for (size_t i = 0; i < rd->n; i++)
		free(rd->v[i].value);
	free(rd->v);
	strbuf_done(&rd->scratch[0]);
	strbuf_done(&rd->scratch[1]);
	free(rd);
}

static void
add_n(struct redact *rd, const char *value, size_t len)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; i < rd->n; i++)
		if (rd->v[i].len == len && !memcmp(rd->v[i].value, value, len))
			return;
	rd->v = xrealloc(rd->v, (rd->n + 1) * sizeof(*rd->v));
	for (i = rd->n; i > 0 && rd->v[i - 1].len < len; i--)
		rd->v[i] = rd->v[i - 1];
	rd->v[i].value = xstrndup(value, len);
	rd->v[i].len = len;
	rd->n++;
}

void
redact_add(struct redact *rd, const char *value)
{
	const char *nl;

	if (!value)
		return;
	while ((nl = strchr(value, '\n'))) {
		add_n(rd, value, (size_t)(nl - value));
		value = nl + 1;
	}
	add_n(rd, value, strlen(value));
}

/* Case-insensitive search for WORD in the first LEN bytes of NAME, from
 * offset FROM; returns the offset or -1. */
static long
find_word(const char *name, size_t len, size_t from, const char *word)
{
	size_t wlen = strlen(word);

	for (size_t i = from; i + wlen <= len; i++)
		if (!strncasecmp(name + i, word, wlen))
			return (long)i;
	return -1;
}

/* AUTH counts, except inside AUTHOR (hiding author names would garble
 * every git log); AUTHORIZATION and AUTHORISATION still count. */
static int
has_auth(const char *name, size_t len)
{
	long at = -1;

	while ((at = find_word(name, len, (size_t)(at + 1), "AUTH")) >= 0) {
		const char *rest = name + at + 4;
		size_t n_rest = len - (size_t)at - 4;

		if (n_rest < 2 || strncasecmp(rest, "OR", 2))
			return 1;
		if (n_rest >= 4 && (!strncasecmp(rest, "ORIZ", 4) ||
				    !strncasecmp(rest, "ORIS", 4)))
			return 1;
	}
	return 0;
}

static int
is_secret_name_n(const char *name, size_t len)
{
	return find_word(name, len, 0, "TOKEN") >= 0 ||
	       find_word(name, len, 0, "SECRET") >= 0 ||
	       find_word(name, len, 0, "PASSWORD") >= 0 ||
	       has_auth(name, len);
}

int
redact_is_secret_name(const char *name)
{
	return name && is_secret_name_n(name, strlen(name));
}

/* Values of "secret" variables that are really switches (ALWAYS_AUTH=true,
 * AUTH_TYPE=basic): masking them would garble every line that says
 * "true"; no credential is this short. */
static int
is_setting(const char *value)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "none", "null",
		"basic", "bearer", "legacy", "oauth", "web",
	};

	if (strlen(value) < 4)
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(value, words[i]) == 0)
			return 1;
	return 0;
}

void
redact_add_env_entry(struct redact *rd, const char *entry)
{
	const char *eq = entry ? strchr(entry, '=') : NULL;

	if (eq && is_secret_name_n(entry, (size_t)(eq - entry)) &&
	    !is_setting(eq + 1))
		redact_add(rd, eq + 1);
}

void
redact_add_env(struct redact *rd, char *const *envp)
{
	for (; envp && *envp; envp++)
		redact_add_env_entry(rd, *envp);
}

static void
walk_init(struct walk *w, const struct redact *rd)
{
	for (w->n = 0; rd; rd = rd->parent) {
		w->set[w->n] = rd;
		w->at[w->n++] = 0;
	}
}

/* The longest secret not yet visited; on a tie the parent's goes first,
 * as it did before sets had children. NULL when all were visited. */
static const struct secret *
walk_next(struct walk *w)
{
	const struct secret *best = NULL;
	int from = -1;

	for (int i = w->n - 1; i >= 0; i--) {
		const struct redact *rd = w->set[i];

		if (w->at[i] < rd->n &&
		    (!best || rd->v[w->at[i]].len > best->len)) {
			best = &rd->v[w->at[i]];
			from = i;
		}
	}
	if (best)
		w->at[from]++;
	return best;
}

static int
is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* Whether the occurrence of SEC at HIT, in TEXT..END, may be masked: a
 * secret of REDACT_MIN_SUBSTRING bytes or more anywhere, a shorter one
 * only as a whole word (no letter or digit glued to either side), so a
 * two-letter password "ab" leaves "about" readable. */
static int
maskable(const char *text, const char *end, const char *hit,
	 const struct secret *sec)
{
	const char *after = hit + sec->len;

	if (sec->len >= REDACT_MIN_SUBSTRING)
		return 1;
	if (hit > text && is_word_char(hit[-1]) && is_word_char(*hit))
		return 0;
	return !(after < end && is_word_char(*after) &&
		 is_word_char(after[-1]));
}

/* The first occurrence of SEC in CUR..END that may be masked, or NULL. */
static const char *
next_hit(const char *text, const char *cur, const char *end,
	 const struct secret *sec)
{
	const char *hit;

	while ((hit = memmem(cur, (size_t)(end - cur), sec->value, sec->len)) &&
	       !maskable(text, end, hit, sec))
		cur = hit + 1;
	return hit;
}

/* Replace every SEC in CUR (LEN bytes) into OUT; returns 0, leaving OUT
 * untouched, when SEC does not occur. */
static int
replace_all(struct strbuf *out, const char *cur, size_t len,
	    const struct secret *sec)
{
	const char *text = cur, *end = cur + len;
	const char *hit = next_hit(text, cur, end, sec);

	if (!hit)
		return 0;
	strbuf_reset(out);
	do {
		strbuf_add(out, cur, (size_t)(hit - cur));
		strbuf_adds(out, REDACT_MASK);
		cur = hit + sec->len;
		hit = next_hit(text, cur, end, sec);
	} while (hit);
	strbuf_add(out, cur, (size_t)(end - cur));
	return 1;
}

/* --- credentials by their shape ------------------------------------------- */

/* A character of a token: base64url, and the dots of a JWT. */
static int
tok_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Token characters from T[I] (of LEN), also counting those of EXTRA. */
static size_t
tok_span(const char *t, size_t i, size_t len, const char *extra)
{
	size_t k = i;

	while (k < len && (tok_char(t[k]) || (extra && t[k] &&
					      strchr(extra, t[k]))))
		k++;
	return k - i;
}

static int
has_digit_and_letter(const char *t, size_t n)
{
	int d = 0, a = 0;

	for (size_t i = 0; i < n; i++) {
		d |= t[i] >= '0' && t[i] <= '9';
		a |= (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z');
	}
	return d && a;
}

/* Issuers' prefixes of live credentials. */
static const char *const prefixes[] = { "sk_live_", "rk_live_", "sk_test_",
	"ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xoxb-",
	"xoxp-", "npm_", "pypi-AgE", NULL };

/* Query parameters whose value is a credential. */
static const char *const query_keys[] = { "token", "access_token",
	"refresh_token", "id_token", "api_key", "apikey", "key", "secret",
	"client_secret", "password", "sig", "signature", "auth", NULL };

/* The credential that starts at T[I] by its shape, or 0: its start and
 * length in *AT and the return value. */
static size_t
shape_at(const char *t, size_t i, size_t len, size_t *at)
{
	size_t n;

	*at = i;
	if (i && tok_char(t[i - 1]) && t[i - 1] != '_' && t[i] != '?' &&
	    t[i] != '&')
		return 0;
	if (len - i > 3 && !strncmp(t + i, "eyJ", 3)) {	/* a JWT */
		size_t a = tok_span(t, i, len, NULL), b, c;

		if (i + a < len && t[i + a] == '.' &&
		    (b = tok_span(t, i + a + 1, len, NULL)) >= 4 &&
		    i + a + 1 + b < len && t[i + a + 1 + b] == '.' &&
		    (c = tok_span(t, i + a + 2 + b, len, NULL)) >= 4)
			return a + b + c + 2;
	}
	if (len - i > 7 && !strncasecmp(t + i, "bearer ", 7)) {
		n = tok_span(t, i + 7, len, ".~+/=");
		if (n >= 16 && has_digit_and_letter(t + i + 7, n)) {
			*at = i + 7;
			return n;
		}
	}
	if (len - i > 4 && !strncmp(t + i, "AKIA", 4) &&
	    tok_span(t, i, len, NULL) == 20)
		return 20;
	for (size_t k = 0; prefixes[k]; k++) {
		size_t p = strlen(prefixes[k]);

		if (t[i] != prefixes[k][0])
			continue;
		if (len - i > p && !strncmp(t + i, prefixes[k], p) &&
		    (n = tok_span(t, i, len, NULL)) >= p + 16)
			return n;
	}
	if ((t[i] == '?' || t[i] == '&') && i + 1 < len) {
		for (size_t k = 0; query_keys[k]; k++) {
			size_t q = strlen(query_keys[k]);

			if (len - i - 1 > q + 1 &&
			    !strncasecmp(t + i + 1, query_keys[k], q) &&
			    t[i + 1 + q] == '=') {
				n = tok_span(t, i + 2 + q, len, ".~+/%");
				if (n >= 8 && t[i + 2 + q] != '$') {
					*at = i + 2 + q;
					return n;
				}
			}
		}
	}
	return 0;
}

/* NAME=VALUE at T[I] (NAME ending just before the "="), NAME a secret's:
 * VALUE's span, or 0. The value is any run of at least 8 characters
 * that is no variable ("AWS_SECRET_ACCESS_KEY=wJal/K7MD..."). */
static size_t
secret_value_at(const char *t, size_t i, size_t len, size_t *at)
{
	size_t s = i, n;

	while (s > 0 && (tok_char(t[s - 1])))
		s--;
	if (s == i || !is_secret_name_n(t + s, i - s))
		return 0;
	*at = i + 1 + (i + 1 < len && (t[i + 1] == '"' || t[i + 1] == '\''));
	n = tok_span(t, *at, len, ".~+/=");
	return n >= 8 && t[*at] != '$' ? n : 0;	/* no switch is this long */
}

/* At T[I] == ':': the password of a URL ("postgres://user:PW@host")
 * or an Authorization header's value written with no scheme word
 * ("Authorization: api-1a2b..."): its span, or 0. */
static size_t
colon_secret_at(const char *t, size_t i, size_t len, size_t *at)
{
	size_t k, n;

	if (len - i > 3 && t[i + 1] == '/' && t[i + 2] == '/') {
		k = i + 3;
		while (k < len && !strchr(":@/ \t\n\"'", t[k]))
			k++;
		if (k >= len || t[k] != ':')
			return 0;
		*at = ++k;
		while (k < len && !strchr("@/ \t\n\"'", t[k]))
			k++;
		n = k - *at;
		return k < len && t[k] == '@' && n >= 4 && t[*at] != '$' &&
		       t[*at] != '<' && t[*at] != '{' ? n : 0;
	}
	if (i < 13 || strncasecmp(t + i - 13, "authorization", 13) != 0)
		return 0;
	k = i + 1;
	while (k < len && (t[k] == ' ' || t[k] == '\t'))
		k++;
	n = tok_span(t, k, len, ".~+/=");
	if (n < 12 || !has_digit_and_letter(t + k, n))
		return 0;	/* a scheme word ("Bearer") is all letters */
	*at = k;
	return n;
}

static const unsigned char starts_shape[256] = {
	['e'] = 1, ['B'] = 1, ['b'] = 1, ['A'] = 1, ['s'] = 1, ['r'] = 1,
	['g'] = 1, ['x'] = 1, ['n'] = 1, ['p'] = 1, ['?'] = 1, ['&'] = 1,
	['='] = 1, [':'] = 1,
};

#ifdef __SSE2__
/* Whether one of the 16 bytes at T may start a shape: every byte of
 * starts_shape is ':' or above (and ASCII), or '&'. Digits, spaces and
 * punctuation below ':', most of a flood of numbers or log lines, are
 * passed 16 at a time. */
static int
block_may_start_shape(const char *t)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)t);
	__m128i hi = _mm_cmpgt_epi8(v, _mm_set1_epi8(':' - 1));
	__m128i amp = _mm_cmpeq_epi8(v, _mm_set1_epi8('&'));

	return _mm_movemask_epi8(_mm_or_si128(hi, amp)) != 0;
}
#endif

/* The first offset from I of TEXT (LEN bytes) whose byte may start a
 * shape, or LEN. */
static size_t
skip_plain(const char *t, size_t i, size_t len)
{
	for (;;) {
		size_t stop;

#ifdef __SSE2__
		while (len - i >= 16 && !block_may_start_shape(t + i))
			i += 16;
#endif
		stop = len - i > 16 ? i + 16 : len;
		for (; i < stop; i++)
			if (starts_shape[(unsigned char)t[i]])
				return i;
		if (i >= len)
			return len;
	}
}

/* TEXT (LEN bytes) with the credentials its shape gives away masked,
 * into OUT; 0 (OUT untouched) when there are none. */
static int
mask_shapes(const char *text, size_t len, struct strbuf *out)
{
	size_t done = 0;
	int any = 0;

	for (size_t i = skip_plain(text, 0, len); i < len;
	     i = skip_plain(text, i + 1, len)) {
		size_t at, n;

		/* what a shape starts with, at a word's start: most bytes
		 * are neither */
		if (!starts_shape[(unsigned char)text[i]] ||
		    (i && text[i] != '=' && text[i] != '?' && text[i] != '&' &&
		     text[i] != ':' && tok_char(text[i - 1]) &&
		     text[i - 1] != '_'))
			continue;
		n = text[i] == ':' ? colon_secret_at(text, i, len, &at)
				   : shape_at(text, i, len, &at);
		if (!n && text[i] == '=')
			n = secret_value_at(text, i, len, &at);
		if (!n)
			continue;
		if (!any)
			strbuf_reset(out);
		any = 1;
		strbuf_add(out, text + done, at - done);
		strbuf_adds(out, REDACT_MASK);
		done = at + n;
		i = done - 1;
	}
	if (any)
		strbuf_add(out, text + done, len - done);
	return any;
}

/* Mask RD's secrets in TEXT, each pass writing into the scratch buffer
 * the previous one did not; returns TEXT itself if nothing matched. */
static const char *
apply(const struct redact *rd, struct strbuf scratch[2], const char *text,
      size_t *len)
{
	const struct secret *sec;
	const char *cur = text;
	struct walk w;
	int k = 0;

	walk_init(&w, rd);
	while ((sec = walk_next(&w))) {
		if (!replace_all(&scratch[k], cur, *len, sec))
			continue;
		cur = scratch[k].buf;
		*len = scratch[k].len;
		k = !k;
	}
	if (mask_shapes(cur, *len, &scratch[k])) {
		cur = scratch[k].buf;
		*len = scratch[k].len;
	}
	return cur;
}

char *
redact_apply(const struct redact *rd, const char *text, size_t len,
	     size_t *out_len)
{
	struct strbuf scratch[2] = { STRBUF_INIT, STRBUF_INIT };
	const char *cur = apply(rd, scratch, text, &len);
	char *copy;

	if (cur == text) {
		copy = xmalloc(len + 1);
		memcpy(copy, text, len);
		copy[len] = '\0';
	} else {
		copy = strbuf_detach(&scratch[cur == scratch[1].buf]);
	}
	strbuf_done(&scratch[0]);
	strbuf_done(&scratch[1]);
	if (out_len)
		*out_len = len;
	return copy;
}

char *
redact_apply_str(const struct redact *rd, const char *s)
{
	return redact_apply(rd, s, strlen(s), NULL);
}

const char *
redact_line(struct redact *rd, const char *text, size_t *len)
{
	return apply(rd, rd->scratch, text, len);
}
