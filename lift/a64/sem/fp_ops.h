/*
 * Floating-point helpers shared by the scalar (fp.c) and AdvSIMD (simd_fp.c) semantics, and the
 * out-of-line slow path (fp_slow.c).
 *
 * How Arm floating point maps onto the host
 * -----------------------------------------
 * Values are kept as bit patterns (uint64_t, the low 16/32/64 bits) and computed with host SSE
 * arithmetic, which is IEEE 754 like Arm's. The host's MXCSR always stays at its default
 * (round to nearest, no flush-to-zero); the guest's FPCR and FPSR live in c->fpcr and c->fpsr.
 * What differs from the host, and how it is handled:
 *
 *  - NaNs. Arm returns the first signalling NaN in operand order (quieted), else the first
 *    quiet NaN, and generates the default NaN +0x7fc00000 / +0x7ff8000000000000 (FPProcessNaNs,
 *    FPDefaultNaN in the Arm ARM, J1); x86 returns its first operand's NaN and generates a
 *    negative NaN. FPCR.DN turns every NaN result into the default NaN.
 *  - FPCR.RMode, FPCR.FZ (flush denormal inputs, with IDC, and results that are tiny before
 *    rounding, with UFC only) and FPCR.AHP.
 *  - FPSR's cumulative flags IOC, DZC, OFC, UFC, IXC, IDC. Arm detects tininess before rounding
 *    (FPRoundBase), x86 after.
 *
 * Every operation has an inline fast path: the host operation, then one check that its result
 * needs nothing of the above. The hot check wants the default FPCR (round to nearest, no FZ), a
 * result that is a normal number above the lowest binade (so it raised no flag other than IXC:
 * NaN, infinity, zero and tiny results fail it; for a sum any finite result, as tiny and zero
 * sums are exact) and FPSR.IXC already set (so an inexact result changes no flag): the host
 * instruction and one test of the result against a mask that holds the modes and IXC too. A
 * program sets IXC with its first inexact operation and keeps it, but one whose arithmetic is exact
 * (integer-valued doubles) never does; with IXC clear a colder inline path (fp_arith_cold) decides
 * exactness itself by an error-free transformation (fp_exactness: a fused multiply-add giving a
 * product's rounding error, a quotient's remainder or a square root's residual, or two
 * subtractions for a sum) and sets IXC when inexact -- a store only then. Only where that test
 * cannot answer (tiny operands, an FMA whose product is inexact) does it go slow, and the slow path
 * then sets IXC if the result was inexact. The colder path also accepts FZ with no denormal input
 * (exactness decided the same way), and results the operation guarantees exact (a zero or denormal
 * sum, a zero product of a zero, a zero FMA of an exact product). AdvSIMD applies the same checks
 * to all active lanes at once. Values cross into the slow path as bit patterns carried in doubles
 * (SSE registers), so that the merged result of a fast path stays in an SSE register.
 *
 * Everything else goes to fp_slow_impl() (fp_slow_vec_impl() lane by lane for AdvSIMD, both in
 * fp_slow.c, which is not part of the lifter's bitcode, so it is never inlined; translated code
 * reaches them through entries that preserve every register, runtime/fp_slow_entry.S). It follows
 * the Arm ARM pseudocode: flushes inputs under FZ, processes NaNs, handles the special operand
 * cases itself, and performs the arithmetic on the host with MXCSR set to the guest's rounding mode
 * (flags cleared, no FTZ/DAZ) around the single operation, reading the host's exception flags
 * afterwards (ZE -> DZC, OE -> OFC, UE -> UFC, PE -> IXC). Values are pinned with empty volatile
 * asm so the compiler can neither move the operation out of the MXCSR window nor merge it with the
 * fast path's. Tiny results are re-checked against the exact result (an extra round-toward-zero
 * evaluation) to get Arm's before-rounding tininess and FZ flushing. Conversions and rounding to
 * integral are done exactly in software (round_soft in fp_slow.c) or with exact host operations.
 *
 * LLVM assumes the default floating-point environment and may fold or simplify a fast-path
 * operation (constant operands, x * 1.0 -> x); that is harmless, because whatever result it
 * produces still has to pass the check, and anything else is recomputed by the slow path from
 * the original operands under the guest's modes. Its folds are exact in round to nearest, and it
 * does not reassociate (no fast-math flags), so the exactness tests stay valid after folding.
 *
 * Limits: floating-point exception traps (FPCR.IOE etc.) are not supported -- only the cumulative
 * flags are set, as on implementations without trapping; FEAT_AFP (FPCR.AH, FIZ, NEP) and
 * FEAT_FP16 arithmetic are not implemented.
 */
