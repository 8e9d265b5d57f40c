/* Test data for the guest programs here: a pattern to fill memory with, and a checksum of
 * memory (FNV-1a) that one wrong byte changes. */
#ifndef XLATE_TESTS_LINUX_BYTES_H
#define XLATE_TESTS_LINUX_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t sum(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static inline void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 131 + seed + (i >> 8));
}

#endif
