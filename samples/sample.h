/*
 * Helpers shared by the samples: a fixed-seed PRNG and a checksum, so that every sample's output
 * is the same on every run, under every compiler level, natively and translated.
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64* (Vigna): deterministic, no libc state. */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* A value in [0, n). */
static inline uint32_t rng_below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(rng_next(s) >> 32) % n;
}

/* FNV-1a over bytes, continuing from h (start with FNV_INIT). */
#define FNV_INIT 0xcbf29ce484222325ull
static inline uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static inline uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    return fnv(h, &v, sizeof v);
}

#endif
