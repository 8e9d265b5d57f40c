/* Exclusive, ordered (acquire/release) and atomic (FEAT_LSE) accesses (C4.1.67).
 *
 * Guest atomics are host atomics, through the __atomic builtins. x86-64 is TSO: every host load
 * is already an acquire and every store a release, and locked instructions are full barriers.
 * The orders below keep the compiler from moving accesses across these instructions, and
 * provide the one ordering TSO lacks: Arm's acquire (LDAR, LDAXR, CASA, LD<op>A) is RCsc, so it
 * may not pass an earlier store-release (STLR, STLXR, ...). Hence:
 * - load-acquire (RCsc) and store-release are __ATOMIC_SEQ_CST (a plain load; an xchg store),
 * - LDAPR/LDAPUR (RCpc, FEAT_LRCPC) are __ATOMIC_ACQUIRE,
 * - read-modify-writes with acquire or release are __ATOMIC_SEQ_CST, the others __ATOMIC_RELAXED
 *   (a locked instruction either way).
 * The order is a constant in translated code; in the interpreter it is a variable, which GCC
 * treats as seq_cst and clang dispatches on -- correct either way.
 */
#include "sem.h"

#define SEQ     __ATOMIC_SEQ_CST
#define RELAXED __ATOMIC_RELAXED

/* Runs the statements (which return) with T the unsigned type of 1 << size bytes. */
#define SIZED(size, ...)                                                                           \
    switch (size) {                                                                                \
    case 0: {                                                                                      \
        typedef uint8_t T;                                                                         \
        __VA_ARGS__;                                                                               \
    }                                                                                              \
    case 1: {                                                                                      \
        typedef uint16_t T;                                                                        \
        __VA_ARGS__;                                                                               \
    }                                                                                              \
    case 2: {                                                                                      \
        typedef uint32_t T;                                                                        \
        __VA_ARGS__;                                                                               \
    }                                                                                              \
    default: {                                                                                     \
        typedef uint64_t T;                                                                        \
        __VA_ARGS__;                                                                               \
    }                                                                                              \
    }

static uint64_t ld_atomic(unsigned size, uint64_t va, int mo)
{
    SIZED(size, return __atomic_load_n((T *)gptr(va), mo))
}

static void st_atomic(unsigned size, uint64_t va, uint64_t v, int mo)
{
    SIZED(size, __atomic_store_n((T *)gptr(va), (T)v, mo); return )
}

/* Compare-and-swap of 1 << size bytes: true when memory held *expected (truncated to the size)
 * and now holds desired. *expected receives the value memory held, zero-extended. */
static bool cas_atomic(unsigned size, uint64_t va, uint64_t *expected, uint64_t desired, int mo)
{
    SIZED(size, T e = (T)*expected;
          bool ok = __atomic_compare_exchange_n((T *)gptr(va), &e, (T)desired, false, mo, mo);
          *expected = e; return ok)
}

/* The same for 16 bytes, with lock cmpxchg16b written out: the __atomic builtins would call
 * libatomic (GCC always does for 16 bytes; clang does unless the target has cx16), and the
 * output may depend on libc alone. A full barrier, so it serves every order. The location must
 * be 16-byte aligned, which Arm also requires of STXP and CASP on X registers; the host faults
 * (#GP, a SIGSEGV rather than Arm's SIGBUS) otherwise. */
static bool cas_u128(uint64_t va, unsigned __int128 *expected, unsigned __int128 desired)
{
    uint64_t lo = (uint64_t)*expected, hi = (uint64_t)(*expected >> 64);
    bool ok;
    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(ok), "+m"(*(unsigned __int128 *)gptr(va)), "+a"(lo), "+d"(hi)
                     : "b"((uint64_t)desired), "c"((uint64_t)(desired >> 64))
                     : "memory");
    *expected = (unsigned __int128)hi << 64 | lo;
    return ok;
}

/* ---- load-acquire / store-release ---- */

/* LDAR, STLR, LDLAR, STLLR{B,H}: size:2 001000 1 L 0 Rs o0 Rt2 Rn Rt. Without LORegions
 * configured (user space cannot), LDLAR/STLLR order like LDAR/STLR, as on qemu-aarch64. */
SEM(ldst_ord)
{
    unsigned size = bits(in->word, 31, 30);
    uint64_t va = xsp(c, rn(in));
    if (bit(in->word, 22))
        set_xr(c, rd(in), ld_atomic(size, va, SEQ));
    else
        st_atomic(size, va, xr(c, rd(in)), SEQ);
}

