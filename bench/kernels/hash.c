/*
 * hash: byte and word hashing over a 1 MiB buffer -- table-driven CRC-32 (the IEEE 802.3
 * reflected polynomial, one table lookup per byte), FNV-1a 64 per byte, and a multiply-rotate
 * hash over 64-bit words (unaligned loads through memcpy).
 * Usage: hash [rounds]   Output: the three hashes after the last round.
 */
#include "bench.h"

#include <string.h>

enum { LEN = 1 << 20 };

static unsigned char buf[LEN + 8];
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t rotl(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

static uint64_t wordhash(const unsigned char *p, size_t n, uint64_t seed)
{
    uint64_t h = seed;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = rotl(h ^ (w * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full + 0x52dce729;
    }
    h ^= h >> 33;
    return h * 0xff51afd7ed558ccdull;
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 150);
    crc_init();
    uint64_t seed = 5;
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(rng_next(&seed) >> 56);
    uint32_t crc = 0;
    uint64_t f = 0, w = 0;
    for (long r = 0; r < rounds; r++) {
        size_t off = (size_t)r & 7; /* every alignment */
        crc = crc32(crc, buf + off, LEN);
        f ^= fnv1a(buf + off, LEN);
        w = wordhash(buf + off, LEN, w);
    }
    printf("crc32 %08x fnv1a %016llx words %016llx\n", crc, (unsigned long long)f,
           (unsigned long long)w);
    return 0;
}
