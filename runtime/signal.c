/*
 * Guest signals. The host handler only records a signal; the guest's handler runs at the next
 * safe point (syscall return, loop back-edge, interpreter step), on the guest stack, with the
 * arm64 rt_sigframe the kernel would build (arch/arm64/kernel/signal.c), so handlers can read and
 * change the interrupted state and return through rt_sigreturn. The handler runs in a nested
 * dispatcher loop that ends when its rt_sigreturn is executed.
 *
 * The host signal mask follows the guest's, so blocking works through the host kernel; guest
 * dispositions SIG_DFL and SIG_IGN are installed as such on the host, so default actions (and the
 * exit status they produce) are the kernel's own.
 */
#include "rt.h"

#include "../lift/a64/sem/sem.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define G_SA_NOCLDSTOP 0x00000001u
#define G_SA_SIGINFO   0x00000004u
#define G_SA_ONSTACK   0x08000000u
#define G_SA_RESTART   0x10000000u
#define G_SA_NODEFER   0x40000000u
#define G_SA_RESETHAND 0x80000000u
#define G_SA_RESTORER  0x04000000u
#define G_SS_ONSTACK   1
#define G_SS_DISABLE   2

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

struct guest_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct {
        uint64_t ss_sp;
        int32_t ss_flags;
        uint64_t ss_size;
    } uc_stack;
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

static struct guest_sigaction actions[RT_NSIG + 1];
static uint64_t sigreturn_tramp; /* guest code: mov x8, #139; svc #0 */

static uint64_t sigbit(int sig)
{
    return 1ull << (sig - 1);
}

static long host_sigaction(int sig, const struct guest_sigaction *ga);

/* Signals whose default action is to do nothing. */
static bool default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static void host_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    struct rt_thread *t = rt_self();
    if (si->si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE)) {
        /* A fault the host raised while running guest code on the guest's behalf. */
        char buf[160];
        int n = snprintf(buf, sizeof buf, "xlate: %s: guest fault (signal %d) at address %p\n",
                         xlate_image.name, sig, si->si_addr);
        if (write(2, buf, (size_t)n) < 0)
            _exit(128 + sig);
        rt_die_by_signal(sig);
    }
    if (!t)
        return;
    t->info[sig] = *si;
    __atomic_fetch_or(&t->pending, sigbit(sig), __ATOMIC_SEQ_CST);
    t->cpu.pending = 1;
}

static void host_mask(uint64_t mask)
{
    mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, 8);
}

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
    /* Faults while running guest code get a message and the guest's exit status. */
    for (int sig = 1; sig <= RT_NSIG; sig++)
        if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE)
            host_sigaction(sig, &(struct guest_sigaction){.handler = 2});
}

static long host_sigaction(int sig, const struct guest_sigaction *ga)
{
    struct {
        void *handler;
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
    } ksa = {0};
    struct sigaction sa;
    bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE;
    if (ga->handler == (uint64_t)(uintptr_t)SIG_DFL && !fault) {
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = (int)(ga->flags & G_SA_NOCLDSTOP);
    } else if (ga->handler == (uint64_t)(uintptr_t)SIG_IGN && !fault) {
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
    } else {
        sa.sa_sigaction = host_handler;
        sigfillset(&sa.sa_mask);
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | (int)(ga->flags & G_SA_NOCLDSTOP);
    }
    /* Through the raw syscall: the host libc reserves signals 32 and 33 for itself, the guest's
     * libc expects to own them. */
    ksa.handler = (void *)sa.sa_handler;
    ksa.flags = (unsigned long)sa.sa_flags | 0x04000000ul; /* SA_RESTORER */
    extern void rt_host_restorer(void);
    ksa.restorer = rt_host_restorer;
    memcpy(&ksa.mask, &sa.sa_mask, 8);
    return syscall(SYS_rt_sigaction, sig, &ksa, NULL, 8) < 0 ? -1 : 0;
}

/* The host's sigreturn trampoline for handlers installed through the raw syscall. */
__asm__(".text\n"
        ".globl rt_host_restorer\n"
        ".type rt_host_restorer,@function\n"
        "rt_host_restorer:\n"
        "  mov $15, %rax\n"
        "  syscall\n"
        "  hlt\n");

