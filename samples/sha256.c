/*
 * sha256: an integer compute kernel (a benchmark) -- SHA-256 (32-bit rotates, shifts, and/xor
 * chains, big-endian loads), checked on the FIPS 180-2 test vectors, then hashing a generated
 * buffer repeatedly with the digest fed back into the data, plus a table-driven CRC-32 and an
 * Adler-32 over the same bytes.
 * Usage: sha256 [small]   (default: the million-'a' vector and 48 MiB hashed; "small" skips the
 *                          million 'a's and hashes 256 KiB)
 * Exit status: the number of failed test vectors (0).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct sha256 {
    uint32_t h[8];
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
};

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

static void sha_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->fill = 0;
}

static void sha_update(struct sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->len += n;
    if (s->fill) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->buf + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill < 64)
            return;
        block(s->h, s->buf);
        s->fill = 0;
    }
    for (; n >= 64; n -= 64, p += 64)
        block(s->h, p);
    memcpy(s->buf, p, n);
    s->fill = n;
}

static void sha_final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->len * 8;
    unsigned char pad[72] = {0x80};
    size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

static const char *hex(const unsigned char *d, size_t n, char *buf)
{
    for (size_t i = 0; i < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", d[i]);
    return buf;
}

static uint32_t crc_table[256];
static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t adler32(uint32_t adler, const unsigned char *p, size_t n)
{
    uint32_t a = adler & 0xffff, b = adler >> 16;
    while (n) {
        size_t chunk = n < 5552 ? n : 5552; /* no overflow before the modulo */
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

int main(int argc, char **argv)
{
    int small = argc > 1 && !strcmp(argv[1], "small");
    static const struct {
        const char *msg;
        const char *digest;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"},
    };
    int failed = 0;
    char buf[65];
    unsigned char d[32];
    struct sha256 s;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        sha_init(&s);
        sha_update(&s, vectors[i].msg, strlen(vectors[i].msg));
        sha_final(&s, d);
        int ok = !strcmp(hex(d, 32, buf), vectors[i].digest);
        failed += !ok;
        printf("sha256(\"%.20s%s\") = %s %s\n", vectors[i].msg,
               strlen(vectors[i].msg) > 20 ? "..." : "", buf, ok ? "ok" : "WRONG");
    }
    /* A million 'a's, fed in odd-sized pieces (too slow for the tests' interpreter runs). */
    if (!small) {
        sha_init(&s);
        static unsigned char as[1000];
        memset(as, 'a', sizeof as);
        for (size_t done = 0, piece = 1; done < 1000000; piece = piece % 997 + 1) {
            size_t n = 1000000 - done < piece ? 1000000 - done : piece;
            sha_update(&s, as, n);
            done += n;
        }
        sha_final(&s, d);
        int ok = !strcmp(hex(d, 32, buf),
                         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        failed += !ok;
        printf("sha256(a * 1000000) = %s %s\n", buf, ok ? "ok" : "WRONG");
    }

    /* The benchmark: hash a 64 KiB buffer over and over, mixing each digest back into it. */
    crc_init();
    static unsigned char data[65536];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    int rounds = small ? 4 : 768;
    uint32_t crc = 0, adler = 1;
    sha_init(&s);
    for (int r = 0; r < rounds; r++) {
        struct sha256 one;
        sha_init(&one);
        sha_update(&one, data, sizeof data);
        sha_final(&one, d);
        memcpy(data + (size_t)(r * 32) % sizeof data, d, 32);
        sha_update(&s, d, 32);
        crc = crc32(crc, data, sizeof data);
        if (r % 4 == 0)
            adler = adler32(adler, data, sizeof data);
    }
    sha_final(&s, d);
    printf("%d rounds over 64 KiB: digest of digests %s\n", rounds, hex(d, 32, buf));
    printf("crc32 %08x adler32 %08x\n", crc, adler);
    return failed;
}
