/* The slow path of floating point (design in fp_ops.h): the Arm ARM pseudocode (J1, shared/
 * functions/float) for everything the inline fast paths leave out -- FPCR rounding modes, FZ, DN
 * and AHP, NaN operands, special operands and the exception flags. Reached only through the
 * pointer in fp_slow(), so the lifter keeps it out of line. */
#include "fp_ops.h"

/* ---- the host's MXCSR ---- */

enum {
    MX_IE = 1 << 0,
    MX_ZE = 1 << 2,
    MX_OE = 1 << 3,
    MX_UE = 1 << 4,
    MX_PE = 1 << 5,
    MX_FLAGS = 0x3f,
    MX_MASKS = 0x1f80, /* every exception masked */
    MX_RC_SHIFT = 13,
};

static uint32_t mxcsr_get(void)
{
    uint32_t m;
    __asm__ volatile("stmxcsr %0" : "=m"(m));
    return m;
}
static void mxcsr_set(uint32_t m)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
}
/* The value is opaque and must exist at this point in the order of volatile asm statements: the
 * operation between two pins stays inside its MXCSR window and is not merged with another. */
#define PIN(v) __asm__ volatile("" : "+x"(v))

/* One host operation under the Arm rounding mode `rounding` (FPR_TIEEVEN..FPR_ZERO); *hf gets
 * the MXCSR exception flags it raised. Arm RMode 00 RN, 01 RP, 10 RM, 11 RZ; MXCSR.RC 00 RN,
 * 01 RM, 10 RP, 11 RZ. */
static uint64_t host_rounded(enum fp_op op, unsigned esz, unsigned rounding, uint64_t a, uint64_t b,
                             uint64_t d, uint32_t *hf)
{
    uint32_t saved = mxcsr_get(), rc = (rounding >> 1 | rounding << 1) & 3;
    mxcsr_set(MX_MASKS | rc << MX_RC_SHIFT);
    uint64_t r;
    if (esz == 3) {
        double x = fp_d(a), y = fp_d(b), z = fp_d(d);
        PIN(x);
        PIN(y);
        PIN(z);
        double v = fp_host_d(op, x, y, z);
        PIN(v);
        r = fp_bits_d(v);
    } else {
        float x = fp_s(a), y = fp_s(b), z = fp_s(d);
        PIN(x);
        PIN(y);
        PIN(z);
        float v = fp_host_s(op, x, y, z);
        PIN(v);
        r = fp_bits_s(v);
    }
    *hf = mxcsr_get() & MX_FLAGS;
    mxcsr_set(saved);
    return r;
}

static uint32_t fpsr_from_mxcsr(uint32_t hf)
{
    return (hf & MX_IE ? FPSR_IOC : 0) | (hf & MX_ZE ? FPSR_DZC : 0) | (hf & MX_OE ? FPSR_OFC : 0) |
           (hf & MX_UE ? FPSR_UFC : 0) | (hf & MX_PE ? FPSR_IXC : 0);
}

/* ---- FPUnpack, FPProcessNaNs, FPRound ---- */

static unsigned fpcr_rounding(uint32_t fpcr)
{
    return (fpcr & FPCR_RMODE) >> FPCR_RMODE_SHIFT;
}

/* FPUnpack under FPCR.FZ: a denormal single or double input is flushed to zero, with IDC. */
static uint64_t flush(unsigned esz, uint32_t fpcr, uint64_t x, uint32_t *flags)
{
    if ((fpcr & FPCR_FZ) && esz != 1 && fp_is_denormal(esz, x)) {
        *flags |= FPSR_IDC;
        return x & fp_signbit(esz);
    }
    return x;
}

/* FPProcessNaNs/FPProcessNaNs3 (FPProcessNaN): the first signalling NaN in operand order,
 * quieted, with IOC; else the first quiet NaN; the default NaN under FPCR.DN. Some operand must
 * be a NaN. */
