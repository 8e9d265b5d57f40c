/* Scalar floating point (Data Processing -- Scalar Floating-Point, Arm ARM C4.1): moves,
 * arithmetic, comparisons and conversions. The Arm rules (NaNs, FPCR modes, FPSR flags) live in
 * fp_ops.h and fp_slow.c. */
#include "fp_ops.h"

/* ftype: 00 single, 01 double, 11 half (10 is not a scalar type). */
static unsigned ftype_esz(uint32_t w)
{
    unsigned ftype = bits(w, 23, 22);
    return ftype == 0 ? 2 : ftype == 1 ? 3 : 1;
}

/* FMOV (register), FABS, FNEG, FSQRT, FCVT between precisions, FRINT*. */
SEM(fp_dp1)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w), opcode = bits(w, 20, 15), d = rd(in);
    uint64_t x = fp_vget(c, rn(in), esz), r;
    switch (opcode) {
    case 0: r = x; break;
    /* FPAbs and FPNeg touch only the sign, NaNs included, and never flush. */
    case 1: r = x & ~fp_signbit(esz); break;
    case 2: r = x ^ fp_signbit(esz); break;
    case 3: r = fp_arith(c, FOP_SQRT, esz, x, 0, 0); break;
    case 4:
    case 5:
    case 7: {
        /* FCVT: opc (bits 16:15) is the destination type. */
        unsigned to = opcode == 4 ? 2 : opcode == 5 ? 3 : 1;
        fp_vset(c, d, to, fp_convert(c, esz, to, x));
        return;
    }
    default: {
        /* FRINTN, P, M, Z (the first four FPRounding values), A, X and I (FPCR's mode). */
        unsigned mode = opcode & 7;
        unsigned rounding = mode < 4    ? mode
                            : mode == 4 ? FPR_TIEAWAY
                                        : (c->fpcr & FPCR_RMODE) >> FPCR_RMODE_SHIFT;
        r = fp_round_int(c, esz, x, rounding, mode == 6);
        break;
    }
    }
    fp_vset(c, d, esz, r);
}

/* FMUL, FDIV, FADD, FSUB, FMAX, FMIN, FMAXNM, FMINNM, FNMUL. FNMUL negates the rounded product,
 * a NaN result included (FPNeg). */
SEM(fp_dp2)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w), opcode = bits(w, 15, 12);
    uint64_t a = fp_vget(c, rn(in), esz), b = fp_vget(c, rm(in), esz), r;
    switch (opcode) {
    case 0: r = fp_arith(c, FOP_MUL, esz, a, b, 0); break;
    case 1: r = fp_arith(c, FOP_DIV, esz, a, b, 0); break;
    case 2: r = fp_arith(c, FOP_ADD, esz, a, b, 0); break;
    case 3: r = fp_arith(c, FOP_SUB, esz, a, b, 0); break;
    case 4: r = fp_minmax(c, FOP_MAX, esz, a, b); break;
    case 5: r = fp_minmax(c, FOP_MIN, esz, a, b); break;
    case 6: r = fp_minmax(c, FOP_MAXNM, esz, a, b); break;
    case 7: r = fp_minmax(c, FOP_MINNM, esz, a, b); break;
    default: r = fp_neg(esz, fp_arith(c, FOP_MUL, esz, a, b, 0)); break;
    }
    fp_vset(c, rd(in), esz, r);
}

/* FMADD, FMSUB, FNMADD, FNMSUB: FPMulAdd(Ra, Rn, Rm) with one fused rounding. o1 negates the
 * addend, o1 != o0 the product (through Rn); FPNeg flips NaN signs too. */
SEM(fp_dp3)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w);
    uint64_t a = fp_vget(c, ra(in), esz), n = fp_vget(c, rn(in), esz), m = fp_vget(c, rm(in), esz);
    if (bit(w, 21))
        a = fp_neg(esz, a);
    if (bit(w, 21) != bit(w, 15))
        n = fp_neg(esz, n);
    fp_vset(c, rd(in), esz, fp_arith(c, FOP_FMA, esz, a, n, m));
}

/* FCMP, FCMPE (bit 4: any NaN signals), against Rm or +0.0 (bit 3). */
SEM(fp_cmp)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w);
    uint64_t b = bit(w, 3) ? 0 : fp_vget(c, rm(in), esz);
    set_nzcv(c, fp_compare(c, esz, fp_vget(c, rn(in), esz), b, bit(w, 4)));
}

/* FCCMP, FCCMPE: compare if the condition holds, else NZCV = #nzcv. */
SEM(fp_ccmp)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w);
    if (cond_holds(c, bits(w, 15, 12)))
        set_nzcv(c,
                 fp_compare(c, esz, fp_vget(c, rn(in), esz), fp_vget(c, rm(in), esz), bit(w, 4)));
    else
        set_nzcv(c, bits(w, 3, 0));
}

SEM(fp_csel)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w);
    unsigned src = cond_holds(c, bits(w, 15, 12)) ? rn(in) : rm(in);
    fp_vset(c, rd(in), esz, fp_vget(c, src, esz));
}

