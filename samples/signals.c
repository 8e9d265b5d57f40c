/*
 * signals: guest signal handlers -- SIGUSR1 by raise() (tgkill) and SIGUSR2 by kill(getpid()),
 * SA_SIGINFO handlers reading si_signo/si_code/si_pid, sigprocmask blocking a signal so it
 * stays pending (sigpending) until unblocked, a handler that raises another signal (nested
 * delivery, with sa_mask deferring it), SA_RESETHAND, SIG_IGN, and a synchronous SIGSEGV from a
 * store to a read-only page caught with si_addr checked and left through siglongjmp. Handlers
 * only set flags and counters; nothing depends on timing.
 * Exit status: the number of failed checks (0) plus 20.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

static volatile sig_atomic_t usr1_count, usr2_count, last_code_is_tkill, last_pid_ok, order_pos;
static volatile sig_atomic_t order[8];

static void on_usr1(int sig)
{
    (void)sig;
    usr1_count++;
    order[order_pos++ & 7] = 1;
}

static void on_usr2_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    usr2_count++;
    last_code_is_tkill = si->si_signo == sig && si->si_code == SI_TKILL;
    last_pid_ok = si->si_pid == getpid();
    order[order_pos++ & 7] = 2;
}

/* Raises SIGUSR1 from inside a SIGUSR2 handler; SIGUSR1 is in sa_mask, so it waits. */
static void on_usr2_nested(int sig)
{
    (void)sig;
    order[order_pos++ & 7] = 3;
    raise(SIGUSR1);
    order[order_pos++ & 7] = 4;
}

static sigjmp_buf segv_jmp;
static void *volatile fault_addr;
static volatile sig_atomic_t segv_code;
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fault_addr = si->si_addr;
    segv_code = si->si_code;
    siglongjmp(segv_jmp, 1);
}

static void reset_order(void)
{
    order_pos = 0;
    for (int i = 0; i < 8; i++)
        order[i] = 0;
}

static void print_order(const char *what)
{
    printf("%s order:", what);
    for (int i = 0; i < order_pos && i < 8; i++)
        printf(" %d", order[i]);
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* a crash keeps the lines before it */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction SIGUSR1");

    raise(SIGUSR1);
    check(usr1_count == 1, "raise delivers SIGUSR1 before returning");
    kill(getpid(), SIGUSR1);
    check(usr1_count == 2, "kill(getpid()) delivers SIGUSR1");

    /* SA_SIGINFO */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr2_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction SIGUSR2 with SA_SIGINFO");
    raise(SIGUSR2);
    check(usr2_count == 1 && last_code_is_tkill && last_pid_ok,
          "siginfo: si_signo, si_code SI_TKILL, si_pid");

    /* The old action comes back from sigaction. */
    struct sigaction old;
    check(sigaction(SIGUSR2, NULL, &old) == 0 && (old.sa_flags & SA_SIGINFO) &&
              old.sa_sigaction == on_usr2_info,
          "sigaction returns the installed action");

    /* Blocked: pending until unblocked, then delivered once. */
    sigset_t set, pend, oldmask;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    check(sigprocmask(SIG_BLOCK, &set, &oldmask) == 0, "sigprocmask block");
    raise(SIGUSR1);
    raise(SIGUSR1);
    check(usr1_count == 2, "blocked signal not delivered");
    check(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2),
          "sigpending shows SIGUSR1 only");
    check(!sigismember(&oldmask, SIGUSR1), "old mask did not block SIGUSR1");
    check(sigprocmask(SIG_SETMASK, &oldmask, NULL) == 0, "sigprocmask unblock");
    check(usr1_count == 3, "unblocking delivers it exactly once");
    check(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1), "nothing pending after");

    /* Nested: SIGUSR1 raised inside a SIGUSR2 handler whose sa_mask blocks it. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2_nested;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR1);
    sigaction(SIGUSR2, &sa, NULL);
    reset_order();
    raise(SIGUSR2);
    print_order("masked nested");
    check(order_pos == 3 && order[0] == 3 && order[1] == 4 && order[2] == 1,
          "sa_mask defers the inner signal until the handler returns");
    /* Without the mask the inner handler runs inside the outer one. */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    reset_order();
    raise(SIGUSR2);
    print_order("unmasked nested");
    check(order_pos == 3 && order[0] == 3 && order[1] == 1 && order[2] == 4,
          "without sa_mask the inner signal interrupts the handler");

    /* SA_RESETHAND: the handler runs once and the action reverts to SIG_DFL; then SIG_IGN
     * discards the signal. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    int before = usr1_count;
    raise(SIGUSR1);
    check(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
          "SA_RESETHAND restores SIG_DFL");
    check(usr1_count == before + 1, "SA_RESETHAND handler ran once");
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    check(usr1_count == before + 1, "SIG_IGN ignores");

    /* A synchronous fault: a store to a read-only page. */
    long pagesz = sysconf(_SC_PAGESIZE);
    char *page =
        mmap(NULL, (size_t)pagesz * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(page != MAP_FAILED, "mmap");
    page[0] = 'x';
    check(mprotect(page + pagesz, (size_t)pagesz, PROT_READ) == 0, "mprotect read-only");
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    volatile char *target = page + pagesz + 123;
    if (sigsetjmp(segv_jmp, 1) == 0) {
        *target = 1;
        check(0, "store to a read-only page faults");
    } else {
        printf("SIGSEGV at page offset %ld, si_code %s\n", (long)((char *)fault_addr - page),
               segv_code == SEGV_ACCERR   ? "SEGV_ACCERR"
               : segv_code == SEGV_MAPERR ? "SEGV_MAPERR"
                                          : "other");
        check(fault_addr == target && segv_code == SEGV_ACCERR, "si_addr is the faulting address");
    }
    check(page[pagesz + 123] == 0, "the faulting store did not happen");
    /* SIGSEGV is not blocked after siglongjmp out of its handler: a second fault works too. */
    fault_addr = NULL;
    if (sigsetjmp(segv_jmp, 1) == 0) {
        *(volatile int *)(page + pagesz + 8) = 2;
        check(0, "second store faults");
    } else {
        check(fault_addr == page + pagesz + 8, "second fault caught");
    }
    munmap(page, (size_t)pagesz * 2);

    printf("SIGUSR1 handled %d times, SIGUSR2 %d times\n", usr1_count, usr2_count);
    printf("failures: %d\n", failures);
    return 20 + failures;
}