static uint64_t process_nans(unsigned esz, uint32_t fpcr, unsigned n, const uint64_t *ops,
                             uint32_t *flags)
{
    uint64_t r = 0;
    for (unsigned i = n; i-- > 0;)
        if (fp_is_nan(esz, ops[i]))
            r = ops[i];
    for (unsigned i = n; i-- > 0;)
        if (fp_is_snan(esz, ops[i]))
            r = ops[i];
    if (fp_is_snan(esz, r))
        *flags |= FPSR_IOC;
    return fpcr & FPCR_DN ? fp_default_nan(esz) : r | fp_quietbit(esz);
}

/* FPRoundBase: (-1)^sign * mant * 2^exp (mant != 0) rounded to format esz. FZ flushes a result
 * that is tiny before rounding to zero with UFC only; otherwise underflow is tininess before
 * rounding plus inexactness. `ahp` selects the alternative half-precision format, which has no
 * infinities: it saturates with IOC instead. */
static uint64_t round_soft(unsigned esz, bool sign, int exp, uint64_t mant, unsigned rounding,
                           bool fz, bool ahp, uint32_t *flags)
{
    unsigned F = fp_fbits(esz), E = fp_ebits(esz);
    int emin = 2 - (1 << (E - 1));
    uint64_t sgn = sign ? fp_signbit(esz) : 0;
    int lz = __builtin_clzll(mant);
    mant <<= lz;           /* value = mant * 2^(e - 63), 2^63 <= mant < 2^64 */
    int e = exp + 63 - lz; /* the value's exponent */
    if (fz && e < emin) {
        *flags |= FPSR_UFC;
        return sgn;
    }
    int biased = e < emin ? 0 : e - emin + 1;
    /* Drop the bits below the F fraction bits, more for a denormal result. */
    int shift = 63 - (int)F + (e < emin ? emin - e : 0);
    uint64_t int_mant;
    bool half, sticky;
    if (shift >= 65) {
        int_mant = 0;
        half = false;
        sticky = true;
    } else if (shift == 64) {
        int_mant = 0;
        half = true;
        sticky = mant << 1 != 0;
    } else {
        int_mant = mant >> shift;
        uint64_t rest = mant << (64 - shift);
        half = rest >> 63;
        sticky = rest << 1 != 0;
    }
    bool inexact = half || sticky;
    if (biased == 0 && inexact)
        *flags |= FPSR_UFC;
    bool up, to_inf;
    switch (rounding) {
    case FPR_TIEEVEN: up = half && (sticky || (int_mant & 1)), to_inf = true; break;
    case FPR_POSINF: up = inexact && !sign, to_inf = !sign; break;
    case FPR_NEGINF: up = inexact && sign, to_inf = sign; break;
    case FPR_TIEAWAY: up = half, to_inf = true; break;
    default: up = false, to_inf = false; break; /* FPR_ZERO, FPR_ODD */
    }
    if (up) {
        int_mant++;
        if (int_mant == 1ull << F) /* rounded up from denormal to normal */
            biased = 1;
        if (int_mant == 2ull << F) { /* rounded up to the next exponent */
            biased++;
            int_mant >>= 1;
        }
    }
    if (rounding == FPR_ODD && inexact)
        int_mant |= 1;
    uint64_t r;
    if (!ahp) {
        if (biased >= (1 << E) - 1) {
            r = sgn | (to_inf ? fp_inf(esz) : fp_inf(esz) - 1);
            *flags |= FPSR_OFC;
            inexact = true;
        } else {
            r = sgn | (uint64_t)biased << F | (int_mant & (fp_min_normal(esz) - 1));
        }
    } else if (biased >= 1 << E) {
        r = sgn | 0x7fff;
        *flags |= FPSR_IOC;
        inexact = false;
    } else {
        r = sgn | (uint64_t)biased << F | (int_mant & (fp_min_normal(esz) - 1));
    }
    if (inexact)
        *flags |= FPSR_IXC;
    return r;
}

