/*
 * Guest signals.
 *
 * Asynchronous signals: the host handler only queues the signal on the thread it interrupted,
 * sets that thread's rt_pending and protects its poll page; the guest's handler runs at the next
 * safe point (syscall entry or return, loop head, dispatch, interpreter step). Translated loops
 * notice by a fault on the poll page, so that they need not test the flag. Delivery is what the
 * kernel does on its way back to user mode and nothing more: it writes the arm64 rt_sigframe
 * (arch/arm64/kernel/signal.c) on the guest stack and points the registers at the handler; the
 * dispatcher then simply runs guest code. rt_sigreturn reloads the registers from the frame. No
 * host frame stays behind for a handler, so a handler that never returns (longjmp, exceptions)
 * costs no host stack.
 *
 * Synchronous faults (a bad guest load or store in translated code or the interpreter): the
 * host handler runs the guest handler right there, on top of the faulting host frame, in a
 * nested dispatcher loop. When the guest handler returns with the interrupted state unchanged
 * (the usual "fix the page and retry"), the host handler returns and the faulting host
 * instruction runs again, exactly. When it changed the state, or abandoned the frame (longjmp
 * out of the handler: its stack pointer leaves the frame's stack), the host frames are given up
 * and the thread's outermost dispatcher continues from the guest state (siglongjmp to
 * rt_thread.base). Precision: the interpreter knows the faulting instruction, so its frames
 * hold the exact pc and registers. For a fault in translated code the frame holds si_addr and
 * the pc exactly (the pc from the executable's line table, pcmap.c), but every other register
 * (x0-x30, sp, NZCV, the FP/SIMD registers) as the register file holds it, not as of the
 * faulting instruction: translated code keeps guest registers in host registers between calls,
 * so the file has the values of the last call, return or exit to the dispatcher in that
 * function, plus whichever write-backs the optimizer placed near the fault (before or after it
 * in guest order). If the line table cannot name one guest instruction (a stripped executable,
 * or host code the optimizer merged from several guest instructions), the pc too is that of the
 * last call or branch out, and the death message says "near". Retrying is exact regardless; a
 * handler that changes the frame and returns (skipping the instruction, say) resumes from those
 * registers.
 *
 * The host signal mask follows the guest's (but never blocks the fault signals, which the
 * runtime needs for itself), so blocking works through the host kernel; guest dispositions
 * SIG_DFL and SIG_IGN are installed as such on the host, so default actions (and the exit status
 * they produce) are the kernel's own.
 */
#include "rt.h"

#include "../lift/a64/sem/sem.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define G_SA_NOCLDSTOP  0x00000001u
#define G_SA_NOCLDWAIT  0x00000002u
#define G_SA_SIGINFO    0x00000004u
#define G_SA_RESTORER   0x04000000u
#define G_SA_ONSTACK    0x08000000u
#define G_SA_RESTART    0x10000000u
#define G_SA_NODEFER    0x40000000u
#define G_SA_RESETHAND  0x80000000u
#define G_SS_ONSTACK    1
#define G_SS_DISABLE    2
#define G_SS_AUTODISARM (1u << 31)
#define G_MINSIGSTKSZ   5120

#define FPSIMD_MAGIC 0x46508001u

/* The kernel's struct sigaction on arm64 (asm-generic with SA_RESTORER). */
struct guest_sigaction {
    uint64_t handler, flags, restorer, mask;
};

/* Guest-visible layouts, from arch/arm64/include/uapi/asm/{sigcontext,ucontext}.h. */
struct guest_fpsimd_context {
    uint32_t magic, size;
    uint32_t fpsr, fpcr;
    unsigned __int128 vregs[32];
};

struct guest_sigcontext {
    uint64_t fault_address;
    uint64_t regs[31];
    uint64_t sp, pc, pstate;
    uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct guest_stack {
    uint64_t ss_sp;
    int32_t ss_flags, pad;
    uint64_t ss_size;
};

struct guest_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct guest_stack uc_stack;
    uint64_t uc_sigmask;
    uint8_t unused[1024 / 8 - 8];
    struct guest_sigcontext uc_mcontext;
};

struct guest_rt_sigframe {
    uint8_t info[128];
    struct guest_ucontext uc;
};

_Static_assert(offsetof(struct guest_ucontext, uc_mcontext) == 176, "arm64 ucontext layout");
_Static_assert(offsetof(struct guest_rt_sigframe, uc) == 128, "arm64 rt_sigframe layout");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t is the same 128 bytes on both sides");

