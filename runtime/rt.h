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

/* Translated code. Its convention, LLVM's swiftcc with guest registers for arguments and results
 * (lift/call_abi.h), is not C's, so the type is opaque: C runs it through rt_call. */
typedef struct rt_code rt_fn;

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

/* Where a translated function's guest code lies: its blocks are inside [lo, hi). Translations
 * that others enter directly start with a 5-byte no-op (patchable). */
struct rt_span {
    uint64_t lo, hi;
    rt_fn *fn;
    uint32_t patchable, reserved;
};

struct rt_image {
    uint64_t entry, phdr_va;
    uint32_t phnum, phentsize;
    uint32_t nsegs, nentries;
    uint32_t dispatch_shift; /* the dispatch table's (lift/dispatch_hash.h) */
    uint32_t nspans;
    const struct rt_segment *segs;
    const struct rt_entry *entries; /* function starts first (lift_entries) */
    const char *name;               /* the guest file's name, for diagnostics */
    const struct rt_span *spans;    /* one per translated function, by address */
};

extern const struct rt_image xlate_image;

/* ---- called from translated code ---- */

/* The translation for guest address va, or the interpreter when there is none. Never NULL.
 * Translated code calls it through rt_lookup_code (translated_call.S), which keeps the general
 * registers. */
rt_fn *rt_lookup(uint64_t va);
/* What translated code probes inline at va's first slot (lift/dispatch_hash.h; lift.c,
 * gen_lookup) before it calls rt_lookup: the table, and the byte offset of its last slot, which
 * masks the slot's offset. While the thread runs a guest handler for a host fault they give a
 * table of one slot whose function goes through rt_lookup's check instead. */
extern __thread const struct rt_entry *rt_probe_table __attribute__((tls_model("initial-exec")));
extern __thread uint64_t rt_probe_mask __attribute__((tls_model("initial-exec")));
/* Set when a caught signal waits for the thread's next safe point (signal.c): the runtime tests
 * it at dispatch, interpreter steps and system calls. Only its own thread writes it, the host
 * signal handler included. */
extern __thread volatile uint32_t rt_pending __attribute__((tls_model("initial-exec")));
/* The page translated code loads from at loop heads (lift.c's gen_poll): inaccessible while
 * rt_pending may be set, so that the load faults and the fault handler sends the loop to the
 * dispatcher (rt_fixup_poll). */
extern __thread char rt_poll[4096] __attribute__((tls_model("initial-exec")));

/* ---- inside the runtime ---- */

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

#define RT_PAGE   4096ull /* the host's page, which guest mappings use too */
#define RT_NSIG   64
#define RT_SIGQ   64 /* queued signal instances per thread (real-time signals queue) */
#define RT_FAULTS 8  /* guest handlers for host faults running inside each other */

/* The image the guest runs: the translated one, or a guest ELF loaded for the interpreter. */
extern const struct rt_image *rt_img;
extern const char *rt_exe_path; /* what /proc/self/exe shows the guest; NULL: the real one */

/* Per guest thread: the register file translated code works on, and the runtime's state. Every
 * guest thread is one host thread. */
struct rt_thread {
    struct cpu cpu; /* first, so the runtime can go from a struct cpu * to its thread */
    int tid;
    uint64_t blocked;    /* guest signal mask, bit (sig - 1) */
    uint64_t saved_mask; /* sigsuspend and friends: the mask a delivered handler's frame saves */
    bool has_saved;      /*   ... and whether saved_mask is in use */
    uint64_t queued;     /* signals caught by the host handler, waiting for a safe point */
    unsigned nq;         /* entries in q */
    struct {
        int sig;
        siginfo_t info;
    } q[RT_SIGQ];
    uint64_t altstack_sp, altstack_size;
    int altstack_flags;
    uint64_t clear_tid; /* set_tid_address / CLONE_CHILD_CLEARTID */
    /* Host-side state of running guest code. */
    sigjmp_buf base;  /* the outermost dispatcher loop: unwinding lands here */
    bool sigreturn;   /* rt_sigreturn of the innermost fault frame: its loop ends */
    unsigned nfaults; /* guest handlers running inside host fault handlers */
    struct rt_fault {
        uint64_t frame;  /* the handler's signal frame */
        uint64_t lo, hi; /* the stack range in which the handler is still running */
    } fault[RT_FAULTS];
    uint64_t interp_pc; /* the interpreter is executing the instruction at this address */
    int in_syscall;     /* the runtime is serving syscall number in_syscall - 1 */
    bool code_changed;  /* the syscall being served made translations stale (smc.c) */
    /* The host thread. */
    void *host_stack;
    size_t host_stack_size;
    unsigned long host_thread; /* pthread_t */
    volatile int start;        /* clone handshake */
    struct rt_thread *next;    /* exited threads waiting to be reaped */
};