/* LDAPR{B,H}: a load-acquire that need not wait for earlier store-releases (RCpc). */
SEM(ldapr)
{
    set_xr(c, rd(in), ld_atomic(bits(in->word, 31, 30), xsp(c, rn(in)), __ATOMIC_ACQUIRE));
}

/* LDAPUR*, STLUR* (FEAT_LRCPC2): size:2 011001 opc:2 0 imm9 00 Rn Rt, opc as for LDUR/STUR:
 * 00 store, 01 load, 10 load sign-extended to 64 bits, 11 to 32 bits. */
SEM(ldapstl)
{
    uint32_t w = in->word;
    unsigned size = bits(w, 31, 30), opc = bits(w, 23, 22), t = rd(in);
    uint64_t va = xsp(c, rn(in)) + sext(bits(w, 20, 12), 9);
    if (opc == 0)
        st_atomic(size, va, xr(c, t), SEQ);
    else if (opc == 1)
        set_xr(c, t, ld_atomic(size, va, __ATOMIC_ACQUIRE));
    else
        set_reg(c, t, opc == 2, sext(ld_atomic(size, va, __ATOMIC_ACQUIRE), 8u << size));
}

/* ---- exclusives ----
 *
 * The exclusive monitor is emulated with compare-and-swap. A load-exclusive records the address
 * and the value it read (cpu->excl_addr, excl_val, excl_val2); a store-exclusive succeeds only
 * when its address is the recorded one and a host compare-and-swap from the recorded value to
 * the new one succeeds; either way the monitor is then cleared (excl_addr = ~0).
 * Limit (ABA): Arm fails the store-exclusive after any write to the location, this emulation
 * only after a write that changed its value -- a write of the same value in between goes
 * unnoticed. Read-modify-write loops (all that compilers emit for C11/C++ atomics) are
 * unaffected, since their result depends only on the value; code that relies on the monitor to
 * detect any intervening write can be fooled.
 *
 * Layout: size:2 001000 0 L pair Rs o0 Rt2 Rn Rt, o0 = acquire (loads) or release (stores). A
 * pair is one access of 8 bytes (W registers, Rt in the low half) or 16 bytes (X registers). */

SEM(excl_load)
{
    uint32_t w = in->word;
    unsigned size = bits(w, 31, 30), t = rd(in), t2 = rt2(in);
    int mo = bit(w, 15) ? SEQ : RELAXED;
    uint64_t va = xsp(c, rn(in)), v;
    if (!bit(w, 21)) {
        v = ld_atomic(size, va, mo);
        set_xr(c, t, v);
    } else if (size == 3) {
        /* Two 64-bit loads: the pair may be torn, but then the compare-and-swap of STXP fails,
         * matching Arm, where LDXP is single-copy atomic only if the STXP succeeds. */
        v = ld_atomic(3, va, mo);
        c->excl_val2 = ld_atomic(3, va + 8, mo);
        set_xr(c, t, v);
        set_xr(c, t2, c->excl_val2);
    } else {
        v = ld_atomic(3, va, mo);
        set_xr(c, t, (uint32_t)v);
        set_xr(c, t2, v >> 32);
    }
    c->excl_addr = va;
    c->excl_val = v;
}

/* Rs receives 0 on success, 1 on failure. */
SEM(excl_store)
{
    uint32_t w = in->word;
    unsigned size = bits(w, 31, 30), t = rd(in), t2 = rt2(in);
    int mo = bit(w, 15) ? SEQ : RELAXED;
    uint64_t va = xsp(c, rn(in)), old = c->excl_val;
    bool ok = false;
    if (c->excl_addr == va) {
        if (!bit(w, 21)) {
            ok = cas_atomic(size, va, &old, xr(c, t), mo);
        } else if (size == 3) {
            unsigned __int128 old2 = (unsigned __int128)c->excl_val2 << 64 | old;
            ok = cas_u128(va, &old2, (unsigned __int128)xr(c, t2) << 64 | xr(c, t));
        } else {
            ok = cas_atomic(3, va, &old, xr(c, t2) << 32 | (uint32_t)xr(c, t), mo);
        }
    }
    c->excl_addr = ~0ull;
    set_xr(c, rm(in), !ok);
}

/* ---- FEAT_LSE ---- */

