/*
 * signals: the guest's signal ABI, with deterministic output.
 *   - SIGSEGV handler reading si_addr and leaving with siglongjmp, 20000 times in a row (the
 *     runtime must not keep a host frame per abandoned handler)
 *   - SIGSEGV handler that mprotects the page and returns: the faulting store is retried
 *   - sigaltstack + SA_ONSTACK: the handler runs on the alternate stack; a stack overflow from
 *     unbounded recursion caught there
 *   - SA_RESTART vs EINTR: a read from an empty pipe interrupted by setitimer's SIGALRM
 *   - SIGCHLD with si_pid/si_status, and a child killed by SIGSEGV with no handler
 *   - sigprocmask/sigpending, sigsuspend (mask restored after), sigtimedwait, signalfd,
 *     real-time signals queued with values and delivered in order
 *   - SIGALRM ending a loop that makes no calls (asynchronous delivery at loop back-edges), and
 *     the flags a loop head reads kept across such deliveries
 *   - SA_NODEFER, SA_RESETHAND, SIG_IGN
 *   - rt_sigreturn restoring a modified ucontext: a BRK skipped with x0 and d0 changed by the
 *     handler; an undefined instruction (SIGILL) skipped
 * Exit status: the number of failed checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <asm/sigcontext.h>
#include <ucontext.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0)
        perror("sigaction");
}

static void dflt(int sig)
{
    signal(sig, SIG_DFL);
}

/* ---- SIGSEGV + siglongjmp ---- */

static sigjmp_buf jb;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv_jump(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    siglongjmp(jb, 1);
}

static void test_segv_longjmp(void)
{
    handle(SIGSEGV, on_segv_jump, 0);
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile int caught = 0, wrong = 0;
    for (volatile int i = 0; i < 20000; i++) {
        char *target = i & 1 ? page + (i % 4096) : (char *)(uintptr_t)(0x10 + i);
        if (sigsetjmp(jb, 1) == 0) {
            *(volatile char *)target = 1;
        } else {
            caught++;
            if (fault_addr != target || fault_code != ((i & 1) ? SEGV_ACCERR : SEGV_MAPERR))
                wrong++;
        }
    }
    printf("segv+longjmp: caught %d, wrong address or code %d\n", caught, wrong);
    check(caught == 20000 && wrong == 0, "SIGSEGV handler leaving with siglongjmp");
    munmap(page, 4096);
    dflt(SIGSEGV);
}

/* ---- SIGSEGV, fix and retry ---- */

static char *retry_page;
static volatile int retries;

static void on_segv_fix(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    retries++;
    if ((char *)si->si_addr >= retry_page && (char *)si->si_addr < retry_page + 4096)
        mprotect(retry_page, 4096, PROT_READ | PROT_WRITE);
}

static void test_segv_retry(void)
{
    handle(SIGSEGV, on_segv_fix, 0);
    retry_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long sum = 0;
    for (int i = 0; i < 4096; i += 512) {
        retry_page[i] = (char)(i / 512 + 1); /* faults once, then the page is writable */
        sum += retry_page[i];
        if (i == 2048)
            mprotect(retry_page, 4096, PROT_NONE);
    }
    printf("segv retry: %d faults, sum %ld\n", retries, sum);
    check(retries == 2 && sum == 36, "SIGSEGV handler fixing the page and returning");
    munmap(retry_page, 4096);
    dflt(SIGSEGV);
}

/* ---- sigaltstack ---- */

static char *alt_base;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, alt_flags_in_handler;

static void on_usr1_alt(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    char here;
    on_alt = &here >= alt_base && &here < alt_base + alt_size;
    stack_t ss;
    sigaltstack(NULL, &ss);
    alt_flags_in_handler = ss.ss_flags;
    (void)uc;
}

static volatile int depth_reached;
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#pragma GCC diagnostic ignored "-Warray-bounds"
static int recurse(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    depth_reached = n;
    return recurse(n + 1) + pad[0];
}

static void on_segv_overflow(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    char here;
    on_alt = &here >= alt_base && &here < alt_base + alt_size;
    siglongjmp(jb, 1);
}