static inline struct rt_thread *rt_thread_of(struct cpu *c)
{
    return (struct rt_thread *)c;
}

/* dispatch.c */
void rt_dispatch_init(bool interp_only);
/* Points the calling thread's inline probes at the table, or at the fault handlers' one slot. */
void rt_dispatch_thread(bool in_fault_handler);
rt_fn *rt_find(uint64_t va); /* NULL when va has no translation */
/* Every address whose translation gone() says is stale goes to the interpreter from now on. */
void rt_dispatch_forget(bool (*gone)(rt_fn *fn));
/* Runs the calling thread's guest from c->pc forever: the outermost dispatcher loop. */
_Noreturn void rt_run(struct cpu *c);
/* One dispatch step: run the code at c->pc until it leaves to the dispatcher. */
void rt_step(struct cpu *c);

/* smc.c: guest code in [addr, addr + len) may change (it became writable, or was unmapped or
 * mapped over); the translations of it never run again. Sets the thread's code_changed when some
 * did. */
void rt_code_may_change(struct cpu *c, uint64_t addr, uint64_t len);

/* interp.c: runs guest code from va in the interpreter until it reaches translated code. */
void rt_interp(struct cpu *c, uint64_t va);

/* translated_call.S: runs fn from guest address va on c. And C functions as translated code
 * calls them: rt_interp, and dispatch.c's check for a thread in a fault handler. */
void rt_call(rt_fn *fn, struct cpu *c, uint64_t va);
_Static_assert(offsetof(struct cpu, x) == 0, "translated_call.S addresses x[] from the start");
extern rt_fn rt_interp_code, rt_fault_guard_code;
/* What a stale translation's first instruction calls instead of running it (smc.c). */
extern rt_fn rt_stale_code;
void rt_stale(struct cpu *c, uint64_t va);
void rt_fault_guard(struct cpu *c, uint64_t va);

/* fixup.c: guest memory access that cannot crash the runtime, and signal-safe blocking calls. */
long rt_copy(void *dst, const void *src, size_t n);
long rt_copy_str(char *dst, const char *src, size_t max);
long rt_copy_in(void *dst, uint64_t va, size_t n);        /* 0 or -EFAULT */
long rt_copy_out(uint64_t va, const void *src, size_t n); /* 0 or -EFAULT */
/* A host syscall that returns -EINTR, without entering the kernel, when rt_pending is set
 * before the kernel entry; use it for every call that may block. */
long rt_block_syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
                      uint64_t f);
bool rt_fixup_fault(void *uc);  /* a fault in a copy routine: return -EFAULT from it */
void rt_fixup_signal(void *uc); /* a signal before the kernel entry: return -EINTR */
/* A fault on the thread's poll page at a loop head's poll: continue at the loop's way out to
 * the dispatcher. */
bool rt_fixup_poll(const siginfo_t *si, void *uc);

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
bool rt_host_heap_range_ok(uint64_t va, uint64_t len);     /* what the host's malloc gives */
void rt_mem_track(uint64_t va, uint64_t len, bool mapped); /* record guest (un)mappings */
void rt_mem_fork(int phase);      /* around fork: 0 before, 1 in the parent, 2 in the child */
int rt_host_prot(int guest_prot); /* host protection for a guest one: never PROT_EXEC */

/* loader.c: a guest ELF file as an image without translations (XLATE_GUEST); NULL with a
 * message in err when it cannot be run. */
const struct rt_image *rt_load_elf(const char *path, char *err, size_t errlen);

/* pcmap.c: the guest pc of the translated code at host address host_pc, from the executable's
 * line table; false outside translated code, or when it is not known (stripped executable,
 * host code the optimizer merged from several guest instructions). Async-signal-safe. */
