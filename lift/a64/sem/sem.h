/*
 * Instruction semantics, written once. Every sem_ function is compiled twice: to LLVM bitcode,
 * which the lifter inlines with a constant `struct insn` (so every field extraction below folds
 * to a constant), and natively into the runtime, whose interpreter calls it through a table.
 *
 * Conventions:
 * - Before a branch or an F_RT row runs, c->pc already holds the address of the next
 *   instruction; branches overwrite it. Other semantics never read or write c->pc (their own
 *   address is in->pc): the lifter does not keep it up to date for them.
 * - Operand fields are read from in->word with the helpers below, named after the Arm ARM fields.
 * - Guest addresses are host addresses: memory is accessed directly, unaligned accesses allowed.
 * - Rows flagged F_RT call the runtime (rt_* below); everything else only touches *c and memory.
 */
#ifndef XLATE_SEM_H
#define XLATE_SEM_H

#include "../a64.h"

#include <string.h>

#define SEM(name) void sem_##name(struct cpu *c, const struct insn *in)

SEM(unallocated);
#define A64(name, mask, value, sem, flags, check) SEM(sem);
#include "../insn.def"
#undef A64

typedef void sem_fn(struct cpu *c, const struct insn *in);
/* Indexed by enum a64_op; for the runtime's interpreter. */
extern sem_fn *const a64_sem[A64_NUM_OPS];

/* The runtime services semantics may call (rows flagged F_RT). */
void rt_svc(struct cpu *c);                                  /* SVC #0; c->pc is after it */
void rt_undefined(struct cpu *c, uint64_t pc, uint32_t word); /* raises the guest's SIGILL */
void rt_breakpoint(struct cpu *c, uint64_t pc);               /* BRK: raises SIGTRAP */

/* ---- fields ---- */

static inline uint32_t bits(uint32_t w, unsigned hi, unsigned lo)
{
    return (w >> lo) & (uint32_t)((2ull << (hi - lo)) - 1);
}
static inline uint32_t bit(uint32_t w, unsigned n) { return (w >> n) & 1; }
static inline uint64_t sext(uint64_t v, unsigned width)
{
    return (uint64_t)((int64_t)(v << (64 - width)) >> (64 - width));
}
static inline unsigned rd(const struct insn *in) { return in->word & 31; }
static inline unsigned rn(const struct insn *in) { return (in->word >> 5) & 31; }
static inline unsigned rm(const struct insn *in) { return (in->word >> 16) & 31; }
static inline unsigned ra(const struct insn *in) { return (in->word >> 10) & 31; }
static inline unsigned rt2(const struct insn *in) { return (in->word >> 10) & 31; }
static inline bool sf(const struct insn *in) { return in->word >> 31; }

/* ---- general registers: register 31 is XZR or SP depending on the operand ---- */

static inline uint64_t xr(const struct cpu *c, unsigned n) { return n == 31 ? 0 : c->x[n]; }
static inline uint64_t xsp(const struct cpu *c, unsigned n) { return c->x[n]; }
static inline void set_xr(struct cpu *c, unsigned n, uint64_t v)
{
    if (n != 31)
        c->x[n] = v;
}
static inline void set_xsp(struct cpu *c, unsigned n, uint64_t v) { c->x[n] = v; }

/* Width-generic forms: 32-bit reads see the low half, 32-bit writes zero the high half. */
static inline uint64_t reg(const struct cpu *c, unsigned n, bool is64)
{
    return is64 ? xr(c, n) : (uint32_t)xr(c, n);
}
static inline uint64_t reg_sp(const struct cpu *c, unsigned n, bool is64)
{
    return is64 ? xsp(c, n) : (uint32_t)xsp(c, n);
}
static inline void set_reg(struct cpu *c, unsigned n, bool is64, uint64_t v)
{
    set_xr(c, n, is64 ? v : (uint32_t)v);
}
static inline void set_reg_sp(struct cpu *c, unsigned n, bool is64, uint64_t v)
{
    set_xsp(c, n, is64 ? v : (uint32_t)v);
}

/* ---- flags ---- */

static inline void set_nzcv(struct cpu *c, unsigned nzcv)
{
    c->n = (nzcv >> 3) & 1;
    c->z = (nzcv >> 2) & 1;
    c->c = (nzcv >> 1) & 1;
    c->v = nzcv & 1;
}
static inline unsigned get_nzcv(const struct cpu *c)
{
    return (unsigned)c->n << 3 | (unsigned)c->z << 2 | (unsigned)c->c << 1 | c->v;
}

/* C1.2.4 ConditionHolds(). */
static inline bool cond_holds(const struct cpu *c, unsigned cond)
{
    bool r;
    switch (cond >> 1) {
    case 0: r = c->z; break;
    case 1: r = c->c; break;
    case 2: r = c->n; break;
    case 3: r = c->v; break;
    case 4: r = c->c && !c->z; break;
    case 5: r = c->n == c->v; break;
    case 6: r = c->n == c->v && !c->z; break;
    default: r = true; break;
    }
    return (cond & 1) && cond != 15 ? !r : r;
}

