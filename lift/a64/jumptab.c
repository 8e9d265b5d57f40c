/*
 * Jump-table recovery for an indirect branch `br xT`. Compilers dispatch a dense switch as
 *
 *   cmp   wIdx, #N             b.hi default | b.ls dispatch    (the bound)
 *   adrp  xP, table            add xTab, xP, :lo12:table       (the table)
 *   ldr{b,h,,sb,sh,sw} wE, [xTab, wIdx/xIdx {, uxtw|lsl #k}]
 *   adr   xB, base             (gcc: a label; clang: the first case)
 *   add   xT, xB, wE, {sxtb|sxth|sxtw|uxtw|lsl} #s
 *   br    xT
 *
 * The load, the ADD and the BR sit in one block; the rest may not. The bound is often checked in a
 * predecessor that branches to an out-of-line dispatch block, and a function with several
 * switches (or a loop around one) computes the table address once, keeps it in a callee-saved
 * register across calls, or spills it to a stack slot and reloads it before the load.
 *
 * So values are found by walking the code backwards from where they are used, through every
 * predecessor (the previous instruction unless it is an unconditional branch, and every direct
 * branch to the address in the code around the BR), to each definition: a value is known when
 * every definition reaching the use gives the same constant (ADR, ADRP, ADD #imm, MOV, and a
 * 64-bit reload from [sp, #imm] whose every reaching store to that slot stores the constant).
 * Stores through other registers are taken not to alias a spill slot, as the compiler that made
 * the slot assumed; calls keep callee-saved registers and the caller's frame (AAPCS64). The
 * index's bound is found the same way: every path to the load must come through the in-range
 * edge of `cmp wIdx, #N; b.{hi,ls,hs,lo}`, or from a mask of the index (AND, UBFX).
 *
 * The cases of a table are reached only through its BR, which walks back from inside a loop around
 * the switch would find unexplained. So a guess comes first, with code nothing leads to taken to
 * be such a case, and is then checked with the table's own edges, and those of the other tables
 * nearby (guessed the same way), added to the code's branches.
 *
 * The result is only a list of candidate successors: the lifter still checks the computed address
 * against them and falls back to a run-time lookup, so a wrong guess costs code size, never
 * correctness. Still, anything not proven gives no table rather than a guess.
 */
#include "../u64set.h"
#include "a64.h"

#define WINDOW            24          /* instructions searched back from the branch for its block */
#define MAX_ENTRIES       4096        /* the most table entries read */
#define REACH             (256 << 10) /* bytes of code either side of the BR read for branches */
#define BUDGET            400000      /* predecessor visits per table, over all its queries */
#define MAX_DEPTH         8           /* nested queries (a reload of a spill of a MOV of ...) */
#define NEAR              (32 << 10)  /* bytes either side of the BR searched for other tables */
#define NEIGHBOUR_BUDGET  50000       /* predecessor visits to guess another table */
#define NEIGHBOURS_BUDGET 1000000     /* and all the others */

#define BITS(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

/* A location whose value is traced: general registers 0..30 (31 is never traced), or a 64-bit
 * stack slot [sp, #off] as SLOT + off. */
#define SLOT 32u

struct edge {
    uint64_t to, from;
};

struct ctx {
    a64_read_fn *read;
    void *rctx;
    uint64_t br_va;
    /* The code around the BR, [lo, hi), and its direct branches sorted by target. */
    uint32_t *code;
    uint64_t lo, hi;
    struct edge *edges;
    size_t nedges;
    unsigned budget;
    /* While the table's own targets are unknown, code nothing leads to is taken to be one of them
     * (so reached from the BR) and ignored; the answer is then checked with them known. */
    bool optimistic;
    bool ignored; /* some walk ignored such code */
};