/* FMOV (scalar, immediate): VFPExpandImm. sign = imm8<7>, exponent = NOT(imm8<6>) :
 * Replicate(imm8<6>, E - 3) : imm8<5:4>, fraction = imm8<3:0> : zeros. */
SEM(fp_imm)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w), imm8 = bits(w, 20, 13), E = fp_ebits(esz), F = fp_fbits(esz);
    uint64_t b6 = bit(imm8, 6);
    uint64_t exp = (b6 ^ 1) << (E - 1) | (b6 ? ((1ull << (E - 3)) - 1) << 2 : 0) | bits(imm8, 5, 4);
    uint64_t r = (uint64_t)bit(imm8, 7) << (fp_nbits(esz) - 1) | exp << F |
                 (uint64_t)bits(imm8, 3, 0) << (F - 4);
    fp_vset(c, rd(in), esz, r);
}

/* SCVTF, UCVTF, FCVTZS, FCVTZU (fixed-point): fbits = 64 - scale. opcode<1> selects
 * integer-to-FP, opcode<0> unsigned. */
SEM(fp_fixed)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w), opcode = bits(w, 18, 16), fbits = 64 - bits(w, 15, 10);
    unsigned ibits = sf(in) ? 64 : 32;
    if (opcode & 2)
        fp_vset(c, rd(in), esz, fp_from_fixed(c, esz, xr(c, rn(in)), opcode & 1, ibits, fbits));
    else
        set_reg(c, rd(in), sf(in),
                fp_to_fixed(c, esz, fp_vget(c, rn(in), esz), fbits, opcode & 1, ibits, FPR_ZERO));
}

/* FCVT[NPMZA][SU], SCVTF, UCVTF (integer). rmode names the rounding (N, P, M, Z as the first four
 * FPRounding values); opcode<2> is FCVTA*, ties away; opcode<1> integer-to-FP. */
SEM(fp_cvt_int)
{
    uint32_t w = in->word;
    unsigned esz = ftype_esz(w), rmode = bits(w, 20, 19), opcode = bits(w, 18, 16);
    unsigned ibits = sf(in) ? 64 : 32;
    if (opcode & 2)
        fp_vset(c, rd(in), esz, fp_from_fixed(c, esz, xr(c, rn(in)), opcode & 1, ibits, 0));
    else
        set_reg(c, rd(in), sf(in),
                fp_to_fixed(c, esz, fp_vget(c, rn(in), esz), 0, opcode & 1, ibits,
                            opcode & 4 ? FPR_TIEAWAY : rmode));
}

/* FMOV (general): opcode<0> is general-to-FP. The D[1] forms (ftype 10) move the upper half of
 * the vector register and leave the lower half alone; the others zero-extend either way. */
SEM(fp_mov_gen)
{
    uint32_t w = in->word;
    bool to_fp = bit(w, 16);
    if (bits(w, 23, 22) == 2) {
        if (to_fp)
            c->vr[rd(in)].d[1] = xr(c, rn(in));
        else
            set_xr(c, rd(in), c->vr[rn(in)].d[1]);
        return;
    }
    unsigned esz = ftype_esz(w);
    if (to_fp)
        fp_vset(c, rd(in), esz, xr(c, rn(in)));
    else
        set_reg(c, rd(in), sf(in), fp_vget(c, rn(in), esz));
}

/* FJCVTZS (FPToFixedJS): the double truncated toward zero, modulo 2^32 (JavaScript's ToInt32).
 * NZCV = 0Z00, Z set when the result is exact, in the int32 range and not from -0 or a flushed
 * denormal. NaNs, infinities and out-of-range values raise IOC (and give the low bits, 0 for NaN
 * and infinity), other inexact results IXC. */
SEM(fp_jcvt)
{
    uint64_t x = fp_vget(c, rn(in), 3), mag = x & ~fp_signbit(3);
    bool neg = x >> 63, flushed = fp_fz_input(c, 3, x);
    if (flushed) {
        c->fpsr |= FPSR_IDC;
        mag = 0;
    }
    int e = (int)(mag >> 52) - 1075; /* mag = m * 2^e */
    uint64_t m = (mag & (fp_min_normal(3) - 1)) | (mag >> 52 ? fp_min_normal(3) : 0), t;
    bool inexact = false, ok;
    if (mag >= fp_inf(3)) {
        t = 0;
        ok = false;
    } else if (e >= 0) {
        t = e < 64 ? m << e : 0; /* at least 2^52: out of range, the low bits survive */
        ok = false;
    } else {
        t = e > -64 ? m >> -e : 0;
        inexact = e > -64 ? (m & ((1ull << -e) - 1)) != 0 : m != 0;
        ok = t <= (neg ? 1ull << 31 : (1ull << 31) - 1);
    }
    if (!ok)
        c->fpsr |= FPSR_IOC;
    else if (inexact)
        c->fpsr |= FPSR_IXC;
    bool z = ok && !inexact && !(mag == 0 && (neg || flushed));
    set_xr(c, rd(in), (uint32_t)(neg ? -t : t));
    set_nzcv(c, z ? 4 : 0);
}