#ifndef XLATE_FP_OPS_H
#define XLATE_FP_OPS_H

#include "sem.h"

/* FPRounding, in the order of FPCR.RMode for the first four. */
enum fp_rounding { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO, FPR_TIEAWAY, FPR_ODD };

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* ---- formats: esz is log2 of the size in bytes: 1 half, 2 single, 3 double ---- */

static inline unsigned fp_nbits(unsigned esz)
{
    return 8u << esz;
}
static inline unsigned fp_fbits(unsigned esz)
{
    return esz == 1 ? 10 : esz == 2 ? 23 : 52;
}
static inline unsigned fp_ebits(unsigned esz)
{
    return esz == 1 ? 5 : esz == 2 ? 8 : 11;
}
static inline uint64_t fp_mask(unsigned esz)
{
    return ~0ull >> (64 - fp_nbits(esz));
}
static inline uint64_t fp_signbit(unsigned esz)
{
    return 1ull << (fp_nbits(esz) - 1);
}
/* +infinity, which is also the exponent mask; the largest finite number is one below. */
static inline uint64_t fp_inf(unsigned esz)
{
    return ((1ull << fp_ebits(esz)) - 1) << fp_fbits(esz);
}
static inline uint64_t fp_quietbit(unsigned esz)
{
    return 1ull << (fp_fbits(esz) - 1);
}
static inline uint64_t fp_min_normal(unsigned esz)
{
    return 1ull << fp_fbits(esz);
}
static inline uint64_t fp_default_nan(unsigned esz)
{
    return fp_inf(esz) | fp_quietbit(esz);
}
static inline uint64_t fp_abs(unsigned esz, uint64_t x)
{
    return x & (fp_signbit(esz) - 1);
}
static inline bool fp_is_nan(unsigned esz, uint64_t x)
{
    return fp_abs(esz, x) > fp_inf(esz);
}
static inline bool fp_is_snan(unsigned esz, uint64_t x)
{
    return fp_is_nan(esz, x) && !(x & fp_quietbit(esz));
}
static inline bool fp_is_qnan(unsigned esz, uint64_t x)
{
    return fp_is_nan(esz, x) && (x & fp_quietbit(esz));
}
static inline bool fp_is_inf(unsigned esz, uint64_t x)
{
    return fp_abs(esz, x) == fp_inf(esz);
}
static inline bool fp_is_zero(unsigned esz, uint64_t x)
{
    return fp_abs(esz, x) == 0;
}
static inline bool fp_is_denormal(unsigned esz, uint64_t x)
{
    return fp_abs(esz, x) - 1 < fp_min_normal(esz) - 1;
}
/* A normal number strictly above the smallest normal: a rounded result in this range raised no
 * flag other than inexact, with tininess detected before or after rounding. */
static inline bool fp_is_big_normal(unsigned esz, uint64_t x)
{
    return fp_abs(esz, x) - fp_min_normal(esz) - 1 < fp_inf(esz) - fp_min_normal(esz) - 1;
}

/* ---- host values ---- */

static inline double fp_d(uint64_t x)
{
    double d;
    memcpy(&d, &x, sizeof d);
    return d;
}
static inline float fp_s(uint64_t x)
{
    uint32_t w = (uint32_t)x;
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}
static inline uint64_t fp_bits_d(double d)
{
    uint64_t x;
    memcpy(&x, &d, sizeof x);
    return x;
}
static inline uint64_t fp_bits_s(float f)
{
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return w;
}
/* FPNeg: the sign flipped, NaNs included -- as a host negation (a pure sign flip, LLVM's fneg),
 * so that a value in an SSE register stays there. */
static inline uint64_t fp_neg(unsigned esz, uint64_t x)
{
    switch (esz) {
    case 3: return fp_bits_d(-fp_d(x));
    case 2: return fp_bits_s(-fp_s(x));
    default: return x ^ fp_signbit(esz);
    }
}
/* A single or double value as a double (exact). */
static inline double fp_wide(unsigned esz, uint64_t x)
{
    return esz == 3 ? fp_d(x) : fp_s(x);
}

/* Fused multiply-add and square root as host instructions: clang's elementwise builtins lower to
 * them (its __builtin_sqrt would keep a libm call for errno), gcc (the interpreter) may call libm,
 * which rounds correctly too. */