bool rt_pcmap(uint64_t host_pc, uint64_t *guest_pc);
void rt_pcmap_fork_child(void); /* in a fork child, before it runs guest code */

/* start.c */
_Noreturn void rt_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Terminate as if killed by sig (default action), flushing nothing. */
_Noreturn void rt_die_by_signal(int sig);

/* signal.c */
void rt_signal_init(void);
void rt_signal_thread_start(struct rt_thread *t); /* a new thread: host mask from the guest's */
void rt_signal_fork_child(struct rt_thread *t);   /* pending signals are not inherited */
/* The calling host thread gets a private copy of the dispositions (a vfork child), or goes
 * back to the process's. */
void rt_signal_own_actions(bool own);
long rt_sigaction(struct cpu *c, int sig, uint64_t act_va, uint64_t oact_va, uint64_t size);
long rt_sigprocmask(struct cpu *c, int how, uint64_t set_va, uint64_t oset_va, uint64_t size);
long rt_sigreturn(struct cpu *c);
long rt_sigaltstack(struct cpu *c, uint64_t ss_va, uint64_t old_va);
long rt_sigpending(struct cpu *c, uint64_t set_va, uint64_t size);
long rt_sigsuspend(struct cpu *c, uint64_t set_va, uint64_t size);
long rt_sigtimedwait(struct cpu *c, uint64_t set_va, uint64_t info_va, uint64_t ts_va,
                     uint64_t size);
/* Calls that install a signal mask for their duration (ppoll, pselect6, epoll_pwait): run
 * call(c, a) with the guest mask *mask_va in force, and when it returns -EINTR, let the frame of
 * the handler that interrupted it save the previous mask, as the kernel does. */
long rt_with_sigmask(struct cpu *c, uint64_t mask_va, uint64_t size,
                     long (*call)(struct cpu *, const uint64_t *), const uint64_t *a);
/* Clears rt_pending; true when a caught signal is ready for delivery (not blocked). */
bool rt_signal_check(struct cpu *c);
void rt_pending_clear(void);            /* rt_pending and the poll page both */
bool rt_signal_restarts(struct cpu *c); /* the first ready signal's handler has SA_RESTART */
void rt_deliver_pending(struct cpu *c); /* at a safe point, with the state synced */
/* Inside a guest handler for a host fault, has the guest left it without rt_sigreturn
 * (longjmp)? Then rt_fault_check gives up the host frames and goes on from the dispatcher. */
bool rt_fault_abandoned(struct rt_thread *t);
void rt_fault_check(struct cpu *c);
/* Gives up the thread's host frames: its outermost dispatcher goes on from the state in *c. */
_Noreturn void rt_unwind(struct rt_thread *t);
/* Raise a synchronous guest signal at c->pc (SIGILL, SIGTRAP, SIGSEGV...). */
void rt_raise(struct cpu *c, int sig, int code, uint64_t addr);
/* Before execve: make the host's dispositions what the guest's would be after it. */
void rt_signal_before_exec(void);

/* thread.c */
/* The calling thread's state; inline, as every indirect branch of translated code asks. The
 * runtime is always linked into an executable, so the initial-exec model is valid, and it spares
 * the -fPIC default's call to __tls_get_addr (relaxed by the linker, but the compiler still saves
 * registers around it). */
extern __thread struct rt_thread *rt_self_tls __attribute__((tls_model("initial-exec")));
static inline struct rt_thread *rt_self(void)
{
    return rt_self_tls;
}
struct rt_thread *rt_thread_main(void); /* the first thread, at start-up */
void rt_set_self(struct rt_thread *t);
/* A new thread state: c's registers and signal mask, nothing pending, no alternate stack. */
struct rt_thread *rt_thread_copy(const struct cpu *c);
long rt_clone(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
              uint64_t ctid, uint64_t exit_signal);
_Noreturn void rt_thread_exit(struct cpu *c, int code);
void rt_thread_fork_child(struct rt_thread *t);

/* process.c */
long rt_fork(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls, uint64_t ctid,
             uint64_t exit_signal);
/* The file a guest path names: /proc/self/exe is the guest's executable, not the runtime. */
const char *rt_guest_path(const char *path);

/* xstate.c: the bytes of extended state fp_slow_entry.S saves (0: FXSAVE's 512) */
extern uint32_t rt_xstate_size;
void rt_xstate_init(void);

#endif
