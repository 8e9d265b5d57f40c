/*
 * setjmp: non-local control flow that does not return through the callers -- longjmp out of a
 * 5000-deep recursion, nested jmp_bufs (an inner handler that rethrows to an outer one),
 * longjmp(buf, 0) arriving as 1, volatile locals surviving the jump, 100000 round trips from a
 * 50-deep recursion (the translator's host stack must not grow with each one), doubles held in
 * callee-saved FP registers across the jump, and sigsetjmp/siglongjmp restoring the signal mask.
 * glibc's setjmp and longjmp are assembly that save and restore sp, the frame pointer, x19-x30 and
 * d8-d15 directly. Exit status: the number of checks that failed (0) plus 40.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static int failures;
static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("FAILED: %s\n", what);
    }
}

static jmp_buf deep_buf;
static unsigned long deep_sum;
static void dive(int depth, int target)
{
    volatile char pad[48]; /* a real frame at every level */
    if (depth > target)
        return;
    pad[depth % 48] = (char)depth;
    deep_sum += (unsigned long)depth + (unsigned char)pad[depth % 48];
    if (depth == target)
        longjmp(deep_buf, depth);
    dive(depth + 1, target);
    deep_sum = 0; /* never reached */
}

/* A tiny exception mechanism: try-blocks nest through a stack of jmp_bufs. */
static jmp_buf *handlers[8];
static int nhandlers;
static void throw(int code)
{
    if (nhandlers == 0) {
        printf("uncaught %d\n", code);
        return;
    }
    longjmp(*handlers[--nhandlers], code);
}

static int inner_work(int x)
{
    jmp_buf here;
    int code = setjmp(here);
    if (code == 0) {
        handlers[nhandlers++] = &here;
        if (x > 2)
            throw(x * 10);
        nhandlers--;
        return x;
    }
    /* Caught here; rethrow the big ones to the outer handler. */
    if (code >= 50)
        throw(code + 1);
    return -code;
}

static int outer(int x)
{
    jmp_buf here;
    volatile int progress = 0;
    int code = setjmp(here);
    if (code == 0) {
        handlers[nhandlers++] = &here;
        progress = 1;
        int r = inner_work(x);
        progress = 2;
        nhandlers--;
        return r;
    }
    return 1000 + code + progress * 100000;
}

static jmp_buf loop_buf;
static void bounce(int depth)
{
    if (depth < 0)
        return;
    if (depth == 0)
        longjmp(loop_buf, 1);
    bounce(depth - 1);
}

static jmp_buf fp_buf;
static volatile double fp_in[8] = {1.5, -2.25, 3.125, 1e10, -0.5, 7.75, 1.0 / 1024, 100};
static double fp_sink;
static __attribute__((noinline)) void fp_touch(void)
{
    fp_sink += 1;
}

/* Its eight doubles live across a call, so they occupy callee-saved d8-d15, which it saves in its
 * prologue and would restore in an epilogue that the longjmp skips. */
static __attribute__((noinline)) void fp_clobber(void)
{
    double a = fp_in[0] * 3, b = fp_in[1] * 3, c = fp_in[2] * 3, d = fp_in[3] * 3, e = fp_in[4] * 3,
           f = fp_in[5] * 3, g = fp_in[6] * 3, h = fp_in[7] * 3;
    fp_touch();
    fp_sink += a + b + c + d + e + f + g + h;
    longjmp(fp_buf, 1);
}

static __attribute__((noinline)) void fp_jumper(void)
{
    if (setjmp(fp_buf) == 0)
        fp_clobber();
}

/* Its doubles also live in d8-d15 across the call; longjmp must have restored them. */
static __attribute__((noinline)) double fp_survivors(void)
{
    double a = fp_in[0] + 1, b = fp_in[1] + 1, c = fp_in[2] + 1, d = fp_in[3] + 1, e = fp_in[4] + 1,
           f = fp_in[5] + 1, g = fp_in[6] + 1, h = fp_in[7] + 1;
    fp_jumper();
    return a + 2 * b + 4 * c + 8 * d + 16 * e + 32 * f + 64 * g + 128 * h;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* a crash keeps the lines before it */
    /* Deep recursion, one jump out. */
    int r = setjmp(deep_buf);
    if (r == 0)
        dive(0, 5000);
    printf("deep: returned %d, sum %lu\n", r, deep_sum);
    check(r == 5000, "deep longjmp value");

    /* longjmp(buf, 0) must arrive as 1. */
    static jmp_buf zero_buf;
    volatile int round = 0;
    r = setjmp(zero_buf);
    round++;
    if (round == 1)
        longjmp(zero_buf, 0);
    printf("longjmp(0) arrived as %d after %d rounds\n", r, round);
    check(r == 1 && round == 2, "longjmp 0");

    /* Nested handlers with rethrow. */
    for (int x = 0; x <= 6; x++)
        printf("outer(%d) = %d\n", x, outer(x));
    check(nhandlers == 0, "handler stack balanced");

    /* Many round trips: the stack must stay bounded. */
    volatile unsigned long trips = 0;
    if (setjmp(loop_buf) < 1000000) {
        if (trips < 100000) {
            trips++;
            bounce(50);
        }
    }
    printf("round trips: %lu\n", trips);
    check(trips == 100000, "round trips");

    /* sigsetjmp(…, 1) saves the mask; siglongjmp restores it. */
    sigjmp_buf sb;
    sigset_t block, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    int sr = sigsetjmp(sb, 1);
    if (sr == 0) {
        sigprocmask(SIG_BLOCK, &block, NULL);
        sigprocmask(SIG_BLOCK, NULL, &now);
        check(sigismember(&now, SIGUSR1), "blocked before siglongjmp");
        siglongjmp(sb, 7);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("siglongjmp returned %d, SIGUSR1 blocked after: %d\n", sr, sigismember(&now, SIGUSR1));
    check(sr == 7 && !sigismember(&now, SIGUSR1), "sigsetjmp restores mask");

    /* sigsetjmp(…, 0) leaves the mask alone. */
    sr = sigsetjmp(sb, 0);
    if (sr == 0) {
        sigprocmask(SIG_BLOCK, &block, NULL);
        siglongjmp(sb, 3);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsetjmp(0): returned %d, SIGUSR1 blocked after: %d\n", sr,
           sigismember(&now, SIGUSR1));
    check(sr == 3 && sigismember(&now, SIGUSR1), "sigsetjmp without mask");

    double fp = fp_survivors();
    printf("fp survivors: %.17g (clobber sink %.17g)\n", fp, fp_sink);
    check(fp == 2.5 + 2 * -1.25 + 4 * 4.125 + 8 * (1e10 + 1) + 16 * 0.5 + 32 * 8.75 +
                    64 * (1 + 1.0 / 1024) + 128 * 101,
          "callee-saved FP registers");

    printf("failures: %d\n", failures);
    return 40 + failures;
}
