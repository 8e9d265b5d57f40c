/*
 * Dispatch: guest address -> translated function. Entries are the function starts and return
 * sites the translator found; an address without one runs in the interpreter until control
 * reaches one.
 */
#include "rt.h"

#include "../lift/dispatch_hash.h"

#include <stdlib.h>

/* Open-addressing hash of the entry table, built once: indirect branches look up here. A free
 * slot has va 0 (never guest code) and the interpreter as its function, so a probe compares
 * addresses only and a miss needs no test of its own. Under XLATE_INTERP the table stays empty. */
static struct rt_entry *hash;
static uint64_t hash_mask, hash_shift;

/* The one-slot table of a thread inside a guest fault handler: whatever the address, a hit calls
 * rt_fault_guard and a miss rt_lookup, which checks too. New threads start with it until
 * rt_dispatch_thread() gives them the real table. */
static const struct rt_entry guard_table[1] = {{0, &rt_fault_guard_code}};
__thread const struct rt_entry *rt_probe_table = guard_table;
__thread uint64_t rt_probe_mask;

static uint64_t slot_of(uint64_t va)
{
    return dispatch_slot(va, hash_shift);
}

void rt_dispatch_thread(bool in_fault_handler)
{
    rt_probe_table = in_fault_handler ? guard_table : hash;
    rt_probe_mask = in_fault_handler ? 0 : hash_mask << 4;
}

void rt_dispatch_init(bool only_interp)
{
    hash_shift = rt_img->dispatch_shift;
    uint64_t size = 1ull << (64 - hash_shift);
    if (size < 2ull * rt_img->nentries)
        rt_fatal("the image's dispatch table is too small for its entries");
    struct rt_entry *h = malloc(size * sizeof *h);
    if (!h)
        rt_fatal("out of memory building the dispatch table");
    hash_mask = size - 1;
    for (uint64_t k = 0; k < size; k++)
        h[k] = (struct rt_entry){0, &rt_interp_code};
    /* In the image's order: function starts, the usual targets of indirect branches, first
     * take the slots their addresses hash to, the one slot translated code probes inline. */
    for (uint32_t i = 0; i < rt_img->nentries && !only_interp; i++) {
        const struct rt_entry *e = &rt_img->entries[i];
        if (e->va == 0)
            continue;
        uint64_t k = slot_of(e->va);
        while (h[k].va)
            k = (k + 1) & hash_mask;
        h[k] = *e;
    }
    hash = h;
    rt_dispatch_thread(false);
}

/* The translation for va, or the interpreter. Inlined into rt_lookup, which translated code calls
 * when its inline probe of the first slot misses. */
static inline rt_fn *find(uint64_t va)
{
    uint64_t k = slot_of(va);
    while (__builtin_expect(hash[k].va != va, 0) && hash[k].va)
        k = (k + 1) & hash_mask;
    return hash[k].fn;
}

void rt_dispatch_forget(bool (*gone)(rt_fn *fn))
{
    for (uint64_t k = 0; hash && k <= hash_mask; k++)
        if (hash[k].va && gone(hash[k].fn))
            __atomic_store_n(&hash[k].fn, &rt_interp_code, __ATOMIC_RELAXED);
}

rt_fn *rt_find(uint64_t va)
{
    rt_fn *fn = find(va);
    return fn == &rt_interp_code ? NULL : fn;
}

/* Inside a guest handler for a host fault, every indirect branch first checks whether the guest
 * has left the handler for good (a longjmp ends in one), so the host frames below it are given
 * up before new ones pile on them. */
void rt_fault_guard(struct cpu *c, uint64_t va)
{
    c->pc = va; /* where the dispatcher resumes if the handler was left (calls do not store it) */
    rt_fault_check(c);
    rt_call(find(va), c, va);
}

rt_fn *rt_lookup(uint64_t va)
{
    if (__builtin_expect(rt_self()->nfaults != 0, 0))
        return &rt_fault_guard_code;
    return find(va);
}

void rt_step(struct cpu *c)
{
    rt_call(rt_lookup(c->pc), c, c->pc);
    if (rt_pending)
        rt_deliver_pending(c);
}

_Noreturn void rt_run(struct cpu *c)
{
    /* Unwinding from a fault handler lands here, with the guest state in *c. */
    sigsetjmp(rt_thread_of(c)->base, 0);
    for (;;)
        rt_step(c);
}
