/*
 * strings: glibc's string and memory functions (hand-written AArch64 assembly, mostly AdvSIMD,
 * with alignment-dependent paths) at every source and destination offset 0..15 and every length
 * 0..70 -- memcpy, memmove (overlapping both ways), memset, memchr, memcmp, strlen, strnlen,
 * strchr, strrchr, strcmp, strncmp, strcpy, strncpy, stpcpy. Each result is checked against a
 * byte-at-a-time reference (through volatile pointers, so the compiler cannot turn it back into
 * a library call) over the whole buffer, so writes outside the intended range are caught too,
 * and the results are folded into a checksum per function.
 * Exit status: the number of mismatches against the reference (0), at most 255.
 */
#include "sample.h"

#include <stdio.h>
#include <string.h>

enum { OFFS = 16, MAXLEN = 70, BUF = 160 };

static _Alignas(64) unsigned char src[BUF], dst[BUF], ref[BUF], orig_src[BUF], orig_dst[BUF];
static long mismatches;

static void ref_copy(unsigned char *d, const unsigned char *s, size_t n)
{
    volatile unsigned char *vd = d;
    const volatile unsigned char *vs = s;
    unsigned char tmp[BUF];
    for (size_t i = 0; i < n; i++)
        tmp[i] = vs[i];
    for (size_t i = 0; i < n; i++)
        vd[i] = tmp[i];
}

