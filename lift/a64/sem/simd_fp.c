/*
 * AdvSIMD floating point, vector (asimd*) and scalar (asisd*) forms, single and double precision:
 * lane-wise arithmetic, min/max, comparisons, pairwise and across-lanes reductions, by-element
 * forms, conversions, rounding, estimates and FMOV (vector, immediate).
 *
 * Arithmetic, min/max and comparisons run as host vector operations (GCC vector extensions) with
 * the scalar fast-path rule applied to every active lane at once (fp_ops.h); when a lane needs
 * the Arm rules the whole operation is redone lane by lane out of line (fp_slow_vec). Inactive
 * lanes (the upper half of a 64-bit vector, everything above a scalar) are zeroed before the host
 * operation, so stale register contents can neither fail the check nor slow the host down.
 * Conversions and rounding work lane by lane through the scalar helpers.
 */
#include "fp_ops.h"

/* Lane loops run to the largest lane count (4) with the actual count as a condition: clang must
 * unroll them when it compiles the semantics to bitcode, as the lifter runs no loop passes, and
 * the conditions fold once the instruction word is constant. */
#ifdef __clang__
#define UNROLL _Pragma("clang loop unroll(full)")
#else
#define UNROLL
#endif

/* ---- fields and registers ---- */

/* Scalar (asisd*) encodings have bit 28 set where the vector (asimd*) ones have it clear. */
static bool is_scalar(uint32_t w)
{
    return bit(w, 28);
}
/* sz (bit 22): single or double lanes. */
static unsigned sz_esz(uint32_t w)
{
    return bit(w, 22) ? 3 : 2;
}
/* Active lanes: one for a scalar, else a 64- or 128-bit vector (Q). */
static unsigned nlanes(uint32_t w, unsigned esz)
{
    return is_scalar(w) ? 1 : (bit(w, 30) ? 16u : 8u) >> esz;
}

static uint64_t lane(v2u64 x, unsigned esz, unsigned i)
{
    union vreg v = {.v2d = x};
    switch (esz) {
    case 3: return v.d[i];
    case 2: return v.s[i];
    default: return v.h[i];
    }
}
static void set_lane(v2u64 *r, unsigned esz, unsigned i, uint64_t x)
{
    union vreg v = {.v2d = *r};
    switch (esz) {
    case 3: v.d[i] = x; break;
    case 2: v.s[i] = (uint32_t)x; break;
    default: v.h[i] = (uint16_t)x; break;
    }
    *r = v.v2d;
}

/* All ones in the low `bytes` bytes (8 or 16 here, or one element). */
static v2u64 keep_mask(unsigned bytes)
{
    return (v2u64){bytes >= 8 ? ~0ull : (1ull << 8 * bytes) - 1, bytes >= 16 ? ~0ull : 0};
}
/* A result of `lanes` elements; the rest of the register is cleared. */
static void vfp_set(struct cpu *c, unsigned d, v2u64 r, unsigned esz, unsigned lanes)
{
    c->vr[d].v2d = r & keep_mask(lanes << esz);
}
static v2u64 vreg_get(const struct cpu *c, unsigned n)
{
    return c->vr[n].v2d;
}
/* Every lane holds x. */
static v2u64 splat(unsigned esz, uint64_t x)
{
    return esz == 3 ? (v2u64){x, x} : (v2u64){x | x << 32, x | x << 32};
}
static v2u64 sign_mask(unsigned esz)
{
    return splat(esz, fp_signbit(esz));
}

/* ---- lane-wise operations with a host vector fast path ---- */