#ifdef __clang__
#define FP_FMA(x, y, z) __builtin_elementwise_fma(x, y, z)
#define FP_SQRT(x)      __builtin_elementwise_sqrt(x)
#else
#define FP_FMA(x, y, z) _Generic((x), float : __builtin_fmaf, double : __builtin_fma)(x, y, z)
#define FP_SQRT(x)      _Generic((x), float : __builtin_sqrtf, double : __builtin_sqrt)(x)
#endif

/* ---- SIMD&FP registers: scalar writes clear the rest of the 128-bit register ---- */

/* Read through the lane type, so a value that lives in memory loads straight into an SSE
 * register. */
static inline uint64_t fp_vget(const struct cpu *c, unsigned n, unsigned esz)
{
    switch (esz) {
    case 3: return fp_bits_d(c->vr[n].df[0]);
    case 2: return fp_bits_s(c->vr[n].f[0]);
    default: return c->vr[n].h[0];
    }
}
/* Singles and doubles are written as such, zeros included, so that LLVM builds the register's
 * value in the SSE register the result is in (one zero-extending move) rather than in a general
 * register. */
static inline void fp_vset(struct cpu *c, unsigned n, unsigned esz, uint64_t x)
{
    switch (esz) {
    case 3:
        c->vr[n].df[0] = fp_d(x);
        c->vr[n].df[1] = 0;
        break;
    case 2:
        c->vr[n].f[0] = fp_s(x);
        c->vr[n].f[1] = 0;
        c->vr[n].f[2] = 0;
        c->vr[n].f[3] = 0;
        break;
    default: c->vr[n].d[0] = x & fp_mask(esz); c->vr[n].d[1] = 0;
    }
}

/* ---- operations ---- */

enum fp_op {
    /* Arithmetic on (a, b, d); FMA is FPMulAdd(addend a, b, d) = a + b * d; RECPS is
     * FPRecipStepFused (2 - a * b), RSQRTS FPRSqrtStepFused ((3 - a * b) / 2). */
    FOP_ADD,
    FOP_SUB,
    FOP_MUL,
    FOP_DIV,
    FOP_MULX,
    FOP_FMA,
    FOP_SQRT,
    FOP_RECPS,
    FOP_RSQRTS,
    /* FPMax, FPMin, FPMaxNum, FPMinNum. */
    FOP_MAX,
    FOP_MIN,
    FOP_MAXNM,
    FOP_MINNM,
    /* Slow-path only: FPConvert of a to the format aux (aux | 4: round to odd, for FCVTXN);
     * FPRoundInt of a (aux: rounding | 8 when inexact is signalled); FixedToFP of the
     * integer a (aux: fbits | 64-bit source 0x80 | unsigned 0x100, FPCR rounding). */
    FOP_CVT,
    FOP_RINT,
    FOP_FROMINT,
    /* Comparisons giving all ones or zero: FPCompareEQ, GE, GT, and GE/GT of absolute values. */
    FOP_CMEQ,
    FOP_CMGE,
    FOP_CMGT,
    FOP_ACGE,
    FOP_ACGT,
    /* Slow-path only: FPRecipEstimate, FPRSqrtEstimate, FPRecpX. */
    FOP_RECPE,
    FOP_RSQRTE,
    FOP_RECPX,
};

/* Operands and result as bit patterns carried in doubles, never interpreted: they are passed in
 * SSE registers, where the fast paths keep their values, so a rarely taken slow path neither
 * moves them to general registers on the hot path nor makes LLVM merge its result there. */
struct fp_res {
    double val;
    uint32_t flags; /* FPSR flags raised */
};
/* Flags an arithmetic slow path raised. Resynchronizing fp_gate here is what lets the fast paths
 * take over once IXC is set (cpu's fp_gate in a64.h). Everything else that only sets flags --
 * fp_slow (conversions, rounding), the inline exactness tests -- leaves that to the next
 * arithmetic slow path: the gate lags only towards closed, which is safe, and lua's interpreter
 * loop, with dozens of conversions, ran 2.5% more instructions (lua-fib) when each of them wrote
 * the gate and masks. */
static inline void fp_raise(struct cpu *c, uint32_t flags)
{
    c->fpsr |= flags;
    a64_fp_gate_sync(c);
}

