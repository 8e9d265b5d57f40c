/*
 * Control-flow recovery. Two passes over the code reachable from the seeds:
 *  1. discovery: follow every edge once and collect call targets as further function starts;
 *  2. per function: the blocks reachable from its start (and its address-taken labels) without
 *     entering another function's start -- a branch to another start is a tail call.
 * A block may belong to several functions; each gets its own translation of it.
 */
#include "a64/a64.h"
#include "lift.h"
#include "loops.h"
#include "u64set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLE 4096

struct cfg {
    struct lift_reader rd;
    struct u64set starts;
    struct u64set reached; /* every instruction address pass 1 visited */
    bool have_symbols;     /* function boundaries are known beyond what calls show */
    const struct lift_seed *seeds;
    unsigned nseeds;
    uint64_t table[MAX_TABLE]; /* scratch for jump-table targets */
};

static bool fetch(const struct cfg *g, uint64_t va, struct insn *in)
{
    if (!g->rd.read(g->rd.ctx, va, &in->word))
        return false;
    in->pc = va;
    in->op = a64_decode(in->word);
    return true;
}

/* Candidate targets of the indirect branch at va (a recognized jump table), into g->table. */
static unsigned table_targets(struct cfg *g, uint64_t va)
{
    return a64_jump_table(g->rd.read_data, g->rd.ctx, va, g->table, MAX_TABLE);
}

/* An indirect branch that is no recognized table may still be a computed goto (GCC's
 * `goto *labels[op]`, as in lua's interpreter loop), whose targets are the function's
 * address-taken labels: those, into g->table, become its successors, so the dispatch stays inside
 * the function with the registers in SSA. Any other target is still looked up at run time. */
static unsigned label_targets(struct cfg *g, const struct u64vec *roots)
{
    unsigned n = 0;
    for (size_t i = 1; i < roots->n && n < MAX_TABLE; i++) /* roots->v[0] is the start */
        g->table[n++] = roots->v[i];
    return n;
}

static bool readable(const struct cfg *g, uint64_t va)
{
    uint32_t w;
    return !(va & 3) && g->rd.read(g->rd.ctx, va, &w);
}

/* An address formed in code (ADR, ADRP+ADD) that points at code: a function start is reached;
 * elsewhere, with symbols telling where functions start, it is a label inside one (explored, not
 * a start); without symbols it is taken to start a function. */
static int code_pointer(struct cfg *g, uint64_t va, struct u64vec *work)
{
    if (!readable(g, va) || u64set_has(&g->reached, va))
        return 0;
    if (!g->have_symbols && u64set_add(&g->starts, va) < 0)
        return -1;
    return u64vec_push(work, va) ? 0 : -1;
}

/* Pass 1: follow every edge from the roots once; call targets become function starts. */
static int discover(struct cfg *g)
{
    struct u64vec work = {0};
    int rc = 0;
    for (unsigned i = 0; i < g->nseeds && rc == 0; i++)
        if (g->seeds[i].root && !u64vec_push(&work, g->seeds[i].va))
            rc = -1;
    while (rc == 0 && work.n) {
        uint64_t pc = work.v[--work.n];
        struct a64_consts consts;
        a64_consts_reset(&consts);
        /* What the host does is not translated, nor what only it reaches. */
        if (lift_routine_by_host(lift_seed_routine(g->seeds, g->nseeds, pc))) {
            rc = u64set_add(&g->reached, pc) < 0 ? -1 : 0;
            continue;
        }
        for (;; pc += 4) {
            int added = u64set_add(&g->reached, pc);
            struct insn in;
            if (added <= 0 || !fetch(g, pc, &in)) {
                rc = added < 0 ? -1 : 0;
                break;
            }
            if (in.op == A64_UNALLOCATED)
                break;
            uint64_t ptr;
            if (a64_consts_step(&consts, &in, &ptr) && code_pointer(g, ptr, &work) != 0)
                rc = -1;
            struct a64_flow fl;
            a64_flow(&in, &fl);
            if (fl.kind == FLOW_NEXT || fl.kind == FLOW_ICALL)
                continue;
            if (fl.kind == FLOW_CALL && readable(g, fl.target)) {
                if (u64set_add(&g->starts, fl.target) < 0 || !u64vec_push(&work, fl.target))
                    rc = -1;
                continue;
            }
            if ((fl.kind == FLOW_JUMP || fl.kind == FLOW_COND) && !u64vec_push(&work, fl.target))
                rc = -1;
            if (fl.kind == FLOW_IJUMP)
                for (unsigned i = 0, n = table_targets(g, pc); i < n && rc == 0; i++)
                    rc = u64vec_push(&work, g->table[i]) ? 0 : -1;
            if (fl.kind != FLOW_COND && fl.kind != FLOW_CALL)
                break;
        }
    }
    free(work.v);
    return rc;
}

