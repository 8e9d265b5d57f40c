/* Integer AdvSIMD data processing (C4.1.95 "Data Processing -- Scalar Floating-Point and Advanced
 * SIMD", the integer groups): three same, three different, two-register miscellaneous, across
 * lanes, pairwise, shift by immediate, by element, modified immediate and dot product, vector
 * and scalar forms. Scalar (asisd) rows share the vector functions: their result is one
 * element and the rest of the register is zeroed (result_bytes). */
#include "simd.h"

/* ---- element operations ---- */

/* One element shifted by the signed low byte of the shift operand (SSHL, USHL, SRSHL, URSHL,
 * SQSHL, UQSHL, SQRSHL, UQRSHL: C6.2 "shift left (register)"): positive counts shift left,
 * negative ones right, optionally rounding, optionally saturating to the element range. */
static uint64_t shift_reg_elem(uint64_t a, int sh, unsigned ebits, bool u, bool rnd, bool sat,
                               bool *qc)
{
    __int128 v = u ? (__int128)(a & (~0ull >> (64 - ebits))) : (__int128)(int64_t)sext(a, ebits);
    __int128 r;
    if (sh >= 0)
        r = sh >= (int)ebits ? (v == 0  ? 0
                                : v < 0 ? -((__int128)1 << 100)
                                        : (__int128)1 << 100)
                             : v * ((__int128)1 << sh);
    else {
        int n = -sh > 127 ? 127 : -sh;
        r = (v + (rnd ? (__int128)1 << (n - 1) : 0)) >> n;
    }
    if (sat) {
        __int128 hi = u ? ((__int128)1 << ebits) - 1 : ((__int128)1 << (ebits - 1)) - 1;
        __int128 lo = u ? 0 : -((__int128)1 << (ebits - 1));
        if (r > hi || r < lo) {
            *qc = true;
            r = r > hi ? hi : lo;
        }
    } else if (sh >= (int)ebits) {
        r = 0;
    }
    return (uint64_t)r;
}

/* SSHL, USHL in vector operations (compilers use them for variable shifts): per-lane counts
 * are masked into range, and lanes whose count is out of range select 0 (or the sign). */
static v2u64 shift_reg_plain(unsigned size, v2u64 a, v2u64 b, bool u)
{
    v2u64 r = a;
    FOR_ESIZE(size, {
        VU x = (VU)a;
        VS sx = (VS)a, sh = (VS)((VU)b << (EBITS - 8)) >> (EBITS - 8); /* signed low byte */
        VU left = (VU)(sh >= 0) & (VU)(sh < EBITS), right = (VU)(sh < 0) & (VU)(sh > -EBITS);
        VU lc = (VU)sh & (EBITS - 1), rc = -(VU)sh & (EBITS - 1);
        VU z = (x << lc) & left;
        if (u)
            z |= (x >> rc) & right;
        else /* right shifts of EBITS or more leave the sign */
            z |= VSEL((VU)(sh < 0), (VU)(sx >> VSEL(right, rc, (VU){0} + (EU)(EBITS - 1))), x ^ x);
        r = (v2u64)z;
    });
    return r;
}

static v2u64 shift_reg(unsigned size, v2u64 a, v2u64 b, bool u, bool rnd, bool sat, v2u64 *qc)
{
    v2u64 r = a;
    *qc = (v2u64){0, 0};
    if (!rnd && !sat)
        return shift_reg_plain(size, a, b, u);
    FOR_ESIZE(size, {
        VU x = (VU)a, y = (VU)b, z = x, s = x ^ x;
        for (int i = 0; i < NLANES; i++) {
            bool q = false;
            z[i] = (EU)shift_reg_elem(x[i], (int8_t)y[i], EBITS, u, rnd, sat, &q);
            s[i] = q ? (EU) ~(EU)0 : 0;
        }
        r = (v2u64)z;
        *qc = (v2u64)s;
    });
    return r;
}

/* SQDMULH, SQRDMULH (sizes 1 and 2): the high half of the doubled product, rounded for
 * SQRDMULH; SQRDMLAH, SQRDMLSH (acc = +1, -1) first add or subtract it to Vd shifted up by the
 * element size. Everything is halved, (d << esize +- 2ab + round) >> esize computed as
 * (d << (esize - 1) +- ab + round / 2) >> (esize - 1), so that it fits the double-size element;
 * the result saturates (without accumulation only MIN * MIN does). */
