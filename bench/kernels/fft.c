/*
 * fft: iterative radix-2 complex FFT (double precision, separate real and imaginary arrays,
 * precomputed twiddles): bit-reversal permutation, then log2(n) butterfly passes. Each round is
 * a forward and an inverse transform of 2^16 points, so the data stays bounded.
 * Usage: fft [rounds]   Output: a checksum of the data and the round-trip error.
 */
#include "bench.h"

#include <math.h>

enum { LOG2N = 16, NPTS = 1 << LOG2N };

static double re[NPTS], im[NPTS], orig[NPTS], wr[NPTS / 2], wi[NPTS / 2];

static void fft(int inverse)
{
    for (unsigned i = 0, j = 0; i < NPTS; i++) {
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
        unsigned bit = NPTS >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j |= bit;
    }
    double sign = inverse ? -1.0 : 1.0;
    for (unsigned len = 2; len <= NPTS; len <<= 1) {
        unsigned half = len / 2, stride = NPTS / len;
        for (unsigned i = 0; i < NPTS; i += len)
            for (unsigned k = 0; k < half; k++) {
                double cr = wr[k * stride], ci = sign * wi[k * stride];
                unsigned p = i + k, q = p + half;
                double tr = re[q] * cr - im[q] * ci, ti = re[q] * ci + im[q] * cr;
                re[q] = re[p] - tr;
                im[q] = im[p] - ti;
                re[p] += tr;
                im[p] += ti;
            }
    }
    if (inverse)
        for (unsigned i = 0; i < NPTS; i++) {
            re[i] /= NPTS;
            im[i] /= NPTS;
        }
}

int main(int argc, char **argv)
{
    long rounds = bench_size(argc, argv, 120);
    for (unsigned k = 0; k < NPTS / 2; k++) {
        wr[k] = cos(2 * M_PI * k / NPTS);
        wi[k] = -sin(2 * M_PI * k / NPTS);
    }
    uint64_t seed = 3;
    for (unsigned i = 0; i < NPTS; i++) {
        re[i] = orig[i] = rng_unit(&seed) - 0.5;
        im[i] = 0;
    }
    double spectrum = 0;
    for (long r = 0; r < rounds; r++) {
        fft(0);
        spectrum += re[r % NPTS] + im[(r * 7) % NPTS];
        fft(1);
    }
    double err = 0;
    for (unsigned i = 0; i < NPTS; i++)
        err = fmax(err, fabs(re[i] - orig[i]));
    printf("spectrum %.6e roundtrip error %s\n", spectrum, err < 1e-9 ? "small" : "LARGE");
    return 0;
}