/* AddWithCarry() (J1.1.3) at 32 or 64 bits; sets NZCV when `flags`. */
static inline uint64_t add_carry(struct cpu *c, bool is64, uint64_t a, uint64_t b, unsigned cin,
                                 bool flags)
{
    uint64_t r;
    if (is64) {
        unsigned __int128 u = (unsigned __int128)a + b + cin;
        r = (uint64_t)u;
        if (flags) {
            c->n = r >> 63;
            c->z = r == 0;
            c->c = (uint8_t)(u >> 64);
            c->v = ((r ^ a) & (r ^ b)) >> 63;
        }
    } else {
        a = (uint32_t)a;
        b = (uint32_t)b;
        uint64_t u = a + b + cin;
        r = (uint32_t)u;
        if (flags) {
            c->n = (r >> 31) & 1;
            c->z = r == 0;
            c->c = (u >> 32) & 1;
            c->v = (((r ^ a) & (r ^ b)) >> 31) & 1;
        }
    }
    return r;
}

/* ADD or SUB (a + b or a - b, i.e. AddWithCarry(a, NOT(b), 1)) at 32 or 64 bits; sets NZCV when
 * `flags`. The same flags as add_carry, in closed forms LLVM sees through: for a subtraction
 * C is a >= b and V is (a < b signed) XOR N, so N != V, the condition LT, is a < b signed; after
 * CMP + B.cond or CSEL every condition folds to one host comparison. */
static inline uint64_t add_sub(struct cpu *c, bool is64, uint64_t a, uint64_t b, bool sub,
                               bool flags)
{
    if (is64) {
        uint64_t r = sub ? a - b : a + b;
        if (flags) {
            int64_t t;
            c->n = r >> 63;
            c->z = r == 0;
            c->c = sub ? a >= b : r < a;
            c->v = sub ? (uint8_t)(((int64_t)a < (int64_t)b) ^ r >> 63)
                       : __builtin_add_overflow((int64_t)a, (int64_t)b, &t);
        }
        return r;
    }
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, r = sub ? a32 - b32 : a32 + b32;
    if (flags) {
        int32_t t;
        c->n = r >> 31;
        c->z = r == 0;
        c->c = sub ? a32 >= b32 : r < a32;
        c->v = sub ? (uint8_t)(((int32_t)a32 < (int32_t)b32) ^ r >> 31)
                   : __builtin_add_overflow((int32_t)a32, (int32_t)b32, &t);
    }
    return r;
}

/* ---- guest memory: identity-mapped, so a guest address is a host pointer ---- */

static inline void *gptr(uint64_t va) { return (void *)(uintptr_t)va; }

#define DEFINE_MEM(name, type)                                                                     \
    static inline type ld_##name(uint64_t va)                                                      \
    {                                                                                              \
        type v;                                                                                    \
        memcpy(&v, gptr(va), sizeof v);                                                            \
        return v;                                                                                  \
    }                                                                                              \
    static inline void st_##name(uint64_t va, type v) { memcpy(gptr(va), &v, sizeof v); }
DEFINE_MEM(u8, uint8_t)
DEFINE_MEM(u16, uint16_t)
DEFINE_MEM(u32, uint32_t)
DEFINE_MEM(u64, uint64_t)
DEFINE_MEM(u128, unsigned __int128)
DEFINE_MEM(f32, float)
DEFINE_MEM(f64, double)
#undef DEFINE_MEM

/* Load `size` bytes (1, 2, 4 or 8), zero-extended; store the low `size` bytes. */
static inline uint64_t ld_n(uint64_t va, unsigned size)
{
    switch (size) {
    case 1: return ld_u8(va);
    case 2: return ld_u16(va);
    case 4: return ld_u32(va);
    default: return ld_u64(va);
    }
}
static inline void st_n(uint64_t va, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: st_u8(va, (uint8_t)v); break;
    case 2: st_u16(va, (uint16_t)v); break;
    case 4: st_u32(va, (uint32_t)v); break;
    default: st_u64(va, v); break;
    }
}

/* PRFM/PRFUM prfop: type<4:3> (00 PLD, 01 PLI, 10 PST), target<2:1> (L1, L2, L3), policy<0>
 * (KEEP, STRM). Hot loops of real programs (zstd's match finders) lean on their prefetches, so a
 * data prefetch becomes a host one: PST as a write prefetch, the level as the locality, STRM as
 * non-temporal. A host prefetch never faults, as the guest's never does. PLI and the reserved
 * encodings stay hints with no effect. */
static inline void prefetch(uint64_t va, unsigned prfop)
{
    unsigned type = prfop >> 3, target = (prfop >> 1) & 3;
    unsigned locality = prfop & 1 ? 0 : 3 - target, write = type == 2;
    if ((type != 0 && type != 2) || target == 3)
        return;
    /* The builtin takes constants only; the lifter's constant instruction word leaves one arm. */
    switch (locality << 1 | write) {
    case 0: __builtin_prefetch(gptr(va), 0, 0); break;
    case 1: __builtin_prefetch(gptr(va), 1, 0); break;
    case 2: __builtin_prefetch(gptr(va), 0, 1); break;
    case 3: __builtin_prefetch(gptr(va), 1, 1); break;
    case 4: __builtin_prefetch(gptr(va), 0, 2); break;
    case 5: __builtin_prefetch(gptr(va), 1, 2); break;
    case 6: __builtin_prefetch(gptr(va), 0, 3); break;
    default: __builtin_prefetch(gptr(va), 1, 3); break;
    }
}

#endif