#ifdef __clang__
#define VFMA(x, y, z) __builtin_elementwise_fma(x, y, z)
#define VSQRT(x)      __builtin_elementwise_sqrt(x)
#else
static v4f32 vfma_s(v4f32 x, v4f32 y, v4f32 z)
{
    for (int i = 0; i < 4; i++)
        x[i] = __builtin_fmaf(x[i], y[i], z[i]);
    return x;
}
static v2f64 vfma_d(v2f64 x, v2f64 y, v2f64 z)
{
    for (int i = 0; i < 2; i++)
        x[i] = __builtin_fma(x[i], y[i], z[i]);
    return x;
}
static v4f32 vsqrt_s(v4f32 x)
{
    for (int i = 0; i < 4; i++)
        x[i] = __builtin_sqrtf(x[i]);
    return x;
}
static v2f64 vsqrt_d(v2f64 x)
{
    for (int i = 0; i < 2; i++)
        x[i] = __builtin_sqrt(x[i]);
    return x;
}
#define VFMA(x, y, z) _Generic((x), v4f32 : vfma_s, v2f64 : vfma_d)(x, y, z)
#define VSQRT(x)      _Generic((x), v4f32 : vsqrt_s, v2f64 : vsqrt_d)(x)
#endif

#define DEFINE_VHOST(T, E, suffix)                                                                 \
    static T vhost_##suffix(enum fp_op op, T x, T y, T z)                                          \
    {                                                                                              \
        T zero = {0};                                                                              \
        switch (op) {                                                                              \
        case FOP_ADD: return x + y;                                                                \
        case FOP_SUB: return x - y;                                                                \
        case FOP_MUL:                                                                              \
        case FOP_MULX: return x * y;                                                               \
        case FOP_DIV: return x / y;                                                                \
        case FOP_FMA: return VFMA(y, z, x);                                                        \
        case FOP_SQRT: return VSQRT(x);                                                            \
        case FOP_RECPS: return VFMA(-x, y, zero + (E)2);                                           \
        default: return VFMA(-x, y, zero + (E)3) * (E)0.5;                                         \
        }                                                                                          \
    }
DEFINE_VHOST(v4f32, float, s)
DEFINE_VHOST(v2f64, double, d)
#undef DEFINE_VHOST

/* Which lanes of the result r of a op b need nothing of the slow path, given the default
 * modes with FPSR.IXC set (fp_arith, vectorized). T is the unsigned lane type, M the mask type. */
#define DEFINE_LANES_OK(T, M, E, suffix)                                                           \
    static M lanes_ok_##suffix(enum fp_op op, T a, T b, T r)                                       \
    {                                                                                              \
        const E sign = (E)1 << (8 * sizeof(E) - 1), min = (E)1 << (sizeof(E) == 8 ? 52 : 23),      \
                inf = sizeof(E) == 8 ? 0x7ff0000000000000ull : 0x7f800000u;                        \
        T ra = r & ~sign, aa = a & ~sign, ba = b & ~sign;                                          \
        M big = ra - (min + 1) < inf - min - 1;                                                    \
        switch (op) {                                                                              \
        case FOP_ADD:                                                                              \
        case FOP_SUB: return ra < inf;                                                             \
        case FOP_MUL:                                                                              \
        case FOP_MULX: return big | ((ra == 0) & ((aa == 0) | (ba == 0)));                         \
        case FOP_DIV: return big | ((ra == 0) & ((aa == 0) | (ba == inf)));                        \
        case FOP_SQRT: return ra <= inf;                                                           \
        default: return big;                                                                       \
        }                                                                                          \
    }
DEFINE_LANES_OK(v4u32, v4s32, uint32_t, s)
DEFINE_LANES_OK(v2u64, v2s64, uint64_t, d)
#undef DEFINE_LANES_OK

/* For the lanes lanes_ok accepts, and an FMA's zero lanes: which are inexact, and in *known which
 * lanes' exactness is known -- fp_exactness (fp_ops.h) on every lane, plus the exact zero and
 * infinite results lanes_ok lets through (for an FMA, *known is whether the product is exact).
 * F is the lane vector type, U its unsigned view, M the mask type. */
