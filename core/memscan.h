/* Fast scans over byte buffers. */
#ifndef REWIND_CORE_MEMSCAN_H
#define REWIND_CORE_MEMSCAN_H

#include <stddef.h>

/* How many bytes of S[0..N) equal C; eight bytes at a time. */
size_t mem_count(const void *s, unsigned char c, size_t n);

/* Offset in S[0..N) of the K-th byte equal to C counted from the end
 * (K = 1: the last one), or N when there are fewer than K (or K is 0);
 * eight bytes at a time. */
size_t mem_rfind_nth(const void *s, unsigned char c, size_t n, size_t k);

#endif