static void test_altstack(void)
{
    alt_base = malloc(alt_size);
    stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0}, old;
    sigaltstack(&ss, &old);
    handle(SIGUSR1, on_usr1_alt, SA_ONSTACK);
    raise(SIGUSR1);
    printf("altstack: handler on the alternate stack %d, flags there %d\n", on_alt,
           alt_flags_in_handler);
    check(on_alt && alt_flags_in_handler == SS_ONSTACK, "SA_ONSTACK handler");
    stack_t now;
    sigaltstack(NULL, &now);
    check(now.ss_flags == 0 && now.ss_sp == alt_base && now.ss_size == alt_size,
          "sigaltstack reports the stack, not in use");
    ss.ss_size = 1024;
    check(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM, "sigaltstack too small: ENOMEM");

    on_alt = 0;
    handle(SIGSEGV, on_segv_overflow, SA_ONSTACK);
    if (sigsetjmp(jb, 1) == 0)
        recurse(0);
    printf("stack overflow caught on the alternate stack: %d (deep enough: %d)\n", on_alt,
           depth_reached > 1000);
    check(on_alt && depth_reached > 1000, "stack overflow handled on the alternate stack");
    dflt(SIGSEGV);
    dflt(SIGUSR1);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
}

/* ---- SA_RESTART vs EINTR ---- */

static int restart_pipe[2];
static volatile int alarms;

static void on_alarm_write(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    alarms++;
    if (write(restart_pipe[1], "x", 1) != 1)
        _exit(99);
}

static void one_shot_timer(long usec)
{
    struct itimerval it = {{0, 0}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void test_restart(void)
{
    pipe(restart_pipe);
    char c = 0;
    /* With SA_RESTART the read is restarted after the handler and gets the handler's byte. */
    handle(SIGALRM, on_alarm_write, SA_RESTART);
    one_shot_timer(20000);
    ssize_t n = read(restart_pipe[0], &c, 1);
    printf("SA_RESTART: read returned %zd '%c' after %d alarm(s)\n", n, c, alarms);
    check(n == 1 && c == 'x' && alarms == 1, "read restarted under SA_RESTART");
    /* Without it the read fails with EINTR; the byte stays in the pipe. */
    handle(SIGALRM, on_alarm_write, 0);
    one_shot_timer(20000);
    errno = 0;
    n = read(restart_pipe[0], &c, 1);
    int e = errno;
    printf("no SA_RESTART: read returned %zd (%s)\n", n, strerror(e));
    check(n == -1 && e == EINTR, "read interrupted without SA_RESTART");
    n = read(restart_pipe[0], &c, 1);
    check(n == 1 && c == 'x', "the handler's byte is still there");
    /* A signal arriving right before a blocking call must still interrupt it. */
    int interrupted = 0;
    for (int i = 0; i < 200; i++) {
        one_shot_timer(50 + (i % 7) * 30);
        n = read(restart_pipe[0], &c, 1);
        if (n == -1 && errno == EINTR)
            interrupted++;
        else if (n == 1)
            interrupted++; /* the alarm came before read: the handler's byte */
    }
    printf("200 races between an alarm and a blocking read: all ended %d\n", interrupted == 200);
    check(interrupted == 200, "no lost EINTR");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGALRM, &sa, NULL);
    close(restart_pipe[0]);
    close(restart_pipe[1]);
}

/* ---- SIGCHLD ---- */

static volatile pid_t chld_pid;
static volatile int chld_status, chld_code;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    chld_pid = si->si_pid;
    chld_status = si->si_status;
    chld_code = si->si_code;
}