/* The complete Arm semantics of one operation, out of line in fp_slow.c, which is compiled only
 * into the runtime: the lifter inlines every function the semantics define, and this one is large
 * and cold. It is a function of its arguments alone (the MXCSR it changes is restored), so it is
 * declared const: a call in a loop then neither pins the register file in memory nor stops
 * the loop's registers from staying in host registers. ctl = op | esz << 8 | aux << 12. */
__attribute__((const, nothrow)) struct fp_res fp_slow_impl(uint32_t ctl, uint32_t fpcr, double a,
                                                           double b, double d);

static inline uint64_t fp_slow(struct cpu *c, enum fp_op op, unsigned esz, unsigned aux, uint64_t a,
                               uint64_t b, uint64_t d)
{
    struct fp_res r =
        fp_slow_impl((uint32_t)op | esz << 8 | aux << 12, c->fpcr, fp_d(a), fp_d(b), fp_d(d));
    c->fpsr |= r.flags;
    return fp_bits_d(r.val);
}

/* The same for `lanes` elements of a 128-bit value (AdvSIMD), lane by lane; aux as above and
 * ctl = op | esz << 8 | aux << 12 | lanes << 24. The operands are vectors, passed in SSE registers,
 * where the fast path has them (as 128-bit integers they would be copied to general registers on
 * the hot path, for a call that is rarely made). */
struct fp_vres {
    unsigned __int128 val;
    uint32_t flags;
};
__attribute__((const, nothrow)) struct fp_vres fp_slow_vec_impl(uint32_t ctl, uint32_t fpcr,
                                                                v2u64 a, v2u64 b, v2u64 d);

static inline v2u64 fp_slow_vec(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes,
                                unsigned aux, v2u64 a, v2u64 b, v2u64 d)
{
    struct fp_vres r =
        fp_slow_vec_impl((uint32_t)op | esz << 8 | aux << 12 | lanes << 24, c->fpcr, a, b, d);
    fp_raise(c, r.flags);
    v2u64 v;
    memcpy(&v, &r.val, sizeof v);
    return v;
}

#define FP_DEFINE_HOST(T, suffix)                                                                  \
    static inline T fp_host_##suffix(enum fp_op op, T x, T y, T z)                                 \
    {                                                                                              \
        switch (op) {                                                                              \
        case FOP_ADD: return x + y;                                                                \
        case FOP_SUB: return x - y;                                                                \
        case FOP_MUL:                                                                              \
        case FOP_MULX: return x * y;                                                               \
        case FOP_DIV: return x / y;                                                                \
        case FOP_FMA: return FP_FMA(y, z, x);                                                      \
        case FOP_SQRT: return FP_SQRT(x);                                                          \
        case FOP_RECPS: return FP_FMA(-x, y, (T)2);                                                \
        default: return FP_FMA(-x, y, (T)3) * (T)0.5;                                              \
        }                                                                                          \
    }
FP_DEFINE_HOST(float, s)
FP_DEFINE_HOST(double, d)
#undef FP_DEFINE_HOST

/* The fast path's modes: FPCR's defaults, round to nearest and no FZ -- one test-and-branch pair,
 * which x86 fuses into one operation. */
static inline bool fp_env_default(const struct cpu *c)
{
    return !(c->fpcr & (FPCR_RMODE | FPCR_FZ));
}
static inline bool fp_fz_input(const struct cpu *c, unsigned esz, uint64_t x)
{
    return (c->fpcr & FPCR_FZ) && fp_is_denormal(esz, x);
}

/* ---- FPSR.IXC for fast-path results ---- */

/* Whether the round-to-nearest result r of a op b (FMA: a + b * d), a big normal number (FMA:
 * or zero), is inexact. Error-free transformations, one fused multiply-add each: a product's
 * rounding error a * b - r, a quotient's remainder r * b - a and a square root's r * r - a are zero
 * iff r is exact. For a sum, with |a| >= |b| r - a is computed exactly (Dekker's Fast2Sum) and is b
 * iff r is exact, and symmetrically, so r is exact iff r - a == b and r - b == a. A nonzero
 * residual must not round to zero: it is a multiple of ulp(x) * ulp(y) for the two numbers
 * multiplied, at least the smallest denormal when the product or dividend is at least 2^(emin + p +
 * 1); below FP_TINY, 2^(emin + 2p), the answer is unknown (the slow path decides). FMA: when its
 * product b * d is exact by the same test, r is the rounded sum of a and that product (and a zero r
 * is exact, as that sum is a multiple of the smallest denormal); else unknown, as a + b * d can be
 * exact when b * d is not. RECPS and RSQRTS: unknown. */