/* CAS{A,L,AL}{B,H}: size:2 001000 1 L 1 Rs o0 11111 Rn Rt, L = acquire, o0 = release. Stores Rt
 * if memory equals Rs (at the access size); Rs receives the old value, zero-extended. */
SEM(cas)
{
    uint32_t w = in->word;
    unsigned s = rm(in);
    uint64_t old = xr(c, s);
    cas_atomic(bits(w, 31, 30), xsp(c, rn(in)), &old, xr(c, rd(in)),
               bit(w, 22) || bit(w, 15) ? SEQ : RELAXED);
    set_xr(c, s, old);
}

/* CASP{A,L,AL}: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt, on the register pairs Rs:Rs+1 and
 * Rt:Rt+1 (even numbers, checked by the decoder); the first register of a pair is the lower
 * address. */
SEM(casp)
{
    uint32_t w = in->word;
    unsigned s = rm(in), t = rd(in);
    uint64_t va = xsp(c, rn(in));
    if (bit(w, 30)) {
        unsigned __int128 old = (unsigned __int128)xr(c, s + 1) << 64 | xr(c, s);
        cas_u128(va, &old, (unsigned __int128)xr(c, t + 1) << 64 | xr(c, t));
        set_xr(c, s, (uint64_t)old);
        set_xr(c, s + 1, (uint64_t)(old >> 64));
    } else {
        uint64_t old = xr(c, s + 1) << 32 | (uint32_t)xr(c, s);
        cas_atomic(3, va, &old, xr(c, t + 1) << 32 | (uint32_t)xr(c, t),
                   bit(w, 22) || bit(w, 15) ? SEQ : RELAXED);
        set_xr(c, s, (uint32_t)old);
        set_xr(c, s + 1, old >> 32);
    }
}

/* The operations of LD<op>, numbered by opc; SWP (o3 = 1) last. */
enum { LSE_ADD, LSE_CLR, LSE_EOR, LSE_SET, LSE_SMAX, LSE_SMIN, LSE_UMAX, LSE_UMIN, LSE_SWP };

/* What LD{S,U}{MAX,MIN} store, given the old value and the operand (compared at 8 << size
 * bits). */
static uint64_t lse_minmax(unsigned op, unsigned size, uint64_t old, uint64_t v)
{
    unsigned width = 8u << size;
    bool greater = op == LSE_SMAX || op == LSE_SMIN
                       ? (int64_t)sext(old, width) > (int64_t)sext(v, width)
                       : old > v;
    return greater == (op == LSE_SMAX || op == LSE_UMAX) ? old : v;
}

/* Atomically apply op to 1 << size bytes at va; the old value, zero-extended. */
static uint64_t rmw_atomic(unsigned op, unsigned size, uint64_t va, uint64_t v, int mo)
{
    if (op == LSE_ADD) {
        SIZED(size, return __atomic_fetch_add((T *)gptr(va), (T)v, mo))
    } else if (op == LSE_CLR) {
        SIZED(size, return __atomic_fetch_and((T *)gptr(va), (T)~v, mo))
    } else if (op == LSE_EOR) {
        SIZED(size, return __atomic_fetch_xor((T *)gptr(va), (T)v, mo))
    } else if (op == LSE_SET) {
        SIZED(size, return __atomic_fetch_or((T *)gptr(va), (T)v, mo))
    } else if (op == LSE_SWP) {
        SIZED(size, return __atomic_exchange_n((T *)gptr(va), (T)v, mo))
    }
    /* x86 has no atomic min/max: loop on compare-and-swap. */
    v &= ~0ull >> (64 - (8u << size));
    uint64_t old = ld_atomic(size, va, RELAXED);
    while (!cas_atomic(size, va, &old, lse_minmax(op, size, old, v), mo)) {
    }
    return old;
}

/* LD<op>{A,L,AL}{B,H}, SWP*: size:2 111000 A R 1 Rs o3 opc:3 00 Rn Rt. Rt receives the old
 * value zero-extended; the ST<op> aliases are Rt = XZR. */
SEM(lse)
{
    uint32_t w = in->word;
    unsigned op = bit(w, 15) ? LSE_SWP : bits(w, 14, 12);
    uint64_t old = rmw_atomic(op, bits(w, 31, 30), xsp(c, rn(in)), xr(c, rm(in)),
                              bits(w, 23, 22) ? SEQ : RELAXED);
    set_xr(c, rd(in), old);
}
