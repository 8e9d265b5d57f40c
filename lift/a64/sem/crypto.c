/* Cryptographic extension: AES (AESE, AESD, AESMC, AESIMC), SHA-1 (SHA1C, SHA1P, SHA1M,
 * SHA1H, SHA1SU0, SHA1SU1), SHA-256 (SHA256H, SHA256H2, SHA256SU0, SHA256SU1), SHA-512
 * (SHA512H, SHA512H2, SHA512SU0, SHA512SU1), SHA-3 (EOR3, BCAX, RAX1, XAR) and the polynomial
 * multiply long PMULL, PMULL2 (8 x 8 -> 16 and 64 x 64 -> 128 bits). Portable C: the AES S-boxes
 * are tables (computed from the GF(2^8) inverse and the affine map of FIPS-197), carry-less
 * multiplication shift-and-xor steps. */
#include "simd.h"

/* ---- AES ----
 * The state is the 16 bytes of a register, byte i in row i % 4 of column i / 4 (FIPS-197). */

static const uint8_t aes_sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

static const uint8_t aes_inv_sbox[256] = {
    0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
    0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
    0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
    0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
    0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
    0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
    0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
    0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
    0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
    0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
    0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
    0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
    0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
    0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
    0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
    0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

/* AESE: SubBytes(ShiftRows(Vd ^ Vn)); AESD: InvSubBytes(InvShiftRows(Vd ^ Vn)). ShiftRows
 * rotates row r left by r columns, InvShiftRows right. */
SEM(aes_round)
{
    bool dec = bit(in->word, 12);
    v16u8 x = (v16u8)(vget(c, rd(in)) ^ vget(c, rn(in))), r = x;
    UNROLL
    for (unsigned i = 0; i < 16; i++) {
        unsigned row = i % 4, col = i / 4;
        unsigned from = row + 4 * ((dec ? col + 4 - row : col + row) % 4);
        r[i] = dec ? aes_inv_sbox[x[from]] : aes_sbox[x[from]];
    }
    vset(c, rd(in), (v2u64)r, 16);
}

/* Multiplication by 2 in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, on every byte. */
static v16u8 xtime(v16u8 x)
{
    return (x << 1) ^ ((x >> 7) * 0x1b);
}

/* Each column's bytes rotated by k rows: byte i takes byte (i + k) % 4 of its column. */
static v16u8 rot_rows(v16u8 x, unsigned k)
{
    v16u8 r = x;
    UNROLL
    for (unsigned i = 0; i < 16; i++)
        r[i] = x[(i & ~3u) | ((i + k) & 3)];
    return r;
}

/* AESMC: MixColumns, each byte 2a ^ 3b ^ c ^ d where b, c, d follow a in its column.
 * AESIMC: InvMixColumns, computed as MixColumns after multiplying each column by 4x^2 + 5
 * (that is, adding 4(a ^ c) to every byte a whose row-plus-two neighbour is c). */
SEM(aes_mix)
{
    v16u8 x = (v16u8)vget(c, rn(in));
    if (bit(in->word, 12))
        x ^= xtime(xtime(x ^ rot_rows(x, 2)));
    v16u8 b = rot_rows(x, 1);
    v16u8 r = xtime(x ^ b) ^ b ^ rot_rows(x, 2) ^ rot_rows(x, 3);
    vset(c, rd(in), (v2u64)r, 16);
}

/* ---- SHA-1 and SHA-256 (the Arm ARM's SHA pseudocode) ---- */

static uint32_t rol32(uint32_t x, unsigned n)
{
    return x << n | x >> (32 - n);
}
static uint32_t ror32(uint32_t x, unsigned n)
{
    return x >> n | x << (32 - n);
}
static uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z)
{
    return ((y ^ z) & x) ^ z;
}
static uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) | ((x | y) & z);
}

/* SHA1C, SHA1P, SHA1M: four rounds on the state X = Qd (a, b, c, d) and Y = Sn (e) with the
 * schedule words of Vm; opcode bits 13:12 select choose, parity or majority. */