/* ---- the operations ---- */

static uint64_t arith(enum fp_op op, unsigned esz, uint32_t fpcr, uint64_t a, uint64_t b,
                      uint64_t d, uint32_t *flags)
{
    unsigned nops = op == FOP_SQRT ? 1 : op == FOP_FMA ? 3 : 2;
    uint64_t sign = fp_signbit(esz), one = (fp_inf(esz) >> 1) & fp_inf(esz); /* 1.0 */
    /* FPRecipStepFused and FPRSqrtStepFused negate their first operand first, NaNs included. */
    if (op == FOP_RECPS || op == FOP_RSQRTS)
        a ^= sign;
    uint64_t ops[3] = {flush(esz, fpcr, a, flags), nops > 1 ? flush(esz, fpcr, b, flags) : 0,
                       nops > 2 ? flush(esz, fpcr, d, flags) : 0};
    a = ops[0], b = ops[1], d = ops[2];
    /* The product's operands: b * d for FPMulAdd, a * b otherwise. */
    uint64_t p = op == FOP_FMA ? b : a, q = op == FOP_FMA ? d : b;
    bool inf_times_zero =
        (fp_is_inf(esz, p) && fp_is_zero(esz, q)) || (fp_is_zero(esz, p) && fp_is_inf(esz, q));
    if (fp_is_nan(esz, a) || (nops > 1 && fp_is_nan(esz, b)) || (nops > 2 && fp_is_nan(esz, d))) {
        /* FPMulAdd: infinity times zero plus a quiet NaN is an invalid operation. */
        if (op == FOP_FMA && fp_is_qnan(esz, a) && inf_times_zero) {
            *flags |= FPSR_IOC;
            return fp_default_nan(esz);
        }
        return process_nans(esz, fpcr, nops, ops, flags);
    }
    /* FPMulX: infinity times zero is 2 with the product's sign; the step functions give 2 and
     * 1.5. */
    if (inf_times_zero && op == FOP_MULX)
        return ((a ^ b) & sign) | (one + fp_min_normal(esz));
    if (inf_times_zero && op == FOP_RECPS)
        return one + fp_min_normal(esz);
    if (inf_times_zero && op == FOP_RSQRTS)
        return one | fp_quietbit(esz);
    /* The host operation negates the step functions' first operand itself. */
    if (op == FOP_RECPS || op == FOP_RSQRTS)
        a ^= sign;
    /* FPRSqrtStepFused rounds (3 - a * b) / 2 once, and the host's 3 - a * b can overflow where
     * its half does not: halve the larger operand instead (exactly: finite and at least twice the
     * smallest normal) and compute 1.5 minus the product as FPMulAdd. When both are smaller the
     * product is tiny, and halving 3 - a * b afterwards is exact. */
    if (op == FOP_RSQRTS) {
        bool halve_a = fp_abs(esz, a) >= fp_abs(esz, b);
        uint64_t big = halve_a ? a : b;
        if (!fp_is_inf(esz, big) && fp_abs(esz, big) >= 2 * fp_min_normal(esz)) {
            big -= fp_min_normal(esz);
            uint64_t x = halve_a ? big : a, y = halve_a ? b : big;
            op = FOP_FMA;
            a = one | fp_quietbit(esz); /* 1.5 */
            b = x ^ sign;
            d = y;
        }
    }
    uint32_t hf;
    unsigned rounding = fpcr_rounding(fpcr);
    uint64_t r = host_rounded(op, esz, rounding, a, b, d, &hf);
    /* With no NaN operand, a NaN result is an invalid operation: Arm's default NaN is positive. */
    if (fp_is_nan(esz, r)) {
        *flags |= FPSR_IOC;
        return fp_default_nan(esz);
    }
    /* Tininess is judged before rounding: a result rounded up to the smallest normal may be tiny;
     * evaluating toward zero tells. */
    uint64_t mag = fp_abs(esz, r), min = fp_min_normal(esz);
    bool tiny = false;
    if (mag < min) {
        tiny = mag != 0 || (hf & MX_PE);
    } else if (mag == min && (hf & MX_PE)) {
        uint32_t hz;
        tiny = fp_abs(esz, host_rounded(op, esz, FPR_ZERO, a, b, d, &hz)) < min;
    }
    if (tiny && (fpcr & FPCR_FZ)) {
        r &= sign;
        hf = (hf & ~(uint32_t)(MX_PE | MX_UE)) | MX_UE;
    } else if (tiny && (hf & MX_PE)) {
        hf |= MX_UE;
    }
    *flags |= fpsr_from_mxcsr(hf);
    return r;
}