#define SIG_BIT(s)  (1ull << ((s)-1))
#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
/* Signals the host raises for faults in guest code: the runtime's host handler must always run
 * for them, whatever the guest blocks. */
#define HOST_FAULTS (SIG_BIT(SIGSEGV) | SIG_BIT(SIGBUS) | SIG_BIT(SIGILL) | SIG_BIT(SIGFPE))

/* Dispositions are the process's; a vfork child, which shares our memory but not the kernel's
 * signal handler table, has its own copy (process.c), found through the thread pointer. */
static struct guest_sigaction process_actions[RT_NSIG + 1];
static __thread struct guest_sigaction *own_actions;

__thread volatile uint32_t rt_pending;
/* Page-aligned and a page long, so that it shares its page with nothing. */
__thread char rt_poll[4096] __attribute__((aligned(4096)));
/* Whether rt_poll is inaccessible. Set after the page is protected and cleared after it is
 * opened again, so that a host handler in between can only leave the page protected with the
 * flag set, or open with rt_pending set by a caller that looks at the queue next. */
static __thread volatile bool poll_armed;

static void poll_protect(int prot)
{
    rt_host_syscall(SYS_mprotect, (uint64_t)(uintptr_t)rt_poll, sizeof rt_poll, (uint64_t)prot, 0,
                    0, 0);
}

static void poll_disarm(void)
{
    if (poll_armed) {
        poll_protect(PROT_READ | PROT_WRITE);
        poll_armed = false;
    }
}

/* Also from the host handler: the loops of translated code notice through the poll page. */
static void pending_set(void)
{
    rt_pending = 1;
    if (!poll_armed) {
        poll_protect(PROT_NONE);
        poll_armed = true;
    }
}

void rt_pending_clear(void)
{
    poll_disarm();
    rt_pending = 0;
}

static struct guest_sigaction *act(int sig)
{
    return own_actions ? &own_actions[sig] : &process_actions[sig];
}
static uint64_t sigreturn_tramp; /* guest code: mov x8, #139; svc #0 */

static long host_sigaction(int sig, const struct guest_sigaction *ga);

static bool host_fault_sig(int sig)
{
    return (HOST_FAULTS & SIG_BIT(sig)) != 0;
}

/* Signals whose default action is to do nothing. */
static bool default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static void host_mask(uint64_t mask)
{
    mask &= ~(UNBLOCKABLE | HOST_FAULTS);
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&mask, 0, 8, 0, 0);
}

static uint64_t host_block_all(void)
{
    uint64_t all = ~(UNBLOCKABLE | HOST_FAULTS), old;
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&all,
                    (uint64_t)(uintptr_t)&old, 8, 0, 0);
    return old;
}

static void host_restore(uint64_t old)
{
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&old, 0, 8, 0, 0);
}

static void set_blocked(struct rt_thread *t, uint64_t mask)
{
    t->blocked = mask & ~UNBLOCKABLE;
    host_mask(t->blocked);
    if (__atomic_load_n(&t->queued, __ATOMIC_SEQ_CST) & ~t->blocked)
        pending_set();
}

/* ---- the per-thread queue of caught signals ---- */

/* In the host handler, on the thread itself (async signals are masked there meanwhile). */
static void enqueue(struct rt_thread *t, int sig, const siginfo_t *si)
{
    if (sig < 32 /* SIGRTMIN of the guest's kernel */ && (t->queued & SIG_BIT(sig)))
        return; /* standard signals do not queue */
    if (t->nq == RT_SIGQ)
        return; /* the kernel would have refused to queue it (RLIMIT_SIGPENDING) */
    t->q[t->nq].sig = sig;
    t->q[t->nq].info = *si;
    t->nq++;
    __atomic_fetch_or(&t->queued, SIG_BIT(sig), __ATOMIC_SEQ_CST);
}

/* Takes the lowest-numbered queued signal in `among`, as the kernel's next_signal does; 0 when
 * there is none. Host signals are blocked meanwhile, so the host handler cannot interleave. */
