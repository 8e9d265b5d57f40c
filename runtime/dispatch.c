/*
 * Dispatch: guest address -> translated function. Entries are the function starts and return
 * sites the translator found; an address without one runs in the interpreter until control
 * reaches one.
 */
#include "rt.h"

#include <stdlib.h>

static bool interp_only; /* XLATE_INTERP: every block goes through the interpreter */

/* Open-addressing hash of the entry table, built once: indirect branches look up here. */
static struct rt_entry *hash;
static uint64_t hash_mask;

static uint64_t slot_of(uint64_t va)
{
    return (va >> 2) * 0x9e3779b97f4a7c15ull >> 16;
}

void rt_dispatch_init(bool only_interp)
{
    interp_only = only_interp;
    uint64_t size = 16;
    while (size < 2ull * rt_img->nentries)
        size *= 2;
    hash = calloc(size, sizeof *hash);
    if (!hash)
        rt_fatal("out of memory building the dispatch table");
    hash_mask = size - 1;
    for (uint32_t i = 0; i < rt_img->nentries; i++) {
        const struct rt_entry *e = &rt_img->entries[i];
        uint64_t k = slot_of(e->va) & hash_mask;
        while (hash[k].fn)
            k = (k + 1) & hash_mask;
        hash[k] = *e;
    }
}

/* Inlined into rt_lookup, which every indirect branch of translated code calls. */
static inline rt_fn *find(uint64_t va)
{
    if (interp_only)
        return NULL;
    for (uint64_t k = slot_of(va) & hash_mask; hash[k].fn; k = (k + 1) & hash_mask)
        if (hash[k].va == va)
            return hash[k].fn;
    return NULL;
}

rt_fn *rt_find(uint64_t va)
{
    return find(va);
}

/* Inside a guest handler for a host fault, every indirect branch first checks whether the guest
 * has left the handler for good (a longjmp ends in one), so the host frames below it are given
 * up before new ones pile on them. */
static void fault_guard(struct cpu *c, uint64_t va)
{
    rt_fault_check(c);
    rt_fn *fn = find(va);
    (fn ? fn : rt_interp)(c, va);
}

rt_fn *rt_lookup(uint64_t va)
{
    if (rt_self()->nfaults)
        return fault_guard;
    rt_fn *fn = find(va);
    return fn ? fn : rt_interp;
}

void rt_step(struct cpu *c)
{
    rt_lookup(c->pc)(c, c->pc);
    if (c->pending)
        rt_deliver_pending(c);
}

_Noreturn void rt_run(struct cpu *c)
{
    /* Unwinding from a fault handler lands here, with the guest state in *c. */
    sigsetjmp(rt_thread_of(c)->base, 0);
    for (;;)
        rt_step(c);
}