/* FPMax, FPMin, FPMaxNum, FPMinNum. The -NUM forms replace a single quiet NaN with the infinity
 * that loses, so the number wins. */
static uint64_t minmax(enum fp_op op, unsigned esz, uint32_t fpcr, uint64_t a, uint64_t b,
                       uint32_t *flags)
{
    bool max = op == FOP_MAX || op == FOP_MAXNM;
    if (op == FOP_MAXNM || op == FOP_MINNM) {
        uint64_t loser = max ? fp_signbit(esz) | fp_inf(esz) : fp_inf(esz);
        if (fp_is_qnan(esz, a) && !fp_is_qnan(esz, b))
            a = loser;
        else if (!fp_is_qnan(esz, a) && fp_is_qnan(esz, b))
            b = loser;
    }
    uint64_t ops[2] = {flush(esz, fpcr, a, flags), flush(esz, fpcr, b, flags)};
    if (fp_is_nan(esz, ops[0]) || fp_is_nan(esz, ops[1]))
        return process_nans(esz, fpcr, 2, ops, flags);
    a = ops[0], b = ops[1];
    if (fp_lt(esz, a, b))
        return max ? b : a;
    if (fp_lt(esz, b, a))
        return max ? a : b;
    return max ? a & b : a | b;
}

/* FPConvert (FCVT, FCVTN, FCVTL, FCVTXN) from format `from` to `to`, round to odd if `odd`.
 * FPUnpackCV/FPRoundCV: FZ applies to single and double, never FZ16 to half; under FPCR.AHP half
 * is the alternative format, with no infinities or NaNs (those convert to zero or the largest
 * value, with IOC). FPConvertNaN keeps the payload's top bits. */
static uint64_t convert(unsigned from, unsigned to, bool odd, uint32_t fpcr, uint64_t x,
                        uint32_t *flags)
{
    bool sign = x & fp_signbit(from), alt_in = from == 1 && (fpcr & FPCR_AHP),
         alt_out = to == 1 && (fpcr & FPCR_AHP);
    uint64_t sgn = sign ? fp_signbit(to) : 0;
    x = flush(from, fpcr, x, flags);
    uint64_t mag = fp_abs(from, x);
    unsigned fs = fp_fbits(from), ft = fp_fbits(to);
    if (!alt_in && mag > fp_inf(from)) {
        if (fp_is_snan(from, x) || alt_out)
            *flags |= FPSR_IOC;
        if (alt_out)
            return sgn;
        if (fpcr & FPCR_DN)
            return fp_default_nan(to);
        uint64_t payload = mag & (fp_quietbit(from) - 1);
        payload = ft > fs ? payload << (ft - fs) : payload >> (fs - ft);
        return sgn | fp_default_nan(to) | payload;
    }
    if (!alt_in && mag == fp_inf(from)) {
        if (!alt_out)
            return sgn | fp_inf(to);
        *flags |= FPSR_IOC;
        return sgn | 0x7fff;
    }
    if (mag == 0)
        return sgn;
    uint64_t bexp = mag >> fs, mant = mag & (fp_min_normal(from) - 1);
    int bias = (1 << (fp_ebits(from) - 1)) - 1;
    if (bexp)
        mant |= fp_min_normal(from);
    int exp = (bexp ? (int)bexp : 1) - bias - (int)fs;
    return round_soft(to, sign, exp, mant, odd ? FPR_ODD : fpcr_rounding(fpcr),
                      to != 1 && (fpcr & FPCR_FZ), alt_out, flags);
}

