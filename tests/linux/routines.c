/*
 * The C library routines the translation leaves to the host's C library (lift/routines.c):
 * memcpy, memmove and memset called through pointers the compiler cannot see through, so every
 * call reaches glibc's routine, at lengths from 0 to past 64 KiB, every alignment of source and
 * destination within 16 bytes, and
 *   - memmove with overlap in both directions, by every distance up to 40 bytes;
 *   - memset with values beyond a byte (only the low byte counts) and negative ones;
 *   - the result, which must be the destination;
 *   - guard bytes around every destination, which must not change;
 *   - a copy into and from a PROT_NONE page: SIGSEGV, caught, left with siglongjmp, after which
 *     the same routine works again.
 * Each case prints a checksum of all the bytes it could reach, so one wrong byte shows.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bytes.h"

static void *(*volatile cpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile mov)(void *, const void *, size_t) = memmove;
static void *(*volatile set)(void *, int, size_t) = memset;

/* Every case works within its length plus SLACK bytes, which hold its offsets and the guard
 * bytes after it; the checksum covers them all. */
enum { SLACK = 256, BUF = 100000 + SLACK };
static unsigned char a[BUF], b[BUF];

static const size_t lens[] = {0,    1,    2,    3,     4,     5,     7,     8,     9,   15,   16,
                              17,   24,   31,   32,    33,    47,    48,    63,    64,  65,   95,
                              96,   127,  128,  129,   255,   256,   257,   511,   512, 1000, 4095,
                              4096, 4097, 8191, 20000, 65535, 65536, 65537, 100000};
enum { NLENS = sizeof lens / sizeof *lens };

static int bad_result;

static void check(void *got, void *want)
{
    if (got != want)
        bad_result++;
}

static void copies(void)
{
    for (unsigned i = 0; i < NLENS; i++) {
        size_t n = lens[i];
        for (unsigned da = 0; da < 16; da += 3)
            for (unsigned sa = 0; sa < 16; sa += 5) {
                fill(a, n + SLACK, i + da);
                memset(b, 0x5a, n + SLACK);
                check(cpy(b + 64 + da, a + 32 + sa, n), b + 64 + da);
                printf("memcpy %zu %u %u %016llx\n", n, da, sa,
                       (unsigned long long)sum(b, n + SLACK));
            }
    }
}

static void moves(void)
{
    for (unsigned i = 0; i < NLENS; i++) {
        size_t n = lens[i];
        for (unsigned d = 0; d <= 40; d += (d < 17 ? 1 : 7)) {
            fill(a, n + SLACK, i + d);
            check(mov(a + 100 + d, a + 100, n), a + 100 + d); /* forwards over itself */
            uint64_t up = sum(a, n + SLACK);
            fill(a, n + SLACK, i + d);
            check(mov(a + 100, a + 100 + d, n), a + 100); /* backwards over itself */
            printf("memmove %zu %u %016llx %016llx\n", n, d, (unsigned long long)up,
                   (unsigned long long)sum(a, n + SLACK));
        }
    }
}

static void sets(void)
{
    static const int values[] = {0, 1, 0x7f, 0x80, 0xff, 0x1234, -1, -200, 0x7fffffff};
    for (unsigned i = 0; i < NLENS; i++)
        for (unsigned v = 0; v < sizeof values / sizeof *values; v++) {
            unsigned da = (i * 7 + v) % 16;
            fill(b, lens[i] + SLACK, i);
            check(set(b + 64 + da, values[v], lens[i]), b + 64 + da);
            printf("memset %zu %d %u %016llx\n", lens[i], values[v], da,
                   (unsigned long long)sum(b, lens[i] + SLACK));
        }
}

static sigjmp_buf env;

static void on_segv(int sig)
{
    siglongjmp(env, sig);
}

static void faults(void)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *m =
        mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m + page, page, PROT_NONE) != 0) {
        printf("mmap failed\n");
        return;
    }
    struct sigaction sa = {.sa_handler = on_segv};
    sigaction(SIGSEGV, &sa, NULL);
    for (int round = 0; round < 3; round++) {
        int sig = sigsetjmp(env, 1);
        if (sig == 0) {
            cpy(m + page - 100, a, 4000); /* runs off the end of the writable page */
            printf("copy into the guard page: no fault\n");
        } else {
            printf("copy into the guard page: signal %d\n", sig);
        }
        sig = sigsetjmp(env, 1);
        if (sig == 0) {
            mov(b, m + page - 100, 4000);
            printf("copy from the guard page: no fault\n");
        } else {
            printf("copy from the guard page: signal %d\n", sig);
        }
        sig = sigsetjmp(env, 1);
        if (sig == 0) {
            set(m + page - 10, 1, 11);
            printf("set into the guard page: no fault\n");
        } else {
            printf("set into the guard page: signal %d\n", sig);
        }
        fill(a, 256, round);
        check(cpy(m, a, 256), m);
        printf("after the faults %016llx\n", (unsigned long long)sum(m, 256));
    }
    signal(SIGSEGV, SIG_DFL);
    munmap(m, 2 * page);
}

int main(void)
{
    copies();
    moves();
    sets();
    faults();
    printf("wrong results: %d\n", bad_result);
    return bad_result != 0;
}
