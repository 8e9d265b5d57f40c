/*
 * printf_fmt: integer and floating-point formatting and parsing through glibc's printf/strtod
 * family -- %d %i %u %x %o %lld %hhd %zu with flags, widths and precisions at the type limits;
 * %g %e %f %.17g %a on zero, signed zero, denormals, DBL_MIN/MAX, NaN and infinities; the sign of
 * the NaN the FPU produces for 0/0 (AArch64's default NaN is positive, x86's is negative);
 * float/double/integer conversions at their edges; strtod/strtol round trips.
 * Exit status: the number of strtod round trips that failed (0).
 */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ints(void)
{
    static const long long vals[] = {0,
                                     1,
                                     -1,
                                     42,
                                     -42,
                                     127,
                                     128,
                                     -129,
                                     255,
                                     65535,
                                     INT_MAX,
                                     INT_MIN,
                                     UINT_MAX,
                                     1ll << 32,
                                     LLONG_MAX,
                                     LLONG_MIN,
                                     123456789012345ll};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        long long v = vals[i];
        printf("%d|%i|%u|%x|%X|%o|%#x|%#o|%+d|% d|%05d|%-6d|%6d|%.3d|%*d|%-*d|\n", (int)v, (int)v,
               (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (int)v,
               (int)v, (int)v, (int)v, (int)v, (int)v, 8, (int)v, 8, (int)v);
        printf("  %lld|%llu|%llx|%llo|%hhd|%hhu|%hd|%hu|%jd|%zu|%" PRIx64 "|%020lld|\n", v,
               (unsigned long long)v, (unsigned long long)v, (unsigned long long)v, (signed char)v,
               (unsigned char)v, (short)v, (unsigned short)v, (intmax_t)v, (size_t)v, (uint64_t)v,
               v);
    }
    char buf[8];
    volatile size_t cap = sizeof buf; /* not a constant, so the truncation is not a warning */
    int n = snprintf(buf, cap, "%d-%s", 1234567, "truncated");
    printf("snprintf returned %d, kept \"%s\"\n", n, buf);
    printf("%%c/%%s: [%c][%5s][%-5s][%.2s][%c]\n", 'x', "ab", "cd", "efgh", 65);
}

static void doubles(void)
{
    volatile double zero = 0.0;
    const double vals[] = {0.0,
                           -0.0,
                           1.0,
                           -1.5,
                           0.1,
                           1.0 / 3.0,
                           2.0 / 3.0,
                           123456789.0,
                           1e21,
                           1e-7,
                           1e300,
                           1e-300,
                           DBL_MIN,
                           DBL_MAX,
                           DBL_EPSILON,
                           4.9406564584124654e-324,
                           2.2250738585072009e-308,
                           M_PI,
                           -M_E,
                           0.5,
                           1.0 / zero,
                           -1.0 / zero,
                           NAN,
                           -NAN};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        double v = vals[i];
        printf("%g|%e|%.17g|%a|%A|%.3f|%12.4e|%-10.2g|%+.0f|%#g\n", v, v, v, v, v, v, v, v, v, v);
    }
    printf("%f\n", 1e22);
    printf("%.30f\n", 0.1);
    printf("%.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -2.5);
}

/* Values computed at run time, so the guest FPU (not the compiler) makes them. */
static void computed(void)
{
    volatile double zero = 0.0, one = 1.0, big = 1e308, tiny = 5e-324, three = 3.0;
    double nan0 = zero / zero, inf = one / zero;
    uint64_t bits;
    memcpy(&bits, &nan0, sizeof bits);
    printf("0/0 = %f bits %016" PRIx64 " (isnan %d, signbit %d)\n", nan0, bits, isnan(nan0) != 0,
           signbit(nan0) != 0);
    double infnan = inf - inf;
    memcpy(&bits, &infnan, sizeof bits);
    printf("inf-inf bits %016" PRIx64 "\n", bits);
    printf("1/0 = %g, -1/0 = %g, big*10 = %g, tiny/2 = %g, tiny*0.5 = %a\n", inf, -one / zero,
           big * 10, tiny / 2, tiny * 0.5);
    printf("1/3 = %.17g, sqrt(2) = %.17g, sqrt(-1) is nan %d\n", one / three, sqrt(2.0 * one),
           isnan(sqrt(-one)) != 0);
    volatile float f = 16777217.0f, fsmall = 1e-40f;
    printf("float: %.9g %.9g %a %g\n", (double)f, (double)fsmall, (double)(float)(one / three),
           (double)(float)big);

    /* Conversions at the edges: AArch64 saturates out-of-range float->int (C says undefined, so
     * only in-range values are printed directly; the rest go through the integer checks). */
    volatile double vals[] = {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1e10, -1e10, 4294967295.0};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        double v = vals[i];
        printf("%g: (long)%ld rint %g floor %g ceil %g round %g trunc %g lround %ld\n", v, (long)v,
               rint(v), floor(v), ceil(v), round(v), trunc(v), lround(v));
    }
    volatile long long big_i = LLONG_MAX, neg_i = LLONG_MIN;
    volatile unsigned long long ubig = ULLONG_MAX;
    printf("(double)LLONG_MAX %.17g (double)LLONG_MIN %.17g (double)ULLONG_MAX %.17g\n",
           (double)big_i, (double)neg_i, (double)ubig);
    printf("(float)LLONG_MAX %.9g (unsigned)3e9 %u\n", (double)(float)big_i, (unsigned)(3e9 * one));
    printf("fmod %g remainder %g ldexp %g frexp-mant %g\n", fmod(10.0 * one, three),
           remainder(10.0 * one, three), ldexp(one, -1074), frexp(48.0 * one, &(int){0}));
}

static int round_trips(void)
{
    uint64_t s = 12345;
    int bad = 0;
    for (int i = 0; i < 2000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t b = s;
        double d;
        memcpy(&d, &b, sizeof d);
        if (isnan(d))
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", d);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &d, sizeof d) != 0) {
            printf("round trip failed: %s\n", buf);
            bad++;
        }
        snprintf(buf, sizeof buf, "%a", d);
        back = strtod(buf, NULL);
        if (memcmp(&back, &d, sizeof d) != 0) {
            printf("hex round trip failed: %s\n", buf);
            bad++;
        }
    }
    printf("strtod: %.17g %.17g %g %g %g\n", strtod("0.1", NULL), strtod("1e-320", NULL),
           strtod("-inf", NULL), strtod("nan", NULL), strtod("0x1.8p1", NULL));
    char *end;
    long l = strtol("  -0x7fffffff zz", &end, 0);
    printf("strtol: %ld rest \"%s\" %lld %llu %ld\n", l, end,
           strtoll("-9223372036854775808", 0, 10), strtoull("18446744073709551615", 0, 10),
           strtol("777", 0, 8));
    int a, b2;
    double x;
    char word[16];
    int n = sscanf("17 -0x1f 2.5e3 hello", "%d %i %lf %15s", &a, &b2, &x, word);
    printf("sscanf: %d fields: %d %d %g %s\n", n, a, b2, x, word);
    return bad;
}

int main(void)
{
    ints();
    doubles();
    computed();
    int bad = round_trips();
    printf("round trip failures: %d\n", bad);
    return bad;
}