/* FPRoundInt for the cases fp_round_int leaves out: NaN and flushed inputs. */
static uint64_t round_int(unsigned esz, unsigned rounding, bool exact, uint32_t fpcr, uint64_t x,
                          uint32_t *flags)
{
    x = flush(esz, fpcr, x, flags);
    if (fp_is_nan(esz, x))
        return process_nans(esz, fpcr, 1, &x, flags);
    double v = fp_wide(esz, x), r = fp_round_with(rounding, v);
    if (exact && r != v)
        *flags |= FPSR_IXC;
    return esz == 3 ? fp_bits_d(r) : fp_bits_s((float)r);
}

/* FixedToFP with FPCR's rounding mode; x is already sign- or zero-extended to 64 bits. Zero is
 * +0. */
static uint64_t from_fixed(unsigned esz, unsigned fbits, bool is_unsigned, uint32_t fpcr,
                           uint64_t x, uint32_t *flags)
{
    bool neg = !is_unsigned && (int64_t)x < 0;
    if (x == 0)
        return 0;
    return round_soft(esz, neg, -(int)fbits, neg ? -x : x, fpcr_rounding(fpcr),
                      esz != 1 && (fpcr & FPCR_FZ), false, flags);
}

/* FPCompareEQ/GE/GT (the AC forms on absolute values): all ones or zero. A NaN operand gives
 * zero, with IOC for a signalling NaN, or any NaN in the ordered comparisons. */
static uint64_t compare(enum fp_op op, unsigned esz, uint32_t fpcr, uint64_t a, uint64_t b,
                        uint32_t *flags)
{
    a = flush(esz, fpcr, a, flags);
    b = flush(esz, fpcr, b, flags);
    if (op == FOP_ACGE || op == FOP_ACGT) {
        a = fp_abs(esz, a);
        b = fp_abs(esz, b);
    }
    if (fp_is_nan(esz, a) || fp_is_nan(esz, b)) {
        if (op != FOP_CMEQ || fp_is_snan(esz, a) || fp_is_snan(esz, b))
            *flags |= FPSR_IOC;
        return 0;
    }
    bool r = op == FOP_CMEQ                     ? fp_eq(esz, a, b)
             : op == FOP_CMGE || op == FOP_ACGE ? !fp_lt(esz, a, b)
                                                : fp_lt(esz, b, a);
    return r ? fp_mask(esz) : 0;
}

/* RecipEstimate: a in 256..511 (0.5 <= a / 512 < 1) to an 8-bit-accurate 1 / a, 256..511. */
static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in 128..511 (0.25 <= a / 512 < 1) to 256..511. The pseudocode searches
 * for the smallest b >= 512 with a * (b + 1)^2 >= 2^28; the search starts at the floating-point
 * square root. */
static unsigned rsqrt_estimate(unsigned a)
{
    uint64_t x = a < 256 ? a * 2 + 1 : (((a >> 1) << 1) + 1) * 2, lim = 1ull << 28;
    uint64_t t = (uint64_t)__builtin_sqrt((double)lim / (double)x); /* t = b + 1 */
    while (x * t * t < lim)
        t++;
    while (t > 513 && x * (t - 1) * (t - 1) >= lim)
        t--;
    if (t < 513)
        t = 513;
    return (unsigned)(t / 2);
}

/* The exponent and the fraction left-aligned in 52 bits, as FPRecipEstimate and FPRSqrtEstimate
 * take them apart. */