static void test_sigchld(void)
{
    handle(SIGCHLD, on_chld, SA_RESTART | SA_NOCLDSTOP);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    sigset_t wait_set = old;
    sigdelset(&wait_set, SIGCHLD);
    while (!chld_pid)
        sigsuspend(&wait_set);
    sigprocmask(SIG_SETMASK, &old, NULL);
    int status;
    waitpid(pid, &status, 0);
    printf("SIGCHLD: from the child %d, status %d, code %s, exit %d\n", chld_pid == pid,
           chld_status, chld_code == CLD_EXITED ? "CLD_EXITED" : "?", WEXITSTATUS(status));
    check(chld_pid == pid && chld_status == 42 && chld_code == CLD_EXITED, "SIGCHLD siginfo");
    dflt(SIGCHLD);

    /* A child that faults with no handler dies of SIGSEGV; one that aborts, of SIGABRT. */
    pid = fork();
    if (pid == 0) {
        *(volatile int *)16 = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    pid_t pid2 = fork();
    if (pid2 == 0)
        abort();
    int status2;
    waitpid(pid2, &status2, 0);
    printf("children killed by signals %d and %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0,
           WIFSIGNALED(status2) ? WTERMSIG(status2) : 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && WIFSIGNALED(status2) &&
              WTERMSIG(status2) == SIGABRT,
          "default actions of SIGSEGV and SIGABRT");
}

/* ---- masks, pending, suspend, waiting ---- */

static volatile int usr1_count, usr2_count;
static void on_usr1_count(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    usr1_count++;
}

static void test_masks(void)
{
    handle(SIGUSR1, on_usr1_count, 0);
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigpending(&pend);
    int pending_before = sigismember(&pend, SIGUSR1), count_before = usr1_count;
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigpending(&pend);
    printf("mask: pending while blocked %d, handled while blocked %d, after unblock %d, "
           "pending after %d\n",
           pending_before, count_before, usr1_count, sigismember(&pend, SIGUSR1));
    check(pending_before == 1 && count_before == 0 && usr1_count == 1 &&
              !sigismember(&pend, SIGUSR1),
          "blocked signal stays pending, delivered once on unblock");

    /* sigsuspend: the temporary mask lets SIGUSR1 in, the old mask comes back. */
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t none;
    sigemptyset(&none);
    int r = sigsuspend(&none);
    int e = errno;
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("sigsuspend: returned %d (%s), handler ran %d, SIGUSR1 blocked again %d\n", r,
           strerror(e), usr1_count, sigismember(&now, SIGUSR1));
    check(r == -1 && e == EINTR && usr1_count == 2 && sigismember(&now, SIGUSR1), "sigsuspend");

    /* sigtimedwait takes a blocked signal without running its handler. */
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    siginfo_t si;
    struct timespec ts = {1, 0};
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    int sig = sigtimedwait(&set, &si, &ts);
    /* si_code is not compared: qemu reports SI_USER where the kernel says SI_TKILL. */
    printf("sigtimedwait: %d, si_signo %d\n", sig, si.si_signo);
    check(sig == SIGUSR2 && si.si_signo == SIGUSR2, "sigtimedwait");
    ts.tv_sec = 0;
    ts.tv_nsec = 10000000;
    sig = sigtimedwait(&set, &si, &ts);
    check(sig == -1 && errno == EAGAIN, "sigtimedwait times out with EAGAIN");

    /* signalfd reads a blocked real-time signal and its value. */
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int fd = signalfd(-1, &set, SFD_CLOEXEC);
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 4242});
    struct signalfd_siginfo fi;
    ssize_t n = read(fd, &fi, sizeof fi);
    printf("signalfd: read %zd, signal SIGRTMIN+%d, value %d\n", n, (int)fi.ssi_signo - SIGRTMIN,
           fi.ssi_int);
    check(n == sizeof fi && (int)fi.ssi_signo == SIGRTMIN + 1 && fi.ssi_int == 4242, "signalfd");
    close(fd);
    sigprocmask(SIG_SETMASK, &old, NULL);
    dflt(SIGUSR1);
}

/* ---- real-time signals queue ---- */

static int rt_values[8], rt_n;
static void on_rt(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (rt_n < 8)
        rt_values[rt_n++] = si->si_value.sival_int;
}

static void test_rt_queue(void)
{
    handle(SIGRTMIN, on_rt, 0);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 1; i <= 3; i++)
        sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i * 11});
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("real-time queue: %d deliveries:", rt_n);
    for (int i = 0; i < rt_n; i++)
        printf(" %d", rt_values[i]);
    printf("\n");
    check(rt_n == 3 && rt_values[0] == 11 && rt_values[1] == 22 && rt_values[2] == 33,
          "real-time signals queue in order with their values");
    dflt(SIGRTMIN);
}