enum fp_exactness { FP_EXACT, FP_INEXACT, FP_UNKNOWN };

#define FP_DEFINE_EXACTNESS(T, suffix, ABS, TINY)                                                  \
    static inline enum fp_exactness fp_exactness_##suffix(enum fp_op op, T a, T b, T d, T r)       \
    {                                                                                              \
        T p = b * d;                                                                               \
        switch (op) {                                                                              \
        case FOP_ADD: return r - a == b && r - b == a ? FP_EXACT : FP_INEXACT;                     \
        case FOP_SUB: return r - a == -b && r + b == a ? FP_EXACT : FP_INEXACT;                    \
        case FOP_MUL:                                                                              \
        case FOP_MULX:                                                                             \
            return ABS(r) < TINY ? FP_UNKNOWN : FP_FMA(a, b, -r) == (T)0 ? FP_EXACT : FP_INEXACT;  \
        case FOP_DIV:                                                                              \
            return ABS(a) < TINY ? FP_UNKNOWN : FP_FMA(r, b, -a) == (T)0 ? FP_EXACT : FP_INEXACT;  \
        case FOP_SQRT:                                                                             \
            return ABS(a) < TINY ? FP_UNKNOWN : FP_FMA(r, r, -a) == (T)0 ? FP_EXACT : FP_INEXACT;  \
        case FOP_FMA:                                                                              \
            if (FP_FMA(b, d, -p) != (T)0 || (ABS(p) < TINY && b != (T)0 && d != (T)0))             \
                return FP_UNKNOWN;                                                                 \
            return r - a == p && r - p == a ? FP_EXACT : FP_INEXACT;                               \
        default: return FP_UNKNOWN;                                                                \
        }                                                                                          \
    }
FP_DEFINE_EXACTNESS(float, s, __builtin_fabsf, 0x1p-78f)
FP_DEFINE_EXACTNESS(double, d, __builtin_fabs, 0x1p-916)
#undef FP_DEFINE_EXACTNESS

static inline enum fp_exactness fp_exactness(enum fp_op op, unsigned esz, uint64_t a, uint64_t b,
                                             uint64_t d, uint64_t r)
{
    return esz == 3 ? fp_exactness_d(op, fp_d(a), fp_d(b), fp_d(d), fp_d(r))
                    : fp_exactness_s(op, fp_s(a), fp_s(b), fp_s(d), fp_s(r));
}

/* ---- arithmetic ---- */

/* Whether FZ flushes an operand of op. */
static inline bool fp_fz_inputs(const struct cpu *c, enum fp_op op, unsigned esz, uint64_t a,
                                uint64_t b, uint64_t d)
{
    unsigned nops = op == FOP_SQRT ? 1 : op == FOP_FMA ? 3 : 2;
    return fp_fz_input(c, esz, a) || (nops > 1 && fp_fz_input(c, esz, b)) ||
           (nops > 2 && fp_fz_input(c, esz, d));
}

/* Off the hot path: FZ with no input to flush gives the same big normal results. */
static inline bool fp_fz_normal(const struct cpu *c, enum fp_op op, unsigned esz, uint64_t a,
                                uint64_t b, uint64_t d, uint64_t r)
{
    return (c->fpcr & (FPCR_RMODE | FPCR_FZ)) == FPCR_FZ && fp_is_big_normal(esz, r) &&
           !fp_fz_inputs(c, op, esz, a, b, d);
}

/* Off the hot path: other results that need nothing of the slow path, exact and raising no flag
 * (in round to nearest, with no input to flush). */
static inline bool fp_arith_exact(const struct cpu *c, enum fp_op op, unsigned esz, uint64_t a,
                                  uint64_t b, uint64_t d, uint64_t r)
{
    if ((c->fpcr & FPCR_RMODE) || fp_fz_inputs(c, op, esz, a, b, d))
        return false;
    switch (op) {
    /* A sum of magnitude at most the smallest normal is a multiple of the smallest denormal that
     * fits the significand, so exact; a denormal one is flushed under FZ. */
    case FOP_ADD:
    case FOP_SUB:
        return fp_abs(esz, r) <= fp_min_normal(esz) &&
               !((c->fpcr & FPCR_FZ) && fp_is_denormal(esz, r));
    /* Products and quotients that are exactly zero. */
    case FOP_MUL:
    case FOP_MULX: return fp_is_zero(esz, r) && (fp_is_zero(esz, a) || fp_is_zero(esz, b));
    case FOP_DIV: return fp_is_zero(esz, r) && (fp_is_zero(esz, a) || fp_is_inf(esz, b));
    /* sqrt(+-0) and sqrt(+inf). */
    case FOP_SQRT: return fp_is_zero(esz, r) || fp_is_inf(esz, r);
    /* A zero sum of an exact product (0 + 0 * x, x - y * z). */
    case FOP_FMA: return fp_is_zero(esz, r) && fp_exactness(op, esz, a, b, d, r) == FP_EXACT;
    default: return false;
    }
}