static uint64_t fraction52(unsigned esz, uint64_t x)
{
    return (x & (fp_min_normal(esz) - 1)) << (52 - fp_fbits(esz));
}
static int bexp(unsigned esz, uint64_t x)
{
    return (int)(fp_abs(esz, x) >> fp_fbits(esz));
}

/* FPRecipEstimate (FRECPE). */
static uint64_t recip_estimate_fp(unsigned esz, uint32_t fpcr, uint64_t x, uint32_t *flags)
{
    uint64_t sgn = x & fp_signbit(esz);
    x = flush(esz, fpcr, x, flags);
    if (fp_is_nan(esz, x))
        return process_nans(esz, fpcr, 1, &x, flags);
    if (fp_is_inf(esz, x))
        return sgn;
    if (fp_is_zero(esz, x)) {
        *flags |= FPSR_DZC;
        return sgn | fp_inf(esz);
    }
    unsigned F = fp_fbits(esz);
    int bias = (1 << (fp_ebits(esz) - 1)) - 1;
    /* |x| < 2^-(bias+1): the reciprocal overflows. */
    if (fp_abs(esz, x) < (fp_min_normal(esz) >> 2)) {
        unsigned rm = (fpcr & FPCR_RMODE) >> FPCR_RMODE_SHIFT;
        bool to_inf = rm == FPR_TIEEVEN || (rm == FPR_POSINF && !sgn) || (rm == FPR_NEGINF && sgn);
        *flags |= FPSR_OFC | FPSR_IXC;
        return sgn | (to_inf ? fp_inf(esz) : fp_inf(esz) - 1);
    }
    /* |x| >= 2^(bias-1) under FZ: the reciprocal is tiny and flushed. */
    if ((fpcr & FPCR_FZ) && esz != 1 && bexp(esz, x) >= 2 * bias - 1) {
        *flags |= FPSR_UFC;
        return sgn;
    }
    uint64_t frac = fraction52(esz, x);
    int exp = bexp(esz, x);
    if (exp == 0) {
        if (!(frac >> 51)) {
            exp = -1;
            frac = frac << 2 & ((1ull << 52) - 1);
        } else {
            frac = frac << 1 & ((1ull << 52) - 1);
        }
    }
    unsigned est = recip_estimate((unsigned)(256 | frac >> 44));
    int rexp = 2 * bias - 1 - exp;
    frac = (uint64_t)(est & 0xff) << 44;
    if (rexp == 0) {
        frac = 1ull << 51 | frac >> 1;
    } else if (rexp == -1) {
        frac = 1ull << 50 | frac >> 2;
        rexp = 0;
    }
    return sgn | (uint64_t)rexp << F | frac >> (52 - F);
}

/* FPRSqrtEstimate (FRSQRTE). */
static uint64_t rsqrt_estimate_fp(unsigned esz, uint32_t fpcr, uint64_t x, uint32_t *flags)
{
    x = flush(esz, fpcr, x, flags);
    if (fp_is_nan(esz, x))
        return process_nans(esz, fpcr, 1, &x, flags);
    if (fp_is_zero(esz, x)) {
        *flags |= FPSR_DZC;
        return (x & fp_signbit(esz)) | fp_inf(esz);
    }
    if (x & fp_signbit(esz)) {
        *flags |= FPSR_IOC;
        return fp_default_nan(esz);
    }
    if (fp_is_inf(esz, x))
        return 0;
    unsigned F = fp_fbits(esz);
    int bias = (1 << (fp_ebits(esz) - 1)) - 1;
    uint64_t frac = fraction52(esz, x);
    int exp = bexp(esz, x);
    if (exp == 0) {
        while (!(frac >> 51)) {
            frac <<= 1;
            exp--;
        }
        frac = frac << 1 & ((1ull << 52) - 1);
    }
    /* An odd biased exponent is an even power of two: scale into 0.25 .. 0.5, else 0.5 .. 1. */
    unsigned scaled = exp & 1 ? 128 | (unsigned)(frac >> 45) : 256 | (unsigned)(frac >> 44);
    int rexp = (3 * bias - 1 - exp) / 2;
    return (uint64_t)rexp << F | (uint64_t)(rsqrt_estimate(scaled) & 0xff) << (F - 8);
}

