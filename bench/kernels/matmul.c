/*
 * matmul: double-precision dense matrix multiply, C = A * B by a cache-blocked i-k-j loop whose
 * inner loop the compiler vectorizes, repeated with the product fed back as the next A.
 * Usage: matmul [n]   (n x n matrices, 4 rounds)   Output: a checksum of C.
 */
#include "bench.h"

#include <string.h>

enum { BLOCK = 64, ROUNDS = 4 };

static void mul(int n, const double *a, const double *b, double *c)
{
    memset(c, 0, sizeof *c * (size_t)n * (size_t)n);
    for (int ii = 0; ii < n; ii += BLOCK)
        for (int kk = 0; kk < n; kk += BLOCK)
            for (int i = ii; i < ii + BLOCK && i < n; i++)
                for (int k = kk; k < kk + BLOCK && k < n; k++) {
                    double aik = a[(size_t)i * n + k];
                    const double *bk = b + (size_t)k * n;
                    double *ci = c + (size_t)i * n;
                    for (int j = 0; j < n; j++)
                        ci[j] += aik * bk[j];
                }
}

int main(int argc, char **argv)
{
    int n = (int)bench_size(argc, argv, 640);
    size_t nn = (size_t)n * (size_t)n;
    double *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b), *c = malloc(nn * sizeof *c);
    if (!a || !b || !c)
        return 1;
    uint64_t seed = 7;
    for (size_t i = 0; i < nn; i++) {
        a[i] = rng_unit(&seed) - 0.5;
        b[i] = (rng_unit(&seed) - 0.5) * 2.0 / n;
    }
    for (int r = 0; r < ROUNDS; r++) {
        mul(n, a, b, c);
        double *t = a;
        a = c;
        c = t;
    }
    double sum = 0, wsum = 0;
    for (size_t i = 0; i < nn; i++) {
        sum += a[i];
        wsum += a[i] * (double)(i % 7);
    }
    printf("sum %.6e weighted %.6e\n", sum, wsum);
    free(a);
    free(b);
    free(c);
    return 0;
}
