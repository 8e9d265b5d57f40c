/*
 * Jump-table recovery for an indirect branch `br xT`. Compilers dispatch a dense switch as
 *
 *   cmp   wIdx, #N             b.hi/b.hs default           (the bound)
 *   adrp  xP, table            add xTab, xP, :lo12:table   (the table)
 *   ldr{b,h,,sb,sh,sw} wE, [xTab, wIdx/xIdx {, uxtw|lsl #k}]
 *   adr   xB, base                                         (gcc: a label; clang: the first case)
 *   add   xT, xB, wE, {sxtb|sxth|sxtw|uxtw|lsl} #s
 *   br    xT
 *
 * in varying order. Each register is traced back to its definition within a short window; the
 * table's entries then give the targets. The result is only a list of candidate successors: the
 * lifter still checks the computed address against them and falls back to a run-time lookup, so a
 * wrong guess costs code size, never correctness.
 */
#include "a64.h"

#include <string.h>

#define WINDOW      24 /* instructions searched back from the branch */
#define MAX_ENTRIES 4096

#define BITS(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

struct ctx {
    a64_read_fn *read;
    void *rctx;
    uint64_t br_va;
};

static bool word_at(const struct ctx *c, uint64_t va, uint32_t *w)
{
    return c->read(c->rctx, va, w, 4);
}