#define DEFINE_LANES_INEXACT(F, U, M, E, suffix, TINY, INF)                                        \
    static M lanes_inexact_##suffix(enum fp_op op, F a, F b, F d, F r, M *known)                   \
    {                                                                                              \
        const U magnitude = (U){0} + (((E)1 << (8 * sizeof(E) - 1)) - 1);                          \
        F zero = {0}, p = b * d, e;                                                                \
        *known = ~(M){0};                                                                          \
        switch (op) {                                                                              \
        case FOP_ADD: return ~(M)((r - a == b) & (r - b == a));                                    \
        case FOP_SUB: return ~(M)((r - a == -b) & (r + b == a));                                   \
        case FOP_MUL:                                                                              \
        case FOP_MULX:                                                                             \
            *known = (M)((F)((U)r & magnitude) >= TINY) | (M)(r == zero);                          \
            return (M)(VFMA(a, b, -r) != zero);                                                    \
        case FOP_DIV:                                                                              \
            *known = (M)((F)((U)a & magnitude) >= TINY) | (M)(r == zero);                          \
            return (M)(VFMA(r, b, -a) != zero) & (M)(r != zero);                                   \
        case FOP_SQRT:                                                                             \
            /* a is +-0, +inf or positive. */                                                      \
            *known = (M)(a >= TINY) | (M)(a == zero);                                              \
            return (M)(VFMA(r, r, -a) != zero) & (M)(a < INF);                                     \
        case FOP_FMA:                                                                              \
            e = VFMA(b, d, -p);                                                                    \
            *known = (M)(e == zero) &                                                              \
                     ((M)((F)((U)p & magnitude) >= TINY) | (M)(b == zero) | (M)(d == zero));       \
            return ~(M)((r - a == p) & (r - p == a));                                              \
        default: *known = (M){0}; return (M){0};                                                   \
        }                                                                                          \
    }
DEFINE_LANES_INEXACT(v4f32, v4u32, v4s32, uint32_t, s, 0x1p-78f, __builtin_inff())
DEFINE_LANES_INEXACT(v2f64, v2u64, v2s64, uint64_t, d, 0x1p-916, __builtin_inf())
#undef DEFINE_LANES_INEXACT

/* The active lanes as a mask, and whether a lane mask holds in every active lane. */
static v4s32 active_s(unsigned lanes)
{
    return (v4s32){-1, lanes > 1 ? -1 : 0, lanes > 2 ? -1 : 0, lanes > 3 ? -1 : 0};
}
static v2s64 active_d(unsigned lanes)
{
    return (v2s64){-1, lanes > 1 ? -1 : 0};
}
static bool all_s(v4s32 ok, unsigned lanes)
{
    v4s32 bad = ~ok & active_s(lanes);
    return (bad[0] | bad[1] | bad[2] | bad[3]) == 0;
}
static bool all_d(v2s64 ok, unsigned lanes)
{
    v2s64 bad = ~ok & active_d(lanes);
    return (bad[0] | bad[1]) == 0;
}
/* Clear the inactive lanes. */
static v2u64 active_only(v2u64 v, unsigned esz, unsigned lanes)
{
    return v & keep_mask(lanes << esz);
}

/* Off the hot path, in the default modes: whether the host result r stands in every active lane
 * -- one lanes_ok accepts whose exactness is known, or an FMA's zero result of an exact product
 * (fp_arith_exact) -- setting IXC if an active lane is inexact. FPSR.IXC is not consulted (the hot
 * path has tested it; a second use would cost that test a register): a lane of unknown exactness
 * goes slow even when IXC is set, which needs a tiny operand or an inexact FMA product next to a
 * lane the hot check rejects. */
static bool settle(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes, v2u64 a, v2u64 b,
                   v2u64 d, v2u64 r)
{
    bool ok, exact;
    if (esz == 3) {
        v2s64 k, x = lanes_inexact_d(op, (v2f64)a, (v2f64)b, (v2f64)d, (v2f64)r, &k);
        v2s64 zero = op == FOP_FMA ? (v2s64)((v2f64)r == (v2f64){0}) : (v2s64){0};
        ok = all_d((lanes_ok_d(op, a, b, r) | zero) & k, lanes);
        exact = all_d(~x, lanes);
    } else {
        v4f32 r4 = (v4f32)r;
        v4s32 k, x = lanes_inexact_s(op, (v4f32)a, (v4f32)b, (v4f32)d, r4, &k);
        v4s32 zero = op == FOP_FMA ? (v4s32)(r4 == (v4f32){0}) : (v4s32){0};
        ok = all_s((lanes_ok_s(op, (v4u32)a, (v4u32)b, (v4u32)r) | zero) & k, lanes);
        exact = all_s(~x, lanes);
    }
    if (ok && !exact)
        fp_raise(c, FPSR_IXC);
    return ok;
}

