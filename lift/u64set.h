/* Private to lift/: a growable set of guest addresses (open addressing, 0 never stored as a key
 * is not needed: an explicit `used` bitmap keeps 0 a valid member) and a growable vector. */
#ifndef XLATE_LIFT_U64SET_H
#define XLATE_LIFT_U64SET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct u64vec {
    uint64_t *v;
    size_t n, cap;
};

static inline bool u64vec_push(struct u64vec *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        uint64_t *nv = realloc(a->v, cap * sizeof *nv);
        if (!nv)
            return false;
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return true;
}

struct u64set {
    uint64_t *keys;
    uint8_t *used;
    size_t n, cap; /* cap is a power of two */
};

static inline size_t u64set_slot(const struct u64set *s, uint64_t k)
{
    size_t i = (size_t)((k >> 2) * 0x9e3779b97f4a7c15ull >> 20) & (s->cap - 1);
    while (s->used[i] && s->keys[i] != k)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static inline bool u64set_has(const struct u64set *s, uint64_t k)
{
    return s->cap && s->used[u64set_slot(s, k)];
}

/* Returns 1 if added, 0 if present, -1 when out of memory. */
static inline int u64set_add(struct u64set *s, uint64_t k)
{
    if (2 * (s->n + 1) > s->cap) {
        struct u64set g = {0};
        g.cap = s->cap ? s->cap * 2 : 64;
        g.keys = malloc(g.cap * sizeof *g.keys);
        g.used = calloc(g.cap, 1);
        if (!g.keys || !g.used) {
            free(g.keys);
            free(g.used);
            return -1;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->used[i]) {
                size_t j = u64set_slot(&g, s->keys[i]);
                g.used[j] = 1;
                g.keys[j] = s->keys[i];
            }
        g.n = s->n;
        free(s->keys);
        free(s->used);
        *s = g;
    }
    size_t i = u64set_slot(s, k);
    if (s->used[i])
        return 0;
    s->used[i] = 1;
    s->keys[i] = k;
    s->n++;
    return 1;
}

static inline void u64set_free(struct u64set *s)
{
    free(s->keys);
    free(s->used);
    *s = (struct u64set){0};
}

static inline int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static inline void u64_sort(uint64_t *v, size_t n)
{
    if (n > 1) /* qsort may not be given the NULL of an empty vector */
        qsort(v, n, sizeof *v, u64_cmp);
}

static inline bool u64_bsearch(const uint64_t *v, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] == k)
            return true;
        if (v[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

#endif