static int dequeue(struct rt_thread *t, uint64_t among, siginfo_t *info)
{
    if (!(__atomic_load_n(&t->queued, __ATOMIC_SEQ_CST) & among))
        return 0;
    uint64_t old = host_block_all();
    int sig = 0;
    uint64_t ready = t->queued & among;
    if (ready) {
        sig = __builtin_ctzll(ready) + 1;
        unsigned i = 0;
        while (i < t->nq && t->q[i].sig != sig)
            i++;
        if (i == t->nq) { /* cannot happen: the bit and the entries change together */
            __atomic_fetch_and(&t->queued, ~SIG_BIT(sig), __ATOMIC_SEQ_CST);
            host_restore(old);
            return 0;
        }
        *info = t->q[i].info;
        memmove(&t->q[i], &t->q[i + 1], (t->nq - i - 1) * sizeof t->q[0]);
        t->nq--;
        bool more = false;
        for (unsigned k = i; k < t->nq; k++)
            more |= t->q[k].sig == sig;
        if (!more)
            __atomic_fetch_and(&t->queued, ~SIG_BIT(sig), __ATOMIC_SEQ_CST);
    }
    host_restore(old);
    return sig;
}

/* ---- the alternate signal stack (kernel/signal.c: do_sigaltstack, sigsp) ---- */

static bool on_altstack(const struct rt_thread *t, uint64_t sp)
{
    if (t->altstack_flags & G_SS_AUTODISARM)
        return false;
    return sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
}

static int32_t altstack_state(const struct rt_thread *t, uint64_t sp)
{
    int32_t mode = !t->altstack_size ? G_SS_DISABLE : on_altstack(t, sp) ? G_SS_ONSTACK : 0;
    return mode | (int32_t)(t->altstack_flags & G_SS_AUTODISARM);
}

static long altstack_set(struct rt_thread *t, uint64_t sp, const struct guest_stack *n)
{
    if (on_altstack(t, sp))
        return -EPERM;
    uint32_t mode = (uint32_t)n->ss_flags & ~G_SS_AUTODISARM;
    if (mode != G_SS_DISABLE && mode != G_SS_ONSTACK && mode != 0)
        return -EINVAL;
    if (mode == G_SS_DISABLE) {
        t->altstack_sp = t->altstack_size = 0;
    } else {
        if (n->ss_size < G_MINSIGSTKSZ)
            return -ENOMEM;
        t->altstack_sp = n->ss_sp;
        t->altstack_size = n->ss_size;
    }
    t->altstack_flags = n->ss_flags;
    return 0;
}

long rt_sigaltstack(struct cpu *c, uint64_t ss_va, uint64_t old_va)
{
    struct rt_thread *t = rt_thread_of(c);
    struct guest_stack old = {t->altstack_sp, altstack_state(t, c->x[31]), 0, t->altstack_size};
    if (ss_va) {
        struct guest_stack n;
        if (rt_copy_in(&n, ss_va, sizeof n))
            return -EFAULT;
        long r = altstack_set(t, c->x[31], &n);
        if (r)
            return r;
    }
    if (old_va && rt_copy_out(old_va, &old, sizeof old))
        return -EFAULT;
    return 0;
}

/* ---- delivery ---- */

/* Writes the frame for sig on the guest stack and points the registers at the handler, as
 * setup_rt_frame does. Returns the frame's address, or 0 when the stack cannot take it. */
static uint64_t push_frame(struct cpu *c, int sig, const siginfo_t *info,
                           const struct guest_sigaction *a, uint64_t frame_mask)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t sp = c->x[31];
    if ((a->flags & G_SA_ONSTACK) && t->altstack_size && !on_altstack(t, sp))
        sp = t->altstack_sp + t->altstack_size;
    sp = (sp - 16) & ~15ull;
    uint64_t record_va = sp;
    sp = (sp - sizeof(struct guest_rt_sigframe)) & ~15ull;

    struct guest_rt_sigframe f;
    memset(&f, 0, sizeof f);
    memcpy(f.info, info, sizeof f.info);
    f.uc.uc_stack = (struct guest_stack){t->altstack_sp, t->altstack_flags, 0, t->altstack_size};
    f.uc.uc_sigmask = frame_mask;
    struct guest_sigcontext *m = &f.uc.uc_mcontext;
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP)
        m->fault_address = (uint64_t)(uintptr_t)info->si_addr;
    memcpy(m->regs, c->x, sizeof m->regs);
    m->sp = c->x[31];
    m->pc = c->pc;
    m->pstate = (uint64_t)get_nzcv(c) << 28;
    struct guest_fpsimd_context fp = {FPSIMD_MAGIC, sizeof fp, c->fpsr, c->fpcr, {0}};
    for (int i = 0; i < 32; i++)
        fp.vregs[i] = c->vr[i].q;
    memcpy(m->reserved, &fp, sizeof fp); /* followed by the zero terminator record */
    uint64_t record[2] = {c->x[29], c->x[30]};
    if (rt_copy_out(sp, &f, sizeof f) || rt_copy_out(record_va, record, sizeof record))
        return 0;
    if (t->altstack_flags & G_SS_AUTODISARM) {
        t->altstack_sp = t->altstack_size = 0;
        t->altstack_flags = G_SS_DISABLE;
    }

    c->x[0] = (uint64_t)sig;
    c->x[1] = sp + offsetof(struct guest_rt_sigframe, info);
    c->x[2] = sp + offsetof(struct guest_rt_sigframe, uc);
    c->x[29] = record_va;
    c->x[30] = (a->flags & G_SA_RESTORER) ? a->restorer : sigreturn_tramp;
    c->x[31] = sp;
    c->pc = a->handler;
    c->excl_addr = ~0ull; /* taking an exception clears the exclusive monitor */
    return sp;
}

