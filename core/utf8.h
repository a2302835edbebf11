/* UTF-8 validation shared by everything that must tell text from bytes
 * (the sanitizer, JSON writers, the playbook loader). */
#ifndef REWIND_CORE_UTF8_H
#define REWIND_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at S (N > 0 bytes left), or 0 when
 * the bytes are not UTF-8; overlong forms and surrogates are invalid. */
size_t utf8_len(const unsigned char *s, size_t n);

/* Like utf8_len, also storing the code point in *CP when valid. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Whether code point CP is a C1 control (U+0080-U+009F) or a bidirectional
 * control (U+202A-U+202E, U+2066-U+2069): characters a terminal acts on or
 * that reorder what it shows, never printed as they are. */
int utf8_is_hidden_format(uint32_t cp);

/* Whether code point CP is an invisible character a reader could not see
 * or tell apart: a format character (zero-width space and joiners, soft
 * hyphen, word joiner, byte order mark, language tags, ...), a line or
 * paragraph separator, or a filler drawn as blank (Hangul fillers). */
int utf8_is_invisible(uint32_t cp);

/* The value of hex digit C (0-15), or -1 for anything else. */
int hex_digit_value(char c);

#endif