/* Whether no active lane of the mask m is set: one vector test against a constant. */
static bool none_active(v2u64 m, unsigned esz, unsigned lanes)
{
    m = active_only(m, esz, lanes);
    return (m[0] | m[1]) == 0;
}

/* FOP_ADD .. FOP_RSQRTS on `lanes` lanes. The hot check is fp_arith's on every active lane at
 * once: the lanes lanes_ok rejects, or'ed with fp_gate, is one test. */
static v2u64 vfp_arith(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes, v2u64 a, v2u64 b,
                       v2u64 d)
{
    a = active_only(a, esz, lanes);
    b = active_only(b, esz, lanes);
    d = active_only(d, esz, lanes);
    v2u64 r, bad = (v2u64){0, 0} + c->fp_gate;
    if (esz == 3) {
        r = (v2u64)vhost_d(op, (v2f64)a, (v2f64)b, (v2f64)d);
        bad |= (v2u64)~lanes_ok_d(op, a, b, r);
    } else {
        v4u32 r4 = (v4u32)vhost_s(op, (v4f32)a, (v4f32)b, (v4f32)d);
        bad |= (v2u64)~lanes_ok_s(op, (v4u32)a, (v4u32)b, r4);
        r = (v2u64)r4;
    }
    if (likely(none_active(bad, esz, lanes)))
        return active_only(r, esz, lanes);
    if (fp_env_default(c) && settle(c, op, esz, lanes, a, b, d, r))
        return active_only(r, esz, lanes);
    return fp_slow_vec(c, op, esz, lanes, 0, a, b, d);
}

/* FPMax, FPMin, FPMaxNum, FPMinNum: exact, so only NaNs and FZ go slow. Ordered lanes are
 * less, greater or equal; equal operands differ only for zeros, where max takes +0 and min -0. */
static v2u64 vfp_minmax(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes, v2u64 a,
                        v2u64 b)
{
    a = active_only(a, esz, lanes);
    b = active_only(b, esz, lanes);
    bool max = op == FOP_MAX || op == FOP_MAXNM;
    if (likely(!(c->fpcr & FPCR_FZ))) {
        v2u64 lt, gt, eq;
        bool ordered;
        if (esz == 3) {
            v2f64 x = (v2f64)a, y = (v2f64)b;
            lt = (v2u64)(x < y), gt = (v2u64)(x > y), eq = (v2u64)(x == y);
            ordered = all_d((v2s64)(lt | gt | eq), lanes);
        } else {
            v4f32 x = (v4f32)a, y = (v4f32)b;
            lt = (v2u64)(x < y), gt = (v2u64)(x > y), eq = (v2u64)(x == y);
            ordered = all_s((v4s32)(lt | gt | eq), lanes);
        }
        if (ordered) {
            v2u64 r =
                max ? (lt & b) | (gt & a) | (eq & a & b) : (lt & a) | (gt & b) | (eq & (a | b));
            return active_only(r, esz, lanes);
        }
    }
    return fp_slow_vec(c, op, esz, lanes, 0, a, b, a);
}

/* FPCompareEQ/GE/GT, and on absolute values for FACGE/FACGT: all ones or zero per lane. NaNs
 * (IOC) and FZ go slow. */
static v2u64 vfp_compare(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes, v2u64 a,
                         v2u64 b)
{
    a = active_only(a, esz, lanes);
    b = active_only(b, esz, lanes);
    if (likely(!(c->fpcr & FPCR_FZ))) {
        v2u64 x = a, y = b, r;
        if (op == FOP_ACGE || op == FOP_ACGT) {
            x &= ~sign_mask(esz);
            y &= ~sign_mask(esz);
        }
        bool ordered;
        if (esz == 3) {
            v2f64 p = (v2f64)x, q = (v2f64)y;
            r = (v2u64)(op == FOP_CMEQ                     ? p == q
                        : op == FOP_CMGT || op == FOP_ACGT ? p > q
                                                           : p >= q);
            ordered = all_d((p == p) & (q == q), lanes);
        } else {
            v4f32 p = (v4f32)x, q = (v4f32)y;
            r = (v2u64)(op == FOP_CMEQ                     ? p == q
                        : op == FOP_CMGT || op == FOP_ACGT ? p > q
                                                           : p >= q);
            ordered = all_s((p == p) & (q == q), lanes);
        }
        if (ordered)
            return active_only(r, esz, lanes);
    }
    return fp_slow_vec(c, op, esz, lanes, 0, a, b, a);
}

