/*
 * runtime/: what runs inside a translated executable. Start-up maps the guest image at its own
 * addresses and builds the guest stack; the dispatcher runs translated functions and falls back
 * to the interpreter where there are none; syscalls and signals are emulated here.
 *
 * The first part of this header is the contract with the translator: emit/ builds
 * `xlate_image` in every output with exactly this layout.
 */
#ifndef XLATE_RT_H
#define XLATE_RT_H

#include "../lift/a64/a64.h"

#include <stdbool.h>
#include <stdint.h>

typedef void rt_fn(struct cpu *c, uint64_t entry_va);

struct rt_segment {
    uint64_t va, memsz, filesz;
    uint32_t flags; /* PF_R/PF_W/PF_X */
    uint32_t reserved;
    const uint8_t *data;
};

struct rt_entry {
    uint64_t va;
    rt_fn *fn;
};

struct rt_image {
    uint64_t entry, phdr_va;
    uint32_t phnum, phentsize;
    uint32_t nsegs, nentries;
    const struct rt_segment *segs;
    const struct rt_entry *entries; /* sorted by va */
    const char *name;               /* the guest file's name, for diagnostics */
};

extern const struct rt_image xlate_image;

/* ---- called from translated code ---- */

/* The translation for guest address va, or the interpreter when there is none. Never NULL. */
rt_fn *rt_lookup(uint64_t va);

/* ---- inside the runtime ---- */

#include <signal.h>

#define RT_NSIG 64

/* Per guest thread: the register file translated code works on, and the runtime's state. */
struct rt_thread {
    struct cpu cpu; /* first, so the runtime can go from a struct cpu * to its thread */
    int tid;
    bool sigreturn;   /* rt_sigreturn ran: the innermost rt_run returns */
    uint64_t blocked; /* guest signal mask, bit (sig - 1) */
    uint64_t pending; /* signals caught by the host handler, waiting for a safe point */
    siginfo_t info[RT_NSIG + 1];
    uint64_t altstack_sp, altstack_size;
    int altstack_flags;
};

static inline struct rt_thread *rt_thread_of(struct cpu *c)
{
    return (struct rt_thread *)c;
}

/* dispatch.c */
void rt_dispatch_init(bool interp_only);
rt_fn *rt_find(uint64_t va); /* NULL when va has no translation */
void rt_run(struct cpu *c);  /* runs the guest from c->pc; returns only when asked to (sigreturn) */

/* interp.c: runs guest code from va in the interpreter until it reaches translated code. */
void rt_interp(struct cpu *c, uint64_t va);

/* syscall.c: the table in syscall.def; handlers return a result or -errno, like the kernel. */
void rt_syscall(struct cpu *c);
extern bool rt_strace;
#define PASS(nr, name, nargs, flags)
#define EMU(nr, name, nargs, flags) long sys_##name(struct cpu *c, const uint64_t *a);
#include "syscall.def"
#undef PASS
#undef EMU

/* A host system call, raw: the result is the kernel's, -errno on failure. Host and guest errno
 * values are the same (both asm-generic), so results pass through unchanged. */
static inline long rt_host_syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                                   uint64_t e, uint64_t f)
{
    register uint64_t r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* mem.c: the guest address space. */
int rt_mem_init(const struct rt_image *img);
uint64_t rt_brk(uint64_t want);
bool rt_guest_range_ok(uint64_t va, uint64_t len);         /* not runtime memory */
void rt_mem_track(uint64_t va, uint64_t len, bool mapped); /* record guest (un)mappings */
int rt_host_prot(int guest_prot); /* host protection for a guest one: never PROT_EXEC */

/* start.c */
_Noreturn void rt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Terminate as if killed by sig (default action), flushing nothing. */
_Noreturn void rt_die_by_signal(int sig);

/* signal.c */
void rt_signal_init(void);
long rt_sigaction(struct cpu *c, int sig, uint64_t act_va, uint64_t oact_va, uint64_t size);
long rt_sigprocmask(struct cpu *c, int how, uint64_t set_va, uint64_t oset_va, uint64_t size);
long rt_sigreturn(struct cpu *c);
long rt_sigaltstack(struct cpu *c, uint64_t ss_va, uint64_t old_va);
/* A syscall interrupted with -EINTR: is the first deliverable signal's handler SA_RESTART? */
bool rt_signal_restarts(struct cpu *c);
void rt_deliver_pending(struct cpu *c); /* at a safe point, with the state synced */
/* Raise a synchronous guest signal at pc (SIGILL, SIGTRAP, SIGSEGV...). */
void rt_raise(struct cpu *c, int sig, int code, uint64_t addr);

/* thread.c: the calling thread's state. */
struct rt_thread *rt_self(void);
struct rt_thread *rt_thread_new(void);

#endif