static bool ends_block(const struct insn *in)
{
    struct a64_flow fl;
    a64_flow(in, &fl);
    return in->op == A64_UNALLOCATED || fl.kind != FLOW_NEXT;
}

int lift_block_index(const struct lift_func *f, uint64_t va)
{
    unsigned lo = 0, hi = f->nblocks;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (f->blocks[mid].va == va)
            return (int)mid;
        if (f->blocks[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The successor edges of f's blocks, as block indices (first[] has nblocks + 1 elements), then
 * the safe points they need (loops.c). `roots` holds the addresses f is entered at. */
static int safe_points(const struct cfg *g, struct lift_func *f, const struct u64vec *roots,
                       struct u64vec *entries)
{
    struct u64vec to = {0};
    unsigned *first = malloc((f->nblocks + 1) * sizeof *first);
    unsigned *root = malloc((roots->n ? roots->n : 1) * sizeof *root), nroots = 0;
    int rc = first && root ? 0 : -1;
    for (unsigned b = 0; b < f->nblocks && rc == 0; b++) {
        const struct lift_block *blk = &f->blocks[b];
        first[b] = (unsigned)to.n;
        struct insn in;
        if (!fetch(g, blk->va + 4ull * (blk->ninsns - 1), &in) || in.op == A64_UNALLOCATED)
            continue;
        struct a64_flow fl;
        a64_flow(&in, &fl);
        uint64_t succ[2];
        const uint64_t *list = succ;
        unsigned n = 0;
        switch (fl.kind) {
        case FLOW_COND: succ[n++] = fl.target; /* fall through */
        case FLOW_NEXT:
        case FLOW_CALL:
        case FLOW_ICALL: succ[n++] = in.pc + 4; break;
        case FLOW_JUMP: succ[n++] = fl.target; break;
        case FLOW_IJUMP:
            list = blk->succ;
            n = blk->nsucc;
            break;
        case FLOW_RET: break;
        }
        for (unsigned i = 0; i < n && rc == 0; i++) {
            int t = lift_block_index(f, list[i]);
            if (t >= 0 && !u64vec_push(&to, (uint64_t)t))
                rc = -1;
        }
    }
    unsigned *edges = malloc((to.n ? to.n : 1) * sizeof *edges);
    if (rc == 0 && edges) {
        first[f->nblocks] = (unsigned)to.n;
        for (size_t e = 0; e < to.n; e++)
            edges[e] = (unsigned)to.v[e];
        for (size_t i = 0; i < roots->n; i++) {
            int b = lift_block_index(f, roots->v[i]);
            if (b >= 0)
                root[nroots++] = (unsigned)b;
        }
        rc = lift_safe_points(f, first, edges, root, nroots, entries);
    } else
        rc = -1;
    free(edges);
    free(first);
    free(root);
    free(to.v);
    return rc;
}

/* Pass 2 for one function: its blocks and entries (return sites, address-taken labels and loop
 * heads). */
static int build_func(struct cfg *g, uint64_t start, struct lift_func *f)
{
    struct u64set seen = {0}, leaders = {0};
    struct u64vec work = {0}, entries = {0}, insns = {0}, roots = {0};
    struct u64vec tables = {0}; /* per indirect jump: its address, count, labels?, targets... */
    int rc = 0;
    f->va = start;
    f->routine = lift_seed_routine(g->seeds, g->nseeds, start);
    if (lift_routine_by_host(f->routine))
        return 0; /* the host's C library does it: no blocks */
    rc |= !u64vec_push(&work, start) || !u64vec_push(&roots, start);
    for (unsigned i = 0; i < g->nseeds; i++)
        if (g->seeds[i].owner == start && g->seeds[i].va != start) {
            rc |= !u64vec_push(&work, g->seeds[i].va);
            rc |= !u64vec_push(&entries, g->seeds[i].va);
            rc |= !u64vec_push(&roots, g->seeds[i].va);
        }
    while (rc == 0 && work.n) {
        uint64_t pc = work.v[--work.n];
        if (u64set_add(&leaders, pc) < 0) {
            rc = -1;
            break;
        }
        for (uint64_t first = pc;; pc += 4) {
            if (pc != first && pc != start && u64set_has(&g->starts, pc))
                break; /* falls into another function: a tail call */
            if (u64set_has(&seen, pc)) {
                rc |= u64set_add(&leaders, pc) < 0;
                break;
            }
            struct insn in;
            if (!fetch(g, pc, &in))
                break;
            if (u64set_add(&seen, pc) < 0 || !u64vec_push(&insns, pc)) {
                rc = -1;
                break;
            }
            if (in.op == A64_UNALLOCATED)
                break;
            struct a64_flow fl;
            a64_flow(&in, &fl);
            bool stop = true;
            switch (fl.kind) {
            case FLOW_NEXT: stop = false; break;
            case FLOW_COND:
                rc |= !u64vec_push(&work, pc + 4);
                /* fall through */
            case FLOW_JUMP:
                if ((fl.target == start || !u64set_has(&g->starts, fl.target)) &&
                    readable(g, fl.target))
                    rc |= !u64vec_push(&work, fl.target);
                break;
            case FLOW_CALL:
            case FLOW_ICALL:
                if (!u64set_has(&g->starts, pc + 4)) {
                    rc |= !u64vec_push(&work, pc + 4);
                    rc |= !u64vec_push(&entries, pc + 4);
                }
                break;
            case FLOW_IJUMP: {
                unsigned n = table_targets(g, pc);
                bool labels = n == 0;
                if (labels)
                    n = label_targets(g, &roots);
                size_t at = tables.n;
                if (n == 0 || !u64vec_push(&tables, pc) || !u64vec_push(&tables, 0) ||
                    !u64vec_push(&tables, labels)) {
                    rc |= n != 0;
                    break;
                }
                for (unsigned i = 0; i < n && rc == 0; i++) {
                    uint64_t t = g->table[i];
                    if (!readable(g, t) || !u64vec_push(&tables, t)) {
                        rc |= readable(g, t);
                        continue;
                    }
                    tables.v[at + 1]++;
                    /* A target that starts another function is a tail call, not ours to explore. */
                    if (!u64set_has(&g->starts, t) || t == start)
                        rc |= !u64vec_push(&work, t);
                }
                break;
            }
            case FLOW_RET: break;
            }
            if (stop)
                break;
        }
    }

    /* Cut the sorted instruction addresses into blocks. */
    u64_sort(insns.v, insns.n);
    f->blocks = calloc(insns.n ? insns.n : 1, sizeof *f->blocks);
    if (!f->blocks)
        rc = -1;
    bool cut = true;
    for (size_t i = 0; rc == 0 && i < insns.n; i++) {
        uint64_t pc = insns.v[i];
        if (cut || u64set_has(&leaders, pc) || pc != insns.v[i - 1] + 4)
            f->blocks[f->nblocks++] = (struct lift_block){.va = pc};
        f->blocks[f->nblocks - 1].ninsns++;
        struct insn in;
        cut = !fetch(g, pc, &in) || ends_block(&in);
    }
    /* Attach each table's targets to the block its branch ends. */
    for (size_t i = 0; rc == 0 && i < tables.n; i += 3 + tables.v[i + 1]) {
        uint64_t br = tables.v[i];
        unsigned n = (unsigned)tables.v[i + 1];
        for (unsigned b = 0; b < f->nblocks; b++) {
            struct lift_block *blk = &f->blocks[b];
            if (blk->va + 4ull * (blk->ninsns - 1) != br || blk->succ)
                continue;
            blk->succ = malloc((n ? n : 1) * sizeof *blk->succ);
            if (!blk->succ) {
                rc = -1;
                break;
            }
            memcpy(blk->succ, &tables.v[i + 3], n * sizeof *blk->succ);
            blk->nsucc = n;
            blk->labels = tables.v[i + 2] != 0;
        }
    }
    free(tables.v);
    if (rc == 0)
        rc = safe_points(g, f, &roots, &entries);
    free(roots.v);
    u64_sort(entries.v, entries.n);
    f->entries = entries.v;
    f->nentries = 0;
    /* Deduplicated, and only where a block starts: a return site that cannot be read is left
     * to the dispatcher's fallback, which faults there as the guest would. */
    for (size_t i = 0; i < entries.n; i++)
        if ((i == 0 || entries.v[i] != entries.v[i - 1]) && lift_block_index(f, entries.v[i]) >= 0)
            f->entries[f->nentries++] = entries.v[i];
    u64set_free(&seen);
    u64set_free(&leaders);
    free(work.v);
    free(insns.v);
    return rc ? -1 : 0;
}

/* The function starting at va, if any, is entered directly from translated code. */
static void mark_direct(struct lift_program *prog, uint64_t va)
{
    const struct lift_func *f = lift_find_func(prog, va);
    if (f)
        prog->funcs[f - prog->funcs].direct = true;
}

/* Which functions translated code enters without the dispatch table: the targets of direct
 * calls, and every function start that an edge leaves a function towards (the lifter makes those
 * tail calls). Conservative: every successor of every instruction counts. */
static void find_direct_entries(const struct cfg *g, struct lift_program *prog)
{
    for (unsigned fi = 0; fi < prog->nfuncs; fi++) {
        const struct lift_func *f = &prog->funcs[fi];
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned k = 0; k < f->blocks[b].ninsns; k++) {
                struct insn in;
                if (!fetch(g, f->blocks[b].va + 4ull * k, &in))
                    continue;
                struct a64_flow fl;
                a64_flow(&in, &fl);
                uint64_t next = in.pc + 4;
                if (fl.kind == FLOW_CALL)
                    mark_direct(prog, fl.target);
                if ((fl.kind == FLOW_JUMP || fl.kind == FLOW_COND) &&
                    lift_block_index(f, fl.target) < 0)
                    mark_direct(prog, fl.target);
                if (lift_block_index(f, next) < 0)
                    mark_direct(prog, next);
            }
    }
}

static int build_program(struct lift_reader rd, const struct lift_seed *seeds, unsigned nseeds,
                         struct lift_program *prog, struct lift_error *err)
{
    struct cfg g = {.rd = rd, .seeds = seeds, .nseeds = nseeds};
    memset(prog, 0, sizeof *prog);
    err->has_va = false;
    int rc = 0;
    for (unsigned i = 0; i < nseeds && rc == 0; i++) {
        g.have_symbols |= !seeds[i].root;
        if (seeds[i].va == seeds[i].owner && readable(&g, seeds[i].va))
            rc = u64set_add(&g.starts, seeds[i].va) < 0;
    }
    if (rc == 0)
        rc = discover(&g);

    /* Translate the functions pass 1 reached; the others keep their starts as boundaries. */
    struct u64vec starts = {0};
    for (size_t i = 0; rc == 0 && i < g.starts.cap; i++)
        if (g.starts.used[i] && u64set_has(&g.reached, g.starts.keys[i]) &&
            !u64vec_push(&starts, g.starts.keys[i]))
            rc = -1;
    u64_sort(starts.v, starts.n);
    prog->starts = starts.v;
    prog->nstarts = (unsigned)starts.n;
    prog->funcs = calloc(starts.n ? starts.n : 1, sizeof *prog->funcs);
    if (!prog->funcs)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < starts.n; i++) {
        rc = build_func(&g, starts.v[i], &prog->funcs[i]);
        prog->nfuncs++;
    }
    if (rc == 0)
        find_direct_entries(&g, prog);
    u64set_free(&g.starts);
    u64set_free(&g.reached);
    if (rc) {
        snprintf(err->msg, sizeof err->msg, "out of memory recovering control flow");
        lift_program_free(prog);
        return -1;
    }
    return 0;
}

/* A program that reaches a report of the allocator's state keeps the guest's allocator
 * (routines.c): its control flow is recovered again with the allocator translated. */
int lift_cfg(struct lift_reader rd, const struct lift_seed *seeds, unsigned nseeds,
             struct lift_program *prog, struct lift_error *err)
{
    if (build_program(rd, seeds, nseeds, prog, err) != 0)
        return -1;
    bool reports = false;
    for (unsigned i = 0; i < prog->nfuncs; i++)
        reports |= prog->funcs[i].routine == LIFT_ALLOC_REPORT;
    if (!reports)
        return 0;
    struct lift_seed *own = malloc((nseeds ? nseeds : 1) * sizeof *own);
    lift_program_free(prog);
    if (!own) {
        snprintf(err->msg, sizeof err->msg, "out of memory recovering control flow");
        return -1;
    }
    memcpy(own, seeds, nseeds * sizeof *own);
    for (unsigned i = 0; i < nseeds; i++)
        if (lift_routine_allocates(own[i].routine))
            own[i].routine = LIFT_ROUTINE_NONE;
    int rc = build_program(rd, own, nseeds, prog, err);
    free(own);
    return rc;
}

void lift_program_free(struct lift_program *prog)
{
    for (unsigned i = 0; i < prog->nfuncs; i++) {
        struct lift_func *f = &prog->funcs[i];
        for (unsigned j = 0; j < f->nblocks; j++)
            free(f->blocks[j].succ);
        free(f->blocks);
        free(f->entries);
    }
    free(prog->funcs);
    free(prog->starts);
    memset(prog, 0, sizeof *prog);
}

const struct lift_func *lift_find_func(const struct lift_program *prog, uint64_t va)
{
    size_t lo = 0, hi = prog->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (prog->funcs[mid].va == va)
            return &prog->funcs[mid];
        if (prog->funcs[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
