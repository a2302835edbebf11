/* JSON text that is always valid UTF-8 and harmless on a terminal, and
 * back: the escapes of the journal and of batch mode's output.
 *
 * Escaping takes JSON text as a printer writes it (cJSON, the journal
 * writer), where a byte >= 0x80 can only be inside a string, and writes
 * - each byte that is not part of valid UTF-8 as \udcNN, NN being the byte
 *   (0x80-0xff): the "surrogateescape" of PEP 383, so nothing is lost;
 * - DEL, each C1 control (U+0080-U+009F) and each bidirectional control
 *   (U+202A-U+202E, U+2066-U+2069) as the JSON escape \uXXXX of itself;
 * and keeps every other byte. The result is ASCII wherever the input was
 * not valid UTF-8, and no terminal acts on it.
 *
 * Unescaping turns each \udc80-\udcff that is not the second half of a
 * surrogate pair back into its byte, which JSON parsers that refuse lone
 * surrogates (cJSON) need, and which gives back the bytes written. */
#ifndef REWIND_CORE_JSONUTF8_H
#define REWIND_CORE_JSONUTF8_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "strbuf.h"

/* Append LEN bytes of JSON text to SB, escaped as above. */
void jsonutf8_escape(struct strbuf *sb, const char *json, size_t len);

/* A new copy of LEN bytes of JSON text with the escapes of bytes turned
 * back into bytes (its length in *OUT_LEN), or NULL when it has none. */
char *jsonutf8_unescape(const char *json, size_t len, size_t *out_len);

/* Parse LEN bytes of JSON text with its escapes of bytes turned back into
 * bytes: a new value or NULL; *WHOLE (when WHOLE is not NULL) says whether
 * the value took all of it (nothing but itself on the line). */
cJSON *jsonutf8_parse(const char *json, size_t len, int *whole);

#endif