static uint64_t sext64(uint64_t v, unsigned bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static bool word_at(const struct ctx *c, uint64_t va, uint32_t *w)
{
    if (va < c->lo || va >= c->hi)
        return false;
    *w = c->code[(va - c->lo) / 4];
    return true;
}

/* The target of a direct branch that is not a call (B, B.cond, CBZ/CBNZ, TBZ/TBNZ). */
static bool branch_target(uint32_t w, uint64_t va, uint64_t *to)
{
    if ((w & 0xfc000000) == 0x14000000) /* B */
        *to = va + (sext64(BITS(w, 25, 0), 26) << 2);
    else if ((w & 0xff000010) == 0x54000000 || (w & 0x7e000000) == 0x34000000) /* B.cond, CB */
        *to = va + (sext64(BITS(w, 23, 5), 19) << 2);
    else if ((w & 0x7e000000) == 0x36000000) /* TBZ, TBNZ */
        *to = va + (sext64(BITS(w, 18, 5), 14) << 2);
    else
        return false;
    return true;
}

/* Control never falls through to the next instruction (B, BR, RET, an unallocated word). */
static bool no_fallthrough(uint32_t w)
{
    if ((w & 0xfc000000) == 0x14000000)
        return true;
    unsigned op = a64_decode(w);
    return op == A64_UNALLOCATED || (a64_rows[op].flags & (F_JUMP | F_IJUMP | F_RET));
}

static int edge_cmp(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    return x->to < y->to ? -1 : x->to > y->to ? 1 : x->from < y->from ? -1 : x->from > y->from;
}

/* Reads the code around the BR (as far as REACH inside its segment) and indexes its branches. */
static bool load_code(struct ctx *c)
{
    uint64_t before = REACH, after = REACH;
    uint32_t w;
    /* Shrink each side until its end is readable, then both until all between is. */
    while (before > 4 && (c->br_va < before || !c->read(c->rctx, c->br_va - before, &w, 4)))
        before /= 2;
    while (after > 4 && !c->read(c->rctx, c->br_va + after - 4, &w, 4))
        after /= 2;
    for (;;) {
        c->lo = c->br_va - before;
        c->hi = c->br_va + after;
        size_t n = (c->hi - c->lo) / 4;
        free(c->code);
        c->code = malloc(n * 4);
        if (!c->code)
            return false;
        if (c->read(c->rctx, c->lo, c->code, n * 4))
            break;
        if (before <= 4 && after <= 4)
            return false;
        before = before > 4 ? before / 2 : before;
        after = after > 4 ? after / 2 : after;
    }
    /* Sorted by target, then source, as edge_cmp orders them: a counting sort by target, since
     * the sources come in ascending order. qsort took most of the control-flow recovery's time,
     * which runs before translation can use both cores (0.15 of nbody's 0.27 s, perf). */
    size_t n = (c->hi - c->lo) / 4;
    unsigned *first = calloc(n + 1, sizeof *first);
    if (!first)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint64_t to;
        if (branch_target(c->code[i], c->lo + 4 * i, &to) && to >= c->lo && to < c->hi) {
            first[(to - c->lo) / 4 + 1]++;
            c->nedges++;
        }
    }
    c->edges = malloc((c->nedges ? c->nedges : 1) * sizeof *c->edges);
    if (!c->edges) {
        free(first);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        first[i + 1] += first[i];
    for (size_t i = 0; i < n; i++) {
        uint64_t from = c->lo + 4 * i, to;
        if (branch_target(c->code[i], from, &to) && to >= c->lo && to < c->hi)
            c->edges[first[(to - c->lo) / 4]++] = (struct edge){to, from};
    }
    free(first);
    return true;
}

/* The first of the branches to va, and how many there are. */
static const struct edge *branches_to(const struct ctx *c, uint64_t va, size_t *count)
{
    size_t lo = 0, hi = c->nedges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->edges[mid].to < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < c->nedges && c->edges[end].to == va)
        end++;
    *count = end - lo;
    return *count ? c->edges + lo : NULL; /* edges is NULL when there are none */
}

/* A load or store of the forms spills and reloads use: its base, byte offset and size (0 when
 * the offset is a register), whether it stores, and whether it writes the base back. False for
 * any other load/store (exclusives, atomics, structure loads...). */
struct access {
    unsigned rn, rt, rt2, bytes;
    bool store, pair, writeback;
    int64_t off;
};

