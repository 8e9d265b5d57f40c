/*
 * matmul: a double-precision compute kernel (a benchmark) -- C = A * B for square matrices by a
 * cache-blocked i-k-j loop (vectorized with AdvSIMD at -O2/-O3), checked against a naive i-j-k
 * product, then a transpose and a few rounds of C = C * B / n. Entries are small multiples of
 * 1/8, so every product and sum is exact and the result does not depend on evaluation order or
 * on whether the compiler fused multiplies and adds.
 * Usage: matmul [small]   (default 300x300 with 4 rounds; "small" is 40x40 with 2 rounds)
 * Exit status: the number of entries where the blocked and naive products differ (0).
 */
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 32 };

static void mul_blocked(int n, const double *a, const double *b, double *c)
{
    memset(c, 0, sizeof *c * (size_t)n * (size_t)n);
    for (int ii = 0; ii < n; ii += BLOCK)
        for (int kk = 0; kk < n; kk += BLOCK)
            for (int i = ii; i < ii + BLOCK && i < n; i++)
                for (int k = kk; k < kk + BLOCK && k < n; k++) {
                    double aik = a[i * n + k];
                    for (int j = 0; j < n; j++)
                        c[i * n + j] += aik * b[k * n + j];
                }
}

static void mul_naive(int n, const double *a, const double *b, double *c)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

static double trace(int n, const double *m)
{
    double t = 0;
    for (int i = 0; i < n; i++)
        t += m[i * n + i];
    return t;
}

static uint64_t hash(int n, const double *m)
{
    return fnv(FNV_INIT, m, sizeof *m * (size_t)n * (size_t)n);
}

int main(int argc, char **argv)
{
    int small = argc > 1 && !strcmp(argv[1], "small");
    int n = small ? 40 : 300, rounds = small ? 2 : 4;
    size_t bytes = sizeof(double) * (size_t)n * (size_t)n;
    double *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes), *d = malloc(bytes);
    if (!a || !b || !c || !d)
        return 255;
    uint64_t s = 42;
    /* Entries in {-2, -15/8, ..., 2}: partial sums stay far below 2^53 eighths. */
    for (int i = 0; i < n * n; i++) {
        a[i] = ((int)rng_below(&s, 33) - 16) / 8.0;
        b[i] = ((int)rng_below(&s, 33) - 16) / 8.0;
    }
    mul_blocked(n, a, b, c);
    mul_naive(n, a, b, d);
    int diff = 0;
    for (int i = 0; i < n * n; i++)
        diff += c[i] != d[i];
    printf("%dx%d: trace %.17g, c[0][1] %g, c[n-1][n-2] %g, hash %016llx, %d differences\n", n, n,
           trace(n, c), c[1], c[n * n - 2], (unsigned long long)hash(n, c), diff);

    /* Transpose in place, then repeated products scaled back down to stay exact. */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double t = c[i * n + j];
            c[i * n + j] = c[j * n + i];
            c[j * n + i] = t;
        }
    printf("transposed: c[0][1] %g, hash %016llx\n", c[1], (unsigned long long)hash(n, c));
    for (int r = 0; r < rounds; r++) {
        /* Keep entries small multiples of 1/8: reduce C modulo 4 into [-2, 2). */
        for (int i = 0; i < n * n; i++) {
            long eighths = (long)(c[i] * 8);
            c[i] = (double)(((eighths % 32) + 32) % 32 - 16) / 8.0;
        }
        mul_blocked(n, c, b, d);
        double *t = c;
        c = d;
        d = t;
        printf("round %d: trace %.17g, hash %016llx\n", r, trace(n, c),
               (unsigned long long)hash(n, c));
    }
    free(a);
    free(b);
    free(c);
    free(d);
    return diff > 255 ? 255 : diff;
}