/* FPRecpX (FRECPX): the exponent inverted, the fraction cleared; zeros and denormals get the
 * largest finite exponent. */
static uint64_t recpx(unsigned esz, uint32_t fpcr, uint64_t x, uint32_t *flags)
{
    x = flush(esz, fpcr, x, flags);
    if (fp_is_nan(esz, x))
        return process_nans(esz, fpcr, 1, &x, flags);
    uint64_t e = x & fp_inf(esz);
    return (x & fp_signbit(esz)) | (e ? ~e & fp_inf(esz) : fp_inf(esz) - fp_min_normal(esz));
}

static uint64_t slow_one(enum fp_op op, unsigned esz, unsigned aux, uint32_t fpcr, uint64_t a,
                         uint64_t b, uint64_t d, uint32_t *flags)
{
    switch (op) {
    case FOP_MAX:
    case FOP_MIN:
    case FOP_MAXNM:
    case FOP_MINNM: return minmax(op, esz, fpcr, a, b, flags);
    case FOP_CVT: return convert(esz, aux & 3, aux & 4, fpcr, a, flags);
    case FOP_RINT: return round_int(esz, aux & 7, aux & 8, fpcr, a, flags);
    case FOP_FROMINT: return from_fixed(esz, aux & 0x7f, aux & 0x100, fpcr, a, flags);
    case FOP_CMEQ:
    case FOP_CMGE:
    case FOP_CMGT:
    case FOP_ACGE:
    case FOP_ACGT: return compare(op, esz, fpcr, a, b, flags);
    case FOP_RECPE: return recip_estimate_fp(esz, fpcr, a, flags);
    case FOP_RSQRTE: return rsqrt_estimate_fp(esz, fpcr, a, flags);
    case FOP_RECPX: return recpx(esz, fpcr, a, flags);
    default: return arith(op, esz, fpcr, a, b, d, flags);
    }
}

struct fp_res fp_slow_impl(uint32_t ctl, uint32_t fpcr, double a, double b, double d)
{
    uint32_t flags = 0;
    uint64_t r = slow_one((enum fp_op)(ctl & 0xff), (ctl >> 8) & 3, ctl >> 12, fpcr, fp_bits_d(a),
                          fp_bits_d(b), fp_bits_d(d), &flags);
    return (struct fp_res){fp_d(r), flags};
}

struct fp_vres fp_slow_vec_impl(uint32_t ctl, uint32_t fpcr, v2u64 va, v2u64 vb, v2u64 vd)
{
    unsigned __int128 a, b, d;
    memcpy(&a, &va, sizeof a);
    memcpy(&b, &vb, sizeof b);
    memcpy(&d, &vd, sizeof d);
    unsigned esz = (ctl >> 8) & 3, lanes = ctl >> 24, w = fp_nbits(esz);
    uint64_t mask = fp_mask(esz);
    uint32_t flags = 0;
    unsigned __int128 r = 0;
    for (unsigned i = 0; i < lanes; i++) {
        uint64_t x = (uint64_t)(a >> (w * i)) & mask, y = (uint64_t)(b >> (w * i)) & mask,
                 z = (uint64_t)(d >> (w * i)) & mask;
        uint64_t v =
            slow_one((enum fp_op)(ctl & 0xff), esz, (ctl >> 12) & 0xfff, fpcr, x, y, z, &flags);
        r |= (unsigned __int128)(v & mask) << (w * i);
    }
    return (struct fp_vres){r, flags};
}