long rt_sigaction(struct cpu *c, int sig, uint64_t act_va, uint64_t oact_va, uint64_t size)
{
    (void)c;
    if (size != 8 || sig < 1 || sig > RT_NSIG)
        return -EINVAL;
    if (act_va && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    struct guest_sigaction old = actions[sig];
    if (act_va) {
        struct guest_sigaction ga;
        memcpy(&ga, (void *)(uintptr_t)act_va, sizeof ga);
        ga.mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
        actions[sig] = ga;
        host_sigaction(sig, &ga);
    }
    if (oact_va)
        memcpy((void *)(uintptr_t)oact_va, &old, sizeof old);
    return 0;
}

static void set_blocked(struct rt_thread *t, uint64_t mask)
{
    t->blocked = mask & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    host_mask(t->blocked);
    if (t->pending & ~t->blocked)
        t->cpu.pending = 1;
}

long rt_sigprocmask(struct cpu *c, int how, uint64_t set_va, uint64_t oset_va, uint64_t size)
{
    struct rt_thread *t = rt_thread_of(c);
    if (size != 8)
        return -EINVAL;
    uint64_t old = t->blocked;
    if (set_va) {
        uint64_t set;
        memcpy(&set, (void *)(uintptr_t)set_va, 8);
        switch (how) {
        case SIG_BLOCK: set_blocked(t, old | set); break;
        case SIG_UNBLOCK: set_blocked(t, old & ~set); break;
        case SIG_SETMASK: set_blocked(t, set); break;
        default: return -EINVAL;
        }
    }
    if (oset_va)
        memcpy((void *)(uintptr_t)oset_va, &old, 8);
    return 0;
}

long rt_sigaltstack(struct cpu *c, uint64_t ss_va, uint64_t old_va)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t sp = c->x[31];
    bool on = t->altstack_size && sp - t->altstack_sp < t->altstack_size;
    if (old_va) {
        struct {
            uint64_t sp;
            int32_t flags, pad;
            uint64_t size;
        } o = {t->altstack_sp,
               on                 ? G_SS_ONSTACK
               : t->altstack_size ? 0
                                  : G_SS_DISABLE,
               0, t->altstack_size};
        memcpy((void *)(uintptr_t)old_va, &o, sizeof o);
    }
    if (ss_va) {
        struct {
            uint64_t sp;
            int32_t flags, pad;
            uint64_t size;
        } n;
        memcpy(&n, (void *)(uintptr_t)ss_va, sizeof n);
        if (on)
            return -EPERM;
        if (n.flags & G_SS_DISABLE) {
            t->altstack_sp = t->altstack_size = 0;
        } else {
            if (n.flags & ~(int32_t)(1u << 31)) /* SS_AUTODISARM is the only other flag */
                return -EINVAL;
            if (n.size < 5120) /* MINSIGSTKSZ on arm64 */
                return -ENOMEM;
            t->altstack_sp = n.sp;
            t->altstack_size = n.size;
        }
    }
    return 0;
}

/* Run the guest handler for sig now, on the guest's stack, until it returns via rt_sigreturn. */
static void deliver(struct cpu *c, int sig, const siginfo_t *info)
{
    struct rt_thread *t = rt_thread_of(c);
    struct guest_sigaction *a = &actions[sig];
    if (a->handler == (uint64_t)(uintptr_t)SIG_IGN)
        return;
    if (a->handler == (uint64_t)(uintptr_t)SIG_DFL) {
        if (default_ignored(sig))
            return;
        rt_die_by_signal(sig);
    }

    uint64_t sp = c->x[31];
    bool on_alt = t->altstack_size && sp - t->altstack_sp < t->altstack_size;
    if ((a->flags & G_SA_ONSTACK) && t->altstack_size && !on_alt)
        sp = t->altstack_sp + t->altstack_size;
    sp = (sp - 16) & ~15ull;
    uint64_t *record = (uint64_t *)(uintptr_t)sp; /* frame record: fp, lr */
    sp = (sp - sizeof(struct guest_rt_sigframe)) & ~15ull;
    struct guest_rt_sigframe *f = (struct guest_rt_sigframe *)(uintptr_t)sp;

    record[0] = c->x[29];
    record[1] = c->x[30];
    memset(f, 0, offsetof(struct guest_rt_sigframe, uc.uc_mcontext.reserved));
    memcpy(f->info, info, sizeof f->info);
    f->uc.uc_stack.ss_sp = t->altstack_sp;
    f->uc.uc_stack.ss_size = t->altstack_size;
    f->uc.uc_stack.ss_flags = on_alt ? G_SS_ONSTACK : t->altstack_size ? 0 : G_SS_DISABLE;
    f->uc.uc_sigmask = t->blocked;
    struct guest_sigcontext *m = &f->uc.uc_mcontext;
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP)
        m->fault_address = (uint64_t)(uintptr_t)info->si_addr;
    memcpy(m->regs, c->x, sizeof m->regs);
    m->sp = c->x[31];
    m->pc = c->pc;
    m->pstate = (uint64_t)get_nzcv(c) << 28;
    struct guest_fpsimd_context fp = {FPSIMD_MAGIC, sizeof fp, c->fpsr, c->fpcr, {0}};
    for (int i = 0; i < 32; i++)
        fp.vregs[i] = c->vr[i].q;
    memcpy(m->reserved, &fp, sizeof fp);
    memset(m->reserved + sizeof fp, 0, 8); /* terminator */

    c->x[0] = (uint64_t)sig;
    c->x[1] = (uint64_t)(uintptr_t)f->info;
    c->x[2] = (uint64_t)(uintptr_t)&f->uc;
    c->x[29] = (uint64_t)(uintptr_t)record;
    c->x[30] = (a->flags & G_SA_RESTORER) ? a->restorer : sigreturn_tramp;
    c->x[31] = sp;
    c->pc = a->handler;
    uint64_t mask = t->blocked | a->mask;
    if (!(a->flags & G_SA_NODEFER))
        mask |= sigbit(sig);
    if (a->flags & G_SA_RESETHAND) {
        a->handler = (uint64_t)(uintptr_t)SIG_DFL;
        a->flags &= ~(uint64_t)G_SA_SIGINFO;
        host_sigaction(sig, a);
    }
    set_blocked(t, mask);
    rt_run(c);
}