static v2u64 sqdmulh(unsigned size, v2u64 a, v2u64 b, v2u64 d, int acc, bool rnd, v2u64 *qc)
{
    v2u64 r = a;
    FOR_NSIZE(size, {
        uint64_t out[2], sats[2];
        WES smax = (WES)((EU) ~(EU)0 >> 1);
        for (unsigned part = 0; part < 2; part++) {
            WS p = __builtin_convertvector(HALF(HS, a, part), WS) *
                   __builtin_convertvector(HALF(HS, b, part), WS);
            WS base = __builtin_convertvector(HALF(HS, d, part), WS) * ((WES)1 << (EBITS - 1));
            p = acc > 0 ? base + p : acc < 0 ? base - p : p;
            p = (p + (WES)(rnd ? 1ll << (EBITS - 2) : 0)) >> (EBITS - 1);
            WS hi = (WS)(p > smax), lo = (WS)(p < (WES)(-smax - 1));
            p = VSEL(hi, (WS){0} + smax, VSEL(lo, (WS){0} + (WES)(-smax - 1), p));
            HS h = __builtin_convertvector(p, HS), hs = __builtin_convertvector(hi | lo, HS);
            out[part] = HALF_BITS(h);
            sats[part] = HALF_BITS(hs);
        }
        r = (v2u64){out[0], out[1]};
        *qc = (v2u64){sats[0], sats[1]};
    });
    return r;
}

/* The three-same operations (opcode = bits 15:11, U) at one element size: op(a, b), with d the
 * destination's old value for the accumulating forms; *qc gets the lanes that saturated. */
static v2u64 same_op(unsigned opc, bool u, unsigned size, v2u64 a, v2u64 b, v2u64 d, v2u64 *qc)
{
    v2u64 r = a;
    *qc = (v2u64){0, 0};
    if (opc >= 0x08 && opc <= 0x0b)
        return shift_reg(size, a, b, u, opc & 2, opc & 1, qc);
    if (opc == 0x16)
        return sqdmulh(size, a, b, d, 0, u, qc);
    FOR_ESIZE(size, {
        VU x = (VU)a, y = (VU)b, acc = (VU)d, z = x, s = x ^ x;
        VS sx = (VS)a, sy = (VS)b;
        VU gt = u ? (VU)(x > y) : (VU)(sx > sy);
        VU sat_val = u ? VUMAX : (VU)((sx >> (EBITS - 1)) ^ VSMAX); /* toward a's sign */
        switch (opc) {
        case 0x00: /* SHADD, UHADD */
            z = u ? (x >> 1) + (y >> 1) + (x & y & 1) : (VU)((sx >> 1) + (sy >> 1) + (sx & sy & 1));
            break;
        case 0x01: /* SQADD, UQADD */
            z = x + y;
            s = u ? (VU)(z < x) : (VU)((VS)((x ^ z) & (y ^ z)) < 0);
            z = VSEL(s, sat_val, z);
            break;
        case 0x02: /* SRHADD, URHADD */
            z = u ? (x >> 1) + (y >> 1) + ((x | y) & 1)
                  : (VU)((sx >> 1) + (sy >> 1) + ((sx | sy) & 1));
            break;
        case 0x04: /* SHSUB, UHSUB */
            z = u ? (x >> 1) - (y >> 1) - (~x & y & 1)
                  : (VU)((sx >> 1) - (sy >> 1) - (~sx & sy & 1));
            break;
        case 0x05: /* SQSUB, UQSUB */
            z = x - y;
            s = u ? (VU)(x < y) : (VU)((VS)((x ^ y) & (x ^ z)) < 0);
            z = VSEL(s, u ? x ^ x : sat_val, z);
            break;
        case 0x06: z = gt; break;                                    /* CMGT, CMHI */
        case 0x07: z = u ? (VU)(x >= y) : (VU)(sx >= sy); break;     /* CMGE, CMHS */
        case 0x0c: z = VSEL(gt, x, y); break;                        /* SMAX, UMAX */
        case 0x0d: z = VSEL(gt, y, x); break;                        /* SMIN, UMIN */
        case 0x0e: z = VSEL(gt, x - y, y - x); break;                /* SABD, UABD */
        case 0x0f: z = acc + VSEL(gt, x - y, y - x); break;          /* SABA, UABA */
        case 0x10: z = u ? x - y : x + y; break;                     /* ADD, SUB */
        case 0x11: z = u ? (VU)(x == y) : (VU)((x & y) != 0); break; /* CMTST, CMEQ */
        case 0x12: z = u ? acc - x * y : acc + x * y; break;         /* MLA, MLS */
        case 0x13:                                                   /* MUL, PMUL */
            if (u) { /* PMUL (bytes only): low bytes of the 16-bit carry-less products */
                v8u16 m = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
                v8u16 ev = clmul8((v8u16)a & m, (v8u16)b & m);
                v8u16 od = clmul8((v8u16)a >> 8, (v8u16)b >> 8);
                z = (VU)((ev & m) | (od << 8));
            } else {
                z = x * y;
            }
            break;
        }
        r = (v2u64)z;
        *qc = (v2u64)s;
    });
    return r;
}

/* Even-numbered and odd-numbered elements of the pair sequence Vn:Vm (Q=1) or Vn<63:0>:Vm<63:0>
 * (Q=0), for the pairwise operations: element i of the result combines ev[i] and od[i]. */