/* Delivers sig now: after this, c is at the start of the guest's handler (or the signal was
 * ignored, or the process is gone). Returns the frame's address, 0 when none was pushed. */
static uint64_t deliver(struct cpu *c, int sig, const siginfo_t *info)
{
    struct rt_thread *t = rt_thread_of(c);
    struct guest_sigaction a = *act(sig);
    if (a.handler == (uint64_t)(uintptr_t)SIG_IGN)
        return 0;
    if (a.handler == (uint64_t)(uintptr_t)SIG_DFL) {
        if (default_ignored(sig))
            return 0;
        rt_die_by_signal(sig);
    }
    uint64_t frame_mask = t->has_saved ? t->saved_mask : t->blocked;
    t->has_saved = false;
    uint64_t frame = push_frame(c, sig, info, &a, frame_mask);
    if (!frame)
        rt_die_by_signal(SIGSEGV); /* force_sigsegv: no room for the frame */
    if (a.flags & G_SA_RESETHAND) {
        act(sig)->handler = (uint64_t)(uintptr_t)SIG_DFL;
        act(sig)->flags &= ~(uint64_t)G_SA_SIGINFO;
        host_sigaction(sig, act(sig));
    }
    uint64_t mask = t->blocked | a.mask;
    if (!(a.flags & G_SA_NODEFER))
        mask |= SIG_BIT(sig);
    set_blocked(t, mask);
    return frame;
}

void rt_deliver_pending(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    rt_pending_clear();
    siginfo_t info;
    int sig;
    while ((sig = dequeue(t, ~t->blocked, &info)) != 0)
        deliver(c, sig, &info);
    if (t->has_saved) { /* nothing was delivered: the temporary mask ends here */
        t->has_saved = false;
        set_blocked(t, t->saved_mask);
    }
}

bool rt_signal_check(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    rt_pending_clear();
    return (__atomic_load_n(&t->queued, __ATOMIC_SEQ_CST) & ~t->blocked) != 0;
}

bool rt_signal_restarts(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t ready = __atomic_load_n(&t->queued, __ATOMIC_SEQ_CST) & ~t->blocked;
    if (!ready)
        return true;
    const struct guest_sigaction *a = act(__builtin_ctzll(ready) + 1);
    return a->handler <= 1 || (a->flags & G_SA_RESTART);
}

long rt_sigreturn(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t frame = c->x[31];
    struct guest_rt_sigframe f;
    if ((frame & 15) || rt_copy_in(&f, frame, sizeof f))
        rt_die_by_signal(SIGSEGV); /* as the kernel's bad-frame path does */
    const struct guest_sigcontext *m = &f.uc.uc_mcontext;
    memcpy(c->x, m->regs, sizeof m->regs);
    c->x[31] = m->sp;
    c->pc = m->pc;
    set_nzcv(c, (uint32_t)(m->pstate >> 28) & 15);
    c->excl_addr = ~0ull; /* so does the exception return */
    for (size_t off = 0; off + 8 <= sizeof m->reserved;) {
        uint32_t hdr[2];
        memcpy(hdr, m->reserved + off, 8);
        if (hdr[0] == 0 || hdr[1] < 8 || off + hdr[1] > sizeof m->reserved)
            break;
        struct guest_fpsimd_context fp;
        if (hdr[0] == FPSIMD_MAGIC && hdr[1] == sizeof fp) {
            memcpy(&fp, m->reserved + off, sizeof fp);
            c->fpsr = fp.fpsr;
            c->fpcr = fp.fpcr;
            a64_fp_gate_sync(c);
            for (int i = 0; i < 32; i++)
                c->vr[i].q = fp.vregs[i];
        }
        off += hdr[1];
    }
    set_blocked(t, f.uc.uc_sigmask);
    altstack_set(t, c->x[31], &f.uc.uc_stack); /* restore_altstack: errors other than EFAULT
                                                   are ignored */
    if (t->nfaults && t->fault[t->nfaults - 1].frame == frame)
        t->sigreturn = true;
    return (long)c->x[0];
}