/* The hot check of fp_arith, whether the host computed r as Arm would: the default FPCR modes, a
 * result that raised no flag other than IXC -- a normal number, or for a sum any finite one (a tiny
 * or zero sum is exact) -- and FPSR.IXC set, so that an inexact result changes no flag either. It
 * tests r's exponent field against c->fp_mask (a64.h): the field less its lowest bit while the
 * modes are the defaults and IXC is set, else zero. Some but not all of those bits set is a normal
 * number outside the lowest and the highest binade (fp_test_a); not all of them set, a finite
 * number outside the highest one (fp_test_nc, for sums); a zero mask fails both. What the test
 * leaves out (the lowest binade, where a result can round up from a tiny one, and the highest)
 * the cold path decides. The tests are host helpers defined for the host CPU (emit/fp_tests.c;
 * sem/fp_tests.c for the interpreter): on SSE4.1 one PTEST of the register the result is in, where
 * a compare in general registers cost a copy out of it, a shift, an or, a compare and a branch per
 * operation, and kept the results' bits in general registers. With fp_vset's writes in SSE
 * registers too, nbody's inner loop (20 guest instructions) went from 134 host instructions to
 * 95, and callgrind counts of nbody, matmul and fft fell by 23-27%. The mask changes only on slow
 * paths, so in a loop LLVM keeps it in a register. m has r's lane 0 and zeros elsewhere. */
__attribute__((const, nothrow)) bool fp_test_a_d(double r, v2u64 m);
__attribute__((const, nothrow)) bool fp_test_nc_d(double r, v2u64 m);
__attribute__((const, nothrow)) bool fp_test_a_s(float r, v2u64 m);
__attribute__((const, nothrow)) bool fp_test_nc_s(float r, v2u64 m);

static inline bool fp_sum(enum fp_op op)
{
    return op == FOP_ADD || op == FOP_SUB;
}
static inline bool fp_fast_d(const struct cpu *c, enum fp_op op, double r)
{
    return fp_sum(op) ? fp_test_nc_d(r, c->fp_mask[0]) : fp_test_a_d(r, c->fp_mask[0]);
}
static inline bool fp_fast_s(const struct cpu *c, enum fp_op op, float r)
{
    return fp_sum(op) ? fp_test_nc_s(r, c->fp_mask[1]) : fp_test_a_s(r, c->fp_mask[1]);
}

/* fp_arith when the hot check fails: the result and the FPSR flags it raises, for the other modes
 * and results (fp_ops.h's comment). */
static inline struct fp_res fp_arith_cold(const struct cpu *c, enum fp_op op, unsigned esz,
                                          uint64_t a, uint64_t b, uint64_t d, uint64_t r)
{
    if ((fp_env_default(c) && fp_is_big_normal(esz, r)) || fp_fz_normal(c, op, esz, a, b, d, r)) {
        /* Here IXC is clear, FZ set, the mask not yet resynchronized after an operation
         * without a fast path set IXC, or r in a binade the hot test leaves out: the exactness
         * test is right in each case. */
        enum fp_exactness e = fp_exactness(op, esz, a, b, d, r);
        if (e != FP_UNKNOWN)
            return (struct fp_res){fp_d(r), e == FP_INEXACT ? FPSR_IXC : 0};
    } else if (fp_arith_exact(c, op, esz, a, b, d, r))
        return (struct fp_res){fp_d(r), 0};
    return fp_slow_impl((uint32_t)op | esz << 8, c->fpcr, fp_d(a), fp_d(b), fp_d(d));
}

/* Arithmetic on single or double operands. The result is merged as a host float or double, so
 * that LLVM can keep it in an SSE register. */