static void pairs(unsigned size, v2u64 n, v2u64 m, bool q, v2u64 *ev, v2u64 *od)
{
    v2u64 lo = q ? n : (v2u64){n[0], m[0]}, hi = q ? m : (v2u64){0, 0};
    FOR_ESIZE(size, {
        VU l = (VU)lo, h = (VU)hi, e = l, o = l;
        UNROLL
        for (int i = 0; i < NLANES / 2; i++) {
            e[i] = l[2 * i];
            o[i] = l[2 * i + 1];
            e[i + NLANES / 2] = h[2 * i];
            o[i + NLANES / 2] = h[2 * i + 1];
        }
        *ev = (v2u64)e;
        *od = (v2u64)o;
    });
}

/* ---- three same (asimdsame, asisdsame) ---- */

/* AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF: U:size selects the operation. */
SEM(simd_logic)
{
    v2u64 n = vget(c, rn(in)), m = vget(c, rm(in)), d = vget(c, rd(in)), r;
    switch (u_bit(in) << 2 | vsize(in)) {
    case 0: r = n & m; break;
    case 1: r = n & ~m; break;
    case 2: r = n | m; break;
    case 3: r = n | ~m; break;
    case 4: r = n ^ m; break;
    case 5: r = VSEL(d, n, m); break;  /* BSL: Vd selects */
    case 6: r = VSEL(m, n, d); break;  /* BIT: Vn where Vm is set */
    default: r = VSEL(m, d, n); break; /* BIF: Vn where Vm is clear */
    }
    vset(c, rd(in), r, q_bit(in) ? 16 : 8);
}

/* Every other integer three-same operation, vector and scalar; the pairwise ones (MAXP, MINP,
 * ADDP) apply the plain operation to the even and odd elements of Vn:Vm. */