/* ---- synchronous faults ---- */

static void message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void message(const char *fmt, ...)
{
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    if (n > 0 && write(2, buf, (size_t)n) < 0)
        return;
}

/* t->nfaults, and with it the calling thread's inline dispatch probes (t is always the calling
 * thread here): while a guest fault handler runs, they must go through rt_fault_guard. */
static void set_nfaults(struct rt_thread *t, unsigned n)
{
    t->nfaults = n;
    rt_dispatch_thread(n != 0);
}

_Noreturn void rt_unwind(struct rt_thread *t)
{
    set_nfaults(t, 0);
    t->sigreturn = false;
    t->interp_pc = 0;
    t->in_syscall = 0;
    host_mask(t->blocked);
    siglongjmp(t->base, 1);
}

bool rt_fault_abandoned(struct rt_thread *t)
{
    if (!t->nfaults)
        return false;
    uint64_t sp = t->cpu.x[31];
    const struct rt_fault *f = &t->fault[t->nfaults - 1];
    if (sp >= f->lo && sp <= f->hi)
        return false;
    /* A handler on the ordinary stack may have been interrupted by one on the alternate stack. */
    return f->lo == 0 ? !on_altstack(t, sp) : true;
}

void rt_fault_check(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    if (rt_fault_abandoned(t))
        rt_unwind(t);
}

static bool same_state(const struct cpu *a, const struct cpu *b)
{
    return !memcmp(a->x, b->x, sizeof a->x) && a->pc == b->pc && get_nzcv(a) == get_nzcv(b) &&
           a->fpcr == b->fpcr && a->fpsr == b->fpsr && !memcmp(a->vr, b->vr, sizeof a->vr);
}

/* A host fault while running guest code on thread t: run the guest's handler on top of the
 * faulting host frame (see the top of this file). Returns to retry the faulting instruction. */