static inline uint64_t fp_arith(struct cpu *c, enum fp_op op, unsigned esz, uint64_t a, uint64_t b,
                                uint64_t d)
{
    if (esz == 3) {
        double r = fp_host_d(op, fp_d(a), fp_d(b), fp_d(d));
        if (unlikely(!fp_fast_d(c, op, r))) {
            struct fp_res x = fp_arith_cold(c, op, esz, a, b, d, fp_bits_d(r));
            fp_raise(c, x.flags);
            r = x.val;
        }
        return fp_bits_d(r);
    }
    float r = fp_host_s(op, fp_s(a), fp_s(b), fp_s(d));
    if (unlikely(!fp_fast_s(c, op, r))) {
        struct fp_res x = fp_arith_cold(c, op, esz, a, b, d, fp_bits_s(r));
        fp_raise(c, x.flags);
        float lo[2];
        memcpy(lo, &x.val, sizeof lo); /* the low half, without leaving the SSE register */
        r = lo[0];
    }
    return fp_bits_s(r);
}

/* FPMax, FPMin, FPMaxNum, FPMinNum (exact: no rounding, so no IXC requirement). Equal operands
 * are identical bit patterns except for zeros, where max takes +0 and min -0. NaNs compare
 * unordered and go slow. */
static inline bool fp_lt(unsigned esz, uint64_t a, uint64_t b)
{
    return esz == 3 ? fp_d(a) < fp_d(b) : fp_s(a) < fp_s(b);
}
static inline bool fp_eq(unsigned esz, uint64_t a, uint64_t b)
{
    return esz == 3 ? fp_d(a) == fp_d(b) : fp_s(a) == fp_s(b);
}
static inline uint64_t fp_minmax(struct cpu *c, enum fp_op op, unsigned esz, uint64_t a, uint64_t b)
{
    bool max = op == FOP_MAX || op == FOP_MAXNM;
    if (likely(!fp_fz_input(c, esz, a) && !fp_fz_input(c, esz, b))) {
        if (fp_lt(esz, a, b))
            return max ? b : a;
        if (fp_lt(esz, b, a))
            return max ? a : b;
        if (fp_eq(esz, a, b))
            return max ? a & b : a | b;
    }
    return fp_slow(c, op, esz, 0, a, b, 0);
}

/* FPCompare: NZCV 0110 equal, 1000 less, 0010 greater, 0011 unordered. IOC for a signalling NaN,
 * or any NaN when `signal_all` (FCMPE, FCCMPE). */
static inline uint64_t fp_flush_input(struct cpu *c, unsigned esz, uint64_t x)
{
    if (fp_fz_input(c, esz, x)) {
        c->fpsr |= FPSR_IDC;
        return x & fp_signbit(esz);
    }
    return x;
}
static inline unsigned fp_compare(struct cpu *c, unsigned esz, uint64_t a, uint64_t b,
                                  bool signal_all)
{
    if (unlikely(c->fpcr & FPCR_FZ)) {
        a = fp_flush_input(c, esz, a);
        b = fp_flush_input(c, esz, b);
    }
    /* Each flag as its own condition, without branches: N less, Z equal, C not less (greater,
     * equal or unordered), V unordered; the host compares twice (less is the swapped compare). */
    bool lt = fp_lt(esz, a, b), eq = fp_eq(esz, a, b);
    bool un = esz == 3 ? __builtin_isunordered(fp_d(a), fp_d(b))
                       : __builtin_isunordered(fp_s(a), fp_s(b));
    if (unlikely(un) && (signal_all || fp_is_snan(esz, a) || fp_is_snan(esz, b)))
        c->fpsr |= FPSR_IOC;
    return (unsigned)lt << 3 | (unsigned)eq << 2 | (unsigned)!lt << 1 | (unsigned)un;
}

/* ---- conversions and rounding to integral ---- */

/* Round the double v (holding a single or double value) to an integral value; exact host
 * operations, independent of the host rounding mode. */
static inline double fp_round_with(unsigned rounding, double v)
{
    switch (rounding) {
    case FPR_TIEEVEN: return __builtin_roundeven(v);
    case FPR_POSINF: return __builtin_ceil(v);
    case FPR_NEGINF: return __builtin_floor(v);
    case FPR_ZERO: return __builtin_trunc(v);
    default: return __builtin_round(v);
    }
}