static bool plain_access(uint32_t w, struct access *a)
{
    unsigned size = BITS(w, 31, 30), opc = BITS(w, 23, 22), v = BITS(w, 26, 26);
    *a = (struct access){.rn = BITS(w, 9, 5), .rt = BITS(w, 4, 0), .rt2 = 32};
    unsigned scale = v ? (opc >= 2 ? 4 : size) : size;
    if ((w & 0x3b000000) == 0x39000000 || (w & 0x3b200000) == 0x38000000 ||
        (w & 0x3b200c00) == 0x38200800) {
        if (v == 0 && size == 3 && opc == 2)
            return false; /* PRFM */
        a->store = v ? !(opc & 1) : opc == 0;
        a->bytes = 1u << scale;
        if ((w & 0x3b000000) == 0x39000000) /* unsigned offset */
            a->off = (int64_t)BITS(w, 21, 10) << scale;
        else if ((w & 0x3b200000) == 0x38000000) { /* unscaled, post/pre-index, unprivileged */
            a->off = (int64_t)sext64(BITS(w, 20, 12), 9);
            a->writeback = BITS(w, 10, 10);
        } else
            a->bytes = 0; /* register offset */
        return true;
    }
    if ((w & 0x3a000000) == 0x28000000) { /* LDP/STP and the non-temporal pairs */
        unsigned pscale = v ? 2 + BITS(w, 31, 30) : 2 + BITS(w, 31, 31);
        a->pair = true;
        a->store = !BITS(w, 22, 22);
        a->rt2 = BITS(w, 14, 10);
        a->bytes = 2u << pscale;
        a->off = (int64_t)sext64(BITS(w, 21, 15), 7) * (1 << pscale);
        a->writeback = BITS(w, 23, 23); /* post- or pre-index */
        return true;
    }
    return false;
}

/* Could the instruction write general register r (0..30)? Conservative where unsure. */
static bool may_write(uint32_t w, unsigned r)
{
    unsigned op = a64_decode(w);
    if (op == A64_UNALLOCATED)
        return true;
    uint32_t flags = a64_rows[op].flags;
    if (flags & (F_CALL | F_ICALL)) /* AAPCS64: x19..x29 survive a call, the rest may not */
        return r < 19 || r == 30;
    if (flags & F_RT)
        return true;
    if (flags & (F_COND | F_JUMP))
        return false;
    if ((w & 0x0a000000) == 0x08000000) { /* loads and stores */
        struct access a;
        if (!plain_access(w, &a))
            return BITS(w, 4, 0) == r || BITS(w, 9, 5) == r || BITS(w, 14, 10) == r ||
                   BITS(w, 20, 16) == r;
        if (a.writeback && a.rn == r)
            return true;
        return !a.store && BITS(w, 26, 26) == 0 && (a.rt == r || a.rt2 == r);
    }
    return BITS(w, 4, 0) == r;
}

/* Does the instruction (not a load or store) write sp? ADD/SUB (immediate or extended register)
 * and logical immediates can name it as their destination. */
static bool writes_sp(uint32_t w)
{
    if (BITS(w, 4, 0) != 31)
        return false;
    if ((w & 0x3f000000) == 0x11000000) /* ADD/SUB (immediate), not setting flags */
        return true;
    if ((w & 0x3f200000) == 0x0b200000) /* ADD/SUB (extended register), not setting flags */
        return true;
    return (w & 0x1f800000) == 0x12000000 && BITS(w, 30, 29) != 3; /* AND/ORR/EOR (immediate) */
}

/* A small visited set of addresses for one backward walk. */
struct walk {
    struct u64set seen;
    struct u64vec todo;
};

static void walk_free(struct walk *k)
{
    u64set_free(&k->seen);
    free(k->todo.v);
}

/* Queue the predecessors of va not seen yet; false when one cannot be known (va is at the start
 * of the code read, or nothing leads to it: a function entry or an address-taken label). */
static bool queue_preds(struct ctx *c, struct walk *k, uint64_t va)
{
    size_t n;
    const struct edge *e = branches_to(c, va, &n);
    uint32_t prev;
    if (!word_at(c, va - 4, &prev))
        return false;
    bool fall = !no_fallthrough(prev);
    if (!fall && n == 0) {
        c->ignored = true;
        return c->optimistic;
    }
    for (size_t i = 0; i <= n; i++) {
        uint64_t p = i < n ? e[i].from : va - 4;
        if (i == n && !fall)
            break;
        if (c->budget == 0)
            return false;
        c->budget--;
        int added = u64set_add(&k->seen, p);
        if (added < 0 || (added && !u64vec_push(&k->todo, p)))
            return false;
    }
    return true;
}