static void host_fault(struct rt_thread *t, int sig, const siginfo_t *si, ucontext_t *uc)
{
    const char *name = rt_img ? rt_img->name : "guest";
    if (!t || t->in_syscall) {
        message("xlate: %s: internal error: signal %d at host pc %#llx (address %p)%s\n", name, sig,
                (unsigned long long)uc->uc_mcontext.gregs[REG_RIP], si->si_addr,
                t && t->in_syscall ? " serving a system call" : "");
        rt_die_by_signal(sig);
    }
    struct cpu *c = &t->cpu;
    uint64_t host_pc = c->pc;
    /* The interpreter knows its instruction; for translated code the line table says which
     * guest instruction the host one came from (pcmap.c), else c->pc is only near it. */
    uint64_t pc = t->interp_pc ? t->interp_pc : c->pc;
    bool exact = t->interp_pc || rt_pcmap((uint64_t)uc->uc_mcontext.gregs[REG_RIP], &pc);
    const char *near = exact ? "" : "near ";
    uint64_t addr = si->si_code == SI_KERNEL ? 0 : (uint64_t)(uintptr_t)si->si_addr;
    if (sig == SIGILL || sig == SIGFPE) {
        /* Host code itself went wrong: no guest instruction raises these on the host. */
        message("xlate: %s: internal error: host signal %d in guest code at guest pc %s%#llx\n",
                name, sig, near, (unsigned long long)pc);
        rt_die_by_signal(sig);
    }
    const struct guest_sigaction *a = act(sig);
    if (a->handler <= 1 || (t->blocked & SIG_BIT(sig)) || t->nfaults == RT_FAULTS) {
        /* Default, ignored or blocked: a synchronous signal kills (force_sig_fault). */
        message("xlate: %s: guest fault (signal %d) at address %#llx, pc %s%#llx\n", name, sig,
                (unsigned long long)addr, near, (unsigned long long)pc);
        rt_die_by_signal(sig);
    }

    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = si->si_code == SI_KERNEL ? SEGV_MAPERR : si->si_code;
    info.si_addr = (void *)(uintptr_t)addr;
    uint64_t outer_interp = t->interp_pc;
    t->interp_pc = 0;
    c->pc = pc;
    struct cpu before = *c;
    uint64_t alt_lo = t->altstack_sp, alt_hi = t->altstack_sp + t->altstack_size;
    uint64_t frame = deliver(c, sig, &info);
    /* The handler runs below its frame (the sigreturn trampoline at it); a stack pointer above
     * it, or outside the alternate stack the frame is on, means the handler was left. */
    struct rt_fault *f = &t->fault[t->nfaults];
    set_nfaults(t, t->nfaults + 1);
    f->frame = frame;
    f->lo = frame >= alt_lo && frame < alt_hi ? alt_lo : 0;
    f->hi = frame;
    for (;;) {
        rt_call(rt_lookup(c->pc), c, c->pc);
        if (t->sigreturn)
            break; /* signals that became pending meanwhile wait for the next safe point */
        if (rt_fault_abandoned(t))
            rt_unwind(t);
        if (rt_pending)
            rt_deliver_pending(c);
    }
    t->sigreturn = false;
    set_nfaults(t, t->nfaults - 1);
    if (!same_state(&before, c))
        rt_unwind(t); /* the handler changed where or how to resume */
    c->pc = host_pc;
    t->interp_pc = outer_interp;
    /* Returning restores the host mask from uc: make it the one the guest's sigreturn set. */
    uint64_t m = t->blocked & ~(UNBLOCKABLE | HOST_FAULTS);
    memcpy(&uc->uc_sigmask, &m, sizeof m);
}

/* ---- the host handler ---- */

static void host_handler(int sig, siginfo_t *si, void *ucv)
{
    int saved_errno = errno;
    struct rt_thread *t = rt_self();
    if (sig == SIGSEGV && si->si_code > 0 && rt_fixup_poll(si, ucv)) {
        poll_disarm();
    } else if (si->si_code > 0 && host_fault_sig(sig)) {
        if (!rt_fixup_fault(ucv))
            host_fault(t, sig, si, ucv);
    } else if (t) {
        enqueue(t, sig, si);
        pending_set();
        rt_fixup_signal(ucv);
    } else {
        /* A host thread not yet a guest thread (the host libc opens its cancellation signal
         * early): keep it blocked here and let the kernel route the signal to another thread. */
        uint64_t m;
        memcpy(&m, &((ucontext_t *)ucv)->uc_sigmask, sizeof m);
        m |= SIG_BIT(sig);
        memcpy(&((ucontext_t *)ucv)->uc_sigmask, &m, sizeof m);
        rt_host_syscall(SYS_rt_sigqueueinfo, (uint64_t)getpid(), (uint64_t)sig,
                        (uint64_t)(uintptr_t)si, 0, 0, 0);
    }
    errno = saved_errno;
}

static long host_sigaction(int sig, const struct guest_sigaction *ga)
{
    struct {
        void *handler;
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
    } ksa = {0};
    unsigned long keep = ga->flags & (G_SA_NOCLDSTOP | G_SA_NOCLDWAIT);
    if (ga->handler == (uint64_t)(uintptr_t)SIG_DFL && !host_fault_sig(sig)) {
        ksa.handler = SIG_DFL;
        ksa.flags = keep;
    } else if (ga->handler == (uint64_t)(uintptr_t)SIG_IGN && !host_fault_sig(sig)) {
        ksa.handler = SIG_IGN;
    } else {
        ksa.handler = (void *)host_handler;
        ksa.mask = ~0ull;
        ksa.flags = SA_SIGINFO | SA_ONSTACK | keep;
    }
    /* Through the raw syscall: the host libc reserves signals 32 and 33 for itself, the guest's
     * libc expects to own them. */
    extern void rt_host_restorer(void);
    ksa.flags |= 0x04000000ul; /* SA_RESTORER */
    ksa.restorer = rt_host_restorer;
    return rt_host_syscall(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)(uintptr_t)&ksa, 0, 8, 0, 0);
}