SEM(sha1_hash)
{
    unsigned kind = bits(in->word, 13, 12);
    v4u32 x = (v4u32)vget(c, rd(in)), w = (v4u32)vget(c, rm(in));
    uint32_t y = c->vr[rn(in)].s[0];
    UNROLL
    for (unsigned e = 0; e < 4; e++) {
        uint32_t t = kind == 0   ? sha_choose(x[1], x[2], x[3])
                     : kind == 1 ? x[1] ^ x[2] ^ x[3]
                                 : sha_majority(x[1], x[2], x[3]);
        y += rol32(x[0], 5) + t + w[e];
        x[1] = rol32(x[1], 30);
        /* <Y, X> = ROL(Y:X, 32) */
        uint32_t top = x[3];
        x = (v4u32){y, x[0], x[1], x[2]};
        y = top;
    }
    vset(c, rd(in), (v2u64)x, 16);
}

/* SHA1H: the fixed rotate of e. */
SEM(sha1h)
{
    vset(c, rd(in), (v2u64){rol32(c->vr[rn(in)].s[0], 30), 0}, 16);
}

/* SHA1SU0: (Vn<63:0> : Vd<127:64>) ^ Vd ^ Vm. */
SEM(sha1su0)
{
    v2u64 d = vget(c, rd(in)), n = vget(c, rn(in));
    vset(c, rd(in), (v2u64){d[1], n[0]} ^ d ^ vget(c, rm(in)), 16);
}

/* SHA1SU1: T = Vd ^ (Vn >> 32); every word rotated left by 1, the top one also xor
 * T<31:0> rotated left by 2. */
SEM(sha1su1)
{
    v4u32 d = (v4u32)vget(c, rd(in)), n = (v4u32)vget(c, rn(in));
    v4u32 t = d ^ (v4u32) { n[1], n[2], n[3], 0 };
    v4u32 r = (t << 1) | (t >> 31);
    r[3] ^= rol32(t[0], 2);
    vset(c, rd(in), (v2u64)r, 16);
}

/* SHA256hash(): four rounds; SHA256H returns X (a..d), SHA256H2 Y (e..h), with the roles of Qd
 * and Qn swapped. */
SEM(sha256_hash)
{
    bool part2 = bit(in->word, 12);
    v4u32 x = (v4u32)vget(c, part2 ? rn(in) : rd(in)), y = (v4u32)vget(c, part2 ? rd(in) : rn(in));
    v4u32 w = (v4u32)vget(c, rm(in));
    UNROLL
    for (unsigned e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y[0], y[1], y[2]), maj = sha_majority(x[0], x[1], x[2]);
        uint32_t t = y[3] + (ror32(y[0], 6) ^ ror32(y[0], 11) ^ ror32(y[0], 25)) + chs + w[e];
        x[3] += t;
        y[3] = t + (ror32(x[0], 2) ^ ror32(x[0], 13) ^ ror32(x[0], 22)) + maj;
        /* <Y, X> = ROL(Y:X, 32) */
        uint32_t xtop = x[3], ytop = y[3];
        x = (v4u32){ytop, x[0], x[1], x[2]};
        y = (v4u32){xtop, y[0], y[1], y[2]};
    }
    vset(c, rd(in), (v2u64)(part2 ? y : x), 16);
}

/* SHA256SU0: T = Vn<31:0> : Vd<127:32>; each word sigma0(T) + Vd. */
SEM(sha256su0)
{
    v4u32 d = (v4u32)vget(c, rd(in)), n = (v4u32)vget(c, rn(in));
    v4u32 t = {d[1], d[2], d[3], n[0]};
    v4u32 s = ((t >> 7) | (t << 25)) ^ ((t >> 18) | (t << 14)) ^ (t >> 3);
    vset(c, rd(in), (v2u64)(s + d), 16);
}

static uint32_t sha256_sigma1(uint32_t x)
{
    return ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10);
}

/* SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; the low two words use Vm<127:64>, the high two the low
 * two results. */
SEM(sha256su1)
{
    v4u32 d = (v4u32)vget(c, rd(in)), n = (v4u32)vget(c, rn(in)), m = (v4u32)vget(c, rm(in));
    v4u32 t0 = {n[1], n[2], n[3], m[0]}, r;
    r[0] = sha256_sigma1(m[2]) + d[0] + t0[0];
    r[1] = sha256_sigma1(m[3]) + d[1] + t0[1];
    r[2] = sha256_sigma1(r[0]) + d[2] + t0[2];
    r[3] = sha256_sigma1(r[1]) + d[3] + t0[3];
    vset(c, rd(in), (v2u64)r, 16);
}

/* ---- SHA-512 and SHA-3 (FEAT_SHA512, FEAT_SHA3; armv8.2) ---- */

static uint64_t ror64(uint64_t x, unsigned n)
{
    return x >> n | x << (64 - n);
}

