/*
 * The fallback interpreter: the same sem_ functions the translator inlines, called through a
 * table. It runs from an address with no translation until control reaches one: a call to
 * translated code is made as a nested call (so the host stack mirrors the guest's), a branch into
 * translated code continues there, and a return to a translated return site goes back to our
 * caller, which is that code's frame or the dispatcher.
 */
#include "rt.h"

#include "../lift/a64/sem/sem.h"

#include <signal.h>

void rt_interp(struct cpu *c, uint64_t va)
{
    struct rt_thread *t = rt_thread_of(c);
    c->pc = va;
    for (;;) {
        struct insn in = {.pc = c->pc};
        /* While it is set, a host fault is this instruction's (signal.c): exact pc and state. */
        t->interp_pc = in.pc;
        in.word = *(const uint32_t *)(uintptr_t)in.pc; /* a bad pc faults like a guest fetch */
        in.op = a64_decode(in.word);
        c->pc = in.pc + 4;
        a64_sem[in.op](c, &in);
        t->interp_pc = 0;
        if (t->sigreturn)
            return;
        if (rt_pending)
            rt_deliver_pending(c);
        uint32_t fl = a64_rows[in.op].flags;
        if (!(fl & (F_JUMP | F_COND | F_CALL | F_ICALL | F_IJUMP | F_RET)))
            continue;
        if (t->nfaults)
            rt_fault_check(c);
        rt_fn *fn = rt_find(c->pc);
        if (!fn)
            continue;
        if (fl & (F_CALL | F_ICALL)) {
            rt_call(fn, c, c->pc);
            if (t->sigreturn)
                return;
            continue;
        }
        if (!(fl & F_RET))
            rt_call(fn, c, c->pc);
        return;
    }
}