/* Any lane-wise two-operand operation. */
static v2u64 vfp_op2(struct cpu *c, enum fp_op op, unsigned esz, unsigned lanes, v2u64 a, v2u64 b)
{
    switch (op) {
    case FOP_MAX:
    case FOP_MIN:
    case FOP_MAXNM:
    case FOP_MINNM: return vfp_minmax(c, op, esz, lanes, a, b);
    case FOP_CMEQ:
    case FOP_CMGE:
    case FOP_CMGT:
    case FOP_ACGE:
    case FOP_ACGT: return vfp_compare(c, op, esz, lanes, a, b);
    default: return vfp_arith(c, op, esz, lanes, a, b, a);
    }
}

/* The pairs of the concatenation Vm:Vn (Vn's lanes first): element 2i of it in lane i of *even,
 * element 2i+1 in *odd. */
static void unzip(v2u64 n, v2u64 m, unsigned esz, unsigned lanes, v2u64 *even, v2u64 *odd)
{
    v2u64 e = {0}, o = {0};
    UNROLL
    for (unsigned i = 0; i < 4; i++) {
        unsigned k = 2 * i;
        if (i < lanes) {
            set_lane(&e, esz, i, k < lanes ? lane(n, esz, k) : lane(m, esz, k - lanes));
            set_lane(&o, esz, i, k + 1 < lanes ? lane(n, esz, k + 1) : lane(m, esz, k + 1 - lanes));
        }
    }
    *even = e;
    *odd = o;
}

/* ---- three registers of the same type ---- */

/* FADD, FSUB, FMUL, FDIV, FMULX, FMLA, FMLS, FABD, FMAX*, FMIN*, FRECPS, FRSQRTS, FCMEQ, FCMGE,
 * FCMGT, FACGE, FACGT, and the pairwise FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP; vector and scalar
 * (U, a = bit 23, opcode = bits 15:11). */
SEM(vfp_same)
{
    uint32_t w = in->word;
    unsigned esz = sz_esz(w), lanes = nlanes(w, esz);
    v2u64 n = vreg_get(c, rn(in)), m = vreg_get(c, rm(in)), r;
    enum fp_op op;
    bool pairwise = false;
    switch (bit(w, 29) << 6 | bit(w, 23) << 5 | bits(w, 15, 11)) {
    case 0x18: op = FOP_MAXNM; break;
    case 0x38: op = FOP_MINNM; break;
    case 0x19:
    case 0x39: {
        /* FMLA, FMLS: FPMulAdd(Vd, Vn, Vm), FMLS negating Vn. */
        if (bit(w, 23))
            n ^= sign_mask(esz);
        vfp_set(c, rd(in), vfp_arith(c, FOP_FMA, esz, lanes, vreg_get(c, rd(in)), n, m), esz,
                lanes);
        return;
    }
    case 0x1a: op = FOP_ADD; break;
    case 0x3a: op = FOP_SUB; break;
    case 0x1b: op = FOP_MULX; break;
    case 0x1c: op = FOP_CMEQ; break;
    case 0x1e: op = FOP_MAX; break;
    case 0x3e: op = FOP_MIN; break;
    case 0x1f: op = FOP_RECPS; break;
    case 0x3f: op = FOP_RSQRTS; break;
    case 0x58: op = FOP_MAXNM, pairwise = true; break;
    case 0x78: op = FOP_MINNM, pairwise = true; break;
    case 0x5a: op = FOP_ADD, pairwise = true; break;
    case 0x7a: {
        /* FABD: FPAbs(FPSub()), the sign of a NaN result cleared too. */
        r = vfp_arith(c, FOP_SUB, esz, lanes, n, m, n);
        r &= ~sign_mask(esz);
        vfp_set(c, rd(in), r, esz, lanes);
        return;
    }
    case 0x5b: op = FOP_MUL; break;
    case 0x5c: op = FOP_CMGE; break;
    case 0x7c: op = FOP_CMGT; break;
    case 0x5d: op = FOP_ACGE; break;
    case 0x7d: op = FOP_ACGT; break;
    case 0x5e: op = FOP_MAX, pairwise = true; break;
    case 0x7e: op = FOP_MIN, pairwise = true; break;
    default: op = FOP_DIV; break;
    }
    if (pairwise)
        unzip(vreg_get(c, rn(in)), vreg_get(c, rm(in)), esz, lanes, &n, &m);
    vfp_set(c, rd(in), vfp_op2(c, op, esz, lanes, n, m), esz, lanes);
}

/* FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (scalar): the two lanes of Vn (sz = bit 22; bit 23
 * selects min). */
SEM(vfp_pair)
{
    uint32_t w = in->word;
    unsigned esz = sz_esz(w);
    v2u64 v = vreg_get(c, rn(in)), a = {0}, b = {0};
    set_lane(&a, esz, 0, lane(v, esz, 0));
    set_lane(&b, esz, 0, lane(v, esz, 1));
    enum fp_op op;
    switch (bits(w, 16, 12)) {
    case 0x0c: op = bit(w, 23) ? FOP_MINNM : FOP_MAXNM; break;
    case 0x0d: op = FOP_ADD; break;
    default: op = bit(w, 23) ? FOP_MIN : FOP_MAX; break;
    }
    vfp_set(c, rd(in), vfp_op2(c, op, esz, 1, a, b), esz, 1);
}

/* FMAXV, FMINV, FMAXNMV, FMINNMV (4S): Reduce() halves recursively, op(op(e0, e1), op(e2, e3)). */
SEM(vfp_across)
{
    uint32_t w = in->word;
    enum fp_op op = bits(w, 16, 12) == 0x0c ? (bit(w, 23) ? FOP_MINNM : FOP_MAXNM)
                                            : (bit(w, 23) ? FOP_MIN : FOP_MAX);
    v4u32 v = (v4u32)vreg_get(c, rn(in));
    v2u64 e = (v2u64)(v4u32){v[0], v[2], 0, 0}, o = (v2u64)(v4u32){v[1], v[3], 0, 0}, lo = {0},
          hi = {0};
    v2u64 pairs = vfp_minmax(c, op, 2, 2, e, o);
    set_lane(&lo, 2, 0, lane(pairs, 2, 0));
    set_lane(&hi, 2, 0, lane(pairs, 2, 1));
    vfp_set(c, rd(in), vfp_minmax(c, op, 2, 1, lo, hi), 2, 1);
}

/* FMLA, FMLS, FMUL, FMULX (by element), vector and scalar: Vm[index] against every lane of Vn;
 * index = H:L for singles, H for doubles; Vm is M:Rm (bits 20:16). */
SEM(vfp_elem)
{
    uint32_t w = in->word;
    unsigned esz = sz_esz(w), lanes = nlanes(w, esz);
    unsigned index = esz == 2 ? bit(w, 11) << 1 | bit(w, 21) : bit(w, 11);
    v2u64 n = vreg_get(c, rn(in)), m = splat(esz, lane(vreg_get(c, rm(in)), esz, index)), r;
    switch (bits(w, 15, 12)) {
    case 0x1: r = vfp_arith(c, FOP_FMA, esz, lanes, vreg_get(c, rd(in)), n, m); break;
    case 0x5:
        n ^= sign_mask(esz);
        r = vfp_arith(c, FOP_FMA, esz, lanes, vreg_get(c, rd(in)), n, m);
        break;
    default: r = vfp_arith(c, bit(w, 29) ? FOP_MULX : FOP_MUL, esz, lanes, n, m, n); break;
    }
    vfp_set(c, rd(in), r, esz, lanes);
}

/* ---- one register: the two-register miscellaneous forms ---- */

/* FCVTN, FCVTXN (narrowing: Q=1 writes the upper half and keeps the lower) and FCVTL
 * (widening: Q=1 reads the upper half). sz (bit 22): double/single, else single/half. */
