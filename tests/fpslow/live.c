/*
 * Values that stay in registers across a floating-point operation taking the slow path. Every
 * iteration multiplies by a denormal, once as a scalar and once in a vector, which the fast path
 * cannot finish (sem/fp_ops.h); translated code then calls the runtime's slow-path entries with
 * a convention that promises every other register intact (runtime/fp_slow_entry.S), so the
 * accumulators and counters below may sit in any host register across those calls.
 * entry_check.c tests the promise register by register.
 */
#include <arm_neon.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* volatile: GCC must not fold the products. 2^-1060 is a denormal double. */
static volatile double tiny_in = 0x1p-1060, step_in = 1.0000001;

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(void)
{
    double tiny = tiny_in, step = step_in;
    double a0 = 1, a1 = 2, a2 = 3, a3 = 4, a4 = 5, a5 = 6, a6 = 7, a7 = 8, a8 = 9, a9 = 10,
           a10 = 11, a11 = 12;
    float64x2_t v0 = {0.5, 1.5}, v1 = {2.5, 3.5}, vt = {tiny, 1.0};
    uint64_t k0 = 1, k1 = 2, k2 = 3, k3 = 4, k4 = 5, k5 = 6, k6 = 7, k7 = 8, k8 = 9;
    for (int i = 1; i <= 1000; i++) {
        double d = tiny * (double)i;
        float64x2_t dv = vmulq_f64(vt, vdupq_n_f64((double)i));
        uint64_t db = bits(d);
        a0 = a0 * step + d;
        a1 = a1 * step - d;
        a2 = a2 + a0 * 0.25;
        a3 = a3 - a1 * 0.125;
        a4 = a4 * step + a2;
        a5 = a5 * step + a3;
        a6 = a6 + a4 * 1e-3;
        a7 = a7 - a5 * 1e-3;
        a8 = a8 * step + vgetq_lane_f64(dv, 1);
        a9 = a9 + a6 * 1e-4;
        a10 = a10 - a7 * 1e-4;
        a11 = a11 * step + a8 * 1e-5;
        v0 = vfmaq_f64(v0, dv, vdupq_n_f64(3.0));
        v1 = vaddq_f64(v1, v0);
        k0 = k0 * 6364136223846793005u + db;
        k1 = k1 * 3 + (k0 >> 7);
        k2 ^= k1 + (uint64_t)i;
        k3 += k2 >> 3;
        k4 = k4 * 5 + k3;
        k5 ^= k4 << 1;
        k6 += k5 ^ db;
        k7 = k7 * 7 + k6;
        k8 += k7 >> 11;
    }
    double a[] = {a0,
                  a1,
                  a2,
                  a3,
                  a4,
                  a5,
                  a6,
                  a7,
                  a8,
                  a9,
                  a10,
                  a11,
                  vgetq_lane_f64(v0, 0),
                  vgetq_lane_f64(v0, 1),
                  vgetq_lane_f64(v1, 0),
                  vgetq_lane_f64(v1, 1)};
    for (size_t i = 0; i < sizeof a / sizeof *a; i++)
        printf("a%zu %016" PRIx64 "\n", i, bits(a[i]));
    uint64_t k[] = {k0, k1, k2, k3, k4, k5, k6, k7, k8};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++)
        printf("k%zu %016" PRIx64 "\n", i, k[i]);
    return 0;
}