/* SHA512H: the Sigma1/Ch half of two rounds; X = Vn, Y = Vm, W = Vd. */
SEM(sha512h)
{
    v2u64 x = vget(c, rn(in)), y = vget(c, rm(in)), w = vget(c, rd(in)), r;
    uint64_t sig = ror64(y[1], 14) ^ ror64(y[1], 18) ^ ror64(y[1], 41);
    r[1] = ((y[1] & x[0]) ^ (~y[1] & x[1])) + sig + w[1];
    uint64_t t = r[1] + y[0];
    sig = ror64(t, 14) ^ ror64(t, 18) ^ ror64(t, 41);
    r[0] = ((t & y[1]) ^ (~t & x[0])) + sig + w[0];
    vset(c, rd(in), r, 16);
}

/* SHA512H2: the Sigma0/Maj half. */
SEM(sha512h2)
{
    v2u64 x = vget(c, rn(in)), y = vget(c, rm(in)), w = vget(c, rd(in)), r;
    uint64_t sig = ror64(y[0], 28) ^ ror64(y[0], 34) ^ ror64(y[0], 39);
    r[1] = ((x[0] & y[1]) ^ (x[0] & y[0]) ^ (y[1] & y[0])) + sig + w[1];
    sig = ror64(r[1], 28) ^ ror64(r[1], 34) ^ ror64(r[1], 39);
    r[0] = ((r[1] & y[0]) ^ (r[1] & y[1]) ^ (y[1] & y[0])) + sig + w[0];
    vset(c, rd(in), r, 16);
}

static uint64_t sha512_sigma0(uint64_t x)
{
    return ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7);
}
static uint64_t sha512_sigma1(uint64_t x)
{
    return ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6);
}

/* SHA512SU0: Vd + sigma0 of (Vd<127:64>, Vn<63:0>). */
SEM(sha512su0)
{
    v2u64 w = vget(c, rd(in)), x = vget(c, rn(in));
    vset(c, rd(in), w + (v2u64){sha512_sigma0(w[1]), sha512_sigma0(x[0])}, 16);
}

/* SHA512SU1: Vd + sigma1(Vn) + Vm. */
SEM(sha512su1)
{
    v2u64 x = vget(c, rn(in));
    v2u64 r = vget(c, rd(in)) + (v2u64){sha512_sigma1(x[0]), sha512_sigma1(x[1])} + vget(c, rm(in));
    vset(c, rd(in), r, 16);
}

/* EOR3 (Vn ^ Vm ^ Va) and BCAX (Vn ^ (Vm & ~Va)); Va is bits 14:10. */
SEM(sha3_3op)
{
    v2u64 n = vget(c, rn(in)), m = vget(c, rm(in)), a = vget(c, ra(in));
    vset(c, rd(in), bit(in->word, 21) ? n ^ (m & ~a) : n ^ m ^ a, 16);
}

/* RAX1: Vn ^ (Vm rotated left by 1); XAR: (Vn ^ Vm) rotated right by imm6, per doubleword. */
SEM(rax1)
{
    v2u64 m = vget(c, rm(in));
    vset(c, rd(in), vget(c, rn(in)) ^ ((m << 1) | (m >> 63)), 16);
}
SEM(xar)
{
    unsigned sh = bits(in->word, 15, 10);
    v2u64 x = vget(c, rn(in)) ^ vget(c, rm(in));
    vset(c, rd(in), sh ? (x >> sh) | (x << (64 - sh)) : x, 16);
}

/* ---- polynomial multiply long ---- */

/* PMULL, PMULL2: size 00 multiplies the eight bytes of one half into 16-bit products; size 11
 * the doublewords of one half into a 128-bit product. */
SEM(pmull)
{
    bool upper = q_bit(in);
    v2u64 a = vget(c, rn(in)), b = vget(c, rm(in)), r;
    if (vsize(in) == 3) {
        unsigned __int128 x = a[upper], p = 0;
        uint64_t y = b[upper];
        UNROLL
        for (unsigned i = 0; i < 64; i++) {
            p ^= (x << i) & -(unsigned __int128)((y >> i) & 1);
        }
        r = (v2u64){(uint64_t)p, (uint64_t)(p >> 64)};
    } else {
        r = (v2u64)clmul8(__builtin_convertvector(HALF(v8u8, a, upper), v8u16),
                          __builtin_convertvector(HALF(v8u8, b, upper), v8u16));
    }
    vset(c, rd(in), r, 16);
}