static bool value_at(struct ctx *c, uint64_t va, unsigned loc, unsigned depth, uint64_t *out);

/* What the instruction at va does to loc: 0 nothing, 1 defines it as *v, -1 defines it in a way
 * not followed. */
static int def_of(struct ctx *c, uint64_t va, uint32_t w, unsigned loc, unsigned depth, uint64_t *v)
{
    if (loc >= SLOT) {
        uint64_t off = loc - SLOT;
        if (writes_sp(w))
            return -1;
        struct access a;
        if ((w & 0x0a000000) != 0x08000000 || !plain_access(w, &a)) {
            /* Some other load/store: harmless unless it is based on sp. */
            return (w & 0x0a000000) == 0x08000000 && BITS(w, 9, 5) == 31 ? -1 : 0;
        }
        if (a.rn != 31)
            return 0;
        if (a.writeback || a.bytes == 0)
            return -1;
        if (!a.store || (int64_t)off + 8 <= a.off || a.off + (int64_t)a.bytes <= (int64_t)off)
            return 0;
        /* A 64-bit general register stored exactly into the slot. */
        bool x64 = BITS(w, 26, 26) == 0 && (a.pair ? BITS(w, 31, 31) : BITS(w, 31, 30) == 3);
        unsigned src = a.off == (int64_t)off ? a.rt : a.off + 8 == (int64_t)off ? a.rt2 : 32;
        if (!x64 || src >= 31 || (!a.pair && a.off != (int64_t)off))
            return -1;
        return value_at(c, va, src, depth + 1, v) ? 1 : -1;
    }
    if (!may_write(w, loc))
        return 0;
    if (BITS(w, 4, 0) != loc)
        return -1;
    if ((w & 0x1f000000) == 0x10000000) { /* ADR, ADRP */
        uint64_t imm = sext64(BITS(w, 23, 5) << 2 | BITS(w, 30, 29), 21);
        *v = w >> 31 ? (va & ~0xfffull) + (imm << 12) : va + imm;
        return 1;
    }
    if ((w & 0xff800000) == 0x91000000 && BITS(w, 9, 5) != 31) { /* ADD Xd, Xn, #imm{, lsl 12} */
        if (!value_at(c, va, BITS(w, 9, 5), depth + 1, v))
            return -1;
        *v += (uint64_t)BITS(w, 21, 10) << (BITS(w, 22, 22) ? 12 : 0);
        return 1;
    }
    if ((w & 0xffe0ffe0) == 0xaa0003e0) /* MOV Xd, Xm (ORR Xd, XZR, Xm) */
        return BITS(w, 20, 16) != 31 && value_at(c, va, BITS(w, 20, 16), depth + 1, v) ? 1 : -1;
    if ((w & 0xffc003e0) == 0xf94003e0) /* LDR Xt, [sp, #imm] */
        return value_at(c, va, SLOT + (BITS(w, 21, 10) << 3), depth + 1, v) ? 1 : -1;
    return -1;
}

/* The constant loc holds just before the instruction at va, whichever way control got there. */
static bool value_at(struct ctx *c, uint64_t va, unsigned loc, unsigned depth, uint64_t *out)
{
    if (depth > MAX_DEPTH)
        return false;
    struct walk k = {0};
    bool ok = queue_preds(c, &k, va), have = false;
    while (ok && k.todo.n) {
        uint64_t p = k.todo.v[--k.todo.n], v;
        uint32_t w;
        if (!word_at(c, p, &w))
            ok = false;
        else {
            int d = def_of(c, p, w, loc, depth, &v);
            if (d < 0 || (d > 0 && have && v != *out))
                ok = false;
            else if (d > 0) {
                *out = v;
                have = true;
            } else
                ok = queue_preds(c, &k, p);
        }
    }
    walk_free(&k);
    return ok && have;
}

/* Do registers a and b hold the same value just before va? Only when, within the block, the
 * latest write to either copies one into the other (a 64-bit MOV, or a 32-bit one for a W
 * index). */