/* FRINT*: FPRoundInt with `rounding`, signalling IXC when `exact` (FRINTX). */
static inline uint64_t fp_round_int(struct cpu *c, unsigned esz, uint64_t x, unsigned rounding,
                                    bool exact)
{
    if (unlikely(fp_is_nan(esz, x) || fp_fz_input(c, esz, x)))
        return fp_slow(c, FOP_RINT, esz, rounding | (exact ? 8 : 0), x, 0, 0);
    double v = fp_wide(esz, x), r = fp_round_with(rounding, v);
    if (exact && r != v)
        c->fpsr |= FPSR_IXC;
    return esz == 3 ? fp_bits_d(r) : fp_bits_s((float)r);
}

/* FPToFixed: the single or double x times 2^fbits, rounded, to a signed or unsigned integer of
 * `ibits` bits, saturating with IOC (NaN gives 0); IXC when inexact and in range. */
static inline double fp_pow2(unsigned n)
{
    return fp_d((uint64_t)(1023 + n) << 52);
}
static inline uint64_t fp_to_fixed(struct cpu *c, unsigned esz, uint64_t x, unsigned fbits,
                                   bool is_unsigned, unsigned ibits, unsigned rounding)
{
    double v = fp_wide(esz, x);
    if (unlikely(fp_fz_input(c, esz, x))) {
        c->fpsr |= FPSR_IDC;
        v = 0;
    }
    if (fbits)
        v *= fp_pow2(fbits); /* exact, or infinite and so out of range */
    double r = fp_round_with(rounding, v);
    double lo = is_unsigned ? 0 : -fp_pow2(ibits - 1), hi = fp_pow2(ibits - !is_unsigned);
    if (likely(r >= lo && r < hi)) {
        if (r != v)
            c->fpsr |= FPSR_IXC;
        return is_unsigned ? (uint64_t)r : (uint64_t)(int64_t)r;
    }
    c->fpsr |= FPSR_IOC;
    if (v != v)
        return 0;
    if (r < lo)
        return is_unsigned ? 0 : (uint64_t)(int64_t)lo;
    return is_unsigned ? ~0ull >> (64 - ibits) : (~0ull >> (65 - ibits));
}

/* FixedToFP: the integer x (ibits wide, signed or not) divided by 2^fbits, rounded to single or
 * double with FPCR's rounding mode. */
static inline uint64_t fp_from_fixed(struct cpu *c, unsigned esz, uint64_t x, bool is_unsigned,
                                     unsigned ibits, unsigned fbits)
{
    if (ibits == 32)
        x = is_unsigned ? (uint32_t)x : sext(x, 32);
    /* Exact when the magnitude's significant bits, from its highest to its lowest set bit, fit
     * the significand (the scaling by 2^-fbits is exact). */
    uint64_t mag = is_unsigned || (int64_t)x >= 0 ? x : -x;
    bool exact = (mag >> __builtin_ctzll(mag | 1ull << 63)) >> (fp_fbits(esz) + 1) == 0;
    if (likely(!(c->fpcr & FPCR_RMODE))) {
        if (unlikely(!exact && !(c->fpsr & FPSR_IXC)))
            c->fpsr |= FPSR_IXC;
        double scale = fbits ? 1 / fp_pow2(fbits) : 1;
        if (esz == 3) {
            double r = is_unsigned ? (double)x : (double)(int64_t)x;
            return fp_bits_d(r * scale);
        }
        float r = is_unsigned ? (float)x : (float)(int64_t)x;
        return fp_bits_s((float)(r * scale));
    }
    return fp_slow(c, FOP_FROMINT, esz,
                   fbits | (ibits == 64 ? 0x80 : 0) | (is_unsigned ? 0x100 : 0), x, 0, 0);
}

/* FPConvert between half, single and double (FCVT); AHP, DN, FZ and rounding in the slow path. */
static inline uint64_t fp_convert(struct cpu *c, unsigned from, unsigned to, uint64_t x)
{
    if (from == 2 && to == 3 && likely(!fp_is_nan(2, x) && !fp_fz_input(c, 2, x)))
        return fp_bits_d(fp_s(x));
    if (from == 3 && to == 2) {
        uint64_t r = fp_bits_s((float)fp_d(x));
        if (likely(fp_env_default(c) && (fp_is_big_normal(2, r) || fp_is_zero(3, x)))) {
            if (unlikely(!(c->fpsr & FPSR_IXC) && fp_s(r) != fp_d(x)))
                c->fpsr |= FPSR_IXC;
            return r;
        }
    }
    return fp_slow(c, FOP_CVT, from, to, x, 0, 0);
}

#endif
