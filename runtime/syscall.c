/*
 * System call dispatch. The guest's number indexes a table built from syscall.def; the result,
 * a value or -errno exactly as the kernel returns it, goes to x0. XLATE_STRACE=1 logs each call.
 * Signals and system calls meet as in the kernel: a signal caught before the svc is delivered
 * first, with the svc as the interrupted instruction; a call interrupted by a signal (the
 * blocking ones go through rt_block_syscall, so none is missed) fails with -EINTR, or, for calls
 * flagged R under a SA_RESTART handler (ERESTARTSYS), leaves x0 as it was and the handler
 * returns to the svc, which runs again.
 */
#include "rt.h"

#include "../lift/a64/sem/sem.h"

#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define R 1

bool rt_strace;

typedef long sys_fn(struct cpu *c, const uint64_t *a);

struct sys_row {
    const char *name;
    sys_fn *fn;   /* EMU rows */
    long host_nr; /* PASS rows */
    unsigned nargs, flags;
};

static const struct sys_row table[] = {
#define PASS(nr, name, nargs, flags) [nr] = {#name, NULL, SYS_##name, nargs, flags},
#define EMU(nr, name, nargs, flags)  [nr] = {#name, sys_##name, -1, nargs, flags},
#include "syscall.def"
#undef PASS
#undef EMU
};
#define NTABLE (sizeof table / sizeof table[0])

static void trace(uint64_t nr, const struct sys_row *row, const uint64_t *a, long r)
{
    char buf[256];
    int n;
    if (row && row->name) {
        n = snprintf(buf, sizeof buf, "[%d] %s(", (int)syscall(SYS_gettid), row->name);
        for (unsigned i = 0; i < row->nargs && n < (int)sizeof buf; i++)
            n += snprintf(buf + n, sizeof buf - (size_t)n, "%s0x%llx", i ? ", " : "",
                          (unsigned long long)a[i]);
    } else {
        n = snprintf(buf, sizeof buf, "[%d] syscall_%llu(0x%llx, 0x%llx, 0x%llx",
                     (int)syscall(SYS_gettid), (unsigned long long)nr, (unsigned long long)a[0],
                     (unsigned long long)a[1], (unsigned long long)a[2]);
    }
    if (n < (int)sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ") = %ld\n", r);
    if (n > (int)sizeof buf)
        n = (int)sizeof buf;
    if (write(2, buf, (size_t)n) < 0)
        return;
}

void rt_svc(struct cpu *c)
{
    rt_syscall(c);
}

void rt_syscall(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    /* A signal that arrived before the svc is the kernel's first business: it is delivered with
     * the svc as the interrupted instruction, which runs when the handler returns. */
    if (rt_pending && rt_signal_check(c)) {
        c->pc -= 4;
        rt_deliver_pending(c);
        return;
    }
    uint64_t nr = c->x[8];
    const uint64_t a[6] = {c->x[0], c->x[1], c->x[2], c->x[3], c->x[4], c->x[5]};
    const struct sys_row *row = nr < NTABLE && table[nr].name ? &table[nr] : NULL;
    long r;
    t->in_syscall = (int)nr + 1;
    if (!row)
        r = -ENOSYS;
    else if (row->fn)
        r = row->fn(c, a);
    else
        r = rt_block_syscall(row->host_nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    t->in_syscall = 0;
    if (rt_strace)
        trace(nr, row, a, r);
    if (r == -EINTR && rt_signal_check(c) && (row->flags & R) && rt_signal_restarts(c)) {
        /* ERESTARTSYS under SA_RESTART: the handler returns to the svc, with x0 as it was. */
        c->pc -= 4;
        rt_deliver_pending(c);
        return;
    }
    c->x[0] = (uint64_t)r;
    if (rt_pending || t->queued || t->has_saved)
        rt_deliver_pending(c);
    if (t->code_changed) {
        /* Host frames may be running translations the call made stale (smc.c). Under a guest
         * handler for a host fault they stay: the fault's host frame must be there to resume. */
        t->code_changed = false;
        if (t->nfaults == 0)
            rt_unwind(t);
    }
}
