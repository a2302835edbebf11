/* The journal's escapes of bytes that are not UTF-8 and of characters a
 * terminal would act on (see jsonutf8.h). */
#include "config.h"
#include "jsonutf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

void
jsonutf8_escape(struct strbuf *sb, const char *json, size_t len)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t run = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;

		if (p[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n && cp != 0x7f && !utf8_is_hidden_format(cp)) {
			i += n;
			continue;
		}
		strbuf_add(sb, json + run, i - run);
		if (n)
			strbuf_addf(sb, "\\u%04x", (unsigned)cp);
		else
			strbuf_addf(sb, "\\udc%02x", p[i]);
		i += n ? n : 1;
		run = i;
	}
	strbuf_add(sb, json + run, len - run);
}

/* The code unit of the \uXXXX escape at S (6 bytes left at least), or -1. */
static long
unicode_escape(const char *s)
{
	long v = 0;

	if (s[0] != '\\' || s[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = hex_digit_value(s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

char *
jsonutf8_unescape(const char *json, size_t len, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *first = memchr(json, '\\', len);
	size_t run = 0;		/* 0 until the first byte comes back */
	int after_high = 0;	/* the last escape was a high surrogate */

	if (!first)
		return NULL;
	for (size_t i = (size_t)(first - json); i < len;) {
		long u = len - i >= 6 ? unicode_escape(json + i) : -1;

		if (json[i] != '\\') {
			i++;
			after_high = 0;
			continue;
		}
		if (u < 0) {	/* another escape: \" \\ \n ... */
			i += 2;
			after_high = 0;
			continue;
		}
		if (u >= 0xdc80 && u <= 0xdcff && !after_high) {
			strbuf_add(&sb, json + run, i - run);
			strbuf_addc(&sb, (char)(u - 0xdc00));
			run = i + 6;
		}
		after_high = u >= 0xd800 && u <= 0xdbff;
		i += 6;
	}
	if (!run)
		return NULL;
	strbuf_add(&sb, json + run, len - run);
	*out_len = sb.len;
	return strbuf_detach(&sb);
}

cJSON *
jsonutf8_parse(const char *json, size_t len, int *whole)
{
	size_t n = len;
	char *plain = jsonutf8_unescape(json, len, &n);
	const char *text = plain ? plain : json, *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, n, &end, 0);

	if (whole)
		*whole = v && end == text + n;
	free(plain);
	return v;
}