static uint64_t sext64(uint64_t v, unsigned bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

/* Could the instruction write general register r? Conservative: anything naming r as its first
 * operand, a load/store naming it as base (write-back) or second register, and any call. */
static bool may_write(uint32_t w, unsigned r)
{
    if (BITS(w, 4, 0) == r)
        return true;
    if ((w & 0x0a000000) == 0x08000000 && (BITS(w, 9, 5) == r || BITS(w, 14, 10) == r))
        return true;
    unsigned op = a64_decode(w);
    return op == A64_UNALLOCATED || (a64_rows[op].flags & (F_CALL | F_ICALL | F_RT));
}

/* The closest instruction before `from` that may write r, searching at most `limit` back. */
static bool find_def(const struct ctx *c, uint64_t from, unsigned r, uint64_t *at, uint32_t *word)
{
    for (uint64_t va = from - 4; va + 4 * WINDOW >= c->br_va && va < from; va -= 4) {
        uint32_t w;
        if (!word_at(c, va, &w))
            return false;
        unsigned op = a64_decode(w);
        if (op != A64_UNALLOCATED && (a64_rows[op].flags & (F_JUMP | F_RET | F_IJUMP)))
            return false; /* the straight-line window ends at an unconditional branch */
        if (may_write(w, r)) {
            *at = va;
            *word = w;
            return true;
        }
    }
    return false;
}

/* A constant address built by ADR, or ADRP optionally followed by ADD #imm. */
static bool const_addr(const struct ctx *c, uint64_t from, unsigned r, uint64_t *value)
{
    uint64_t at;
    uint32_t w;
    if (!find_def(c, from, r, &at, &w))
        return false;
    if ((w & 0x9f000000) == 0x10000000 || (w & 0x9f000000) == 0x90000000) { /* ADR, ADRP */
        uint64_t imm = sext64(BITS(w, 23, 5) << 2 | BITS(w, 30, 29), 21);
        *value = w >> 31 ? (at & ~0xfffull) + (imm << 12) : at + imm;
        return true;
    }
    if ((w & 0xff800000) == 0x91000000 && BITS(w, 9, 5) != 31) { /* ADD Xd, Xn, #imm{, lsl 12} */
        uint64_t base;
        if (!const_addr(c, at, BITS(w, 9, 5), &base))
            return false;
        *value = base + ((uint64_t)BITS(w, 21, 10) << (BITS(w, 22, 22) ? 12 : 0));
        return true;
    }
    return false;
}

/* The table size from `cmp wIdx, #N; b.hi` (N + 1 entries) or `b.hs` (N entries) before `from`. */
static unsigned bound(const struct ctx *c, uint64_t from, unsigned idx)
{
    for (uint64_t va = from - 4; va + 4 * (WINDOW + 8) >= c->br_va; va -= 4) {
        uint32_t w, next;
        if (!word_at(c, va, &w) || !word_at(c, va + 4, &next))
            return 0;
        /* SUBS {w,x}zr, Rn, #imm (CMP immediate), no shift. */
        if ((w & 0x7fc0001f) == 0x7100001f && BITS(w, 9, 5) == idx &&
            (next & 0xff000010) == 0x54000000) {
            unsigned n = BITS(w, 21, 10), cond = BITS(next, 3, 0);
            if (cond == 8) /* HI */
                return n + 1;
            if (cond == 2) /* HS */
                return n;
            return 0;
        }
        unsigned op = a64_decode(w);
        if (op == A64_UNALLOCATED || (a64_rows[op].flags & (F_JUMP | F_RET | F_IJUMP | F_CALL)))
            return 0;
        if (BITS(w, 4, 0) == idx) {
            /* The index is computed here: follow a plain move (ORR Wd, WZR, Wm) to its source. */
            if ((w & 0x7fe0ffe0) != 0x2a0003e0)
                return 0;
            idx = BITS(w, 20, 16);
        }
    }
    return 0;
}

unsigned a64_jump_table(a64_read_fn *read, void *rctx, uint64_t br_va, uint64_t *targets,
                        unsigned max)
{
    struct ctx c = {read, rctx, br_va};
    uint32_t w;
    if (!word_at(&c, br_va, &w) || (w & 0xfffffc1f) != 0xd61f0000)
        return 0;

    /* add xT, xB, rE, <extend|shift> #s */
    uint64_t add_va;
    uint32_t add;
    if (!find_def(&c, br_va, BITS(w, 9, 5), &add_va, &add))
        return 0;
    unsigned rb = BITS(add, 9, 5), re = BITS(add, 20, 16), shift, ext_bits;
    bool ext_signed;
    if ((add & 0xffe00000) == 0x8b200000) { /* ADD (extended register), 64-bit */
        unsigned option = BITS(add, 15, 13);
        shift = BITS(add, 12, 10);
        ext_signed = option & 4;
        ext_bits = 8u << (option & 3);
    } else if ((add & 0xffe00000) == 0x8b000000 &&
               BITS(add, 23, 22) == 0) { /* ADD (shifted), LSL */
        shift = BITS(add, 15, 10);
        ext_signed = false;
        ext_bits = 64;
    } else {
        return 0;
    }
    if (shift > 4)
        return 0;

    /* The entry load: ldr{b,h,,sb,sh,sw} wE, [xTab, rIdx{, extend #k}] (register offset). */
    uint64_t ld_va;
    uint32_t ld;
    if (!find_def(&c, add_va, re, &ld_va, &ld) || (ld & 0x3f200c00) != 0x38200800)
        return 0;
    unsigned size = BITS(ld, 31, 30), opc = BITS(ld, 23, 22);
    if (opc == 0 || size == 3 || (size == 2 && opc == 3))
        return 0;
    bool ld_signed = opc >= 2;
    unsigned scaled = BITS(ld, 12, 12) ? size : 0, idx = BITS(ld, 20, 16);
    uint64_t table, base;
    if (!const_addr(&c, ld_va, BITS(ld, 9, 5), &table) || !const_addr(&c, add_va, rb, &base))
        return 0;
    if (scaled != size)
        return 0; /* an unscaled index into a wider table is not a jump table */

    unsigned n = bound(&c, ld_va, idx);
    if (n == 0 || n > MAX_ENTRIES)
        return 0;
    unsigned count = 0;
    for (unsigned i = 0; i < n && count < max; i++) {
        uint64_t e = 0;
        if (!read(rctx, table + ((uint64_t)i << size), &e, 1u << size))
            break;
        if (ld_signed)
            e = sext64(e, 8u << size);
        if (ext_bits < 64)
            e = ext_signed ? sext64(e, ext_bits) : e & ((1ull << ext_bits) - 1);
        uint64_t t = base + (e << shift);
        bool dup = false;
        for (unsigned k = 0; k < count && !dup; k++)
            dup = targets[k] == t;
        if (!dup && !(t & 3))
            targets[count++] = t;
    }
    return count;
}
