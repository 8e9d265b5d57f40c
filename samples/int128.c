/*
 * int128: 128-bit integer arithmetic -- multiplication (mul/umulh/smulh), division and modulo
 * (libgcc's __udivti3/__divti3/__umodti3/__modti3) with signs mixed, shifts by every amount
 * 0..127, comparisons, conversions to and from double, 34! and Fibonacci numbers past 2^64,
 * Miller-Rabin primality with 64-bit modular multiplication through 128-bit products, and a
 * 128-bit LCG. Values are printed through a hand-written decimal/hex conversion (printf has no
 * 128-bit format).
 * Exit status: the number of primes found among the 64-bit candidates tested, modulo 256.
 */
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static const char *u128_dec(u128 v, char *buf)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

static const char *s128_dec(s128 v, char *buf)
{
    if (v >= 0)
        return u128_dec((u128)v, buf);
    buf[0] = '-';
    u128_dec(-(u128)v, buf + 1);
    return buf;
}

static const char *u128_hex(u128 v, char *buf)
{
    snprintf(buf, 40, "%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
    return buf;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

/* Deterministic for n < 3.3e24 with these bases. */
static int is_prime(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return 0;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (n % bases[i] == 0)
            return n == bases[i];
    uint64_t d = n - 1;
    int r = 0;
    while (!(d & 1)) {
        d >>= 1;
        r++;
    }
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        int composite = 1;
        for (int k = 1; k < r && composite; k++) {
            x = mulmod(x, x, n);
            composite = x != n - 1;
        }
        if (composite)
            return 0;
    }
    return 1;
}

int main(void)
{
    char a[48], b[48], c[48], d[48];

    u128 f = 1;
    for (int i = 1; i <= 34; i++)
        f *= (u128)i;
    printf("34! = %s = 0x%s\n", u128_dec(f, a), u128_hex(f, b));
    u128 x = 0, y = 1;
    for (int i = 0; i < 185; i++) {
        u128 t = x + y;
        x = y;
        y = t;
    }
    printf("fib(185) = %s\n", u128_dec(x, a));
    printf("max u128 = %s\n", u128_dec(~(u128)0, a));
    printf("min s128 = %s\n", s128_dec((s128)((u128)1 << 127), a));

    /* High halves of 64x64 products against a schoolbook computation. */
    volatile uint64_t p = 0xfedcba9876543210ull, q = 0x0123456789abcdefull;
    u128 prod = (u128)p * q;
    uint64_t pl = p & 0xffffffff, ph = p >> 32, ql = q & 0xffffffff, qh = q >> 32;
    uint64_t mid = (pl * ql >> 32) + (ph * ql & 0xffffffff) + (pl * qh & 0xffffffff);
    uint64_t hi = ph * qh + (ph * ql >> 32) + (pl * qh >> 32) + (mid >> 32);
    printf("umulh: %016llx (schoolbook %016llx)\n", (unsigned long long)(prod >> 64),
           (unsigned long long)hi);
    volatile int64_t sp = -0x123456789abcdefll, sq = 0x7edcba9876543210ll;
    s128 sprod = (s128)sp * sq;
    printf("smul: %s\n", s128_dec(sprod, a));

    /* Division and modulo with every sign combination: q*d + r == n, |r| < |d|. */
    static const s128 nums[] = {0,
                                1,
                                -1,
                                7,
                                -7,
                                (s128)1 << 100,
                                -((s128)1 << 100) - 12345,
                                (s128)0x7fffffffffffffffll * 0x7fffffffffffffffll};
    static const s128 dens[] = {
        1, -1, 3, -3, 10, (s128)1 << 64, -((s128)1 << 70) + 1, (s128)0xfffffffffull};
    int ok = 0, total = 0;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        for (size_t j = 0; j < sizeof dens / sizeof dens[0]; j++) {
            volatile s128 n = nums[i], dd = dens[j];
            s128 qq = n / dd, rr = n % dd;
            total++;
            ok += qq * dd + rr == n && (rr == 0 || (rr < 0) == (n < 0));
            if (i == 6)
                printf("%s / %s = %s rem %s\n", s128_dec(n, a), s128_dec(dd, b), s128_dec(qq, c),
                       s128_dec(rr, d));
        }
    volatile u128 un = ~(u128)0 - 5, ud = ((u128)1 << 65) + 3;
    printf("unsigned: %s / %s = %s rem %s\n", u128_dec(un, a), u128_dec(ud, b),
           u128_dec(un / ud, c), u128_dec(un % ud, d));
    printf("division identities hold for %d of %d\n", ok, total);

    /* Shifts by every amount. */
    volatile u128 pat = ((u128)0x8123456789abcdefull << 64) | 0xfedcba9876543210ull;
    u128 h_left = 0, h_right = 0, h_arith = 0;
    for (volatile int s = 0; s < 128; s++) {
        h_left = h_left * 31 + (pat << s);
        h_right = h_right * 37 + (pat >> s);
        h_arith = h_arith * 41 + (u128)((s128)pat >> s);
    }
    printf("shift hashes: %s %s %s\n", u128_hex(h_left, a), u128_hex(h_right, b),
           u128_hex(h_arith, c));

    /* Comparisons and conversions. */
    volatile s128 m1 = -1, big = (s128)1 << 90;
    printf("cmp: %d %d %d %d\n", m1<big, (u128)m1>(u128) big, m1 == -1, big >= big + 1);
    volatile double dv = 1e30, dn = -12345678901234567890.0;
    u128 from_d = (u128)dv;
    s128 from_dn = (s128)dn;
    printf("from double: %s %s; to double: %.17g %.17g\n", u128_dec(from_d, a),
           s128_dec(from_dn, b), (double)f, (double)-(s128)(f / 1000));

    /* A 128-bit LCG. */
    u128 st = 1;
    const u128 mul = ((u128)0x2360ed051fc65da4ull << 64) | 0x4385df649fccf645ull;
    for (int i = 0; i < 100000; i++)
        st = st * mul + 1442695040888963407ull;
    printf("lcg128 after 100000 steps: %s\n", u128_hex(st, a));

    /* Primes near 2^64 and a Carmichael number. */
    int primes = 0;
    for (uint64_t n = 0xffffffffffffffffull; n > 0xffffffffffffff00ull; n--)
        if (is_prime(n)) {
            primes++;
            if (primes <= 3)
                printf("prime %llu\n", (unsigned long long)n);
        }
    uint64_t more[] = {561,           1000000007,      4294967291ull,
                       4294967297ull, 999999999989ull, 3825123056546413051ull};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        int pr = is_prime(more[i]);
        primes += pr;
        printf("%llu is %s\n", (unsigned long long)more[i], pr ? "prime" : "composite");
    }
    printf("primes: %d\n", primes);
    return primes & 255;
}
