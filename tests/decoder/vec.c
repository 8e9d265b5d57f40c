/*
 * Loops the compiler vectorizes at -O3 (integer and floating-point lanes of every width,
 * saturating and widening arithmetic, conversions, reductions), for AdvSIMD coverage.
 */
#include <math.h>
#include <stdint.h>

#define N 256
static int8_t b8[N], c8[N];
static int16_t h16[N], k16[N];
static int32_t s32[N], t32[N];
static int64_t d64[N];
static uint8_t u8[N];
static uint16_t u16[N];
static float f[N], g[N];
static double d[N], e[N];

double vec_kernels(int n)
{
    for (int i = 0; i < N; i++) {
        b8[i] = (int8_t)(b8[i] + c8[i] * n);
        int s = h16[i] + k16[i];
        h16[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
        s32[i] = s32[i] * t32[i] + (h16[i] >> 3);
        d64[i] += (int64_t)s32[i] * t32[i];
        u8[i] = (uint8_t)(u8[i] > c8[i] ? u8[i] - c8[i] : c8[i] - u8[i]);
        u16[i] = (uint16_t)((u16[i] + u8[i] + 1) >> 1);
        f[i] = fmaf(f[i], g[i], (float)s32[i]);
        g[i] = fminf(fabsf(g[i]), sqrtf(f[i]));
        d[i] = d[i] * e[i] + (double)d64[i] / 3.0;
        e[i] = rint(e[i]) + (double)f[i];
        s32[i] = (int32_t)d[i] ^ (s32[i] < 0 ? -s32[i] : s32[i]);
    }
    double acc = 0;
    int64_t iacc = 0;
    for (int i = 0; i < N; i++) {
        acc += d[i] * e[i];
        iacc += s32[i] + b8[i] + u8[i];
    }
    uint32_t pc = 0;
    for (int i = 0; i < N; i++)
        pc += (uint32_t)__builtin_popcount((unsigned)s32[i]) + (uint32_t)(u16[i] < 100);
    return acc + (double)iacc + pc;
}
