/*
 * Helpers shared by the benchmark kernels: the size argument, a fixed-seed PRNG and a checksum.
 * Every kernel prints a checksum of its work, so a run's output is the same every time and a
 * translation that computes something else is caught before it is timed.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The kernel's size: argv[1] if given (run.py passes a small one for quick checks), else the
 * default, which is sized to run 0.5-1 s natively on the reference machine. */
static inline long bench_size(int argc, char **argv, long dflt)
{
    if (argc < 2)
        return dflt;
    long n = strtol(argv[1], NULL, 10);
    if (n <= 0) {
        fprintf(stderr, "usage: %s [size > 0]\n", argv[0]);
        exit(2);
    }
    return n;
}

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

/* A double in [0, 1) with 53 random bits. */
static inline double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) * 0x1p-53;
}

/* Folds a 64-bit value into a running checksum (FNV-1a over whole words). */
static inline uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

#define MIX_INIT 0xcbf29ce484222325ull

#endif