static size_t ref_strlen(const unsigned char *s)
{
    const volatile unsigned char *v = s;
    size_t n = 0;
    while (v[n])
        n++;
    return n;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static int ref_cmp(const unsigned char *a, const unsigned char *b, size_t n, int stop_at_nul)
{
    const volatile unsigned char *va = a, *vb = b;
    for (size_t i = 0; i < n; i++) {
        if (va[i] != vb[i])
            return va[i] < vb[i] ? -1 : 1;
        if (stop_at_nul && !va[i])
            return 0;
    }
    return 0;
}

/* Source bytes: nonzero, with plenty of values >= 0x80 (string comparison is unsigned). */
static void init(void)
{
    uint64_t s = 5;
    for (int i = 0; i < BUF; i++) {
        orig_src[i] = (unsigned char)(1 + rng_below(&s, 255));
        orig_dst[i] = (unsigned char)(0xa5 ^ i);
    }
}

static void reset_src(void)
{
    memcpy(src, orig_src, BUF);
}

static void reset_dst(void)
{
    memcpy(dst, orig_dst, BUF);
    memcpy(ref, orig_dst, BUF);
}

static void expect(int ok, const char *what, int a, int b, int len)
{
    if (!ok && ++mismatches <= 10)
        printf("MISMATCH %s offsets %d,%d length %d\n", what, a, b, len);
}

static void expect_buffers(const char *what, int a, int b, int len)
{
    expect(ref_cmp(dst, ref, BUF, 0) == 0, what, a, b, len);
}

static void report(const char *name, uint64_t h)
{
    printf("%-8s %016llx\n", name, (unsigned long long)h);
}

static void copies(void)
{
    uint64_t h_memcpy = FNV_INIT, h_memmove = FNV_INIT, h_memset = FNV_INIT;
    for (int so = 0; so < OFFS; so++)
        for (int d = 0; d < OFFS; d++)
            for (int len = 0; len <= MAXLEN; len++) {
                reset_dst();
                memcpy(dst + d, src + so, (size_t)len);
                ref_copy(ref + d, src + so, (size_t)len);
                expect_buffers("memcpy", so, d, len);
                h_memcpy = fnv(h_memcpy, dst + d, (size_t)len + 1);

                /* Overlapping moves within one buffer, forwards and backwards. */
                for (int dir = 0; dir < 2; dir++) {
                    int from = dir ? so + 24 : so, to = dir ? d : d + 24;
                    reset_dst();
                    memcpy(dst, src, BUF);
                    memcpy(ref, src, BUF);
                    memmove(dst + to, dst + from, (size_t)len);
                    ref_copy(ref + to, ref + from, (size_t)len);
                    expect_buffers("memmove", from, to, len);
                    h_memmove = fnv(h_memmove, dst + to, (size_t)len + 1);
                }

                if (so == 0) {
                    reset_dst();
                    memset(dst + d, len * 3, (size_t)len);
                    volatile unsigned char *v = ref;
                    for (int i = 0; i < len; i++)
                        v[d + i] = (unsigned char)(len * 3);
                    expect_buffers("memset", so, d, len);
                    h_memset = fnv(h_memset, dst + d, (size_t)len + 1);
                }
            }
    report("memcpy", h_memcpy);
    report("memmove", h_memmove);
    report("memset", h_memset);
}

/* A NUL-terminated string of length len at src + so (the byte after it is nonzero). */
static void terminate(int so, int len)
{
    reset_src();
    src[so + len] = 0;
}

static void searches(void)
{
    uint64_t h_strlen = FNV_INIT, h_chr = FNV_INIT, h_rchr = FNV_INIT, h_memchr = FNV_INIT;
    for (int so = 0; so < OFFS; so++)
        for (int len = 0; len <= MAXLEN; len++) {
            terminate(so, len);
            const char *s = (const char *)src + so;
            size_t n = strlen(s);
            expect(n == (size_t)len && n == ref_strlen(src + so), "strlen", so, 0, len);
            size_t nn = strnlen(s, (size_t)len / 2);
            expect(nn == (size_t)len / 2, "strnlen", so, 0, len);
            h_strlen = fnv_u64(fnv_u64(h_strlen, n), nn);

            /* Search for a byte placed at a few positions, and for one that is absent. */
            for (int pos = -1; pos < len; pos += 1 + len / 5) {
                unsigned char c = 0xfe;
                terminate(so, len);
                for (int i = 0; i < len; i++)
                    if (src[so + i] == c)
                        src[so + i] = 0x7f;
                if (pos >= 0)
                    src[so + pos] = c, src[so + len - 1] = c;
                const char *p = strchr(s, c), *r = strrchr(s, c);
                const void *m = memchr(s, c, (size_t)len);
                long ip = p ? p - s : -1, ir = r ? r - s : -1, im = m ? (const char *)m - s : -1;
                expect(ip == (pos >= 0 ? pos : -1), "strchr", so, pos, len);
                expect(ir == (pos >= 0 ? len - 1 : -1), "strrchr", so, pos, len);
                expect(im == ip, "memchr", so, pos, len);
                h_chr = fnv_u64(h_chr, (uint64_t)ip);
                h_rchr = fnv_u64(h_rchr, (uint64_t)ir);
                h_memchr = fnv_u64(h_memchr, (uint64_t)im);
            }
            expect(strchr(s, 0) == s + len, "strchr-nul", so, 0, len);
        }
    report("strlen", h_strlen);
    report("strchr", h_chr);
    report("strrchr", h_rchr);
    report("memchr", h_memchr);
}

static void compares(void)
{
    uint64_t h_cmp = FNV_INIT, h_ncmp = FNV_INIT, h_memcmp = FNV_INIT;
    for (int so = 0; so < OFFS; so++)
        for (int d = 0; d < OFFS; d++)
            for (int len = 0; len <= MAXLEN; len++) {
                /* Equal strings, then ones differing at the last byte upwards, downwards, and
                 * in a byte >= 0x80 against one < 0x80. */
                for (int variant = 0; variant < 4; variant++) {
                    terminate(so, len);
                    reset_dst();
                    memcpy(dst + d, src + so, (size_t)len + 1);
                    if (len > 0 && variant) {
                        unsigned char *last = dst + d + len - 1;
                        *last = variant == 1   ? (unsigned char)(*last == 0xff ? 0xfe : *last + 1)
                                : variant == 2 ? (unsigned char)(*last == 1 ? 2 : *last - 1)
                                               : (unsigned char)(*last ^ 0x80);
                        if (!*last)
                            *last = 0x80;
                    }
                    const char *a = (const char *)src + so, *b = (const char *)dst + d;
                    int c = sign(strcmp(a, b));
                    int r = ref_cmp(src + so, dst + d, (size_t)len + 1, 1);
                    expect(c == r, "strcmp", so, d, len);
                    int nc = sign(strncmp(a, b, (size_t)len / 2 + variant));
                    int nr = ref_cmp(src + so, dst + d, (size_t)len / 2 + variant, 1);
                    expect(nc == nr, "strncmp", so, d, len);
                    int mc = sign(memcmp(a, b, (size_t)len));
                    int mr = ref_cmp(src + so, dst + d, (size_t)len, 0);
                    expect(mc == mr, "memcmp", so, d, len);
                    h_cmp = fnv_u64(h_cmp, (uint64_t)(c + 1));
                    h_ncmp = fnv_u64(h_ncmp, (uint64_t)(nc + 1));
                    h_memcmp = fnv_u64(h_memcmp, (uint64_t)(mc + 1));
                }
            }
    report("strcmp", h_cmp);
    report("strncmp", h_ncmp);
    report("memcmp", h_memcmp);
}

static void string_copies(void)
{
    uint64_t h_cpy = FNV_INIT, h_ncpy = FNV_INIT, h_stp = FNV_INIT;
    for (int so = 0; so < OFFS; so++)
        for (int d = 0; d < OFFS; d++)
            for (int len = 0; len <= MAXLEN; len++) {
                terminate(so, len);
                reset_dst();
                strcpy((char *)dst + d, (const char *)src + so);
                ref_copy(ref + d, src + so, (size_t)len + 1);
                expect_buffers("strcpy", so, d, len);
                h_cpy = fnv(h_cpy, dst + d, (size_t)len + 2);

                /* strncpy with n shorter than, equal to and longer than the string (padding). */
                size_t n = (size_t)(len + so + d) % (MAXLEN + 8);
                reset_dst();
                char *(*volatile ncpy)(char *, const char *, size_t) = strncpy; /* no warning */
                ncpy((char *)dst + d, (const char *)src + so, n);
                size_t k = n < (size_t)len ? n : (size_t)len;
                ref_copy(ref + d, src + so, k);
                volatile unsigned char *v = ref;
                for (size_t i = k; i < n; i++)
                    v[d + i] = 0;
                expect_buffers("strncpy", so, d, len);
                h_ncpy = fnv(h_ncpy, dst + d, n + 1);

                reset_dst();
                char *end = stpcpy((char *)dst + d, (const char *)src + so);
                expect(end == (char *)dst + d + len && *end == 0, "stpcpy", so, d, len);
                h_stp = fnv_u64(h_stp, (uint64_t)(end - (char *)dst));
            }
    report("strcpy", h_cpy);
    report("strncpy", h_ncpy);
    report("stpcpy", h_stp);
}

int main(void)
{
    init();
    reset_src();
    copies();
    searches();
    compares();
    string_copies();
    printf("mismatches: %ld\n", mismatches);
    return mismatches > 255 ? 255 : (int)mismatches;
}
