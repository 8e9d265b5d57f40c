/*
 * Dispatch: guest address -> translated function. Entries are the function starts and return
 * sites the translator found; an address without one runs in the interpreter until control
 * reaches one.
 */
#include "rt.h"

#include "../lift/dispatch_hash.h"

#include <stdlib.h>

/* Open-addressing hash of the entry table (rt_probe.table), built once: indirect branches look
 * up here. A free slot has va 0 (never guest code) and the interpreter as its function, so a
 * probe compares addresses only and a miss needs no test of its own. Under XLATE_INTERP the table
 * stays empty. */
static uint64_t hash_mask;
struct rt_probe rt_probe;
__thread uint64_t rt_probe_guard;

static uint64_t slot_of(uint64_t va)
{
    return dispatch_slot(va, rt_probe.shift);
}

void rt_dispatch_init(bool only_interp)
{
    uint64_t size = 16, shift = 60;
    while (size < 2ull * rt_img->nentries) {
        size *= 2;
        shift--;
    }
    struct rt_entry *hash = malloc(size * sizeof *hash);
    if (!hash)
        rt_fatal("out of memory building the dispatch table");
    hash_mask = size - 1;
    rt_probe = (struct rt_probe){hash, shift};
    for (uint64_t k = 0; k < size; k++)
        hash[k] = (struct rt_entry){0, rt_interp};
    /* In the image's order: function starts, the usual targets of indirect branches, first
     * take the slots their addresses hash to, the one slot translated code probes inline. */
    for (uint32_t i = 0; i < rt_img->nentries && !only_interp; i++) {
        const struct rt_entry *e = &rt_img->entries[i];
        if (e->va == 0)
            continue;
        uint64_t k = slot_of(e->va);
        while (hash[k].va)
            k = (k + 1) & hash_mask;
        hash[k] = *e;
    }
}

/* The translation for va, or rt_interp. Inlined into rt_lookup, which translated code calls
 * when its inline probe of the first slot misses. */
static inline rt_fn *find(uint64_t va)
{
    const struct rt_entry *hash = rt_probe.table;
    uint64_t k = slot_of(va);
    while (__builtin_expect(hash[k].va != va, 0) && hash[k].va)
        k = (k + 1) & hash_mask;
    return hash[k].fn;
}

rt_fn *rt_find(uint64_t va)
{
    rt_fn *fn = find(va);
    return fn == rt_interp ? NULL : fn;
}

/* Inside a guest handler for a host fault, every indirect branch first checks whether the guest
 * has left the handler for good (a longjmp ends in one), so the host frames below it are given
 * up before new ones pile on them. */
static void fault_guard(struct cpu *c, uint64_t va)
{
    rt_fault_check(c);
    find(va)(c, va);
}

rt_fn *rt_lookup(uint64_t va)
{
    if (__builtin_expect(rt_self()->nfaults != 0, 0))
        return fault_guard;
    return find(va);
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