static bool copies(const struct ctx *c, uint64_t va, unsigned a, unsigned b, bool x64)
{
    for (unsigned i = 0; i < WINDOW; i++) {
        uint32_t w;
        size_t into;
        va -= 4;
        if (!word_at(c, va, &w) || no_fallthrough(w))
            return false;
        if (may_write(w, a) || may_write(w, b))
            return (w & 0xffe0ffe0) == (x64 ? 0xaa0003e0 : 0x2a0003e0) &&
                   ((BITS(w, 4, 0) == a && BITS(w, 20, 16) == b) ||
                    (BITS(w, 4, 0) == b && BITS(w, 20, 16) == a));
        branches_to(c, va, &into);
        if (into)
            return false;
    }
    return false;
}

/* Is the edge from the instruction w at p (taken or not) a bounds check on idx: B.cond right
 * after CMP idx, #imm (or CMP on a copy of idx), entered only from it, for HI/LS/HS/LO? Then
 * *entries is how many it lets through: 0 on the out-of-range edge. */
static bool guard(const struct ctx *c, uint64_t p, uint32_t w, bool taken, unsigned idx, bool idx64,
                  uint64_t *entries)
{
    uint32_t cmp;
    size_t into;
    branches_to(c, p, &into);
    if ((w & 0xff000010) != 0x54000000 || into || !word_at(c, p - 4, &cmp) ||
        (cmp & 0x7f80001f) != 0x7100001f || (idx64 && !(cmp >> 31)))
        return false;
    unsigned reg = BITS(cmp, 9, 5);
    if (reg != idx && (reg == 31 || !copies(c, p - 4, reg, idx, cmp >> 31)))
        return false;
    uint64_t lim = (uint64_t)BITS(cmp, 21, 10) << (BITS(cmp, 22, 22) ? 12 : 0);
    /* HI (8) and LS (9) split at idx <= lim, HS (2) and LO (3) at idx < lim. */
    unsigned cond = BITS(w, 3, 0);
    bool at_most = cond == 8 || cond == 9, low = cond == 9 || cond == 3;
    if (cond != 8 && cond != 9 && cond != 2 && cond != 3)
        return false;
    *entries = taken == low ? lim + at_most : 0;
    return true;
}

/* How many entries the index computed at va can select: a move passes the question on, a mask
 * of the low k bits answers 2^k. 0 when it is computed some other way. */
static unsigned bound_at(struct ctx *c, uint64_t va, unsigned idx, bool idx64, unsigned depth);

static unsigned bound_of_def(struct ctx *c, uint64_t va, uint32_t w, bool idx64, unsigned depth)
{
    bool sf = w >> 31, n = BITS(w, 22, 22);
    unsigned immr = BITS(w, 21, 16), imms = BITS(w, 15, 10);
    if ((w & 0x7fe0ffe0) == 0x2a0003e0 && sf == idx64 && BITS(w, 20, 16) != 31) /* MOV Rd, Rm */
        return bound_at(c, va, BITS(w, 20, 16), idx64, depth + 1);
    if ((w & 0x7f800000) == 0x12000000 && n == sf && immr == 0 && imms < 12) /* AND #(2^k-1) */
        return 2u << imms;
    if ((w & 0x7f800000) == 0x53000000 && n == sf && imms >= immr && imms - immr < 12) /* UBFX */
        return 2u << (imms - immr);
    return 0;
}

/* The number of entries the index in register idx can select just before the instruction at va:
 * every path back to where idx is computed must pass the in-range edge of a bounds check, or
 * compute it as a mask. 0 when not proven. */
static unsigned bound_at(struct ctx *c, uint64_t va, unsigned idx, bool idx64, unsigned depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    struct walk k = {0};
    unsigned most = 0;
    bool ok = u64vec_push(&k.todo, va);
    while (ok && k.todo.n) {
        uint64_t cur = k.todo.v[--k.todo.n];
        size_t n;
        const struct edge *e = branches_to(c, cur, &n);
        uint32_t prev;
        if (!word_at(c, cur - 4, &prev)) {
            ok = false;
            break;
        }
        bool fall = !no_fallthrough(prev);
        if (!fall && n == 0) {
            c->ignored = true;
            ok = c->optimistic;
        }
        for (size_t i = 0; ok && i < n + fall; i++) {
            uint64_t p = i < n ? e[i].from : cur - 4;
            uint32_t w;
            if (c->budget == 0 || !word_at(c, p, &w)) {
                ok = false;
                break;
            }
            c->budget--;
            /* A guard ends the path: the out-of-range edge cannot reach the table load without
             * a new index (the path would read outside the table), so it is not followed. */
            uint64_t got = 0;
            int added = guard(c, p, w, i < n, idx, idx64, &got) ? 0 : u64set_add(&k.seen, p);
            if (added < 0)
                ok = false;
            else if (added && may_write(w, idx))
                ok = (got = bound_of_def(c, p, w, idx64, depth)) != 0;
            else if (added)
                ok = u64vec_push(&k.todo, p);
            if (got > MAX_ENTRIES)
                ok = false;
            else if (got > most)
                most = (unsigned)got;
        }
    }
    walk_free(&k);
    return ok ? most : 0;
}