static void convert_narrow(struct cpu *c, const struct insn *in, bool odd)
{
    uint32_t w = in->word;
    unsigned from = bit(w, 22) ? 3 : 2, to = from - 1, lanes = 8u >> to, d = rd(in);
    v2u64 v = vreg_get(c, rn(in)), r = {0};
    if (is_scalar(w)) {
        set_lane(&r, to, 0, fp_slow(c, FOP_CVT, from, to | 4, lane(v, from, 0), 0, 0));
        vfp_set(c, d, r, to, 1);
        return;
    }
    UNROLL
    for (unsigned i = 0; i < 4; i++) {
        if (i < lanes) {
            uint64_t x = lane(v, from, i);
            set_lane(&r, to, i,
                     odd ? fp_slow(c, FOP_CVT, from, to | 4, x, 0, 0) : fp_convert(c, from, to, x));
        }
    }
    if (bit(w, 30))
        c->vr[d].d[1] = r[0];
    else
        vfp_set(c, d, r, 3, 1);
}
static void convert_long(struct cpu *c, const struct insn *in)
{
    uint32_t w = in->word;
    unsigned to = bit(w, 22) ? 3 : 2, from = to - 1, lanes = 16u >> to;
    v2u64 v = vreg_get(c, rn(in)), r = {0};
    unsigned base = bit(w, 30) ? lanes : 0;
    UNROLL
    for (unsigned i = 0; i < 4; i++)
        if (i < lanes)
            set_lane(&r, to, i, fp_convert(c, from, to, lane(v, from, base + i)));
    c->vr[rd(in)].v2d = r;
}

/* FCVT[NMAPZ][SU] (FPToFixed, rounding from the encoding), SCVTF, UCVTF (FixedToFP), lane by lane;
 * fbits for the fixed-point (shift) forms. */
static void to_int_lanes(struct cpu *c, const struct insn *in, unsigned esz, unsigned lanes,
                         bool is_unsigned, unsigned fbits, unsigned rounding)
{
    v2u64 v = vreg_get(c, rn(in)), r = {0};
    UNROLL
    for (unsigned i = 0; i < 4; i++)
        if (i < lanes)
            set_lane(&r, esz, i,
                     fp_to_fixed(c, esz, lane(v, esz, i), fbits, is_unsigned, 8u << esz, rounding));
    vfp_set(c, rd(in), r, esz, lanes);
}
static void from_int_lanes(struct cpu *c, const struct insn *in, unsigned esz, unsigned lanes,
                           bool is_unsigned, unsigned fbits)
{
    v2u64 v = vreg_get(c, rn(in)), r = {0};
    UNROLL
    for (unsigned i = 0; i < 4; i++)
        if (i < lanes)
            set_lane(&r, esz, i,
                     fp_from_fixed(c, esz, lane(v, esz, i), is_unsigned, 8u << esz, fbits));
    vfp_set(c, rd(in), r, esz, lanes);
}

/* FRINT*, lane by lane. */
static void round_lanes(struct cpu *c, const struct insn *in, unsigned esz, unsigned lanes,
                        unsigned rounding, bool exact)
{
    v2u64 v = vreg_get(c, rn(in)), r = {0};
    UNROLL
    for (unsigned i = 0; i < 4; i++)
        if (i < lanes)
            set_lane(&r, esz, i, fp_round_int(c, esz, lane(v, esz, i), rounding, exact));
    vfp_set(c, rd(in), r, esz, lanes);
}

/* U, a (bit 23) and opcode (bits 16:12) name the operation; the FCVT* and FRINT* rounding is
 * N, M, A from a = 0 and P, Z from a = 1. */
