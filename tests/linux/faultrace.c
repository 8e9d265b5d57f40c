/*
 * Faults racing with protection changes: one thread toggles a region between PROT_NONE and
 * read/write, replaces it with fresh pages (mmap MAP_FIXED over it, and munmap then mmap
 * MAP_FIXED), while workers read and write their own words in it under a SIGSEGV handler.
 * Half the workers leave the handler with siglongjmp and redo the operation, half return from
 * it so the faulting access is retried where it stood.
 *
 * Only invariants are printed: every fault's si_addr lay inside the region, every read found the
 * worker's own last value or zero (fresh pages), every worker faulted at least once (the region
 * starts inaccessible until all have), every worker finished, and the region's final contents
 * after each worker's last pass. Every loop is bounded; a worker that keeps faulting long
 * after the toggling stopped reports itself stuck.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define NWORK     4
#define PAGES     4
#define SLOTS     8 /* words per worker per page */
#define TOGGLES   400
#define MAX_OPS   20000000 /* per worker: far more than the toggling takes */
#define MAX_FAULT 2000000  /* consecutive faults of one operation before a worker gives up */

static char *region;
static size_t region_size;
static long pg;
static volatile int toggling_done;

static struct worker {
    volatile uint64_t last[PAGES * SLOTS]; /* the last value written to each slot */
    volatile long faults, consecutive, bad_reads;
    volatile int faulted, stuck, finished;
} workers[NWORK];
static volatile long outside; /* faults whose si_addr was not in the region */

static __thread sigjmp_buf jb;
static __thread struct worker *self;
static __thread int jump_out; /* leave the handler with siglongjmp (else return and retry) */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    char *a = si->si_addr;
    if (!self || a < region || a >= region + region_size)
        __atomic_fetch_add(&outside, 1, __ATOMIC_RELAXED);
    if (!self)
        _exit(4); /* a fault outside the workers' accesses: no way to go on */
    self->faults++;
    self->faulted = 1;
    if (++self->consecutive > MAX_FAULT && toggling_done) {
        self->stuck = 1;
        siglongjmp(jb, 2);
    }
    if (jump_out)
        siglongjmp(jb, 1);
}

static volatile uint64_t *slot(int w, int s)
{
    int page = s / SLOTS, k = s % SLOTS;
    return (volatile uint64_t *)(void *)(region + page * pg) + w * SLOTS + k;
}

/* Read, write and read back one slot: a read finds this worker's last value, or zero when the
 * pages were replaced since. */
static void op(int w, int s, uint64_t v)
{
    struct worker *me = &workers[w];
    volatile uint64_t *p = slot(w, s);
    uint64_t before = *p;
    if (before != 0 && before != me->last[s])
        me->bad_reads++;
    *p = v;
    me->last[s] = v;
    uint64_t after = *p;
    if (after != 0 && after != v)
        me->bad_reads++;
    me->consecutive = 0;
}

static void *worker(void *arg)
{
    int w = (int)(intptr_t)arg;
    self = &workers[w];
    jump_out = w % 2;
    volatile long i = 0;
    volatile int final = 0;
    for (;;) {
        if (sigsetjmp(jb, 1) == 2)
            break; /* stuck */
        if (!final) {
            for (; !toggling_done && i < MAX_OPS; i++)
                op(w, (int)(i % (PAGES * SLOTS)), (uint64_t)(w + 1) << 32 | (uint64_t)i);
            final = 1;
            i = 0;
        }
        /* The toggling is over: each slot's last value, which the final contents show. */
        for (; i < PAGES * SLOTS; i++)
            op(w, (int)i, (uint64_t)(w + 1) << 32 | (uint64_t)(0x1000 + i));
        break;
    }
    self->finished = 1;
    return NULL;
}

static void pause_briefly(unsigned k)
{
    for (volatile unsigned n = 0; n < 2000 + (k % 7) * 1000; n++)
        ;
}

static void *toggler(void *arg)
{
    (void)arg;
    /* The region starts inaccessible: wait (at most ten seconds) until every worker faulted. */
    for (int tries = 0; tries < 10000; tries++) {
        int all = 1;
        for (int w = 0; w < NWORK; w++)
            all &= workers[w].faulted;
        if (all)
            break;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    mprotect(region, region_size, PROT_READ | PROT_WRITE);
    for (unsigned k = 0; k < TOGGLES; k++) {
        pause_briefly(k);
        switch (k % 4) {
        case 0:
        case 2:
            mprotect(region, region_size, PROT_NONE);
            pause_briefly(k);
            mprotect(region, region_size, PROT_READ | PROT_WRITE);
            break;
        case 1: /* fresh pages in place, no gap */
            mmap(region, region_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            break;
        case 3: /* unmapped for a while */
            munmap(region, region_size);
            pause_briefly(k);
            mmap(region, region_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            break;
        }
    }
    toggling_done = 1;
    return NULL;
}

int main(void)
{
    pg = sysconf(_SC_PAGESIZE);
    region_size = (size_t)(PAGES * pg);
    region = mmap(NULL, region_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);

    pthread_t t[NWORK + 1];
    for (int w = 0; w < NWORK; w++)
        pthread_create(&t[w], NULL, worker, (void *)(intptr_t)w);
    pthread_create(&t[NWORK], NULL, toggler, NULL);
    for (int w = 0; w <= NWORK; w++)
        pthread_join(t[w], NULL);

    long bad = 0, faults = 0;
    int faulted = 0, stuck = 0, finished = 0;
    for (int w = 0; w < NWORK; w++) {
        bad += workers[w].bad_reads;
        faults += workers[w].faults;
        faulted += workers[w].faulted;
        stuck += workers[w].stuck;
        finished += workers[w].finished;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < region_size / 8; i++)
        sum = sum * 31 + ((uint64_t *)(void *)region)[i];
    printf("workers finished: %d of %d, stuck: %d\n", finished, NWORK, stuck);
    printf("workers that faulted: %d\n", faulted);
    printf("faults outside the region: %ld\n", outside);
    printf("reads of a value never written there: %ld\n", bad);
    printf("final contents: %016llx\n", (unsigned long long)sum);
    fprintf(stderr, "faults: %ld\n", faults);
    return 0;
}