/* The closest instruction before `from` in the BR's block that may write r. */
static bool find_def(const struct ctx *c, uint64_t br, uint64_t from, unsigned r, uint64_t *at,
                     uint32_t *word)
{
    for (uint64_t va = from - 4; va + 4 * WINDOW >= br && va < from; va -= 4) {
        uint32_t w;
        size_t n;
        if (!word_at(c, va, &w) || no_fallthrough(w))
            return false;
        if (may_write(w, r)) {
            *at = va;
            *word = w;
            return true;
        }
        branches_to(c, va, &n);
        if (n)
            return false; /* the block starts here */
    }
    return false;
}

/* A recognized table: entries of 1 << size bytes at `table`, each extended and shifted onto
 * `base`. */
struct table {
    uint64_t table, base;
    unsigned n, size, shift, ext_bits;
    bool ld_signed, ext_signed;
};

static bool recognize(struct ctx *c, uint64_t br, struct table *t)
{
    uint32_t w;
    if (!word_at(c, br, &w) || (w & 0xfffffc1f) != 0xd61f0000)
        return false;

    /* add xT, xB, rE, <extend|shift> #s */
    uint64_t add_va;
    uint32_t add;
    if (!find_def(c, br, br, BITS(w, 9, 5), &add_va, &add))
        return false;
    unsigned rb = BITS(add, 9, 5), re = BITS(add, 20, 16);
    if ((add & 0xffe00000) == 0x8b200000) { /* ADD (extended register), 64-bit */
        unsigned option = BITS(add, 15, 13);
        t->shift = BITS(add, 12, 10);
        t->ext_signed = option & 4;
        t->ext_bits = 8u << (option & 3);
    } else if ((add & 0xffe00000) == 0x8b000000 &&
               BITS(add, 23, 22) == 0) { /* ADD (shifted), LSL */
        t->shift = BITS(add, 15, 10);
        t->ext_signed = false;
        t->ext_bits = 64;
    } else {
        return false;
    }
    if (t->shift > 4 || rb == 31)
        return false;

    /* The entry load: ldr{b,h,,sb,sh,sw} wE, [xTab, rIdx{, extend #k}] (register offset). */
    uint64_t ld_va;
    uint32_t ld;
    if (!find_def(c, br, add_va, re, &ld_va, &ld) || (ld & 0x3f200c00) != 0x38200800)
        return false;
    unsigned size = BITS(ld, 31, 30), opc = BITS(ld, 23, 22), option = BITS(ld, 15, 13);
    if (opc == 0 || size == 3 || (size == 2 && opc == 3) || !(option & 2) || BITS(ld, 9, 5) == 31)
        return false;
    t->size = size;
    t->ld_signed = opc >= 2;
    unsigned scaled = BITS(ld, 12, 12) ? size : 0, idx = BITS(ld, 20, 16);
    if (scaled != size || idx == 31)
        return false; /* an unscaled index into a wider table is not a jump table */
    if (!value_at(c, ld_va, BITS(ld, 9, 5), 0, &t->table) || !value_at(c, add_va, rb, 0, &t->base))
        return false;
    /* UXTW and SXTW index with a W register, LSL and SXTX with an X register. */
    t->n = bound_at(c, ld_va, idx, option & 1, 0);
    return t->n != 0;
}