/* The host's sigreturn trampoline for handlers installed through the raw syscall. */
__asm__(".text\n"
        ".globl rt_host_restorer\n"
        ".hidden rt_host_restorer\n"
        ".type rt_host_restorer,@function\n"
        "rt_host_restorer:\n"
        "  mov $15, %rax\n"
        "  syscall\n"
        "  hlt\n");

void rt_signal_init(void)
{
    static const uint32_t tramp[2] = {0xd2801168, 0xd4000001}; /* mov x8, #139; svc #0 */
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        rt_fatal("cannot map the signal return trampoline");
    memcpy(p, tramp, sizeof tramp);
    mprotect(p, 4096, PROT_READ);
    rt_mem_track((uint64_t)(uintptr_t)p, 4096, true);
    sigreturn_tramp = (uint64_t)(uintptr_t)p;

    /* What execve left us: ignored signals stay ignored, and the mask is kept. */
    for (int sig = 1; sig <= RT_NSIG; sig++) {
        struct {
            uint64_t handler, flags, restorer, mask;
        } old;
        if (sig == SIGKILL || sig == SIGSTOP ||
            rt_host_syscall(SYS_rt_sigaction, (uint64_t)sig, 0, (uint64_t)(uintptr_t)&old, 8, 0,
                            0) != 0)
            continue;
        if (old.handler == (uint64_t)(uintptr_t)SIG_IGN)
            act(sig)->handler = old.handler;
        if (host_fault_sig(sig))
            host_sigaction(sig, act(sig));
    }
    uint64_t mask;
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0, (uint64_t)(uintptr_t)&mask, 8, 0, 0);
    set_blocked(rt_self(), mask);
}

void rt_signal_own_actions(bool own)
{
    if (!own) {
        free(own_actions);
        own_actions = NULL;
        return;
    }
    struct guest_sigaction *copy = malloc(sizeof process_actions);
    if (!copy)
        rt_fatal("out of memory");
    memcpy(copy, process_actions, sizeof process_actions);
    own_actions = copy;
}

void rt_signal_fork_child(struct rt_thread *t)
{
    t->nq = 0;
    t->queued = 0;
    rt_pending_clear();
    rt_pcmap_fork_child();
}

void rt_signal_thread_start(struct rt_thread *t)
{
    host_mask(t->blocked);
}

void rt_signal_before_exec(void)
{
    /* Handlers become SIG_DFL across execve, ignored signals stay ignored; the host handler the
     * runtime keeps for the fault signals must not hide a guest SIG_IGN. */
    for (int sig = 1; sig <= RT_NSIG; sig++)
        if (host_fault_sig(sig) && act(sig)->handler == (uint64_t)(uintptr_t)SIG_IGN) {
            struct {
                uint64_t handler, flags, restorer, mask;
            } ign = {(uint64_t)(uintptr_t)SIG_IGN, 0, 0, 0};
            rt_host_syscall(SYS_rt_sigaction, (uint64_t)sig, (uint64_t)(uintptr_t)&ign, 0, 8, 0, 0);
        }
}

/* ---- the signal syscalls ---- */