SEM(simd_3same)
{
    unsigned opc = bits(in->word, 15, 11), size = vsize(in), bytes = result_bytes(in, size);
    bool u = u_bit(in);
    v2u64 a = vget(c, rn(in)), b = vget(c, rm(in)), qc;
    if (opc == 0x14 || opc == 0x15 || opc == 0x17) {
        pairs(size, a, b, q_bit(in), &a, &b);
        opc = opc == 0x17 ? 0x10 : opc - 0x08; /* ADDP -> ADD, MAXP -> MAX, MINP -> MIN */
    }
    v2u64 r = same_op(opc, u, size, a, b, vget(c, rd(in)), &qc);
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* ADDP (scalar): the two doublewords of Vn. */
SEM(simd_addp_scalar)
{
    v2u64 n = vget(c, rn(in));
    vset(c, rd(in), (v2u64){n[0] + n[1], 0}, 8);
}

/* SQRDMLAH, SQRDMLSH (armv8.1 RDM; asimdsame2, asisdsame2): S (bit 11) subtracts. */
SEM(simd_sqrdmlah)
{
    unsigned size = vsize(in), bytes = result_bytes(in, size);
    v2u64 qc, r = sqdmulh(size, vget(c, rn(in)), vget(c, rm(in)), vget(c, rd(in)),
                          bit(in->word, 11) ? -1 : 1, true, &qc);
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* ---- narrowing and widening ---- */

enum narrow_mode { TRUNC, SAT_SS, SAT_UU, SAT_SU }; /* source -> result signedness */

/* Each double-size element of a narrowed to 8 << size bits: truncated (XTN, SHRN), or saturated
 * from signed to signed (SQXTN), unsigned to unsigned (UQXTN) or signed to unsigned (SQXTUN).
 * Returns the 64 result bits; *qc gets the elements that saturated. */
static uint64_t narrow(unsigned size, v2u64 a, enum narrow_mode mode, uint64_t *qc)
{
    uint64_t r = 0;
    FOR_NSIZE(size, {
        WU w = (WU)a, s = w ^ w;
        WS sw = (WS)a;
        WES smax = (WES)((EU) ~(EU)0 >> 1);
        WEU umax = (EU) ~(EU)0;
        if (mode == SAT_SS) {
            WS hi = (WS)(sw > smax), lo = (WS)(sw < (WES)(-smax - 1));
            s = (WU)(hi | lo);
            w = VSEL((WU)hi, (WU){0} + (WEU)smax, VSEL((WU)lo, (WU){0} + (WEU)(-smax - 1), w));
        } else if (mode == SAT_UU) {
            s = (WU)(w > umax);
            w = VSEL(s, (WU){0} + umax, w);
        } else if (mode == SAT_SU) {
            WU hi = (WU)(sw > (WES)umax), lo = (WU)(sw < 0);
            s = hi | lo;
            w = VSEL(hi, (WU){0} + umax, w) & ~lo;
        }
        HU h = __builtin_convertvector(w, HU), hs = __builtin_convertvector(s, HU);
        r = HALF_BITS(h);
        *qc = HALF_BITS(hs);
    });
    return r;
}

/* One half of a (the upper one when `upper`) with each element widened to double size, sign- or
 * zero-extended. */
static v2u64 widen(unsigned size, v2u64 a, bool upper, bool u)
{
    v2u64 r = a;
    FOR_NSIZE(size, {
        r = u ? (v2u64) __builtin_convertvector(HALF(HU, a, upper), WU)
              : (v2u64) __builtin_convertvector(HALF(HS, a, upper), WS);
    });
    return r;
}

/* acc plus the sum of each pair of adjacent elements, as double-size elements (SADDLP, UADDLP
 * with acc = 0; SADALP, UADALP). */
static v2u64 add_pairs_long(unsigned size, v2u64 a, bool u, v2u64 acc)
{
    v2u64 r = a;
    FOR_NSIZE(size, {
        WU w = (WU)a;
        WU lo = u ? w & (WEU)(EU) ~(EU)0 : (WU)((WS)(w << EBITS) >> EBITS);
        WU hi = u ? w >> EBITS : (WU)((WS)w >> EBITS);
        r = (v2u64)((WU)acc + lo + hi);
    });
    return r;
}

/* ---- two-register miscellaneous (asimdmisc, asisdmisc) ---- */

/* The bytes of a permuted by index i -> i ^ k: reverses elements within containers (REV*). */
static v2u64 xor_bytes(v2u64 a, unsigned k)
{
    v16u8 x = (v16u8)a, r = x;
    UNROLL
    for (unsigned i = 0; i < 16; i++)
        r[i] = x[i ^ k];
    return (v2u64)r;
}

/* SUQADD (signed accumulator plus unsigned operand), USQADD (unsigned plus signed). */
static v2u64 mixed_qadd(unsigned size, v2u64 acc, v2u64 a, bool u, v2u64 *qc)
{
    v2u64 r = a;
    FOR_ESIZE(size, {
        VU x = (VU)a, d = (VU)acc, z = x, s = x ^ x;
        __int128 top = u ? ((__int128)1 << EBITS) - 1 : ((__int128)1 << (EBITS - 1)) - 1;
        __int128 bot = u ? 0 : -((__int128)1 << (EBITS - 1));
        for (int i = 0; i < NLANES; i++) {
            __int128 v = u ? (__int128)d[i] + (ES)x[i] : (__int128)(ES)d[i] + x[i];
            s[i] = v > top || v < bot ? (EU) ~(EU)0 : 0;
            z[i] = (EU)(v > top ? top : v < bot ? bot : v);
        }
        r = (v2u64)z;
        *qc = (v2u64)s;
    });
    return r;
}

/* Everything of the class except the narrowing operations; opcode = bits 16:12. */
SEM(simd_misc)
{
    unsigned opc = bits(in->word, 16, 12), size = vsize(in), bytes = result_bytes(in, size);
    bool u = u_bit(in);
    v2u64 a = vget(c, rn(in)), d = vget(c, rd(in)), r = a, qc = {0, 0};
    switch (opc) {
    case 0x00: r = xor_bytes(a, (u ? 4 : 8) - (1u << size)); break; /* REV64, REV32 */
    case 0x01: r = xor_bytes(a, 1); break;                          /* REV16 */
    case 0x02: r = add_pairs_long(size, a, u, a ^ a); break;        /* SADDLP, UADDLP */
    case 0x06: r = add_pairs_long(size, a, u, d); break;            /* SADALP, UADALP */
    case 0x03: r = mixed_qadd(size, d, a, u, &qc); break;           /* SUQADD, USQADD */
    case 0x05:
        if (!u) { /* CNT: SWAR population count per byte */
            v16u8 x = (v16u8)a;
            x = x - ((x >> 1) & 0x55);
            x = (x & 0x33) + ((x >> 2) & 0x33);
            r = (v2u64)((x + (x >> 4)) & 0x0f);
        } else if (size == 0) { /* NOT */
            r = ~a;
        } else { /* RBIT: bits reversed within each byte */
            v16u8 x = (v16u8)a;
            x = ((x >> 1) & 0x55) | ((x & 0x55) << 1);
            x = ((x >> 2) & 0x33) | ((x & 0x33) << 2);
            r = (v2u64)((x >> 4) | (x << 4));
        }
        break;
    default:
        FOR_ESIZE(size, {
            VU x = (VU)a, z = x, s = x ^ x;
            VS sx = (VS)a;
            switch (opc) {
            case 0x04: /* CLS, CLZ */
                UNROLL
                for (int i = 0; i < NLANES; i++) {
                    uint64_t v = u ? x[i] : (EU)(x[i] ^ (EU)(sx[i] >> 1));
                    unsigned n = v ? (unsigned)__builtin_clzll(v) - (64 - EBITS) : EBITS;
                    z[i] = (EU)(u ? n : n - 1);
                }
                break;
            case 0x07: /* SQABS, SQNEG: only the most negative value saturates */
                s = (VU)(sx == VSMIN);
                z = VSEL(s, (VU)VSMAX, u ? -x : VSEL((VU)(sx < 0), -x, x));
                break;
            case 0x08: z = u ? (VU)(sx >= 0) : (VU)(sx > 0); break;   /* CMGE, CMGT #0 */
            case 0x09: z = u ? (VU)(sx <= 0) : (VU)(sx == 0); break;  /* CMLE, CMEQ #0 */
            case 0x0a: z = (VU)(sx < 0); break;                       /* CMLT #0 */
            case 0x0b: z = u ? -x : VSEL((VU)(sx < 0), -x, x); break; /* NEG, ABS */
            }
            r = (v2u64)z;
            qc = (v2u64)s;
        });
        break;
    }
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* UnsignedRecipEstimate(), UnsignedRSqrtEstimate() (the Arm ARM's float/recipestimate, without
 * FEAT_RPRES): 9-bit estimates from the top 9 bits of a 32-bit fixed-point fraction. */
static uint32_t urecpe(uint32_t x)
{
    if (!(x >> 31))
        return ~0u;
    uint32_t a = (x >> 23) * 2 + 1, b = (1u << 19) / a;
    return ((b + 1) / 2) << 23;
}
static uint32_t ursqrte(uint32_t x)
{
    if (!(x >> 30))
        return ~0u;
    uint64_t a = x >> 23, b = 512;
    a = a < 256 ? a * 2 + 1 : ((a >> 1) + 1) * 4 - 2; /* ((a >> 1) << 1 + 1) * 2 */
    /* the largest b with a * b * b < 2^28 (b stays in 512..1023) */
    UNROLL
    for (uint64_t step = 256; step; step >>= 1) {
        if (a * (b + step) * (b + step) < 1ull << 28)
            b += step;
    }
    return (uint32_t)((b + 1) / 2) << 23;
}

/* URECPE, URSQRTE (32-bit elements only). */
SEM(simd_urecpe)
{
    v4u32 x = (v4u32)vget(c, rn(in)), r = x;
    bool sqrt = u_bit(in);
    UNROLL
    for (int i = 0; i < 4; i++) {
        r[i] = sqrt ? ursqrte(x[i]) : urecpe(x[i]);
    }
    vset(c, rd(in), (v2u64)r, q_bit(in) ? 16 : 8);
}

/* XTN, SQXTN, UQXTN, SQXTUN: U:opcode<2> selects the saturation. The vector forms write the lower
 * half (Q=0) or the upper half (Q=1, "2"); the scalar forms one element. */
SEM(simd_narrow)
{
    static const enum narrow_mode modes[4] = {TRUNC, SAT_SU, SAT_SS, SAT_UU};
    unsigned size = vsize(in);
    uint64_t qc, r = narrow(size, vget(c, rn(in)), modes[u_bit(in) | bit(in->word, 14) << 1], &qc);
    if (scalar_form(in)) {
        vset(c, rd(in), (v2u64){r, 0}, 1u << size);
        qc &= keep_mask(1u << size)[0];
    } else {
        vset_half(c, rd(in), r, q_bit(in));
    }
    or_qc(c, qc);
}

/* SHLL, SHLL2: widen one half and shift left by the element size. */
SEM(simd_shll)
{
    unsigned size = vsize(in);
    v2u64 w = widen(size, vget(c, rn(in)), q_bit(in), true);
    FOR_NSIZE(size, { w = (v2u64)((WU)w << EBITS); });
    vset(c, rd(in), w, 16);
}

/* ---- across lanes (asimdall) and scalar pairwise ---- */

/* One step of a reduction tree: each element combined with the one `sh` bits above it (the
 * other doubleword for sh == 64). After the steps for 64, 32, ... down to the element size,
 * element 0 holds the result. */
static v2u64 reduce_step(unsigned opc, bool u, unsigned size, v2u64 x, unsigned sh)
{
    v2u64 qc;
    if (sh < (8u << size))
        return x;
    return same_op(opc, u, size, x, sh == 64 ? (v2u64){x[1], x[0]} : x >> sh, x, &qc);
}

/* ADDV, SADDLV, UADDLV, SMAXV, UMAXV, SMINV, UMINV. A D-form source has its upper half
 * replaced by a neutral value: zero for sums, the lower half itself for maximum and minimum. */
SEM(simd_across)
{
    unsigned opc = bits(in->word, 16, 12), size = vsize(in), op;
    bool u = u_bit(in);
    v2u64 x = vget(c, rn(in));
    bool sum = opc == 0x03 || opc == 0x1b;
    if (!q_bit(in))
        x[1] = sum ? 0 : x[0];
    if (opc == 0x03) { /* long sums: add adjacent pairs at double size first */
        x = add_pairs_long(size, x, u, x ^ x);
        size++;
    }
    op = sum ? 0x10 : opc == 0x0a ? 0x0c : 0x0d; /* ADD, MAX, MIN */
    bool uu = sum ? false : u;
    x = reduce_step(op, uu, size, x, 64);
    x = reduce_step(op, uu, size, x, 32);
    x = reduce_step(op, uu, size, x, 16);
    x = reduce_step(op, uu, size, x, 8);
    vset(c, rd(in), x, 1u << size);
}

/* ---- shift by immediate (asimdshf, asisdshf) ----
 * immh:immb encodes the element size (the highest set bit of immh) and the shift: 2 * esize -
 * immh:immb for right shifts (1..esize), immh:immb - esize for left shifts (0..esize-1). */

static unsigned shift_esize_log(uint32_t w)
{
    return 31u - (unsigned)__builtin_clz(bits(w, 22, 19));
}

/* SSHR, USHR, SSRA, USRA, SRSHR, URSHR, SRSRA, URSRA, SRI, SHL, SLI, SQSHL, UQSHL, SQSHLU. */
SEM(simd_shift_imm)
{
    uint32_t w = in->word;
    unsigned opc = bits(w, 15, 11), size = shift_esize_log(w), immhb = bits(w, 22, 16);
    unsigned bytes = result_bytes(in, size);
    bool u = u_bit(in);
    v2u64 a = vget(c, rn(in)), d = vget(c, rd(in)), r = a, qc = {0, 0};
    FOR_ESIZE(size, {
        VU x = (VU)a, acc = (VU)d, z = x, s = x ^ x;
        VS sx = (VS)a;
        unsigned rs = 2 * EBITS - immhb, ls = immhb - EBITS;
        switch (opc) {
        case 0x00:
        case 0x02:
        case 0x04:
        case 0x06: /* [U|S][R]SHR, [U|S][R]SRA */
            /* Shifted in two steps: rs may equal the element size. */
            z = u ? x >> (rs - 1) : (VU)(sx >> (rs - 1));
            z = (u ? z >> 1 : (VU)((VS)z >> 1)) + (z & (EU)(opc & 4 ? 1 : 0)) +
                (acc & (opc & 2 ? VUMAX : x ^ x));
            break;
        case 0x08: { /* SRI */
            VU m = (VUMAX >> (rs - 1)) >> 1;
            z = (acc & ~m) | ((x >> (rs - 1)) >> 1);
            break;
        }
        case 0x0a: /* SHL, SLI */ z = (x << ls) | (u ? acc & ~(VUMAX << ls) : x ^ x); break;
        case 0x0c: /* SQSHLU: signed in, unsigned saturated out */
            z = x << ls;
            s = (VU)((z >> ls) != x) | (VU)(sx < 0);
            z = VSEL((VU)(sx < 0), x ^ x, VSEL(s, VUMAX, z));
            break;
        case 0x0e: /* SQSHL, UQSHL */
            z = x << ls;
            s = u ? (VU)((z >> ls) != x) : (VU)(((VS)z >> ls) != sx);
            z = VSEL(s, u ? VUMAX : (VU)((sx >> (EBITS - 1)) ^ VSMAX), z);
            break;
        }
        r = (v2u64)z;
        qc = (v2u64)s;
    });
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* SHRN, RSHRN, SQSHRN, SQRSHRN, UQSHRN, UQRSHRN, SQSHRUN, SQRSHRUN: shift the double-size
 * elements right (rounding when opcode<0>), then narrow; vector forms write one half. */
SEM(simd_shift_narrow)
{
    static const enum narrow_mode modes[4] = {TRUNC, SAT_SU, SAT_SS, SAT_UU};
    uint32_t w = in->word;
    unsigned size = shift_esize_log(w), immhb = bits(w, 22, 16), mode = u_bit(in) | bit(w, 12) << 1;
    bool rnd = bit(w, 11), sgn = modes[mode] != SAT_UU;
    v2u64 a = vget(c, rn(in));
    FOR_NSIZE(size, {
        unsigned sh = 2 * EBITS - immhb;
        WU x = sgn ? (WU)((WS)a >> (sh - 1)) : (WU)a >> (sh - 1);
        a = (v2u64)((sgn ? (WU)((WS)x >> 1) : x >> 1) + (rnd ? x & 1 : x ^ x));
    });
    uint64_t qc, r = narrow(size, a, modes[mode], &qc);
    if (scalar_form(in)) {
        vset(c, rd(in), (v2u64){r, 0}, 1u << size);
        qc &= keep_mask(1u << size)[0];
    } else {
        vset_half(c, rd(in), r, q_bit(in));
    }
    or_qc(c, qc);
}

/* SSHLL, USHLL (SXTL, UXTL when the shift is 0): widen one half, shift left. */
SEM(simd_shift_long)
{
    uint32_t w = in->word;
    unsigned size = shift_esize_log(w), sh = bits(w, 22, 16) - (8u << size);
    v2u64 r = widen(size, vget(c, rn(in)), q_bit(in), u_bit(in));
    FOR_NSIZE(size, { r = (v2u64)((WU)r << sh); });
    vset(c, rd(in), r, 16);
}

/* ---- three different (asimddiff, asisddiff) ---- */

/* The long operations (opcode = bits 15:12) on one half of a and b (the upper one for the "2"
 * forms), with d the double-size accumulator: [SU]ADDL, [SU]SUBL, [SU]ABAL, [SU]ABDL,
 * [SU]MLAL, [SU]MLSL, [SU]MULL, SQDMLAL, SQDMLSL, SQDMULL; and the wide ones [SU]ADDW, [SU]SUBW,
 * whose first operand is already double-size. */
static v2u64 long_op(unsigned opc, bool u, unsigned size, bool upper, v2u64 a, v2u64 b, v2u64 d,
                     v2u64 *qc)
{
    v2u64 wa = opc == 1 || opc == 3 ? a : widen(size, a, upper, u), wb = widen(size, b, upper, u);
    v2u64 r = wa;
    *qc = (v2u64){0, 0};
    FOR_NSIZE(size, {
        WU x = (WU)wa, y = (WU)wb, acc = (WU)d, z = x;
        WU gt = u ? (WU)(x > y) : (WU)((WS)x > (WS)y);
        switch (opc) {
        case 0x0:
        case 0x1: z = x + y; break;
        case 0x2:
        case 0x3: z = x - y; break;
        case 0x5: z = acc + VSEL(gt, x - y, y - x); break;
        case 0x7: z = VSEL(gt, x - y, y - x); break;
        case 0x8: z = acc + x * y; break;
        case 0xa: z = acc - x * y; break;
        case 0xc: z = x * y; break;
        default: { /* 0x9, 0xb, 0xd: saturating doubled products; only MIN * MIN overflows */
            WU p = x * y, s = (WU)(p == (WEU)1 << (2 * EBITS - 2));
            z = VSEL(s, (WU){0} + (WEU)((WEU) ~(WEU)0 >> 1), p << 1);
            if (opc != 0xd) {
                v2u64 q2;
                z = (WU)same_op(opc == 0x9 ? 0x01 : 0x05, false, size + 1, d, (v2u64)z, d, &q2);
                s |= (WU)q2;
            }
            *qc = (v2u64)s;
            break;
        }
        }
        r = (v2u64)z;
    });
    return r;
}

/* The long and wide operations; the "2" forms (Q=1) take the upper halves. Scalar forms
 * (SQDMLAL, SQDMLSL, SQDMULL) take element 0 and write one double-size element. */
SEM(simd_3diff)
{
    unsigned opc = bits(in->word, 15, 12), size = vsize(in);
    unsigned bytes = scalar_form(in) ? 2u << size : 16;
    v2u64 qc, r = long_op(opc, u_bit(in), size, q_bit(in) && !scalar_form(in), vget(c, rn(in)),
                          vget(c, rm(in)), vget(c, rd(in)), &qc);
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* ADDHN, RADDHN, SUBHN, RSUBHN: the upper half of each double-size sum or difference, rounded
 * for the R forms; written to one half of Vd. */
SEM(simd_addhn)
{
    unsigned size = vsize(in);
    bool rnd = u_bit(in), sub = bit(in->word, 13);
    v2u64 a = vget(c, rn(in)), b = vget(c, rm(in)), r = a;
    uint64_t qc;
    FOR_NSIZE(size, {
        WU x = (WU)a, y = (WU)b;
        WU z = (sub ? x - y : x + y) + (WEU)(rnd ? 1ull << (EBITS - 1) : 0);
        r = (v2u64)(z >> EBITS);
    });
    vset_half(c, rd(in), narrow(size, r, TRUNC, &qc), q_bit(in));
}

/* ---- by element (asimdelem, asisdelem) ---- */

/* Element `index` of Vm replicated to every lane. For 16-bit elements the index is H:L:M and Vm
 * is bits 19:16; for 32-bit ones H:L and M:Rm. */
static v2u64 elem_splat(const struct cpu *c, uint32_t w, unsigned size)
{
    unsigned hl = bit(w, 11) << 1 | bit(w, 21);
    unsigned index = size == 1 ? hl << 1 | bit(w, 20) : hl,
             m = size == 1 ? bits(w, 19, 16) : bits(w, 20, 16);
    v2u64 v = vget(c, m), r = v;
    FOR_ESIZE(size, { r = (v2u64)((VU){0} + ((VU)v)[index]); });
    return r;
}

/* MUL, MLA, MLS, SQDMULH, SQRDMULH and the long forms by element: the three-same or
 * three-different operation with the replicated element as second operand. */
SEM(simd_elem)
{
    /* opcode (bits 15:12) -> the same operation in the three-same (>= 0x10 | opc5) or
     * three-different (< 0x10) encodings; U is folded in where it selects the operation. */
    unsigned opc = bits(in->word, 15, 12), size = vsize(in), bytes;
    bool u = u_bit(in), scalar = scalar_form(in);
    v2u64 a = vget(c, rn(in)), b = elem_splat(c, in->word, size), d = vget(c, rd(in)), r, qc;
    switch (opc) {
    case 0x0: r = same_op(0x12, false, size, a, b, d, &qc); break; /* MLA */
    case 0x4: r = same_op(0x12, true, size, a, b, d, &qc); break;  /* MLS */
    case 0x8: r = same_op(0x13, false, size, a, b, d, &qc); break; /* MUL */
    case 0xc: r = same_op(0x16, false, size, a, b, d, &qc); break; /* SQDMULH */
    case 0xd:                                                      /* SQRDMULH, SQRDMLAH */
        r = u ? sqdmulh(size, a, b, d, 1, true, &qc) : same_op(0x16, true, size, a, b, d, &qc);
        break;
    case 0xf: r = sqdmulh(size, a, b, d, -1, true, &qc); break; /* SQRDMLSH */
    default: /* 0x2 [SU]MLAL, 0x3 SQDMLAL, 0x6 [SU]MLSL, 0x7 SQDMLSL, 0xa [SU]MULL, 0xb SQDMULL */
        r = long_op(opc == 0x2   ? 0x8
                    : opc == 0x3 ? 0x9
                    : opc == 0x6 ? 0xa
                    : opc == 0x7 ? 0xb
                    : opc == 0xa ? 0xc
                                 : 0xd,
                    u, size, q_bit(in) && !scalar, a, b, d, &qc);
        vset(c, rd(in), r, scalar ? 2u << size : 16);
        set_qc(c, qc, scalar ? 2u << size : 16);
        return;
    }
    bytes = result_bytes(in, size);
    vset(c, rd(in), r, bytes);
    set_qc(c, qc, bytes);
}

/* ---- dot product (armv8.2 DotProd) ---- */

/* Each 32-bit element of Vd plus the sum of the four products of the corresponding bytes. */
static v2u64 dot(v2u64 a, v2u64 b, v2u64 d, bool u)
{
    v4u32 acc = (v4u32)d;
    v16u8 x = (v16u8)a, y = (v16u8)b;
    v16s8 sx = (v16s8)a, sy = (v16s8)b;
    UNROLL
    for (int k = 0; k < 16; k++) {
        acc[k / 4] += u ? (uint32_t)(x[k] * y[k]) : (uint32_t)(sx[k] * sy[k]);
    }
    return (v2u64)acc;
}

/* SDOT, UDOT (vector). */
SEM(simd_dot)
{
    vset(c, rd(in), dot(vget(c, rn(in)), vget(c, rm(in)), vget(c, rd(in)), u_bit(in)),
         q_bit(in) ? 16 : 8);
}

/* SDOT, UDOT (by element): the 32-bit element H:L of Vm (4 bytes) against every group. */
SEM(simd_dot_elem)
{
    v2u64 b = elem_splat(c, in->word, 2);
    vset(c, rd(in), dot(vget(c, rn(in)), b, vget(c, rd(in)), u_bit(in)), q_bit(in) ? 16 : 8);
}

/* ---- modified immediate (asimdimm) ---- */

/* AdvSIMDExpandImm() (C7.1 / J1): the 64-bit pattern of op:cmode:imm8, for every integer cmode
 * (cmode 1111 is FMOV, not here). */
static uint64_t expand_imm(unsigned op, unsigned cmode, uint64_t imm8)
{
    uint64_t rep32 = 0x0000000100000001ull, rep16 = 0x0001000100010001ull;
    switch (cmode >> 1) {
    case 0: return rep32 * imm8;
    case 1: return rep32 * (imm8 << 8);
    case 2: return rep32 * (imm8 << 16);
    case 3: return rep32 * (imm8 << 24);
    case 4: return rep16 * imm8;
    case 5: return rep16 * (imm8 << 8);
    case 6: return rep32 * (cmode & 1 ? imm8 << 16 | 0xffff : imm8 << 8 | 0xff);
    default:
        if (!op)
            return 0x0101010101010101ull * imm8;
        uint64_t r = 0; /* each bit of imm8 becomes a byte of ones or zeros */
        UNROLL
        for (unsigned i = 0; i < 8; i++)
            r |= (imm8 >> i & 1) * (0xffull << 8 * i);
        return r;
    }
}

/* MOVI, MVNI, ORR (vector, immediate), BIC (vector, immediate). */
SEM(simd_movi)
{
    uint32_t w = in->word;
    unsigned op = bit(w, 29), cmode = bits(w, 15, 12);
    uint64_t imm = expand_imm(op, cmode, bits(w, 18, 16) << 5 | bits(w, 9, 5));
    v2u64 v = {imm, imm}, d = vget(c, rd(in));
    bool logical = (cmode & 1) && cmode < 12; /* ORR, BIC */
    if (logical)
        v = op ? d & ~v : d | v;
    else if (op && cmode != 14)
        v = ~v; /* MVNI */
    vset(c, rd(in), v, q_bit(in) ? 16 : 8);
}