long rt_sigreturn(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    struct guest_rt_sigframe *f = (struct guest_rt_sigframe *)(uintptr_t)c->x[31];
    if (c->x[31] & 15)
        rt_die_by_signal(SIGSEGV); /* as the kernel's bad-frame path does */
    struct guest_sigcontext *m = &f->uc.uc_mcontext;
    memcpy(c->x, m->regs, sizeof m->regs);
    c->x[31] = m->sp;
    c->pc = m->pc;
    c->n = (m->pstate >> 31) & 1;
    c->z = (m->pstate >> 30) & 1;
    c->c = (m->pstate >> 29) & 1;
    c->v = (m->pstate >> 28) & 1;
    for (size_t off = 0; off + 8 <= sizeof m->reserved;) {
        struct guest_fpsimd_context fp;
        uint32_t hdr[2];
        memcpy(hdr, m->reserved + off, 8);
        if (hdr[0] == 0 || hdr[1] < 8)
            break;
        if (hdr[0] == FPSIMD_MAGIC && hdr[1] == sizeof fp &&
            off + sizeof fp <= sizeof m->reserved) {
            memcpy(&fp, m->reserved + off, sizeof fp);
            c->fpsr = fp.fpsr;
            c->fpcr = fp.fpcr;
            for (int i = 0; i < 32; i++)
                c->vr[i].q = fp.vregs[i];
        }
        off += hdr[1];
    }
    set_blocked(t, f->uc.uc_sigmask);
    t->sigreturn = true;
    return (long)c->x[0];
}

void rt_deliver_pending(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    c->pending = 0;
    for (;;) {
        uint64_t ready = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~t->blocked;
        if (!ready)
            return;
        int sig = __builtin_ctzll(ready) + 1;
        __atomic_fetch_and(&t->pending, ~sigbit(sig), __ATOMIC_SEQ_CST);
        siginfo_t info = t->info[sig];
        deliver(c, sig, &info);
    }
}

bool rt_signal_restarts(struct cpu *c)
{
    struct rt_thread *t = rt_thread_of(c);
    uint64_t ready = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~t->blocked;
    if (!ready)
        return false;
    int sig = __builtin_ctzll(ready) + 1;
    return (actions[sig].flags & G_SA_RESTART) != 0;
}

void rt_raise(struct cpu *c, int sig, int code, uint64_t addr)
{
    struct guest_sigaction *a = &actions[sig];
    bool blocked = rt_thread_of(c)->blocked & sigbit(sig);
    if (a->handler <= 1 || blocked) {
        /* Default, ignored or blocked: a synchronous signal kills the process (force_sig). */
        rt_die_by_signal(sig);
    }
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
    struct guest_sigaction *a = &actions[SIGILL];
    if (a->handler <= 1 || (rt_thread_of(c)->blocked & sigbit(SIGILL))) {
        char buf[200];
        int n = snprintf(buf, sizeof buf,
                         "xlate: %s: unimplemented or undefined instruction 0x%08x at 0x%llx\n",
                         xlate_image.name, word, (unsigned long long)pc);
        if (write(2, buf, (size_t)n) < 0)
            _exit(128 + SIGILL);
    }
    rt_raise(c, SIGILL, ILL_ILLOPC, pc);
}

void rt_breakpoint(struct cpu *c, uint64_t pc)
{
    c->pc = pc;
    rt_raise(c, SIGTRAP, TRAP_BRKPT, pc);
}