SEM(vfp_misc)
{
    uint32_t w = in->word;
    unsigned esz = sz_esz(w), lanes = nlanes(w, esz), d = rd(in);
    bool u = bit(w, 29), a = bit(w, 23);
    unsigned opcode = bits(w, 16, 12);
    v2u64 v = vreg_get(c, rn(in)), zero = {0}, r;
    unsigned fpcr_rounding = (c->fpcr & FPCR_RMODE) >> FPCR_RMODE_SHIFT;
    switch (opcode) {
    case 0x0c: /* FCMGT, FCMGE #0 */
        r = vfp_compare(c, u ? FOP_CMGE : FOP_CMGT, esz, lanes, v, zero);
        break;
    case 0x0d: /* FCMEQ, FCMLE #0 */
        r = u ? vfp_compare(c, FOP_CMGE, esz, lanes, zero, v)
              : vfp_compare(c, FOP_CMEQ, esz, lanes, v, zero);
        break;
    case 0x0e: /* FCMLT #0 */ r = vfp_compare(c, FOP_CMGT, esz, lanes, zero, v); break;
    case 0x0f: /* FABS, FNEG */ r = u ? v ^ sign_mask(esz) : v & ~sign_mask(esz); break;
    case 0x16: convert_narrow(c, in, u); return;
    case 0x17: convert_long(c, in); return;
    case 0x18:
    case 0x19: {
        /* FRINTN, M, P, Z, A, X, I */
        unsigned rounding = u   ? (opcode == 0x18 ? FPR_TIEAWAY : fpcr_rounding)
                            : a ? (opcode & 1 ? FPR_ZERO : FPR_POSINF)
                                : (opcode & 1 ? FPR_NEGINF : FPR_TIEEVEN);
        round_lanes(c, in, esz, lanes, rounding, u && !a && opcode == 0x19);
        return;
    }
    case 0x1a:
    case 0x1b:
    case 0x1c: {
        unsigned rounding = opcode == 0x1c ? FPR_TIEAWAY
                            : a            ? (opcode & 1 ? FPR_ZERO : FPR_POSINF)
                                           : (opcode & 1 ? FPR_NEGINF : FPR_TIEEVEN);
        to_int_lanes(c, in, esz, lanes, u, 0, rounding);
        return;
    }
    case 0x1d:
        if (!a) {
            from_int_lanes(c, in, esz, lanes, u, 0);
            return;
        }
        r = fp_slow_vec(c, u ? FOP_RSQRTE : FOP_RECPE, esz, lanes, 0, v, v, v);
        break;
    case 0x1f:
        if (u)
            r = vfp_arith(c, FOP_SQRT, esz, lanes, v, v, v);
        else
            r = fp_slow_vec(c, FOP_RECPX, esz, lanes, 0, v, v, v);
        break;
    default: return;
    }
    vfp_set(c, d, r, esz, lanes);
}

/* SCVTF, UCVTF, FCVTZS, FCVTZU (vector and scalar, fixed-point): immh<3> selects doubles, and
 * fbits = 2 * esize - immh:immb. */
SEM(vfp_fixed)
{
    uint32_t w = in->word;
    unsigned esz = bit(w, 22) ? 3 : 2, lanes = nlanes(w, esz);
    unsigned fbits = (16u << esz) - bits(w, 22, 16);
    if (bits(w, 15, 11) == 0x1c)
        from_int_lanes(c, in, esz, lanes, bit(w, 29), fbits);
    else
        to_int_lanes(c, in, esz, lanes, bit(w, 29), fbits, FPR_ZERO);
}

/* FMOV (vector, immediate): VFPExpandImm of a:b:c:d:e:f:g:h in every lane; op (bit 29) selects
 * doubles. */
SEM(vfp_imm)
{
    uint32_t w = in->word;
    unsigned esz = bit(w, 29) ? 3 : 2, E = fp_ebits(esz), F = fp_fbits(esz);
    unsigned imm8 = bits(w, 18, 16) << 5 | bits(w, 9, 5);
    uint64_t b6 = bit(imm8, 6);
    uint64_t exp = (b6 ^ 1) << (E - 1) | (b6 ? ((1ull << (E - 3)) - 1) << 2 : 0) | bits(imm8, 5, 4);
    uint64_t x = (uint64_t)bit(imm8, 7) << (fp_nbits(esz) - 1) | exp << F |
                 (uint64_t)bits(imm8, 3, 0) << (F - 4);
    vfp_set(c, rd(in), splat(esz, x), 3, bit(w, 30) ? 2 : 1);
}
