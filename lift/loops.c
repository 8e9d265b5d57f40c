/*
 * Safe points: where a loop lets a pending signal in. A loop with no call in it would otherwise
 * never reach the runtime, so one block of every cycle polls before it runs: with a signal
 * pending it stores pc and leaves for the dispatcher, which delivers the signal and enters the
 * function again at that block -- so the block must be an entry.
 *
 * The blocks chosen are the targets of the back edges of natural loops, those whose target
 * dominates their source: loop headers. The poll sits at the head rather than on the back edge
 * so that the guest's conditional branch back stays one host branch (a poll on the edge split it
 * into an exit test and an unconditional jump back), and the only entries added are loop
 * headers. An entry inside a loop body would give the loop a second way in, and LLVM's loop
 * passes (LICM keeping registers in host registers above all) ignore such irreducible cycles. In a
 * reducible graph every cycle has a back edge; guest code with an irreducible cycle (rare in
 * compiler output) instead polls at the target of every backward branch, as its cycles cannot be
 * found by dominance.
 */
#include "loops.h"

#include <stdlib.h>

/* Cooper, Harvey and Kennedy's iterative dominators over the blocks in reverse postorder, from a
 * virtual root (index n) with edges to the roots. */
struct dom {
    unsigned n;
    const unsigned *first, *to;
    unsigned *rpo_num; /* block -> position in reverse postorder, UINT_MAX if unreached */
    unsigned *order;   /* reverse postorder; order[0] is the virtual root */
    unsigned *idom;
    unsigned norder;
};

#define NONE (~0u)

static unsigned intersect(const struct dom *d, unsigned a, unsigned b)
{
    while (a != b) {
        while (d->rpo_num[a] > d->rpo_num[b])
            a = d->idom[a];
        while (d->rpo_num[b] > d->rpo_num[a])
            b = d->idom[b];
    }
    return a;
}

/* Postorder by an explicit stack (functions can have tens of thousands of blocks). */
static int number(struct dom *d, const unsigned *roots, unsigned nroots)
{
    unsigned n = d->n;
    unsigned *stack = malloc((n + 1) * sizeof *stack), *next = calloc(n + 1, sizeof *next);
    unsigned *post = malloc((n + 1) * sizeof *post), npost = 0;
    char *seen = calloc(n + 1, 1);
    if (!stack || !next || !post || !seen) {
        free(stack), free(next), free(post), free(seen);
        return -1;
    }
    unsigned sp = 0;
    stack[sp++] = n;
    seen[n] = 1;
    while (sp) {
        unsigned b = stack[sp - 1];
        unsigned nsucc = b == n ? nroots : d->first[b + 1] - d->first[b];
        if (next[b] < nsucc) {
            unsigned s = b == n ? roots[next[b]] : d->to[d->first[b] + next[b]];
            next[b]++;
            if (!seen[s]) {
                seen[s] = 1;
                stack[sp++] = s;
            }
            continue;
        }
        post[npost++] = b;
        sp--;
    }
    for (unsigned i = 0; i <= n; i++)
        d->rpo_num[i] = NONE;
    for (unsigned i = 0; i < npost; i++) {
        d->order[i] = post[npost - 1 - i];
        d->rpo_num[d->order[i]] = i;
    }
    d->norder = npost;
    free(stack), free(next), free(post), free(seen);
    return 0;
}

/* Predecessor lists, for the iteration. */
static int dominators(struct dom *d, const unsigned *roots, unsigned nroots)
{
    unsigned n = d->n, nedges = d->first[n];
    unsigned *pfirst = calloc(n + 2, sizeof *pfirst),
             *pfrom = malloc((nedges + nroots + 1) * sizeof *pfrom);
    if (!pfirst || !pfrom || number(d, roots, nroots) != 0) {
        free(pfirst), free(pfrom);
        return -1;
    }
    for (unsigned e = 0; e < nedges; e++)
        pfirst[d->to[e] + 1]++;
    for (unsigned r = 0; r < nroots; r++)
        pfirst[roots[r] + 1]++;
    for (unsigned i = 0; i <= n; i++)
        pfirst[i + 1] += pfirst[i];
    unsigned *fill = malloc((n + 1) * sizeof *fill);
    if (!fill) {
        free(pfirst), free(pfrom);
        return -1;
    }
    for (unsigned i = 0; i <= n; i++)
        fill[i] = pfirst[i];
    for (unsigned b = 0; b < n; b++)
        for (unsigned e = d->first[b]; e < d->first[b + 1]; e++)
            pfrom[fill[d->to[e]]++] = b;
    for (unsigned r = 0; r < nroots; r++)
        pfrom[fill[roots[r]]++] = n;
    free(fill);

    for (unsigned i = 0; i <= n; i++)
        d->idom[i] = NONE;
    d->idom[n] = n;
    for (bool changed = true; changed;) {
        changed = false;
        for (unsigned i = 1; i < d->norder; i++) {
            unsigned b = d->order[i], nd = NONE;
            for (unsigned p = pfirst[b]; p < pfirst[b + 1]; p++) {
                unsigned q = pfrom[p];
                if (d->idom[q] == NONE)
                    continue;
                nd = nd == NONE ? q : intersect(d, q, nd);
            }
            if (nd != d->idom[b]) {
                d->idom[b] = nd;
                changed = true;
            }
        }
    }
    free(pfirst), free(pfrom);
    return 0;
}

static bool dominates(const struct dom *d, unsigned a, unsigned b)
{
    if (d->idom[b] == NONE)
        return false;
    for (;;) {
        if (a == b)
            return true;
        if (b == d->n)
            return false;
        b = d->idom[b];
    }
}

int lift_safe_points(struct lift_func *f, const unsigned *first, const unsigned *to,
                     const unsigned *roots, unsigned nroots, struct u64vec *entries)
{
    unsigned n = f->nblocks, nedges = first[n];
    struct dom d = {.n = n, .first = first, .to = to};
    d.rpo_num = malloc((n + 1) * sizeof *d.rpo_num);
    d.order = malloc((n + 1) * sizeof *d.order);
    d.idom = malloc((n + 1) * sizeof *d.idom);
    bool *safe = calloc(nedges + 1, sizeof *safe);
    int rc = -1;
    if (!d.rpo_num || !d.order || !d.idom || !safe || dominators(&d, roots, nroots) != 0)
        goto out;
    /* The graph is reducible iff every retreating edge of the depth-first order (one going
     * back in reverse postorder) is a back edge. */
    bool reducible = true;
    for (unsigned b = 0; b < n; b++)
        for (unsigned e = first[b]; e < first[b + 1]; e++) {
            safe[e] = dominates(&d, to[e], b);
            reducible &= safe[e] || d.rpo_num[to[e]] > d.rpo_num[b];
        }
    if (!reducible)
        for (unsigned b = 0; b < n; b++)
            for (unsigned e = first[b]; e < first[b + 1]; e++)
                safe[e] = f->blocks[to[e]].va <= f->blocks[b].va;
    rc = 0;
    for (unsigned b = 0; b < n && rc == 0; b++)
        for (unsigned e = first[b]; e < first[b + 1] && rc == 0; e++) {
            struct lift_block *head = &f->blocks[to[e]];
            if (!safe[e] || head->poll)
                continue;
            head->poll = true;
            rc = u64vec_push(entries, head->va) ? 0 : -1;
        }
out:
    free(d.rpo_num), free(d.order), free(d.idom), free(safe);
    return rc;
}
