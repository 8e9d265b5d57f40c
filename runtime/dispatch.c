/*
 * Dispatch: guest address -> translated function. Entries are the function starts and return
 * sites the translator found; an address without one runs in the interpreter until control
 * reaches one.
 */
#include "rt.h"

static bool interp_only; /* XLATE_INTERP: every block goes through the interpreter */

void rt_dispatch_init(bool only_interp)
{
    interp_only = only_interp;
}

rt_fn *rt_find(uint64_t va)
{
    if (interp_only) return NULL;
    const struct rt_entry *e = xlate_image.entries;
    uint32_t lo = 0, hi = xlate_image.nentries;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (e[mid].va == va) return e[mid].fn;
        if (e[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

rt_fn *rt_lookup(uint64_t va)
{
    rt_fn *fn = rt_find(va);
    return fn ? fn : rt_interp;
}

void rt_run(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    for (;;) {
        rt_lookup(c->pc)(c, c->pc);
        if (t->sigreturn) {
            t->sigreturn = false;
            return;
        }
        if (c->pending) rt_deliver_pending(c);
    }
}

void rt_safepoint(struct cpu *c)
{
    rt_deliver_pending(c);
}
