/* Fast scans over byte buffers. */
#ifndef REWIND_CORE_MEMSCAN_H
#define REWIND_CORE_MEMSCAN_H

#include <stddef.h>

/* How many bytes of S[0..N) equal C; eight bytes at a time. */
size_t mem_count(const void *s, unsigned char c, size_t n);

#endif