/* ---- asynchronous delivery in a loop without calls ---- */

static volatile int stop_loop;
static void on_alarm_stop(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    stop_loop = 1;
}

static volatile int ticks;
static void on_alarm_tick(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    if (++ticks == 20)
        stop_loop = 1;
}

/* A tick every 200 microseconds until stop_ticks; the twentieth sets stop_loop. */
static void start_ticks(void)
{
    handle(SIGALRM, on_alarm_tick, SA_RESTART);
    ticks = 0;
    stop_loop = 0;
    struct itimerval it = {{0, 200}, {0, 200}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_ticks(void)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
}

/* Signals delivered at the head of a loop that reads the flags the previous iteration
 * set: the flags must survive delivery (the lifter drops them there only when the head does not
 * read them). The head counts the iterations that arrive with C set, which is all of them. */
static void test_loop_flags(void)
{
    start_ticks();
    uint64_t with_c, iterations;
    __asm__ volatile("mov %0, #0\n"
                     "mov %1, #0\n"
                     "cmp %1, #0\n" /* C set */
                     "1: cinc %0, %0, cs\n"
                     "add %1, %1, #1\n"
                     "ldr w9, [%2]\n"
                     "cmp w9, #0\n" /* C set, Z while the loop goes on */
                     "b.eq 1b\n"
                     : "=&r"(with_c), "=&r"(iterations)
                     : "r"(&stop_loop)
                     : "x9", "cc", "memory");
    stop_ticks();
    printf("flags at a loop head across 20 alarms: %s\n", with_c == iterations ? "kept" : "lost");
    check(ticks >= 20 && with_c == iterations, "flags survive a signal at a loop's back edge");
}

/* Signals delivered at a loop head that writes some registers whole before it reads them (the
 * translation clears those on its way out to deliver) and reads others first: MOVK keeps the
 * low half of x12, FMOV reads v0. Those must arrive intact in every iteration. */
static void test_loop_regs(void)
{
    start_ticks();
    uint64_t bad, iterations;
    __asm__ volatile("mov %0, #0\n"
                     "mov %1, #0\n"
                     "mov x12, #0x1234\n"
                     "mov w9, #0x5678\n"
                     "fmov s0, w9\n"
                     "1: ldr w9, [%2]\n"       /* whole: dead at the head */
                     "fmov w10, s0\n"          /* whole, and reads v0 */
                     "movk x12, #7, lsl #16\n" /* keeps the low half */
                     "and x11, x12, #0xffff\n" /* whole */
                     "add x10, x10, x11\n"
                     "mov x11, #0x68ac\n" /* 0x5678 + 0x1234 */
                     "cmp x10, x11\n"
                     "cinc %0, %0, ne\n"
                     "add %1, %1, #1\n"
                     "cbz w9, 1b\n"
                     : "=&r"(bad), "=&r"(iterations)
                     : "r"(&stop_loop)
                     : "x9", "x10", "x11", "x12", "v0", "cc", "memory");
    stop_ticks();
    printf("registers at a loop head across 20 alarms: %s\n", bad == 0 ? "kept" : "lost");
    check(ticks >= 20 && bad == 0 && iterations > 0,
          "registers read at a loop head survive a signal there");
}

static void test_loop(void)
{
    handle(SIGALRM, on_alarm_stop, 0);
    one_shot_timer(30000);
    unsigned long spins = 0;
    while (!stop_loop)
        spins++;
    printf("loop without calls stopped by SIGALRM: %d\n", stop_loop);
    check(stop_loop == 1 && spins > 0, "asynchronous signal in a call-free loop");
    /* The same with the flag in a register-only loop: the handler's store must be seen. */
    stop_loop = 0;
    one_shot_timer(30000);
    unsigned long x = 1;
    while (!stop_loop)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    check(stop_loop == 1 && x != 0, "asynchronous signal in an arithmetic loop");
    test_loop_flags();
    test_loop_regs();
    dflt(SIGALRM);
}

/* ---- NODEFER, RESETHAND, IGN ---- */

static volatile int nested_depth, max_depth;
static void on_usr2_nodefer(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    nested_depth++;
    if (nested_depth > max_depth)
        max_depth = nested_depth;
    if (nested_depth < 3)
        raise(sig);
    nested_depth--;
}

static volatile int usr2_deferred;
static void on_usr2_defer(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    usr2_deferred++;
    if (usr2_deferred == 1) {
        raise(sig); /* blocked inside the handler: runs after it returns */
        max_depth = usr2_deferred;
    }
}

static void test_flags(void)
{
    handle(SIGUSR2, on_usr2_nodefer, SA_NODEFER);
    raise(SIGUSR2);
    printf("SA_NODEFER: nesting depth %d\n", max_depth);
    check(max_depth == 3, "SA_NODEFER lets the handler interrupt itself");
    handle(SIGUSR2, on_usr2_defer, 0);
    raise(SIGUSR2);
    printf("default: re-raised signal waited (seen %d inside), ran %d times\n", max_depth,
           usr2_deferred);
    check(max_depth == 1 && usr2_deferred == 2, "a handler's own signal is deferred");

    handle(SIGUSR2, on_usr2_defer, SA_RESETHAND);
    usr2_deferred = 5;
    raise(SIGUSR2);
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    check(usr2_deferred == 6 && now.sa_handler == SIG_DFL, "SA_RESETHAND");

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    check(1, "SIG_IGN ignores");
    dflt(SIGUSR2);
}

/* ---- modified ucontext ---- */

static volatile int trap_seen, ill_seen;

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    trap_seen++;
    uc->uc_mcontext.pc += 4;      /* skip the BRK */
    uc->uc_mcontext.regs[0] = 42; /* and change x0 */
    /* and d0: in the FP/SIMD record of the frame, and in the SVE record when there is one with
     * register contents (then it takes precedence; qemu's default CPU has SVE) */
    double d0 = 2.5;
    for (struct _aarch64_ctx *h = (struct _aarch64_ctx *)uc->uc_mcontext.__reserved; h->magic;
         h = (struct _aarch64_ctx *)((char *)h + h->size)) {
        if (h->magic == FPSIMD_MAGIC)
            memcpy(&((struct fpsimd_context *)h)->vregs[0], &d0, sizeof d0);
        if (h->magic == SVE_MAGIC && h->size > sizeof(struct sve_context)) {
            unsigned vq = sve_vq_from_vl(((struct sve_context *)h)->vl);
            memcpy((char *)h + SVE_SIG_ZREG_OFFSET(vq, 0), &d0, sizeof d0);
        }
    }
}

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    /* The kernel says ILL_ILLOPC, qemu ILL_ILLOPN: the code is not compared. */
    ill_seen = si->si_addr == (void *)uc->uc_mcontext.pc;
    uc->uc_mcontext.pc += 4;
}

static void test_ucontext(void)
{
    handle(SIGTRAP, on_trap, 0);
    uint64_t x;
    double d;
    __asm__ volatile("mov x0, #1\n"
                     "fmov d0, #1.0\n"
                     "brk #7\n"
                     "mov %0, x0\n"
                     "fmov %d1, d0\n"
                     : "=r"(x), "=w"(d)
                     :
                     : "x0", "v0");
    printf("BRK handler: x0 %lu, d0 %g, handler ran %d\n", (unsigned long)x, d, trap_seen);
    check(x == 42 && d == 2.5 && trap_seen == 1, "rt_sigreturn restores a modified context");
    handle(SIGILL, on_ill, 0);
    __asm__ volatile(".inst 0x00000000\n"); /* UDF #0 */
    check(ill_seen == 1, "SIGILL at the undefined instruction, skipped by the handler");
    dflt(SIGTRAP);
    dflt(SIGILL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_segv_longjmp();
    test_segv_retry();
    test_altstack();
    test_restart();
    test_sigchld();
    test_masks();
    test_rt_queue();
    test_loop();
    test_flags();
    test_ucontext();
    printf("failures: %d\n", failures);
    return failures;
}
