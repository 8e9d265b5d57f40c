/*
 * malloc: allocator churn -- a table of 4096 live blocks; each operation frees a random slot and
 * allocates a new block there (mostly small sizes, sometimes up to 64 KiB, sometimes by
 * realloc), writes its first and last bytes and reads back the previous block's.
 * Usage: malloc [operations]   Output: a checksum of the bytes read back.
 */
#include "bench.h"

#include <string.h>

enum { SLOTS = 4096 };

static size_t pick_size(uint64_t *seed)
{
    uint64_t r = rng_next(seed);
    switch (r & 15) {
    case 0: return 1 + (r >> 8) % 65536; /* large */
    case 1:
    case 2: return 1 + (r >> 8) % 4096; /* medium */
    default: return 1 + (r >> 8) % 256; /* small */
    }
}

int main(int argc, char **argv)
{
    long ops = bench_size(argc, argv, 7000000);
    static unsigned char *slot[SLOTS];
    static size_t len[SLOTS];
    uint64_t seed = 13, h = MIX_INIT;
    for (long i = 0; i < ops; i++) {
        uint64_t r = rng_next(&seed);
        unsigned k = (unsigned)(r % SLOTS);
        size_t n = pick_size(&seed);
        if (slot[k])
            h = mix(h, (uint64_t)slot[k][0] << 8 | slot[k][len[k] - 1]);
        if (slot[k] && (r >> 32) % 8 == 0) {
            unsigned char *p = realloc(slot[k], n);
            if (!p)
                return 1;
            slot[k] = p;
        } else {
            free(slot[k]);
            slot[k] = malloc(n);
            if (!slot[k])
                return 1;
        }
        len[k] = n;
        slot[k][0] = (unsigned char)i;
        slot[k][n - 1] = (unsigned char)(i >> 8);
    }
    size_t live = 0;
    for (unsigned k = 0; k < SLOTS; k++) {
        live += slot[k] ? len[k] : 0;
        free(slot[k]);
    }
    printf("checksum %016llx live bytes at end %zu\n", (unsigned long long)h, live);
    return 0;
}
