/*
 * memops: the C library's memcpy, memmove, memset and memcmp at many sizes (1 byte to 64 KiB,
 * mostly small) and alignments, within a 4 MiB buffer.
 * Usage: memops [operations]   Output: a checksum of sampled bytes and comparison results.
 */
#include "bench.h"

#include <string.h>

enum { BUF = 4 << 20, MAXLEN = 65536 };

static unsigned char buf[BUF];

static size_t pick_len(uint64_t r)
{
    switch (r & 7) {
    case 0: return (r >> 8) % MAXLEN;
    case 1:
    case 2: return (r >> 8) % 1024;
    default: return (r >> 8) % 64;
    }
}

int main(int argc, char **argv)
{
    long ops = bench_size(argc, argv, 5000000);
    uint64_t seed = 17, h = MIX_INIT;
    for (size_t i = 0; i < BUF; i++)
        buf[i] = (unsigned char)i;
    for (long i = 0; i < ops; i++) {
        uint64_t r = rng_next(&seed);
        size_t n = pick_len(r);
        size_t dst = (size_t)(r >> 24) % (BUF - MAXLEN), src = (size_t)(r >> 40) % (BUF - MAXLEN);
        switch (i & 3) {
        case 0:
            if (dst + n <= src || src + n <= dst)
                memcpy(buf + dst, buf + src, n);
            break;
        case 1: memmove(buf + dst, buf + (dst + (r >> 60)), n); break;
        case 2: memset(buf + dst, (int)(r >> 56), n); break;
        case 3: h = mix(h, (uint64_t)(memcmp(buf + dst, buf + src, n) > 0)); break;
        }
        h = mix(h, buf[dst + n / 2]);
    }
    printf("checksum %016llx\n", (unsigned long long)h);
    return 0;
}
