/*
 * sort: integer sorting -- our own quicksort (median of three, insertion sort for short runs) of
 * random 64-bit keys, then libc qsort with a comparison function (an indirect call per compare)
 * of 32-bit keys; both results are checked for order.
 * Usage: sort [n]   (n keys for quicksort, n/4 for qsort)   Output: checksums.
 */
#include "bench.h"

static void insertion(uint64_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint64_t v = a[i];
        long j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void swap(uint64_t *a, uint64_t *b)
{
    uint64_t t = *a;
    *a = *b;
    *b = t;
}

static void quick(uint64_t *a, long n)
{
    while (n > 24) {
        long m = n / 2;
        if (a[m] < a[0])
            swap(&a[m], &a[0]);
        if (a[n - 1] < a[0])
            swap(&a[n - 1], &a[0]);
        if (a[n - 1] < a[m])
            swap(&a[n - 1], &a[m]);
        uint64_t pivot = a[m];
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap(&a[i++], &a[j--]);
        }
        /* Recurse into the smaller side, loop on the larger: bounded stack. */
        if (j + 1 < n - j - 1) {
            quick(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quick(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion(a, n);
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 5000000), nq = n / 4 + 1;
    uint64_t *a = malloc((size_t)n * sizeof *a);
    uint32_t *q = malloc((size_t)nq * sizeof *q);
    if (!a || !q)
        return 1;
    uint64_t seed = 11;
    for (long i = 0; i < n; i++)
        a[i] = rng_next(&seed) >> (i % 3 == 0 ? 40 : 0); /* some duplicates */
    for (long i = 0; i < nq; i++)
        q[i] = (uint32_t)(rng_next(&seed) >> 32);
    quick(a, n);
    qsort(q, (size_t)nq, sizeof *q, cmp_u32);
    uint64_t h = MIX_INIT;
    long bad = 0;
    for (long i = 0; i < n; i++) {
        h = mix(h, a[i]);
        bad += i > 0 && a[i - 1] > a[i];
    }
    for (long i = 0; i < nq; i++) {
        h = mix(h, q[i]);
        bad += i > 0 && q[i - 1] > q[i];
    }
    printf("checksum %016llx out of order %ld\n", (unsigned long long)h, bad);
    free(a);
    free(q);
    return bad != 0;
}
