/* Counting a byte a word at a time: a flood of short lines is counted
 * once per read, and a byte loop cost more than the read itself. */
#include "config.h"
#include "memscan.h"

#include <stdint.h>
#include <string.h>

#define ONES UINT64_C(0x0101010101010101)
#define LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)
#define HIGH UINT64_C(0x8080808080808080)

/* Bytes of W that are zero: the high bit of each byte is set unless the
 * byte is zero (no carries between bytes), the flags are summed into the
 * top byte by one multiplication (at most 8, no overflow). */
static size_t
zero_bytes(uint64_t w)
{
	uint64_t nonzero = ((w & LOW7) + LOW7) | w;
	uint64_t zero = (~nonzero & HIGH) >> 7;

	return (size_t)((zero * ONES) >> 56);
}

size_t
mem_count(const void *s, unsigned char c, size_t n)
{
	const unsigned char *p = s;
	uint64_t pattern = ONES * c;
	size_t count = 0;

	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;

		memcpy(&w, p, sizeof(w));
		count += zero_bytes(w ^ pattern);
	}
	while (n--)
		count += *p++ == c;
	return count;
}

size_t
mem_rfind_nth(const void *s, unsigned char c, size_t n, size_t k)
{
	const unsigned char *p = s;
	uint64_t pattern = ONES * c;
	size_t at = n;

	if (!k)
		return n;
	/* Whole words from the end while they hold fewer than K left. */
	while (at >= 8) {
		uint64_t w;
		size_t in_word;

		memcpy(&w, p + at - 8, sizeof(w));
		in_word = zero_bytes(w ^ pattern);
		if (in_word >= k)
			break;
		k -= in_word;
		at -= 8;
	}
	while (at > 0)
		if (p[--at] == c && --k == 0)
			return at;
	return n;
}