/* The distinct 4-aligned targets of t, at most max. */
static unsigned targets_of(const struct ctx *c, const struct table *t, uint64_t *targets,
                           unsigned max)
{
    unsigned count = 0;
    for (unsigned i = 0; i < t->n && count < max; i++) {
        uint64_t e = 0;
        if (!c->read(c->rctx, t->table + ((uint64_t)i << t->size), &e, 1u << t->size))
            break;
        if (t->ld_signed)
            e = sext64(e, 8u << t->size);
        if (t->ext_bits < 64)
            e = t->ext_signed ? sext64(e, t->ext_bits) : e & ((1ull << t->ext_bits) - 1);
        uint64_t to = t->base + (e << t->shift);
        bool dup = false;
        for (unsigned k = 0; k < count && !dup; k++)
            dup = targets[k] == to;
        if (!dup && !(to & 3))
            targets[count++] = to;
    }
    return count;
}

static bool same_table(const struct table *a, const struct table *b)
{
    return a->table == b->table && a->base == b->base && a->n == b->n && a->size == b->size &&
           a->shift == b->shift && a->ext_bits == b->ext_bits && a->ld_signed == b->ld_signed &&
           a->ext_signed == b->ext_signed;
}

/* Adds the edges from the BR at br to its targets (those inside the code read). */
static bool add_edges(struct ctx *c, uint64_t br, const uint64_t *targets, unsigned n)
{
    struct edge *e = realloc(c->edges, (c->nedges + n + 1) * sizeof *e);
    if (!e)
        return false;
    c->edges = e;
    for (unsigned i = 0; i < n; i++)
        if (targets[i] >= c->lo && targets[i] < c->hi)
            c->edges[c->nedges++] = (struct edge){targets[i], br};
    qsort(c->edges, c->nedges, sizeof *c->edges, edge_cmp);
    return true;
}

/* Adds the edges of the other tables near the BR, guessed as optimistically as its own: another
 * switch in the same function (or a switch inside a case of this one) reaches its cases only
 * through its own BR, which would leave them unexplained. */
static bool add_neighbours(struct ctx *c)
{
    uint64_t *targets = malloc(MAX_ENTRIES * sizeof *targets);
    uint64_t lo = c->br_va - NEAR > c->lo && c->br_va > NEAR ? c->br_va - NEAR : c->lo;
    bool ok = targets != NULL;
    unsigned left = NEIGHBOURS_BUDGET;
    for (uint64_t va = lo; ok && va < c->hi && va < c->br_va + NEAR; va += 4) {
        struct table t;
        uint32_t w;
        if (va == c->br_va || !word_at(c, va, &w) || (w & 0xfffffc1f) != 0xd61f0000)
            continue;
        if (left < NEIGHBOUR_BUDGET)
            break;
        c->budget = NEIGHBOUR_BUDGET;
        if (recognize(c, va, &t))
            ok = add_edges(c, va, targets, targets_of(c, &t, targets, MAX_ENTRIES));
        left -= NEIGHBOUR_BUDGET - c->budget;
    }
    free(targets);
    return ok;
}

/* Guess the table optimistically, then check the guess. */
static unsigned guess_and_check(struct ctx *c, uint64_t *targets, unsigned max)
{
    struct table guess, check;
    c->optimistic = true;
    /* First without the other tables' edges, then (as a switch inside a case of another one is
     * reached only through that one's cases) with them. */
    bool neighbours = false;
    c->ignored = false;
    if (!recognize(c, c->br_va, &guess)) {
        if (!c->ignored)
            return 0; /* not for want of the other tables' edges */
        c->budget = BUDGET;
        if (!add_neighbours(c) || !recognize(c, c->br_va, &guess))
            return 0;
        neighbours = true;
    }
    unsigned n = targets_of(c, &guess, targets, max);
    /* Check the guess with the tables' edges in place and no unexplained code on the way. */
    if (!add_edges(c, c->br_va, targets, n) || (!neighbours && !add_neighbours(c)))
        return 0;
    c->optimistic = false;
    c->budget = BUDGET;
    return recognize(c, c->br_va, &check) && same_table(&guess, &check) ? n : 0;
}

unsigned a64_jump_table(a64_read_fn *read, void *rctx, uint64_t br_va, uint64_t *targets,
                        unsigned max)
{
    struct ctx c = {.read = read, .rctx = rctx, .br_va = br_va, .budget = BUDGET};
    unsigned n = load_code(&c) ? guess_and_check(&c, targets, max) : 0;
    free(c.code);
    free(c.edges);
    return n;
}
