/*
 * malloc_churn: heap churn through glibc malloc -- 20000 random malloc/calloc/realloc/free
 * operations over 512 slots with sizes from 0 bytes to 1 MiB (so both brk-grown arenas and
 * mmap'd chunks, and realloc growing mmap'd blocks through mremap), frees in random order, and
 * every block filled with a pattern (each of its first and last 256 bytes, every 509th byte in
 * between) that is verified before it is resized or freed. Prints
 * operation counts and a checksum of everything verified (never addresses).
 * Exit status: the number of corrupted or misaligned blocks (0).
 */
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 512, OPS = 20000 };

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char seed;
};

static size_t pick_size(uint64_t *s)
{
    uint32_t r = rng_below(s, 1000);
    if (r < 5)
        return 0;
    if (r < 600)
        return 1 + rng_below(s, 64);
    if (r < 900)
        return 64 + rng_below(s, 4096);
    if (r < 990)
        return 4096 + rng_below(s, 65536);
    return 131072 + rng_below(s, 1 << 20); /* above the mmap threshold */
}

/* The pattern's positions in a block of the given size: after position i comes next_pos(i). */
static size_t next_pos(size_t i, size_t size)
{
    if (i + 1 < 256 || i + 1 + 256 >= size)
        return i + 1;
    return i + 509 + 256 < size ? i + 509 : size - 256;
}

static unsigned char pattern(const struct slot *sl, size_t i)
{
    return (unsigned char)(sl->seed + i * 13 + (i >> 8));
}

static void fill(struct slot *sl)
{
    for (size_t i = 0; i < sl->size; i = next_pos(i, sl->size))
        sl->p[i] = pattern(sl, i);
}

/* Checks the first n bytes of the pattern and folds them into the checksum. */
static int check(const struct slot *sl, size_t n, uint64_t *sum)
{
    int bad = 0;
    for (size_t i = 0; i < n; i = next_pos(i, sl->size))
        bad |= sl->p[i] != pattern(sl, i);
    *sum = fnv_u64(*sum, n);
    if (n)
        *sum = fnv(*sum, sl->p, n < 64 ? n : 64);
    return bad;
}

int main(void)
{
    static struct slot slots[SLOTS];
    uint64_t s = 7, sum = FNV_INIT;
    unsigned long n_malloc = 0, n_calloc = 0, n_realloc = 0, n_free = 0, bytes = 0, peak = 0;
    unsigned long live = 0;
    int bad = 0;

    for (int op = 0; op < OPS; op++) {
        struct slot *sl = &slots[rng_below(&s, SLOTS)];
        uint32_t what = rng_below(&s, 10);
        if (!sl->p) {
            size_t size = pick_size(&s);
            if (what < 7) {
                sl->p = malloc(size);
                n_malloc++;
            } else {
                sl->p = calloc(1, size);
                n_calloc++;
                for (size_t i = 0; sl->p && i < size; i = next_pos(i, size))
                    bad += sl->p[i] != 0;
            }
            if (!sl->p) {
                if (size == 0)
                    continue;
                printf("allocation of %zu bytes failed\n", size);
                return 255;
            }
            sl->size = size;
            sl->seed = (unsigned char)rng_next(&s);
            fill(sl);
            bytes += size;
            live += size;
        } else if (what < 4) {
            size_t size = pick_size(&s);
            bad += check(sl, sl->size < size ? sl->size : size, &sum);
            unsigned char *q = realloc(sl->p, size ? size : 1);
            if (!q) {
                printf("realloc to %zu bytes failed\n", size);
                return 255;
            }
            live = live - sl->size + size;
            sl->p = q;
            sl->size = size;
            sl->seed = (unsigned char)rng_next(&s);
            fill(sl);
            n_realloc++;
        } else {
            bad += check(sl, sl->size, &sum);
            free(sl->p);
            live -= sl->size;
            sl->p = NULL;
            n_free++;
        }
        if (sl->p && ((uintptr_t)sl->p & 15) != 0)
            bad++;
        if (live > peak)
            peak = live;
    }
    /* Free the rest in a shuffled order. */
    int order[SLOTS];
    for (int i = 0; i < SLOTS; i++)
        order[i] = i;
    for (int i = SLOTS - 1; i > 0; i--) {
        int j = (int)rng_below(&s, (uint32_t)i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int left = 0;
    for (int i = 0; i < SLOTS; i++) {
        struct slot *sl = &slots[order[i]];
        if (sl->p) {
            bad += check(sl, sl->size, &sum);
            free(sl->p);
            left++;
        }
    }
    /* A burst of same-size blocks, freed alternately, then reallocated (fastbin/tcache reuse). */
    void *burst[2000];
    for (int i = 0; i < 2000; i++)
        burst[i] = malloc(24 + (size_t)(i % 3) * 8);
    for (int i = 0; i < 2000; i += 2)
        free(burst[i]);
    for (int i = 0; i < 2000; i += 2)
        burst[i] = malloc(24);
    int null = 0;
    for (int i = 0; i < 2000; i++) {
        null += burst[i] == NULL;
        free(burst[i]);
    }
    printf("malloc %lu calloc %lu realloc %lu free %lu, %lu bytes allocated, peak live %lu\n",
           n_malloc, n_calloc, n_realloc, n_free, bytes, peak);
    printf("freed %d at the end, burst failures %d\n", left, null);
    printf("checksum %016llx, bad %d\n", (unsigned long long)sum, bad);
    return bad;
}
