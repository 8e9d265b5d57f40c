/*
 * sieve: the sieve of Eratosthenes, once over a byte array (stores with a stride) and once over
 * a bit array (shifts and read-modify-write), up to 2^22 per round.
 * Usage: sieve [rounds]   Output: the prime counts and a checksum of the primes found.
 */
#include "bench.h"

#include <string.h>

enum { LIMIT = 1 << 22 };

static unsigned char composite[LIMIT];
static uint64_t bits[LIMIT / 64];

static uint64_t byte_sieve(long *count)
{
    memset(composite, 0, sizeof composite);
    uint64_t h = MIX_INIT;
    long c = 0;
    for (long i = 2; i < LIMIT; i++) {
        if (composite[i])
            continue;
        c++;
        h = mix(h, (uint64_t)i);
        for (long j = i * i; j < LIMIT; j += i)
            composite[j] = 1;
    }
    *count = c;
    return h;
}

/* Odd numbers only: bit k stands for 2k + 1. */
static long bit_sieve(void)
{
    memset(bits, 0, sizeof bits);
    long c = 1; /* 2 */
    for (long k = 1; k < LIMIT / 2; k++) {
        if (bits[k >> 6] >> (k & 63) & 1)
            continue;
        c++;
        long p = 2 * k + 1;
        for (long j = (p * p) >> 1; j < LIMIT / 2; j += p)
            bits[j >> 6] |= 1ull << (j & 63);
    }
    return c;
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 36);
    uint64_t h = MIX_INIT;
    long bytes = 0, bitc = 0;
    for (long r = 0; r < rounds; r++) {
        h = mix(h, byte_sieve(&bytes));
        bitc = bit_sieve();
        h = mix(h, (uint64_t)bitc);
    }
    printf("primes below %d: %ld (bytes) %ld (bits) checksum %016llx\n", LIMIT, bytes, bitc,
           (unsigned long long)h);
    return bytes != bitc;
}
