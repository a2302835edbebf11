/* Markdown runbook import. A small CommonMark-ish block parser (ATX and
 * setext headings, ``` and ~~~ fences, indented code, nested lists with
 * task items, pipe tables, block quotes, HTML comments) feeds a mapper that
 * builds a playbook draft: headings choose the phase, shell blocks become
 * run steps, task items checks, severity tables decisions, templates
 * messages and placeholders variables. Nothing is dropped: prose the mapper
 * cannot place is kept as a step note and listed in the summary. */
#include "config.h"
#include "mdimport.h"

#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "hazard.h"
#include "playbook.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define MD_MAX_DEPTH 16
#define TITLE_MAX 120
#define SLUG_MAX 40

/* --- input text ------------------------------------------------------------ */

/* Valid UTF-8 with LF line ends: CRLF and lone CR become LF; invalid bytes
 * and control characters other than tab become U+FFFD. */
static char *
clean_text(const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);

		if (s[i] == '\r') {
			strbuf_addc(&sb, '\n');
			i += i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
		} else if (n == 0 || s[i] == 0x7f ||
			   (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')) {
			strbuf_adds(&sb, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(&sb, s + i, n);
			i += n;
		}
	}
	return strbuf_detach(&sb);
}

/* A binary file (an image, a program) is no runbook: refuse it, naming the
 * file and why, rather than draft a playbook from repaired noise. A few
 * bad bytes in a text file are repaired by clean_text instead. */
static int
refuse_binary(const char *text, size_t len, const char *name, struct err *err)
{
	const unsigned char *s = (const unsigned char *)text;
	const char *nul = memchr(text, '\0', len);
	size_t bad = 0;

	if (nul) {
		size_t at = (size_t)(nul - text);
		size_t line = 1;

		for (size_t i = 0; i < at; i++)
			line += text[i] == '\n';
		return err_set(err, ERR_INVALID, "%s: not a text file: it holds "
			       "NUL bytes (the first at byte %zu, line %zu); "
			       "import reads Markdown in UTF-8", name, at + 1,
			       line);
	}
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);

		bad += n == 0 || (s[i] < 0x20 && !strchr("\t\n\r\f", s[i]));
		i += n ? n : 1;
	}
	if (bad >= 16 && bad * 10 > len)
		return err_set(err, ERR_INVALID, "%s: not UTF-8 text: %zu of its "
			       "%zu bytes are neither UTF-8 characters nor "
			       "line breaks; import reads Markdown in UTF-8",
			       name, bad, len);
	return 0;
}

struct md_line {
	const char *s;
	size_t len;
	int no;			/* 1-based line number in the runbook */
};

static struct md_line *
split_lines(const char *text, size_t *n_out)
{
	size_t n = 0, cap = 64;
	struct md_line *lines = xmalloc(cap * sizeof(*lines));
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (n == cap)
			lines = xrealloc(lines, (cap *= 2) * sizeof(*lines));
		lines[n] = (struct md_line){ p, len, (int)n + 1 };
		n++;
		p += len + (nl != NULL);
	}
	*n_out = n;
	return lines;
}

/* Column of the first non-blank character (tabs stop every 4 columns);
 * *OFF gets its byte offset. */
static int
indent_of(const struct md_line *l, size_t *off)
{
	int col = 0;
	size_t i = 0;

	for (; i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'); i++)
		col = l->s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	*off = i;
	return col;
}

/* Append line L without up to COLS columns of indentation, plus '\n'. */
static void
add_dedented(struct strbuf *sb, const struct md_line *l, int cols)
{
	int col = 0;
	size_t i = 0;

	while (i < l->len && col < cols && (l->s[i] == ' ' || l->s[i] == '\t')) {
		col = l->s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
		i++;
	}
	strbuf_add(sb, l->s + i, l->len - i);
	strbuf_addc(sb, '\n');
}

static char *
trim_dup(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* --- blocks ---------------------------------------------------------------- */

enum md_kind { MD_HEADING, MD_PARA, MD_ITEM, MD_CODE, MD_TABLE, MD_COMMENT };

struct md_block {
	enum md_kind kind;
	int line;
	int level;		/* heading level */
	int depth;		/* list nesting: 0 outside lists, items from 1 */
	int task;		/* items: 0 plain, 1 open "[ ]", 2 ticked "[x]" */
	int ordered;		/* items: "1." rather than "-" */
	int unclosed;		/* code: a fence the runbook never closes */
	int body_line;		/* code: the line of the body's first line */
	char *info;		/* code: language in lower case, "" for none */
	char *text;		/* text, code body, or a table's source lines */
	char **cells;		/* table: n_rows x n_cols, header row first */
	size_t n_rows, n_cols;
};

struct md_doc {
	struct md_block *b;
	size_t n, cap;
};

static struct md_block *
doc_push(struct md_doc *d, enum md_kind kind, int line, int depth)
{
	struct md_block *b;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->b = xrealloc(d->b, d->cap * sizeof(*d->b));
	}
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->line = line;
	b->depth = depth;
	return b;
}

static void
doc_done(struct md_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct md_block *b = &d->b[i];

		free(b->info);
		free(b->text);
		for (size_t c = 0; c < b->n_rows * b->n_cols; c++)
			free(b->cells[c]);
		free(b->cells);
	}
	free(d->b);
}

struct md_parser {
	struct md_doc *doc;
	const struct md_line *lines;
	size_t n_lines, i;
	int cols[MD_MAX_DEPTH];	/* content column of each open list item */
	int depth;
	int blank;		/* the previous line was blank */
	int text_kind;		/* open paragraph or item text, or -1 */
	int text_line, text_task, text_ordered, text_depth;
	struct strbuf text;
};

static void parse_lines(struct md_doc *doc, const struct md_line *lines,
			size_t n);

static void
flush_text(struct md_parser *p)
{
	struct md_block *b;

	if (p->text_kind < 0)
		return;
	b = doc_push(p->doc, (enum md_kind)p->text_kind, p->text_line,
		     p->text_depth);
	b->task = p->text_task;
	b->ordered = p->text_ordered;
	b->text = trim_dup(strbuf_str(&p->text), p->text.len);
	strbuf_reset(&p->text);
	p->text_kind = -1;
}

static void
open_text(struct md_parser *p, enum md_kind kind, const char *s, size_t len)
{
	flush_text(p);
	p->text_kind = (int)kind;
	p->text_line = p->lines[p->i].no;
	p->text_depth = p->depth;
	p->text_task = 0;
	p->text_ordered = 0;
	strbuf_add(&p->text, s, len);
}

static void
append_text(struct md_parser *p, const char *s, size_t len)
{
	strbuf_addc(&p->text, '\n');
	strbuf_add(&p->text, s, len);
}

static int
is_rule(const char *s, size_t len)
{
	int n = 0;

	if (len == 0 || !strchr("-*_", s[0]))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == s[0])
			n++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return n >= 3;
}

/* Length of a list marker with its following blank at S, or 0. */
static size_t
item_marker(const char *s, size_t len, int *ordered)
{
	size_t i = 0;

	*ordered = 0;
	if (len && strchr("-*+", s[0]))
		i = 1;
	else {
		while (i < len && i < 9 && isdigit((unsigned char)s[i]))
			i++;
		if (i == 0 || i >= len || (s[i] != '.' && s[i] != ')'))
			return 0;
		i++;
		*ordered = 1;
	}
	if (i < len && s[i] != ' ' && s[i] != '\t')
		return 0;
	return i;
}

static int
is_fence_start(const char *s, size_t len)
{
	return len >= 3 && (s[0] == '`' || s[0] == '~') && s[1] == s[0] &&
	       s[2] == s[0];
}

static int
starts_block(const char *s, size_t len)
{
	int ordered;

	return is_fence_start(s, len) || s[0] == '#' || s[0] == '>' ||
	       is_rule(s, len) || item_marker(s, len, &ordered) > 0 ||
	       (len >= 4 && memcmp(s, "<!--", 4) == 0);
}

/* Whether L closes a fence of N CH: at most 3 columns past BASE, the
 * column of its container (CommonMark: 4 or more is the block's text). */
static int
closes_fence(const struct md_line *l, char ch, size_t n, int base)
{
	size_t off, i;

	if (indent_of(l, &off) - base >= 4)
		return 0;
	for (i = off; i < l->len && l->s[i] == ch; i++)
		;
	if (i - off < n)
		return 0;
	for (; i < l->len; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return 0;
	return 1;
}

/* The language of an info string: its first word, lower case, without
 * the {.lang} or {lang} decoration some writers use. */
static char *
fence_lang(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	char *out;

	while (i < len && (s[i] == ' ' || s[i] == '{' || s[i] == '.'))
		i++;
	while (i + n < len && !isspace((unsigned char)s[i + n]) &&
	       s[i + n] != '}' && s[i + n] != ',')
		n++;
	out = xstrndup(s + i, n);
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

static int
try_fence(struct md_parser *p, int col, const char *s, size_t len)
{
	struct strbuf body = STRBUF_INIT;
	struct md_block *b;
	char ch = s[0];
	size_t n = 0;
	int line = p->lines[p->i].no;
	int closed = 0, base;
	char *lang;

	if (!is_fence_start(s, len))
		return 0;
	while (n < len && s[n] == ch)
		n++;
	if (ch == '`' && memchr(s + n, '`', len - n))
		return 0;
	flush_text(p);
	lang = fence_lang(s + n, len - n);
	base = p->depth ? p->cols[p->depth - 1] : 0;
	for (p->i++; p->i < p->n_lines; p->i++) {
		if (closes_fence(&p->lines[p->i], ch, n, base)) {
			closed = 1;
			p->i++;
			break;
		}
		add_dedented(&body, &p->lines[p->i], col);
	}
	b = doc_push(p->doc, MD_CODE, line, p->depth);
	b->body_line = line + 1;
	b->unclosed = !closed;
	b->info = lang;
	b->text = strbuf_detach(&body);
	return 1;
}

static void
parse_indented_code(struct md_parser *p, int cols)
{
	struct strbuf body = STRBUF_INIT;
	struct md_block *b;
	int line = p->lines[p->i].no;
	size_t last = p->i;

	for (size_t j = p->i; j < p->n_lines; j++) {
		size_t off;
		int col = indent_of(&p->lines[j], &off);

		if (off == p->lines[j].len)
			continue;
		if (col < cols)
			break;
		last = j;
	}
	for (; p->i <= last; p->i++)
		add_dedented(&body, &p->lines[p->i], cols);
	b = doc_push(p->doc, MD_CODE, line, p->depth);
	b->body_line = line;	/* no fence: the body starts at once */
	b->info = xstrdup("");
	b->text = strbuf_detach(&body);
}

static int
try_heading(struct md_parser *p, const char *s, size_t len)
{
	size_t n = 0;
	struct md_block *b;

	while (n < len && s[n] == '#')
		n++;
	if (n == 0 || n > 6 || (n < len && s[n] != ' ' && s[n] != '\t'))
		return 0;
	flush_text(p);
	p->depth = 0;
	b = doc_push(p->doc, MD_HEADING, p->lines[p->i].no, 0);
	b->level = (int)n;
	s += n;
	len -= n;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	{
		size_t k = len;

		while (k && s[k - 1] == '#')
			k--;
		if (k < len && (k == 0 || s[k - 1] == ' ' || s[k - 1] == '\t'))
			len = k;
	}
	b->text = trim_dup(s, len);
	p->i++;
	return 1;
}

static int
try_setext(struct md_parser *p, const char *s, size_t len)
{
	size_t i = 0;
	struct md_block *b;

	if (p->text_kind != MD_PARA || (s[0] != '=' && s[0] != '-'))
		return 0;
	while (i < len && s[i] == s[0])
		i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len)
		return 0;
	b = doc_push(p->doc, MD_HEADING, p->text_line, 0);
	b->level = s[0] == '=' ? 1 : 2;
	b->text = trim_dup(strbuf_str(&p->text), p->text.len);
	for (char *c = b->text; *c; c++)
		if (*c == '\n')
			*c = ' ';
	strbuf_reset(&p->text);
	p->text_kind = -1;
	p->depth = 0;
	p->i++;
	return 1;
}

static int
try_rule(struct md_parser *p, const char *s, size_t len)
{
	if (!is_rule(s, len))
		return 0;
	flush_text(p);
	p->i++;
	return 1;
}

static int
try_comment(struct md_parser *p, const char *s, size_t len)
{
	struct strbuf body = STRBUF_INIT;
	struct md_block *b;
	int line = p->lines[p->i].no;
	const char *end;

	if (len < 4 || memcmp(s, "<!--", 4) != 0)
		return 0;
	flush_text(p);
	strbuf_add(&body, s + 4, len - 4);
	while (!(end = strstr(strbuf_str(&body), "-->")) &&
	       ++p->i < p->n_lines) {
		strbuf_addc(&body, '\n');
		strbuf_add(&body, p->lines[p->i].s, p->lines[p->i].len);
	}
	p->i++;
	b = doc_push(p->doc, MD_COMMENT, line, p->depth);
	b->text = trim_dup(strbuf_str(&body),
			   end ? (size_t)(end - strbuf_str(&body)) : body.len);
	strbuf_done(&body);
	return 1;
}

/* A block quote: its lines without the "> " prefix, parsed on their own. */
static int
try_quote(struct md_parser *p, const char *s)
{
	struct md_line *inner;
	size_t n = 0, j;

	if (s[0] != '>')
		return 0;
	flush_text(p);
	for (j = p->i; j < p->n_lines; j++) {
		size_t off;

		(void)indent_of(&p->lines[j], &off);
		if (off >= p->lines[j].len || p->lines[j].s[off] != '>')
			break;
	}
	inner = xmalloc((j - p->i) * sizeof(*inner));
	for (; p->i < j; p->i++) {
		const struct md_line *l = &p->lines[p->i];
		size_t off;

		(void)indent_of(l, &off);
		off++;
		if (off < l->len && l->s[off] == ' ')
			off++;
		inner[n++] = (struct md_line){ l->s + off, l->len - off, l->no };
	}
	parse_lines(p->doc, inner, n);
	free(inner);
	return 1;
}

static int
is_align_row(const struct md_line *l)
{
	int dashes = 0;

	for (size_t i = 0; i < l->len; i++) {
		char c = l->s[i];

		if (c == '-')
			dashes++;
		else if (!strchr("|: \t", c))
			return 0;
	}
	return dashes >= 1 && memchr(l->s, '|', l->len) != NULL;
}

/* Cells of a pipe-table row, trimmed; a leading and trailing pipe are
 * optional and "\|" is a literal pipe. */
static size_t
split_row(const char *s, size_t len, char ***out)
{
	struct strbuf cell = STRBUF_INIT;
	char **cells = NULL;
	size_t n = 0;
	size_t i = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '|')
		i++;
	if (len > i && s[len - 1] == '|' && (len < 2 || s[len - 2] != '\\'))
		len--;
	for (;; i++) {
		if (i >= len || s[i] == '|') {
			cells = xrealloc(cells, (n + 1) * sizeof(*cells));
			cells[n++] = trim_dup(strbuf_str(&cell), cell.len);
			strbuf_reset(&cell);
			if (i >= len)
				break;
			continue;
		}
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '|')
			i++;
		strbuf_addc(&cell, s[i]);
	}
	strbuf_done(&cell);
	*out = cells;
	return n;
}

static void
table_add_row(struct md_block *b, const struct md_line *l)
{
	char **cells;
	size_t n = split_row(l->s, l->len, &cells);

	if (b->n_rows == 0)
		b->n_cols = n;
	b->cells = xrealloc(b->cells,
			    (b->n_rows + 1) * b->n_cols * sizeof(*b->cells));
	for (size_t c = 0; c < b->n_cols; c++)
		b->cells[b->n_rows * b->n_cols + c] =
			c < n ? cells[c] : xstrdup("");
	for (size_t c = b->n_cols; c < n; c++)
		free(cells[c]);
	free(cells);
	b->n_rows++;
}

static int
try_table(struct md_parser *p, const char *s, size_t len)
{
	struct strbuf src = STRBUF_INIT;
	struct md_block *b;

	if (!memchr(s, '|', len) || p->i + 1 >= p->n_lines ||
	    !is_align_row(&p->lines[p->i + 1]))
		return 0;
	flush_text(p);
	b = doc_push(p->doc, MD_TABLE, p->lines[p->i].no, p->depth);
	table_add_row(b, &p->lines[p->i]);
	strbuf_add(&src, s, len);
	strbuf_addc(&src, '\n');
	for (p->i += 2; p->i < p->n_lines; p->i++) {
		const struct md_line *l = &p->lines[p->i];
		size_t off;

		(void)indent_of(l, &off);
		if (off == l->len || !memchr(l->s, '|', l->len))
			break;
		table_add_row(b, l);
		strbuf_add(&src, l->s + off, l->len - off);
		strbuf_addc(&src, '\n');
	}
	b->text = strbuf_detach(&src);
	return 1;
}

static int
try_item(struct md_parser *p, int col, const char *s, size_t len)
{
	int ordered;
	size_t m = item_marker(s, len, &ordered);
	size_t sp = m;
	int task = 0;

	if (m == 0)
		return 0;
	while (sp < len && sp - m < 4 && s[sp] == ' ')
		sp++;
	if (sp == len || sp - m >= 4)
		sp = m + (m < len);
	if (p->depth == MD_MAX_DEPTH)
		p->depth--;
	p->cols[p->depth++] = col + (int)sp;
	if (len - sp >= 3 && s[sp] == '[' && s[sp + 2] == ']' &&
	    strchr(" xX", s[sp + 1]) &&
	    (len - sp == 3 || s[sp + 3] == ' ' || s[sp + 3] == '\t')) {
		task = s[sp + 1] == ' ' ? 1 : 2;
		sp += 3;
	}
	open_text(p, MD_ITEM, s + sp, len - sp);
	p->text_task = task;
	p->text_ordered = ordered;
	p->i++;
	return 1;
}

static void
paragraph_line(struct md_parser *p, const char *s, size_t len)
{
	if (p->text_kind == MD_PARA ||
	    (p->text_kind == MD_ITEM && !p->blank))
		append_text(p, s, len);
	else
		open_text(p, MD_PARA, s, len);
	p->i++;
}

static void
parse_line(struct md_parser *p)
{
	const struct md_line *l = &p->lines[p->i];
	size_t off;
	int col = indent_of(l, &off);
	const char *s = l->s + off;
	size_t len = l->len - off;
	int base;

	if (len == 0) {
		flush_text(p);
		p->blank = 1;
		p->i++;
		return;
	}
	if (p->depth > 0 && col < p->cols[p->depth - 1]) {
		if (p->text_kind >= 0 && !p->blank && !starts_block(s, len)) {
			append_text(p, s, len);	/* lazy continuation */
			p->i++;
			return;
		}
		while (p->depth > 0 && col < p->cols[p->depth - 1])
			p->depth--;
	}
	base = p->depth ? p->cols[p->depth - 1] : 0;
	if (col - base >= 4 && p->text_kind < 0)
		parse_indented_code(p, base + 4);
	else if (col - base >= 4)
		paragraph_line(p, s, len);
	else if (!try_fence(p, col, s, len) && !try_heading(p, s, len) &&
		 !try_setext(p, s, len) && !try_rule(p, s, len) &&
		 !try_comment(p, s, len) && !try_quote(p, s) &&
		 !try_table(p, s, len) && !try_item(p, col, s, len))
		paragraph_line(p, s, len);
	p->blank = 0;
}

static void
parse_lines(struct md_doc *doc, const struct md_line *lines, size_t n)
{
	struct md_parser p = { .doc = doc, .lines = lines, .n_lines = n,
			       .text_kind = -1 };

	while (p.i < p.n_lines)
		parse_line(&p);
	flush_text(&p);
	strbuf_done(&p.text);
}

/* --- small text helpers ---------------------------------------------------- */

/* The plural ending for a count of N things: "1 block", "2 blocks". */
static const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

static int
has_word(const char *text, const char *const *words)
{
	char *low = xstrdup(text);
	int hit = 0;

	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (size_t i = 0; words[i] && !hit; i++)
		hit = strstr(low, words[i]) != NULL;
	free(low);
	return hit;
}

/* Cut S at most MAX bytes, on a UTF-8 boundary, marking the cut. S is
 * only cut when it is longer than the cut form (MAX bytes plus "..."):
 * that also keeps the marker inside S's own allocation. */
static void
cap_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max + 3)
		return;
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	strcpy(s + max, "...");
}

/* Inline Markdown reduced to plain text for a title: emphasis markers and
 * backticks dropped, list numbering and a trailing colon removed, all on
 * one line. Caller frees. */
static char *
plain_title(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;
	char *out;

	while (*p == ' ' || *p == '#')
		p++;
	if (isdigit((unsigned char)*p)) {
		const char *q = p;

		while (isdigit((unsigned char)*q))
			q++;
		if ((*q == '.' || *q == ')') && q[1] == ' ')
			p = q + 2;
	}
	for (; *p; p++) {
		if (*p == '*' || *p == '`' || (*p == '_' && p[1] == '_')) {
			if (*p == '_')
				p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			if (sb.len && sb.buf[sb.len - 1] != ' ')
				strbuf_addc(&sb, ' ');
			continue;
		}
		strbuf_addc(&sb, *p);
	}
	out = strbuf_detach(&sb);
	for (size_t n = strlen(out); n && strchr(" :", out[n - 1]); n--)
		out[n - 1] = '\0';
	cap_utf8(out, TITLE_MAX);
	return out;
}

/* Lower-case slug of TEXT for ids: runs of other characters become one
 * '-', at most MAX bytes, cut at a '-' when possible. Caller frees. */
static char *
slug(const char *text, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) && c < 0x80)
			strbuf_addc(&sb, (char)tolower(c));
		else if (sb.len && sb.buf[sb.len - 1] != '-')
			strbuf_addc(&sb, '-');
	}
	out = strbuf_detach(&sb);
	if (strlen(out) > max) {
		char *dash;

		out[max] = '\0';
		dash = strrchr(out, '-');
		if (dash && dash - out > (ptrdiff_t)max / 2)
			*dash = '\0';
	}
	for (size_t n = strlen(out); n && out[n - 1] == '-'; n--)
		out[n - 1] = '\0';
	if (!*out) {
		free(out);
		out = xstrdup("step");
	}
	return out;
}

/* A variable name from placeholder text: upper case, runs of other
 * characters as one '_', starting with a letter, at most 40 bytes. */
static char *
var_name(const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (isalnum(c) && c < 0x80) {
			if (sb.len == 0 && isdigit(c))
				strbuf_adds(&sb, "V_");
			/* camelCase, but not a one-letter prefix ("iOS") */
			if (isupper(c) && i > 1 &&
			    islower((unsigned char)text[i - 1]) &&
			    isalnum((unsigned char)text[i - 2]) &&
			    sb.buf[sb.len - 1] != '_')
				strbuf_addc(&sb, '_');
			strbuf_addc(&sb, (char)toupper(c));
		} else if (sb.len && sb.buf[sb.len - 1] != '_')
			strbuf_addc(&sb, '_');
	}
	while (sb.len && sb.buf[sb.len - 1] == '_')
		sb.buf[--sb.len] = '\0';
	out = strbuf_detach(&sb);
	if (strlen(out) > 40) {
		out[40] = '\0';
		if (strrchr(out, '_') && strrchr(out, '_') - out > 20)
			*strrchr(out, '_') = '\0';
	}
	return out;
}

/* TEXT as a POSIX ERE matching it literally. Caller frees. */
static char *
ere_escape(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = text; *p; p++) {
		if (strchr("\\.[]()*+?{}|^$", *p))
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *p);
	}
	return strbuf_detach(&sb);
}

/* --- variables and placeholders -------------------------------------------- */

struct imp_var {
	char *name;
	char *orig;		/* the placeholder as the runbook wrote it */
	char *pattern;		/* or NULL */
	char *prompt;		/* or NULL: built from orig */
	int from_input;		/* gets an input step before its first use */
	int secret;		/* named like a credential: never journalled */
};

/* Environment the shell already provides, and session facts. */
static const char *const builtin_names[] = {
	"HOME", "PATH", "USER", "PWD", "OLDPWD", "SHELL", "TMPDIR", "LANG",
	"TERM", "HOSTNAME", "UID", "RANDOM", "LINENO", "IFS", "EDITOR", "CI",
	"LOGNAME", "OPERATOR", "PLAYBOOK", "SESSION_DIR", "MODE", NULL,
};

/* HTML tags that look like <placeholders>. */
static const char *const html_tags[] = {
	"a", "b", "i", "p", "br", "hr", "em", "strong", "code", "pre", "div",
	"span", "img", "ul", "ol", "li", "table", "tr", "td", "th", "sup",
	"sub", "kbd", "details", "summary", "small", "u", "s", NULL,
};

static int
in_list(const char *s, const char *const *list, int nocase)
{
	for (size_t i = 0; list[i]; i++)
		if ((nocase ? strcasecmp : strcmp)(s, list[i]) == 0)
			return 1;
	return 0;
}

struct imp;
static const char *declare_var(struct imp *im, const char *raw, size_t len,
			       const char *orig, size_t orig_len);

/* The name in a template expression ("values.serviceName",
 * ".Values.image.tag"): its last part, with the one before it when the
 * last is a generic word ("image.tag"). */
static void
template_name(const char **name, size_t *nlen)
{
	static const char *const generic[] = { "tag", "name", "id", "version",
		"value", "url", "host", "port", "key", NULL };
	const char *end = *name + *nlen, *last = end, *prev;
	char word[16];

	while (last > *name && last[-1] != '.')
		last--;
	if (last == *name || (size_t)(end - last) >= sizeof(word))
		goto out;
	memcpy(word, last, (size_t)(end - last));
	word[end - last] = '\0';
	for (char *c = word; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	prev = last - 1;
	while (prev > *name && prev[-1] != '.')
		prev--;
	if (in_list(word, generic, 0) && prev < last - 1 &&
	    strncasecmp(prev, "values.", 7) != 0 &&
	    strncasecmp(prev, "params.", 7) != 0 &&
	    strncasecmp(prev, "inputs.", 7) != 0)
		last = prev;
out:
	*nlen = (size_t)(end - last);
	*name = last;
}

/* Placeholder spans at P: returns the span's length (0 = none) and sets
 * *NAME and *NLEN to the name inside it. SHELL: P is in a shell command, where
 * [X] must be UPPER_CASE and $X must be a whole UPPER_CASE name. */
static size_t
placeholder_at(const char *text, const char *p, int shell, const char **name,
	       size_t *nlen)
{
	const char *q;
	int upper = 1, words = 0;

	if (p > text && p[-1] == '\\')
		return 0;
	if (p[0] == '$' && p[1] == '{' && p[2] == '{') {
		size_t span = placeholder_at(text, p + 1, shell, name, nlen);

		return span ? span + 1 : 0;
	}
	if (p[0] == '{' && p[1] == '{') {
		for (q = p + 2; *q == ' '; q++)
			;
		/* {{.Tag}} in a command is a Go template (docker, kubectl
		 * --format), the command's own */
		if (shell && *q == '.')
			return 0;
		*name = q;
		while (isalnum((unsigned char)*q) || *q == '_' || *q == '.' ||
		       *q == '-')
			q++;
		*nlen = (size_t)(q - *name);
		template_name(name, nlen);
		while (*q == ' ')
			q++;
		return *nlen && q[0] == '}' && q[1] == '}' ? (size_t)(q + 2 - p)
							   : 0;
	}
	if (p[0] == '$') {
		int brace = p[1] == '{';

		*name = q = p + 1 + brace;
		if (!isalpha((unsigned char)*q) && *q != '_')
			return 0;
		while (isalnum((unsigned char)*q) || *q == '_') {
			upper &= !islower((unsigned char)*q);
			q++;
		}
		*nlen = (size_t)(q - *name);
		if (brace && *q != '}')
			return 0;
		if ((shell || !brace) && !upper)
			return 0;
		return (size_t)(q + brace - p);
	}
	if (p[0] != '<' && p[0] != '[')
		return 0;
	if (p[0] == '<' && p > text && p[-1] == '<')
		return 0;
	*name = q = p + 1;
	if (!isalpha((unsigned char)*q))
		return 0;
	for (; *q && *q != (p[0] == '<' ? '>' : ']'); q++) {
		if (*q == ' ')
			words++;
		else if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-')
			return 0;
		upper &= !islower((unsigned char)*q);
	}
	*nlen = (size_t)(q - *name);
	if (!*q || q[-1] == ' ' || words > 6 || *nlen > 60)
		return 0;
	if (p[0] == '[' && (q[1] == '(' || q[1] == '[' || q[1] == ':'))
		return 0;	/* a Markdown link or reference */
	if (p[0] == '[' && *nlen == 3 && p[2] == '-')
		return 0;	/* a character class such as [A-Z] */
	if (shell && (words || (p[0] == '[' && !upper)))
		return 0;
	if (p[0] == '<') {
		char *tag = xstrndup(*name, *nlen);
		int html = in_list(tag, html_tags, 1);

		free(tag);
		if (html)
			return 0;
	}
	return (size_t)(q + 1 - p);
}

/* Names assigned inside a shell block (NAME=..., for NAME in, read NAME)
 * are the script's own, not placeholders. */
static int
assigned_in(const char *block, const char *name, size_t n)
{
	for (const char *p = strstr(block, name); p; p = strstr(p + 1, name)) {
		int start = p == block || !(isalnum((unsigned char)p[-1]) ||
					    p[-1] == '_' || p[-1] == '$' ||
					    p[-1] == '{');

		if (start && p[n] == '=')
			return 1;
		if (start && p >= block + 4 && (strncmp(p - 4, "for ", 4) == 0 ||
						 strncmp(p - 5 < block ? p : p - 5,
							 "read ", 5) == 0))
			return 1;
	}
	return 0;
}

static int carried_var(struct imp *im, const char *name, size_t n);

/* The shell's quoting at P, the next character of shell text: a single
 * quote opens or closes only outside double quotes, and the other way. */
static void
track_quotes(const char *text, const char *p, int *squote, int *dquote)
{
	int escaped = p > text && p[-1] == '\\' && !*squote;

	if (*p == '\'' && !*dquote && !escaped)
		*squote = !*squote;
	else if (*p == '"' && !*squote && !escaped)
		*dquote = !*dquote;
}

/* Write ${VAR} for the placeholder at P (SPAN bytes, inside single
 * quotes) out of the quotes: '"${VAR}"', without an empty '' when the
 * quote opens just before or closes just after. Returns the bytes of the
 * closing quote it consumed (0 or 1). */
static size_t
splice_quoted(struct strbuf *out, const char *p, size_t span, const char *var,
	      int *squote)
{
	if (out->len && out->buf[out->len - 1] == '\'' && p[-1] == '\'') {
		out->buf[--out->len] = '\0';
		strbuf_addf(out, "\"${%s}\"", var);
	} else {
		strbuf_addf(out, "'\"${%s}\"", var);
	}
	if (p[span] == '\'') {
		*squote = 0;
		return 1;
	}
	strbuf_addc(out, '\'');
	return 0;
}

/* Whether the placeholder NAME (NLEN bytes) at P stays as written: a
 * name the shell sets itself, or a $NAME the block or an earlier step
 * assigns (that step's assignment is carried, carried_var). */
static int
keeps_placeholder(struct imp *im, const char *text, const char *p,
		  const char *name, size_t nlen, int shell)
{
	char *raw = xstrndup(name, nlen);
	char *norm = var_name(name, nlen);
	int keep = in_list(norm, builtin_names, 0) ||
		   (p[0] == '$' && (assigned_in(text, raw, nlen) ||
				    (shell && carried_var(im, raw, nlen)))) ||
		   !*norm;

	free(raw);
	free(norm);
	return keep;
}

/* NAME (NLEN bytes) names a fact a message template gets from the
 * session (OPERATOR, STARTED_AT, APPROVERS): ${NAME} added to OUT,
 * returns 1. */
static int
session_fact(const char *name, size_t nlen, struct strbuf *out)
{
	static const char *const facts[] = { "OPERATOR", "PLAYBOOK",
		"SESSION_DIR", "MODE", "STARTED_AT", "COMPLETED_AT",
		"APPROVERS", "DECISION", "DECISION_REASON", NULL };
	char *norm = var_name(name, nlen);
	int hit = in_list(norm, facts, 0);

	if (hit)
		strbuf_addf(out, "${%s}", norm);
	free(norm);
	return hit;
}

/* A placeholder the shell would not expand as written: <NAME>, [NAME],
 * {{ name }} or ${{ name }}, not $NAME or ${NAME}. */
static int
is_foreign_placeholder(const char *p)
{
	return p[0] != '$' || (p[1] == '{' && p[2] == '{');
}

static int sh_word_end(char c);

/* A here-document the draft unquoted (VAR NULL), or a variable one of
 * them expands (VAR). */
static void note_unquoted(struct imp *im, const char *var);

/* A here-document a shell command opened, whose body is still to come. */
struct heredoc {
	char delim[64];
	int strip;		/* <<-: leading tabs of the end line go */
	int quoted;		/* <<'EOF': the shell expands nothing inside */
	int expand;		/* quoted, but placeholders need the shell's
				 * expansion: the draft unquotes it */
};

struct heredocs {
	struct heredoc q[4];
	int n;
};

/* The line after the one P is on, or the end of the text. */
static const char *
next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/* Whether the line at P (LEN bytes) ends here-document H. */
static int
ends_heredoc(const struct heredoc *h, const char *p, size_t len)
{
	if (h->strip)
		while (len && *p == '\t') {
			p++;
			len--;
		}
	return len == strlen(h->delim) && memcmp(p, h->delim, len) == 0;
}

/* The start of H's end line, its body starting at BODY, or the end of
 * the text when it never ends. */
static const char *
heredoc_end(const struct heredoc *h, const char *body)
{
	for (const char *p = body; *p; p = next_line(p))
		if (ends_heredoc(h, p, strcspn(p, "\n")))
			return p;
	return body + strlen(body);
}

/* Whether the body [P, END) holds a placeholder the import writes as a
 * variable the shell must expand. */
static int
body_needs_expansion(struct imp *im, const char *text, const char *p,
		     const char *end)
{
	for (; p < end; p++) {
		const char *name;
		size_t nlen, span = placeholder_at(text, p, 1, &name, &nlen);

		if (span && is_foreign_placeholder(p) &&
		    !keeps_placeholder(im, text, p, name, nlen, 1))
			return 1;
	}
	return 0;
}

/* The here-document operator at P ("<<", "<<-", then EOF, 'EOF', "EOF"
 * or \EOF): copies it into OUT and queues its body. A quoted delimiter
 * keeps the shell from expanding the body, so when the body holds a
 * placeholder the draft makes a variable (a secret taken out, a <NAME>),
 * the delimiter is written unquoted and the body escaped (see
 * copy_heredoc_body). Returns where the operator ends. */
static const char *
heredoc_operator(struct imp *im, const char *text, const char *p,
		 struct heredocs *hd, struct strbuf *out)
{
	struct heredoc h = { .strip = p[2] == '-' };
	const char *q = p + 2 + h.strip, *word, *start, *body;
	size_t n;

	while (*q == ' ' || *q == '\t')
		q++;
	word = q;
	if (*q == '\'' || *q == '"') {
		char c = *q++;

		start = q;
		while (*q && *q != c && *q != '\n')
			q++;
		n = (size_t)(q - start);
		q += *q == c;
		h.quoted = 1;
	} else {
		h.quoted = *q == '\\';
		q += h.quoted;
		start = q;
		while (!sh_word_end(*q))
			q++;
		n = (size_t)(q - start);
	}
	if (!n || n >= sizeof(h.delim) || hd->n == 4) {
		strbuf_add(out, p, (size_t)(q - p));
		return q;
	}
	memcpy(h.delim, start, n);
	body = next_line(q);
	for (int i = 0; i < hd->n; i++)
		body = next_line(heredoc_end(&hd->q[i], body));
	h.expand = h.quoted && body_needs_expansion(im, text, body,
						    heredoc_end(&h, body));
	if (h.expand) {
		strbuf_add(out, p, (size_t)(word - p));
		strbuf_add(out, start, n);
		note_unquoted(im, NULL);
	} else {
		strbuf_add(out, p, (size_t)(q - p));
	}
	hd->q[hd->n++] = h;
	return q;
}

static void
add_placeholder(struct imp *im, const char *name, size_t nlen, const char *p,
		size_t span, struct strbuf *out)
{
	const char *var = declare_var(im, name, nlen, p, span);

	strbuf_addf(out, "${%s}", var);
	note_unquoted(im, var);
}

/* Copy the body of the first queued here-document, starting at P, and
 * its end line into OUT; returns what follows. Quotes in a body are
 * text. A quoted body is copied as it is, unless it was unquoted: then
 * its \\, $ and ` are escaped so the shell writes them as the runbook
 * did, and only its placeholders expand. An unquoted body's
 * placeholders are rewritten as anywhere else. */
static const char *
copy_heredoc_body(struct imp *im, const char *text, const char *p,
		  struct heredocs *hd, struct strbuf *out)
{
	const struct heredoc h = hd->q[0];
	const char *end = heredoc_end(&h, p);

	memmove(hd->q, hd->q + 1, sizeof(hd->q[0]) * (size_t)--hd->n);
	if (h.quoted && !h.expand) {
		strbuf_add(out, p, (size_t)(end - p));
		p = end;
	}
	while (p < end) {
		const char *name;
		size_t nlen, span = placeholder_at(text, p, 1, &name, &nlen);

		if (span && (!h.expand || is_foreign_placeholder(p)) &&
		    !keeps_placeholder(im, text, p, name, nlen, 1)) {
			if (h.expand)
				add_placeholder(im, name, nlen, p, span, out);
			else
				strbuf_addf(out, "${%s}", declare_var(
					im, name, nlen, p, span));
			p += span;
			continue;
		}
		if (h.expand && strchr("\\$`", *p))
			strbuf_addc(out, '\\');
		strbuf_addc(out, *p++);
	}
	strbuf_add(out, end, (size_t)(next_line(end) - end));
	return next_line(end);
}

/* Copy TEXT into OUT with each placeholder declared as a variable and
 * written ${NAME}. In shell text a $NAME inside single quotes is the
 * shell's own and stays; a <NAME> there is spliced out of the quotes
 * ('a '"${NAME}"' b') so the shell expands it; here-documents are
 * copied by copy_heredoc_body. A $NAME an earlier step assigns stays
 * too: that step's assignment is carried (carried_var). */
static void
rewrite_placeholders(struct imp *im, const char *text, int shell,
		     struct strbuf *out)
{
	int squote = 0, dquote = 0;
	struct heredocs hd = { .n = 0 };

	for (const char *p = text; *p;) {
		const char *name;
		size_t nlen, span = 0;

		if (hd.n && p > text && p[-1] == '\n') {
			p = copy_heredoc_body(im, text, p, &hd, out);
			continue;
		}
		if (shell && !squote && !dquote && p[0] == '<' &&
		    p[1] == '<' && p[2] != '<' && (p == text || p[-1] != '<') &&
		    (p == text || p[-1] != '\\')) {
			p = heredoc_operator(im, text, p, &hd, out);
			continue;
		}
		if (shell)
			track_quotes(text, p, &squote, &dquote);
		if (!(squote && *p == '$'))
			span = placeholder_at(text, p, shell, &name, &nlen);
		if (span) {
			int keep = keeps_placeholder(im, text, p, name, nlen,
						     shell);

			if (!keep && squote)
				p += splice_quoted(out, p, span, declare_var(
					im, name, nlen, p, span), &squote);
			else if (!keep)
				strbuf_addf(out, "${%s}",
					    declare_var(im, name, nlen, p, span));
			else if (!shell && is_foreign_placeholder(p) &&
				 session_fact(name, nlen, out))
				;	/* <OPERATOR> in a message: the fact */
			else
				strbuf_add(out, p, span);
			p += span;
			continue;
		}
		strbuf_addc(out, *p++);
	}
}

/* --- the mapper ------------------------------------------------------------ */

struct pend {
	int line;
	char *what;		/* "paragraph", "python code block", ... */
	int prose;		/* ordinary prose rather than unmapped markup */
};

/* Sibling sections the runbook offers as alternatives ("Option A",
 * "Strategy 2", "If the revert fails", one per platform): one decision. */
struct alt_group {
	int level;
	size_t first, n;	/* block index of the first heading, count */
	size_t *members;	/* block index of each heading */
	char *var;		/* variable the decide step sets */
	cJSON *decide;		/* made at the first member */
	char *parent;		/* heading above the group, or NULL */
	char **labels;		/* block groups: each member's label */
	int blocks;		/* members are blocks of one section */
	unsigned by_hand;	/* block groups: members that are a list of
				 * steps done by hand, no commands (bit k) */
	char **member_vars;	/* several may apply: a yes/no per member */
};

/* A one-line assignment (NAME=..., export NAME=...) a run step made. */
struct imp_assign {
	char *name;
	char *line;		/* the line, as the step runs it */
	char *step;		/* the step's id */
	int exported;		/* "export NAME=...": later steps have it */
	cJSON *when;		/* the step's condition, or NULL */
};

/* A step, the section (block index of its heading) it came from and
 * the block that made it. */
struct imp_placed {
	cJSON *step;
	size_t section;
	size_t block;
	int line;		/* the command's line, or 0: the block's */
};

/* A decide step made from a table, and the table's block index. */
struct imp_table {
	cJSON *decide;
	size_t block;
	int by_environment;	/* its matrix's columns are environments */
};

/* A point the draft's author must review. */
struct imp_review {
	int line;
	char *step;		/* step id, or NULL */
	char *text;
	int awaiting;		/* about pending prose: its step once given */
	char *secret_var;	/* the secret input TEXT promises, or NULL */
	char *unasked;		/* TEXT when no step asks SECRET_VAR */
};

struct imp {
	const char *name;
	cJSON *steps[PHASE_COUNT];
	enum phase_id phase;
	char *title;		/* the runbook's first heading */
	char *summary;		/* its first paragraph */
	int seen_heading;
	char *heading;		/* current section heading, plain */
	int level;		/* its level */
	int klass[7];		/* phase each heading level named, or -1 */
	int section_class;	/* phase the section speaks of, or -1 */
	int template_ctx;	/* the section is about a template */
	int optional_section;	/* its heading says "(optional)" */
	int acts_after_approval;	/* it acts, after an approval's section */
	struct strbuf pending;	/* prose waiting for a step */
	struct pend *pends;
	size_t n_pends;
	char *leadin;		/* last paragraph or item, plain */
	size_t leadin_mark;	/* pending.len before the lead-in */
	int leadin_template;	/* the lead-in speaks of a template */
	cJSON *last;		/* last step made in this section */
	cJSON *task;		/* last check made from a task item */
	int task_depth;
	cJSON *prose_decide;	/* decide step made from prose */
	int prose_decide_level;
	struct imp_var *vars;
	size_t n_vars;
	char **ids;
	size_t n_ids;
	struct strbuf notes_log;	/* summary: unmapped blocks */
	struct strbuf added_log;	/* summary: steps the import added */
	int n_prose;
	int n_destructive;
	int has_approve;
	struct imp_review *reviews;
	size_t n_reviews;
	const struct md_doc *doc;
	struct alt_group *groups;	/* alternative sections, found first */
	size_t n_groups;
	int *alt_of;		/* per block: its group, or -1 */
	int alt;		/* group the current section belongs to, or -1 */
	int alt_level;		/* heading level of that group */
	char *alt_value;	/* option id of the current section */
	const char *alt_var;	/* the variable it is an option of */
	const char *balt_var;	/* the same for the current block's group */
	int *balt_of;		/* per block: its block group, or -1 */
	int *bmember_of;	/* per block: its member of that group */
	int balt;		/* block group of the current block, or -1 */
	int bmember;		/* its member */
	char *balt_value;	/* option id of that member */
	int phase_auto;		/* no heading names the phase: by content */
	cJSON *approve_step;	/* the first approve step */
	int fm_title;		/* the title came from YAML front matter */
	int cur_line;		/* the runbook line of the block being mapped */
	size_t cur_block;	/* and its block index */
	cJSON *last_ui;		/* the last check made from a UI item */
	const char *cont_var;	/* a contingency's variable, for its block */
	size_t cont_block;	/* the block the contingency covers */
	cJSON **conts;		/* the decide steps of contingencies */
	size_t above_first, above_end;	/* sections before a lone approach B */
	size_t n_conts;
	char **forced_secret;	/* names given a literal credential's value */
	size_t n_forced_secret;
	const char *inline_var;	/* commands of one block as alternatives */
	char inline_value[8];
	struct strbuf *explain;	/* --explain: per section, what it became */
	struct imp_assign *assigns;	/* NAME=... lines of earlier steps */
	size_t n_assigns;
	size_t *carry;		/* assigns the step being made needs */
	size_t n_carry;
	size_t section;		/* block index of the current heading */
	struct imp_placed *placed;	/* every step and its section */
	size_t n_placed;
	struct imp_table *tables;	/* decide steps made from tables */
	size_t n_tables;
	int later_level;	/* level of a later, follow-up section, or 0 */
	int acted;		/* an approval or an execute section was met */
	int run_line;		/* the runbook line of the command being made */
	int n_unquoted;		/* quoted here-documents the draft unquoted */
	struct strbuf unquoted_vars;	/* the ${NAME}s they expand */
	char *title_tpl;	/* a first heading holding {{placeholders}} */
	int not_prod_level;	/* level of a section not for production, or 0 */
	int not_prod_line;	/* the line that says so */
	char *cd_chain;		/* "cd DIR" an earlier step left the shell in */
	cJSON *cd_when;		/* the path it is on: its step's when */
	int cd_family;		/* its sections: a staging one's line, or 0 */
	char *alt_chain;	/* the other family's chain, put aside */
	cJSON *alt_when;
	int alt_family;
	int staging_level;	/* level of a section about staging, or 0 */
	int staging_line;	/* the line that says so */
	int ui_only;		/* no command at all: clicks in a UI */
	int ui_only_said;	/* its review point is made */
};

static void __attribute__((format(printf, 4, 5)))
add_review(struct imp *im, int line, const cJSON *step, const char *fmt, ...)
{
	struct imp_review *r;
	const cJSON *id = step ? cJSON_GetObjectItemCaseSensitive(step, "id")
			       : NULL;
	va_list ap;
	char buf[600];

	im->reviews = xrealloc(im->reviews,
			       (im->n_reviews + 1) * sizeof(*im->reviews));
	r = &im->reviews[im->n_reviews++];
	r->line = line > 0 ? line : im->cur_line > 0 ? im->cur_line : 1;
	r->step = cJSON_IsString(id) ? xstrdup(id->valuestring) : NULL;
	r->secret_var = NULL;
	r->unasked = NULL;
	r->awaiting = !r->step && im->pending.len > 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->text = xstrdup(buf);
	if (im->explain)
		strbuf_addf(im->explain, "    ! review%s%s: %s\n",
			    r->step ? " " : "", r->step ? r->step : "", buf);
}

static void
note_unquoted(struct imp *im, const char *var)
{
	if (!var) {
		im->n_unquoted++;
		return;
	}
	if (strstr(strbuf_str(&im->unquoted_vars), var))
		return;
	if (im->unquoted_vars.len)
		strbuf_adds(&im->unquoted_vars, ", ");
	strbuf_addf(&im->unquoted_vars, "${%s}", var);
}

/* A name that holds a credential ("FLAG_TOKEN", "API_KEY", "DB_PASSWORD",
 * "DATABASE_URL", whose user-info is a password):
 * its value must never reach the journal, so the draft marks it secret. */
static int
is_secret_name(const char *name)
{
	static const char *const whole[] = { "TOKEN", "SECRET", "PASSWORD",
		"PASSWD", "PASSPHRASE", "APIKEY", "API_KEY", "CREDENTIALS",
		"DATABASE_URL", "DSN", "PGPASSWORD", "MYSQL_PWD", "REDISCLI_AUTH",
		"SSHPASS", NULL };
	static const char *const ends[] = { "_TOKEN", "_SECRET", "_PASSWORD",
		"_PASSWD", "_PASS", "_PASSPHRASE", "_KEY", "_APIKEY",
		"_CREDENTIALS", "_PAT", "_DATABASE_URL", "_DSN",
		"_CONNECTION_STRING", NULL };
	size_t n = strlen(name);

	if (in_list(name, whole, 0))
		return 1;
	for (size_t i = 0; ends[i]; i++) {
		size_t k = strlen(ends[i]);

		if (n > k && strcmp(name + n - k, ends[i]) == 0)
			return 1;
	}
	return 0;
}


/* --- literal credentials ---------------------------------------------------- */

/* Token shapes issuers give their credentials: a literal of one in a
 * runbook is a live secret, whatever name it is assigned to. */
static const struct token_shape {
	const char *prefix;
	size_t min;		/* characters after the prefix */
	int upper_digits;	/* only A-Z and 0-9 after it (AWS key ids) */
	const char *var;	/* the variable it becomes */
	const char *what;
} token_shapes[] = {
	{ "github_pat_", 20, 0, "GITHUB_TOKEN", "a GitHub token" },
	{ "ghp_", 20, 0, "GITHUB_TOKEN", "a GitHub token" },
	{ "gho_", 20, 0, "GITHUB_TOKEN", "a GitHub token" },
	{ "ghs_", 20, 0, "GITHUB_TOKEN", "a GitHub token" },
	{ "glpat-", 16, 0, "GITLAB_TOKEN", "a GitLab token" },
	{ "xoxb-", 10, 0, "SLACK_TOKEN", "a Slack token" },
	{ "xoxp-", 10, 0, "SLACK_TOKEN", "a Slack token" },
	{ "AKIA", 16, 1, "AWS_ACCESS_KEY", "an AWS access key" },
	{ "npm_", 30, 0, "NPM_TOKEN", "an npm token" },
	{ "pypi-AgE", 40, 0, "PYPI_TOKEN", "a PyPI token" },
	{ "sk_live_", 16, 0, "STRIPE_KEY", "a Stripe live key" },
	{ "rk_live_", 16, 0, "STRIPE_KEY", "a Stripe live key" },
};

static int
token_char(char c, int upper_digits)
{
	if (upper_digits)
		return isupper((unsigned char)c) || isdigit((unsigned char)c);
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* The length of a token of a known shape at P (0: none); *SHAPE set. */
static size_t
token_at(const char *line, const char *p, const struct token_shape **shape)
{
	if (p > line && token_char(p[-1], 0))
		return 0;
	for (size_t k = 0; k < sizeof(token_shapes) / sizeof(token_shapes[0]);
	     k++) {
		const struct token_shape *t = &token_shapes[k];
		size_t n = strlen(t->prefix), i = n;

		if (strncmp(p, t->prefix, n) != 0)
			continue;
		while (token_char(p[i], t->upper_digits))
			i++;
		if (i - n < t->min || (t->upper_digits && i - n != t->min) ||
		    token_char(p[i], 0))
			continue;
		*shape = t;
		return i;
	}
	return 0;
}

/* Whether VALUE (N bytes) reads as a generated secret: long, letters and
 * digits mixed, no placeholder or variable in it. */
static int
high_entropy(const char *v, size_t n)
{
	int lower = 0, upper = 0, digit = 0;

	if (n < 16)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '$' || c == '<' || c == '{' || c == '[' || c == ' ' ||
		    c == '.')
			return 0;
		/* a path is no secret; an AWS secret key may hold "/" */
		if (c == '/' && (n < 30 || *v == '/' || *v == '~'))
			return 0;
		lower |= islower(c) != 0;
		upper |= isupper(c) != 0;
		digit |= isdigit(c) != 0;
	}
	return digit && (lower || upper) && lower + upper + digit >= 2;
}

/* Whether V (N bytes) is a value written out, not a placeholder or a
 * variable ("$PW", "<PASSWORD>", "{{pw}}", "[password]"). */
static int
literal_value(const char *v, size_t n)
{
	return n >= 4 && !strchr("$<{[%*", v[0]);
}

/* "postgres://user:PASSWORD@host": the password of a URL at P ("://"),
 * its start in *AT and its length, or 0. */
static size_t
url_password_at(const char *p, const char **at)
{
	const char *u, *pw;
	size_t n;

	if (strncmp(p, "://", 3) != 0)
		return 0;
	u = p + 3;
	u += strcspn(u, ":@/ \t\n\"'");
	if (*u != ':')
		return 0;
	pw = u + 1;
	n = strcspn(pw, "@/ \t\n\"'");
	if (pw[n] != '@' || !literal_value(pw, n))
		return 0;
	*at = pw;
	return n;
}

/* Whether the word W (N bytes) reads as a generated token: 16 or more
 * letters and digits (and "_", "-"), upper and lower case and digits
 * all there. No version, path, name or hex digest reads so. */
static int
is_token_word(const char *w, size_t n)
{
	int lower = 0, upper = 0, digit = 0;

	if (n < 16)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (!isalnum(c) && c != '_' && c != '-')
			return 0;
		lower |= islower(c) != 0;
		upper |= isupper(c) != 0;
		digit |= isdigit(c) != 0;
	}
	return lower && upper && digit;
}

/* "https://hooks.chat.test/services/T0/B0/q8R2xYzAbC9dEfGhIjKlMn0p": a
 * segment of the path of a URL at P ("://") that reads as a token
 * (long, upper and lower case letters and digits mixed), which makes
 * the URL a credential, as a chat webhook's is. Its start in *AT and
 * its length, or 0; *HOOK set when the URL is a webhook's. */
static size_t
url_path_token_at(const char *p, const char **at, int *hook)
{
	const char *host, *seg;
	size_t hn;

	if (strncmp(p, "://", 3) != 0)
		return 0;
	host = p + 3;
	hn = strcspn(host, "/?# \t\n\"'`)");
	if (host[hn] != '/')
		return 0;
	for (seg = host + hn + 1;; seg++) {
		size_t n = strcspn(seg, "/?#&;, \t\n\"'`)");

		if (is_token_word(seg, n)) {
			char *url = xstrndup(host, (size_t)(seg - host));

			*hook = strncmp(host, "hooks.", 6) == 0 ||
				has_word(url, (const char *const[]){ "hook",
								    NULL });
			free(url);
			*at = seg;
			return n;
		}
		seg += n;
		if (*seg != '/')
			return 0;
	}
}

/* "Authorization: api-1a2b..." with no scheme word before the value:
 * the value at P (just after the header's colon and blanks), or 0. A
 * scheme ("Bearer", "Basic", "Token") leaves it to the shapes after
 * it. */
static size_t
bare_authorization_at(const char *line, const char *p, const char **at)
{
	const char *v;
	size_t n, w;

	if (p - line < 14 || strncasecmp(p - 14, "authorization:", 14) != 0)
		return 0;
	v = p + strspn(p, " \t");
	n = strcspn(v, " \t\n\"'`");
	w = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (w == n || (v[w] == ' ' && w > 0) || n < 12 ||
	    !literal_value(v, n) || !high_entropy(v, n))
		return 0;
	*at = v;
	return n;
}

/* A credential by its place or shape at P: a JWT, the token after
 * "Bearer ", the value of a query parameter like "?token=" (N bytes from
 * *AT, 0 when none). *VAR gets the secret variable it becomes, *WHAT how
 * the review point names it. */
static size_t
placed_token_at(const char *line, const char *p, const char **at,
		const char **var, const char **what)
{
	static const struct { const char *key, *var; } query[] = {
		{ "token", "URL_TOKEN" }, { "access_token", "ACCESS_TOKEN" },
		{ "refresh_token", "REFRESH_TOKEN" }, { "api_key", "API_KEY" },
		{ "apikey", "API_KEY" }, { "key", "API_KEY" },
		{ "client_secret", "CLIENT_SECRET" }, { "secret", "URL_SECRET" },
		{ "password", "URL_PASSWORD" }, { "sig", "URL_SIGNATURE" },
		{ "signature", "URL_SIGNATURE" },
	};
	size_t n;

	*at = p;
	if (strncmp(p, "eyJ", 3) == 0 && (p == line || !token_char(p[-1], 0))) {
		const char *d1 = p + strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh"
					   "ijklmnopqrstuvwxyz0123456789_-");
		const char *d2 = *d1 == '.' ? d1 + 1 + strspn(d1 + 1,
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789_-") : d1;
		size_t tail = *d2 == '.' ? strspn(d2 + 1, "ABCDEFGHIJKLMNOPQRS"
			"TUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") : 0;

		if (d2 > d1 + 4 && tail >= 4) {
			*var = p - line >= 7 && strncasecmp(p - 7, "bearer ", 7) ==
			       0 ? "BEARER_TOKEN" : "JWT_TOKEN";
			*what = "a JSON web token";
			return (size_t)(d2 + 1 + tail - p);
		}
	}
	if (strncasecmp(p, "bearer ", 7) == 0) {
		n = strspn(p + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
			   "vwxyz0123456789_-.~+/=");
		if (n >= 16 && high_entropy(p + 7, n) && strncmp(p + 7, "eyJ", 3)) {
			*at = p + 7;
			*var = "BEARER_TOKEN";
			*what = "a bearer token";
			return n;
		}
	}
	if ((n = url_password_at(p, at))) {
		*var = "URL_PASSWORD";
		*what = "a password in a URL";
		return n;
	}
	{
		int hook = 0;

		if ((n = url_path_token_at(p, at, &hook))) {
			*var = hook ? "WEBHOOK_TOKEN" : "URL_PATH_TOKEN";
			*what = hook ? "the secret token of a webhook URL"
				     : "a token in a URL's path";
			return n;
		}
	}
	if ((n = bare_authorization_at(line, p, at))) {
		*var = "AUTH_TOKEN";
		*what = "an Authorization header value";
		return n;
	}
	if (*p != '?' && *p != '&')
		return 0;
	for (size_t k = 0; k < sizeof(query) / sizeof(query[0]); k++) {
		size_t q = strlen(query[k].key);
		const char *v = p + 1 + q;

		if (strncasecmp(p + 1, query[k].key, q) != 0 || *v != '=')
			continue;
		n = strcspn(v + 1, "&#\"' \t\n)`");
		if (n < 8 || strchr("$<{[", v[1]))
			return 0;
		*at = v + 1;
		*var = query[k].var;
		*what = "a credential in a query";
		return n;
	}
	return 0;
}

/* Whether LINE runs one of TOOLS (a word of its own, first of a
 * command: after the start, a blank, ";", "|", "&", "(" or "$("). */
static int
line_runs(const char *line, const char *const *tools)
{
	for (size_t k = 0; tools[k]; k++) {
		size_t n = strlen(tools[k]);

		for (const char *p = line; (p = strstr(p, tools[k])); p++)
			if ((p == line || strchr(" \t;|&(", p[-1])) &&
			    (!p[n] || p[n] == ' ' || p[n] == '\t'))
				return 1;
	}
	return 0;
}

/* The value starting at V (a quote kept out): its start in *AT and its
 * length, or 0 when it is no literal (empty, a variable, a placeholder). */
static size_t
flag_value(const char *v, const char **at)
{
	size_t n;

	if (*v == '"' || *v == '\'') {
		const char *e = strchr(v + 1, *v);

		if (!e)
			return 0;
		n = (size_t)(e - v - 1);
		v++;
	} else
		n = strcspn(v, " \t\n;|&)`");
	if (!literal_value(v, n))
		return 0;
	*at = v;
	return n;
}

/* The secret variable for a password given to the command LINE starts
 * with ("mysql" gives MYSQL_PASSWORD, "docker" DOCKER_PASSWORD): two
 * tools' passwords are never one input. Written into BUF (SIZE bytes). */
static const char *
tool_password_var(const char *line, char *buf, size_t size)
{
	const char *w = line + strspn(line, " \t");
	size_t n = 0;

	if (strncmp(w, "sudo ", 5) == 0)
		w += 5 + strspn(w + 5, " ");
	for (; n + sizeof("_PASSWORD") < size && (isalnum((unsigned char)w[n]) ||
		     w[n] == '-' || w[n] == '_'); n++)
		buf[n] = w[n] == '-' ? '_' : (char)toupper((unsigned char)w[n]);
	if (!n || !isalpha((unsigned char)buf[0]))
		return "PASSWORD";
	strcpy(buf + n, "_PASSWORD");
	return buf;
}

/* A password given on a command line at P, the start of a word:
 * "-pVALUE" to the mysql family, "--password=VALUE" ("--password VALUE"
 * but to mysql, where it is the database), "-P VALUE" to sqlcmd and bcp,
 * "-p VALUE" to sshpass, "-a VALUE" to redis-cli, "-u user:VALUE" to curl.
 * Its start in *AT and length, or 0; *VAR the secret variable. */
static size_t
password_flag_at(const char *line, const char *p, const char **at,
		 const char **var)
{
	static const char *const my[] = { "mysql", "mysqldump", "mysqladmin",
		"mysqlimport", "mysqlcheck", "mariadb", "mariadb-dump", NULL };
	static const char *const ms[] = { "sqlcmd", "bcp", NULL };
	static const char *const sp[] = { "sshpass", NULL };
	static const char *const rd[] = { "redis-cli", NULL };
	static const char *const cu[] = { "curl", NULL };
	static char named[40];
	int mysql = line_runs(line, my);

	if (p > line && !strchr(" \t", p[-1]))
		return 0;
	*var = tool_password_var(line, named, sizeof(named));
	if (mysql && strncmp(p, "-p", 2) == 0 && p[2] && !isspace(
		    (unsigned char)p[2]))
		return flag_value(p + 2, at);
	if (strncmp(p, "--password=", 11) == 0)
		return flag_value(p + 11, at);
	if (!mysql && strncmp(p, "--password ", 11) == 0)
		return flag_value(p + 11, at);
	if (strncmp(p, "--pass=", 7) == 0)
		return flag_value(p + 7, at);
	if ((strncmp(p, "-P ", 3) == 0 && line_runs(line, ms)) ||
	    (strncmp(p, "-p ", 3) == 0 && line_runs(line, sp)) ||
	    (strncmp(p, "-a ", 3) == 0 && line_runs(line, rd)))
		return flag_value(p + 3, at);
	if ((strncmp(p, "-u ", 3) == 0 || strncmp(p, "--user ", 7) == 0) &&
	    line_runs(line, cu)) {
		const char *u = p + strcspn(p, " ") + 1, *c;
		size_t n = strcspn(u, " \t\n;|&");

		c = memchr(u, ':', n);
		*var = "HTTP_PASSWORD";
		if (c && literal_value(c + 1, (size_t)(u + n - c - 1))) {
			*at = c + 1;
			return (size_t)(u + n - c - 1);
		}
	}
	return 0;
}

/* At P, an environment variable tools read a password from
 * ("PGPASSWORD=...", "MYSQL_PWD=...") given a literal: *NAME, *VAL set,
 * returns 1. */
static int
password_env_at(const char *line, const char *p, char **name,
		const char **val, size_t *vlen)
{
	static const char *const envs[] = { "PGPASSWORD=", "MYSQL_PWD=",
		"REDISCLI_AUTH=", "SSHPASS=", NULL };

	if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	for (size_t k = 0; envs[k]; k++) {
		size_t n = strlen(envs[k]);

		if (strncmp(p, envs[k], n) != 0 ||
		    !(*vlen = flag_value(p + n, val)))
			continue;
		*name = xstrndup(p, n - 1);
		return 1;
	}
	return 0;
}

/* At P, "NAME=value" with NAME named like a credential and a value that
 * reads as a generated secret: *NAME and *VAL set, returns 1. */
static int
secret_assignment_at(const char *line, const char *p, char **name,
		     const char **val, size_t *vlen)
{
	const char *e = p, *v;
	char q = 0;
	size_t n;

	if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	while (isupper((unsigned char)*e) || isdigit((unsigned char)*e) ||
	       *e == '_')
		e++;
	if (e == p || *e != '=' || isdigit((unsigned char)*p))
		return 0;
	v = e + 1;
	if (*v == '"' || *v == '\'')
		q = *v++;
	for (n = 0; v[n] && v[n] != '\n' && (q ? v[n] != q : !isspace(
		     (unsigned char)v[n]) && v[n] != ';' && v[n] != '&'); n++)
		;
	*name = xstrndup(p, (size_t)(e - p));
	if (!is_secret_name(*name) || !high_entropy(v, n)) {
		free(*name);
		return 0;
	}
	*val = v;
	*vlen = n;
	return 1;
}

/* How the first credential written out in one line of LINE (N bytes)
 * is named ("a GitHub token"), or NULL. */
static const char *
line_credential(const char *line)
{
	for (const char *p = line; *p; p++) {
		const struct token_shape *t;
		const char *val, *var, *what;
		size_t vlen;
		char *name;

		if (token_at(line, p, &t))
			return t->what;
		if (placed_token_at(line, p, &val, &var, &what))
			return what;
		if (password_flag_at(line, p, &val, &var))
			return "a password on the command line";
		if (password_env_at(line, p, &name, &val, &vlen) ||
		    secret_assignment_at(line, p, &name, &val, &vlen)) {
			free(name);
			return "a credential assigned to a variable";
		}
	}
	return NULL;
}

const char *
mdimport_literal_credential(const char *text)
{
	const char *what = NULL;

	for (const char *p = text; *p && !what;) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);

		what = line_credential(line);
		free(line);
		p += len + (p[len] == '\n');
	}
	return what;
}

const char *
mdimport_confirm_credential(const char *confirm)
{
	const char *what = mdimport_literal_credential(confirm);

	for (const char *p = confirm; *p && !what;) {
		size_t n = strcspn(p, " \t\n");

		if (is_token_word(p, n))
			what = "a value that reads as a token";
		p += n + strspn(p + n, " \t\n");
	}
	return what;
}

static void
mark_secret_var(struct imp *im, const char *name)
{
	im->forced_secret = xrealloc(im->forced_secret, (im->n_forced_secret +
				     1) * sizeof(*im->forced_secret));
	im->forced_secret[im->n_forced_secret++] = xstrdup(name);
}

/* A review point for the credential WHAT at line NO, replaced by ${VAR}:
 * it promises the secret input only if the draft asks it (a command
 * uses it), which is known once every step is made. */
static void
review_credential(struct imp *im, int no, const char *what, const char *var)
{
	struct imp_review *r;

	add_review(im, no, NULL, "line %d held a credential (%s) written out "
		   "in the runbook: the draft removed it and asks ${%s} as a "
		   "secret input instead; revoke that credential, it was "
		   "shared in writing", no, what, var);
	r = &im->reviews[im->n_reviews - 1];
	r->secret_var = xstrdup(var);
	r->unasked = xasprintf("line %d held a credential (%s) written out in "
			       "the runbook: the draft removed it, and no "
			       "command uses it, so nothing asks it; revoke "
			       "that credential, it was shared in writing",
			       no, what);
}

/* LINE (line number NO) with every literal credential replaced by
 * ${NAME}, a secret variable, and a review point saying where. */
static void
scrub_line(struct imp *im, const char *line, size_t len, int no,
	   struct strbuf *out)
{
	char *l = xstrndup(line, len);

	for (const char *p = l; *p;) {
		const struct token_shape *t;
		const char *val, *pvar, *pwhat;
		size_t n, vlen;
		char *name;

		if ((n = token_at(l, p, &t))) {
			strbuf_addf(out, "<%s>", t->var);
			mark_secret_var(im, t->var);
			review_credential(im, no, t->what, t->var);
			p += n;
		} else if ((n = placed_token_at(l, p, &val, &pvar, &pwhat))) {
			strbuf_add(out, p, (size_t)(val - p));
			strbuf_addf(out, "<%s>", pvar);
			mark_secret_var(im, pvar);
			review_credential(im, no, pwhat, pvar);
			p = val + n;
		} else if ((n = password_flag_at(l, p, &val, &pvar))) {
			strbuf_add(out, p, (size_t)(val - p));
			strbuf_addf(out, "<%s>", pvar);
			mark_secret_var(im, pvar);
			review_credential(im, no, "a password on the command line",
					  pvar);
			p = val + n;
		} else if (password_env_at(l, p, &name, &val, &vlen) ||
			   secret_assignment_at(l, p, &name, &val, &vlen)) {
			strbuf_add(out, p, (size_t)(val - p));
			strbuf_addf(out, "<%s>", name);
			mark_secret_var(im, name);
			{
				char *what = xasprintf("the value of %s", name);

				review_credential(im, no, what, name);
				free(what);
			}
			free(name);
			p = val + vlen;
		} else
			strbuf_addc(out, *p++);
	}
	free(l);
}

/* TEXT with the literal credentials of each line taken out. */
static char *
scrub_credentials(struct imp *im, const char *text)
{
	struct strbuf out = STRBUF_INIT;
	int no = 1;

	for (const char *p = text; *p; no++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		scrub_line(im, p, len, no, &out);
		if (!nl)
			break;
		strbuf_addc(&out, '\n');
		p = nl + 1;
	}
	return strbuf_detach(&out);
}

/* NAME names a version of a package or release (GOOD_VERSION,
 * RESTORE_VERSION), not an id that merely says version (STATE_VERSION_ID,
 * an S3 object version, or a version code). */
static int
is_release_version(const char *name)
{
	size_t n = strlen(name);

	return n >= 7 && strcmp(name + n - 7, "VERSION") == 0 &&
	       !strstr(name, "STATE") && !strstr(name, "OBJECT");
}

/* Names a runbook gives one value by under two spellings (ENV in one
 * section, ENVIRONMENT in another): the first one met is asked, once. */
static int
same_input(const char *a, const char *b)
{
	static const char *const twins[][2] = {
		{ "ENV", "ENVIRONMENT" }, { "ENV_NAME", "ENVIRONMENT" },
		{ "ENV", "ENV_NAME" }, { "NS", "NAMESPACE" },
		{ "K8S_NAMESPACE", "NAMESPACE" },
	};

	for (size_t i = 0; i < sizeof(twins) / sizeof(twins[0]); i++)
		if ((!strcmp(a, twins[i][0]) && !strcmp(b, twins[i][1])) ||
		    (!strcmp(a, twins[i][1]) && !strcmp(b, twins[i][0])))
			return 1;
	return 0;
}

static const char *
declare_var(struct imp *im, const char *raw, size_t len, const char *orig,
	    size_t orig_len)
{
	char *name = var_name(raw, len);
	struct imp_var *v;

	for (size_t i = 0; i < im->n_vars; i++) {
		if (strcmp(im->vars[i].name, name) == 0 ||
		    same_input(im->vars[i].name, name)) {
			free(name);
			return im->vars[i].name;
		}
	}
	im->vars = xrealloc(im->vars, (im->n_vars + 1) * sizeof(*im->vars));
	v = &im->vars[im->n_vars++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->orig = xstrndup(orig, orig_len);
	v->from_input = 1;
	v->secret = is_secret_name(name);
	for (size_t i = 0; i < im->n_forced_secret && !v->prompt; i++)
		if (strcmp(im->forced_secret[i], name) == 0) {
			v->secret = 1;
			v->prompt = xasprintf("%s: the credential the runbook "
					      "wrote out (taken out of the "
					      "draft)", name);
		}
	if (is_release_version(name))
		v->pattern = xstrdup("v?[0-9]+(\\.[0-9]+)*([-+.][0-9A-Za-z.-]+)?");
	return v->name;
}

static const char *
unique_id(struct imp *im, enum phase_id phase, const char *title)
{
	char *s = slug(title, SLUG_MAX);
	char *id = xasprintf("%s.%s", playbook_phase_name(phase), s);

	for (int n = 2;; n++) {
		size_t i;

		for (i = 0; i < im->n_ids && strcmp(im->ids[i], id) != 0; i++)
			;
		if (i == im->n_ids)
			break;
		free(id);
		id = xasprintf("%s.%s-%d", playbook_phase_name(phase), s, n);
	}
	free(s);
	im->ids = xrealloc(im->ids, (im->n_ids + 1) * sizeof(*im->ids));
	im->ids[im->n_ids++] = id;
	return id;
}

static const char *
jstr(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static void
append_note(cJSON *step, const char *text)
{
	const char *old = jstr(step, "note");
	char *joined;

	if (!text || !*text)
		return;
	if (!old) {
		cJSON_AddStringToObject(step, "note", text);
		return;
	}
	joined = xasprintf("%s\n\n%s", old, text);
	cJSON_ReplaceItemInObjectCaseSensitive(step, "note",
					       cJSON_CreateString(joined));
	free(joined);
}

/* Hand the pending prose to STEP as its note, logging where it went. */
static void
give_pending(struct imp *im, cJSON *step)
{
	const char *id = jstr(step, "id");
	int n_prose = 0;
	char *text = trim_dup(strbuf_str(&im->pending), im->pending.len);

	append_note(step, text);
	free(text);
	for (size_t i = 0; i < im->n_reviews; i++)
		if (im->reviews[i].awaiting) {
			im->reviews[i].step = xstrdup(id);
			im->reviews[i].awaiting = 0;
		}
	for (size_t i = 0; i < im->n_pends; i++) {
		if (im->pends[i].prose) {
			n_prose++;
			continue;
		}
		strbuf_addf(&im->notes_log, "  line %d: %s -> note of %s\n",
			    im->pends[i].line, im->pends[i].what, id);
		if (im->explain)
			strbuf_addf(im->explain, "    -> line %d: %s, kept as "
				    "a note of %s\n", im->pends[i].line,
				    im->pends[i].what, id);
	}
	for (size_t i = 0; i < im->n_pends; i++)
		free(im->pends[i].what);
	im->n_prose += n_prose;
	im->n_pends = 0;
	strbuf_reset(&im->pending);
	free(im->leadin);
	im->leadin = NULL;
}

static void
add_pending(struct imp *im, const char *text, int line, const char *what,
	    int prose)
{
	if (im->pending.len)
		strbuf_adds(&im->pending, "\n\n");
	strbuf_adds(&im->pending, text);
	im->pends = xrealloc(im->pends, (im->n_pends + 1) * sizeof(*im->pends));
	im->pends[im->n_pends++] = (struct pend){ line, xstrdup(what), prose };
	free(im->leadin);
	im->leadin = NULL;
}

/* A new step of KIND in the current phase, with the pending prose as its
 * note. The step is owned by the phase's array. */
static cJSON *
add_step_in(struct imp *im, enum phase_id phase, enum step_kind kind,
	    const char *title)
{
	cJSON *st = cJSON_CreateObject();
	char *plain = plain_title(title);

	if (!*plain) {
		free(plain);
		plain = xstrdup(playbook_kind_name(kind));
	}
	cJSON_AddStringToObject(st, "id", unique_id(im, phase, plain));
	cJSON_AddStringToObject(st, "kind", playbook_kind_name(kind));
	cJSON_AddStringToObject(st, "title", plain);
	free(plain);
	cJSON_AddItemToArray(im->steps[phase], st);
	im->placed = xrealloc(im->placed, (im->n_placed + 1) *
			      sizeof(*im->placed));
	im->placed[im->n_placed++] = (struct imp_placed){ st, im->section,
							  im->cur_block,
							  im->run_line };
	if (im->explain)
		strbuf_addf(im->explain, "    -> %s step %s\n",
			    playbook_kind_name(kind), jstr(st, "id"));
	return st;
}

/* A step in the section of an alternative runs only on that choice. */
static void
apply_alt_when(struct imp *im, cJSON *st)
{
	cJSON *when;

	if ((im->alt < 0 || !im->alt_value) && !im->inline_var &&
	    (im->balt < 0 || !im->balt_value) && !im->cont_var)
		return;
	when = cJSON_AddObjectToObject(st, "when");
	if (im->alt >= 0 && im->alt_value)
		cJSON_AddStringToObject(when, im->alt_var, im->alt_value);
	if (im->balt >= 0 && im->balt_value)
		cJSON_AddStringToObject(when, im->balt_var, im->balt_value);
	if (im->inline_var)
		cJSON_AddStringToObject(when, im->inline_var, im->inline_value);
	if (im->cont_var)
		cJSON_AddStringToObject(when, im->cont_var, "yes");
}

/* The block being mapped is in a member of an alternative that is a
 * list of steps done by hand (the clicks before "Or with fastlane:"). */
static int
in_by_hand_member(const struct imp *im)
{
	return im->balt >= 0 && im->bmember >= 0 && im->bmember < 32 &&
	       (im->groups[im->balt].by_hand >> im->bmember & 1u);
}

/* The phase of a step in a section no heading places: before anything
 * was executed it assesses, after that it verifies. */
static enum phase_id
content_phase(const struct imp *im)
{
	if (!im->phase_auto)
		return im->phase;
	/* clicks that do what the other option's commands do ("Or with
	 * fastlane:"): they act, like those, behind the approval */
	if (in_by_hand_member(im))
		return PHASE_EXECUTE;
	if (cJSON_GetArraySize(im->steps[PHASE_EXECUTE]))
		return PHASE_VERIFY;
	/* a section acting after the runbook's own sign-off executes */
	return im->acts_after_approval ? PHASE_EXECUTE : PHASE_ASSESS;
}

/* Decide step ST offers two options, ID1 (LABEL1) and ID2 (LABEL2). */
static void
add_two_options(cJSON *st, const char *id1, const char *label1,
		const char *id2, const char *label2)
{
	cJSON *opts = cJSON_AddArrayToObject(st, "options");
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", id1);
	cJSON_AddStringToObject(o, "label", label1);
	cJSON_AddItemToArray(opts, o);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id2);
	cJSON_AddStringToObject(o, "label", label2);
	cJSON_AddItemToArray(opts, o);
}

/* A step the operator may leave open. Set once, whoever asks again: a
 * follow-up section's bullet is made optional by add_step and by its
 * own rule, and a draft with a duplicate key does not load. */
static void
mark_not_required(cJSON *st)
{
	cJSON_DeleteItemFromObjectCaseSensitive(st, "required");
	cJSON_AddBoolToObject(st, "required", 0);
}

static cJSON *
add_step(struct imp *im, enum step_kind kind, const char *title)
{
	cJSON *st = add_step_in(im, content_phase(im), kind, title);

	/* an optional section's steps, and follow-up work: never required */
	if ((im->optional_section && kind != STEP_KIND_DECIDE &&
	     kind != STEP_KIND_INPUT) || im->later_level)
		mark_not_required(st);
	apply_alt_when(im, st);
	if (im->pending.len)
		give_pending(im, st);
	im->last = st;
	return st;
}

/* A lead-in longer than this is a paragraph, not a title. */
#define LEADIN_TITLE_MAX 80

/* The first clause of TEXT (up to a comma, a semicolon, a dash, a
 * parenthesis, a colon or a full stop) when it is a title of a few
 * words, or NULL. Caller frees. */
static char *
leading_clause(const char *text)
{
	static const char *const ends[] = { ", ", "; ", " \u2014 ", " -- ",
		" - ", " (", ": ", ". ", NULL };
	size_t n = strlen(text);

	for (size_t i = 0; ends[i]; i++) {
		const char *e = strstr(text, ends[i]);

		if (e && (size_t)(e - text) < n)
			n = (size_t)(e - text);
	}
	if (n < 8 || n > LEADIN_TITLE_MAX || !memchr(text, ' ', n))
		return NULL;
	return xstrndup(text, n);
}

/* The lead-in (the paragraph or item just before a block) as the block's
 * title: taken out of the pending prose so it is not said twice. A
 * paragraph too long for a title stays whole in the pending prose, the
 * step's note, and only its first clause (or nothing) titles it: a
 * title cut short would drop the rest ("... - in that c..."). */
static char *
take_leadin(struct imp *im)
{
	char *t = im->leadin;

	if (!t)
		return NULL;
	im->leadin = NULL;
	if (strlen(t) > LEADIN_TITLE_MAX) {
		char *clause = leading_clause(t);

		free(t);
		return clause;
	}
	if (im->leadin_mark <= im->pending.len) {
		im->pending.len = im->leadin_mark;
		if (im->pending.buf)
			im->pending.buf[im->pending.len] = '\0';
		if (im->n_pends)
			free(im->pends[--im->n_pends].what);
	}
	return t;
}

/* --- shell blocks ----------------------------------------------------------- */

/* Where a shell command ends: after quotes close, continuations stop,
 * here-documents end and compound commands (if/case/loops/braces) close. */
struct sh_scan {
	int squote, dquote, cont;
	int paren, kw;
	char delims[4][64];
	int strip[4];
	int n_delims;		/* here-documents still to read */
	int in_heredoc;
};

static int
sh_word_end(char c)
{
	return !c || isspace((unsigned char)c) || strchr(";&|()<>'\"`", c);
}

static void
sh_keyword(struct sh_scan *sc, const char *w, size_t n, int *cmdpos)
{
	static const char *const open[] = { "if", "case", "for", "while",
					    "until", "select", "{", NULL };
	static const char *const close[] = { "fi", "esac", "done", "}", NULL };
	static const char *const keep[] = { "then", "do", "else", "elif", "!",
					    "time", NULL };
	char word[16];

	*cmdpos = 0;
	if (n >= sizeof(word))
		return;
	memcpy(word, w, n);
	word[n] = '\0';
	if (in_list(word, open, 0))
		sc->kw++;
	else if (in_list(word, close, 0) && sc->kw > 0)
		sc->kw--;
	if (in_list(word, open, 0) || in_list(word, keep, 0))
		*cmdpos = 1;
}

static size_t
sh_heredoc(struct sh_scan *sc, const char *s, size_t i, size_t len)
{
	size_t start, n = 0;
	int strip = 0;
	char q = 0;

	i += 2;
	if (i < len && s[i] == '-') {
		strip = 1;
		i++;
	}
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && (s[i] == '\'' || s[i] == '"'))
		q = s[i++];
	start = i;
	while (i < len && (q ? s[i] != q : !sh_word_end(s[i])))
		i++;
	n = i - start;
	if (q && i < len)
		i++;
	if (n && n < sizeof(sc->delims[0]) && sc->n_delims < 4) {
		memcpy(sc->delims[sc->n_delims], s + start, n);
		sc->delims[sc->n_delims][n] = '\0';
		sc->strip[sc->n_delims++] = strip;
	}
	return i;
}

static void
sh_heredoc_line(struct sh_scan *sc, const char *s, size_t len)
{
	if (sc->strip[0])
		while (len && *s == '\t') {
			s++;
			len--;
		}
	if (len != strlen(sc->delims[0]) || memcmp(s, sc->delims[0], len) != 0)
		return;
	memmove(sc->delims[0], sc->delims[1], sizeof(sc->delims[0]) * 3);
	memmove(sc->strip, sc->strip + 1, sizeof(sc->strip[0]) * 3);
	if (--sc->n_delims == 0)
		sc->in_heredoc = 0;
}

static void
sh_feed(struct sh_scan *sc, const char *s, size_t len)
{
	int cmdpos = !sc->squote && !sc->dquote;

	if (sc->in_heredoc) {
		sh_heredoc_line(sc, s, len);
		return;
	}
	sc->cont = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (sc->squote) {
			sc->squote = c != '\'';
			continue;
		}
		if (sc->dquote) {
			if (c == '\\')
				i++;
			else if (c == '"')
				sc->dquote = 0;
			continue;
		}
		if (c == '\\') {
			sc->cont = i + 1 == len;
			i++;
		} else if (c == '\'' || c == '"') {
			*(c == '\'' ? &sc->squote : &sc->dquote) = 1;
		} else if (c == '#' && (i == 0 || isspace((unsigned char)s[i - 1]))) {
			break;
		} else if (c == '<' && i + 2 < len && s[i + 1] == '<' &&
			   s[i + 2] != '<') {
			i = sh_heredoc(sc, s, i, len) - 1;
		} else if (c == '(') {
			sc->paren++;
			cmdpos = 1;
			continue;
		} else if (c == ')') {
			sc->paren -= sc->paren > 0;
		} else if (strchr(";&|", c)) {
			cmdpos = 1;
			continue;
		} else if (!isspace((unsigned char)c)) {
			size_t n = 0;

			while (!sh_word_end(s[i + n]) && i + n < len)
				n++;
			if (cmdpos)
				sh_keyword(sc, s + i, n ? n : 1, &cmdpos);
			i += n ? n - 1 : 0;
		}
		if (!isspace((unsigned char)c))
			cmdpos = 0;
	}
	if (sc->n_delims)
		sc->in_heredoc = 1;
}

static int
sh_closed(const struct sh_scan *sc)
{
	return !sc->squote && !sc->dquote && !sc->cont && !sc->paren &&
	       !sc->kw && !sc->in_heredoc;
}

/* One logical command of a shell block, with what the block says of it. */
struct sh_cmd {
	struct strbuf text;
	char *title;		/* from the comment just above, or NULL */
	struct strbuf note;	/* comments just below */
	int line;
	int is_check;		/* a comment-only instruction between commands */
	int example;		/* the comment above says it is an example */
};

struct sh_split {
	struct sh_cmd *cmds;
	size_t n;
	struct strbuf head;	/* comments before the first command */
};

static struct sh_cmd *
split_add(struct sh_split *sp, int line)
{
	struct sh_cmd *c;

	sp->cmds = xrealloc(sp->cmds, (sp->n + 1) * sizeof(*sp->cmds));
	c = &sp->cmds[sp->n++];
	memset(c, 0, sizeof(*c));
	c->line = line;
	return c;
}

/* A group of comment lines ended by a blank line or the block's end:
 * a note of the command just above, the block's introduction, or (between
 * commands) an instruction without a command. */
static void
comment_group_alone(struct sh_split *sp, struct strbuf *group, int adjacent,
		    int more_follows, int line)
{
	char *text = trim_dup(strbuf_str(group), group->len);

	if (!*text) {
		free(text);
		return;
	}
	if (sp->n == 0) {
		if (sp->head.len)
			strbuf_addc(&sp->head, '\n');
		strbuf_adds(&sp->head, text);
	} else if (adjacent || !more_follows) {
		struct strbuf *note = &sp->cmds[sp->n - 1].note;

		if (note->len)
			strbuf_addc(note, '\n');
		strbuf_adds(note, text);
	} else {
		struct sh_cmd *c = split_add(sp, line);
		char *nl = strchr(text, '\n');

		c->is_check = 1;
		c->title = nl ? xstrndup(text, (size_t)(nl - text)) : xstrdup(text);
		if (nl)
			strbuf_adds(&c->note, nl + 1);
	}
	free(text);
	strbuf_reset(group);
}

static int
has_command_after(char **lines, size_t n, size_t from)
{
	for (size_t k = from; k < n; k++) {
		const char *t = lines[k];

		while (*t == ' ' || *t == '\t')
			t++;
		if (*t && *t != '#')
			return 1;
	}
	return 0;
}

static char **
split_text_lines(const char *text, size_t *n_out)
{
	char **lines = NULL;
	size_t n = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		lines = xrealloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = xstrndup(p, len);
		p += len + (nl != NULL);
	}
	*n_out = n;
	return lines;
}

static void
free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
split_shell(const char *body, int first_line, struct sh_split *sp)
{
	struct strbuf group = STRBUF_INIT;
	struct sh_scan sc;
	struct sh_cmd *cur = NULL;
	size_t n;
	char **lines = split_text_lines(body, &n);
	int adjacent = 0, group_line = 0;

	for (size_t k = 0; k < n; k++) {
		const char *t = lines[k];
		int line = first_line + (int)k;

		if (cur) {
			strbuf_addc(&cur->text, '\n');
			strbuf_adds(&cur->text, lines[k]);
			sh_feed(&sc, lines[k], strlen(lines[k]));
			if (sh_closed(&sc))
				cur = NULL;
			continue;
		}
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t) {
			if (group.len)
				comment_group_alone(sp, &group, adjacent,
						    has_command_after(lines, n, k),
						    group_line);
			adjacent = 0;
			continue;
		}
		if (*t == '#') {
			if (!group.len)
				group_line = line;
			if (group.len)
				strbuf_addc(&group, '\n');
			strbuf_adds(&group, t[1] == '!' ? t : t + 1 +
				    (t[1] == ' '));
			continue;
		}
		cur = split_add(sp, line);
		if (group.len) {
			char *g = trim_dup(strbuf_str(&group), group.len);
			char *nl = strrchr(g, '\n');

			if (nl) {	/* earlier lines: the block's intro */
				*nl = '\0';
				if (sp->n == 1)
					strbuf_adds(&sp->head, g);
				else
					strbuf_adds(&cur->note, g);
			}
			cur->title = xstrdup(nl ? nl + 1 : g);
			cur->example = strncasecmp(cur->title, "example", 7) == 0;
			free(g);
			strbuf_reset(&group);
		}
		memset(&sc, 0, sizeof(sc));
		strbuf_adds(&cur->text, lines[k]);
		sh_feed(&sc, lines[k], strlen(lines[k]));
		if (sh_closed(&sc))
			cur = NULL;
		adjacent = 1;
	}
	if (group.len)
		comment_group_alone(sp, &group, adjacent, 0, group_line);
	strbuf_done(&group);
	free_lines(lines, n);
}

static void
split_done(struct sh_split *sp)
{
	for (size_t i = 0; i < sp->n; i++) {
		strbuf_done(&sp->cmds[i].text);
		strbuf_done(&sp->cmds[i].note);
		free(sp->cmds[i].title);
	}
	free(sp->cmds);
	strbuf_done(&sp->head);
}

/* --- steps from blocks ------------------------------------------------------ */

/* --- what a confirmation names ---------------------------------------------- */

/* A word of a simple command, as written (quotes kept). */
struct cword {
	const char *s;
	size_t n;
};

/* The words of the simple command that starts at CMD, to its unquoted
 * end (; & | or a newline not continued); at most MAX. */
static size_t
command_words(const char *cmd, struct cword *w, size_t max, const char **end)
{
	const char *p = cmd;
	size_t n = 0;

	while (n < max) {
		char q = 0;
		const char *start;

		while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n'))
			p += *p == '\\' ? 2 : 1;
		if (!*p || strchr(";&|\n", *p))
			break;
		for (start = p; *p && (q || !strchr(" \t;&|\n", *p)); p++) {
			if (*p == '\\' && p[1] && !q)
				p++;
			else if (q ? *p == q : (*p == '"' || *p == '\''))
				q = q ? 0 : *p;
		}
		w[n++] = (struct cword){ start, (size_t)(p - start) };
	}
	if (end)
		*end = p;
	return n;
}

static int
word_is(const struct cword *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == w->n && strncmp(w->s, list[i], w->n) == 0)
			return 1;
	return 0;
}

/* Options whose value says where a command acts (a namespace, a context,
 * a region) or carries a credential or a header: never typed. */
static const char *const where_opts[] = { "-n", "--namespace", "--context",
	"--kube-context", "--kubeconfig", "--cluster", "--region", "--profile",
	"--project", "--zone", "-C", "--token", "-H", "--header", "-u",
	"--user", "-h", "--host", "-p", "--port", NULL };
/* Options of an HTTP client whose value is a body or a header. */
static const char *const body_opts[] = { "-d", "--data", "--data-raw",
	"--data-binary", "--data-urlencode", "--json", "-F", "--form", "-H",
	"--header", NULL };
static const char *const remotes[] = { "origin", "upstream", NULL };

static int
is_http_client(const struct cword *w)
{
	static const char *const clients[] = { "curl", "wget", "http", "https",
		"xh", NULL };

	return word_is(w, clients);
}

/* A word the operator could type: no quotes, variable, URL, assignment,
 * redirection or option, and no remote's name. */
static int
is_clean_word(const struct cword *w)
{
	return w->n && *w->s != '-' && !memchr(w->s, '"', w->n) &&
	       !memchr(w->s, '\'', w->n) && !memchr(w->s, '$', w->n) &&
	       !memchr(w->s, '=', w->n) && !memchr(w->s, '<', w->n) &&
	       !memchr(w->s, '>', w->n) && !memchr(w->s, '`', w->n) &&
	       !memmem(w->s, w->n, "://", 3) && !word_is(w, remotes) &&
	       !(memchr(w->s, '@', w->n) && memchr(w->s, ':', w->n));
}

/* The last segment of the path of URL word W ("new-pricing" of
 * https://flags.test/api/flags/new-pricing?x=1), or an empty word. */
static struct cword
url_tail(const struct cword *w)
{
	const char *u = memmem(w->s, w->n, "://", 3), *e = w->s + w->n;
	const char *q, *seg;

	if (!u)
		return (struct cword){ w->s, 0 };
	for (q = u + 3; q < e && !strchr("?#\"'", *q); q++)
		;
	while (q > u + 3 && q[-1] == '/')
		q--;
	for (seg = q; seg > u + 3 && seg[-1] != '/'; seg--)
		;
	if (seg == u + 3 || memchr(seg, '$', (size_t)(q - seg)))
		return (struct cword){ w->s, 0 };	/* a host, or a value */
	return (struct cword){ seg, (size_t)(q - seg) };
}

/* A variable name that says what is being changed: a version, a tag, a
 * revision, a release, an image, a backup, a target. */
static int
names_a_target(const char *name)
{
	static const char *const parts[] = { "VERSION", "TAG", "REVISION",
		"RELEASE", "SHA", "COMMIT", "IMAGE", "SNAPSHOT", "BACKUP",
		"MIGRATION", "TARGET", "TG", "INDEX", "FLAG", "PACKAGE", "BUILD",
		"HISTORY", "REF", NULL };

	for (size_t i = 0; parts[i]; i++) {
		const char *p = strstr(name, parts[i]);
		size_t k = strlen(parts[i]);

		if (p && (p == name || p[-1] == '_') &&
		    (!p[k] || p[k] == '_'))
			return 1;
	}
	return 0;
}

/* The part of word W, which holds ${NAME} at V, that names it: the URL
 * path segment, the value after an "=", without a refspec's ":". */
static char *
target_piece(const struct cword *w, const char *v, const char *name)
{
	const char *s = w->s, *e = w->s + w->n, *p;
	char *piece;

	if (memmem(w->s, w->n, "://", 3)) {
		for (s = v; s > w->s && s[-1] != '/'; s--)
			;
		for (e = v; e < w->s + w->n && *e != '/' && *e != '?'; e++)
			;
	} else {
		for (p = s; p < v; p++)
			if (*p == '=')
				s = p + 1;
	}
	while (s < v && (*s == ':' || *s == '+'))
		s++;
	piece = xstrndup(s, (size_t)(e - s));
	for (p = piece; (p = strpbrk(p, "$\"'`")); p++)
		if (*p != '$' || strncmp(p + 2, name, strlen(name)) != 0 ||
		    p[1] != '{' || p[2 + strlen(name)] != '}') {
			free(piece);
			return xasprintf("${%s}", name);
		}
	return piece;
}

/* How well ${NAME}, the value of word W (after PREV), says what is
 * changed: 0 never (a secret, a place, a ticket), 1 the value of an
 * option saying where ("make -C services/${SERVICE}"), 2 any other, 3 a
 * version, a tag, a release, a target. */
/* A credential's id (an API key's, a client's) or a person (who
 * approves, reviews): a value a command uses, never what it acts on. */
static int
is_credential_or_person(const char *name)
{
	static const char *const parts[] = { "KEY_ID", "CLIENT_ID",
		"ISSUER_ID", "ACCESS_KEY", "APPROVER", "REVIEWER", "REQUESTER",
		"ASSIGNEE", "SIGNER", NULL };

	for (size_t i = 0; parts[i]; i++)
		if (strstr(name, parts[i]))
			return 1;
	return 0;
}

/* Words naming a kind of place a command can act on as a whole: after
 * "kubectl delete namespace", ${NS} is the target, not where it acts. */
static const char *const place_objects[] = { "namespace", "namespaces",
	"ns", "project", "projects", "cluster", "clusters", "database",
	"context", NULL };
/* Options whose value is a message (a commit's), never a target. */
static const char *const message_opts[] = { "-m", "--message", NULL };

static int
target_score(const char *name, const struct cword *prev)
{
	if (is_secret_name(name) || is_credential_or_person(name) ||
	    word_is(prev, message_opts))
		return 0;
	if (hazard_where_name(name) && word_is(prev, place_objects))
		return 3;
	if (hazard_where_name(name) || hazard_ticket_name(name))
		return 0;
	if (word_is(prev, where_opts))
		return 1;
	return names_a_target(name) ? 3 : 2;
}

/* The ${NAME} of words W[0..N) that says best what is changed, as the
 * piece of its word that names it; never a secret, a place, a ticket or
 * a value in an HTTP body or header. *SCORE is raised to its score; NULL
 * when none beats it. */
static char *
target_var(const struct cword *w, size_t n, int *score)
{
	char *best = NULL;

	for (size_t i = 1; i < n; i++) {
		int body = is_http_client(&w[0]) && (word_is(&w[i - 1],
						     body_opts) || *w[i].s == '{');

		for (const char *p = w[i].s; !body && (p = memmem(p, (size_t)
		     (w[i].s + w[i].n - p), "${", 2)); p += 2) {
			const char *end = memchr(p, '}', (size_t)(w[i].s +
						 w[i].n - p));
			char *name;
			int sc;

			if (!end)
				break;
			name = xstrndup(p + 2, (size_t)(end - p - 2));
			sc = target_score(name, &w[i - 1]);
			if (sc > *score) {
				free(best);
				best = target_piece(&w[i], p, name);
				*score = sc;
			}
			free(name);
		}
	}
	return best;
}

/* The best target variable of any simple command of CMD, or NULL. */
static char *
target_var_anywhere(const char *cmd)
{
	char *best = NULL;
	int score = 0;

	for (const char *p = cmd; *p; ) {
		struct cword w[64];
		const char *end;
		size_t n = command_words(p, w, 64, &end);
		char *v = target_var(w, n, &score);

		if (v) {
			free(best);
			best = v;
		}
		p = end > p ? end : p + 1;
	}
	return best;
}

/* The words from H (the command's first word) to HE (the end of what
 * makes it change things) without where it acts, then the first word
 * after that says what: "kubectl rollout undo deployment/web" of
 * "kubectl -n prod rollout undo deployment/web --to-revision=3". */
static char *
target_words(const char *h, const char *he)
{
	struct cword w[64];
	size_t n = command_words(h, w, 64, NULL), i;
	struct strbuf sb = STRBUF_INIT;
	int http = n && is_http_client(&w[0]);

	static const char *const prefixes[] = { "sudo", "env", "time",
		"nohup", "nice", "xargs", "exec", "command", NULL };
	static const char *const kube[] = { "kubectl", "oc", NULL };
	size_t first = 0;

	while (first < n && w[first].s < he && word_is(&w[first], prefixes))
		for (first++; first < n && *w[first].s == '-'; first++)
			;	/* "sudo -E", "xargs -r" */
	for (i = first; i < n && w[i].s < he; i++) {
		if (word_is(&w[i], where_opts)) {
			i++;
			continue;
		}
		if (http && url_tail(&w[i]).n) {
			struct cword t = url_tail(&w[i]);

			strbuf_addf(&sb, " %.*s", (int)t.n, t.s);
			continue;	/* "curl -X POST off": what it posts to */
		}
		if (i > first && !is_clean_word(&w[i]) && *w[i].s != '-')
			continue;
		strbuf_addf(&sb, "%s%.*s", sb.len ? " " : "", (int)w[i].n,
			    w[i].s);
	}
	for (; i < n; i++) {
		struct cword t = http ? url_tail(&w[i]) : w[i];

		if (word_is(&w[i], where_opts) || (http && word_is(&w[i],
							     body_opts))) {
			i++;
			continue;
		}
		if (http && i + 1 < n && w[i].n == 2 &&
		    strncmp(w[i].s, "-X", 2) == 0 && is_clean_word(&w[i + 1])) {
			strbuf_addf(&sb, " -X %.*s", (int)w[i + 1].n, w[i + 1].s);
			i++;
			continue;
		}
		if (!http && *w[i].s == '-')
			continue;
		if (is_clean_word(&t) || (http && t.n)) {
			strbuf_addf(&sb, " %.*s", (int)t.n, t.s);
			if (word_is(&w[first], kube) && !memchr(t.s, '/', t.n) &&
			    i + 1 < n && is_clean_word(&w[i + 1]))
				strbuf_addf(&sb, " %.*s", (int)w[i + 1].n,
					    w[i + 1].s);	/* kind, name */
			break;
		}
	}
	if (!sb.len)
		strbuf_adds(&sb, "change");
	return strbuf_detach(&sb);
}

/* The start of the simple command that holds P in CMD. */
static const char *
command_start(const char *cmd, const char *p)
{
	while (p > cmd && !strchr(";&|\n(", p[-1]))
		p--;
	if (p > cmd && p[-1] == '\n' && p - 1 > cmd && p[-2] == '\\')
		return command_start(cmd, p - 2);
	return p + strspn(p, " \t");
}

/* Whether ${NAME} says in which place a command acts in a way an
 * operator would type (a namespace, a cluster, an environment), rather
 * than how to reach it (a URL, a host, a connection string). */
static int
names_a_place(const char *name)
{
	static const char *const reach[] = { "URL", "URI", "DSN", "HOST",
		"CONN", "ENDPOINT", "KUBECONFIG", "PROFILE", NULL };

	if (!hazard_where_name(name))
		return 0;
	for (size_t i = 0; reach[i]; i++)
		if (strstr(name, reach[i]))
			return 0;
	return 1;
}

/* A word W that is exactly "${NAME}", with NAME in *NAME (caller frees). */
static int
bare_var_word(const struct cword *w, char **name)
{
	size_t k;

	if (w->n < 4 || strncmp(w->s, "${", 2) != 0 || w->s[w->n - 1] != '}')
		return 0;
	k = strspn(w->s + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	if (k + 3 != w->n)
		return 0;
	*name = xstrndup(w->s + 2, k);
	return 1;
}

/* The object the simple command at H acts on, after HE (the end of the
 * words that make it change things): its first word that is not an
 * option nor an option's value, as written ("deploy/web", "${RELEASE}");
 * NULL when it has none an operator could type. */
static char *
object_word(const char *h, const char *he)
{
	struct cword w[64];
	size_t n = command_words(h, w, 64, NULL);
	char *name;

	for (size_t i = 1; i < n; i++) {
		if (word_is(&w[i], where_opts)) {
			i++;	/* "-C DIR": where, not what */
			continue;
		}
		if (w[i].s < he)
			continue;
		if (*w[i].s == '-' && w[i].n > 2 &&
		    w[i].s[1] == '-' && !memchr(w[i].s, '=', w[i].n)) {
			i++;	/* "--listener-arn ARN": the option's value */
			continue;
		}
		if (*w[i].s == '-')
			continue;
		if (is_clean_word(&w[i]))
			return xstrndup(w[i].s, w[i].n);
		if (bare_var_word(&w[i], &name)) {
			int ok = target_score(name, &w[i - 1]) >= 2;

			free(name);
			return ok ? xstrndup(w[i].s, w[i].n) : NULL;
		}
		return NULL;
	}
	return NULL;
}

/* A value confirmation VAR ("${REVISION}") alone says nothing of what
 * it is a value of: "deploy/web ${REVISION}", "${RELEASE} ${REVISION}",
 * so that two such steps on different objects differ. */
static char *
with_object(char *var, const char *h, const char *he)
{
	char *obj, *both, *name;
	struct cword v = { var, strlen(var) };

	if (!bare_var_word(&v, &name))
		return var;
	free(name);
	obj = object_word(h, he);
	if (!obj || strstr(obj, var)) {
		free(obj);
		return var;
	}
	both = xasprintf("%s %s", obj, var);
	free(obj);
	free(var);
	return both;
}

/* Where the command at H of RUN acts, as an operator would type it: the
 * value of its -n/--context/-C option, a ${NAMESPACE} or ${ENV} it
 * uses, or the directory RUN changes to first; NULL when none. */
static char *
place_of(const char *run, const char *h)
{
	struct cword w[64];
	size_t n = command_words(h, w, 64, NULL);
	char *name;

	for (size_t i = 1; i + 1 < n; i++)
		if (word_is(&w[i], where_opts) && !word_is(&w[i], body_opts) &&
		    (is_clean_word(&w[i + 1]) || (bare_var_word(&w[i + 1], &name) &&
		     (free(name), 1))))
			return xstrndup(w[i + 1].s, w[i + 1].n);
	for (const char *p = strstr(run, "${"); p; p = strstr(p + 2, "${")) {
		size_t k = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

		if (!k || p[2 + k] != '}')
			continue;
		name = xstrndup(p + 2, k);
		if (names_a_place(name)) {
			char *v = xasprintf("${%s}", name);

			free(name);
			return v;
		}
		free(name);
	}
	for (const char *p = run; *p; p = next_line(p)) {
		const char *c = p + strspn(p, " \t");

		if (strncmp(c, "cd ", 3) == 0) {
			n = command_words(c, w, 2, NULL);
			if (n == 2 && is_clean_word(&w[1]))
				return xstrndup(w[1].s, w[1].n);
		}
		if (!*next_line(p))
			break;
	}
	return NULL;
}

/* CONFIRM, the command's words, names no target ("terraform apply",
 * "kubectl apply"): where the command at H of RUN acts is added
 * ("terraform apply in ${ENV}"); CONFIRM is given back otherwise. */
static char *
with_place(char *confirm, const char *run, const char *h)
{
	char *place, *both;

	if (hazard_confirm_names_target(run, confirm) ||
	    !(place = place_of(run, h)))
		return confirm;
	both = xasprintf("%s in %s", confirm, place);
	free(place);
	free(confirm);
	return both;
}

/* Whether word W (of N bytes) is an SQL keyword of a statement's head
 * ("drop table if exists", "delete from"), not the object it names. */
static int
is_sql_head_word(const char *w, size_t n)
{
	static const char *const kw[] = { "drop", "delete", "truncate",
		"alter", "table", "database", "schema", "index", "column",
		"from", "if", "exists", "only", "view", "materialized", NULL };

	for (size_t i = 0; kw[i]; i++)
		if (n == strlen(kw[i]) && strncasecmp(w, kw[i], n) == 0)
			return 1;
	return 0;
}

/* The statement's head and the object it acts on ("drop database app",
 * "DELETE FROM users"), when the destructive match at S lies inside a
 * quoted argument of the command at H (psql -c '...'), else NULL. */
static char *
sql_confirm(const char *h, const char *s)
{
	struct cword w[64];
	size_t n = command_words(h, w, 64, NULL);
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const char *p = s, *end = w[i].s + w[i].n;

		if (!(w[i].s < s && s < end))
			continue;
		for (int words = 0; p < end && words < 6; words++) {
			size_t k = strcspn(p, " \t\n;'\")");

			if (p + k > end)
				k = (size_t)(end - p);
			if (!k)
				break;
			strbuf_addf(&sb, "%s%.*s", sb.len ? " " : "", (int)k, p);
			if (!is_sql_head_word(p, k))
				break;
			p += k;
			p += strspn(p, " \t\n");
		}
		return sb.len ? strbuf_detach(&sb) : NULL;
	}
	return NULL;
}

/* Database and cache clients whose confirmation names what they change
 * and where: the statement, script or command and key, "in" the
 * database, "on" the host. */
enum client_family { CLIENT_PG, CLIENT_MYSQL, CLIENT_REDIS };

struct client_opts {
	const char *name;
	enum client_family family;
};

static const struct client_opts db_clients[] = {
	{ "psql", CLIENT_PG }, { "mysql", CLIENT_MYSQL },
	{ "mariadb", CLIENT_MYSQL }, { "redis-cli", CLIENT_REDIS },
	{ "valkey-cli", CLIENT_REDIS }, { NULL, 0 },
};

/* Options of a client by what their value is; any other option taking
 * a value is in skip (a port, a user, a password: never typed). */
static const char *const client_host[] = { "-h", "--host", NULL };
static const char *const client_db[] = { "-d", "--dbname", "-D",
	"--database", "-n", NULL };
static const char *const client_file[] = { "-f", "--file", NULL };
static const char *const client_sql[] = { "-c", "--command", "-e",
	"--execute", NULL };
static const char *const client_skip[] = { "-p", "--port", "-U",
	"--username", "-u", "--user", "-a", "--pass", "--password", "-v",
	"--set", "-P", "--variable", "-S", "--socket", "--tls-cert", NULL };

/* Word W as a confirmation may hold it: a plain word, or a ${NAME} that
 * is neither a secret nor a connection string. */
static int
client_word_ok(const struct cword *w)
{
	char *name;
	int ok;

	if (is_clean_word(w))
		return 1;
	if (!bare_var_word(w, &name))
		return 0;
	ok = !is_secret_name(name) && !strstr(name, "URL") &&
	     !strstr(name, "URI") && !strstr(name, "DSN") &&
	     !strstr(name, "CONN");
	free(name);
	return ok;
}

/* The value of option word W[*I] ("-h db1", "--host=db1", "-hdb1"),
 * advancing *I past a separate value; an empty word when none. */
static struct cword
client_value(const struct cword *w, size_t n, size_t *i)
{
	const char *eq = memchr(w[*i].s, '=', w[*i].n);

	if (eq)
		return (struct cword){ eq + 1,
				       w[*i].n - (size_t)(eq + 1 - w[*i].s) };
	if (w[*i].n > 2 && w[*i].s[1] != '-')
		return (struct cword){ w[*i].s + 2, w[*i].n - 2 };
	if (*i + 1 < n)
		return w[++*i];
	return (struct cword){ "", 0 };
}

/* Whether option word W is one of LIST, alone, "=value" or (a short
 * one) glued to its value ("-hdb1"). */
static int
client_opt_is(const struct cword *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		size_t k = strlen(list[i]);

		if (w->n >= k && strncmp(w->s, list[i], k) == 0 &&
		    (w->n == k || w->s[k] == '=' ||
		     (k == 2 && list[i][1] != '-')))
			return 1;
	}
	return 0;
}

/* The confirmation of a database or cache client's command at H whose
 * destructive match is at S: "DELETE FROM sessions in orders on db1",
 * "rollback.sql in orders on db1", "DEL session:web on cache1"; never a
 * password nor the option that carries it. NULL when H runs no such
 * client. Caller frees. */
static char *
client_confirm(const char *h, const char *s)
{
	struct cword w[64], host = { "", 0 }, db = { "", 0 }, what = { "", 0 };
	size_t n = command_words(h, w, 64, NULL), i = 0;
	const struct client_opts *c = db_clients;
	struct strbuf sb = STRBUF_INIT;
	char *sql;

	while (i < n && (word_is(&w[i], (const char *const[]){ "sudo", "env",
			 "time", "nohup", "command", NULL }) ||
			 memchr(w[i].s, '=', w[i].n)))
		i++;
	while (i < n && c->name && !word_is(&w[i], (const char *const[]){
						   c->name, NULL }))
		c++;
	if (i >= n || !c->name)
		return NULL;
	for (i++; i < n; i++) {
		if (*w[i].s == '<' && w[i].n == 1 && i + 1 < n) {
			what = w[++i];	/* "psql db < rollback.sql" */
			continue;
		}
		if (*w[i].s != '-') {
			if (c->family == CLIENT_REDIS) {
				what = (struct cword){ w[i].s, (size_t)(
					(i + 1 < n ? w[i + 1].s + w[i + 1].n
						   : w[i].s + w[i].n) - w[i].s) };
				break;	/* the command and its key */
			}
			if (!db.n)
				db = w[i];
			continue;
		}
		if (c->family == CLIENT_MYSQL && w[i].n > 2 &&
		    strncmp(w[i].s, "-p", 2) == 0)
			continue;	/* "-pSECRET": glued, no value after */
		if (client_opt_is(&w[i], client_host))
			host = client_value(w, n, &i);
		else if (client_opt_is(&w[i], client_db))
			db = client_value(w, n, &i);
		else if (client_opt_is(&w[i], client_file))
			what = client_value(w, n, &i);
		else if (client_opt_is(&w[i], client_sql) ||
			 client_opt_is(&w[i], client_skip))
			(void)client_value(w, n, &i);
	}
	sql = sql_confirm(h, s);
	if (sql)
		strbuf_adds(&sb, sql);
	else if (what.n && (client_word_ok(&what) || c->family ==
			    CLIENT_REDIS))
		strbuf_addf(&sb, "%.*s", (int)what.n, what.s);
	free(sql);
	if (db.n && client_word_ok(&db))
		strbuf_addf(&sb, "%s%.*s", sb.len ? " in " : "", (int)db.n,
			    db.s);
	if (host.n && client_word_ok(&host))
		strbuf_addf(&sb, "%s%.*s", sb.len ? " on " : "", (int)host.n,
			    host.s);
	if (!sb.len) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* What the operator types to run a destructive command: the ${NAME} it
 * uses that says what is at stake (a version, a tag, a release), as the
 * piece of its word that names it ("@acme/sdk@${GOOD_VERSION}"), never a
 * secret, a place or a ticket; else the destructive words without where
 * they act, and the word after them that says what ("kubectl rollout undo
 * deployment/web"); the most destructive command of a script, its SQL
 * statement when it runs one ("drop database app"). NULL when CMD is
 * not destructive. */
/* The workspace "terraform state push" of CMD overwrites, from the
 * script's own TF_WORKSPACE or "terraform workspace select", as the
 * confirmation ("state of workspace prod"); NULL when CMD pushes no
 * state or names no workspace. Caller frees. */
static char *
state_push_confirm(const char *cmd)
{
	const char *p, *ws = NULL;
	size_t n;

	if (!strstr(cmd, "terraform state push"))
		return NULL;
	if ((p = strstr(cmd, "TF_WORKSPACE=")))
		ws = p + strlen("TF_WORKSPACE=");
	else if ((p = strstr(cmd, "terraform workspace select ")))
		ws = p + strlen("terraform workspace select ");
	if (!ws)
		return NULL;
	ws += strspn(ws, "\"'");
	n = strcspn(ws, " \t\n;&|\"'");
	return n ? xasprintf("state of workspace %.*s", (int)n, ws) : NULL;
}

static char *
destructive_confirm(const char *cmd)
{
	const char *s, *e, *h;
	struct cword w[64];
	char *var;
	int score = 0;

	if (!hazard_find(HAZARD_DESTRUCTIVE, cmd, &s, &e))
		return NULL;
	if ((var = state_push_confirm(cmd)))
		return var;
	h = command_start(cmd, s);
	e = e > s ? e : s + strcspn(s, " \t\n");
	if ((var = target_var(w, command_words(h, w, 64, NULL), &score)))
		return with_object(var, h, e);
	if ((var = client_confirm(h, s)))
		return var;
	if ((var = sql_confirm(h, s)))
		return var;
	if ((var = target_var_anywhere(cmd)))
		return with_object(var, h, e);
	return with_place(target_words(h, e), cmd, h);
}

/* "${NAME}" of the first variable RUN uses that says what is at stake
 * (not a place, a ticket or a secret), or NULL. Caller frees. */
static char *
value_var_of(const char *run)
{
	for (const char *p = strstr(run, "${"); p; p = strstr(p + 2, "${")) {
		size_t n = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		char *name;

		if (!n || p[2 + n] != '}')
			continue;
		name = xstrndup(p + 2, n);
		if (!hazard_where_name(name) && !hazard_ticket_name(name) &&
		    !is_secret_name(name)) {
			char *v = xasprintf("${%s}", name);

			free(name);
			return v;
		}
		free(name);
	}
	return NULL;
}

/* The confirmation of a command not known to be read-only, WHAT being
 * its first such simple command in RUN: its target as for a destructive
 * one, after the command's name and subcommand words. */
static char *
unknown_confirm(const char *run, const char *what)
{
	const char *h = strstr(run, what), *end;
	struct cword w[64];
	size_t n, i = 1;
	int verbs = 0, score = 0;
	char *var;

	h = h ? h : what;
	n = command_words(h, w, 64, NULL);
	end = n ? w[0].s + w[0].n : h;
	while (i < n && verbs < 2) {	/* "aws route53 change-...-sets" */
		if (word_is(&w[i], where_opts)) {
			i += 2;
			continue;
		}
		if (!is_clean_word(&w[i]) && !word_is(&w[i], remotes))
			break;
		if (strspn(w[i].s, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    w[i].n)
			break;
		end = w[i].s + w[i].n;
		verbs++;
		i++;
	}
	if ((var = target_var(w, n, &score)) ||
	    (var = target_var_anywhere(run)))
		return with_object(var, h, end);
	if ((var = hazard_file_written(what))) {
		char *used = value_var_of(run);

		if (used) {	/* a value written into the file */
			free(var);
			return used;
		}
		return var;	/* "cat > note.txt": the file it writes */
	}
	return with_place(target_words(h, end), run, h);
}

/* "90s", "10m": a timeout as the playbook writes it. */
static char *
duration_text(int64_t us)
{
	int64_t s = us / 1000000;

	return s % 60 ? xasprintf("%llds", (long long)s)
		      : xasprintf("%lldm", (long long)(s / 60));
}

/* A review point on the command's line when CONFIRM, the confirmation
 * of step ST running RUN, names no target: by the rule lint warns by. */
static void
review_no_target(struct imp *im, const cJSON *st, const char *run,
		 const char *confirm)
{
	if (hazard_confirm_names_target(run, confirm))
		return;
	add_review(im, im->run_line, st, "the confirmation \"%s\" names no "
		   "target: make it name what the command acts on (the "
		   "deployment, release, workspace or version, e.g. "
		   "\"deployment/web in prod\")", confirm);
}

/* Destructive (with its confirmation), interactive and timeout, from the
 * rules lint checks with. */
static void
mark_hazards(struct imp *im, cJSON *st, const char *run)
{
	char *confirm = destructive_confirm(run);
	int64_t timeout = hazard_timeout_us(run);

	if (confirm) {
		char *file = hazard_file_written(run);

		cJSON_AddBoolToObject(st, "destructive", 1);
		cJSON_AddStringToObject(st, "confirm", confirm);
		review_no_target(im, st, run, confirm);
		if (file && (file[0] == '~' || strstr(file, "HOME")))
			add_review(im, im->run_line, st, "the command overwrites "
				   "%s in the home directory of whoever runs "
				   "the step (a login or a config of their "
				   "own): check it belongs in the walk and not "
				   "only in CI", file);
		free(file);
		free(confirm);
		im->n_destructive++;
	}
	if (hazard_find(HAZARD_INTERACTIVE, run, NULL, NULL))
		cJSON_AddBoolToObject(st, "interactive", 1);
	if (timeout > 0) {
		char *t = duration_text(timeout);

		cJSON_AddStringToObject(st, "timeout", t);
		free(t);
	}
}

/* What a drill shows for a command: the output the runbook promises in a
 * comment ("# Expected: ...", "# Should show: ..."), else a line saying
 * the command was not run. */
static void
add_drill(cJSON *st, const char *cmd, const char *note, const char *given)
{
	static const char *const keys[] = { "expected output:", "expected:",
					    "should show:", "output:", NULL };
	cJSON *drill = cJSON_AddObjectToObject(st, "drill");
	char *out = given && *given ? xstrdup(given) : NULL;

	for (const char *l = note; l && *l && !out; l = strchr(l, '\n')) {
		l += *l == '\n';
		for (size_t k = 0; keys[k] && !out; k++)
			if (strncasecmp(l, keys[k], strlen(keys[k])) == 0) {
				const char *v = l + strlen(keys[k]);

				out = trim_dup(v, strcspn(v, "\n"));
			}
	}
	if (!out || !*out) {
		free(out);
		out = xasprintf("[drill] not run: %.*s", (int)strcspn(cmd, "\n"),
				cmd);
	}
	cJSON_AddStringToObject(drill, "output", out);
	cJSON_AddNumberToObject(drill, "exit", 0);
	cJSON_AddStringToObject(drill, "duration", "1s");
	free(out);
}

/* $NAME, which an earlier step assigns: the step being made needs that
 * assignment (each step runs in its own shell), never an input. */
static int
carried_var(struct imp *im, const char *name, size_t n)
{
	for (size_t i = im->n_assigns; i-- > 0;) {
		if (strlen(im->assigns[i].name) != n ||
		    strncmp(im->assigns[i].name, name, n) != 0)
			continue;
		for (size_t k = 0; k < im->n_carry; k++)
			if (im->carry[k] == i)
				return 1;
		im->carry = xrealloc(im->carry, (im->n_carry + 1) *
				     sizeof(*im->carry));
		im->carry[im->n_carry++] = i;
		return 1;
	}
	return 0;
}

/* The name LINE assigns ("NAME=...", "export NAME=..."), on one line of
 * its own, or NULL. Caller frees. */
static char *
assigned_name(const char *line)
{
	struct sh_scan sc = { 0 };
	const char *p = line + strspn(line, " \t");
	size_t n;

	if (strncmp(p, "export ", 7) == 0 || strncmp(p, "readonly ", 9) == 0)
		p += strcspn(p, " ") + 1;
	p += strspn(p, " \t");
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_");
	if (!n || p[n] != '=' || isdigit((unsigned char)*p))
		return NULL;
	sh_feed(&sc, line, strlen(line));
	return sh_closed(&sc) ? xstrndup(p, n) : NULL;
}

/* Remember the one-line assignments of RUN, the command of step ST
 * before anything carried was put first, so a later step that reads the
 * value can carry them. An export of the script itself (not inside an
 * if or a loop: not indented) is the environment the runbook runs its
 * later steps in: they carry it too (carry_exports), unless its value
 * runs a command, which the draft does not run again; a review point on
 * ST says which. */
static void
record_assignments(struct imp *im, const char *run, const cJSON *st)
{
	size_t n;
	char **lines = split_text_lines(run, &n);

	for (size_t k = 0; k < n; k++) {
		char *name = assigned_name(lines[k]);
		const char *line = lines[k] + strspn(lines[k], " \t");
		struct imp_assign *a;

		if (!name)
			continue;
		im->assigns = xrealloc(im->assigns, (im->n_assigns + 1) *
				       sizeof(*im->assigns));
		a = &im->assigns[im->n_assigns++];
		a->name = name;
		a->line = xstrdup(line);
		a->step = xstrdup(jstr(st, "id"));
		a->when = NULL;
		a->exported = 0;
		if (line != lines[k] || strncmp(line, "export ", 7) != 0)
			continue;
		if (strstr(line, "$(") || strchr(line, '`')) {
			add_review(im, im->run_line, st, "`%.120s`: the runbook "
				   "runs the steps after this one with $%s set, "
				   "and each step runs in its own shell: the draft "
				   "does not run the command of its value again, so "
				   "later steps do not have it; declare %s as an "
				   "input (or set it in each step that needs it)",
				   line, name, name);
			continue;
		}
		a->exported = 1;
		a->when = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(st,
							"when"), 1);
		add_review(im, im->run_line, st, "`%.120s`: the runbook runs the "
			   "steps after this one with $%s set, and each step "
			   "runs in its own shell: the draft starts each later "
			   "step on its path that may read it (names it, runs a "
			   "tool or a program of the project that reads it) with "
			   "this line; check the others do not need it", line, name);
	}
	free_lines(lines, n);
}

/* Whether the values a condition A and a condition B ask of one
 * variable can both hold (a string or a list of strings each). */
static int
values_meet(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (cJSON_IsString(a) && cJSON_IsString(b))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsString(a))
		return values_meet(b, a);
	cJSON_ArrayForEach(x, a)
		if (cJSON_IsString(b) ? values_meet(x, b) : 0)
			return 1;
		else if (cJSON_IsArray(b))
			cJSON_ArrayForEach(y, b)
				if (values_meet(x, y))
					return 1;
	return 0;
}

/* Steps with conditions A and B can both run on one path. */
static int
whens_meet(const cJSON *a, const cJSON *b)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, a) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, k->string);

		if (v && !values_meet(k, v))
			return 0;
	}
	return 1;
}

/* RUN, of step ST, started with the exports of earlier steps on its
 * path (the last of each name; none the step makes itself or already
 * carries): each step runs in its own shell, and the runbook's later
 * commands rely on them (PGHOST for psql, TF_WORKSPACE for terraform). */
static void
carry_exports(const struct imp *im, const cJSON *st, const char *own,
	      struct strbuf *run)
{
	struct strbuf pre = STRBUF_INIT;
	const cJSON *when = cJSON_GetObjectItemCaseSensitive(st, "when");

	for (size_t i = 0; i < im->n_assigns; i++) {
		const struct imp_assign *a = &im->assigns[i];
		char *set = xasprintf("%s=", a->name);
		int later = 0;

		for (size_t j = i + 1; j < im->n_assigns && !later; j++)
			later = im->assigns[j].exported &&
				strcmp(im->assigns[j].name, a->name) == 0;
		if (a->exported && !later && whens_meet(a->when, when) &&
		    hazard_reads_env(own, a->name) &&
		    !strstr(own, set) && !strstr(strbuf_str(&pre), a->line))
			strbuf_addf(&pre, "%s\n", a->line);
		free(set);
	}
	if (pre.len && !strstr(strbuf_str(run), strbuf_str(&pre))) {
		strbuf_adds(&pre, strbuf_str(run));
		strbuf_reset(run);
		strbuf_adds(run, strbuf_str(&pre));
	}
	strbuf_done(&pre);
}

/* RUN with the assignments it carries from earlier steps put first, and
 * a review point saying so on ST. */
static void
carry_assignments(struct imp *im, struct strbuf *run)
{
	struct strbuf pre = STRBUF_INIT;

	for (size_t k = 0; k < im->n_carry; k++)
		strbuf_addf(&pre, "%s\n", im->assigns[im->carry[k]].line);
	strbuf_adds(&pre, strbuf_str(run));
	strbuf_reset(run);
	strbuf_adds(run, strbuf_str(&pre));
	strbuf_done(&pre);
}

static void
review_carried(struct imp *im, cJSON *st)
{
	for (size_t k = 0; k < im->n_carry; k++) {
		const struct imp_assign *a = &im->assigns[im->carry[k]];

		add_review(im, 0, st, "$%s is set by step %s, and each step runs "
			   "in its own shell: the draft sets it again here with "
			   "the same line; check it still gives the value meant",
			   a->name, a->step);
	}
	im->n_carry = 0;
}

/* The directory of a "cd DIR" that starts LINE (no indentation: not
 * inside a block), or NULL; "~" for a bare "cd". Caller frees. */
static char *
cd_target(const char *line)
{
	const char *p = line + 2, *e;

	if (strncmp(line, "cd", 2) != 0 || (*p && !strchr(" \t;&|", *p)))
		return NULL;
	p += strspn(p, " \t");
	if (!*p || strchr(";&|", *p))
		return xstrdup("~");
	if (*p == '"' || *p == '\'') {
		e = strchr(p + 1, *p);
		return e ? xstrndup(p, (size_t)(e + 1 - p)) : NULL;
	}
	e = p + strcspn(p, " \t;&|)");
	if (e == p || (e - p == 1 && *p == '-'))
		return NULL;
	return xstrndup(p, (size_t)(e - p));
}

static int
absolute_dir(const char *dir)
{
	const char *d = dir + (*dir == '"' || *dir == '\'');

	return *d == '/' || *d == '~' || strncmp(d, "$HOME", 5) == 0 ||
	       strncmp(d, "${HOME}", 7) == 0;
}

/* The cd chain CHAIN (NULL: none) after the cds that start lines of RUN;
 * *LAST gets the last directory met (NULL: none). Caller frees both. */
static char *
follow_cds(const char *chain, const char *run, char **last)
{
	size_t n;
	char **lines = split_text_lines(run, &n);
	char *out = chain ? xstrdup(chain) : NULL;

	*last = NULL;
	for (size_t k = 0; k < n; k++) {
		char *dir = cd_target(lines[k]), *next;

		if (!dir)
			continue;
		if (out && !absolute_dir(dir))
			next = xasprintf("%s && cd %s", out, dir);
		else
			next = xasprintf("cd %s", dir);
		free(out);
		out = next;
		free(*last);
		*last = dir;
	}
	free_lines(lines, n);
	return out;
}

/* The cd chain of the sections the current one belongs with: a section
 * about staging (its heading or its opening words say so) has a chain
 * of its own, so a staging section's cd never reaches the production
 * steps after it, nor the production cd a staging step. */
static void
cd_family(struct imp *im)
{
	int want = im->staging_line;
	char *chain = im->cd_chain;
	cJSON *when = im->cd_when;
	int family = im->cd_family;

	if (family == want)
		return;
	if (im->alt_family == want && (im->alt_chain || !want)) {
		im->cd_chain = im->alt_chain;
		im->cd_when = im->alt_when;
	} else {
		free(im->alt_chain);
		cJSON_Delete(im->alt_when);
		im->cd_chain = NULL;
		im->cd_when = NULL;
	}
	im->alt_chain = chain;
	im->alt_when = when;
	im->alt_family = family;
	im->cd_family = want;
}

/* A step with condition LATER runs only on paths where a step with
 * condition EARLIER runs: each variable EARLIER asks, LATER asks too, of
 * a value EARLIER allows. The cd of an iOS option's script is on no
 * Android path, though "both" runs the two. */
static int
when_covers(const cJSON *earlier, const cJSON *later)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, earlier) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(later,
								  k->string);

		if (!v || !values_meet(k, v))
			return 0;
	}
	return 1;
}

/* RUN, of step ST, started with the cds an earlier step on its path left
 * the shell in: a line of its own before a script, "cd DIR && " before
 * one command. A cd of a sibling option's step stays on that option. */
static void
carry_cd(const struct imp *im, const cJSON *st, struct strbuf *run)
{
	char *body;

	if (!when_covers(im->cd_when, cJSON_GetObjectItemCaseSensitive(st,
								       "when")))
		return;
	body = xstrdup(strbuf_str(run));

	strbuf_reset(run);
	if (strchr(body, '\n'))
		strbuf_addf(run, "%s || exit 1\n%s", im->cd_chain, body);
	else
		strbuf_addf(run, "%s && %s", im->cd_chain, body);
	free(body);
}

/* After step ST, whose command RUN (before any carried cd) may change
 * directory: the later steps start in that directory, and a review
 * point on ST says so. */
static void
record_cd(struct imp *im, const cJSON *st, const char *run)
{
	const cJSON *when = st ? cJSON_GetObjectItemCaseSensitive(st, "when")
			       : NULL;
	int on_path;
	char *last, *chain;

	cd_family(im);
	on_path = when_covers(im->cd_when, when);
	chain = follow_cds(on_path ? im->cd_chain : NULL, run, &last);

	if (!last) {
		free(chain);
		return;
	}
	free(im->cd_chain);
	im->cd_chain = chain;
	cJSON_Delete(im->cd_when);
	im->cd_when = when ? cJSON_Duplicate(when, 1) : NULL;
	add_review(im, im->run_line, st, "`cd %s`: the runbook runs the steps "
		   "after this one in %s, and each step runs in its own shell: "
		   "the draft starts every later step with `%s`, until the next "
		   "cd; check each of them is meant to run there", last, last,
		   chain);
	free(last);
}

/* Prose or an item B that tells the operator to change directory in
 * inline code ("From the repository root, `cd infra/edge`."): the later
 * steps run there, as after a fenced cd. */
static void
prose_cd(struct imp *im, const struct md_block *b)
{
	for (const char *p = strchr(b->text, '`'); p; ) {
		const char *e = strchr(p + 1, '`');
		char *code, *dir;

		if (!e)
			return;
		code = trim_dup(p + 1, (size_t)(e - p - 1));
		dir = strpbrk(code, ";&|\n") ? NULL : cd_target(code);
		if (dir) {
			im->run_line = b->line;
			record_cd(im, NULL, code);
			im->run_line = 0;
		}
		free(dir);
		free(code);
		p = strchr(e + 1, '`');
	}
}

/* Step ST runs RUN, which a section before the approval holds but which
 * is not known to only read (WHAT is its first such command): it waits
 * for the approval in execute, with a confirmation naming its target. */
static void
gate_unknown(struct imp *im, cJSON *st, const char *run, const char *what,
	     int moved)
{
	char *confirm = unknown_confirm(run, what);
	size_t n = strcspn(what, "\n");

	cJSON_AddBoolToObject(st, "destructive", 1);
	cJSON_AddStringToObject(st, "confirm", confirm);
	review_no_target(im, st, run, confirm);
	im->n_destructive++;
	if (moved)
		add_review(im, im->run_line, st, "`%.*s%s` is not known to be "
			   "read-only: placed after the approval, with a "
			   "confirmation; if it only reads, move it back before "
			   "the approval and drop \"destructive\"",
			   (int)(n > 120 ? 120 : n), what, n > 120 ? "..." : "");
	else
		add_review(im, im->run_line, st, "`%.*s%s` is not known to be "
			   "read-only: it waits for the approval and asks a "
			   "typed confirmation; if it only reads, drop "
			   "\"destructive\"",
			   (int)(n > 120 ? 120 : n), what, n > 120 ? "..." : "");
	free(confirm);
}

/* A review point for a step whose quoted here-document (<<'EOF') the
 * draft unquoted so the shell expands the variables it put there. */
static void
review_unquoted(struct imp *im, const cJSON *st, const char *cmd)
{
	add_review(im, im->run_line, st, "`%.*s`: the runbook quotes the "
		   "here-document's delimiter, so the shell would write %s "
		   "into the file as those very characters; the draft "
		   "unquotes the delimiter and escapes the body's other $, ` "
		   "and \\ so that only %s expands: check the file it writes",
		   (int)strcspn(cmd, "\n"), cmd,
		   strbuf_str(&im->unquoted_vars),
		   strbuf_str(&im->unquoted_vars));
}

/* A run step; a destructive command never lands before the approval
 * gate: a section before it (assess, decide, a scenario or
 * troubleshooting section) hands it to execute. */
static cJSON *
add_run_step(struct imp *im, const char *title, const char *cmd)
{
	struct strbuf run = STRBUF_INIT;
	cJSON *st;
	enum phase_id saved = im->phase;
	int saved_auto = im->phase_auto;
	int moved = 0, unknown_moved = 0;
	char *unknown = NULL, *own;

	im->n_carry = 0;
	im->n_unquoted = 0;
	strbuf_reset(&im->unquoted_vars);
	rewrite_placeholders(im, cmd, 1, &run);
	own = xstrdup(strbuf_str(&run));
	if (im->n_carry)
		carry_assignments(im, &run);
	if (hazard_find(HAZARD_DESTRUCTIVE, strbuf_str(&run), NULL, NULL) &&
	    (content_phase(im) < PHASE_EXECUTE || im->phase_auto)) {
		moved = content_phase(im) != PHASE_EXECUTE;
		im->phase = PHASE_EXECUTE;
		im->phase_auto = 0;
	} else if (!hazard_find(HAZARD_DESTRUCTIVE, strbuf_str(&run), NULL,
				NULL) &&
		   !hazard_read_only(strbuf_str(&run), &unknown) &&
		   (content_phase(im) < PHASE_EXECUTE || im->phase_auto)) {
		/* Only reads run before the approval: a command written
		 * before it waits for it. In a section no phase word
		 * places, a command that may change something acts: it
		 * executes, never verifies after the other changes. */
		unknown_moved = content_phase(im) < PHASE_EXECUTE;
		im->phase = PHASE_EXECUTE;
		im->phase_auto = 0;
	}
	st = add_step(im, STEP_KIND_RUN, title);
	im->phase = saved;
	im->phase_auto = saved_auto;
	cd_family(im);
	if (im->cd_chain)
		carry_cd(im, st, &run);
	carry_exports(im, st, own, &run);
	cJSON_AddStringToObject(st, "run", strbuf_str(&run));
	mark_hazards(im, st, strbuf_str(&run));
	if (im->n_unquoted)
		review_unquoted(im, st, cmd);
	if (moved && !saved_auto && saved < PHASE_EXECUTE)
		add_review(im, 0, st, "a destructive command in a section "
			   "before the approval (%s) was moved to execute, "
			   "behind the approval",
			   playbook_phase_name(saved));
	if (unknown)
		gate_unknown(im, st, strbuf_str(&run), unknown, unknown_moved);
	free(unknown);
	review_carried(im, st);
	record_assignments(im, own, st);
	record_cd(im, st, own);
	free(own);
	strbuf_done(&run);
	return st;
}

static int
is_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

static char *
first_line_of(const char *text)
{
	const char *nl = strchr(text, '\n');
	char *t = nl ? xstrndup(text, (size_t)(nl - text)) : xstrdup(text);

	cap_utf8(t, 72);
	return t;
}

/* Words of a comment or a lead-in that make its command conditional:
 * "# If needed, restore from backup", "Force update if needed", "Set
 * the token first if you are not logged in". */
static int
says_conditional(const char *text)
{
	static const char *const words[] = { "if needed", "if necessary",
		"if required", "if appropriate", "if applicable", "if desired",
		"when needed", "as needed", "where needed", "if you are not",
		"if you aren't", "if you're not", "if you have not",
		"if you haven't", "if not already", "optionally",
		"(optional)", "optional:", NULL };

	return text && has_word(text, words);
}

/* Step ST runs a command its comment or lead-in TEXT makes conditional:
 * never required, and a review point quotes the condition. */
static void
conditional_step(struct imp *im, cJSON *st, const char *text, int line)
{
	size_t n = strcspn(text, "\n");

	mark_not_required(st);
	add_review(im, line, st, "the runbook makes this step conditional "
		   "(\"%.*s%s\"): the draft makes it optional; do it only when "
		   "that holds, or make it a decide step that asks",
		   (int)(n > 100 ? 100 : n), text, n > 100 ? "..." : "");
	if (has_word(text, (const char *const[]){ " first", "beforehand",
						   NULL }))
		add_review(im, line, st, "the runbook says to do this step "
			   "first (\"%.*s%s\"): move it before the steps it "
			   "must precede", (int)(n > 100 ? 100 : n), text,
			   n > 100 ? "..." : "");
}

static void
shell_cmd_step(struct imp *im, struct sh_cmd *c, char **leadin)
{
	cJSON *st;
	char *title;

	if (c->is_check) {
		st = add_step(im, STEP_KIND_CHECK, c->title);
		append_note(st, strbuf_str(&c->note));
		return;
	}
	if (c->title)
		title = xstrdup(c->title);
	else if (*leadin) {
		title = *leadin;
		*leadin = NULL;
	} else
		title = first_line_of(strbuf_str(&c->text));
	if (is_blank(strbuf_str(&c->text))) {
		free(title);
		return;
	}
	if (c->example && im->last && jstr(im->last, "run")) {
		/* literal values: read, never run in a walk */
		char *note = xasprintf("Example from the runbook (line %d), with "
				       "literal values:\n%s", c->line,
				       strbuf_str(&c->text));

		append_note(im->last, note);
		free(note);
		free(title);
		return;
	}
	im->run_line = c->line;
	st = add_run_step(im, title, strbuf_str(&c->text));
	im->run_line = 0;
	if (says_conditional(title))
		conditional_step(im, st, title, c->line);
	else if (says_conditional(strbuf_str(&c->note)))
		conditional_step(im, st, strbuf_str(&c->note), c->line);
	if (c->example) {
		mark_not_required(st);
		append_note(st, "An example from the runbook with literal "
			    "values: run it only if they are the ones you "
			    "need.");
	}
	append_note(st, strbuf_str(&c->note));
	add_drill(st, strbuf_str(&c->text), strbuf_str(&c->note), NULL);
	free(title);
}

/* TEXT after its leading comment and blank lines. */
static const char *
skip_comments(const char *text)
{
	const char *p = text;

	for (;;) {
		const char *t = p + strspn(p, " \t");

		if (*t != '#' && *t != '\n')
			return t;
		p = strchr(t, '\n');
		if (!p)
			return t + strlen(t);
		p++;
	}
}

/* Words that start a UI instruction or prose, never a command here. */
static const char *const prose_verbs[] = {
	"click", "tap", "select", "navigate", "press", "choose", "go", "then",
	"ensure", "verify", "confirm", "check", "open", "log", "sign", "wait",
	"in", "on", "under", "from", "if", "note", "step", NULL,
};

/* Shell words that may start a command line. */
static const char *const shell_starts[] = {
	"if", "for", "while", "until", "case", "do", "done", "then", "else",
	"elif", "fi", "esac", "function", "!", "{", "}", "[", "[[", "time",
	"wait", "open", NULL,
};

/* Words that are English, never a command's arguments. */
static const char *const function_words[] = {
	"the", "a", "an", "to", "for", "of", "and", "are", "is", "be", "all",
	"until", "that", "this", "your", "you", "then", "when", "before",
	"after", "with", "it", "them", "their", "into", "sure", "each",
	"every", "once", "should", "must", "will", "can", "have", "has",
	"been", "were", "was", "not", "again", "up", NULL,
};

/* Words that start an instruction to a person. */
static const char *const prose_starts[] = {
	"wait", "then", "make", "ensure", "verify", "check", "confirm", "now",
	"next", "repeat", "note", "once", "when", "after", "before", "keep",
	"look", "see", "go", "open", "log", "sign", "click", "tap", "select",
	"navigate", "press", "choose", "run", "do", "if", "watch", "let",
	"give", "ask", "tell", "notify", "expect", "you", "we", NULL,
};

/* Commands whose arguments are free text. */
static const char *const text_commands[] = {
	"echo", "printf", "logger", "say", "read", "notify-send", "wall",
	NULL,
};

/* Token T (N bytes) of a line is a plain word: letters, digits, inner
 * hyphens or apostrophes, trailing punctuation; or a <placeholder>. */
static int
is_plain_word(const char *t, size_t n)
{
	if (n >= 2 && t[0] == '<' && t[n - 1] == '>')
		return 1;
	while (n && strchr(".,:;!?)", t[n - 1]))
		n--;
	if (n && t[0] == '(') {
		t++;
		n--;
	}
	if (!n || !isalpha((unsigned char)t[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '-' && t[i] != '\'')
			return 0;
	return 1;
}

/* LINE reads as a sentence for a person ("Then wait for the pods to
 * restart", "make sure all pods are Running"), never as a command: plain
 * words only, at least three, with English function words. */
static int
reads_as_prose(const char *line)
{
	const char *p = line + strspn(line, " \t");
	char first[24] = "";
	int n = 0, fw = 0;
	size_t len = strlen(p);

	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	for (const char *t = p; t < p + len;) {
		size_t k = strcspn(t, " \t");
		char w[24];

		if (k > (size_t)(p + len - t))
			k = (size_t)(p + len - t);
		if (!is_plain_word(t, k))
			return 0;
		snprintf(w, sizeof(w), "%.*s", (int)strcspn(t, " \t.,:;!?"), t);
		for (char *c = w; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (n++ == 0)
			memcpy(first, w, sizeof(first));
		else
			fw += in_list(w, function_words, 0);
		t += k;
		t += strspn(t, " \t");
	}
	if (n < 3 || in_list(first, text_commands, 0))
		return 0;
	return fw >= 2 || (fw >= 1 && (isupper((unsigned char)*p) ||
					in_list(first, prose_starts, 0)));
}

/* Does LINE (a command's first line) read as a shell command? A command
 * word is lower case (or a path, an assignment, a shell keyword); chat
 * messages, flowcharts, numbered or UI instructions are not. */
static int
looks_like_shell(const char *line)
{
	const char *p = line + strspn(line, " \t");
	size_t n = strcspn(p, " \t");
	char word[32];
	int is_verb;

	if (reads_as_prose(p))
		return 0;
	if (strstr(p, "-->") || strstr(p, "==>") || strstr(p, "\xe2\x86\x92") ||
	    strstr(p, "\xe2\x94") || strstr(p, "\xe2\x96"))
		return 0;	/* arrows and box drawing: a flowchart */
	if (!*p || n >= sizeof(word))
		return n >= sizeof(word) && strchr("./~$", *p) != NULL;
	memcpy(word, p, n);
	word[n] = '\0';
	if (strchr("./~$(", word[0]) && n > 1 && word[n - 1] != '.' &&
	    word[n - 1] != ')')
		return 1;
	if (in_list(word, shell_starts, 0))
		return 1;
	if (strchr(word, '=') && (isupper((unsigned char)word[0]) ||
				  islower((unsigned char)word[0]) ||
				  word[0] == '_'))
		return strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "abcdefghijklmnopqrstuvwxyz0123456789_") ==
		       (size_t)(strchr(word, '=') - word);
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)word[i]) ||
		      isdigit((unsigned char)word[i]) || strchr("_.+-/", word[i])))
			return 0;
	if (!islower((unsigned char)word[0]) || word[n - 1] == '.' ||
	    word[n - 1] == ':')
		return 0;
	is_verb = in_list(word, prose_verbs, 0);
	/* "open https://...", "wait 30" are commands; "click Deploy" is not */
	return !is_verb || (p[n] == ' ' && !isupper((unsigned char)p[n + 1]) &&
			    strncmp(p + n + 1, "the ", 4) != 0 &&
			    strncmp(p + n + 1, "to ", 3) != 0 &&
			    strncmp(p + n + 1, "on ", 3) != 0);
}

/* A command that changes the shell's own state, which later commands of
 * the same block rely on. */
static int
sets_shell_state(const char *cmd)
{
	static const char *const words[] = {
		"cd", "pushd", "popd", "export", "set", "source", ".", "unset",
		"alias", "read", "trap", "shopt", "umask", "declare", "local",
		"readonly", NULL,
	};
	const char *p = cmd + strspn(cmd, " \t");
	size_t n = strcspn(p, " \t;&|\n");
	char word[16];

	if (n < sizeof(word)) {
		memcpy(word, p, n);
		word[n] = '\0';
		if (in_list(word, words, 0))
			return 1;
	}
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_");
	if (n && p[n] == '=' && !isdigit((unsigned char)*p))
		return 1;	/* an assignment */
	return strstr(p, "() {") || strstr(p, "(){") ||
	       strncmp(p, "function ", 9) == 0;
}

/* The block is one script: its commands share the shell's state. */
static int
is_script(const struct sh_split *sp)
{
	size_t n_cmds = 0;
	int shared = 0;

	for (size_t i = 0; i < sp->n; i++) {
		if (sp->cmds[i].is_check)
			continue;
		n_cmds++;
		shared |= sets_shell_state(strbuf_str(&sp->cmds[i].text));
	}
	return n_cmds > 1 && shared;
}

/* A script: the block as one run step, comments and all, so a value one
 * line sets reaches the next. */
/* The text of block B without its lines that read as prose (a command
 * of one line the runbook meant for a person): each becomes a note of
 * the step, with a review point. Caller frees. */
static char *
script_without_prose(struct imp *im, const struct md_block *b,
		     const struct sh_split *sp, struct strbuf *notes)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	char **lines = split_text_lines(b->text, &n);
	char *text;

	for (size_t k = 0; k < n; k++) {
		int line = b->body_line + (int)k, prose = 0;

		for (size_t i = 0; i < sp->n && !prose; i++)
			prose = sp->cmds[i].line == line && !sp->cmds[i].is_check &&
				!strchr(strbuf_str(&sp->cmds[i].text), '\n') &&
				reads_as_prose(strbuf_str(&sp->cmds[i].text));
		if (!prose) {
			strbuf_addf(&sb, "%s\n", lines[k]);
			continue;
		}
		strbuf_addf(notes, "%s%s", notes->len ? "\n" : "", lines[k] +
			    strspn(lines[k], " \t"));
		add_review(im, line, NULL, "a line of a shell block reads as "
			   "text, kept as a note: %.80s", lines[k] +
			   strspn(lines[k], " \t"));
	}
	free_lines(lines, n);
	text = trim_dup(strbuf_str(&sb), sb.len);
	strbuf_done(&sb);
	return text;
}

/* The first line of script TEXT that changes things (destructive, else
 * not known to be read-only), or NULL when it only reads. Caller frees. */
static char *
what_changes(const char *text)
{
	const char *s, *e;
	char *what = NULL, *line;

	if (hazard_find(HAZARD_DESTRUCTIVE, text, &s, &e)) {
		while (s > text && s[-1] != '\n')
			s--;
		return first_line_of(s + strspn(s, " \t"));
	}
	if (hazard_read_only(text, &what))
		return NULL;
	line = what ? first_line_of(what) : NULL;
	free(what);
	return line;
}

/* Whether script TEXT sets the shell's error handling itself ("set -e",
 * "set -euo pipefail", "set +e", "set -o errexit") or tests a command's
 * $? to handle its failure (a script "set -e" would end before its
 * test). */
static int
handles_failure(const char *text)
{
	if (strstr(text, "$?") || strstr(text, "errexit"))
		return 1;
	for (const char *p = strstr(text, "set "); p;
	     p = strstr(p + 1, "set ")) {
		const char *o = p + 4;

		if (p > text && !strchr(" \t\n;&|(", p[-1]))
			continue;
		o += strspn(o, " \t");
		if ((*o == '-' || *o == '+') &&
		    memchr(o, 'e', strcspn(o, " \t\n;&|")))
			return 1;
	}
	return 0;
}

/* A script the draft keeps whole runs in one shell, which goes on after
 * a failing command: a failed "git revert" would go on to "terraform
 * plan" and "apply". The draft starts it with "set -e", so the step
 * stops at its first failing command and fails (an if's or a while's
 * condition, a command left of && or ||, may still fail: the shell
 * tests it). A script that sets its own error handling or tests $? is
 * left as written: "set -e" would end it before its own test runs. */
static void
stop_at_first_failure(struct imp *im, cJSON *st, const char *text)
{
	cJSON *run = cJSON_GetObjectItemCaseSensitive(st, "run");
	char *with;

	if (!cJSON_IsString(run))
		return;
	if (handles_failure(text)) {
		if (!strstr(text, "set -e") && !strstr(text, "errexit"))
			add_review(im, 0, st, "the script tests $? itself: "
				   "the draft does not start it with set -e, so "
				   "its other commands run on after one fails; "
				   "check each failure stops it");
		return;
	}
	with = xasprintf("set -e\n%s", run->valuestring);
	cJSON_SetValuestring(run, with);
	free(with);
	append_note(st, "The draft starts the script with set -e: the step "
		    "stops at its first failing command and fails, as a "
		    "person running the runbook would stop.");
}

static void
script_step(struct imp *im, const struct md_block *b,
	    const struct sh_split *sp)
{
	char *leadin = take_leadin(im);
	const char *body = skip_comments(b->text);
	char *title = leadin ? leadin : body != b->text
		? plain_title(b->text + strspn(b->text, "# \t"))
		: first_line_of(body);
	struct strbuf prose = STRBUF_INIT;
	char *text = script_without_prose(im, b, sp, &prose);
	char *changes;
	cJSON *st;

	if (!leadin && body == b->text && (changes = what_changes(text))) {
		free(title);	/* "cd ~/src/billing" would hide a push */
		title = changes;
	}
	if (strchr(title, '\n'))
		*strchr(title, '\n') = '\0';
	im->run_line = b->body_line;
	for (const char *c = b->text; c < body; c++)
		im->run_line += *c == '\n';	/* its first command's line */
	st = add_run_step(im, title, text);
	im->run_line = 0;
	if (leadin && says_conditional(leadin))
		conditional_step(im, st, leadin, b->line);
	add_drill(st, text, NULL, NULL);
	append_note(st, "The runbook's block as one script: its commands "
		    "share the shell (variables, directory, options).");
	stop_at_first_failure(im, st, text);
	if (prose.len) {
		char *note = xasprintf("The block also says, in words:\n%s",
				       strbuf_str(&prose));

		append_note(st, note);
		free(note);
	}
	strbuf_done(&prose);
	free(title);
	free(text);
}

/* Commands of a shell block that do not read as shell become notes. */
static size_t
count_shell(const struct sh_split *sp)
{
	size_t n = 0;

	for (size_t i = 0; i < sp->n; i++)
		n += !sp->cmds[i].is_check &&
		     looks_like_shell(strbuf_str(&sp->cmds[i].text));
	return n;
}

/* Code block B as Markdown for a note, fenced with more backticks than
 * any fence inside it has, so a quoted fence cannot close it. Caller
 * frees. */
static char *
fenced(const struct md_block *b)
{
	size_t longest = 2;
	char *fence, *text;

	for (const char *l = b->text; l && *l; l = strchr(l, '\n')) {
		l += *l == '\n';
		l += strspn(l, " \t");
		if (strspn(l, "`") > longest)
			longest = strspn(l, "`");
	}
	fence = xmalloc(longest + 2);
	memset(fence, '`', longest + 1);
	fence[longest + 1] = '\0';
	text = xasprintf("%s%s\n%s%s", fence, b->info, b->text, fence);
	free(fence);
	return text;
}

static void
not_shell_note(struct imp *im, const struct md_block *b, const char *why)
{
	char *text = fenced(b);
	char *what = xasprintf("%s block that is not shell",
			       *b->info ? b->info : "untagged");

	add_pending(im, text, b->line, what, 0);
	add_review(im, b->line, NULL, "%s: kept as a note, not a command; "
		   "if the team runs it, make it a run step", why);
	free(text);
	free(what);
}

/* Whether the import is inside one option of a decision (a platform's
 * or an alternative's section): its steps carry that option's when. */
static int
on_a_path(const struct imp *im)
{
	return (im->alt >= 0 && im->alt_value) ||
	       (im->balt >= 0 && im->balt_value);
}

static cJSON *path_manual_step(struct imp *im, const char *item);
static int is_ui_step(const char *text, int after_ui);

/* Whether every line of a block is a click in a UI ("Open App Store
 * Connect", "Click \"My Apps\" then select Shopper"). */
static int
ui_lines(char **lines, size_t n)
{
	int seen = 0;

	for (size_t i = 0; i < n; i++) {
		if (is_blank(lines[i]))
			continue;
		if (!is_ui_step(lines[i], seen))
			return 0;
		seen = 1;
	}
	return seen;
}

/* A fence of text on an option's path (UI clicks written in a block, "1.
 * Open App Store Connect"): each listed line, or the whole block when it
 * lists none, is a step the operator does by hand and ticks, with the
 * option's when, so the path keeps its steps; a line under an item is
 * that item's note. Returns 1 when so. */
static int
path_text_steps(struct imp *im, const struct md_block *b)
{
	size_t n = 0;
	char **lines;
	int items = 0, clicks, ordered;
	cJSON *first = NULL, *st = NULL;

	if (!on_a_path(im) || is_blank(b->text))
		return 0;
	lines = split_text_lines(b->text, &n);
	for (size_t i = 0; i < n; i++) {
		const char *t = lines[i] + strspn(lines[i], " \t");

		items += item_marker(t, strlen(t), &ordered) > 0;
	}
	clicks = !items && ui_lines(lines, n);
	for (size_t i = 0; i < n && (items || clicks || !st); i++) {
		const char *t = lines[i] + strspn(lines[i], " \t");
		size_t m = item_marker(t, strlen(t), &ordered);

		if (!*t)
			continue;
		if (items && !m && st) {
			append_note(st, t);
			continue;
		}
		t += m;
		st = path_manual_step(im, t + strspn(t, " \t"));
		first = first ? first : st;
	}
	if (!items && !clicks) {
		char *text = fenced(b);

		append_note(st, text);
		free(text);
	}
	add_review(im, b->line, first, "the block at line %d is text on one "
		   "option's path (instructions done by hand): each of its "
		   "items is a step to tick on that path, not a command",
		   b->line);
	free_lines(lines, n);
	return 1;
}

static cJSON *
path_manual_step(struct imp *im, const char *item)
{
	cJSON *st = add_step(im, STEP_KIND_CHECK, item);

	append_note(st, "A step the runbook does by hand in a console: do it "
		    "there, then tick it here.");
	im->last_ui = st;
	return st;
}

static const char *declare_choice_var(struct imp *im, const char *name,
				      const char *pattern, const char *prompt);

/* The comment above command I offers it instead of the one before
 * ("# 3. Alternative: revert ...", "# Or: ..."). */
static int
is_inline_alternative(const struct sh_split *sp, size_t i)
{
	static const char *const words[] = { "alternative", "alternatively",
		"or ", "or:", "option b", "option 2", "option c", "option 3",
		"instead", NULL };
	char *t;
	int hit = 0;

	if (i == 0 || !sp->cmds[i].title || sp->cmds[i].is_check ||
	    sp->cmds[i - 1].is_check)
		return 0;
	t = plain_title(sp->cmds[i].title);
	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (size_t k = 0; words[k] && !hit; k++)
		hit = strncmp(t, words[k], strlen(words[k])) == 0;
	free(t);
	return hit;
}

/* Commands of one block that the runbook gives as alternatives to each
 * other: a decide step over them, and the index range they span (from,
 * returned, to *TO), or -1. */
static int
inline_alternatives(struct imp *im, const struct sh_split *sp, int line,
		    int *to)
{
	size_t i, k;
	cJSON *opts, *st;
	struct strbuf pat = STRBUF_INIT;
	enum phase_id ph = content_phase(im);

	for (i = 1; i < sp->n && !is_inline_alternative(sp, i); i++)
		;
	if (i >= sp->n)
		return -1;
	for (k = i; k + 1 < sp->n && is_inline_alternative(sp, k + 1); k++)
		;
	opts = cJSON_CreateArray();
	for (size_t j = i - 1; j <= k; j++) {
		cJSON *o = cJSON_CreateObject();
		char *id = xasprintf("alt-%zu", j - i + 2);
		char *label = sp->cmds[j].title ? plain_title(sp->cmds[j].title)
			: first_line_of(strbuf_str(&sp->cmds[j].text));

		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", label);
		cJSON_AddItemToArray(opts, o);
		strbuf_addf(&pat, "%s%s", pat.len ? "|" : "(", id);
		free(id);
		free(label);
	}
	strbuf_addc(&pat, ')');
	im->inline_var = NULL;
	st = add_step_in(im, ph < PHASE_DECIDE ? ph : PHASE_DECIDE,
			 STEP_KIND_DECIDE, "Which of the runbook's alternatives?");
	apply_alt_when(im, st);
	im->inline_var = declare_choice_var(im, "ALTERNATIVE",
					    strbuf_str(&pat),
					    "The alternative chosen");
	cJSON_AddStringToObject(st, "variable", im->inline_var);
	cJSON_AddItemToObject(st, "options", opts);
	append_note(st, "The runbook's block gives these commands as "
		    "alternatives: each runs only when chosen.");
	add_review(im, line, st, "commands of the block at line %d are "
		   "alternatives to each other: check the options", line);
	strbuf_done(&pat);
	*to = (int)k;
	return (int)i - 1;
}

/* Whether WORD (LEN bytes) occurs in TEXT as a word of its own. */
static int
has_path_word(const char *text, const char *word, size_t len)
{
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
		char before = p > text ? p[-1] : ' ', after = p[len];

		if (strchr(" \t\n=\"'(<@", before) &&
		    (!after || strchr(" \t\n\"');|&>", after)))
			return 1;
	}
	return 0;
}

/* The file CMD writes for a later command to read: ">" or ">>" into it,
 * "-out=FILE" (terraform plan), "-o FILE", "--output FILE", "tee FILE";
 * NULL when none. Caller frees. */
static char *
file_written(const char *cmd)
{
	static const char *const opts[] = { "-out=", "-out ", "--out=",
		"--output=", "--output ", "-o ", "tee -a ", "tee ", NULL };
	char *f = hazard_file_written(cmd);

	if (f)
		return f;
	for (size_t k = 0; opts[k]; k++) {
		size_t n = strlen(opts[k]);

		for (const char *p = strstr(cmd, opts[k]); p;
		     p = strstr(p + 1, opts[k])) {
			const char *v, *e;

			if (p > cmd && !strchr(" \t|", p[-1]))
				continue;
			v = p + n;
			v += strspn(v, " \t\"'");
			e = v + strcspn(v, " \t\n\"';|&)");
			/* "-o wide", "--output json": a format, no file */
			if (opts[k][0] != 't' && strncmp(opts[k], "-out", 4) != 0 &&
			    !memchr(v, '.', (size_t)(e - v)) &&
			    !memchr(v, '/', (size_t)(e - v)))
				continue;
			if (e > v && *v != '-' && *v != '$' &&
			    strncmp(v, "/dev/", 5) != 0)
				return xstrndup(v, (size_t)(e - v));
		}
	}
	return NULL;
}

/* The commands of block SP only work together, in the order written,
 * though none sets the shell's state: a later one tests an earlier one's
 * $?, or reads a file an earlier one writes (terraform plan -out=rb.plan,
 * then terraform apply rb.plan), or reads what an earlier change left (git
 * revert, then terraform plan) where the split steps would run that read
 * before the change (the change waits for the approval, the read does
 * not). Split, the $? test runs in a shell of its own (always 0) and the
 * apply applies a plan made before the revert. */
/* A copy of command T with each <NAME> placeholder (one the import makes
 * an input, a credential it took out among them) written _NAME_, so
 * its angle brackets do not read as redirections: "redis-cli -a
 * <REDIS_CLI_PASSWORD> -h cache1" writes no file "-h". Caller frees. */
static char *
without_angle_placeholders(const char *t)
{
	char *copy = xstrdup(t);

	for (char *p = copy; *p; p++) {
		const char *name;
		size_t nlen, span;

		if (*p != '<' || !(span = placeholder_at(copy, p, 1, &name,
							 &nlen)))
			continue;
		p[0] = '_';
		p[span - 1] = '_';
		p += span - 1;
	}
	return copy;
}

static int
shares_state(const struct imp *im, const struct sh_split *sp)
{
	int changed = 0, read_after = 0, n_cmds = 0;
	int fixed_before = content_phase(im) < PHASE_EXECUTE && !im->phase_auto;

	for (size_t i = 0; i < sp->n; i++) {
		const char *t = strbuf_str(&sp->cmds[i].text);
		char *file, *plain;
		int ro;

		if (sp->cmds[i].is_check || sp->cmds[i].example ||
		    !looks_like_shell(t))
			continue;
		if (n_cmds++ && strstr(t, "$?"))
			return 1;
		plain = without_angle_placeholders(t);
		file = file_written(plain);
		free(plain);
		if (file != NULL) {
			size_t len = strlen(file);
			int read = 0;

			for (size_t j = i + 1; j < sp->n && !read; j++)
				read = !sp->cmds[j].is_check &&
				       has_path_word(strbuf_str(&sp->cmds[j].text),
						     file, len);
			free(file);
			if (read)
				return 1;
		}
		ro = !hazard_find(HAZARD_DESTRUCTIVE, t, NULL, NULL) &&
		     hazard_read_only(t, NULL);
		if (ro && changed) {
			if (fixed_before)
				return 1;	/* the read stays, the change moves */
			read_after = 1;
		} else if (!ro) {
			if (read_after && im->phase_auto)
				return 1;	/* the read verifies after this */
			changed = 1;
		}
	}
	return 0;
}

static void
on_shell(struct imp *im, const struct md_block *b)
{
	struct sh_split sp = { 0 };
	char *leadin = NULL;
	int alt_from, alt_to = -1;
	const char *var;

	split_shell(b->text, b->body_line, &sp);
	if (sp.n && count_shell(&sp) == 0 && !is_blank(b->text)) {
		int checks = 0;

		for (size_t i = 0; i < sp.n; i++)
			checks += sp.cmds[i].is_check;
		if (checks < (int)sp.n && path_text_steps(im, b)) {
			split_done(&sp);
			return;
		}
		if (checks < (int)sp.n) {
			not_shell_note(im, b, "its lines read as text (a "
				       "message, a diagram or instructions)");
			split_done(&sp);
			return;
		}
	}
	if (is_script(&sp) || shares_state(im, &sp)) {
		script_step(im, b, &sp);
		split_done(&sp);
		return;
	}
	if (sp.n && !sp.cmds[0].title && !sp.cmds[0].is_check)
		leadin = take_leadin(im);
	if (sp.head.len)
		add_pending(im, strbuf_str(&sp.head), b->line, "comment", 1);
	alt_from = inline_alternatives(im, &sp, b->line, &alt_to);
	var = im->inline_var;
	im->inline_var = NULL;
	for (size_t i = 0; i < sp.n; i++) {
		struct sh_cmd *c = &sp.cmds[i];

		im->inline_var = alt_from >= 0 && (int)i >= alt_from &&
				 (int)i <= alt_to ? var : NULL;
		snprintf(im->inline_value, sizeof(im->inline_value), "alt-%d",
			 (int)i - alt_from + 1);
		if (!c->is_check && !looks_like_shell(strbuf_str(&c->text))) {
			add_pending(im, strbuf_str(&c->text), c->line,
				    "text in a shell block", 0);
			add_review(im, c->line, NULL, "a line of a shell block "
				   "reads as text, kept as a note: %.80s",
				   strbuf_str(&c->text));
			continue;
		}
		shell_cmd_step(im, c, &leadin);
	}
	im->inline_var = NULL;
	free(leadin);
	split_done(&sp);
}

static int is_output_leadin(const char *t);
static int is_sample_leadin(const char *t);
static int clear_result(const char *out);

/* A console block: "$ " lines are commands, the lines after them the
 * output the runbook shows. That output is an example, kept as a note
 * for reference: it becomes the step's expect only when the lead-in
 * says it must match ("Expected output:", "should print") and it is a
 * clear result, so a sample ("{ latest: '4.2.0' }") never fails a live
 * walk in exactly the incident it is for. */
static void
console_step(struct imp *im, const char *cmd, const char *output, int line,
	     char **leadin, int must_match)
{
	char *out = trim_dup(output, strlen(output));
	char *title;
	cJSON *st;

	if (is_blank(cmd)) {	/* a bare "$": no command to run */
		if (*out)
			add_pending(im, out, line, "console output", 1);
		free(out);
		return;
	}
	title = *leadin ? *leadin : first_line_of(cmd);
	*leadin = NULL;
	im->run_line = line;
	st = add_run_step(im, title, cmd);
	im->run_line = 0;
	if (*out) {
		int expect = must_match && clear_result(out);
		char *re = expect ? ere_escape(out) : NULL;
		char *note = xasprintf(expect ? "Expected output (from the "
				       "runbook):\n%s" : "Expected output, for "
				       "reference (from the runbook; yours may "
				       "differ):\n%s", out);

		if (expect)
			cJSON_AddStringToObject(cJSON_AddObjectToObject(st,
						"expect"), "output", re);
		append_note(st, note);
		free(re);
		free(note);
	}
	add_drill(st, cmd, NULL, out);
	free(title);
	free(out);
}

static void
on_console(struct imp *im, const struct md_block *b)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT;
	size_t n;
	char **lines = split_text_lines(b->text, &n);
	int must_match = is_output_leadin(im->leadin) &&
			 !is_sample_leadin(im->leadin);
	/* a long lead-in stays in the pending prose (take_leadin) */
	int kept = im->leadin && strlen(im->leadin) > LEADIN_TITLE_MAX;
	char *leadin = take_leadin(im);
	int have = 0, cmd_line = b->line;

	for (size_t k = 0; k < n; k++) {
		const char *l = lines[k];

		if (strncmp(l, "$ ", 2) == 0 || strcmp(l, "$") == 0) {
			if (have)
				console_step(im, strbuf_str(&cmd),
					     strbuf_str(&out), cmd_line,
					     &leadin, must_match);
			strbuf_reset(&cmd);
			strbuf_reset(&out);
			strbuf_adds(&cmd, l[1] ? l + 2 : "");
			cmd_line = b->body_line + (int)k;
			have = 1;
		} else if (have && strncmp(l, "> ", 2) == 0 && !out.len) {
			strbuf_addc(&cmd, '\n');
			strbuf_adds(&cmd, l + 2);
		} else if (have) {
			strbuf_adds(&out, l);
			strbuf_addc(&out, '\n');
		} else
			add_pending(im, l, b->body_line + (int)k, "console text",
				    1);
	}
	if (have)
		console_step(im, strbuf_str(&cmd), strbuf_str(&out), cmd_line,
			     &leadin, must_match);
	if (leadin && !kept)
		add_pending(im, leadin, b->line, "paragraph", 1);
	free(leadin);
	free_lines(lines, n);
	strbuf_done(&cmd);
	strbuf_done(&out);
}

/* A template block becomes a message step saved to a file. */
static void
add_message(struct imp *im, const char *title, const char *body,
	    const char *file)
{
	struct strbuf tpl = STRBUF_INIT;
	cJSON *st;
	char *path;

	rewrite_placeholders(im, body, 0, &tpl);
	st = add_step(im, STEP_KIND_MESSAGE, title);
	cJSON_AddStringToObject(st, "template", strbuf_str(&tpl));
	cJSON_AddStringToObject(st, "channel", "file");
	if (file && *file && !strchr(file, '/') && file[0] != '.')
		path = xstrdup(file);
	else
		path = xasprintf("%s.txt", strchr(jstr(st, "id"), '.') + 1);
	cJSON_AddStringToObject(st, "path", path);
	free(path);
	strbuf_done(&tpl);
}

/* "cat > FILE << 'EOF'" ... "EOF" as the whole command: the body is a
 * template. Returns the body (caller frees) and *FILE, or NULL. */
static char *
heredoc_template(const char *cmd, char **file)
{
	regex_t re;
	regmatch_t m[4];
	const char *nl = strchr(cmd, '\n');
	const char *last;
	char *body = NULL;

	if (!nl || regcomp(&re, "^cat +> *([^ <]+) *<<-? *['\"]?([A-Za-z_]+)"
			   "['\"]? *$", REG_EXTENDED) != 0)
		return NULL;
	{
		char *first = xstrndup(cmd, (size_t)(nl - cmd));
		char *whole = trim_dup(cmd, strlen(cmd));

		cmd = whole;
		nl = strchr(cmd, '\n');
		if (nl && regexec(&re, first, 4, m, 0) == 0) {
			last = strrchr(cmd, '\n');
			if (last > nl && strncmp(last + 1, first + m[2].rm_so,
						 (size_t)(m[2].rm_eo -
							  m[2].rm_so)) == 0) {
				body = xstrndup(nl + 1, (size_t)(last - nl));
				*file = xstrndup(first + m[1].rm_so,
						 (size_t)(m[1].rm_eo -
							  m[1].rm_so));
			}
		}
		free(first);
		free(whole);
	}
	regfree(&re);
	return body;
}

static const char *const template_words[] = {
	"notif", "template", "message", "email", "e-mail", "announce",
	"notice", "communicat", NULL,
};

static const char *const shell_langs[] = {
	"sh", "bash", "shell", "zsh", "ksh", "console", "shell-session",
	"shellsession", "terminal", NULL,
};

static const char *const text_langs[] = {
	"", "text", "txt", "plain", "plaintext", "markdown", "md", "email",
	"mail", NULL,
};

/* The paragraph before a block says what follows is output. */
static int
is_output_leadin(const char *t)
{
	static const char *const words[] = {
		"expected output", "output:", "should see", "should show",
		"should print", "should return", "should look like",
		"you will see", "you should get", "returns:", "example output",
		"sample output", "output should", "expected result", "result:",
		"prints:", "shows:", NULL,
	};

	return t && has_word(t, words);
}

/* The lead-in says the output after it is a sample, not a promise:
 * "You should see something like:", "for example". */
static int
is_sample_leadin(const char *t)
{
	static const char *const words[] = { "something like", "similar to",
		"for example", "e.g.", "sample output", "example output",
		"might see", "may see", "roughly", "looks something", NULL };

	return t && has_word(t, words);
}

/* Whether OUT is a clear result to expect: one line, not cut for the
 * display ("D...", "…") and naming no placeholder ("<PREV_VERSION>");
 * anything else stays a note. */
static int
clear_result(const char *out)
{
	regex_t re;
	int ph;

	if (strchr(out, '\n') || strstr(out, "...") || strstr(out, "\u2026") ||
	    strstr(out, "${") || strstr(out, "{{"))
		return 0;
	if (regcomp(&re, "<[A-Za-z][A-Za-z0-9_-]*>", REG_EXTENDED | REG_NOSUB))
		BUG("bad placeholder pattern");
	ph = regexec(&re, out, 0, NULL, 0) == 0;
	regfree(&re);
	return !ph;
}

/* Output the runbook shows for the command just before: the step's
 * expect and drill output, never a command. */
static void
on_output(struct imp *im, const struct md_block *b)
{
	cJSON *st = im->last;
	char *out = trim_dup(b->text, strlen(b->text));
	char *lead = take_leadin(im);
	int sample = is_sample_leadin(lead);
	char *first, *re, *note;

	free(lead);
	if (!st || !jstr(st, "run") || !*out) {
		add_pending(im, b->text, b->line, "expected output", 0);
		free(out);
		return;
	}
	first = first_line_of(out);
	re = ere_escape(first);
	note = xasprintf(sample ? "Sample output (from the runbook; yours "
			 "may differ):\n%s" : "Expected output (from the "
			 "runbook):\n%s", out);
	if (!sample && clear_result(out) &&
	    !cJSON_GetObjectItemCaseSensitive(st, "expect"))
		cJSON_AddStringToObject(cJSON_AddObjectToObject(st, "expect"),
					"output", re);
	append_note(st, note);
	cJSON_DeleteItemFromObjectCaseSensitive(st, "drill");
	add_drill(st, jstr(st, "run"), NULL, out);
	free(first);
	free(re);
	free(note);
	free(out);
}

/* Some line of TEXT starts with a "$ " prompt. */
static int
has_prompts(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n')) {
		l += *l == '\n';
		l += strspn(l, " \t");
		if (l[0] == '$' && (l[1] == ' ' || l[1] == '\n' || !l[1]))
			return 1;
	}
	return 0;
}

/* Some line of TEXT opens or closes a fence of its own: the block shows
 * Markdown (a runbook quoting a runbook), not commands. */
static int
has_inner_fence(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n')) {
		l += *l == '\n';
		l += strspn(l, " \t");
		if (is_fence_start(l, strcspn(l, "\n")))
			return 1;
	}
	return 0;
}

/* Shells whose language sh cannot run: their blocks stay typed notes. */
static const char *const foreign_shells[] = {
	"fish", "powershell", "pwsh", "ps1", "ps", "posh", "cmd", "bat",
	"batch", "dos", "nushell", "nu", "xonsh", "elvish", "csh", "tcsh",
	NULL,
};

/* A zsh block using what only zsh has (options, modules, parameter
 * flags, extended globs): sh would run it wrong. */
static int
is_zsh_only(const char *text)
{
	static regex_t re;
	static int ready;

	if (!ready) {
		if (regcomp(&re, "(^|[;&|({[:space:]])(setopt|unsetopt|autoload|"
			    "zmodload|zstyle|bindkey|compdef|zparseopts|print|"
			    "typeset|noglob)([[:space:]]|$)|\\$\\{\\([^)]*\\)|"
			    "\\$\\{[=^~]|=\\(|\\*\\*/|\\(#[a-zA-Z]|"
			    "\\((N|\\.|/|om|on)[^)]*\\)([[:space:]]|$)|"
			    "(^|[[:space:]])\\^[^[:space:]]*\\*|\\$[a-z]+\\[[0-9-]",
			    REG_EXTENDED | REG_NEWLINE))
			BUG("bad zsh pattern");
		ready = 1;
	}
	return regexec(&re, text, 0, NULL, 0) == 0;
}

/* A configuration block (YAML, JSON, TOML, HCL) the item or paragraph
 * before it tells the operator to write into a file ("Pin the values
 * ... In `values-prod.yaml`:") is a step of the runbook's own path: a
 * check titled by that instruction, the block its note, never a note
 * of whatever step comes before or after (a contingency's retry). */
static void
edit_check(struct imp *im, const struct md_block *b)
{
	static const char *const langs[] = { "yaml", "yml", "json", "toml",
		"hcl", "ini", "properties", "conf", "tf", NULL };
	static const char *const verbs[] = { "pin ", "edit ", "update ",
		"change ", "set ", "add ", "write ", "put ", NULL };
	size_t k = (size_t)(b - im->doc->b), i = 0;
	const struct md_block *lead = k ? &im->doc->b[k - 1] : NULL;
	const char *t;
	char *title;
	cJSON *st;

	if (!lead || (lead->kind != MD_ITEM && lead->kind != MD_PARA) ||
	    !in_list(b->info, langs, 1))
		return;
	t = lead->text + strspn(lead->text, " *_");
	while (verbs[i] && strncasecmp(t, verbs[i], strlen(verbs[i])) != 0)
		i++;
	if (!verbs[i])
		return;
	title = plain_title(lead->text);
	{
		char *clause = leading_clause(title);

		if (clause) {
			free(title);
			title = clause;
		}
	}
	st = add_step(im, STEP_KIND_CHECK, title);
	free(title);
	free(im->leadin);
	im->leadin = NULL;
	if (im->pending.len)
		give_pending(im, st);
	add_review(im, b->line, st, "the runbook asks for this %s to be "
		   "written by hand: the draft makes it a check of the path "
		   "it is on; make it a run step if the team scripts it",
		   b->info);
}

/* A block in a shell that is not sh (fish, PowerShell, cmd; zsh beyond
 * POSIX) becomes a typed note with a review point, never a command:
 * steps run under /bin/sh. */
static int
on_foreign_shell(struct imp *im, const struct md_block *b)
{
	char *why;

	if (strcmp(b->info, "zsh") == 0 && is_zsh_only(b->text))
		why = xstrdup("a zsh block using what only zsh has (options, "
			      "modules, parameter flags or extended globs), "
			      "which sh runs wrong");
	else if (in_list(b->info, foreign_shells, 0))
		why = xasprintf("a %s block, which sh cannot run (each step "
				"runs under /bin/sh)", b->info);
	else
		return 0;
	not_shell_note(im, b, why);
	free(why);
	return 1;
}

/* The last sentence of the prose just before the block introduces it
 * as scoped away from the walk: to CI ("For the CI job:", "In the
 * pipeline:") or to reading ("For reference:"). */
static int
leadin_scopes_away(const struct imp *im)
{
	static regex_t re;
	static int ready;
	const char *t, *last;
	char *low;
	size_t n;
	int hit;

	if (!im->leadin || im->leadin_mark > im->pending.len)
		return 0;
	if (!ready) {
		if (regcomp(&re, "(^|[^a-z])((for|in|on|from|by) +(the +|a +|"
			    "your +)?(ci|pipeline|build server|workflow)|ci[ -]"
			    "(job|only|pipeline|step|runner|system)|for "
			    "reference|reference only)([^a-z]|$)",
			    REG_EXTENDED | REG_NOSUB))
			BUG("bad CI scope pattern");
		ready = 1;
	}
	t = strbuf_str(&im->pending) + im->leadin_mark;
	low = xstrdup(t + strspn(t, " \n"));
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	/* the sentence that introduces the block, not one before it */
	last = low;
	for (const char *c = low; *c; c++)
		if ((*c == '.' || *c == ';') && c[1] && isspace((unsigned char)c[1]))
			last = c + 1;
	/* and introduces it ("For the CI job:"), not a fact said before
	 * it ("The token in CI is ...") */
	n = strlen(last);
	while (n && isspace((unsigned char)last[n - 1]))
		n--;
	hit = n && last[n - 1] == ':' && regexec(&re, last, 0, NULL, 0) == 0;
	free(low);
	return hit;
}

/* A block of commands the runbook scopes to CI or gives for reference:
 * a note, never a step the operator runs (it would write the CI's
 * ~/.npmrc on their machine and ask the CI's token on every path). */
static void
scoped_away_note(struct imp *im, const struct md_block *b)
{
	char *text = fenced(b);
	char *what = xasprintf("%s block for CI or reference",
			       *b->info ? b->info : "untagged");

	add_pending(im, text, b->line, what, 0);
	add_review(im, b->line, NULL, "the runbook scopes the block at line "
		   "%d to CI or to reading (the words before it): kept as a "
		   "note, not a step; if the operator runs it during the "
		   "incident, make it a run step", b->line);
	free(text);
	free(what);
}

static void
on_code(struct imp *im, const struct md_block *b)
{
	int tpl = im->template_ctx || im->leadin_template;
	int shell = in_list(b->info, shell_langs, 0);
	int untagged = !*b->info || in_list(b->info, text_langs, 0);
	char *title, *file = NULL, *body;

	if (b->unclosed)
		add_review(im, b->line, NULL, "the fence opened at line %d is "
			   "never closed: as CommonMark reads it, it runs to the "
			   "end of the runbook, so every line after it is the "
			   "block's text (headings too); close it and import "
			   "again", b->line);
	if (on_foreign_shell(im, b))
		return;
	if (untagged && has_inner_fence(b->text)) {
		not_shell_note(im, b, "the block holds a fenced block of its "
			       "own (Markdown shown as an example)");
		return;
	}
	if ((shell || (!*b->info && looks_like_shell(skip_comments(
		b->text)))) && !is_output_leadin(im->leadin) &&
	    leadin_scopes_away(im)) {
		scoped_away_note(im, b);
		return;
	}

	if (tpl && in_list(b->info, text_langs, 0)) {
		title = take_leadin(im);
		add_message(im, title ? title : im->heading ? im->heading
							     : "Message",
			    b->text, NULL);
		free(title);
	} else if ((untagged || strcmp(b->info, "console") == 0 ||
		    strcmp(b->info, "terminal") == 0) &&
		   is_output_leadin(im->leadin) && !has_prompts(b->text)) {
		on_output(im, b);
	} else if ((shell || !*b->info) && has_prompts(b->text)) {
		on_console(im, b);
	} else if (tpl && shell &&
		   (body = heredoc_template(skip_comments(b->text), &file))) {
		const char *cmd = skip_comments(b->text);
		char *note = xasprintf("The runbook writes it with: %.*s",
				       (int)strcspn(cmd, "\n"), cmd);

		title = cmd != b->text ? plain_title(b->text) : take_leadin(im);
		add_message(im, title ? title : im->heading ? im->heading
							     : "Message",
			    body, file);
		append_note(im->last, note);
		free(note);
		free(title);
		free(body);
		free(file);
	} else if (shell) {
		on_shell(im, b);
	} else if (!*b->info && looks_like_shell(skip_comments(b->text)) &&
		   *skip_comments(b->text)) {
		on_shell(im, b);
	} else if (untagged && path_text_steps(im, b)) {
		return;
	} else {
		char *what = xasprintf("%s code block",
				       *b->info ? b->info : "untagged");
		char *text = fenced(b);

		add_pending(im, text, b->line, what, 0);
		free(what);
		free(text);
		edit_check(im, b);
	}
}

/* --- tables: decision matrices ---------------------------------------------- */

static const char *
cell(const struct md_block *b, size_t r, size_t c)
{
	return b->cells[r * b->n_cols + c];
}

/* Column naming the severity (or priority, or impact) of each row, or -1. */
static int
key_column(const struct md_block *b)
{
	static const char *const keys[][2] = {
		{ "severity", NULL }, { "priority", NULL }, { "impact", NULL },
	};

	for (size_t k = 0; k < 3; k++)
		for (size_t c = 0; c < b->n_cols; c++) {
			const char *const words[] = { keys[k][0], NULL };

			if (has_word(cell(b, 0, c), words))
				return (int)c;
		}
	for (size_t r = 1; r < b->n_rows; r++)
		if (!(cell(b, r, 0)[0] == 'P' &&
		      isdigit((unsigned char)cell(b, r, 0)[1])))
			return -1;
	return b->n_rows > 1 ? 0 : -1;
}

/* The column of a matrix that says what to do: one named so, or in an
 * escalation matrix whom to call ("Who", "Escalate to", "Contact"): the
 * options are those words, never a time ("5 min") of another column;
 * else the last column (the first when the key is last). */
static int
action_column(const struct md_block *b, int key)
{
	static const char *const words[] = { "action", "response", "decision",
					     "what to do", "do", "escalate",
					     "who", "contact", "notify", "page",
					     "call", NULL };

	for (size_t w = 0; words[w]; w++)
		for (size_t c = 0; c < b->n_cols; c++) {
			const char *const one[] = { words[w], NULL };

			if ((int)c != key && has_word(cell(b, 0, c), one))
				return (int)c;
		}
	return key == (int)b->n_cols - 1 ? 0 : (int)b->n_cols - 1;
}

/* Row values: the first word of each key cell as a slug, or the whole
 * cell when first words repeat. */
static char **
row_values(const struct md_block *b, int key)
{
	size_t n = b->n_rows - 1;
	char **vals = xcalloc(n, sizeof(*vals));
	int whole = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t r = 0; r < n; r++) {
			const char *c = cell(b, r + 1, (size_t)key);
			char *first = xstrndup(c, strcspn(c, " (/"));

			free(vals[r]);
			vals[r] = slug(whole ? c : first, SLUG_MAX);
			free(first);
			for (size_t q = 0; q < r; q++)
				if (strcmp(vals[q], vals[r]) == 0) {
					char *u = xasprintf("%s-%zu", vals[r],
							    r + 1);

					whole = 1;
					free(vals[r]);
					vals[r] = u;
				}
		}
		if (!whole)
			break;
	}
	return vals;
}

static const char *
matrix_var(struct imp *im, const char *header, char **vals, size_t n)
{
	struct strbuf pat = STRBUF_INIT, prompt = STRBUF_INIT;
	char *plain = plain_title(header);
	char *base = var_name(plain, strlen(plain));
	char *name = xstrdup(*base ? base : "SEVERITY");
	struct imp_var *v;

	for (int k = 2;; k++) {
		size_t i;

		for (i = 0; i < im->n_vars && strcmp(im->vars[i].name, name); i++)
			;
		if (i == im->n_vars)
			break;
		free(name);
		name = xasprintf("%s_%d", *base ? base : "SEVERITY", k);
	}
	strbuf_addf(&prompt, "%s, as the runbook's matrix names it: ", plain);
	strbuf_addc(&pat, '(');
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&pat, "%s%s", i ? "|" : "", vals[i]);
		strbuf_addf(&prompt, "%s%s", i ? ", " : "", vals[i]);
	}
	strbuf_addc(&pat, ')');
	im->vars = xrealloc(im->vars, (im->n_vars + 1) * sizeof(*im->vars));
	v = &im->vars[im->n_vars++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->orig = xstrdup(header);
	v->pattern = strbuf_detach(&pat);
	v->prompt = strbuf_detach(&prompt);
	v->from_input = 1;
	free(plain);
	free(base);
	return v->name;
}

static const char *
response_var(struct imp *im, cJSON *options)
{
	struct strbuf pat = STRBUF_INIT;
	const cJSON *o;
	char *name = xstrdup("RESPONSE");
	struct imp_var *v;
	int k = 2;

	for (size_t i = 0; i < im->n_vars; i++)
		if (strcmp(im->vars[i].name, name) == 0) {
			free(name);
			name = xasprintf("RESPONSE_%d", k++);
			i = (size_t)-1;
		}
	strbuf_addc(&pat, '(');
	cJSON_ArrayForEach(o, options)
		strbuf_addf(&pat, "%s%s", pat.len > 1 ? "|" : "", jstr(o, "id"));
	strbuf_addc(&pat, ')');
	im->vars = xrealloc(im->vars, (im->n_vars + 1) * sizeof(*im->vars));
	v = &im->vars[im->n_vars++];
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->orig = xstrdup("decision");
	v->pattern = strbuf_detach(&pat);
	v->prompt = xstrdup("The option chosen at the decision");
	return v->name;
}

/* The option for row R: one per distinct action text. */
static const char *
matrix_option(cJSON *options, const struct md_block *b, size_t r, int key,
	      int act)
{
	char *label = plain_title(cell(b, r, (size_t)act));
	char *id = slug(*label ? label : cell(b, r, (size_t)key), SLUG_MAX);
	struct strbuf desc = STRBUF_INIT;
	cJSON *o;

	cJSON_ArrayForEach(o, options)
		if (strcmp(jstr(o, "label"), *label ? label : id) == 0)
			break;
	if (!o) {
		int n = 2;

		for (cJSON *q = options->child; q; q = q->next)
			if (strcmp(jstr(q, "id"), id) == 0) {
				char *u = xasprintf("%s-%d", id, n++);

				free(id);
				id = u;
				q = options->child;
			}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", *label ? label : id);
		for (size_t c = 0; c < b->n_cols; c++)
			if ((int)c != act && *cell(b, r, c))
				strbuf_addf(&desc, "%s%s: %s", desc.len ? "; " : "",
					    cell(b, 0, c), cell(b, r, c));
		if (desc.len)
			cJSON_AddStringToObject(o, "description",
						strbuf_str(&desc));
		cJSON_AddItemToArray(options, o);
	}
	free(label);
	free(id);
	strbuf_done(&desc);
	return jstr(o, "id");
}

static void
on_matrix(struct imp *im, const struct md_block *b, int key)
{
	int act = action_column(b, key);
	char **vals = row_values(b, key);
	cJSON *options = cJSON_CreateArray();
	cJSON *matrix = cJSON_CreateObject();
	cJSON *rows = cJSON_AddObjectToObject(matrix, "rows");
	cJSON *values = cJSON_AddArrayToObject(rows, "values");
	cJSON *cells = cJSON_AddArrayToObject(matrix, "cells");
	char *title = take_leadin(im);
	cJSON *st;

	cJSON_AddStringToObject(rows, "variable",
				matrix_var(im, cell(b, 0, (size_t)key), vals,
					   b->n_rows - 1));
	for (size_t r = 1; r < b->n_rows; r++) {
		cJSON *row = cJSON_CreateArray();

		cJSON_AddItemToArray(values, cJSON_CreateString(vals[r - 1]));
		cJSON_AddItemToArray(row, cJSON_CreateString(
			matrix_option(options, b, r, key, act)));
		cJSON_AddItemToArray(cells, row);
		free(vals[r - 1]);
	}
	free(vals);
	st = add_step(im, STEP_KIND_DECIDE, title ? title : im->heading
						? im->heading : "Decision");
	cJSON_AddStringToObject(st, "variable", response_var(im, options));
	cJSON_AddItemToObject(st, "options", options);
	cJSON_AddItemToObject(st, "matrix", matrix);
	append_note(st, b->text);
	free(title);
}

/* The distinct values of column C as slugs (the first word when first
 * words tell the rows apart, else the whole cell); *AT gets each row's
 * value index. Caller frees both. */
static char **
distinct_values(const struct md_block *b, size_t c, size_t *n_out,
		size_t **at)
{
	char **vals = xcalloc(b->n_rows, sizeof(*vals));
	size_t n = 0;

	*at = xcalloc(b->n_rows, sizeof(**at));
	for (size_t r = 1; r < b->n_rows; r++) {
		char *v = slug(cell(b, r, c), SLUG_MAX);
		size_t k;

		for (k = 0; k < n && strcmp(vals[k], v) != 0; k++)
			;
		if (k == n)
			vals[n++] = v;
		else
			free(v);
		(*at)[r] = k;
	}
	*n_out = n;
	return vals;
}

/* The column that, with KEY, picks the action: the one other column, when
 * the key repeats or the column does; else -1. */
static int
second_key(const struct md_block *b, int key, int act)
{
	int other = -1;
	size_t n_key, n_other, *at;
	char **v;

	if (b->n_cols != 3 || b->n_rows < 3)
		return -1;
	for (size_t c = 0; c < 3; c++)
		if ((int)c != key && (int)c != act)
			other = (int)c;
	if (other < 0)
		return -1;
	v = distinct_values(b, (size_t)key, &n_key, &at);
	for (size_t i = 0; i < n_key; i++)
		free(v[i]);
	free(v);
	free(at);
	v = distinct_values(b, (size_t)other, &n_other, &at);
	for (size_t i = 0; i < n_other; i++)
		free(v[i]);
	free(v);
	free(at);
	return n_key < b->n_rows - 1 && n_other < b->n_rows - 1 && n_other > 1
		       ? other : -1;
}

static cJSON *
axis_json(struct imp *im, const struct md_block *b, size_t c, char **vals,
	  size_t n)
{
	cJSON *axis = cJSON_CreateObject();
	cJSON *values = cJSON_CreateArray();

	cJSON_AddStringToObject(axis, "variable",
				matrix_var(im, cell(b, 0, c), vals, n));
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(values, cJSON_CreateString(vals[i]));
	cJSON_AddItemToObject(axis, "values", values);
	return axis;
}

/* A cell that stands for every value of its column ("Any", "All"). */
static int
is_wildcard(const char *value)
{
	static const char *const any[] = { "any", "all", "n-a", "na", "step",
					   NULL };

	return in_list(value, any, 0);
}

/* A table such as | Severity | User impact | Action |: a matrix with the
 * severity as rows and the impact as columns. A combination the table
 * does not give takes its row's first action, as a review point. */
static void
on_matrix2(struct imp *im, const struct md_block *b, int key, int act,
	   int other)
{
	size_t n_rows, n_cols, *row_at, *col_at;
	char **rows = distinct_values(b, (size_t)key, &n_rows, &row_at);
	char **cols = distinct_values(b, (size_t)other, &n_cols, &col_at);
	const char **grid = xcalloc(n_rows * n_cols, sizeof(*grid));
	cJSON *options = cJSON_CreateArray(), *matrix = cJSON_CreateObject();
	cJSON *cells = cJSON_CreateArray();
	char *title = take_leadin(im);
	int missing = 0;
	cJSON *st;

	cJSON_AddItemToObject(matrix, "rows", axis_json(im, b, (size_t)key,
							rows, n_rows));
	cJSON_AddItemToObject(matrix, "cols", axis_json(im, b, (size_t)other,
							cols, n_cols));
	for (size_t r = 1; r < b->n_rows; r++) {
		const char *opt = matrix_option(options, b, r, key, act);

		grid[row_at[r] * n_cols + col_at[r]] = opt;
		if (is_wildcard(cols[col_at[r]]))
			for (size_t c = 0; c < n_cols; c++)
				if (!grid[row_at[r] * n_cols + c])
					grid[row_at[r] * n_cols + c] = opt;
	}
	for (size_t r = 0; r < n_rows; r++) {
		cJSON *row = cJSON_CreateArray();
		const char *first = NULL;

		for (size_t c = 0; c < n_cols && !first; c++)
			first = grid[r * n_cols + c];
		for (size_t c = 0; c < n_cols; c++) {
			missing += !grid[r * n_cols + c];
			cJSON_AddItemToArray(row, cJSON_CreateString(
				grid[r * n_cols + c] ? grid[r * n_cols + c]
						     : first));
		}
		cJSON_AddItemToArray(cells, row);
	}
	cJSON_AddItemToObject(matrix, "cells", cells);
	st = add_step(im, STEP_KIND_DECIDE, title ? title : im->heading
						? im->heading : "Decision");
	cJSON_AddStringToObject(st, "variable", response_var(im, options));
	cJSON_AddItemToObject(st, "options", options);
	cJSON_AddItemToObject(st, "matrix", matrix);
	append_note(st, b->text);
	if (missing)
		add_review(im, b->line, st, "the table gives no action for %d "
			   "combination%s of %s and %s: each took its row's "
			   "first action", missing, plural(missing),
			   cell(b, 0, (size_t)key),
			   cell(b, 0, (size_t)other));
	for (size_t i = 0; i < n_rows; i++)
		free(rows[i]);
	for (size_t i = 0; i < n_cols; i++)
		free(cols[i]);
	free(rows);
	free(cols);
	free(row_at);
	free(col_at);
	free(grid);
	free(title);
}

static void
note_table_decide(struct imp *im, cJSON *decide, const struct md_block *b)
{
	im->tables = xrealloc(im->tables, (im->n_tables + 1) *
			      sizeof(*im->tables));
	im->tables[im->n_tables++] = (struct imp_table){
		decide, (size_t)(b - im->doc->b), 0 };
}

/* Every column after the first is named for an environment ("| Situation
 * | staging | production |"): the cells are actions per environment. */
static int
environment_columns(const struct md_block *b)
{
	static const char *const envs[] = { "staging", "stage", "production",
		"prod", "dev", "development", "qa", "test", "testing", "uat",
		"preprod", "pre-prod", "pre-production", "sandbox", "canary",
		"demo", "integration", "perf", "local", NULL };

	if (b->n_cols < 3 || b->n_rows < 2)
		return 0;
	for (size_t c = 1; c < b->n_cols; c++) {
		char *h = plain_title(cell(b, 0, c));
		int env = in_list(h, envs, 1);

		free(h);
		if (!env)
			return 0;
	}
	return 1;
}

/* The option for the action in row R, column C of an environment matrix,
 * described by the situation and the environment when new. */
static const char *
environment_option(cJSON *options, const struct md_block *b, size_t r,
		   size_t c)
{
	char *label = plain_title(cell(b, r, c));
	char *id = slug(*label ? label : cell(b, r, 0), SLUG_MAX);
	cJSON *o;

	cJSON_ArrayForEach(o, options)
		if (strcmp(jstr(o, "label"), *label ? label : id) == 0)
			break;
	if (!o) {
		int n = 2;
		char *desc;

		for (cJSON *q = options->child; q; q = q->next)
			if (strcmp(jstr(q, "id"), id) == 0) {
				char *u = xasprintf("%s-%d", id, n++);

				free(id);
				id = u;
				q = options->child;
			}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", *label ? label : id);
		desc = xasprintf("%s: %s, in %s", cell(b, 0, 0), cell(b, r, 0),
				 cell(b, 0, c));
		cJSON_AddStringToObject(o, "description", desc);
		free(desc);
		cJSON_AddItemToArray(options, o);
	}
	free(label);
	free(id);
	return jstr(o, "id");
}

/* The rows of an environment matrix as slugs of their whole first cell,
 * comparisons kept ("Errors < 1%" gives errors-lt-1, not errors-1 beside
 * "Errors > 5%" as errors-5), each unique. Caller frees. */
static char **
situation_values(const struct md_block *b)
{
	size_t n = b->n_rows - 1;
	char **vals = xcalloc(n, sizeof(*vals));

	for (size_t r = 0; r < n; r++) {
		struct strbuf sb = STRBUF_INIT;

		for (const char *c = cell(b, r + 1, 0); *c; c++)
			if (*c == '<' || *c == '>')
				strbuf_adds(&sb, *c == '<' ? " lt " : " gt ");
			else
				strbuf_addc(&sb, *c);
		vals[r] = slug(strbuf_str(&sb), SLUG_MAX);
		strbuf_done(&sb);
		for (size_t q = 0; q < r; q++)
			if (strcmp(vals[q], vals[r]) == 0) {
				char *u = xasprintf("%s-%zu", vals[r], r + 1);

				free(vals[r]);
				vals[r] = u;
			}
	}
	return vals;
}

/* The variable of an environment matrix's columns: ENVIRONMENT, the one
 * the runbook's <ENVIRONMENT> placeholders already made when they came
 * first (its values now the column names), else a new one. */
static const char *
environment_var(struct imp *im, char **cols, size_t n)
{
	for (size_t i = 0; i < im->n_vars; i++) {
		struct imp_var *v = &im->vars[i];
		struct strbuf pat = STRBUF_INIT;

		if (strcmp(v->name, "ENVIRONMENT") != 0 || v->pattern ||
		    v->secret)
			continue;
		strbuf_addc(&pat, '(');
		for (size_t c = 0; c < n; c++)
			strbuf_addf(&pat, "%s%s", c ? "|" : "", cols[c]);
		strbuf_addc(&pat, ')');
		v->pattern = strbuf_detach(&pat);
		return v->name;
	}
	return matrix_var(im, "Environment", cols, n);
}

/* A table such as | Situation | staging | production |: the environment
 * is an input (one of the column names, the variable the commands use as
 * <ENVIRONMENT>), the situation the rows, and each cell the action for
 * both, so the decision recommends that cell. */
static void
on_environment_matrix(struct imp *im, const struct md_block *b)
{
	size_t n_cols = b->n_cols - 1;
	char **rows = situation_values(b);
	char **cols = xcalloc(n_cols, sizeof(*cols));
	cJSON *options = cJSON_CreateArray(), *matrix = cJSON_CreateObject();
	cJSON *cells = cJSON_CreateArray(), *axis, *values;
	char *title = take_leadin(im);
	cJSON *st;

	cJSON_AddItemToObject(matrix, "rows", axis_json(im, b, 0, rows,
							b->n_rows - 1));
	for (size_t c = 0; c < n_cols; c++)
		cols[c] = slug(cell(b, 0, c + 1), SLUG_MAX);
	axis = cJSON_AddObjectToObject(matrix, "cols");
	cJSON_AddStringToObject(axis, "variable",
				environment_var(im, cols, n_cols));
	values = cJSON_AddArrayToObject(axis, "values");
	for (size_t c = 0; c < n_cols; c++)
		cJSON_AddItemToArray(values, cJSON_CreateString(cols[c]));
	for (size_t r = 1; r < b->n_rows; r++) {
		cJSON *row = cJSON_CreateArray();

		for (size_t c = 1; c < b->n_cols; c++)
			cJSON_AddItemToArray(row, cJSON_CreateString(
				environment_option(options, b, r, c)));
		cJSON_AddItemToArray(cells, row);
	}
	cJSON_AddItemToObject(matrix, "cells", cells);
	st = add_step(im, STEP_KIND_DECIDE, title ? title : im->heading
						? im->heading : "Decision");
	cJSON_AddStringToObject(st, "variable", response_var(im, options));
	cJSON_AddItemToObject(st, "options", options);
	cJSON_AddItemToObject(st, "matrix", matrix);
	append_note(st, b->text);
	for (size_t r = 0; r + 1 < b->n_rows; r++)
		free(rows[r]);
	for (size_t c = 0; c < n_cols; c++)
		free(cols[c]);
	free(rows);
	free(cols);
	free(title);
}

/* The column whose header names the action ("Action", "Response") of a
 * table whose other column names the situation calling for it, or -1. */
static int
named_action_column(const struct md_block *b)
{
	static const char *const words[] = { "action", "response", "decision",
					     "what to do", "next step", NULL };

	static const char *const situations[] = { "situation", "condition",
		"symptom", "scenario", "case", "signal", "trigger", "problem",
		"issue", "failure", "observed", "if ", "when ", NULL };
	int act = -1, sit = -1;

	for (size_t c = 0; c < b->n_cols; c++) {
		if (act < 0 && has_word(cell(b, 0, c), words))
			act = (int)c;
		else if (sit < 0 && has_word(cell(b, 0, c), situations))
			sit = (int)c;
	}
	/* a timeline or an owner list is no decision */
	return sit >= 0 ? act : -1;
}

/* A table such as | Situation | Action |: a decide step with one option
 * per distinct action, described by the situations that call for it. */
static cJSON *
on_choice_table(struct imp *im, const struct md_block *b, int act)
{
	cJSON *options = cJSON_CreateArray();
	char *title = take_leadin(im);
	cJSON *st;

	for (size_t r = 1; r < b->n_rows; r++)
		matrix_option(options, b, r, act == 0 ? 1 : 0, act);
	st = add_step(im, STEP_KIND_DECIDE, title ? title : im->heading
						? im->heading : "Decision");
	cJSON_AddStringToObject(st, "variable", response_var(im, options));
	cJSON_AddItemToObject(st, "options", options);
	append_note(st, b->text);
	free(title);
	return st;
}

/* A troubleshooting table (| Symptom | Action |, or any two columns
 * under a "Troubleshooting" heading): the column of what one sees, or -1;
 * *ACT gets the remedy's column. */
static int
trouble_columns(const struct imp *im, const struct md_block *b, int *act)
{
	static const char *const seen[] = { "symptom", "problem", "issue",
		"error", "if you see", "you see", "sign", NULL };
	static const char *const fix[] = { "action", "fix", "remedy",
		"resolution", "solution", "what to do", "do this", NULL };
	int s = -1, a = -1;

	if (b->n_cols != 2 || b->n_rows < 2)
		return -1;
	for (int c = 0; c < 2; c++) {
		if (s < 0 && has_word(cell(b, 0, (size_t)c), seen))
			s = c;
		else if (a < 0 && has_word(cell(b, 0, (size_t)c), fix))
			a = c;
	}
	if (s < 0 && im->heading && has_word(im->heading, (const char *const[]){
			"troubleshoot", "known issue", "common problem", NULL }))
		s = a == 0 ? 1 : 0;
	if (s < 0)
		return -1;
	*act = s == 0 ? 1 : 0;
	return s;
}

/* The roles of the runbook's approval, for a remedy's own sign-off. */
static cJSON *
remedy_roles(const struct imp *im)
{
	cJSON *roles;

	if (im->approve_step)
		return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
			im->approve_step, "roles"), 1);
	roles = cJSON_CreateArray();
	cJSON_AddItemToArray(roles, cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetArrayItem(roles, 0), "role",
				"Approver");
	return roles;
}

/* The remedy of a troubleshooting row, on "yes" to VAR: its command when
 * the cell is one (gated by a sign-off of its own when it changes things,
 * as the question comes after the runbook's approval), else a check. */
static void
trouble_remedy(struct imp *im, const char *fix, const char *var, int line)
{
	size_t n = strlen(fix);
	char *cmd = n > 2 && fix[0] == '`' && fix[n - 1] == '`' &&
		    !memchr(fix + 1, '`', n - 2) ? xstrndup(fix + 1, n - 2) : NULL;
	cJSON *ap = NULL, *st;

	if (cmd && !looks_like_shell(cmd)) {
		free(cmd);
		cmd = NULL;
	}
	if (!cmd) {
		add_step(im, STEP_KIND_CHECK, fix);
		return;
	}
	if (hazard_find(HAZARD_DESTRUCTIVE, cmd, NULL, NULL)) {
		char *title = xasprintf("Sign-off before: %s", cmd);

		ap = add_step_in(im, im->phase, STEP_KIND_APPROVE, title);
		cJSON_AddItemToObject(ap, "roles", remedy_roles(im));
		apply_alt_when(im, ap);
		append_note(ap, "Added by rewind import: the remedy changes "
			    "things and is decided after the runbook's "
			    "approval, so it has a sign-off of its own.");
		free(title);
	}
	st = add_run_step(im, cmd, cmd);
	add_drill(st, jstr(st, "run"), NULL, NULL);
	if (ap) {
		cJSON_AddItemToArray(cJSON_AddArrayToObject(ap, "gates"),
				     cJSON_CreateString(jstr(st, "id")));
		add_review(im, line, ap, "the remedy at line %d changes things "
			   "after the approval: this sign-off gates it; rename "
			   "the role if another one approves remedies", line);
	}
	free(cmd);
}

/* Each row of a troubleshooting table is a contingency: "Did you see
 * ...?" yes or no, its remedy only on yes, so a healthy rollback runs
 * none; the questions stay where the table is, after the step they are
 * about. */
static void
on_trouble_table(struct imp *im, const struct md_block *b, int see, int act)
{
	enum phase_id saved = im->phase;
	int saved_auto = im->phase_auto;

	im->phase = content_phase(im);
	im->phase_auto = 0;
	for (size_t r = 1; r < b->n_rows; r++) {
		char *sym = plain_title(cell(b, r, (size_t)see));
		char *title = xasprintf("Did you see: %s?", sym);
		const char *var = declare_choice_var(im, "SEEN", "(yes|no)",
			"Whether the trouble the runbook names was seen");
		cJSON *st = add_step(im, STEP_KIND_DECIDE, title);

		add_two_options(st, "yes", "Yes: seen, apply the fix", "no",
				"No: not seen");
		cJSON_AddStringToObject(st, "variable", var);
		if (r == 1)
			append_note(st, b->text);
		im->conts = xrealloc(im->conts, (im->n_conts + 1) *
				     sizeof(*im->conts));
		im->conts[im->n_conts++] = st;
		im->cont_var = var;
		im->cont_block = (size_t)(b - im->doc->b);
		/* row R is on the line after the header and the rule */
		trouble_remedy(im, cell(b, r, (size_t)act), var,
			       b->line + (int)r + 1);
		im->cont_var = NULL;
		free(sym);
		free(title);
	}
	add_review(im, b->line, NULL, "the troubleshooting table at line %d "
		   "gives one question per row: each remedy runs only when "
		   "its trouble was seen", b->line);
	im->phase = saved;
	im->phase_auto = saved_auto;
	im->last = NULL;
}

static void
on_table(struct imp *im, const struct md_block *b)
{
	int key = b->n_rows > 1 ? key_column(b) : -1;
	int act = key >= 0 ? action_column(b, key) : -1;
	int other = key >= 0 ? second_key(b, key, act) : -1;
	int named = b->n_rows > 2 && b->n_cols >= 2 ? named_action_column(b)
						    : -1;

	int see, fix = -1;

	if ((see = trouble_columns(im, b, &fix)) >= 0) {
		on_trouble_table(im, b, see, fix);
		return;
	}
	if (environment_columns(b)) {
		on_environment_matrix(im, b);
		note_table_decide(im, im->last, b);
		im->tables[im->n_tables - 1].by_environment = 1;
		return;
	}
	if (other >= 0)
		on_matrix2(im, b, key, act, other);
	else if (key >= 0 && b->n_cols >= 2)
		on_matrix(im, b, key);
	else if (named >= 0)
		on_choice_table(im, b, named);
	else {
		add_pending(im, b->text, b->line,
			    "table (no severity, impact or priority column)", 0);
		return;
	}
	note_table_decide(im, im->last, b);
}

/* --- approvals ---------------------------------------------------------------- */

/* Roles named in parentheses, "(Technical Lead + Product Owner)". */
static cJSON *
roles_in(const char *text)
{
	const char *open = strchr(text, '(');
	const char *close = open ? strchr(open, ')') : NULL;
	cJSON *roles;
	char *inner, *save = NULL;

	if (!close || !(memchr(open, '+', (size_t)(close - open)) ||
			strstr(open, " and ") || memchr(open, ',',
							 (size_t)(close - open))))
		return NULL;
	inner = xstrndup(open + 1, (size_t)(close - open - 1));
	roles = cJSON_CreateArray();
	for (char *tok = strtok_r(inner, "+,&", &save); tok;
	     tok = strtok_r(NULL, "+,&", &save)) {
		char *and = strstr(tok, " and ");
		char *role;

		if (and)
			*and = '\0';
		role = trim_dup(tok, strlen(tok));
		if (*role && isupper((unsigned char)*role)) {
			cJSON *r = cJSON_CreateObject();

			cJSON_AddStringToObject(r, "role", role);
			cJSON_AddItemToArray(roles, r);
		}
		free(role);
	}
	free(inner);
	if (cJSON_GetArraySize(roles) == 0) {
		cJSON_Delete(roles);
		return NULL;
	}
	return roles;
}

static const char *const approve_words[] = { "approv", "sign-off", "sign off",
					     "signoff", NULL };

/* An approve step in the approve phase, whatever phase we are in. */
static cJSON *
add_approve(struct imp *im, const char *title, cJSON *roles)
{
	cJSON *st = add_step_in(im, PHASE_APPROVE, STEP_KIND_APPROVE, title);

	cJSON_AddItemToObject(st, "roles", roles);
	im->has_approve = 1;
	if (!im->approve_step)
		im->approve_step = st;
	return st;
}

/* --- the other blocks ----------------------------------------------------------- */

/* "Platform Owner approval obtained", "Sign-off from the DBA received":
 * the role whose approval the item records, or NULL. Caller frees. */
static char *
approval_role(const char *text)
{
	regex_t re;
	regmatch_t m[3];
	char *plain = plain_title(text);
	char *role = NULL;

	if (regcomp(&re, "^(.*[^ ]) +(approval|sign-?off|go-ahead) +"
		    "(is +|has +been +)?(obtained|received|granted|given|"
		    "secured|recorded|confirmed)", REG_EXTENDED | REG_ICASE))
		BUG("bad approval pattern");
	if (regexec(&re, plain, 3, m, 0) == 0) {
		const char *r = plain + m[1].rm_so;
		size_t n = (size_t)(m[1].rm_eo - m[1].rm_so);

		if (strncasecmp(r, "the ", 4) == 0) {
			r += 4;
			n -= 4;
		}
		if (n && n < 60 && !memchr(r, ':', n))
			role = xstrndup(r, n);
	}
	regfree(&re);
	free(plain);
	return role;
}

/* The shapes of a line naming who approves; ROLE_GROUP[i] is the group
 * holding the role in APPROVAL_LINES[i]. */
static const char *const approval_lines[] = {
	/* "Get approval from the release manager" */
	"^(get|obtain|request|seek|ask for|wait for) +(an +|the +|a +)?"
	"(approval|sign-?off|go-ahead|ok|okay|green light|thumbs[ -]?up|"
	"\xf0\x9f\x91\x8d|:[+]1:|:thumbsup:) +(from|of|by) +"
	"(the +|your +|an? +)?([a-z][a-z -]*[a-z])",
	/* "Approval: Network on-call.", "Approval: the Duty Manager signs
	 * off in the incident channel.", "Approval required: VP
	 * Engineering" */
	"^(approval|sign-?off|approver|approved by)( +(is +)?(required|needed|"
	"mandatory))?( +from| +by)? *: *(the +|your +|an? +)?"
	"([a-z][a-z -]*[a-z])",
	/* "Requires approval from the SRE lead.", "This step requires
	 * approval from ...", "Needs sign-off from the release manager." */
	"^(this +(step|change|command|action) +)?(requires?|needs?|must +have|"
	"must +get) +(an? +|the +)?(approval|sign-?off|go-ahead) +(from|of|by)"
	" +(the +|your +|an? +)?([a-z][a-z -]*[a-z])",
	/* "DBA on call must approve." */
	"^(the +|your +|an? +)?([a-z][a-z -]*[a-z]) +(must|should|needs? to|"
	"has to|will|to) +(approve|sign[ -]?off|give)",
	/* "Release manager approval required." */
	"^(the +|your +|an? +)?([a-z][a-z -]*[a-z]) +(approval|sign-?off) +"
	"(is +)?(required|needed|mandatory)",
	NULL
};
static const int role_group[] = { 6, 7, 8, 2, 2 };

/* Words after a role that say when or where, not who: "the release
 * manager before the next command", "the Duty Manager signs off in",
 * "the release manager in #release first" (matched with a blank after
 * the role too, so a role ending in one loses it). */
static const char *const role_stops[] = { " before ", " after ",
	" prior to ", " signs", " approves", " must ", " in ", " on the ",
	" via ", " once ", " when ", " for ", " to ", " at ", " first ",
	" then ", " now ", " asap ", NULL };

/* ROLE (N bytes) cut at the first word saying when or where, without a
 * trailing "on call" duty, in title case ("On-call SRE Lead"), or NULL
 * when nothing is left. Caller frees. */
/* Words that end a role: what the role does, not who it is ("the VP
 * Eng both have to approve", "the SRE lead must sign off"). */
static const char *const role_end_words[] = { "both", "have", "has",
	"had", "must", "need", "needs", "should", "shall", "will", "would",
	"can", "may", "to", "approve", "approves", "sign", "signs", "is",
	"are", "gives", "give", NULL };

/* R cut before its first word of role_end_words, and without a leading
 * "both" or article ("Both the SRE lead"). R is changed in place; the
 * start of what is left is returned. */
static char *
cut_role_verbs(char *r)
{
	static const char *const leads[] = { "both ", "either ", "the ",
		"your ", "an ", "a ", NULL };

	for (size_t i = 0; leads[i];)
		if (strncasecmp(r, leads[i], strlen(leads[i])) == 0) {
			r += strlen(leads[i]);
			i = 0;
		} else {
			i++;
		}
	for (char *w = r; *w; w += strcspn(w, " "), w += strspn(w, " ")) {
		size_t n = strcspn(w, " ");

		for (size_t i = 0; role_end_words[i] && w > r; i++)
			if (n == strlen(role_end_words[i]) &&
			    strncasecmp(w, role_end_words[i], n) == 0) {
				*w = '\0';
				return r;
			}
	}
	return r;
}

static char *
role_words(const char *role, size_t n)
{
	char *whole = xasprintf("%.*s ", (int)n, role), *r;
	size_t len;

	for (size_t i = 0; role_stops[i]; i++) {
		char *at = strstr(whole, role_stops[i]);

		if (at)
			*at = '\0';
	}
	r = xstrdup(cut_role_verbs(whole));
	free(whole);
	len = strlen(r);
	while (len && r[len - 1] == ' ')
		r[--len] = '\0';
	if (len > 8 && strcasecmp(r + len - 8, " on call") == 0)
		r[len -= 8] = '\0';
	while (len && (r[len - 1] == ' ' || r[len - 1] == '.'))
		r[--len] = '\0';
	if (!len || len >= 40) {
		free(r);
		return NULL;
	}
	for (char *c = r; *c; c++)
		if (c == r || c[-1] == ' ')
			*c = (char)toupper((unsigned char)*c);
	return r;
}

/* "Get approval from the release manager", "Approval: Network on-call.",
 * "DBA on call must approve.": the role whose approval the line names,
 * in title case, or NULL. Caller frees. */
/* "The on-call SRE lead and the VP Eng both have to approve": two roles,
 * both required. The first is returned, the second put in *SECOND;
 * NULL when TEXT names no two roles approving. Caller frees both. */
static char *
both_roles(const char *text, char **second)
{
	regex_t re;
	regmatch_t m[8];
	char *plain = plain_title(text);
	char *first = NULL;

	*second = NULL;
	/* after a lead-in clause ("Before rolling back, ", "Approval: ") */
	if (regcomp(&re, "^([^,:]*[,:] +)?(both +)?(the +|your +|an? +)?"
		    "([a-z][a-z -]*[a-z]) +and +(the +|your +|an? +)?"
		    "([a-z][a-z -]*[a-z]) +(both +)?"
		    "(must|should|shall|need to|needs to|have to|has to|will|"
		    "are to) +(both +)?(approve|sign[ -]?off)",
		    REG_EXTENDED | REG_ICASE))
		BUG("bad two-role pattern");
	if (regexec(&re, plain, 8, m, 0) == 0) {
		first = role_words(plain + m[4].rm_so,
				   (size_t)(m[4].rm_eo - m[4].rm_so));
		*second = role_words(plain + m[6].rm_so,
				     (size_t)(m[6].rm_eo - m[6].rm_so));
		if (!first || !*second) {
			free(first);
			free(*second);
			first = *second = NULL;
		}
	}
	regfree(&re);
	free(plain);
	return first;
}

/* The roles R (N bytes) names, "the release manager and the SRE lead"
 * being two: the first returned, a second in *SECOND (or NULL). */
static char *
split_roles(const char *r, size_t n, char **second)
{
	const char *and = NULL;
	char *first;

	*second = NULL;
	for (const char *p = r; p + 5 <= r + n && !and; p++)
		if (strncasecmp(p, " and ", 5) == 0)
			and = p;
	if (!and)
		return role_words(r, n);
	first = role_words(r, (size_t)(and - r));
	for (and += 5; strncasecmp(and, "the ", 4) == 0 ||
	     strncasecmp(and, "your ", 5) == 0 || strncasecmp(and, "an ", 3) == 0 ||
	     strncasecmp(and, "a ", 2) == 0;)
		and = strchr(and, ' ') + 1;
	if (first && and < r + n)
		*second = role_words(and, (size_t)(r + n - and));
	return first;
}

/* The role (and a second, "X and Y", in *SECOND) whose approval TEXT
 * asks, or NULL. Caller frees both. */
static char *
requested_role(const char *text, char **second)
{
	regex_t re;
	regmatch_t m[10];
	char *plain = plain_title(text);
	char *role = NULL;

	*second = NULL;
	for (size_t i = 0; approval_lines[i] && !role; i++) {
		int g = role_group[i];

		if (regcomp(&re, approval_lines[i], REG_EXTENDED | REG_ICASE))
			BUG("bad approval line pattern");
		if (regexec(&re, plain, 10, m, 0) == 0 && m[g].rm_so >= 0)
			role = split_roles(plain + m[g].rm_so,
					   (size_t)(m[g].rm_eo - m[g].rm_so),
					   second);
		regfree(&re);
	}
	free(plain);
	return role;
}

/* ROLE joins the approval already made, or makes one. */
static cJSON *
approval_for_role(struct imp *im, const char *title, const char *role)
{
	cJSON *roles, *r;

	if (im->approve_step) {
		roles = cJSON_GetObjectItemCaseSensitive(im->approve_step,
							 "roles");
		cJSON_ArrayForEach(r, roles)
			if (strcasecmp(jstr(r, "role"), role) == 0)
				return im->approve_step;
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "role", role);
		cJSON_AddItemToArray(roles, r);
		return im->approve_step;
	}
	roles = cJSON_CreateArray();
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "role", role);
	cJSON_AddItemToArray(roles, r);
	return add_approve(im, title, roles);
}

static int on_chat_message(struct imp *im, const struct md_block *b);

static void
on_task(struct imp *im, const struct md_block *b)
{
	char *plain, *role;
	cJSON *named, *roles = NULL;
	cJSON *st;

	if (on_chat_message(im, b)) {
		im->task = NULL;
		return;
	}
	plain = plain_title(b->text);
	named = roles_in(b->text);
	role = named ? NULL : approval_role(b->text);
	if (role) {
		st = approval_for_role(im, plain, role);
		append_note(st, "From the runbook's checklist.");
		im->task = st;
		im->task_depth = b->depth;
		free(role);
		free(plain);
		return;
	}
	if (!im->has_approve && has_word(b->text, approve_words))
		roles = named;
	else
		cJSON_Delete(named);
	if (roles) {
		st = add_approve(im, plain, roles);
		append_note(st, "From the runbook's checklist.");
	} else {
		st = add_step(im, STEP_KIND_CHECK, plain);
	}
	if (strlen(plain) < strlen(b->text) && strchr(b->text, '\n'))
		append_note(st, b->text);
	if (b->task == 2)
		append_note(st, "The runbook shows this item ticked.");
	im->task = st;
	im->task_depth = b->depth;
	free(plain);
}

/* Whether item TEXT is a step done by hand in a console's UI ("Tap
 * Pause Phased Release", "In the Play Console, click Halt rollout"): a
 * UI verb and something of a UI (a console, a store, a button, a quoted
 * label, a menu path "Release > Production"). */
static int
is_ui_step(const char *text, int after_ui)
{
	static const char *const verbs[] = { "tap ", "click ", "select ",
		"press ", "choose ", "toggle ", "navigate ", "open ", "halt ",
		"pause ", "submit ", "go to ", NULL };
	static const char *const ui[] = { "console", "store", "button",
		"dashboard", "menu", " tab", " page", "screen", "\"", " > ",
		"**", NULL };

	return has_word(text, verbs) && (after_ui || has_word(text, ui));
}

/* A list item done by hand in a UI, in a section that acts (execute, or
 * an option of a decision): a check the operator ticks, on its path. */
static void
on_ui_item(struct imp *im, const struct md_block *b)
{
	char *plain = plain_title(b->text);
	enum phase_id saved = im->phase;
	int saved_auto = im->phase_auto;
	cJSON *st;

	if (im->ui_only && im->phase_auto) {
		/* a runbook done all by hand: its clicks are the change */
		im->phase = PHASE_EXECUTE;
		im->phase_auto = 0;
	}
	st = add_step(im, STEP_KIND_CHECK, plain);
	im->phase = saved;
	im->phase_auto = saved_auto;
	if (im->ui_only && !im->ui_only_said) {
		im->ui_only_said = 1;
		add_review(im, b->line, st, "the runbook has no command: "
			   "every step from line %d on is done by hand in a "
			   "UI and became a step the operator ticks; check "
			   "their order and phases, and add the approval "
			   "the change needs", b->line);
	}

	append_note(st, "A step the runbook does by hand in a console: do it "
		    "there, then tick it here.");
	im->last_ui = st;
	if (strlen(plain) < strlen(b->text))
		append_note(st, b->text);
	free(plain);
}

/* Where " N. " (the next number of a list run into one line: "1. Open
 * App Store Connect 2. Select the build") starts in TEXT, or NULL. */
static const char *
next_inline_number(const char *text, int n)
{
	char mark[16];

	snprintf(mark, sizeof(mark), " %d. ", n);
	return strstr(text, mark);
}

/* A numbered item whose line runs on into the next numbers ("1. Open
 * App Store Connect 2. Select the build 3. Click ...") is one UI step
 * per number, each ticked on its own. */
static void
on_ui_items(struct imp *im, const struct md_block *b)
{
	struct md_block one = *b;
	const char *p = b->text, *q;
	int n = 2;

	if (!b->ordered || !next_inline_number(p, n)) {
		on_ui_item(im, b);
		return;
	}
	for (; p; n++) {
		q = next_inline_number(p, n);
		one.text = q ? xstrndup(p, (size_t)(q - p)) : xstrdup(p);
		on_ui_item(im, &one);
		free(one.text);
		p = q ? q + 1 + strspn(q + 1, "0123456789") + 2 : NULL;
	}
}

/* In a runbook done all by hand (IM->ui_only), item B is one of its
 * steps: a numbered item, or one that clicks, outside a section that
 * decides or approves. */
static int
ui_only_step(const struct imp *im, const struct md_block *b)
{
	return im->ui_only && im->section_class != PHASE_DECIDE &&
	       im->section_class != PHASE_APPROVE &&
	       (b->ordered || is_ui_step(b->text, 1));
}

/* DOC holds no command at all (no fence of shell or of no language) and
 * at least one item done in a UI: a runbook done all by hand. */
static int
doc_is_ui_only(const struct md_doc *doc)
{
	int clicks = 0;

	for (size_t i = 0; i < doc->n; i++) {
		const struct md_block *b = &doc->b[i];

		if (b->kind == MD_CODE && (!*b->info ||
					   in_list(b->info, shell_langs, 0)))
			return 0;
		clicks |= b->kind == MD_ITEM && !b->task &&
			  is_ui_step(b->text, 0);
	}
	return clicks;
}

static char *lower_plain(const char *text);

/* "If it fails, ...", "If the down migration fails, restore the
 * backup:", "Should the health check still fail, ...": what follows runs
 * only when something went wrong. */
static int
is_contingency(const char *text)
{
	static const char *const leads[] = { "if ", "should ", "in case ",
		"on failure", "when ", "otherwise", NULL };
	static const char *const wrong[] = { "fail", "doesn't", "does not",
		"didn't", "did not", "not healthy", "unhealthy", "error",
		"broken", "still", "not recover", "does not help",
		"doesn't help", "worse", "times out", "timed out", "time out",
		"hangs", "stuck", "not come up", "doesn't come up",
		" is down", " are down", " goes down", " went down",
		"unavailable", "unreachable", "not reachable", "not respond",
		" instead", "cannot", "can't", "can\u2019t", "can not",
		"unable", "won't", "will not", "not possible", "not work",
		NULL };
	char *low = lower_plain(text);
	int hit = 0;

	for (size_t i = 0; leads[i] && !hit; i++)
		hit = strncmp(low, leads[i], strlen(leads[i])) == 0;
	free(low);
	return hit && has_word(text, wrong);
}

#define CONTINGENCY_NOTE "A contingency of the runbook: its commands run " \
	"only when this says they are needed."

/* Block B (a paragraph or an item) is a contingency and the block after
 * it holds its commands: a decision asks whether it is needed, and the
 * commands run only on "yes", never as required steps. */
static void
start_contingency(struct imp *im, const struct md_block *b)
{
	size_t i = (size_t)(b - im->doc->b);
	char *plain;
	const char *var;
	cJSON *st;

	if (i + 1 >= im->doc->n || im->doc->b[i + 1].kind != MD_CODE)
		return;
	plain = plain_title(b->text);
	var = declare_choice_var(im, "CONTINGENCY", "(yes|no)",
				 "Whether the runbook's contingency is needed");
	st = add_step(im, STEP_KIND_DECIDE, plain);
	cJSON_AddStringToObject(st, "variable", var);
	add_two_options(st, "yes", "Yes: it went wrong, do this", "no",
			"No: not needed");
	append_note(st, CONTINGENCY_NOTE);
	add_review(im, b->line, st, "line %d is a contingency (\"%s\"): its "
		   "commands run only when this decision says so, never as "
		   "required steps", b->line, plain);
	im->conts = xrealloc(im->conts, (im->n_conts + 1) * sizeof(*im->conts));
	im->conts[im->n_conts++] = st;
	im->cont_var = var;
	im->cont_block = i + 1;
	free(plain);
}

/* A step asking for a named role's approval is that role's sign-off,
 * not a note. Returns 1 when so. */
static int
on_approval_request(struct imp *im, const struct md_block *b)
{
	char *second;
	char *role = both_roles(b->text, &second);
	char *plain;
	cJSON *st;

	if (!role)
		role = requested_role(b->text, &second);
	if (!role)
		return 0;
	plain = plain_title(b->text);
	st = approval_for_role(im, plain, role);
	if (second)	/* both sign, each in their role */
		approval_for_role(im, plain, second);
	append_note(st, "From the runbook's steps.");
	free(plain);
	free(role);
	free(second);
	return 1;
}

static void drop_tool_else(char *label);

static void
on_item(struct imp *im, const struct md_block *b)
{
	char *text;
	size_t mark = im->pending.len;

	if (b->task) {
		on_task(im, b);
		return;
	}
	if ((is_ui_step(b->text, im->last_ui && im->last_ui == im->last) &&
	     (content_phase(im) == PHASE_EXECUTE ||
	      im->alt_value || im->balt_value)) || in_by_hand_member(im) ||
	    ui_only_step(im, b)) {
		im->task = NULL;
		on_ui_items(im, b);
		return;
	}
	if (im->task && b->depth > im->task_depth) {
		append_note(im->task, b->text);
		return;
	}
	im->task = NULL;
	prose_cd(im, b);
	if (on_approval_request(im, b))
		return;
	if (on_chat_message(im, b))
		return;
	text = xasprintf("%*s- %s", (b->depth > 1 ? b->depth - 1 : 0) * 2, "",
			 b->text);
	add_pending(im, text, b->line, "list item", 1);
	free(text);
	im->leadin = plain_title(b->text);
	drop_tool_else(im->leadin);
	im->leadin_mark = mark;
	im->leadin_template = has_word(b->text, template_words);
	if (is_contingency(b->text))
		start_contingency(im, b);
}

static char *inline_command(const char *text);

/* An option of a block group that gives its command inline: a run step
 * of that option, titled by the option's words. */
static int
inline_option_step(struct imp *im, const struct md_block *b)
{
	size_t i = (size_t)(b - im->doc->b);
	char *cmd = im->balt_value && (i + 1 >= im->doc->n ||
				       im->doc->b[i + 1].kind != MD_CODE)
		? inline_command(b->text) : NULL;
	char *title;
	cJSON *st;

	if (!cmd)
		return 0;
	{
		char *words = xstrndup(b->text, strcspn(b->text, "`"));

		title = plain_title(words);	/* the option, not its command */
		free(words);
	}
	st = add_run_step(im, title, cmd);
	add_drill(st, jstr(st, "run"), NULL, NULL);
	append_note(st, b->text);
	free(title);
	free(cmd);
	return 1;
}

static char *lower_plain(const char *text);
static const char *declare_choice_var(struct imp *im, const char *name,
				      const char *pattern, const char *prompt);

/* Decide step ST asks roll back or not: its two options and the
 * ROLLBACK_DECISION variable they set. */
static void
add_rollback_options(struct imp *im, cJSON *st)
{
	add_two_options(st, "roll-back", "Roll back", "do-not-roll-back",
			"Do not roll back");
	cJSON_AddStringToObject(st, "variable", declare_choice_var(im,
		"ROLLBACK_DECISION", "(roll-back|do-not-roll-back)",
		"Roll back or not"));
}

/* In LOW (a paragraph, lower case), where "if ..." starts when its
 * sentence tells the operator to stop ("If blue is not healthy, STOP:
 * do not switch back"), or NULL. */
static const char *
stop_condition(const char *low)
{
	static const char *const stops[] = { "stop:", "stop.", "stop,",
		"stop and", "stop -", "stop \u2014", "do not switch back",
		"don't switch back", "do not proceed", "don't proceed",
		"do not continue", "don't continue", NULL };

	for (size_t i = 0; stops[i]; i++) {
		const char *at = strstr(low, stops[i]), *cond = NULL;

		if (!at)
			continue;
		for (const char *p = strstr(low, "if "); p && p < at;
		     p = strstr(p + 1, "if "))
			if (p == low || p[-1] == ' ' || p[-1] == '\n')
				cond = p;
		if (cond && !memchr(cond, '.', (size_t)(at - cond)))
			return cond;
	}
	return NULL;
}

/* A paragraph saying when not to roll back ("Do not roll back if the
 * green stack already ran the migration ... - fix forward instead") is
 * the roll back / do not roll back decision, as the heading "Do not roll
 * back if" is: its words are the decision's note, whole. Returns 1 when
 * so. */
static int
on_no_rollback_para(struct imp *im, const struct md_block *b)
{
	static const char *const opens[] = { "do not roll back if",
		"don't roll back if", "don\u2019t roll back if",
		"do not rollback if", "never roll back if",
		"do not roll back when", "don't roll back when", NULL };
	char *low = lower_plain(b->text), *title;
	cJSON *st;
	size_t i = 0;

	const char *stop;

	while (opens[i] && strncmp(low, opens[i], strlen(opens[i])) != 0)
		i++;
	stop = opens[i] ? NULL : stop_condition(low);
	if (!opens[i] && !stop) {
		free(low);
		return 0;
	}
	if (stop) {	/* "If blue is not healthy, STOP: do not switch back" */
		char *cond = xstrndup(stop, strcspn(stop, ",:;.\n"));

		title = xasprintf("Go or no-go: stop %s", cond);
		free(cond);
	} else {
		char *plain = plain_title(b->text);

		title = leading_clause(plain);
		free(plain);
	}
	free(low);
	st = add_step_in(im, PHASE_DECIDE, STEP_KIND_DECIDE,
			 title ? title : "Roll back?");
	free(title);
	apply_alt_when(im, st);
	append_note(st, b->text);
	add_rollback_options(im, st);
	if (stop)
		add_review(im, b->line, st, "the runbook says to stop on a "
			   "condition (line %d): the draft makes it a go/no-go "
			   "decision before the approval; \"Do not roll back\" "
			   "skips the steps that change things; check the "
			   "condition is checked before it is answered",
			   b->line);
	im->n_prose++;
	strbuf_addf(&im->notes_log, "  line %d: paragraph -> note of %s\n",
		    b->line, jstr(st, "id"));
	return 1;
}

/* 'Post to #incidents: "Rolled back <SERVICE>"', 'Tell #releases:
 * "..."': a chat message to send, its channel in *CHANNEL and its words
 * returned (caller frees both), or NULL. */
static char *
chat_message(const char *text, char **channel)
{
	static const char *const verbs[] = { "post to ", "post in ",
		"post on ", "tell ", "send to ", "send in ", "message ",
		"announce in ", "announce on ", "announce to ", "notify ",
		"say in ", "write in ", "write to ", "update ", "ping ", NULL };
	static const char *const quotes[][2] = { { "\"", "\"" },
		{ "\xe2\x80\x9c", "\xe2\x80\x9d" }, { "`", "`" },
		{ "'", "'" }, { NULL, NULL } };
	const char *p = text + strspn(text, " *_"), *ch, *colon, *q, *end;
	size_t n = 0;

	for (size_t i = 0; verbs[i] && !n; i++)
		if (strncasecmp(p, verbs[i], strlen(verbs[i])) == 0)
			n = strlen(verbs[i]);
	if (!n)
		return NULL;
	p += n;
	if (strncasecmp(p, "the ", 4) == 0)
		p += 4;
	if (*p != '#' && *p != '@')
		return NULL;
	ch = p;
	p += 1 + strcspn(p + 1, " :*_`\n");
	if (p == ch + 1)
		return NULL;
	colon = p + strspn(p, " *_");
	if (strncasecmp(colon, "channel", 7) == 0)	/* "the #ops channel:" */
		colon += 7 + strspn(colon + 7, " *_");
	if (*colon != ':')
		return NULL;
	q = colon + 1 + strspn(colon + 1, " *_");
	for (size_t i = 0; quotes[i][0]; i++) {
		size_t ol = strlen(quotes[i][0]);
		const char *c = quotes[i][1];

		if (strncmp(q, quotes[i][0], ol) != 0)
			continue;
		end = strstr(q + ol, c);
		/* the last closing quote: the words may quote too */
		for (const char *e = end; e; e = strstr(e + 1, c))
			end = e;
		if (!end || end == q + ol)
			return NULL;
		*channel = xstrndup(ch, (size_t)(p - ch));
		return xstrndup(q + ol, (size_t)(end - q - ol));
	}
	return NULL;
}

/* A chat message the runbook says to post is a message step of the
 * communicate phase, its placeholders variables (<OPERATOR> the session's
 * operator). Returns 1 when made. */
static int
on_chat_message(struct imp *im, const struct md_block *b)
{
	char *channel = NULL, *words = chat_message(b->text, &channel);
	struct strbuf tpl = STRBUF_INIT;
	char *title, *path;
	cJSON *st;

	if (!words)
		return 0;
	title = xasprintf("Post to %s", channel);
	rewrite_placeholders(im, words, 0, &tpl);
	st = add_step_in(im, PHASE_COMMUNICATE, STEP_KIND_MESSAGE, title);
	apply_alt_when(im, st);
	cJSON_AddStringToObject(st, "template", strbuf_str(&tpl));
	cJSON_AddStringToObject(st, "channel", "file");
	path = xasprintf("%s.txt", strchr(jstr(st, "id"), '.') + 1);
	cJSON_AddStringToObject(st, "path", path);
	add_review(im, b->line, st, "the runbook posts this to %s: the "
		   "draft writes it to a file; set the channel that posts it",
		   channel);
	strbuf_addf(&im->notes_log, "  line %d: chat message -> %s\n",
		    b->line, jstr(st, "id"));
	free(path);
	free(title);
	free(words);
	free(channel);
	strbuf_done(&tpl);
	return 1;
}

static void
on_para(struct imp *im, const struct md_block *b)
{
	size_t mark = im->pending.len;

	im->task = NULL;
	prose_cd(im, b);
	if (on_approval_request(im, b))
		return;
	if (on_chat_message(im, b))
		return;
	if (on_no_rollback_para(im, b))
		return;
	if (inline_option_step(im, b))
		return;
	if (im->title && !im->summary && im->level <= 1) {
		im->summary = xstrdup(b->text);
		for (char *c = im->summary; *c; c++)
			if (*c == '\n')
				*c = ' ';
		return;
	}
	add_pending(im, b->text, b->line, "paragraph", 1);
	im->leadin = plain_title(b->text);
	drop_tool_else(im->leadin);
	im->leadin_mark = mark;
	im->leadin_template = has_word(b->text, template_words);
	if (is_contingency(b->text))
		start_contingency(im, b);
}

static void
on_comment(struct imp *im, const struct md_block *b)
{
	char *text = xasprintf("(comment) %s", b->text);

	add_pending(im, text, b->line, "HTML comment", 0);
	free(text);
}

/* A variable set by a decide step: NAME, or NAME_2... when taken. */
static const char *
declare_choice_var(struct imp *im, const char *name, const char *pattern,
		   const char *prompt)
{
	char *unique = xstrdup(name);
	struct imp_var *v;

	for (int k = 2;; k++) {
		size_t i;

		for (i = 0; i < im->n_vars && strcmp(im->vars[i].name, unique);
		     i++)
			;
		if (i == im->n_vars)
			break;
		free(unique);
		unique = xasprintf("%s_%d", name, k);
	}
	im->vars = xrealloc(im->vars, (im->n_vars + 1) * sizeof(*im->vars));
	v = &im->vars[im->n_vars++];
	memset(v, 0, sizeof(*v));
	v->name = unique;
	v->orig = xstrdup("decision");
	v->pattern = xstrdup(pattern);
	v->prompt = xstrdup(prompt);
	return v->name;
}

/* --- alternatives ------------------------------------------------------------ */

static const char *const alt_words[] = {
	"option", "strategy", "method", "approach", "scenario", "alternative",
	"plan", "path", "variant", "choice",
	/* escalation levels, each a procedure of its own ("Level 1:
	 * Complete rollback", "Level 2: Partial rollback") */
	"level", "tier", NULL,
};

static const char *const platform_words[] = {
	"ios", "android", "linux", "macos", "windows", "web", "app store",
	"google play", "play store", "testflight", "iphone", "ipad", NULL,
};

/* Where a service runs, named alone as a list item's lead-in. */
static const char *const hosting_words[] = {
	"aws", "gcp", "google cloud", "azure", "kubernetes", "k8s", "ecs",
	"eks", "gke", "aks", "openshift", "nomad", "heroku", "fly.io",
	"vercel", "netlify", "cloud run", "lambda", "app engine",
	"bare metal", "on-prem", "on-premises", "docker", "docker compose",
	NULL,
};

/* HEADING (plain, lower case) starts with WORD as a whole word. */
static int
starts_with_word(const char *h, const char *word)
{
	size_t n = strlen(word);

	return strncmp(h, word, n) == 0 && !isalnum((unsigned char)h[n]);
}

/* Where a service runs, named as a heading of its own: "Kubernetes",
 * "Nomad", "VMs (systemd)". */
static const char *const hosting_heading_words[] = {
	"vms", "vm", "virtual machines", "systemd", "bare-metal",
	"baremetal", NULL,
};

static char *
lower_plain(const char *text)
{
	char *t = plain_title(text);

	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return t;
}

/* What makes a heading one of several alternatives: 1 a named
 * alternative ("Option B: ..."), 2 a fallback ("If the revert fails"),
 * 3 a platform, 0 none. */
static int
alt_kind(const char *text)
{
	char *h = lower_plain(text);
	int kind = 0;

	for (size_t i = 0; alt_words[i] && !kind; i++)
		if (starts_with_word(h, alt_words[i]) && h[strlen(alt_words[i])])
			kind = 1;
	if (!kind && starts_with_word(h, "if") &&
	    (strstr(h, "fail") || strstr(h, "does not work") ||
	     strstr(h, "doesn't work") || strstr(h, "not possible") ||
	     strstr(h, "unavailable") || strstr(h, "not available") ||
	     strstr(h, "cannot") || strstr(h, "can't") ||
	     strstr(h, "can not") || strstr(h, "unable") ||
	     strstr(h, "won't") || strstr(h, "will not")))
		kind = 2;
	for (size_t i = 0; platform_words[i] && !kind; i++)
		if (starts_with_word(h, platform_words[i]))
			kind = 3;
	free(h);
	return kind;
}

/* The hosting platform heading TEXT names first ("### Kubernetes",
 * "### VMs (systemd)"), as an index (hosting_words, then the heading
 * words after them), or -1. */
static int
hosting_heading(const char *text)
{
	char *h = lower_plain(text);
	int n = 0, hit = -1;

	for (size_t i = 0; hosting_words[i] && hit < 0; i++, n++)
		if (starts_with_word(h, hosting_words[i]))
			hit = n;
	for (size_t i = 0; hosting_heading_words[i] && hit < 0; i++, n++)
		if (starts_with_word(h, hosting_heading_words[i]))
			hit = n;
	free(h);
	return hit;
}

/* The heading next to heading I at its level under the same parent,
 * before it (DIR -1) or after it (DIR 1), or -1 when there is none. */
static long
sibling_heading(const struct md_doc *doc, size_t i, int dir)
{
	int lvl = doc->b[i].level;

	for (long k = (long)i + dir; k >= 0 && (size_t)k < doc->n; k += dir) {
		if (doc->b[k].kind != MD_HEADING || doc->b[k].level > lvl)
			continue;
		return doc->b[k].level == lvl ? k : -1;
	}
	return -1;
}

/* Heading I names a hosting platform and a sibling next to it names
 * another: parallel procedures, one per platform ("### Kubernetes",
 * "### Nomad"), never one run after the other. */
static int
is_hosting_alternative(const struct md_doc *doc, size_t i)
{
	int w = hosting_heading(doc->b[i].text);

	if (w < 0 || doc->b[i].level <= 1)
		return 0;
	for (int dir = -1; dir <= 1; dir += 2) {
		long k = sibling_heading(doc, i, dir);
		int o = k < 0 ? -1 : hosting_heading(doc->b[k].text);

		if (o >= 0 && o != w)
			return 1;
	}
	return 0;
}

/* TEXT marks its section as the one to pick among others: "Revert
 * (recommended)", "Roll forward (preferred)". */
static int
marks_recommended(const char *text)
{
	static const char *const marks[] = { "(recommended", "(preferred",
		"recommended)", "preferred)", NULL };
	char *h = lower_plain(text);
	int hit = 0;

	for (size_t i = 0; marks[i] && !hit; i++)
		hit = strstr(h, marks[i]) != NULL;
	free(h);
	return hit;
}

/* TEXT (owned, returned) without the marks that say it is the one to
 * pick ("Revert (recommended)" -> "Revert"): the option carries
 * "recommended" instead, which a drill hides until the trainee decides. */
static char *
drop_recommend_mark(char *text)
{
	static const char *const marks[] = { " (recommended)",
		" (preferred)", "(recommended)", "(preferred)", NULL };

	for (size_t i = 0; marks[i]; i++) {
		char *p;
		size_t n = strlen(marks[i]);

		while ((p = strcasestr(text, marks[i])))
			memmove(p, p + n, strlen(p + n) + 1);
	}
	return text;
}

static int has_commands(const struct md_doc *doc, size_t i);
static int classify(const char *heading);

/* Heading TEXT names a phase that is no way of rolling back ("Prepare",
 * "Verify", "Communicate"): a step of the runbook, never an alternative
 * to the recommended section beside it. */
static int
names_other_phase(const char *text)
{
	static const char *const before[] = { "prepare", "preparation",
		"prerequisite", "prerequisites", "before you start", "setup",
		"set up", "back up", "backup", NULL };
	int k = classify(text);

	return k == (int)PHASE_ASSESS || k == (int)PHASE_APPROVE ||
	       k == (int)PHASE_VERIFY || k == (int)PHASE_COMMUNICATE ||
	       has_word(text, before);
}

/* Heading I, with commands, is one of sibling sections (same level,
 * same parent) of which one says it is recommended or preferred and at
 * least two hold commands: the sections are alternatives, whatever
 * their names. */
static int
sibling_of_recommended(const struct md_doc *doc, size_t i)
{
	int lvl = doc->b[i].level, marked = 0, with_cmds = 0;
	size_t start = i;

	if (lvl <= 1 || !has_commands(doc, i) ||
	    names_other_phase(doc->b[i].text))
		return 0;
	while (start > 0 && !(doc->b[start - 1].kind == MD_HEADING &&
			      doc->b[start - 1].level < lvl))
		start--;
	for (size_t k = start; k < doc->n; k++) {
		if (doc->b[k].kind != MD_HEADING || doc->b[k].level > lvl)
			continue;
		if (doc->b[k].level < lvl)
			break;
		marked |= marks_recommended(doc->b[k].text);
		with_cmds += has_commands(doc, k) &&
			     !names_other_phase(doc->b[k].text);
	}
	return marked && with_cmds >= 2;
}

/* A section run only when something went wrong: "Troubleshooting",
 * "Emergency ...", "Known issues". */
static int
is_conditional(const char *text)
{
	static const char *const words[] = { "troubleshoot", "emergency",
		"known issues", "common issues", "common problems",
		"workaround", "break glass", "break-glass", NULL };

	return has_word(text, words);
}

/* The section of heading I holds a fenced block of commands. */
static int
has_commands(const struct md_doc *doc, size_t i)
{
	for (size_t k = i + 1; k < doc->n; k++) {
		const struct md_block *b = &doc->b[k];

		if (b->kind == MD_HEADING)
			return 0;
		if (b->kind == MD_CODE && (in_list(b->info, shell_langs, 0) ||
					   !*b->info))
			return 1;
	}
	return 0;
}

/* Heading I has a deeper heading before the next one of its level. */
static int
has_children(const struct md_doc *doc, size_t i)
{
	for (size_t k = i + 1; k < doc->n; k++)
		if (doc->b[k].kind == MD_HEADING)
			return doc->b[k].level > doc->b[i].level;
	return 0;
}

/* A heading whose children are alternatives by its own words: "Choose
 * one of", "Rollback options", "Alternatives". */
static int
offers_choice(const char *text)
{
	static const char *const words[] = { "options", "alternatives",
		"choose", "one of", "ways to", "scenarios", "failure modes",
		"cases", "troubleshoot", "known issues", "common issues",
		"common problems", NULL };

	return has_word(text, words);
}

static int
is_numbered(const char *text)
{
	const char *p = text + strspn(text, " ");

	return isdigit((unsigned char)*p) &&
	       (p[strspn(p, "0123456789")] == '.' ||
		p[strspn(p, "0123456789")] == ')');
}

/* Heading I (at LEVEL, under PARENT) joins group *CUR, or starts one. */
static void
group_add(struct imp *im, int *cur, size_t i, int level, const char *parent)
{
	struct alt_group *g;

	if (*cur < 0 || im->groups[*cur].level != level) {
		im->groups = xrealloc(im->groups, (im->n_groups + 1) *
				      sizeof(*im->groups));
		g = &im->groups[im->n_groups];
		memset(g, 0, sizeof(*g));
		g->level = level;
		g->first = i;
		g->parent = parent ? plain_title(parent) : NULL;
		*cur = (int)im->n_groups++;
	}
	g = &im->groups[*cur];
	g->members = xrealloc(g->members, (g->n + 1) * sizeof(*g->members));
	g->members[g->n++] = i;
	im->alt_of[i] = *cur;
}

static int classify(const char *heading);

/* A heading at LEVEL whose entries are each needed only when something
 * went wrong: "Troubleshooting", "Known issues", "Emergency fixes". Not
 * the runbook's title, nor "Emergency rollback procedure", which is the
 * procedure itself. */
static int
is_aside(const char *text, int level)
{
	static const char *const always[] = { "troubleshoot", "known issues",
		"common issues", "common problems", "faq", NULL };

	if (level <= 1)
		return 0;
	return has_word(text, always) ||
	       (is_conditional(text) && classify(text) != PHASE_EXECUTE);
}

/* Some heading above LEVEL is a troubleshooting or emergency section. */
static int
under_conditional(const int *cond, int level)
{
	for (int l = level - 1; l >= 1; l--)
		if (cond[l])
			return 1;
	return 0;
}

/* Find the groups of alternative sections before mapping, so the decide
 * step can list every option when its first section starts. A sibling
 * that is no alternative ends a group; deeper headings do not. */
static void
find_alternatives(struct imp *im, const struct md_doc *doc)
{
	const char *parent[8] = { 0 };
	int cur = -1;
	int cond[8] = { 0 };	/* a heading at this level is conditional */

	im->alt_of = xmalloc((doc->n + 1) * sizeof(*im->alt_of));
	for (size_t i = 0; i < doc->n; i++) {
		const struct md_block *b = &doc->b[i];
		int lvl = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
		const char *up = NULL;
		int kind;

		im->alt_of[i] = -1;
		if (b->kind != MD_HEADING)
			continue;
		for (int l = lvl - 1; l >= 1 && !up; l--)
			up = parent[l];
		kind = alt_kind(b->text);
		if (!kind && is_hosting_alternative(doc, i))
			kind = 3;
		if (!kind && sibling_of_recommended(doc, i))
			kind = 1;
		if (!kind && is_conditional(b->text) && !has_children(doc, i) &&
		    has_commands(doc, i))
			kind = 2;
		if (!kind && under_conditional(cond, lvl) &&
		    has_commands(doc, i)) {
			/* each troubleshooting entry is needed or not on its
			 * own: a decision of its own, never a required step */
			cur = -1;
			group_add(im, &cur, i, lvl, NULL);
			cur = -1;
			kind = -1;
		}
		if (!kind && up && offers_choice(up) &&
		    (is_numbered(b->text) ||
		     (cur >= 0 && im->groups[cur].level == lvl)))
			kind = 1;
		if (kind > 0 && lvl > 1)
			group_add(im, &cur, i, lvl, up);
		else if (!kind && cur >= 0 && lvl <= im->groups[cur].level)
			cur = -1;
		parent[lvl] = b->text;
		cond[lvl] = is_aside(b->text, lvl);
		for (int l = lvl + 1; l < 8; l++) {
			parent[l] = NULL;
			cond[l] = 0;
		}
	}
}

/* --- alternatives inside one section ------------------------------------ */

/* "**Option 1 —** revert", "Approach B: ...": a lead-in naming one of
 * several alternatives, with a number or letter. */
static int
is_option_leadin(const char *text)
{
	char *h = lower_plain(text);
	int hit = 0;

	for (size_t i = 0; alt_words[i] && !hit; i++) {
		const char *p = h;
		size_t n;

		if (!starts_with_word(p, alt_words[i]))
			continue;
		p += strlen(alt_words[i]);
		p += strspn(p, " ");
		n = strspn(p, "0123456789");
		if (!n && isalpha((unsigned char)*p) && !isalnum((unsigned char)p[1]))
			n = 1;
		hit = n > 0 && !isalnum((unsigned char)p[n]);
	}
	free(h);
	return hit;
}

/* "Alternatively, ...", "Or, ...", "If that fails, ...": the block
 * offers what follows instead of what came just before. */
static int
is_else_leadin(const char *text)
{
	static const char *const words[] = { "alternatively", "or,", "or:",
		"or you can", "or use", "or with ", "or using ", "or via ",
		"instead,", "instead:", "as an alternative",
		"if that fails", "if this fails", "if that does not work",
		"if that doesn't work", "otherwise,", "another option",
		"another way", NULL };
	char *h = lower_plain(text);
	int hit = 0;

	for (size_t i = 0; words[i] && !hit; i++)
		hit = strncmp(h, words[i], strlen(words[i])) == 0;
	free(h);
	return hit;
}

/* "Or with fastlane:", "Or using the CLI:", "Or via the API:": after a
 * procedure, the same thing done with another tool. */
static int
is_tool_else(const char *text)
{
	static const char *const words[] = { "or with ", "or using ",
		"or via ", NULL };
	char *h = lower_plain(text);
	int hit = 0;

	for (size_t i = 0; words[i] && !hit; i++)
		hit = strncmp(h, words[i], strlen(words[i])) == 0;
	free(h);
	return hit;
}

/* LABEL without the "Or " of "Or with fastlane": the option, or step,
 * "With fastlane". */
static void
drop_tool_else(char *label)
{
	if (!is_tool_else(label))
		return;
	memmove(label, label + 3, strlen(label + 3) + 1);
	label[0] = (char)toupper((unsigned char)label[0]);
}

/* "Pick one:", "Use one of the following": the list after it holds
 * alternatives. */
static int
is_pick_one(const char *text)
{
	static const char *const words[] = { "pick one", "choose one",
		"one of the following", "one of these", "either of",
		"use one of", "choose between", "pick the one", "any one of",
		"pick whichever", "choose whichever", "depending on", NULL };
	/* words that say it only as the whole lead-in ("Either:") */
	static const char *const alone[] = { "either", "one of", NULL };
	char *h = lower_plain(text);
	int hit = has_word(text, words);

	for (size_t i = 0; alone[i] && !hit; i++)
		hit = strcmp(h, alone[i]) == 0 && strchr(text, ':');
	free(h);
	return hit;
}

/* "On Kubernetes: ...", "For ECS:", "Using Helm:": an item that says
 * where (or with what) its commands apply. */
static int
is_platform_item(const char *text)
{
	static const char *const lead[] = { "on ", "for ", "using ",
		"if you use ", "if you run ", "if you are on ", "if on ",
		"via ", NULL };
	static const char *const places[] = { "the ", "each ", "every ",
		"all ", "both ", "a ", "your ", "this ", NULL };
	char *h = xstrndup(text, strcspn(text, "\n"));
	size_t colon, w = 0;
	int hit = 0;

	for (size_t r = 0; h[r]; r++)	/* emphasis and code marks out */
		if (h[r] != '*' && h[r] != '`' && h[r] != '_')
			h[w++] = (char)tolower((unsigned char)h[r]);
	h[w] = '\0';
	colon = strcspn(h, ":");

	if (h[colon] == ':' && colon <= 48) {
		for (size_t i = 0; lead[i] && !hit; i++) {
			size_t n = strlen(lead[i]);

			/* "On the bastion:", "For each region:" are places
			 * of one procedure, not alternatives */
			hit = strncmp(h, lead[i], n) == 0;
			for (size_t k = 0; places[k] && hit; k++)
				hit = strncmp(h + n, places[k],
					      strlen(places[k])) != 0;
		}
		for (size_t i = 0; platform_words[i] && !hit; i++)
			hit = starts_with_word(h, platform_words[i]);
		/* "1. AWS:", "- Kubernetes:": a hosting platform's name is
		 * all the item says before the colon */
		for (size_t i = 0; hosting_words[i] && !hit; i++)
			hit = colon == strlen(hosting_words[i]) &&
			      strncmp(h, hosting_words[i], colon) == 0;
	}
	free(h);
	return hit;
}

/* Where the span of the member starting at block START ends, with no
 * member after it: at a heading, at a block shallower than an item
 * member or a sibling item of it, or (for a paragraph or code member)
 * at prose after its commands. */
static size_t
member_end(const struct md_doc *doc, size_t start)
{
	const struct md_block *m = &doc->b[start];
	int seen_code = m->kind == MD_CODE;

	for (size_t j = start + 1; j < doc->n; j++) {
		const struct md_block *b = &doc->b[j];

		if (b->kind == MD_HEADING)
			return j;
		if (m->kind == MD_ITEM && (b->depth < m->depth ||
					   (b->kind == MD_ITEM &&
					    b->depth == m->depth)))
			return j;
		if (m->kind != MD_ITEM && seen_code && b->depth <= m->depth &&
		    (b->kind == MD_PARA || b->kind == MD_ITEM))
			return j;
		seen_code |= b->kind == MD_CODE;
	}
	return doc->n;
}

/* The command an option lead-in gives inline, at the end of its words
 * ("**Option 1 - restart only:** `systemctl restart api`"): a code span
 * closing the paragraph that reads as a shell command with arguments,
 * or NULL ("reset `main` to ..." names a branch). Caller frees. */
static char *
inline_command(const char *text)
{
	size_t len = strlen(text), open;
	char *cmd;

	while (len && strchr(" \t.\n", text[len - 1]))
		len--;
	if (!is_option_leadin(text) || len < 2 || text[len - 1] != '`')
		return NULL;
	for (open = len - 1; open > 0 && text[open - 1] != '`' &&
	     text[open - 1] != '\n'; open--)
		;
	if (open == 0 || text[open - 1] != '`' || open + 1 >= len)
		return NULL;
	cmd = xstrndup(text + open, len - 1 - open);
	if (strchr(cmd, ' ') && looks_like_shell(cmd))
		return cmd;
	free(cmd);
	return NULL;
}

/* Some block in [FROM, TO) is a code block, or an option lead-in with
 * its command inline. */
static int
holds_code(const struct md_doc *doc, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++) {
		char *inl;

		if (doc->b[j].kind == MD_CODE)
			return 1;
		if (doc->b[j].kind == MD_PARA &&
		    (inl = inline_command(doc->b[j].text)) != NULL) {
			free(inl);
			return 1;
		}
	}
	return 0;
}

/* Some block in [FROM, TO) is a list item: steps done by hand. */
static int
holds_items(const struct md_doc *doc, size_t from, size_t to)
{
	for (size_t j = from; j < to; j++)
		if (doc->b[j].kind == MD_ITEM && !doc->b[j].task)
			return 1;
	return 0;
}

/* The label of a member starting at block B: the first line of its
 * words (or of its command), plain, at most 60 bytes; "Or with fastlane"
 * is the option "With fastlane". Caller frees. */
static char *
block_label(const struct md_block *b)
{
	const char *t = b->kind == MD_CODE ? skip_comments(b->text) : b->text;
	char *line = xstrndup(t, strcspn(t, "\n"));
	char *label = plain_title(line);

	free(line);
	drop_tool_else(label);
	cap_utf8(label, 60);
	if (!*label) {
		free(label);
		label = xstrdup("Commands");
	}
	return label;
}

/* A group of alternatives of one section: MEMBERS (block indexes of
 * where each starts), under the heading PARENT. Each block of a
 * member's span is marked as that member's, when every span holds
 * commands; otherwise nothing is grouped. */
static void
block_group_add(struct imp *im, const struct md_doc *doc, const size_t *members,
		size_t n, const char *parent)
{
	struct alt_group *g;
	size_t *ends = xmalloc(n * sizeof(*ends));

	for (size_t k = 0; k < n; k++) {
		ends[k] = k + 1 < n ? members[k + 1] : member_end(doc, members[k]);
		if ((!holds_code(doc, members[k], ends[k]) &&
		     !(k + 1 < n && is_tool_else(doc->b[members[k + 1]].text) &&
		       holds_items(doc, members[k], ends[k]))) ||
		    im->balt_of[members[k]] >= 0) {
			free(ends);
			return;
		}
	}
	im->groups = xrealloc(im->groups, (im->n_groups + 1) *
			      sizeof(*im->groups));
	g = &im->groups[im->n_groups];
	memset(g, 0, sizeof(*g));
	g->blocks = 1;
	g->n = n;
	g->first = members[0];
	g->members = xmalloc(n * sizeof(*g->members));
	g->labels = xmalloc(n * sizeof(*g->labels));
	g->parent = parent ? plain_title(parent) : NULL;
	for (size_t k = 0; k < n; k++) {
		g->members[k] = members[k];
		g->labels[k] = block_label(&doc->b[members[k]]);
		if (k < 32 && !holds_code(doc, members[k], ends[k]))
			g->by_hand |= 1u << k;
		for (size_t j = members[k]; j < ends[k]; j++) {
			im->balt_of[j] = (int)im->n_groups;
			im->bmember_of[j] = (int)k;
		}
	}
	im->n_groups++;
	free(ends);
}

/* Blocks from I of the same kind and depth as block I, in the same
 * section, that IS_MEMBER accepts, up to MAX; their indexes in OUT. */
static size_t
sibling_members(const struct md_doc *doc, size_t i, int (*is_member)(const char *),
		size_t *out, size_t max)
{
	const struct md_block *first = &doc->b[i];
	size_t n = 0;

	for (size_t j = i; j < doc->n && n < max; j++) {
		const struct md_block *b = &doc->b[j];

		if (b->kind == MD_HEADING || b->depth < first->depth)
			break;
		if (b->kind == first->kind && b->depth == first->depth &&
		    !b->task) {
			if (!is_member(b->text)) {
				if (b->kind == MD_ITEM)
					break;	/* another item: the list goes on */
				continue;
			}
			out[n++] = j;
		}
	}
	return n;
}

/* The items of the list right after the pick-one block I. */
static size_t
list_members(const struct md_doc *doc, size_t i, size_t *out, size_t max)
{
	int depth = doc->b[i].kind == MD_ITEM ? doc->b[i].depth + 1
					      : doc->b[i].depth + 1;
	size_t n = 0;

	for (size_t j = i + 1; j < doc->n && n < max; j++) {
		const struct md_block *b = &doc->b[j];

		if (b->kind == MD_HEADING || b->depth < depth ||
		    (b->kind == MD_PARA && b->depth <= doc->b[i].depth))
			break;
		if (b->kind == MD_ITEM && b->depth == depth && !b->task)
			out[n++] = j;
	}
	return n;
}

/* Block J is a bare lead-in ("Revert:", "**Reset:**"): one line of at
 * most five words ending in a colon, commands (a fence or an indented
 * block) right after it. */
static int
is_bare_leadin(const struct md_doc *doc, size_t j)
{
	const struct md_block *b = &doc->b[j];
	char *h;
	size_t len, words = 0;
	int hit;

	if ((b->kind != MD_PARA && b->kind != MD_ITEM) || b->task ||
	    strchr(b->text, '\n') || j + 1 >= doc->n ||
	    doc->b[j + 1].kind != MD_CODE || doc->b[j + 1].depth < b->depth)
		return 0;
	h = xstrdup(b->text);
	len = strlen(h);
	while (len && (h[len - 1] == '*' || h[len - 1] == '_' ||
		       h[len - 1] == ' '))
		h[--len] = '\0';
	hit = len > 1 && h[len - 1] == ':';
	for (size_t k = 0; k < len && hit; k++)
		if (h[k] == ' ' && k + 1 < len && h[k + 1] != ' ')
			hit = ++words < 5;
	free(h);
	return hit;
}

/* The bare lead-ins after the pick-one block I, each over its commands
 * ("Pick one:", "Revert:" and a fence, "Reset:" and a fence): any other
 * prose ends them. */
static size_t
leadin_members(const struct md_doc *doc, size_t i, size_t *out, size_t max)
{
	int depth = doc->b[i].depth;
	size_t n = 0;

	for (size_t j = i + 1; j < doc->n && n < max; j++) {
		const struct md_block *b = &doc->b[j];

		if (b->kind == MD_HEADING || b->depth < depth)
			break;
		if (b->kind == MD_CODE && n > 0)
			continue;
		if (b->depth != depth || !is_bare_leadin(doc, j))
			break;
		out[n++] = j;
	}
	return n;
}

/* Where the commands just before block I start: the lead-in of the code
 * blocks right before it (or the first of them), in the same section. */
static size_t
previous_member(const struct md_doc *doc, size_t i)
{
	size_t j = i;

	while (j > 0 && doc->b[j - 1].kind == MD_CODE)
		j--;
	/* or a list of steps done by hand ("1. Open the console") before
	 * "Or with the CLI:" */
	if (j == i && is_tool_else(doc->b[i].text))
		while (j > 0 && doc->b[j - 1].kind != MD_HEADING &&
		       doc->b[j - 1].depth > doc->b[i].depth)
			j--;
	if (j == i)
		return (size_t)-1;
	if (j > 0 && (doc->b[j - 1].kind == MD_PARA ||
		      doc->b[j - 1].kind == MD_ITEM) &&
	    doc->b[j - 1].depth == doc->b[i].depth)
		j--;
	return j;
}

/* The "Alternatively, ..." block right after the commands of the member
 * starting at block M, or -1. */
static size_t
next_else(const struct md_doc *doc, size_t m)
{
	size_t j = m + 1;

	if (doc->b[m].kind != MD_CODE)
		while (j < doc->n && doc->b[j].kind != MD_CODE &&
		       doc->b[j].kind != MD_HEADING &&
		       doc->b[j].depth > doc->b[m].depth)
			j++;
	if (j >= doc->n || doc->b[j].kind != MD_CODE)
		return (size_t)-1;
	while (j < doc->n && doc->b[j].kind == MD_CODE)
		j++;
	if (j < doc->n && doc->b[j].kind == doc->b[m].kind &&
	    doc->b[j].depth == doc->b[m].depth && is_else_leadin(doc->b[j].text))
		return j;
	if (j < doc->n && doc->b[m].kind == MD_CODE &&
	    (doc->b[j].kind == MD_PARA || doc->b[j].kind == MD_ITEM) &&
	    is_else_leadin(doc->b[j].text))
		return j;
	return (size_t)-1;
}

/* Block I offers one more alternative to group G, whose last member
 * ends where I starts. */
static void
join_block_group(struct imp *im, const struct md_doc *doc, size_t g, size_t i)
{
	struct alt_group *grp = &im->groups[g];
	size_t end = member_end(doc, i);

	if (!holds_code(doc, i, end))
		return;
	grp->members = xrealloc(grp->members, (grp->n + 1) *
				sizeof(*grp->members));
	grp->labels = xrealloc(grp->labels, (grp->n + 1) *
			       sizeof(*grp->labels));
	grp->members[grp->n] = i;
	grp->labels[grp->n] = block_label(&doc->b[i]);
	for (size_t j = i; j < end; j++) {
		im->balt_of[j] = (int)g;
		im->bmember_of[j] = (int)grp->n;
	}
	grp->n++;
}

/* Find, before mapping, the alternatives a section offers in its blocks:
 * "**Option 1 —**" lead-ins, "Alternatively, ..." after commands, the
 * list after "Pick one:", and per-platform items ("On Kubernetes:"). */
static void
find_block_alternatives(struct imp *im, const struct md_doc *doc)
{
	const char *heading = NULL;
	size_t members[32];

	im->balt_of = xmalloc((doc->n + 1) * sizeof(*im->balt_of));
	im->bmember_of = xmalloc((doc->n + 1) * sizeof(*im->bmember_of));
	for (size_t i = 0; i < doc->n; i++) {
		im->balt_of[i] = -1;
		im->bmember_of[i] = -1;
	}
	for (size_t i = 0; i < doc->n; i++) {
		const struct md_block *b = &doc->b[i];
		size_t n = 0, prev;

		if (b->kind == MD_HEADING)
			heading = b->text;
		if ((b->kind != MD_PARA && b->kind != MD_ITEM) || b->task ||
		    im->balt_of[i] >= 0)
			continue;
		if (is_option_leadin(b->text))
			n = sibling_members(doc, i, is_option_leadin, members, 32);
		else if (is_pick_one(b->text)) {
			n = list_members(doc, i, members, 32);
			if (n < 2)
				n = leadin_members(doc, i, members, 32);
		}
		else if (b->kind == MD_ITEM && is_platform_item(b->text))
			n = sibling_members(doc, i, is_platform_item, members, 32);
		else if (is_else_leadin(b->text) &&
			 (prev = previous_member(doc, i)) != (size_t)-1) {
			int g = im->balt_of[prev];

			if (g >= 0) {	/* "Alternatively" once more */
				join_block_group(im, doc, (size_t)g, i);
				continue;
			}
			members[n++] = prev;
			members[n++] = i;
			while (n < 32 && (prev = next_else(doc, members[n - 1])) !=
			       (size_t)-1)
				members[n++] = prev;
		}
		if (n >= 2)
			block_group_add(im, doc, members, n, heading);
	}
}

/* A new group starts where a member follows a non-member sibling. */
static int
group_member_index(const struct alt_group *g, size_t i)
{
	for (size_t k = 0; k < g->n; k++)
		if (g->members[k] == i)
			return (int)k;
	return -1;
}

static int
is_no_rollback(const char *label)
{
	static const char *const words[] = { "do not roll", "don't roll",
		"no rollback", "not roll back", "roll forward", "fix forward",
		"roll-forward", "hotfix", "wait and see", "no action", NULL };

	return has_word(label, words);
}

static int
is_recommended(const char *label)
{
	static const char *const words[] = { "recommended", "preferred",
		"default", "first choice", "try first", NULL };

	return has_word(label, words);
}

/* An option id from LABEL without its leading "Option"/"Strategy" word,
 * unique among OPTS. Caller frees. */
static char *
option_id(const cJSON *opts, const char *label)
{
	char *low = lower_plain(label);
	const char *p = low;
	char *id;

	for (size_t i = 0; alt_words[i]; i++)
		if (starts_with_word(p, alt_words[i]))
			p += strlen(alt_words[i]) + strspn(p + strlen(alt_words[i]),
							  " ");
	id = slug(p, 24);
	for (int n = 2;; n++) {
		const cJSON *o;
		int taken = 0;

		cJSON_ArrayForEach(o, opts)
			taken |= strcmp(jstr(o, "id"), id) == 0;
		if (!taken)
			break;
		free(id);
		{
			char *b = slug(p, 20);

			id = xasprintf("%s-%d", b, n);
			free(b);
		}
	}
	free(low);
	return id;
}

/* The label of member K of group G: its heading, or for a block group
 * the words that introduce it. Caller frees. */
static char *
member_label(const struct imp *im, const struct alt_group *g, size_t k)
{
	if (g->labels)
		return xstrdup(g->labels[k]);
	return plain_title(im->doc->b[g->members[k]].text);
}

/* The option id the decide step of G gave member K. Caller frees. */
static char *
option_of_member(const struct imp *im, const struct alt_group *g, size_t k)
{
	char *label;
	const cJSON *o;
	char *id = NULL;

	if (g->member_vars)
		return xstrdup("yes");
	label = drop_recommend_mark(member_label(im, g, k));
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(g->decide,
							       "options"))
		if (!id && strcmp(jstr(o, "label"), label) == 0)
			id = xstrdup(jstr(o, "id"));
	free(label);
	return id;
}

/* The variable member K of group G is an option of. */
static const char *
member_var(const struct alt_group *g, size_t k)
{
	return g->member_vars ? g->member_vars[k] : g->var;
}

/* The prose just before group G's first member says several of them may
 * apply: "Pick the platform(s) affected", "one or more", "all that
 * apply". */
/* A sentence before block M, sections up, asks to pick several ("Pick
 * the platform(s) affected." ending Assess, the list under Roll back):
 * no other group of alternatives comes between. */
static int
picked_earlier(const struct imp *im, size_t m, const char *const *words)
{
	static const char *const verbs[] = { "pick", "choose", "select",
		"decide which", "identify which", NULL };

	for (size_t j = m; j-- > 0;) {
		const struct md_block *b = &im->doc->b[j];

		if ((im->alt_of && im->alt_of[j] >= 0) ||
		    (im->balt_of && im->balt_of[j] >= 0))
			return 0;
		if ((b->kind == MD_PARA || b->kind == MD_ITEM) &&
		    has_word(b->text, words) && has_word(b->text, verbs))
			return 1;
	}
	return 0;
}

static int
several_apply(const struct imp *im, const struct alt_group *g)
{
	static const char *const words[] = { "(s)", "one or more",
		"all that apply", "any that apply", "each affected",
		"every affected", "as many as", "or both", NULL };
	size_t m = g->members[0];

	for (size_t j = m, seen = 0; j-- > 0 && seen < 3; seen++) {
		const struct md_block *b = &im->doc->b[j];

		if (b->kind == MD_HEADING && j != m && b->level < 
		    (im->doc->b[m].kind == MD_HEADING ? im->doc->b[m].level : 7)) {
			if (has_word(b->text, words))
				return 1;
			break;
		}
		if ((b->kind == MD_PARA || b->kind == MD_ITEM) &&
		    has_word(b->text, words))
			return 1;
	}
	return picked_earlier(im, m, words);
}

/* The members of G in MASK as a label ("iOS and Android") or, SEP "-",
 * an option id ("ios-and-android"). Caller frees. */
static char *
members_text(struct imp *im, const struct alt_group *g, unsigned mask,
	     int as_id)
{
	struct strbuf sb = STRBUF_INIT;
	size_t left = 0;

	for (size_t k = 0; k < g->n; k++)
		left += (mask >> k) & 1;
	for (size_t k = 0; k < g->n; k++) {
		char *label;

		if (!((mask >> k) & 1))
			continue;
		label = member_label(im, g, k);
		if (as_id) {
			char *id = slug(label, 16);

			strbuf_addf(&sb, "%s%s", sb.len ? "-and-" : "",
				    *id ? id : "part");
			free(id);
		} else {
			strbuf_addf(&sb, "%s%s", !sb.len ? "" : left == 1 ?
				    " and " : ", ", label);
		}
		left--;
		free(label);
	}
	return strbuf_detach(&sb);
}

/* Group G's members (two or three) may apply together, and at least one
 * does: one decision whose options are every choice of them but none
 * ("iOS", "Android", "iOS and Android"), each setting a yes or no per
 * member; a member's steps run on its own yes. Declining every member is
 * no option, so no path halts nothing. */
static void
make_some_of_decide(struct imp *im, struct alt_group *g)
{
	struct strbuf pat = STRBUF_INIT, title = STRBUF_INIT;
	unsigned all = (1u << g->n) - 1;
	cJSON *st, *opts;

	g->member_vars = xcalloc(g->n, sizeof(*g->member_vars));
	for (size_t k = 0; k < g->n; k++) {
		char *label = member_label(im, g, k);
		char *base = slug(label, 24);	/* "iOS" gives IOS */
		char *name;

		for (char *c = base; *c; c++)
			*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
		name = xasprintf("%s_NEEDED", *base && !isdigit((unsigned char)
			*base) ? base : "PART");
		g->member_vars[k] = xstrdup(declare_choice_var(im, name,
			"(yes|no)", "Whether this part of the runbook applies"));
		free(label);
		free(base);
		free(name);
	}
	for (size_t k = 0; k < g->n; k++) {
		char *label = member_label(im, g, k);

		strbuf_addf(&title, "%s%s", !k ? "Which apply: " :
			    k + 1 < g->n || g->n == 2 ? ", " : " or ",
			    label);
		free(label);
	}
	strbuf_adds(&title, g->n == 2 ? " or both?" : " (one or more)?");
	st = add_step_in(im, im->phase < PHASE_DECIDE ? im->phase
				: PHASE_DECIDE, STEP_KIND_DECIDE,
			 strbuf_str(&title));
	opts = cJSON_AddArrayToObject(st, "options");
	/* one member each first, then pairs, then all of them */
	for (size_t size = 1; size <= g->n; size++)
		for (unsigned mask = 1; mask <= all; mask++) {
			cJSON *o, *sets;
			char *id, *label;

			if ((size_t)__builtin_popcount(mask) != size)
				continue;
			id = members_text(im, g, mask, 1);
			label = members_text(im, g, mask, 0);
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", id);
			cJSON_AddStringToObject(o, "label", label);
			sets = cJSON_AddObjectToObject(o, "sets");
			for (size_t k = 0; k < g->n; k++)
				cJSON_AddStringToObject(sets, g->member_vars[k],
					(mask >> k) & 1 ? "yes" : "no");
			cJSON_AddItemToArray(opts, o);
			strbuf_addf(&pat, "%s%s", pat.len ? "|" : "(", id);
			free(id);
			free(label);
		}
	strbuf_addc(&pat, ')');
	cJSON_AddStringToObject(st, "variable", declare_choice_var(im,
		"PARTS_APPLYING", strbuf_str(&pat),
		"Which parts of the runbook apply"));
	append_note(st, "The runbook lets several of these apply: pick every "
		    "one that does.");
	g->decide = st;
	g->var = xstrdup(g->member_vars[0]);
	add_review(im, im->doc->b[g->members[0]].line, g->decide, "the "
		   "runbook lets several of the %zu parts from line %d apply: "
		   "one question with every choice of them but none", g->n,
		   im->doc->b[g->members[0]].line);
	strbuf_done(&pat);
	strbuf_done(&title);
}

/* Group G's members may apply together: one yes/no decision per member
 * ("iOS: affected?"), each member's steps running on its own yes; with
 * two or three members, one decision with every choice but none. */
static void
make_multi_decide(struct imp *im, struct alt_group *g)
{
	if (g->n >= 2 && g->n <= 3) {
		make_some_of_decide(im, g);
		return;
	}
	g->member_vars = xcalloc(g->n, sizeof(*g->member_vars));
	for (size_t k = 0; k < g->n; k++) {
		char *label = member_label(im, g, k);
		char *base = slug(label, 24);	/* "iOS" gives IOS */
		char *name;

		for (char *c = base; *c; c++)
			*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
		name = xasprintf("%s_NEEDED", *base && !isdigit((unsigned char)
			*base) ? base : "PART");
		char *title = xasprintf("%s: needed?", label);
		cJSON *st;

		st = add_step_in(im, im->phase < PHASE_DECIDE ? im->phase
					: PHASE_DECIDE, STEP_KIND_DECIDE, title);
		add_two_options(st, "yes", "Yes", "no", "No");
		g->member_vars[k] = xstrdup(declare_choice_var(im, name,
			"(yes|no)", "Whether this part of the runbook applies"));
		cJSON_AddStringToObject(st, "variable", g->member_vars[k]);
		append_note(st, "The runbook lets several of these apply: "
			    "answer for each.");
		if (!g->decide)
			g->decide = st;
		free(label);
		free(base);
		free(name);
		free(title);
	}
	g->var = xstrdup(g->member_vars[0]);
	add_review(im, im->doc->b[g->members[0]].line, g->decide, "the "
		   "runbook lets several of the %zu parts from line %d apply: "
		   "one question each", g->n, im->doc->b[g->members[0]].line);
}

/* The decide step of group G, in the decide phase: one option per
 * section (the recommended one first), plus "not needed" for a lone
 * fallback. */
/* LABEL names a second (or later) alternative of a series: "Approach
 * B: ...", "Option 2 - ...", "Plan C". */
static int
is_later_alternative(const char *label)
{
	char *h = lower_plain(label);
	int later = 0;

	for (size_t i = 0; alt_words[i] && !later; i++) {
		size_t n = strlen(alt_words[i]);
		const char *p = h + n;

		if (!starts_with_word(h, alt_words[i]) || *p != ' ')
			continue;
		p++;
		if (*p >= 'b' && *p <= 'h' && !isalnum((unsigned char)p[1]))
			later = 1;
		else if (*p >= '2' && *p <= '9' &&
			 !isalnum((unsigned char)p[1]))
			later = 1;
	}
	free(h);
	return later;
}

/* The block index of the first heading of the same level as member M
 * that comes before it under the same parent (the sections of the
 * approach written first, without a name), or M when there is none. */
static size_t
earlier_siblings(const struct md_doc *doc, size_t m)
{
	size_t first = m;
	int lvl = doc->b[m].level;

	for (size_t k = m; k-- > 0;) {
		if (doc->b[k].kind != MD_HEADING)
			continue;
		if (doc->b[k].level < lvl)
			break;
		if (doc->b[k].level == lvl)
			first = k;
	}
	return first;
}

/* A lone "Approach B" after sections of their own ("### 1. ...",
 * "### 2. ..."): those sections are the approach written first, an
 * option of the same decision ("The steps above"), not a procedure B
 * falls back from. Their steps run only on it. Returns 1 when so. */
static int
alt_with_steps_above(struct imp *im, struct alt_group *g, cJSON *opts,
		     struct strbuf *pat)
{
	size_t m = g->members[0];
	size_t first = earlier_siblings(im->doc, m);
	char *label = member_label(im, g, 0);
	int later = is_later_alternative(label);
	cJSON *o;

	free(label);
	if (g->n != 1 || g->blocks || !later || first == m)
		return 0;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", "steps-above");
	cJSON_AddStringToObject(o, "label", "The steps above (the approach "
				"written first)");
	cJSON_AddItemToArray(opts, o);
	cJSON_DetachItemViaPointer(opts, o);
	cJSON_InsertItemInArray(opts, 0, o);
	strbuf_adds(pat, "|steps-above");
	im->above_first = first;
	im->above_end = m;
	return 1;
}

static void when_add_option(cJSON *step, const char *var, const char *opt);

/* The steps made from sections FIRST to END (block indexes) run only
 * when VAR is "steps-above". */
static void
tie_steps_above(struct imp *im, const char *var)
{
	for (size_t k = 0; k < im->n_placed; k++) {
		size_t sec = im->placed[k].section;

		if (sec >= im->above_first && sec < im->above_end &&
		    sec < im->doc->n)
			when_add_option(im->placed[k].step, var, "steps-above");
	}
}

/* Every member of G is a section for one platform ("### iOS",
 * "### Kubernetes"): the decision picks the platform. */
static int
platform_group(const struct imp *im, const struct alt_group *g)
{
	if (g->n < 2 || g->blocks)
		return 0;
	for (size_t k = 0; k < g->n; k++) {
		size_t m = g->members[k];

		if (alt_kind(im->doc->b[m].text) != 3 &&
		    !is_hosting_alternative(im->doc, m))
			return 0;
	}
	return 1;
}

/* A platform group G whose platforms an earlier platform group's
 * "Which platform?" already asked (the roll back's "### iOS" and
 * "### Android", then verify's): its sections follow that answer, never
 * a second question. Returns 1 when so. */
/* Group G's members are those of O, several of which may apply ("iOS
 * and Android"): G's sections follow O's yes per platform, so "both"
 * verifies both. Returns 1 when so. */
static int
reuse_member_vars(struct imp *im, struct alt_group *g,
		  const struct alt_group *o)
{
	char **vars = xcalloc(g->n, sizeof(*vars));
	size_t k;

	for (k = 0; k < g->n; k++) {
		char *label = member_label(im, g, k);

		for (size_t j = 0; j < o->n && !vars[k]; j++) {
			char *ol = member_label(im, o, j);

			if (strcasecmp(ol, label) == 0)
				vars[k] = xstrdup(o->member_vars[j]);
			free(ol);
		}
		free(label);
		if (!vars[k])
			break;
	}
	if (k < g->n) {
		for (size_t j = 0; j < g->n; j++)
			free(vars[j]);
		free(vars);
		return 0;
	}
	g->member_vars = vars;
	g->decide = o->decide;
	g->var = xstrdup(vars[0]);
	return 1;
}

static int
reuse_platform_decide(struct imp *im, struct alt_group *g)
{
	if (!platform_group(im, g))
		return 0;
	for (size_t e = 0; e < im->n_groups; e++) {
		struct alt_group *o = &im->groups[e];

		if (o != g && o->decide && o->member_vars && o->n == g->n &&
		    reuse_member_vars(im, g, o))
			return 1;
	}
	for (size_t e = 0; e < im->n_groups; e++) {
		struct alt_group *o = &im->groups[e];
		const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o->decide,
								     "options");
		int same;

		if (o == g || !o->decide || o->member_vars || !o->var ||
		    !platform_group(im, o) ||
		    cJSON_GetArraySize(opts) != (int)g->n)
			continue;
		same = 1;
		for (size_t k = 0; k < g->n && same; k++) {
			char *label = member_label(im, g, k);
			const cJSON *op;
			int hit = 0;

			cJSON_ArrayForEach(op, opts)
				hit |= strcmp(jstr(op, "label"), label) == 0;
			same = hit;
			free(label);
		}
		if (!same)
			continue;
		g->decide = o->decide;
		g->var = xstrdup(o->var);
		return 1;
	}
	return 0;
}

static void
make_alt_decide(struct imp *im, struct alt_group *g)
{
	cJSON *opts;

	if (g->n >= 2 && several_apply(im, g)) {
		make_multi_decide(im, g);
		return;
	}
	if (reuse_platform_decide(im, g))
		return;
	opts = cJSON_CreateArray();
	int platforms = platform_group(im, g);
	char *label0 = member_label(im, g, 0);
	char *base = platforms ? xstrdup("PLATFORM")
		: g->n == 1 ? var_name(label0, strlen(label0))
		: g->parent ? var_name(g->parent, strlen(g->parent))
		: xstrdup("CHOICE");
	char *name = xasprintf("%s%s", *base ? base : "CHOICE",
			       strstr(base, "OPTION") ? "" : "_OPTION");
	char *first = member_label(im, g, 0);
	char *title = platforms ? xstrdup("Which platform?")
		: g->n == 1 ? xasprintf("Needed: %s?", first)
		: g->parent ? xasprintf("%s: which one?", g->parent)
		: xstrdup("Which way?");
	cJSON *st;
	struct strbuf pat = STRBUF_INIT;
	int rec = -1, above, fallback;

	for (size_t k = 0; k < g->n && rec < 0; k++) {
		char *label = member_label(im, g, k);

		if (is_recommended(label))
			rec = (int)k;
		free(label);
	}
	for (size_t k = 0; k < g->n; k++) {
		size_t m = rec > 0 && k == 0 ? (size_t)rec
			 : rec > 0 && (int)k <= rec ? k - 1 : k;
		char *label = drop_recommend_mark(member_label(im, g, m));
		char *id = option_id(opts, label);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", label);
		if ((int)m == rec)
			cJSON_AddBoolToObject(o, "recommended", 1);
		cJSON_AddItemToArray(opts, o);
		strbuf_addf(&pat, "%s%s", pat.len ? "|" : "(", id);
		free(label);
		free(id);
	}
	above = alt_with_steps_above(im, g, opts, &pat);
	if (g->n == 1 && !above) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "id", "not-needed");
		cJSON_AddStringToObject(o, "label", "Not needed");
		cJSON_AddItemToArray(opts, o);
		strbuf_adds(&pat, "|not-needed");
	}
	strbuf_addc(&pat, ')');
	g->var = xstrdup(declare_choice_var(im, above ? "APPROACH_OPTION" : name,
					    strbuf_str(&pat),
					    "The option chosen at the decision"));
	if (above) {
		free(title);
		title = xasprintf("%s: which one?", g->parent ? g->parent
				  : "Which approach");
		tie_steps_above(im, g->var);
	}
	/* before the first option's steps, which may come before decide; a
	 * fallback after the steps it depends on, once they have run */
	fallback = g->n == 1 && !above && content_phase(im) >= PHASE_EXECUTE &&
		   cJSON_GetArraySize(im->steps[content_phase(im)]) > 0;
	st = add_step_in(im, fallback ? content_phase(im)
			 : im->phase < PHASE_DECIDE ? im->phase : PHASE_DECIDE,
			 STEP_KIND_DECIDE, title);
	if (fallback) {
		im->conts = xrealloc(im->conts, (im->n_conts + 1) *
				     sizeof(*im->conts));
		im->conts[im->n_conts++] = st;
	}
	cJSON_AddStringToObject(st, "variable", g->var);
	cJSON_AddItemToObject(st, "options", opts);
	append_note(st, g->n == 1 && !above ? "The runbook gives this procedure as a "
		    "fallback: choose it only when the step before it failed."
		    : "The runbook offers these as alternatives: each "
		    "option's steps run only when it is chosen.");
	g->decide = st;
	if (g->blocks) {
		apply_alt_when(im, st);
		if (im->pending.len)
			give_pending(im, st);
		add_review(im, im->doc->b[g->members[0]].line, st, "the blocks "
			   "from line %d are alternatives: check the options and "
			   "that each step sits under the right one",
			   im->doc->b[g->members[0]].line);
	} else if (above)
		add_review(im, im->doc->b[g->members[0]].line, st, "the section "
			   "at line %d names a later approach: the sections "
			   "before it are the approach written first, and this "
			   "decision picks one of the two", im->doc->b[g->members[0]].line);
	else if (g->n == 1)
		add_review(im, im->doc->b[g->members[0]].line, st, "the section "
			   "at line %d runs only when something went wrong: "
			   "its steps run only when this decision says so",
			   im->doc->b[g->members[0]].line);
	else
		add_review(im, im->doc->b[g->members[0]].line, st, "the "
			   "sections from line %d are alternatives: check the "
			   "options and that each step sits under the right one",
			   im->doc->b[g->members[0]].line);
	strbuf_done(&pat);
	free(name);
	free(base);
	free(title);
	free(first);
	free(label0);
}

/* Entering heading I: the group and option it belongs to, if any. */
static void
enter_alternative(struct imp *im, size_t i, int lvl)
{
	int g = im->alt_of ? im->alt_of[i] : -1;
	int k;

	if (g < 0) {
		if (im->alt >= 0 && lvl <= im->alt_level) {
			im->alt = -1;
			free(im->alt_value);
			im->alt_value = NULL;
		}
		return;
	}
	/* An alternative no heading places is a response: it acts. */
	if (im->phase_auto) {
		im->phase = PHASE_EXECUTE;
		im->phase_auto = 0;
	}
	if (!im->groups[g].decide)
		make_alt_decide(im, &im->groups[g]);
	k = group_member_index(&im->groups[g], i);
	free(im->alt_value);
	im->alt_value = NULL;
	im->alt_value = option_of_member(im, &im->groups[g], (size_t)k);
	im->alt_var = member_var(&im->groups[g], (size_t)k);
	im->alt = g;
	im->alt_level = lvl;
}

/* Entering block I: the block group and option it belongs to, if any. */
static void
enter_block_alternative(struct imp *im, size_t i)
{
	int g = im->balt_of ? im->balt_of[i] : -1;
	int k = g >= 0 ? im->bmember_of[i] : -1;

	if (g == im->balt && k == im->bmember)
		return;
	free(im->balt_value);
	im->balt_value = NULL;
	im->balt = -1;
	im->bmember = -1;
	if (g < 0)
		return;
	if (!im->groups[g].decide)
		make_alt_decide(im, &im->groups[g]);
	im->balt_value = option_of_member(im, &im->groups[g], (size_t)k);
	im->balt_var = member_var(&im->groups[g], (size_t)k);
	im->balt = g;
	im->bmember = k;
}

/* --- sections ----------------------------------------------------------------- */

static const struct {
	enum phase_id phase;
	const char *words[16];
} phase_words[] = {
	{ PHASE_COMMUNICATE, { "communicat", "notif", "announce", "post-mortem",
			       "postmortem", "post mortem", "post-incident",
			       "post incident", "postincident", "follow-up",
			       "follow up", "stakeholder", "status page",
			       "tell people", "tell the team", NULL } },
	{ PHASE_APPROVE, { "approv", "sign-off", "sign off", "signoff",
			   "authoriz", NULL } },
	{ PHASE_DECIDE, { "when to", "decision", "decide", "criteria",
			  "matrix", "severity", "do not roll", "should we",
			  "go/no-go", NULL } },
	{ PHASE_ASSESS, { "pre-rollback", "pre rollback", "before roll",
			  "assess", "identify", "detect", "symptom", "impact",
			  "triage", "diagnos", "investigat", "situation",
			  NULL } },
	{ PHASE_VERIFY, { "verif", "validat", "post-rollback",
			  "post rollback", "health", "smoke", "monitor",
			  "confirm", "after roll", NULL } },
	{ PHASE_EXECUTE, { "procedure", "steps", "rollback", "roll back",
			   "execut", "restor", "revert", "recover", "undo",
			   "downgrade", "during", NULL } },
};

/* A section for later, not the incident: "Fail back (later, not during
 * the incident)", "After the incident", "Follow-up". */
static int
is_later_section(const char *heading)
{
	static const char *const words[] = { "not during", "after the incident",
		"after the outage", "follow-up", "follow up", "followup",
		"fail back", "failback", "fail-back", "later)", "(later",
		"later,", "later:", "next business day", NULL };

	return has_word(heading, words);
}

static int
classify(const char *heading)
{
	for (size_t i = 0; i < sizeof(phase_words) / sizeof(phase_words[0]);
	     i++)
		if (has_word(heading, phase_words[i].words))
			return (int)phase_words[i].phase;
	return -1;
}

/* The label of a "Pick one:" item: its words before a colon or a dash
 * ("Helm rollback: the release goes back" gives "Helm rollback"). */
static char *
pick_label(const char *text)
{
	char *plain = plain_title(text);
	size_t n = strcspn(plain, ":(");
	char *dash = strstr(plain, " - ");
	char *em = strstr(plain, " \xe2\x80\x94 ");

	if (dash && (size_t)(dash - plain) < n)
		n = (size_t)(dash - plain);
	if (em && (size_t)(em - plain) < n)
		n = (size_t)(em - plain);
	while (n && (plain[n - 1] == ' ' || plain[n - 1] == '.'))
		n--;
	plain[n] = '\0';
	return plain;
}

/* A decide section whose prose says "Pick one:" and lists the
 * procedures (no commands of their own): a decision with one option per
 * item, each tied like a table's actions to the sections named after it,
 * so choosing one never runs the others. Returns 1 when made. */
/* The block of the current section's "Pick one:" (before the first
 * heading, the runbook's opening), or doc->n. */
static size_t
pick_one_at(const struct imp *im)
{
	const struct md_doc *doc = im->doc;
	size_t i = im->section;

	if (i < doc->n && doc->b[i].kind == MD_HEADING)
		i++;
	for (; i < doc->n && doc->b[i].kind != MD_HEADING; i++)
		if ((doc->b[i].kind == MD_PARA || doc->b[i].kind == MD_ITEM) &&
		    is_pick_one(doc->b[i].text))
			return i;
	return doc->n;
}

static int heading_names(const struct md_block *h, const char *label);

/* Whether the current section's "Pick one:" list names at least two of
 * the sections after it: in any section (the runbook's opening, its
 * title's), the list is a decision tied to those sections. */
static int
pick_one_names_sections(const struct imp *im)
{
	const struct md_doc *doc = im->doc;
	size_t i = pick_one_at(im);
	int named = 0;

	for (size_t k = i + 1; k < doc->n && doc->b[k].kind == MD_ITEM; k++) {
		char *label = pick_label(doc->b[k].text);
		int hit = 0;

		for (size_t h = k + 1; h < doc->n && !hit && *label; h++)
			hit = doc->b[h].kind == MD_HEADING &&
			      heading_names(&doc->b[h], label) > 0;
		named += hit;
		free(label);
	}
	return named >= 2;
}

static int
pick_one_decide(struct imp *im)
{
	const struct md_doc *doc = im->doc;
	size_t i = pick_one_at(im), n = 0;
	cJSON *opts, *st;
	struct strbuf pat = STRBUF_INIT;
	int depth = -1, rec = 0;

	if (i >= doc->n)
		return 0;
	opts = cJSON_CreateArray();
	for (size_t k = i + 1; k < doc->n && doc->b[k].kind == MD_ITEM; k++) {
		char *label = pick_label(doc->b[k].text);
		char *id, *desc;
		cJSON *o;

		if (depth < 0)
			depth = doc->b[k].depth;
		if (doc->b[k].depth != depth || !*label) {
			free(label);
			continue;
		}
		id = option_id(opts, label);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", id);
		cJSON_AddStringToObject(o, "label", label);
		desc = drop_recommend_mark(xstrdup(doc->b[k].text));
		if (strcmp(label, desc) != 0)
			cJSON_AddStringToObject(o, "description", desc);
		if (!rec && marks_recommended(doc->b[k].text)) {
			rec = 1;	/* "(preferred)": the runbook's pick */
			cJSON_AddBoolToObject(o, "recommended", 1);
		}
		free(desc);
		cJSON_AddItemToArray(opts, o);
		strbuf_addf(&pat, "%s%s", n++ ? "|" : "(", id);
		free(id);
		free(label);
	}
	if (n < 2) {
		cJSON_Delete(opts);
		strbuf_done(&pat);
		return 0;
	}
	strbuf_addc(&pat, ')');
	st = add_step(im, STEP_KIND_DECIDE, im->heading ? im->heading
						       : "Which procedure?");
	cJSON_AddItemToObject(st, "options", opts);
	cJSON_AddStringToObject(st, "variable", declare_choice_var(im,
		"PROCEDURE", strbuf_str(&pat), "The procedure chosen"));
	add_review(im, doc->b[i].line, st, "the list after line %d offers %zu "
		   "procedures to pick from: each option runs only the "
		   "section named after it", doc->b[i].line, n);
	im->tables = xrealloc(im->tables, (im->n_tables + 1) *
			      sizeof(*im->tables));
	im->tables[im->n_tables++] = (struct imp_table){ st, im->section, 0 };
	im->prose_decide = st;
	im->prose_decide_level = im->level;
	strbuf_done(&pat);
	return 1;
}

static int section_is_option(const struct imp *im);

/* Prose left when a section ends goes to the section's last step, or to a
 * step of its own: a decision in a "when to roll back" section, an
 * approval in an approval section, otherwise an optional check to read. */
static void
flush_section(struct imp *im)
{
	cJSON *st;

	if (!im->pending.len)
		return;
	if (im->last) {
		give_pending(im, im->last);
		return;
	}
	if (im->not_prod_level) {
		/* a note to read, never run: optional, on no phase's gate */
		st = add_step(im, STEP_KIND_CHECK, im->heading ? im->heading
						: "Not for production");
		mark_not_required(st);
		return;
	}
	if (im->alt >= 0 && im->groups[im->alt].decide) {
		/* an option's own words: they describe the option */
		give_pending(im, im->groups[im->alt].decide);
		return;
	}
	if (im->section_class == PHASE_DECIDE && im->prose_decide) {
		give_pending(im, im->prose_decide);
		return;
	}
	if (im->section_class == PHASE_DECIDE && pick_one_decide(im))
		return;
	if (pick_one_names_sections(im)) {
		/* the runbook's opening or its title's section: a decision
		 * all the same, in decide */
		enum phase_id saved = im->phase;
		int saved_auto = im->phase_auto, made;

		im->phase = PHASE_DECIDE;
		im->phase_auto = 0;
		made = pick_one_decide(im);
		im->phase = saved;
		im->phase_auto = saved_auto;
		if (made)
			return;
	}
	if (im->section_class == PHASE_DECIDE) {
		st = add_step(im, STEP_KIND_DECIDE, im->heading ? im->heading
							       : "Roll back?");
		add_rollback_options(im, st);
		im->prose_decide = st;
		im->prose_decide_level = im->level;
		return;
	}
	if (im->section_class == PHASE_APPROVE && !im->has_approve) {
		cJSON *roles = roles_in(strbuf_str(&im->pending));

		if (!roles) {
			roles = cJSON_CreateArray();
			cJSON_AddItemToArray(roles, cJSON_CreateObject());
			cJSON_AddStringToObject(cJSON_GetArrayItem(roles, 0),
						"role", "Approver");
		}
		st = add_approve(im, im->heading ? im->heading : "Approval",
				 roles);
		give_pending(im, st);
		return;
	}
	if (section_is_option(im)) {
		/* prose carrying out an option ("click Options -> Yank"): the
		 * action itself, done by hand, on its option's path */
		st = add_step_in(im, PHASE_EXECUTE, STEP_KIND_CHECK,
				 im->heading);
		apply_alt_when(im, st);
		give_pending(im, st);
		append_note(st, "A step the runbook does by hand: do it "
			    "there, then tick it here.");
		im->last = st;
		return;
	}
	st = add_step(im, STEP_KIND_CHECK, im->heading ? im->heading
				: "Read the runbook's introduction");
	mark_not_required(st);
}

/* A heading that says its section may be skipped: "Publish a fix
 * (optional)", "Optional: warm the cache". */
static int
heading_says_optional(const char *text)
{
	char *h = lower_plain(text);
	int hit = strstr(h, "(optional") != NULL ||
		  strncmp(h, "optional", 8) == 0 ||
		  strstr(h, "if you want") != NULL;

	free(h);
	return hit;
}

/* A code block of the section starting at heading H (up to the next
 * heading) holds a destructive command. */
static int
section_destroys(const struct md_doc *doc, size_t h)
{
	for (size_t j = h + 1; j < doc->n && doc->b[j].kind != MD_HEADING; j++)
		if (doc->b[j].kind == MD_CODE &&
		    hazard_find(HAZARD_DESTRUCTIVE, doc->b[j].text, NULL, NULL))
			return 1;
	return 0;
}

/* The section starting at heading H changes things: a destructive
 * command, or a step done by hand in a console ("Click Yank"). */
static int
section_acts(const struct md_doc *doc, size_t h)
{
	if (section_destroys(doc, h))
		return 1;
	for (size_t j = h + 1; j < doc->n && doc->b[j].kind != MD_HEADING; j++)
		if (doc->b[j].kind == MD_ITEM && !doc->b[j].task &&
		    is_ui_step(doc->b[j].text, 0))
			return 1;
	return 0;
}

/* TEXT says its section is not to be run in production: "Do NOT run
 * this in prod", "Never run in production", "Staging only", "For staging
 * resets only". */
static int
says_not_in_prod(const char *text)
{
	static const char *const words[] = { "do not run", "don't run",
		"dont run", "never run", "staging only", "staging-only",
		"not in prod", "not for prod", "not on prod", "never in prod",
		"never on prod", "only in staging", "only on staging",
		"only for staging", "test environments only", NULL };
	char *low = lower_plain(text);
	char *st = strstr(low, "staging");
	int hit = has_word(low, words) ||
		  (st && strstr(st, " only") && !strpbrk(st, ".;"));

	free(low);
	return hit;
}

/* The section of heading B (or of the paragraph B opening it) says it is
 * not for production: what it holds is kept as a note, never a step. */
static void
enter_not_prod(struct imp *im, const struct md_block *b, int lvl)
{
	if (im->not_prod_level || !says_not_in_prod(b->text))
		return;
	im->not_prod_level = lvl;
	im->not_prod_line = b->line;
}

/* The section of heading B (or a paragraph B in it) is about staging
 * ("Test rollback monthly in staging"): its cds are its own. */
static void
enter_staging(struct imp *im, const struct md_block *b, int lvl)
{
	static const char *const words[] = { "staging", NULL };
	char *low;

	if (im->staging_level)
		return;
	low = lower_plain(b->text);
	if (has_word(low, words)) {
		im->staging_level = lvl;
		im->staging_line = b->line;
	}
	free(low);
}

/* Code block B of a section not for production: a note, said so. */
static void
not_prod_note(struct imp *im, const struct md_block *b)
{
	char *text = fenced(b);

	add_pending(im, text, b->line, "code block of a section not for "
		    "production", 0);
	add_review(im, b->line, NULL, "line %d says this section is not to "
		   "be run in production: its commands are kept as a note, "
		   "never a step of the walk; run them by hand only where the "
		   "runbook allows", im->not_prod_line);
	free(text);
}

static void
on_heading(struct imp *im, const struct md_block *b)
{
	int k = classify(b->text);
	int lvl = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;

	flush_section(im);
	if (im->explain)
		strbuf_addf(im->explain, "line %d: %.*s %s\n", b->line, lvl,
			    "######", b->text);
	if (!im->seen_heading && lvl == 1 && (!im->title || im->fm_title)) {
		if (!im->title && !strstr(b->text, "{{"))
			im->title = plain_title(b->text);
		else if (!im->title)
			im->title_tpl = plain_title(b->text);
		im->seen_heading = 1;
		im->level = 1;
		return;
	}
	im->seen_heading = 1;
	if (im->prose_decide && lvl <= im->prose_decide_level)
		im->prose_decide = NULL;
	if (im->later_level && lvl <= im->later_level)
		im->later_level = 0;
	if (!im->later_level && is_later_section(b->text))
		im->later_level = lvl;
	if (im->not_prod_level && lvl <= im->not_prod_level)
		im->not_prod_level = 0;
	enter_not_prod(im, b, lvl);
	if (im->staging_level && lvl <= im->staging_level)
		im->staging_level = im->staging_line = 0;
	enter_staging(im, b, lvl);
	im->klass[lvl] = im->later_level == lvl ? (int)PHASE_COMMUNICATE : k;
	for (int l = lvl + 1; l < 7; l++)
		im->klass[l] = -1;
	im->section_class = -1;
	for (int l = lvl; l >= 1 && im->section_class < 0; l--)
		im->section_class = im->klass[l];
	/* A phase word names its own section and those below it, never the
	 * sections after it: without one, the steps say where they belong. */
	im->phase_auto = im->section_class < 0;
	if (im->section_class >= 0)
		im->phase = (enum phase_id)im->section_class;
	/* a section that acts after others did is one more execute
	 * section: its script is not split with the lines before its
	 * destructive one verifying after it */
	if (im->phase_auto && cJSON_GetArraySize(im->steps[PHASE_EXECUTE]) &&
	    section_destroys(im->doc, (size_t)(b - im->doc->b))) {
		im->phase = PHASE_EXECUTE;
		im->phase_auto = 0;
	}
	free(im->heading);
	im->heading = plain_title(b->text);
	im->level = lvl;
	im->template_ctx = has_word(b->text, template_words);
	im->optional_section = heading_says_optional(b->text);
	im->acts_after_approval = im->has_approve &&
		section_acts(im->doc, (size_t)(b - im->doc->b));
	im->last = NULL;
	im->task = NULL;
	im->leadin_template = 0;
	free(im->leadin);
	im->leadin = NULL;
	im->section = (size_t)(b - im->doc->b);
	im->acted |= im->section_class == PHASE_EXECUTE;
	enter_alternative(im, (size_t)(b - im->doc->b), lvl);
}

static void
map_block(struct imp *im, const struct md_block *b)
{
	im->cur_line = b->line;
	im->cur_block = (size_t)(b - im->doc->b);
	if (im->cont_var && (size_t)(b - im->doc->b) > im->cont_block)
		im->cont_var = NULL;	/* the contingency's block is done */
	if (b->kind == MD_PARA && !im->last && im->level > 1)
		enter_not_prod(im, b, im->level);
	if (b->kind == MD_PARA && im->level > 1)
		enter_staging(im, b, im->level);
	if (im->not_prod_level && b->kind != MD_HEADING) {
		if (b->kind == MD_CODE)
			not_prod_note(im, b);
		else
			add_pending(im, b->text, b->line, "prose", 1);
		return;
	}
	switch (b->kind) {
	case MD_HEADING:
		on_heading(im, b);
		break;
	case MD_PARA:
		on_para(im, b);
		break;
	case MD_ITEM:
		on_item(im, b);
		break;
	case MD_CODE:
		im->task = NULL;
		on_code(im, b);
		break;
	case MD_TABLE:
		im->task = NULL;
		on_table(im, b);
		break;
	case MD_COMMENT:
		on_comment(im, b);
		break;
	}
}

/* TEXT's letters and digits, lower case: "Roll back" and "Rollback"
 * both give "rollback". At most the first WORDS words. Caller frees. */
static char *
squeeze(const char *text, int words)
{
	struct strbuf sb = STRBUF_INIT;
	int w = 0, in_word = 0;

	for (const char *p = text; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (!in_word && ++w > words)
				break;
			in_word = 1;
			strbuf_addc(&sb, (char)tolower((unsigned char)*p));
		} else if (*p == ' ' || *p == '-' || *p == '/') {
			in_word = 0;
		} else if (*p == '(' || *p == ',' || *p == ':' || *p == ';') {
			break;	/* what follows qualifies the action */
		}
	}
	return strbuf_detach(&sb);
}

/* Heading block H carries out the action LABEL: the heading holds the
 * action's first words ("Roll back now" -> "Rollback procedure"). */
static int
heading_carries(const struct md_block *h, const char *label)
{
	char *want = squeeze(label, 2);
	char *have = squeeze(h->text, 8);
	int hit = strlen(want) >= 4 && strstr(have, want) != NULL;

	free(want);
	free(have);
	return hit;
}

static int is_naming_word(const char *w, size_t n);
static int label_has_word(const char *label, const char *w, size_t n);


/* Whether every naming word of TEXT is a word of LABEL; *WORDS counts
 * TEXT's words and *NAMED its naming words. */
static int
label_has_naming_words(const char *text, const char *label, int *words,
		       int *named)
{
	char *t = lower_plain(text), *l = lower_plain(label);
	int all = 1;

	*words = *named = 0;
	for (const char *p = t; *p;) {
		size_t n;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!n)
			break;
		(*words)++;
		if (is_naming_word(p, n)) {
			(*named)++;
			all &= label_has_word(l, p, n);
		}
		p += n;
	}
	free(t);
	free(l);
	return all;
}

/* How closely heading block H names the action LABEL: 3 the same words
 * ("Roll back one region"), 2 the heading's few key words all in the
 * label ("Yank" for "Yank the bad release", "Post-release" for "Publish
 * a post-release"; a single word only as the label's first), 1 the label's first words in the heading, 0 not. */
static int
heading_names(const struct md_block *h, const char *label)
{
	char *hw = squeeze(h->text, 16), *lw = squeeze(label, 16);
	int same = *hw && strcmp(hw, lw) == 0, words, named, all;
	int starts = *hw && strncmp(lw, hw, strlen(hw)) == 0;

	free(hw);
	free(lw);
	if (same)
		return 3;
	all = label_has_naming_words(h->text, label, &words, &named);
	/* one key word must start the label: "Watch" is no section of
	 * "Pause and watch", whose watching every path does */
	if (all && words <= 4 && (named > 1 || (named == 1 && starts)))
		return 2;
	return heading_carries(h, label);
}

/* Heading block H carries out option O of DECIDE: it names O at least
 * as closely as any other option ("Roll back all regions" is not the
 * section of "Roll back one region"). */
static int
heading_is_option(const struct md_block *h, const cJSON *decide,
		  const cJSON *o)
{
	int mine = heading_names(h, jstr(o, "label"));
	const cJSON *other;

	if (!mine)
		return 0;
	cJSON_ArrayForEach(other, cJSON_GetObjectItemCaseSensitive(decide,
								   "options"))
		if (heading_names(h, jstr(other, "label")) > mine)
			return 0;
	return 1;
}

/* The current section is the one a table's or a list's option carries
 * out ("## Yank" after "Pick one: 1. Yank the bad release"). */
static int
section_is_option(const struct imp *im)
{
	for (size_t i = 0; i < im->n_tables; i++) {
		const cJSON *o;

		if (im->tables[i].block >= im->section)
			continue;
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(
					      im->tables[i].decide, "options"))
			if (!is_no_rollback(jstr(o, "label")) &&
			    heading_is_option(&im->doc->b[im->section],
					      im->tables[i].decide, o))
				return 1;
	}
	return 0;
}

/* Step P came from the section of heading H or one below it. */
static int
in_section(const struct md_doc *doc, size_t h, size_t p)
{
	if (p < h || p >= doc->n)
		return 0;
	for (size_t k = h + 1; k <= p && k < doc->n; k++)
		if (doc->b[k].kind == MD_HEADING &&
		    doc->b[k].level <= doc->b[h].level)
			return 0;
	return 1;
}

/* Add OPT to STEP's when on VAR (a list of the options that run it). */
static void
when_add_option(cJSON *step, const char *var, const char *opt)
{
	cJSON *when = cJSON_GetObjectItemCaseSensitive(step, "when");
	cJSON *vals;

	if (!when)
		when = cJSON_AddObjectToObject(step, "when");
	vals = cJSON_GetObjectItemCaseSensitive(when, var);
	if (!vals)
		vals = cJSON_AddArrayToObject(when, var);
	if (cJSON_IsArray(vals))
		cJSON_AddItemToArray(vals, cJSON_CreateString(opt));
}

/* The sections after table T that carry out option O's action, by their
 * headings: their steps (not yet tied to the table's variable) run only
 * on O. Returns how many sections were found. */
static int
tie_option(struct imp *im, const struct imp_table *t, const cJSON *o,
	   cJSON *done)
{
	const char *var = jstr(t->decide, "variable");
	int found = 0;

	for (size_t h = t->block + 1; h < im->doc->n; h++) {
		if (im->doc->b[h].kind != MD_HEADING ||
		    !heading_is_option(&im->doc->b[h], t->decide, o))
			continue;
		found++;
		for (size_t k = 0; k < im->n_placed; k++) {
			cJSON *st = im->placed[k].step;
			const cJSON *w = cJSON_GetObjectItemCaseSensitive(st,
									  "when");
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(w, var);

			if (st == t->decide || !in_section(im->doc, h,
							   im->placed[k].section))
				continue;
			if (v && !cJSON_HasObjectItem(done, jstr(st, "id")))
				continue;	/* the runbook's own condition */
			when_add_option(st, var, jstr(o, "id"));
			cJSON_AddTrueToObject(done, jstr(st, "id"));
		}
	}
	return found;
}

/* The words of a lead-in that name something ("Scale to zero:" gives
 * scale, zero): at least three letters, not a filler. */
static int
is_naming_word(const char *w, size_t n)
{
	static const char *const fillers[] = { "the", "and", "then", "with",
		"for", "from", "this", "that", "run", "now", "step", "here",
		"next", "use", "its", "all", NULL };
	char buf[16];

	if (n < 3 || n >= sizeof(buf))
		return n >= sizeof(buf);
	memcpy(buf, w, n);
	buf[n] = '\0';
	return !in_list(buf, fillers, 1);
}

/* LABEL holds a word starting as W does (its first five letters, or all
 * of a shorter W): "scale" in "Scale the new workers", "image" in "Set
 * the image back". */
static int
label_has_word(const char *label, const char *w, size_t n)
{
	size_t want = n < 5 ? n : 5;

	for (const char *p = label; *p;) {
		size_t k;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (k >= want && strncmp(p, w, want) == 0 && (n >= 5 || k == n))
			return 1;
		p += k ? k : (*p != '\0');
	}
	return 0;
}

/* A short lead-in (TEXT, at most six words) names option LABEL: each of
 * its naming words is a word of the label. */
static int
leadin_names(const char *text, const char *label)
{
	int words, named;
	int hit = label_has_naming_words(text, label, &words, &named);

	return hit && named > 0 && words <= 6;
}

/* Block J is a lead-in of commands: a paragraph or item followed by a
 * code block before anything else of its depth. */
static int
leads_commands(const struct md_doc *doc, size_t j)
{
	const struct md_block *b = &doc->b[j];

	if ((b->kind != MD_PARA && b->kind != MD_ITEM) || b->task)
		return 0;
	return j + 1 < doc->n && doc->b[j + 1].kind == MD_CODE;
}

/* The only option of DECIDE whose label lead-in block J names, or NULL. */
static const cJSON *
option_named_by(const cJSON *decide, const struct md_block *b)
{
	const cJSON *o, *hit = NULL;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(decide,
							       "options")) {
		if (!leadin_names(b->text, jstr(o, "label")))
			continue;
		if (hit)
			return NULL;	/* it names two: no telling */
		hit = o;
	}
	return hit;
}

/* Commands under lead-ins naming option O ("Scale to zero:") in sections
 * after table T's own: their steps run only on O, as a section named
 * after O would. Returns how many lead-ins were found. */
static int
tie_option_leadins(struct imp *im, const struct imp_table *t,
		   const cJSON *o, cJSON *done)
{
	const struct md_doc *doc = im->doc;
	const char *var = jstr(t->decide, "variable");
	size_t j = t->block + 1;
	int found = 0;

	while (j < doc->n && doc->b[j].kind != MD_HEADING)
		j++;		/* the table's own section: its options */
	for (; j < doc->n; j++) {
		size_t end = j + 1;

		if (!leads_commands(doc, j) ||
		    option_named_by(t->decide, &doc->b[j]) != o)
			continue;
		while (end < doc->n && doc->b[end].kind != MD_HEADING &&
		       !leads_commands(doc, end))
			end++;
		found++;
		for (size_t k = 0; k < im->n_placed; k++) {
			cJSON *st = im->placed[k].step;
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(st, "when"), var);

			if (im->placed[k].block <= j || im->placed[k].block >= end)
				continue;
			if (v && !cJSON_HasObjectItem(done, jstr(st, "id")))
				continue;
			when_add_option(st, var, jstr(o, "id"));
			cJSON_AddTrueToObject(done, jstr(st, "id"));
		}
	}
	return found;
}

/* The environments (values of the matrix's columns) whose cells name
 * option ID, added to LIST. */
static void
environments_of(const cJSON *matrix, const char *id, cJSON *list)
{
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(matrix, "cols"), "values");
	const cJSON *row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(matrix,
								 "cells")) {
		int c = 0;
		const cJSON *cell_id;

		cJSON_ArrayForEach(cell_id, row) {
			const char *env = cJSON_GetStringValue(
				cJSON_GetArrayItem(vals, c++));
			const cJSON *have;
			int dup = 0;

			if (!env || strcmp(cell_id->valuestring, id) != 0)
				continue;
			cJSON_ArrayForEach(have, list)
				dup |= strcmp(have->valuestring, env) == 0;
			if (!dup)
				cJSON_AddItemToArray(list, cJSON_CreateString(env));
		}
	}
}

/* The steps an environment matrix T's options run carry a condition on
 * the environment too: only where a cell of theirs names them (the flag
 * kill of production's cell never runs on staging). */
static void
tie_environments(struct imp *im, const struct imp_table *t)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(t->decide, "matrix");
	const char *var = jstr(t->decide, "variable");
	const char *env = jstr(cJSON_GetObjectItemCaseSensitive(m, "cols"),
			       "variable");

	for (size_t k = 0; k < im->n_placed; k++) {
		cJSON *st = im->placed[k].step;
		cJSON *when = cJSON_GetObjectItemCaseSensitive(st, "when");
		const cJSON *opts = cJSON_GetObjectItemCaseSensitive(when, var);
		const cJSON *o;
		cJSON *list;

		if (st == t->decide || !cJSON_IsArray(opts) ||
		    cJSON_GetObjectItemCaseSensitive(when, env))
			continue;
		list = cJSON_CreateArray();
		cJSON_ArrayForEach(o, opts)
			environments_of(m, o->valuestring, list);
		if (cJSON_GetArraySize(list))
			cJSON_AddItemToObject(when, env, list);
		else
			cJSON_Delete(list);
	}
}

/* STEP is one of phase PH's steps. */
static int
step_in_phase(const struct imp *im, const cJSON *step, enum phase_id ph)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, im->steps[ph])
		if (st == step)
			return 1;
	return 0;
}

/* Execute steps after table T that no option of it, and no other
 * condition, ties (they would run on every path, whichever option was
 * chosen) run only on the options no section names (UNTIED), and the
 * draft says so: a step nobody chose never runs unasked. */
static void
gate_unbound_steps(struct imp *im, const struct imp_table *t,
		   const cJSON *untied)
{
	const char *var = jstr(t->decide, "variable");

	/* asked after execute (an escalation table in verify), it could
	 * never let them run: they stay on every path, as written */
	for (int p = PHASE_EXECUTE + 1; p < PHASE_COUNT; p++)
		if (step_in_phase(im, t->decide, (enum phase_id)p))
			return;
	for (size_t k = 0; k < im->n_placed; k++) {
		cJSON *st = im->placed[k].step;
		const cJSON *o;
		struct strbuf labels = STRBUF_INIT;

		if (im->placed[k].section <= t->block ||
		    cJSON_HasObjectItem(st, "when") ||
		    !step_in_phase(im, st, PHASE_EXECUTE) ||
		    (strcmp(jstr(st, "kind"), "run") != 0 &&
		     strcmp(jstr(st, "kind"), "check") != 0))
			continue;
		cJSON_ArrayForEach(o, untied) {
			when_add_option(st, var, jstr(o, "id"));
			strbuf_addf(&labels, "%s\"%s\"", labels.len ? " or " : "",
				    jstr(o, "label"));
		}
		add_review(im, im->doc->b[im->placed[k].block].line, st,
			   "this step is tied to no "
			   "option of %s: it runs only when %s is chosen (the "
			   "option%s no section names); tie it to the option it "
			   "carries out", jstr(t->decide, "id"), strbuf_str(&labels),
			   cJSON_GetArraySize(untied) > 1 ? "s" : "");
		strbuf_done(&labels);
	}
}

/* The words of option O's label no other option of DECIDE starts with
 * ("all regions" of "Roll back all regions" beside "Roll back one
 * region"). Caller frees. */
static char *
label_difference(const cJSON *decide, const cJSON *o)
{
	const char *label = jstr(o, "label");
	size_t common = strlen(label);
	const cJSON *other;

	cJSON_ArrayForEach(other, cJSON_GetObjectItemCaseSensitive(decide,
								   "options")) {
		const char *ol = jstr(other, "label");
		size_t n = 0, word = 0;

		if (other == o || !ol || is_no_rollback(ol))
			continue;
		while (label[n] && tolower((unsigned char)label[n]) ==
				   tolower((unsigned char)ol[n])) {
			if (label[n] == ' ')
				word = n + 1;
			n++;
		}
		if (word < common)
			common = word;
	}
	return plain_title(label + common);
}

/* Whether ${NAME} holds a secret: named like one, or a credential the
 * runbook wrote out. */
static int
secret_ref(const struct imp *im, const char *name)
{
	if (is_secret_name(name))
		return 1;
	for (size_t i = 0; i < im->n_forced_secret; i++)
		if (strcmp(im->forced_secret[i], name) == 0)
			return 1;
	for (size_t i = 0; i < im->n_vars; i++)
		if (im->vars[i].secret && strcmp(im->vars[i].name, name) == 0)
			return 1;
	return 0;
}

/* A ${NAME} in RUN that OTHER does not hold ("${REGION_CONTEXT}") and
 * that is no secret, or NULL. Caller frees. */
static char *
var_only_in(const struct imp *im, const char *run, const char *other)
{
	for (const char *p = strstr(run, "${"); p; p = strstr(p + 2, "${")) {
		size_t n = strcspn(p, "}");
		char *ref, *name;
		int secret;

		if (!p[n])
			break;
		name = xstrndup(p + 2, n - 2);
		secret = secret_ref(im, name);
		free(name);
		if (secret)
			continue;
		ref = xasprintf("%.*s", (int)n + 1, p);
		if (!strstr(other, ref))
			return ref;
		free(ref);
	}
	return NULL;
}

/* Destructive steps that table T's options tell apart but whose typed
 * confirmations are the same text (both "${REVISION}") name what
 * differs: the value only one uses, or its option's own words, so
 * typing it says which rollback is meant. */
static void
distinct_confirms(struct imp *im, const struct imp_table *t)
{
	const char *var = jstr(t->decide, "variable");
	const cJSON *o;
	cJSON *st;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(t->decide,
							       "options")) {
		cJSON_ArrayForEach(st, im->steps[PHASE_EXECUTE]) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(st, "when"), var);
			const char *c = jstr(st, "confirm");
			const cJSON *twin = NULL, *x;
			char *what, *joined;

			if (!c || cJSON_GetArraySize(v) != 1 ||
			    strcmp(cJSON_GetArrayItem(v, 0)->valuestring,
				   jstr(o, "id")) != 0)
				continue;
			cJSON_ArrayForEach(x, im->steps[PHASE_EXECUTE]) {
				const cJSON *xv = cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(x, "when"),
					var);

				if (x != st && xv && jstr(x, "confirm") &&
				    strcmp(jstr(x, "confirm"), c) == 0 &&
				    !cJSON_Compare(xv, v, 1))
					twin = x;
			}
			if (!twin)
				continue;
			what = var_only_in(im, jstr(st, "run"), jstr(twin, "run"));
			if (!what)
				what = label_difference(t->decide, o);
			if (!*what || strstr(c, what)) {
				free(what);
				continue;
			}
			joined = xasprintf("%s %s", what, c);
			cJSON_AddStringToObject(st, " confirm", joined);
			free(joined);
			free(what);
		}
	}
	/* renamed once all twins were found: both sides of a pair change */
	cJSON_ArrayForEach(st, im->steps[PHASE_EXECUTE]) {
		cJSON *n = cJSON_DetachItemFromObjectCaseSensitive(st, " confirm");

		if (n)
			cJSON_ReplaceItemInObjectCaseSensitive(st, "confirm", n);
	}
}

/* A table's actions ("Roll back", "Fix forward") are carried out by the
 * sections named after them: each option runs only its sections, so
 * choosing fix-forward never runs the rollback. An action no heading
 * names becomes a review point. */
static void
tie_table_options(struct imp *im)
{
	for (size_t i = 0; i < im->n_tables; i++) {
		const struct imp_table *t = &im->tables[i];
		cJSON *done = cJSON_CreateObject();
		cJSON *untied = cJSON_CreateArray();
		const cJSON *o;

		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(
					      t->decide, "options")) {
			int found = tie_option(im, t, o, done);

			found += tie_option_leadins(im, t, o, done);
			if (found || is_no_rollback(jstr(o, "label")))
				continue;
			cJSON_AddItemToArray(untied, cJSON_Duplicate(o, 1));
			add_review(im, im->doc->b[t->block].line, t->decide,
				   "the table's action \"%s\" names no section "
				   "of the runbook: check which steps choosing it "
				   "runs", jstr(o, "label"));
		}
		cJSON_Delete(done);
		if (cJSON_GetArraySize(untied))
			gate_unbound_steps(im, t, untied);
		cJSON_Delete(untied);
		distinct_confirms(im, t);
		if (t->by_environment)
			tie_environments(im, t);
	}
}

/* A "do not roll back" option, if DECIDE has one, and the others. */
static cJSON *
rollback_options(const cJSON *decide)
{
	const cJSON *o;
	cJSON *others = cJSON_CreateArray();
	int found = 0;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(decide,
							       "options")) {
		if (is_no_rollback(jstr(o, "label")))
			found = 1;
		else
			cJSON_AddItemToArray(others,
					     cJSON_CreateString(jstr(o, "id")));
	}
	if (!found || cJSON_GetArraySize(others) == 0) {
		cJSON_Delete(others);
		return NULL;
	}
	return others;
}

/* ST runs only when VAR is one of VALUES too (unless it depends on VAR
 * already). */
static void
when_also(cJSON *st, const char *var, const cJSON *values)
{
	cJSON *when = cJSON_GetObjectItemCaseSensitive(st, "when");

	if (!when)
		when = cJSON_AddObjectToObject(st, "when");
	if (!cJSON_GetObjectItemCaseSensitive(when, var))
		cJSON_AddItemToObject(when, var, cJSON_Duplicate(values, 1));
}

static int
is_contingency_step(const struct imp *im, const cJSON *st)
{
	for (size_t i = 0; i < im->n_conts; i++)
		if (im->conts[i] == st)
			return 1;
	return 0;
}

/* Some step runs on a value of CHOICE, and every such step also
 * depends on VAR: CHOICE matters only on VAR's path. */
static int
only_followed_on(const struct imp *im, const char *choice, const char *var)
{
	int users = 0;

	for (int p = 0; p < PHASE_COUNT; p++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[p]) {
			const cJSON *w = cJSON_GetObjectItemCaseSensitive(st,
									  "when");

			if (!cJSON_GetObjectItemCaseSensitive(w, choice))
				continue;
			if (!cJSON_GetObjectItemCaseSensitive(w, var))
				return 0;
			users++;
		}
	}
	return users > 0;
}

/* When the runbook lets the operator decide not to roll back, no
 * execute step runs on that choice, nor a destructive step or a
 * contingency later (verify's "if it fails, restore"): each gets a
 * condition on the first decision that offers it (unless the step
 * already depends on it). */
static void
gate_on_rollback_choice(struct imp *im)
{
	const cJSON *d;
	cJSON *others = NULL, *st;
	const char *var = NULL;

	cJSON_ArrayForEach(d, im->steps[PHASE_DECIDE]) {
		if (!jstr(d, "variable") || cJSON_GetObjectItem(d, "when"))
			continue;
		if ((others = rollback_options(d))) {
			var = jstr(d, "variable");
			break;
		}
	}
	if (!others)
		return;
	/* nothing to approve either when nothing is rolled back */
	cJSON_ArrayForEach(st, im->steps[PHASE_APPROVE])
		if (!cJSON_GetObjectItemCaseSensitive(st, "when"))
			cJSON_AddItemToObject(cJSON_AddObjectToObject(st, "when"),
					      var, cJSON_Duplicate(others, 1));
	for (int p = PHASE_EXECUTE; p < PHASE_COUNT; p++)
		cJSON_ArrayForEach(st, im->steps[p])
			if (p == PHASE_EXECUTE ||
			    cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")) ||
			    is_contingency_step(im, st))
				when_also(st, var, others);
	/* a decision after it that only the roll back's steps follow
	 * ("Procedure: which one?") is asked only on the roll back too */
	for (st = d->next; st; st = st->next)
		if (jstr(st, "variable") &&
		    strcmp(jstr(st, "kind"), "decide") == 0 &&
		    only_followed_on(im, jstr(st, "variable"), var))
			when_also(st, var, others);
	cJSON_Delete(others);
}

static void insert_before(cJSON *list, const cJSON *at, cJSON *st);
static int line_of(const struct imp *im, const cJSON *st);
static int step_line(const struct imp *im, const cJSON *st);
static int is_lookup(const char *cmd);

/* The runbook's approvals gate execute by default; when an execute
 * remedy (a step id in OWN) has a sign-off of its own, they gate every
 * other execute step by id instead, so answering the remedy's question
 * after them changes nothing they approved and voids none of them. */
static void
narrow_main_gates(struct imp *im, const cJSON *own)
{
	cJSON *ap, *st;
	int narrowed = 0;

	cJSON_ArrayForEach(st, im->steps[PHASE_EXECUTE])
		narrowed |= cJSON_HasObjectItem(own, jstr(st, "id"));
	if (!narrowed)
		return;
	cJSON_ArrayForEach(ap, im->steps[PHASE_APPROVE]) {
		cJSON *gates;

		if (strcmp(jstr(ap, "kind"), "approve") != 0 ||
		    cJSON_GetObjectItemCaseSensitive(ap, "gates"))
			continue;
		gates = cJSON_CreateArray();
		cJSON_ArrayForEach(st, im->steps[PHASE_EXECUTE])
			if (strcmp(jstr(st, "kind"), "approve") != 0 &&
			    !cJSON_HasObjectItem(own, jstr(st, "id")))
				cJSON_AddItemToArray(gates,
					cJSON_CreateString(jstr(st, "id")));
		if (cJSON_GetArraySize(gates))
			cJSON_AddItemToObject(ap, "gates", gates);
		else
			cJSON_Delete(gates);
	}
}

/* Some approve step of the draft names step ID in its gates. */
static int
gated_by_id(const struct imp *im, const char *id)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		const cJSON *st, *g;

		cJSON_ArrayForEach(st, im->steps[p])
			cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(
						  st, "gates"))
				if (cJSON_IsString(g) &&
				    strcmp(g->valuestring, id) == 0)
					return 1;
	}
	return 0;
}

/* ST runs only on "yes" to VAR. */
static int
runs_on_yes(const cJSON *st, const char *var, const char *yes)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(st, "when"), var);
	const cJSON *o;

	if (cJSON_IsString(v))
		return strcmp(v->valuestring, yes) == 0;
	cJSON_ArrayForEach(o, v)
		if (cJSON_IsString(o) && strcmp(o->valuestring, yes) == 0)
			return 1;
	return 0;
}

/* The option of contingency D that says it is needed: "yes", or a
 * fallback section's own option ("if-that-fails"). */
static const char *
yes_option(const cJSON *d)
{
	const char *id = jstr(cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(d, "options"), 0), "id");

	return id ? id : "yes";
}

static void rename_to_phase(struct imp *im, cJSON *st, enum phase_id ph);

/* The phase of step ST in the draft, or -1. */
static int
phase_of(const struct imp *im, const cJSON *st)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		const cJSON *x;

		cJSON_ArrayForEach(x, im->steps[p])
			if (x == st)
				return p;
	}
	return -1;
}

/* The first step (in walk order) that runs only on contingency D's
 * "yes" and comes before D, or NULL; *PH gets its phase. */
static cJSON *
remedy_before(const struct imp *im, const cJSON *d, int *ph)
{
	const char *var = jstr(d, "variable");

	for (int p = 0; p < PHASE_COUNT; p++) {
		cJSON *st;

		cJSON_ArrayForEach(st, im->steps[p]) {
			if (st == d)
				return NULL;
			if (runs_on_yes(st, var, yes_option(d))) {
				*ph = p;
				return st;
			}
		}
	}
	return NULL;
}

/* VAR is the variable of a decision asked before execute (the rollback
 * choice), not of a contingency. */
static int
decided_before_execute(const struct imp *im, const char *var)
{
	for (size_t c = 0; c < im->n_conts; c++)
		if (strcmp(jstr(im->conts[c], "variable"), var) == 0)
			return 0;
	for (int p = 0; p < PHASE_EXECUTE; p++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[p])
			if (strcmp(jstr(st, "kind"), "decide") == 0 &&
			    jstr(st, "variable") &&
			    strcmp(jstr(st, "variable"), var) == 0)
				return 1;
	}
	return 0;
}

/* ST runs on a choice made before execute, and on no contingency. */
static int
on_early_choice_only(const struct imp *im, const cJSON *st)
{
	const cJSON *v;
	int early = 0;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(st, "when")) {
		for (size_t c = 0; c < im->n_conts; c++)
			if (strcmp(jstr(im->conts[c], "variable"), v->string) == 0)
				return 0;
		early |= decided_before_execute(im, v->string);
	}
	return early;
}

static size_t section_of(const struct imp *im, const cJSON *st);

/* Step ST comes from a section whose heading, or a heading above it,
 * says it verifies ("### Verify" under "## Kubernetes", "### VMs" under
 * "## Verify"). */
static int
in_verify_section(const struct imp *im, const cJSON *st)
{
	size_t sec = section_of(im, st);
	int lvl = 7;

	for (size_t k = sec + 1; sec < im->doc->n && k-- > 0;) {
		const struct md_block *b = &im->doc->b[k];

		if (b->kind != MD_HEADING || b->level >= lvl)
			continue;
		if (b->level <= 1)
			break;	/* the runbook's title */
		if (classify(b->text) == (int)PHASE_VERIFY)
			return 1;
		lvl = b->level;
	}
	return 0;
}

/* A command that changes things on a path chosen before the approval
 * ("Fix forward": gh workflow run deploy.yml) is that path's execute
 * step, behind the approval, even when its section came after the
 * rollback's execute steps (which would have put it in verify, outside
 * what the approval covers). */
static void
early_choice_changes_in_execute(struct imp *im)
{
	for (int p = PHASE_EXECUTE + 1; p < PHASE_COUNT; p++) {
		cJSON *st = im->steps[p]->child, *next;

		for (; st; st = next) {
			next = st->next;
			if (!cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")) ||
			    !on_early_choice_only(im, st))
				continue;
			/* a verify section's command not known to change
			 * anything verifies, as its heading says */
			if (p == PHASE_VERIFY && jstr(st, "run") &&
			    in_verify_section(im, st) &&
			    !hazard_find(HAZARD_DESTRUCTIVE, jstr(st, "run"),
					 NULL, NULL))
				continue;
			cJSON_DetachItemViaPointer(im->steps[p], st);
			cJSON_AddItemToArray(im->steps[PHASE_EXECUTE], st);
			rename_to_phase(im, st, PHASE_EXECUTE);
			add_review(im, step_line(im, st), st, "this command changes "
				   "things on a path chosen before the approval: "
				   "the draft runs it in execute, behind the "
				   "approval, not in %s", playbook_phase_name(
					   (enum phase_id)p));
		}
	}
}

/* The block (index) that made step ST, or (size_t)-1. */
static size_t
block_of(const struct imp *im, const cJSON *st)
{
	for (size_t k = 0; k < im->n_placed; k++)
		if (im->placed[k].step == st)
			return im->placed[k].block;
	return (size_t)-1;
}

/* The number of the numbered list item (at the list's top level) block
 * I belongs to, or 0 when it is in no numbered list. */
static int
numbered_item_of(const struct imp *im, size_t i)
{
	const struct md_doc *d = im->doc;

	if (i >= d->n)
		return 0;
	for (size_t k = i + 1; k-- > 0;) {
		const struct md_block *b = &d->b[k];

		if (b->kind == MD_HEADING || (b->depth == 0 && k != i))
			return 0;
		if (b->kind == MD_ITEM && b->depth == 1)
			return b->ordered ? (int)k + 1 : 0;
	}
	return 0;
}

/* The numbered list block I is in, as its first item's block + 1, or 0:
 * the list runs on through its items and what is nested in them. */
static int
list_start(const struct imp *im, size_t i)
{
	int item = numbered_item_of(im, i);
	size_t first;

	if (!item)
		return 0;
	first = (size_t)item - 1;
	for (size_t k = first; k-- > 0;) {
		const struct md_block *b = &im->doc->b[k];

		if (b->kind == MD_HEADING || b->depth == 0)
			break;
		if (b->kind == MD_ITEM && b->depth == 1) {
			if (!b->ordered)
				break;
			first = k;
		}
	}
	return (int)first + 1;
}

/* Whether heading TEXT numbers a step: "3. Build", "Step 3: Build",
 * "3) Build". */
static int
numbered_heading(const char *text)
{
	const char *p = text;

	if (strncasecmp(p, "step ", 5) == 0)
		p += 5;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '.' || *p == ':' || *p == ')' ||
	       (*p == ' ' && p != text + strspn(text, "0123456789"));
}

/* The run of numbered sibling headings section SEC (a heading's block
 * index) is one of, as its first heading's block + 1, or 0. */
static int
heading_list_start(const struct imp *im, size_t sec)
{
	const struct md_doc *d = im->doc;
	size_t first = sec;

	if (sec >= d->n || d->b[sec].kind != MD_HEADING ||
	    !numbered_heading(d->b[sec].text))
		return 0;
	for (size_t k = sec; k-- > 0;) {
		const struct md_block *b = &d->b[k];

		if (b->kind != MD_HEADING || b->level > d->b[sec].level)
			continue;
		if (b->level < d->b[sec].level || !numbered_heading(b->text))
			break;
		first = k;
	}
	return (int)first + 1;
}

/* The numbered list or run of numbered headings placed step K is in,
 * or 0. */
static int
list_of_placed(const struct imp *im, size_t k)
{
	int list = list_start(im, im->placed[k].block);

	return list ? list : heading_list_start(im, im->placed[k].section);
}

/* The runbook line of the block that made step ST: a fence's first
 * line of code, not its opening line. */
static int
block_line(const struct imp *im, const cJSON *st)
{
	size_t b = block_of(im, st);

	if (b >= im->doc->n)
		return 0;
	return im->doc->b[b].kind == MD_CODE ? im->doc->b[b].body_line
					       : im->doc->b[b].line;
}

/* The runbook line a review point about step ST cites: its command's
 * line, else its block's first line, else its section's heading. */
static int
step_line(const struct imp *im, const cJSON *st)
{
	for (size_t k = 0; k < im->n_placed; k++)
		if (im->placed[k].step == st && im->placed[k].line > 0)
			return im->placed[k].line;
	return block_line(im, st) > 0 ? block_line(im, st) : line_of(im, st);
}

/* A step of a numbered list whose order counts: a command that runs on
 * every path (a run step with no when). A check or message keeps the
 * phase its words gave it ("Step 1: Communicate" stays with the
 * announcements). */
static int
numbered_step(const cJSON *st)
{
	const char *kind = jstr(st, "kind");

	return !cJSON_GetObjectItem(st, "when") && kind &&
	       !strcmp(kind, "run");
}

/* Whether step ST only reads and may run in assess, before the rest. */
static int
assess_read(const struct imp *im, const cJSON *st, int ph)
{
	(void)im;
	return ph == PHASE_ASSESS &&
	       (!jstr(st, "run") || hazard_read_only(jstr(st, "run"), NULL));
}

/* Steps of one numbered list (STEPS, doc order, N of them, with their
 * PHASES) keep the list's order across phases: a step in a phase before
 * that of an earlier-numbered step (2. yank ... 4. twine check went to
 * verify ... 5. upload to execute) takes the earlier ones to its own
 * phase, just before it, unless they only read in assess. Only execute
 * and later take steps: nothing moves before the approval. */
static void
keep_list_order(struct imp *im, cJSON **steps, int *phases, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		int pj = phases[j];

		if (pj < PHASE_EXECUTE || assess_read(im, steps[j], pj))
			continue;
		for (size_t k = 0; k < j; k++) {
			if (phases[k] <= pj)
				continue;
			cJSON_DetachItemViaPointer(im->steps[phases[k]],
						   steps[k]);
			insert_before(im->steps[pj], steps[j], steps[k]);
			rename_to_phase(im, steps[k], (enum phase_id)pj);
			add_review(im, block_line(im, steps[k]), steps[k],
				   "the runbook numbers this step before %s: "
				   "the draft runs it in %s, just before it, "
				   "not in %s after it", jstr(steps[j], "id"),
				   playbook_phase_name((enum phase_id)pj),
				   playbook_phase_name((enum phase_id)
						       phases[k]));
			phases[k] = pj;
		}
	}
}

/* Numbered steps keep their order: for each numbered list of the
 * runbook, the steps made from it never run in an order other than its
 * numbers' (see keep_list_order). */
static void
numbered_steps_keep_order(struct imp *im)
{
	size_t cap = im->n_placed ? im->n_placed : 1;
	cJSON **steps = xcalloc(cap, sizeof(*steps));
	int *phases = xcalloc(cap, sizeof(*phases));

	for (size_t k = 0; k < im->n_placed; k++) {
		size_t n = 0;
		int list;

		if (!(list = list_of_placed(im, k)) ||
		    (k && list_of_placed(im, k - 1) == list))
			continue;
		for (size_t m = k; m < im->n_placed; m++) {
			cJSON *st = im->placed[m].step;
			int ph = phase_of(im, st);

			if (list_of_placed(im, m) != list || ph < 0 ||
			    !numbered_step(st))
				continue;
			steps[n] = st;
			phases[n++] = ph;
		}
		keep_list_order(im, steps, phases, n);
	}
	free(steps);
	free(phases);
}

/* A contingency's question comes before its remedy, in the remedy's
 * phase: "If the flags API is down, set the override instead" after a
 * PATCH that went to execute asks right after it, before the override's
 * commands (asked in verify, after them, "yes" could never run them). */
static void
questions_before_their_remedies(struct imp *im)
{
	for (size_t c = 0; c < im->n_conts; c++) {
		cJSON *d = im->conts[c];
		int ph = phase_of(im, d), rp = -1;
		cJSON *first = ph < 0 ? NULL : remedy_before(im, d, &rp);

		if (!first)
			continue;
		cJSON_DetachItemViaPointer(im->steps[ph], d);
		insert_before(im->steps[rp], first, d);
		if (rp != ph)
			rename_to_phase(im, d, (enum phase_id)rp);
		if (im->explain)
			strbuf_addf(im->explain, "    -> decide step %s moved "
				    "before its remedy %s\n", jstr(d, "id"),
				    jstr(first, "id"));
	}
}

/* A contingency asked after execute (verify's "if the health check
 * fails, restore ...") is answered after the runbook's approval, which
 * gates execute only: its destructive remedies get a sign-off of their
 * own on the "yes" path, right after the question (the lead's ruling),
 * so nothing destructive runs unapproved and answering voids no earlier
 * sign-off. */
static void
gate_late_remedies(struct imp *im)
{
	cJSON *own = cJSON_CreateObject();	/* remedies with a sign-off */

	for (size_t c = 0; c < im->n_conts; c++) {
		const cJSON *d = im->conts[c];
		const char *var = jstr(d, "variable");
		cJSON *gates = cJSON_CreateArray(), *ap, *st;
		int ph = -1;
		char *title;

		for (int p = PHASE_EXECUTE; p < PHASE_COUNT && ph < 0; p++)
			cJSON_ArrayForEach(st, im->steps[p])
				if (st == d)
					ph = p;
		int acts = 0;

		/* the whole remedy on its path, when some of it changes
		 * things (a destructive command, or any that is no lookup:
		 * a snapshot restore by POST) */
		for (int p = ph < 0 ? PHASE_COUNT : ph; p < PHASE_COUNT; p++)
			cJSON_ArrayForEach(st, im->steps[p]) {
				const char *kind = jstr(st, "kind");

				if (!runs_on_yes(st, var, yes_option(d)) ||
				    strcmp(kind, "approve") == 0 ||
				    strcmp(kind, "decide") == 0 ||
				    gated_by_id(im, jstr(st, "id")))
					continue;
				acts |= cJSON_IsTrue(cJSON_GetObjectItem(st,
						"destructive")) ||
					(jstr(st, "run") &&
					 !is_lookup(jstr(st, "run")));
				cJSON_AddItemToArray(gates,
					cJSON_CreateString(jstr(st, "id")));
			}
		if (!acts) {
			cJSON_Delete(gates);
			continue;
		}
		if (!cJSON_GetArraySize(gates)) {
			cJSON_Delete(gates);
			continue;
		}
		title = xasprintf("Sign-off before: %s", jstr(d, "title"));
		ap = add_step_in(im, (enum phase_id)ph, STEP_KIND_APPROVE, title);
		free(title);
		cJSON_DetachItemViaPointer(im->steps[ph], ap);
		if (d->next)
			insert_before(im->steps[ph], d->next, ap);
		else
			cJSON_AddItemToArray(im->steps[ph], ap);
		cJSON_AddItemToObject(ap, "roles", remedy_roles(im));
		cJSON_AddStringToObject(cJSON_AddObjectToObject(ap, "when"), var,
					yes_option(d));
		cJSON_ArrayForEach(st, gates)
			cJSON_AddTrueToObject(own, st->valuestring);
		cJSON_AddItemToObject(ap, "gates", gates);
		append_note(ap, "Added by rewind import: the remedy changes "
			    "things and is decided after the runbook's "
			    "approval, so it has a sign-off of its own.");
		add_review(im, line_of(im, d), ap, "the contingency at line %d "
			   "is answered after the approval: this sign-off gates "
			   "its destructive remedy; rename the role if another "
			   "one approves remedies", line_of(im, d));
	}
	narrow_main_gates(im, own);
	cJSON_Delete(own);
}

/* --- finishing the draft -------------------------------------------------------- */

/* Every variable the draft invented gets an input step just before the
 * first step that needs it, so no command runs with it unset. */
static void
refs_of(const cJSON *st, struct strbuf *text)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(st, "matrix");
	const char *fields[] = { "run", "template", "confirm", NULL };

	strbuf_reset(text);
	for (size_t i = 0; fields[i]; i++)
		if (jstr(st, fields[i]))
			strbuf_addf(text, "%s\n", jstr(st, fields[i]));
	if (m) {	/* both dimensions are asked before the decision */
		const cJSON *cols = cJSON_GetObjectItemCaseSensitive(m, "cols");

		strbuf_addf(text, "${%s}\n", jstr(cJSON_GetObjectItemCaseSensitive(
					m, "rows"), "variable"));
		if (cols)
			strbuf_addf(text, "${%s}\n", jstr(cols, "variable"));
	}
}

static cJSON *
input_step(struct imp *im, enum phase_id phase, struct imp_var *v)
{
	cJSON *st = cJSON_CreateObject();
	char *title = xasprintf("Set %s", v->name);
	char *note = xasprintf("The runbook writes %s here.", v->orig);

	cJSON_AddStringToObject(st, "id", unique_id(im, phase, title));
	cJSON_AddStringToObject(st, "kind", "input");
	cJSON_AddStringToObject(st, "title", title);
	cJSON_AddStringToObject(st, "note", note);
	cJSON_AddStringToObject(st, "variable", v->name);
	if (im->explain)
		strbuf_addf(im->explain, "    -> input step %s (asks %s, "
			    "written %s in the runbook)\n", jstr(st, "id"),
			    v->name, v->orig);
	free(title);
	free(note);
	return st;
}

/* VALUE in LIST, added when not there yet. */
static void
add_value_once(cJSON *list, const char *value)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, list)
		if (strcmp(v->valuestring, value) == 0)
			return;
	cJSON_AddItemToArray(list, cJSON_CreateString(value));
}

/* The condition under which every step using ${NAME} runs, when they all
 * depend on the same choices (for each, the union of its values), else
 * NULL. */
static cJSON *
users_when(struct imp *im, const char *ref, int *first_phase)
{
	struct strbuf refs = STRBUF_INIT;
	const cJSON **users = NULL, *k;
	size_t n = 0;
	cJSON *union_when, *when = NULL;
	const char *key;
	int all = 1;

	*first_phase = -1;
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			const cJSON *w = cJSON_GetObjectItemCaseSensitive(st,
									  "when");

			refs_of(st, &refs);
			if (!strstr(strbuf_str(&refs), ref))
				continue;
			if (*first_phase < 0)
				*first_phase = ph;
			if (!w || !cJSON_GetArraySize(w))
				all = 0;
			else {
				users = xrealloc(users, (n + 1) * sizeof(*users));
				users[n++] = w;
			}
		}
	}
	strbuf_done(&refs);
	/* each condition every user has ("RESPONSE" of a step also tied to
	 * an environment, the roll back of the procedure's options): the
	 * input is asked only on those options */
	if (all && n)
		cJSON_ArrayForEach(k, users[0]) {
			int everywhere = 1;

			for (size_t i = 0; i < n; i++)
				everywhere &= cJSON_HasObjectItem(users[i],
								  k->string);
			if (!everywhere)
				continue;
			key = k->string;
			union_when = cJSON_CreateArray();
			for (size_t i = 0; i < n; i++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(
					users[i], key);

				if (cJSON_IsString(v))
					add_value_once(union_when, v->valuestring);
				else
					cJSON_ArrayForEach(v,
						cJSON_GetObjectItemCaseSensitive(
							users[i], key))
						add_value_once(union_when,
							       v->valuestring);
			}
			if (!when)
				when = cJSON_CreateObject();
			cJSON_AddItemToObject(when, key, union_when);
		}
	free(users);
	return when;
}

/* Some destructive step after the decide phase (in any phase) uses REF. */
static int
destructive_uses(struct imp *im, const char *ref)
{
	struct strbuf refs = STRBUF_INIT;
	int hit = 0;

	for (int ph = PHASE_APPROVE; ph < PHASE_COUNT && !hit; ph++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				    st, "destructive")))
				continue;
			refs_of(st, &refs);
			if (strstr(strbuf_str(&refs), ref)) {
				hit = 1;
				break;
			}
		}
	}
	strbuf_done(&refs);
	return hit;
}

/* Values an execute step or any destructive step needs are asked before
 * the approval, so the sign-off covers them and approving is the last
 * thing before acting: their input steps close the decide phase, each
 * only on the path of the steps that use it. */
/* Whether decide step ST's options set NAME ("sets": {"ON_AWS_NEEDED":
 * "yes"} of a pick of several platforms). */
static int
options_set(const cJSON *st, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(st, "options"))
		if (cJSON_HasObjectItem(cJSON_GetObjectItemCaseSensitive(o,
									 "sets"),
					name))
			return 1;
	return 0;
}

/* Whether a step before the approve phase sets NAME (a decide step's
 * variable or its options' sets, or an input's). */
static int
set_before_gate(struct imp *im, const char *name)
{
	for (int ph = 0; ph < PHASE_APPROVE; ph++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph])
			if ((jstr(st, "variable") &&
			     strcmp(jstr(st, "variable"), name) == 0) ||
			    options_set(st, name))
				return 1;
	}
	return 0;
}

/* The step of the draft with id ID, or NULL. */
static const cJSON *
step_by_id(const struct imp *im, const char *id)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[p])
			if (jstr(st, "id") && strcmp(jstr(st, "id"), id) == 0)
				return st;
	}
	return NULL;
}

/* The sign-off of its own (after the approve phase) that gates a step
 * using REF, or NULL; *PH gets its phase. */
static cJSON *
own_gate_of_users(struct imp *im, const char *ref, int *ph)
{
	struct strbuf refs = STRBUF_INIT;
	cJSON *found = NULL;

	for (int p = PHASE_APPROVE + 1; p < PHASE_COUNT && !found; p++) {
		cJSON *ap;

		cJSON_ArrayForEach(ap, im->steps[p]) {
			const cJSON *g;

			cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(
						  ap, "gates")) {
				const cJSON *st = cJSON_IsString(g) ?
					step_by_id(im, g->valuestring) : NULL;

				if (!st)
					continue;
				refs_of(st, &refs);
				if (strstr(strbuf_str(&refs), ref))
					found = ap;
			}
			if (found) {
				*ph = p;
				break;
			}
		}
	}
	strbuf_done(&refs);
	return found;
}

/* A value only a contingency's remedy uses, the remedy signed off on its
 * own path after the question: asked on that path alone, just before that
 * sign-off (asked before the runbook's approval, every path would need
 * it; asked after the sign-off, it would void it). 0 when placed. */
static int
ask_on_remedy_path(struct imp *im, struct imp_var *v, const char *ref,
		   cJSON *when)
{
	int ph = -1;
	cJSON *gate = own_gate_of_users(im, ref, &ph);
	cJSON *in;

	if (!gate || !cJSON_HasObjectItem(cJSON_GetObjectItemCaseSensitive(
						  gate, "when"),
					  when->child->string))
		return -1;
	in = input_step(im, (enum phase_id)ph, v);
	cJSON_AddItemToObject(in, "when", when);
	insert_before(im->steps[ph], gate, in);
	if (im->explain)
		strbuf_addf(im->explain, "    -> input step %s asked only on "
			    "the path of its remedy, before its sign-off\n",
			    jstr(in, "id"));
	return 0;
}

static void
ask_late_inputs_early(struct imp *im)
{
	for (size_t i = 0; i < im->n_vars; i++) {
		struct imp_var *v = &im->vars[i];
		char *ref = xasprintf("${%s}", v->name);
		int first = -1;
		cJSON *when = v->from_input ? users_when(im, ref, &first) : NULL;

		if (v->from_input && first >= PHASE_APPROVE &&
		    (first <= PHASE_EXECUTE || destructive_uses(im, ref))) {
			cJSON *st;

			if (when && !set_before_gate(im, when->child->string) &&
			    ask_on_remedy_path(im, v, ref, when) == 0) {
				v->from_input = 0;
				free(ref);
				continue;
			}
			st = input_step(im, PHASE_DECIDE, v);
			if (when && !set_before_gate(im, when->child->string)) {
				/* a contingency decided later: its values are
				 * known before anyone signs (which snapshot,
				 * which backup), or the approval covers none */
				add_review(im, 0, st, "%s is used on the path "
					   "where %s is decided after the "
					   "approval: the draft asks it before "
					   "the approval, on every path, so the "
					   "sign-off covers it", v->name,
					   when->child->string);
				cJSON_Delete(when);
			} else if (when) {
				cJSON_AddItemToObject(st, "when", when);
			}
			cJSON_AddItemToArray(im->steps[PHASE_DECIDE], st);
			v->from_input = 0;
		} else {
			cJSON_Delete(when);
		}
		free(ref);
	}
}

/* Every input the draft invented is asked just before its first use,
 * and only on the path of the steps that use it. */
static void
add_inputs(struct imp *im)
{
	struct strbuf refs = STRBUF_INIT;
	cJSON **whens;

	ask_late_inputs_early(im);
	whens = xcalloc(im->n_vars + 1, sizeof(*whens));
	for (size_t i = 0; i < im->n_vars; i++) {
		char *ref = xasprintf("${%s}", im->vars[i].name);
		int first;

		if (im->vars[i].from_input)
			whens[i] = users_when(im, ref, &first);
		free(ref);
	}
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		cJSON *old = im->steps[ph];
		cJSON *out = cJSON_CreateArray();
		cJSON *st;

		while ((st = cJSON_DetachItemFromArray(old, 0))) {
			refs_of(st, &refs);
			for (size_t i = 0; i < im->n_vars; i++) {
				struct imp_var *v = &im->vars[i];
				char *ref = xasprintf("${%s}", v->name);

				if (v->from_input && strstr(strbuf_str(&refs), ref)) {
					cJSON *in = input_step(im, (enum phase_id)ph,
							       v);

					if (whens[i])
						cJSON_AddItemToObject(in, "when",
								      whens[i]);
					whens[i] = NULL;
					cJSON_AddItemToArray(out, in);
					v->from_input = 0;
				}
				free(ref);
			}
			cJSON_AddItemToArray(out, st);
		}
		cJSON_Delete(old);
		im->steps[ph] = out;
	}
	for (size_t i = 0; i < im->n_vars; i++)
		cJSON_Delete(whens[i]);
	free(whens);
	strbuf_done(&refs);
}

/* A step before AT (in phase order) sets VAR. */
static int
set_before(const struct imp *im, const char *var, const cJSON *at)
{
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			if (st == at)
				return 0;
			if (jstr(st, "variable") &&
			    strcmp(jstr(st, "variable"), var) == 0)
				return 1;
		}
	}
	return 0;
}

/* An input's condition beyond its first choice names only choices asked
 * before it: one asked later (a contingency's question after its value)
 * would leave the value unset on that path. */
static void
input_conditions_asked_before(struct imp *im)
{
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			cJSON *when = cJSON_GetObjectItemCaseSensitive(st, "when");
			cJSON *k, *next;

			if (strcmp(jstr(st, "kind"), "input") != 0 || !when ||
			    !when->child)
				continue;
			for (k = when->child->next; k; k = next) {
				next = k->next;
				if (!set_before(im, k->string, st))
					cJSON_Delete(cJSON_DetachItemViaPointer(
						when, k));
			}
		}
	}
}

/* CMD only reads what a later value is picked from: a release's or a
 * rollout's history, the log, the tags. */
static int
is_lookup(const char *cmd)
{
	static const char *const reads[] = { "helm history", "rollout history",
		"git log", "git tag -l", "git tag --list", "git tag\n",
		"git describe", "helm list", "helm ls", "kubectl get ",
		"oc get ", "argocd app history", "npm view", "npm dist-tag ls",
		"aws ecs describe", "gcloud run revisions list", NULL };

	return hazard_read_only(cmd, NULL) && has_word(cmd, reads);
}

/* The section (block index of its heading) step ST came from. */
static size_t
section_of(const struct imp *im, const cJSON *st)
{
	for (size_t k = 0; k < im->n_placed; k++)
		if (im->placed[k].step == st)
			return im->placed[k].section;
	return (size_t)-1;
}

/* Put ST into LIST just before item AT (at the end when AT is not in
 * it). Not cJSON_InsertItemInArray: the cJSON of Debian 12 refuses an
 * index past 0 there and leaves the item out of every list (the fuzz
 * regression under ASan found the steps it lost). */
static void
insert_before(cJSON *list, const cJSON *at, cJSON *st)
{
	cJSON *rest = cJSON_CreateArray(), *it, *next;
	int moving = 0;

	for (it = list->child; it; it = next) {
		next = it->next;
		moving |= it == at;
		if (moving)
			cJSON_AddItemToArray(rest,
					     cJSON_DetachItemViaPointer(list, it));
	}
	cJSON_AddItemToArray(list, st);
	while ((it = cJSON_DetachItemFromArray(rest, 0)) != NULL)
		cJSON_AddItemToArray(list, it);
	cJSON_Delete(rest);
}

/* The runbook line of the section step ST came from. */
static int
line_of(const struct imp *im, const cJSON *st)
{
	size_t sec = section_of(im, st);

	return sec < im->doc->n ? im->doc->b[sec].line : 0;
}

/* Step ST, moved to phase PH, gets an id of that phase; review points
 * about it follow. */
static void
rename_to_phase(struct imp *im, cJSON *st, enum phase_id ph)
{
	char *old = xstrdup(jstr(st, "id"));
	const char *id = unique_id(im, ph, jstr(st, "title"));

	cJSON_ReplaceItemInObject(st, "id", cJSON_CreateString(id));
	for (size_t i = 0; i < im->n_reviews; i++)
		if (im->reviews[i].step && strcmp(im->reviews[i].step, old) == 0) {
			free(im->reviews[i].step);
			im->reviews[i].step = xstrdup(id);
		}
	free(old);
}

/* Move the lookups of USER's section that come before it (in phase PH)
 * to just before input IN, in IN's phase IN_PH. */
static void
lookups_before(struct imp *im, int ph, cJSON *user, cJSON *in, int in_ph)
{
	size_t sec = section_of(im, user);
	cJSON *st = im->steps[ph]->child, *next;

	for (; st && st != user; st = next) {
		next = st->next;
		/* A lookup with a condition of its own stays: moved before
		 * the decision or contingency it waits on, it never runs. */
		if (!jstr(st, "run") || !is_lookup(jstr(st, "run")) ||
		    section_of(im, st) != sec || cJSON_GetObjectItem(st, "when"))
			continue;
		cJSON_DetachItemViaPointer(im->steps[ph], st);
		insert_before(im->steps[in_ph], in, st);
		rename_to_phase(im, st, (enum phase_id)in_ph);
		add_review(im, 0, st, "this lookup informs the value asked at "
			   "%s: the draft runs it just before that question",
			   jstr(in, "id"));
	}
}

static int in_section(const struct md_doc *doc, size_t h, size_t p);

/* Every choice ST's when names is asked before step AT: ST may run just
 * before AT (a lookup waiting on the roll back decision). */
static int
decided_before(const struct imp *im, const cJSON *st, const cJSON *at)
{
	const cJSON *k;

	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(st, "when"))
		if (!set_before(im, k->string, at))
			return 0;
	return 1;
}

/* A read-only lookup written before a choice in its section or one
 * holding it (helm history, then "Pick one:") informs it: it runs before the decide
 * step, in its phase, never after the question it answers. */
static void
lookups_before_their_choice(struct imp *im)
{
	for (int dp = 0; dp < PHASE_EXECUTE; dp++) {
		cJSON *d;

		cJSON_ArrayForEach(d, im->steps[dp]) {
			int dline = step_line(im, d);
			size_t sec = section_of(im, d);

			if (strcmp(jstr(d, "kind"), "decide") != 0 || dline <= 0 ||
			    sec == (size_t)-1)
				continue;
			for (int ph = dp; ph < PHASE_COUNT; ph++) {
				cJSON *st = ph == dp ? d->next : im->steps[ph]->child;
				cJSON *next;

				for (; st; st = next) {
					const char *run = jstr(st, "run");
					int line = step_line(im, st);
					size_t own = section_of(im, st);

					next = st->next;
					/* its section is the choice's, or one
					 * holding it (### Kubernetes under the
					 * ## Roll back whose step 1 it is) */
					if (!run || !hazard_read_only(run, NULL) ||
					    !decided_before(im, st, d) ||
					    line <= 0 || line >= dline ||
					    (own != sec &&
					     (own >= im->doc->n ||
					      im->doc->b[own].kind != MD_HEADING ||
					      !in_section(im->doc, own, sec))))
						continue;
					cJSON_DetachItemViaPointer(im->steps[ph], st);
					insert_before(im->steps[dp], d, st);
					if (ph != dp)
						rename_to_phase(im, st,
								(enum phase_id)dp);
					add_review(im, 0, st, "this lookup comes "
						   "before the choice at %s in the "
						   "runbook: the draft runs it just "
						   "before that question",
						   jstr(d, "id"));
				}
			}
		}
	}
}

/* No step waits on a choice asked after it: check calls it never active
 * (a lookup in the section of an option of an opening "Pick one:", drafted
 * before the question). It moves to just after the question, in that
 * question's phase, keeping its order; a review point says so. */
static void
conditions_after_their_choice(struct imp *im)
{
	for (int sp = 0; sp < PHASE_COUNT; sp++) {
		cJSON *set;

		cJSON_ArrayForEach(set, im->steps[sp]) {
			const char *var = jstr(set, "variable");
			cJSON *at = set->next;

			if (!var)
				continue;
			for (int ph = 0; ph <= sp; ph++) {
				cJSON *st, *next;

				for (st = im->steps[ph]->child; st && st != set;
				     st = next) {
					next = st->next;
					if (!cJSON_GetObjectItemCaseSensitive(
						cJSON_GetObjectItemCaseSensitive(
							st, "when"), var))
						continue;
					cJSON_DetachItemViaPointer(im->steps[ph], st);
					insert_before(im->steps[sp], at, st);
					if (ph != sp)
						rename_to_phase(im, st,
								(enum phase_id)sp);
					add_review(im, 0, st, "this step runs "
						   "only for some answers to %s, "
						   "which the runbook asks after it: "
						   "the draft runs it just after "
						   "that question", jstr(set, "id"));
				}
			}
		}
	}
}

/* A read-only lookup (helm history, git tag -l) written just before the
 * step that uses a value informs that value: it runs before the value is
 * asked, not after (the input moved before the approval). */
static void
lookups_before_inputs(struct imp *im)
{
	for (int ip = 0; ip < PHASE_EXECUTE; ip++) {
		cJSON *in;

		cJSON_ArrayForEach(in, im->steps[ip]) {
			char *ref;
			int done = 0;

			if (strcmp(jstr(in, "kind"), "input") != 0 ||
			    !jstr(in, "variable"))
				continue;
			ref = xasprintf("${%s}", jstr(in, "variable"));
			for (int ph = ip + 1; ph < PHASE_COUNT && !done; ph++) {
				cJSON *st;

				cJSON_ArrayForEach(st, im->steps[ph]) {
					const char *run = jstr(st, "run");

					if (run && strstr(run, ref)) {
						lookups_before(im, ph, st, in, ip);
						done = 1;
						break;
					}
				}
			}
			free(ref);
		}
	}
}

/* Whether TITLE (a check's) says where to find the value of variable
 * NAME: its words but a last ID, NAME or VALUE, two or more, in order
 * ("Find the last good state version" for STATE_VERSION_ID). */
static int
title_finds(const char *title, const char *name)
{
	char *words = xstrdup(name), *low = lower_plain(title), *e;
	int hit = 0;

	for (char *c = words; *c; c++)
		*c = *c == '_' ? ' ' : (char)tolower((unsigned char)*c);
	if ((e = strrchr(words, ' ')) && (strcmp(e, " id") == 0 ||
					  strcmp(e, " name") == 0 ||
					  strcmp(e, " value") == 0))
		*e = '\0';
	if (strchr(words, ' '))
		hit = strstr(low, words) != NULL;
	free(words);
	free(low);
	return hit;
}

/* A check that says where to find a value the draft asks ("Step 2: find
 * the last good state version", clicks in a UI) runs before the value is
 * asked, on the paths that ask it, never after the step that needs it
 * (in verify, optional). */
static void
finding_checks_before_inputs(struct imp *im)
{
	for (int ip = 0; ip < PHASE_EXECUTE; ip++) {
		cJSON *in;

		cJSON_ArrayForEach(in, im->steps[ip]) {
			const char *name = jstr(in, "variable");
			cJSON *when = cJSON_GetObjectItemCaseSensitive(in,
								       "when");

			if (strcmp(jstr(in, "kind"), "input") != 0 || !name)
				continue;
			for (int ph = ip + 1; ph < PHASE_COUNT; ph++) {
				cJSON *st, *next;

				for (st = im->steps[ph]->child; st; st = next) {
					const char *t = jstr(st, "title");

					next = st->next;
					if (strcmp(jstr(st, "kind"), "check") ||
					    !title_finds(t, name))
						continue;
					cJSON_DetachItemViaPointer(
						im->steps[ph], st);
					insert_before(im->steps[ip], in, st);
					rename_to_phase(im, st,
							(enum phase_id)ip);
					cJSON_DeleteItemFromObject(st,
								   "required");
					cJSON_DeleteItemFromObject(st, "when");
					if (when)
						cJSON_AddItemToObject(st, "when",
						   cJSON_Duplicate(when, 1));
					add_review(im, 0, st, "this step says "
						   "where to find the value "
						   "asked at %s: the draft runs "
						   "it just before that "
						   "question, not after the "
						   "step that needs it",
						   jstr(in, "id"));
				}
			}
		}
	}
}

/* Whether an approve step outside the approve phase (a remedy's own
 * sign-off) names step ID in its gates. */
static int
own_sign_off(const struct imp *im, const char *id)
{
	for (int p = PHASE_APPROVE + 1; p < PHASE_COUNT; p++) {
		const cJSON *st, *g;

		cJSON_ArrayForEach(st, im->steps[p])
			cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(
						  st, "gates"))
				if (cJSON_IsString(g) &&
				    strcmp(g->valuestring, id) == 0)
					return 1;
	}
	return 0;
}

/* The approval AP (whose when names VAR) also holds where step ST runs:
 * ST's values of VAR join AP's, or AP holds for every value of VAR when
 * ST runs whatever VAR is. */
static void
widen_for_step(cJSON *ap, const char *var, const cJSON *st)
{
	cJSON *when = cJSON_GetObjectItemCaseSensitive(ap, "when");
	cJSON *mine = cJSON_GetObjectItemCaseSensitive(when, var);
	const cJSON *theirs = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(st, "when"), var);
	const cJSON *v;

	if (!theirs) {
		cJSON_DeleteItemFromObjectCaseSensitive(when, var);
		if (!cJSON_GetArraySize(when))
			cJSON_DeleteItemFromObjectCaseSensitive(ap, "when");
		return;
	}
	if (cJSON_IsString(mine)) {
		cJSON *list = cJSON_CreateArray();

		cJSON_AddItemToArray(list, cJSON_CreateString(mine->valuestring));
		cJSON_ReplaceItemInObjectCaseSensitive(when, var, list);
		mine = list;
	}
	if (cJSON_IsString(theirs)) {
		const cJSON *x;
		int have = 0;

		cJSON_ArrayForEach(x, mine)
			have |= strcmp(x->valuestring, theirs->valuestring) == 0;
		if (!have)
			cJSON_AddItemToArray(mine,
				cJSON_CreateString(theirs->valuestring));
		return;
	}
	cJSON_ArrayForEach(v, theirs) {
		const cJSON *x;
		int have = 0;

		cJSON_ArrayForEach(x, mine)
			have |= strcmp(x->valuestring, v->valuestring) == 0;
		if (!have)
			cJSON_AddItemToArray(mine,
				cJSON_CreateString(v->valuestring));
	}
}

/* An approval asked on one alternative's path only must hold on every
 * path whose steps change things ("stay on green and fix forward" runs
 * ./deploy.sh with nobody's sign-off otherwise): each destructive step
 * after it, save those with a sign-off of their own, widens its when. */
static void
cover_every_changing_path(struct imp *im)
{
	cJSON *ap, *st;

	cJSON_ArrayForEach(ap, im->steps[PHASE_APPROVE]) {
		if (strcmp(jstr(ap, "kind"), "approve") != 0)
			continue;
		for (int p = PHASE_EXECUTE; p < PHASE_COUNT; p++)
			cJSON_ArrayForEach(st, im->steps[p]) {
				cJSON *when = cJSON_GetObjectItemCaseSensitive(
					ap, "when");
				cJSON *var, *next;

				if (!when ||
				    !cJSON_IsTrue(cJSON_GetObjectItem(st,
						"destructive")) ||
				    own_sign_off(im, jstr(st, "id")))
					continue;
				for (var = when->child; var; var = next) {
					next = var->next;
					widen_for_step(ap, var->string, st);
					if (!cJSON_GetObjectItemCaseSensitive(
						    ap, "when"))
						break;
				}
			}
	}
}

/* An approval with no destructive step, nor any command not known to
 * only read, after it would sign a gate over nothing: the runbook's
 * approval item stays a check the operator ticks, with a review point. */
static void
no_empty_approval(struct imp *im)
{
	cJSON *st;
	int n = 0;

	for (int p = PHASE_APPROVE; p < PHASE_COUNT; p++)
		cJSON_ArrayForEach(st, im->steps[p])	/* or may change */
			n += cJSON_IsTrue(cJSON_GetObjectItem(st, "destructive")) ||
			     (jstr(st, "run") &&
			      !hazard_read_only(jstr(st, "run"), NULL));
	if (n)
		return;
	cJSON_ArrayForEach(st, im->steps[PHASE_APPROVE]) {
		if (strcmp(jstr(st, "kind"), "approve") != 0)
			continue;
		cJSON_ReplaceItemInObject(st, "kind", cJSON_CreateString(
			playbook_kind_name(STEP_KIND_CHECK)));
		cJSON_DeleteItemFromObject(st, "roles");
		add_review(im, step_line(im, st), st, "the runbook's approval "
			   "gates no destructive step: the draft keeps it as a "
			   "check to tick, not a sign-off over nothing");
	}
}

/* The variable NAME, declared for a decision the draft no longer asks,
 * is not declared at all. */
static void
drop_var(struct imp *im, const char *name)
{
	for (size_t i = 0; i < im->n_vars; i++) {
		struct imp_var *v = &im->vars[i];

		if (strcmp(v->name, name) != 0)
			continue;
		free(v->name);
		free(v->orig);
		free(v->pattern);
		free(v->prompt);
		memmove(v, v + 1, (im->n_vars - i - 1) * sizeof(*v));
		im->n_vars--;
		return;
	}
}

/* Whether some step's when names VAR. */
static int
var_gates_a_step(const struct imp *im, const char *var)
{
	const cJSON *st;

	for (int p = 0; p < PHASE_COUNT; p++)
		cJSON_ArrayForEach(st, im->steps[p]) {
			const cJSON *when = cJSON_GetObjectItemCaseSensitive(st,
									 "when");

			if (when && cJSON_GetObjectItemCaseSensitive(when, var))
				return 1;
		}
	return 0;
}

/* Contingency D ties no step to its answer (its block became a note):
 * a yes/no question would claim to gate commands that run whatever the
 * answer. It stays a check to tick, with a review point, and the review
 * point that promised the gate is taken back. */
static void
contingency_as_check(struct imp *im, cJSON *d)
{
	const char *id = jstr(d, "id"), *note, *claim;

	for (size_t r = 0; r < im->n_reviews; r++)
		if (im->reviews[r].step && strcmp(im->reviews[r].step, id) == 0 &&
		    strstr(im->reviews[r].text, "is a contingency")) {
			free(im->reviews[r].text);
			im->reviews[r].text = xasprintf("line %d reads as a "
				"contingency (\"%s\"), but no command of the "
				"draft is tied to it: the draft keeps it as a "
				"check, not a decision, and every step after it "
				"runs whatever it says; to make it gate the "
				"rollback, give those steps a when on a decision",
				im->reviews[r].line, jstr(d, "title"));
		}
	drop_var(im, jstr(d, "variable"));
	cJSON_ReplaceItemInObject(d, "kind", cJSON_CreateString(
		playbook_kind_name(STEP_KIND_CHECK)));
	cJSON_DeleteItemFromObject(d, "variable");
	cJSON_DeleteItemFromObject(d, "options");
	note = jstr(d, "note");
	claim = note ? strstr(note, CONTINGENCY_NOTE) : NULL;
	if (claim) {
		char *fixed = xasprintf("%.*sA condition the runbook names: "
			"check it before going on; no command of this playbook "
			"depends on it.%s", (int)(claim - note), note,
			claim + strlen(CONTINGENCY_NOTE));

		cJSON_ReplaceItemInObject(d, "note", cJSON_CreateString(fixed));
		free(fixed);
	}
}

/* A contingency whose answer no step depends on is a check. */
static void
no_empty_contingency(struct imp *im)
{
	for (size_t c = 0; c < im->n_conts; c++) {
		const char *var = jstr(im->conts[c], "variable");

		if (var && strcmp(jstr(im->conts[c], "kind"), "decide") == 0 &&
		    !var_gates_a_step(im, var))
			contingency_as_check(im, im->conts[c]);
	}
}

/* A destructive step after the approval but outside what it gates (a
 * scale to zero in verify, an rm -rf in a cleanup that communicates):
 * the main sign-off gates it too, by its id, so the approver sees it
 * under "It covers:"; a review point says so. */
static void
approval_covers_changes_after_it(struct imp *im)
{
	cJSON *ap = NULL, *it;

	cJSON_ArrayForEach(it, im->steps[PHASE_APPROVE])
		if (!ap && strcmp(jstr(it, "kind"), "approve") == 0)
			ap = it;
	if (!ap)
		return;
	for (int p = PHASE_APPROVE + 1; p < PHASE_COUNT; p++) {
		cJSON *st;

		if (p == PHASE_EXECUTE)
			continue;
		cJSON_ArrayForEach(st, im->steps[p]) {
			cJSON *gates = cJSON_GetObjectItemCaseSensitive(ap,
								       "gates");

			if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st,
							"destructive")) ||
			    gated_by_id(im, jstr(st, "id")))
				continue;
			if (!gates) {
				gates = cJSON_AddArrayToObject(ap, "gates");
				cJSON_AddItemToArray(gates,
					cJSON_CreateString("execute"));
			}
			cJSON_AddItemToArray(gates,
					     cJSON_CreateString(jstr(st, "id")));
			add_review(im, 0, st, "this step changes things in %s, "
				   "after the approval: the draft has %s gate it "
				   "too, so the approver sees it and it waits for "
				   "the sign-off", playbook_phase_name(
					   (enum phase_id)p), jstr(ap, "id"));
		}
	}
}

static void
add_default_approval(struct imp *im)
{
	cJSON *roles, *st;
	char *note;

	if (im->has_approve || im->n_destructive == 0)
		return;
	roles = cJSON_CreateArray();
	cJSON_AddItemToArray(roles, cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetArrayItem(roles, 0), "role",
				"Approver");
	st = add_approve(im, "Sign-off before the destructive steps", roles);
	note = xasprintf("Added by rewind import: the runbook names no "
			 "approval and %d of its commands %s destructive or "
			 "not known to be read-only. Rename the role to the "
			 "one your team requires.",
			 im->n_destructive, im->n_destructive == 1 ? "is"
								 : "are");
	cJSON_AddStringToObject(st, "note", note);
	strbuf_addf(&im->added_log, "  %s: the runbook names no approval and "
		    "has destructive commands\n", jstr(st, "id"));
	free(note);
}

static cJSON *
variables_json(const struct imp *im)
{
	cJSON *vars = cJSON_CreateObject();

	for (size_t i = 0; i < im->n_vars; i++) {
		const struct imp_var *v = &im->vars[i];
		cJSON *o = cJSON_AddObjectToObject(vars, v->name);
		char *prompt = v->prompt ? xstrdup(v->prompt)
			: xasprintf("Value for %s in the runbook", v->orig);

		cJSON_AddStringToObject(o, "prompt", prompt);
		if (v->pattern)
			cJSON_AddStringToObject(o, "pattern", v->pattern);
		if (v->secret)
			cJSON_AddBoolToObject(o, "secret", 1);
		free(prompt);
	}
	return vars;
}

/* Whether the draft asks NAME as a secret: a secret variable some input
 * step sets. */
static int
asks_secret(const struct imp *im, const char *name)
{
	int secret = 0, asked = 0;
	const cJSON *st;

	for (size_t i = 0; i < im->n_vars; i++)
		secret |= strcmp(im->vars[i].name, name) == 0 &&
			  im->vars[i].secret;
	for (int p = 0; p < PHASE_COUNT && secret && !asked; p++)
		cJSON_ArrayForEach(st, im->steps[p])
			asked |= strcmp(jstr(st, "kind"), "input") == 0 &&
				 jstr(st, "variable") &&
				 strcmp(jstr(st, "variable"), name) == 0;
	return secret && asked;
}

/* The review points, the first always saying what a draft is. */
static cJSON *
review_json(const struct imp *im)
{
	cJSON *list = cJSON_CreateArray();
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "line", 1);
	cJSON_AddStringToObject(o, "text", "Imported by rewind import: read "
				"every step against the runbook, settle the "
				"points below, then remove \"draft\": true.");
	cJSON_AddItemToArray(list, o);
	for (size_t i = 0; i < im->n_reviews; i++) {
		const struct imp_review *r = &im->reviews[i];

		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line", r->line);
		if (r->step)
			cJSON_AddStringToObject(o, "step", r->step);
		cJSON_AddStringToObject(o, "text", r->secret_var &&
					!asks_secret(im, r->secret_var)
					? r->unasked : r->text);
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A title from a templated first heading ("{{service}} Helm rollback"):
 * each placeholder the draft declared written ${NAME}, any other one by
 * its bare words. Caller frees. */
static char *
title_from_template(const struct imp *im, const char *tpl)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = tpl; *p;) {
		const char *close = strncmp(p, "{{", 2) == 0 ? strstr(p, "}}")
							     : NULL;
		const char *name;
		size_t n;
		char *var;
		int declared = 0;

		if (!close) {
			strbuf_addc(&sb, *p++);
			continue;
		}
		name = p + 2 + strspn(p + 2, " .");
		n = (size_t)(close - name);
		while (n && name[n - 1] == ' ')
			n--;
		template_name(&name, &n);
		var = var_name(name, n);
		for (size_t i = 0; i < im->n_vars && !declared; i++)
			declared = strcmp(im->vars[i].name, var) == 0;
		if (declared)
			strbuf_addf(&sb, "${%s}", var);
		else
			strbuf_add(&sb, name, n);
		free(var);
		p = close + 2;
	}
	return strbuf_detach(&sb);
}

/* CONFIRM without its words that hold a secret ${NAME}; NULL when it
 * holds none. Caller frees. */
static char *
confirm_without_secrets(const struct imp *im, const char *confirm)
{
	struct strbuf sb = STRBUF_INIT;
	int dropped = 0;

	for (const char *p = confirm; *p;) {
		size_t n = strcspn(p, " ");
		int secret = 0;

		for (const char *v = p; (v = memmem(v, (size_t)(p + n - v),
						     "${", 2)); v += 2) {
			size_t k = strcspn(v + 2, "}");
			char *name = xstrndup(v + 2, k);

			secret |= secret_ref(im, name);
			free(name);
		}
		{
			char *word = xstrndup(p, n);

			secret |= mdimport_confirm_credential(word) != NULL;
			free(word);
		}
		if (secret)
			dropped = 1;
		else if (n)
			strbuf_addf(&sb, "%s%.*s", sb.len ? " " : "", (int)n, p);
		p += n + strspn(p + n, " ");
	}
	if (!dropped) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* No typed confirmation names a secret: the operator would type it in
 * clear and the journal would keep it. Its words holding one are
 * dropped; when nothing is left, the command's own words stand. */
static void
no_secret_in_confirms(struct imp *im)
{
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		cJSON *st;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			const char *c = jstr(st, "confirm"), *run = jstr(st, "run");
			char *kept = c ? confirm_without_secrets(im, c) : NULL;

			if (!kept)
				continue;
			if (!*kept && run) {
				free(kept);
				kept = target_words(run, run + strcspn(run,
								       " \t\n"));
			}
			if (!*kept) {
				free(kept);
				kept = xstrdup("change");
			}
			cJSON_ReplaceItemInObjectCaseSensitive(st, "confirm",
				cJSON_CreateString(kept));
			free(kept);
		}
	}
}

/* TEXT with each placeholder that became an input written as that
 * input, ${NAME} ("Deploy <VERSION> to {{env}}" -> "Deploy ${VERSION} to
 * ${ENV}"), so titles and drill output show the value the walk has; a
 * secret's and an undeclared placeholder stay as written. Caller frees. */
static char *
with_known_vars(const struct imp *im, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = text; *p;) {
		const char *name, *known = NULL;
		size_t nlen, span = placeholder_at(text, p, 0, &name, &nlen);
		char *var;

		if (!span) {
			strbuf_addc(&sb, *p++);
			continue;
		}
		var = var_name(name, nlen);
		for (size_t i = 0; i < im->n_vars && !known; i++)
			if (!im->vars[i].secret &&
			    (strcmp(im->vars[i].name, var) == 0 ||
			     same_input(im->vars[i].name, var)))
				known = im->vars[i].name;
		if (known)
			strbuf_addf(&sb, "${%s}", known);
		else
			strbuf_add(&sb, p, span);
		free(var);
		p += span;
	}
	return strbuf_detach(&sb);
}

/* String item IT rewritten by with_known_vars. */
static void
known_vars_in(const struct imp *im, cJSON *it)
{
	char *v;

	if (!cJSON_IsString(it))
		return;
	v = with_known_vars(im, it->valuestring);
	if (strcmp(v, it->valuestring) != 0)
		cJSON_SetValuestring(it, v);
	free(v);
}

/* Every step's title and drill output name the inputs placeholders
 * became, as its command does. */
static void
titles_use_inputs(const struct imp *im)
{
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		cJSON *st, *out, *line;

		cJSON_ArrayForEach(st, im->steps[ph]) {
			known_vars_in(im, cJSON_GetObjectItem(st, "title"));
			out = cJSON_GetObjectItem(cJSON_GetObjectItem(st,
							"drill"), "output");
			known_vars_in(im, out);
			if (cJSON_IsArray(out))
				cJSON_ArrayForEach(line, out)
					known_vars_in(im, line);
		}
	}
}

static cJSON *
playbook_json(struct imp *im)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *phases;
	const char *src = base_name(im->name);
	char *tpl = im->title ? xstrdup(im->title)
		  : im->title_tpl ? title_from_template(im, im->title_tpl)
		  : xstrdup(src);
	char *title = with_known_vars(im, tpl);
	char *id = slug(title, 48);

	free(tpl);
	no_secret_in_confirms(im);
	titles_use_inputs(im);
	cJSON_AddStringToObject(root, "id", id);
	cJSON_AddStringToObject(root, "title", title);
	cJSON_AddStringToObject(root, "summary", im->summary ? im->summary
		: "Draft imported from a Markdown runbook by rewind import.");
	cJSON_AddStringToObject(root, "source", src);
	cJSON_AddItemToObject(root, "variables", variables_json(im));
	cJSON_AddBoolToObject(root, "draft", 1);
	cJSON_AddItemToObject(root, "review", review_json(im));
	phases = cJSON_AddArrayToObject(root, "phases");
	for (int ph = 0; ph < PHASE_COUNT; ph++) {
		cJSON *p = cJSON_CreateObject();
		char *t = xstrdup(playbook_phase_name((enum phase_id)ph));

		t[0] = (char)toupper((unsigned char)t[0]);
		cJSON_AddStringToObject(p, "id",
					playbook_phase_name((enum phase_id)ph));
		cJSON_AddStringToObject(p, "title", t);
		cJSON_AddItemToObject(p, "steps", im->steps[ph]);
		im->steps[ph] = NULL;
		cJSON_AddItemToArray(phases, p);
		free(t);
	}
	free(title);
	free(id);
	return root;
}

static void
summarize(const struct imp *im, cJSON *root, struct strbuf *sb)
{
	static const enum step_kind kinds[] = {
		STEP_KIND_CHECK, STEP_KIND_RUN, STEP_KIND_DECIDE,
		STEP_KIND_APPROVE, STEP_KIND_INPUT, STEP_KIND_MESSAGE,
	};
	int total[8] = { 0 }, all = 0;
	const cJSON *ph;

	strbuf_addf(sb, "%-12s", "phase");
	for (size_t k = 0; k < 6; k++)
		strbuf_addf(sb, "%8s", playbook_kind_name(kinds[k]));
	strbuf_addf(sb, "%8s\n", "total");
	cJSON_ArrayForEach(ph, cJSON_GetObjectItemCaseSensitive(root, "phases")) {
		const cJSON *steps = cJSON_GetObjectItemCaseSensitive(ph, "steps");
		const cJSON *st;
		int n[8] = { 0 };

		cJSON_ArrayForEach(st, steps) {
			enum step_kind kind;

			if (playbook_kind_parse(jstr(st, "kind"), &kind) < 0)
				continue;
			for (size_t k = 0; k < 6; k++)
				n[k] += kinds[k] == kind;
			n[6]++;
		}
		strbuf_addf(sb, "%-12s", jstr(ph, "id"));
		for (size_t k = 0; k < 7; k++) {
			strbuf_addf(sb, "%8d", n[k]);
			total[k] += n[k];
		}
		strbuf_addc(sb, '\n');
	}
	all = total[6];
	strbuf_addf(sb, "%-12s", "all");
	for (size_t k = 0; k < 7; k++)
		strbuf_addf(sb, "%8d", total[k]);
	strbuf_addf(sb, "\n%d step%s, %zu variable%s, %d destructive "
		    "command%s marked for a typed confirmation\n", all,
		    plural(all), im->n_vars, plural((int)im->n_vars),
		    im->n_destructive, plural(im->n_destructive));
	if (im->added_log.len)
		strbuf_addf(sb, "added by the import:\n%s",
			    strbuf_str(&im->added_log));
	if (total[2] == 0)
		strbuf_adds(sb, "no decision found: the decide phase is "
			    "empty; add a decide step\n");
	strbuf_addf(sb, "%d block%s of prose kept as step notes\n",
		    im->n_prose, plural(im->n_prose));
	if (im->notes_log.len)
		strbuf_addf(sb, "not mapped, kept as step notes:\n%s",
			    strbuf_str(&im->notes_log));
}

static void
imp_done(struct imp *im)
{
	for (int ph = 0; ph < PHASE_COUNT; ph++)
		cJSON_Delete(im->steps[ph]);
	for (size_t i = 0; i < im->n_vars; i++) {
		free(im->vars[i].name);
		free(im->vars[i].orig);
		free(im->vars[i].pattern);
		free(im->vars[i].prompt);
	}
	free(im->vars);
	free(im->conts);
	for (size_t i = 0; i < im->n_forced_secret; i++)
		free(im->forced_secret[i]);
	free(im->forced_secret);
	strbuf_done(&im->unquoted_vars);
	for (size_t i = 0; i < im->n_ids; i++)
		free(im->ids[i]);
	free(im->ids);
	for (size_t i = 0; i < im->n_pends; i++)
		free(im->pends[i].what);
	free(im->pends);
	for (size_t i = 0; i < im->n_reviews; i++) {
		free(im->reviews[i].step);
		free(im->reviews[i].text);
		free(im->reviews[i].secret_var);
		free(im->reviews[i].unasked);
	}
	free(im->reviews);
	for (size_t i = 0; i < im->n_assigns; i++) {
		free(im->assigns[i].name);
		free(im->assigns[i].line);
		free(im->assigns[i].step);
		cJSON_Delete(im->assigns[i].when);
	}
	free(im->assigns);
	free(im->carry);
	free(im->cd_chain);
	cJSON_Delete(im->cd_when);
	free(im->alt_chain);
	cJSON_Delete(im->alt_when);
	free(im->placed);
	free(im->tables);
	for (size_t i = 0; i < im->n_groups; i++) {
		for (size_t k = 0; im->groups[i].labels && k < im->groups[i].n;
		     k++)
			free(im->groups[i].labels[k]);
		free(im->groups[i].labels);
		free(im->groups[i].members);
		free(im->groups[i].var);
		for (size_t k = 0; im->groups[i].member_vars &&
		     k < im->groups[i].n; k++)
			free(im->groups[i].member_vars[k]);
		free(im->groups[i].member_vars);
		free(im->groups[i].parent);
	}
	free(im->groups);
	free(im->alt_of);
	free(im->alt_value);
	free(im->balt_of);
	free(im->bmember_of);
	free(im->balt_value);
	free(im->title);
	free(im->title_tpl);
	free(im->summary);
	free(im->heading);
	free(im->leadin);
	strbuf_done(&im->pending);
	strbuf_done(&im->notes_log);
	strbuf_done(&im->added_log);
}

static void
imp_init(struct imp *im, const char *name)
{
	memset(im, 0, sizeof(*im));
	im->name = name;
	im->section_class = -1;
	im->phase_auto = 1;	/* before a heading places it: by content */
	im->alt = -1;
	im->balt = -1;
	im->bmember = -1;
	for (int l = 0; l < 7; l++)
		im->klass[l] = -1;
	for (int ph = 0; ph < PHASE_COUNT; ph++)
		im->steps[ph] = cJSON_CreateArray();
}

/* A draft the loader refuses is our bug: say so instead of writing it.
 * On failure OUT is freed. */
static int
draft_loads(char *out, const char *name, struct err *err)
{
	struct err why = { 0 };
	struct playbook *pb = playbook_load_buffer(out, strlen(out), name,
						   &why);

	if (pb) {
		playbook_free(pb);
		return 0;
	}
	free(out);
	return err_set(err, ERR_INVALID, "%s: the draft would not load, "
		       "please report this: %s", name, why.msg);
}

/* A YAML front matter value on line L ("title: Web rollback"), unquoted;
 * caller frees; NULL when L sets another key. */
static char *
front_matter_value(const struct md_line *l, const char *key)
{
	size_t n = strlen(key);
	char *v;

	if (l->len <= n || strncmp(l->s, key, n) != 0 || l->s[n] != ':')
		return NULL;
	v = trim_dup(l->s + n + 1, l->len - n - 1);
	if (strlen(v) >= 2 && (v[0] == '"' || v[0] == '\'') &&
	    v[strlen(v) - 1] == v[0]) {
		memmove(v, v + 1, strlen(v));
		v[strlen(v) - 1] = '\0';
	}
	return v;
}

/* Whether TEXT, the front matter's WHAT on line LINE, holds a template
 * placeholder (Backstage's ${{ values.name }}, {{ name }}): a title that
 * would show it literally; a review point says so. */
static int
template_text(struct imp *im, const char *text, int line, const char *what)
{
	if (!strstr(text, "{{") && !strstr(text, "{%"))
		return 0;
	add_review(im, line, NULL, "the front matter's %s is a template (%s "
		   "holds a placeholder filled when the runbook is generated): "
		   "the draft %s", what, what, strcmp(what, "title") == 0
		   ? "takes its title from the first heading or the file name "
		     "instead; give it the service's name"
		   : "leaves it out; write the playbook's summary");
	return 1;
}

/* YAML front matter ("---" ... "---" first in the file): its title and
 * description become the playbook's; the lines are blanked so the parser
 * does not take them for a heading. */
static void
read_front_matter(struct imp *im, struct md_line *lines, size_t n)
{
	size_t end;

	if (n < 2 || lines[0].len != 3 || strncmp(lines[0].s, "---", 3) != 0)
		return;
	for (end = 1; end < n && end < 200; end++)
		if ((lines[end].len == 3 && (strncmp(lines[end].s, "---", 3) == 0 ||
					     strncmp(lines[end].s, "...", 3) == 0)))
			break;
	if (end >= n || end >= 200)
		return;
	for (size_t i = 1; i < end; i++) {
		char *v = front_matter_value(&lines[i], "title");

		if (v && *v && !im->title && !template_text(im, v, lines[i].no,
							    "title")) {
			im->title = plain_title(v);
			im->fm_title = 1;
		}
		free(v);
		v = front_matter_value(&lines[i], "description");
		if (v && *v && !im->summary &&
		    !template_text(im, v, lines[i].no, "description"))
			im->summary = xstrdup(v);
		free(v);
	}
	for (size_t i = 0; i <= end; i++)
		lines[i].len = 0;
}

/* How many steps of the draft do something: every one but the optional
 * checks that only hold a section's prose ("Read ..."). */
static int
count_steps(const struct imp *im)
{
	int n = 0;

	for (int p = 0; p < PHASE_COUNT; p++) {
		const cJSON *st;

		cJSON_ArrayForEach(st, im->steps[p]) {
			const char *kind = cJSON_GetStringValue(
				cJSON_GetObjectItem(st, "kind"));

			n += !(kind && strcmp(kind, "check") == 0 &&
			       cJSON_IsFalse(cJSON_GetObjectItem(st,
								 "required")));
		}
	}
	return n;
}

char *
mdimport_convert(const char *text, size_t len, const char *name,
		 struct strbuf *summary, struct strbuf *explain,
		 struct err *err)
{
	struct md_doc doc = { 0 };
	struct imp im;
	struct md_line *lines;
	size_t n_lines;
	char *raw, *clean;
	cJSON *root;
	char *out;

	if (refuse_binary(text, len, name, err) < 0)
		return NULL;
	imp_init(&im, name);
	raw = clean_text(text, len);
	clean = scrub_credentials(&im, raw);
	free(raw);
	lines = split_lines(clean, &n_lines);
	im.explain = explain;
	if (explain)
		strbuf_addf(explain, "%s, section by section:\n", name);
	read_front_matter(&im, lines, n_lines);
	parse_lines(&doc, lines, n_lines);
	if (doc.n == 0) {
		free(lines);
		free(clean);
		doc_done(&doc);
		imp_done(&im);
		return err_set(err, ERR_INVALID, "%s: nothing to import (the "
			       "file is empty)", name), NULL;
	}
	im.doc = &doc;
	im.ui_only = doc_is_ui_only(&doc);
	if (explain && doc.b[0].kind != MD_HEADING)
		strbuf_addf(explain, "line %d: (before the first heading)\n",
			    doc.b[0].line);
	find_alternatives(&im, &doc);
	find_block_alternatives(&im, &doc);
	for (size_t i = 0; i < doc.n; i++) {
		enter_block_alternative(&im, i);
		map_block(&im, &doc.b[i]);
	}
	flush_section(&im);
	if (explain)
		strbuf_adds(explain, "added after the last section:\n");
	im.section = doc.n;	/* what the import adds is no section's */
	add_default_approval(&im);
	tie_table_options(&im);
	early_choice_changes_in_execute(&im);
	numbered_steps_keep_order(&im);
	gate_on_rollback_choice(&im);
	questions_before_their_remedies(&im);
	gate_late_remedies(&im);
	cover_every_changing_path(&im);
	add_inputs(&im);
	input_conditions_asked_before(&im);
	lookups_before_inputs(&im);
	finding_checks_before_inputs(&im);
	lookups_before_their_choice(&im);
	conditions_after_their_choice(&im);
	no_empty_approval(&im);
	no_empty_contingency(&im);
	approval_covers_changes_after_it(&im);
	if (!count_steps(&im)) {
		imp_done(&im);
		doc_done(&doc);
		free(lines);
		free(clean);
		return err_set(err, ERR_INVALID, "%s: nothing to import: no "
			       "command, checklist or decision in it, only "
			       "prose (nothing was written)", name), NULL;
	}
	root = playbook_json(&im);
	if (summary) {
		strbuf_addf(summary, "imported %s\n", name);
		summarize(&im, root, summary);
	}
	out = cJSON_Print(root);
	cJSON_Delete(root);
	imp_done(&im);
	doc_done(&doc);
	free(lines);
	free(clean);
	return draft_loads(out, name, err) == 0 ? out : NULL;
}