long rt_sigaction(struct cpu *c, int sig, uint64_t act_va, uint64_t oact_va, uint64_t size)
{
    (void)c;
    if (size != 8 || sig < 1 || sig > RT_NSIG)
        return -EINVAL;
    if (act_va && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    struct guest_sigaction ga, old = *act(sig);
    if (act_va) {
        if (rt_copy_in(&ga, act_va, sizeof ga))
            return -EFAULT;
        ga.mask &= ~UNBLOCKABLE;
        *act(sig) = ga;
        host_sigaction(sig, &ga);
    }
    if (oact_va && rt_copy_out(oact_va, &old, sizeof old))
        return -EFAULT;
    return 0;
}

long rt_sigprocmask(struct cpu *c, int how, uint64_t set_va, uint64_t oset_va, uint64_t size)
{
    struct rt_thread *t = rt_thread_of(c);
    if (size != 8)
        return -EINVAL;
    uint64_t old = t->blocked;
    if (set_va) {
        uint64_t set;
        if (rt_copy_in(&set, set_va, 8))
            return -EFAULT;
        switch (how) {
        case SIG_BLOCK: set_blocked(t, old | set); break;
        case SIG_UNBLOCK: set_blocked(t, old & ~set); break;
        case SIG_SETMASK: set_blocked(t, set); break;
        default: return -EINVAL;
        }
    }
    if (oset_va && rt_copy_out(oset_va, &old, 8))
        return -EFAULT;
    return 0;
}

long rt_sigpending(struct cpu *c, uint64_t set_va, uint64_t size)
{
    struct rt_thread *t = rt_thread_of(c);
    if (size > 8)
        return -EINVAL;
    uint64_t host = 0;
    rt_host_syscall(SYS_rt_sigpending, (uint64_t)(uintptr_t)&host, 8, 0, 0, 0, 0);
    uint64_t set = (host | __atomic_load_n(&t->queued, __ATOMIC_SEQ_CST)) & t->blocked;
    return rt_copy_out(set_va, &set, size);
}

long rt_sigsuspend(struct cpu *c, uint64_t set_va, uint64_t size)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t set;
    if (size != 8)
        return -EINVAL;
    if (rt_copy_in(&set, set_va, 8))
        return -EFAULT;
    t->saved_mask = t->blocked;
    t->has_saved = true;
    t->blocked = set & ~UNBLOCKABLE;
    uint64_t host = t->blocked & ~HOST_FAULTS;
    /* The caller delivers the signal with the frame saving the old mask, or restores it. */
    while (!rt_signal_check(c))
        rt_block_syscall(SYS_rt_sigsuspend, (uint64_t)(uintptr_t)&host, 8, 0, 0, 0, 0);
    return -EINTR;
}

long rt_with_sigmask(struct cpu *c, uint64_t mask_va, uint64_t size,
                     long (*call)(struct cpu *, const uint64_t *), const uint64_t *a)
{
    struct rt_thread *t = rt_thread_of(c);
    if (!mask_va)
        return call(c, a);
    uint64_t set;
    if (size != 8)
        return -EINVAL;
    if (rt_copy_in(&set, mask_va, 8))
        return -EFAULT;
    uint64_t old = t->blocked;
    set_blocked(t, set);
    long r = rt_signal_check(c) ? -EINTR : call(c, a);
    if (r == -EINTR) {
        t->saved_mask = old;
        t->has_saved = true;
    } else {
        set_blocked(t, old);
    }
    return r;
}

long rt_sigtimedwait(struct cpu *c, uint64_t set_va, uint64_t info_va, uint64_t ts_va,
                     uint64_t size)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t set;
    if (size != 8)
        return -EINVAL;
    if (rt_copy_in(&set, set_va, 8))
        return -EFAULT;
    set &= ~UNBLOCKABLE;
    siginfo_t info;
    /* Caught by the host handler already, or still pending in the host kernel (blocked). */
    int sig = dequeue(t, set, &info);
    if (!sig) {
        long r = rt_block_syscall(SYS_rt_sigtimedwait, (uint64_t)(uintptr_t)&set,
                                  (uint64_t)(uintptr_t)&info, ts_va, 8, 0, 0);
        if (r == -EINTR)
            sig = dequeue(t, set, &info);
        if (!sig && r < 0)
            return r;
        if (!sig)
            sig = (int)r;
    }
    if (info_va && rt_copy_out(info_va, &info, sizeof info))
        return -EFAULT;
    return sig;
}

/* ---- signals raised by guest instructions ---- */

void rt_raise(struct cpu *c, int sig, int code, uint64_t addr)
{
    const struct guest_sigaction *a = act(sig);
    if (a->handler <= 1 || (rt_thread_of(c)->blocked & SIG_BIT(sig)))
        rt_die_by_signal(sig); /* default, ignored or blocked: force_sig kills */
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = code;
    info.si_addr = (void *)(uintptr_t)addr;
    deliver(c, sig, &info);
}

void rt_undefined(struct cpu *c, uint64_t pc, uint32_t word)
{
    c->pc = pc; /* the exception returns to the faulting instruction */
    const struct guest_sigaction *a = act(SIGILL);
    if (a->handler <= 1 || (rt_thread_of(c)->blocked & SIG_BIT(SIGILL)))
        message("xlate: %s: unimplemented or undefined instruction 0x%08x at 0x%llx\n",
                rt_img->name, word, (unsigned long long)pc);
    rt_raise(c, SIGILL, ILL_ILLOPC, pc);
}

void rt_breakpoint(struct cpu *c, uint64_t pc)
{
    c->pc = pc;
    rt_raise(c, SIGTRAP, TRAP_BRKPT, pc);
}
