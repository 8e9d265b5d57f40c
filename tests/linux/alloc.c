/*
 * The allocator, which the translation leaves to the host's (lift/routines.c). Every line printed
 * is the same for any correct allocator, so it is compared with the guest's own under
 * qemu-aarch64:
 *   - malloc, calloc, realloc (growing, shrinking, to and from large sizes), the aligned
 *     allocators, malloc_usable_size, mallopt and malloc_trim: contents kept, zeroed where they
 *     must be, alignments met;
 *   - errno: ENOMEM from impossible sizes, EINVAL returned (errno untouched) by posix_memalign,
 *     errno left alone by calls that succeed;
 *   - blocks allocated in one thread and freed in another, four threads at once;
 *   - a forked child that allocates and frees;
 *   - mprotect and madvise on allocated pages: a write to a read-only block faults (SIGSEGV,
 *     caught), MADV_DONTNEED zeroes;
 *   - C library functions that allocate inside (strdup, fopen, qsort, asprintf).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bytes.h"

/* Through pointers, so that the compiler can neither fold nor drop a call. */
static void *(*volatile do_malloc)(size_t) = malloc;
static void *(*volatile do_calloc)(size_t, size_t) = calloc;
static void *(*volatile do_realloc)(void *, size_t) = realloc;

static int aligned(const void *p, size_t a)
{
    return ((uintptr_t)p & (a - 1)) == 0;
}

static void sizes(void)
{
    static const size_t n[] = {0, 1, 7, 16, 24, 100, 1000, 4096, 65536, 200000, 3 << 20};
    uint64_t h = 0;
    int ok = 1;
    for (size_t i = 0; i < sizeof n / sizeof *n; i++) {
        unsigned char *p = do_malloc(n[i]);
        ok &= p != NULL && aligned(p, 16) && malloc_usable_size(p) >= n[i];
        fill(p, n[i], (unsigned)i);
        uint64_t was = sum(p, n[i]), half = sum(p, n[i] / 2);
        /* Grow, then shrink: what was there stays. */
        unsigned char *q = do_realloc(p, n[i] * 3 + 10);
        ok &= q != NULL && sum(q, n[i]) == was;
        q = do_realloc(q, n[i] / 2 + 1);
        ok &= q != NULL && sum(q, n[i] / 2) == half;
        fill(q, n[i] / 2 + 1, (unsigned)i + 1);
        h ^= sum(q, n[i] / 2 + 1);
        free(q);
        unsigned char *z = do_calloc(n[i] + 1, 3);
        size_t zeros = 0;
        for (size_t k = 0; k < (n[i] + 1) * 3; k++)
            zeros += z[k] == 0;
        ok &= zeros == (n[i] + 1) * 3;
        free(z);
    }
    printf("sizes: ok %d sum %016llx\n", ok, (unsigned long long)h);
    /* realloc of NULL allocates; to 0 frees and returns NULL (glibc); free(NULL) does nothing. */
    void *p = do_realloc(NULL, 40);
    printf("realloc(NULL): %d, realloc(p, 0): %d\n", p != NULL, do_realloc(p, 0) == NULL);
    free(NULL);
}

static void alignments(void)
{
    int ok = 1;
    for (size_t a = 16; a <= 65536; a *= 4) {
        void *m = memalign(a, 100), *al = aligned_alloc(a, a * 2), *pm = NULL;
        ok &= m && al && aligned(m, a) && aligned(al, a);
        ok &= posix_memalign(&pm, a, 300) == 0 && pm && aligned(pm, a);
        memset(m, 1, 100);
        memset(al, 2, a * 2);
        memset(pm, 3, 300);
        free(m);
        free(al);
        free(pm);
    }
    long page = sysconf(_SC_PAGESIZE);
    void *v = valloc(10), *pv = pvalloc(page + 1);
    ok &= v && pv && aligned(v, (size_t)page) && aligned(pv, (size_t)page) &&
          malloc_usable_size(pv) >= (size_t)page * 2;
    free(v);
    free(pv);
    printf("alignments: ok %d\n", ok);
}

static void errors(void)
{
    errno = 0;
    void *p = do_malloc(SIZE_MAX - 100);
    printf("malloc(huge): %s, errno %s\n", p ? "block" : "NULL", strerror(errno));
    errno = 0;
    p = do_calloc(SIZE_MAX / 2, 4);
    printf("calloc(overflow): %s, errno %s\n", p ? "block" : "NULL", strerror(errno));
    void *keep = do_malloc(32);
    memset(keep, 9, 32);
    errno = 0;
    p = do_realloc(keep, SIZE_MAX - 100);
    unsigned char nines[32];
    memset(nines, 9, sizeof nines);
    printf("realloc(huge): %s, errno %s, old block intact %d\n", p ? "block" : "NULL",
           strerror(errno), memcmp(keep, nines, sizeof nines) == 0);
    free(keep);
    errno = 1234;
    int r = posix_memalign(&p, 24, 16);
    printf("posix_memalign(24): %s, errno %d\n", strerror(r), errno);
    errno = 77;
    p = do_malloc(100);
    free(p);
    p = do_calloc(10, 10);
    free(do_realloc(p, 1000));
    printf("errno after calls that succeed: %d\n", errno);
    printf("mallopt: %d\n", mallopt(M_MMAP_THRESHOLD, 256 * 1024));
    malloc_trim(0);
}

enum { THREADS = 4, ROUNDS = 20000, SLOTS = 64 };
static void *_Atomic shared[SLOTS];

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    uint64_t h = 0;
    for (int i = 0; i < ROUNDS; i++) {
        seed = seed * 1103515245 + 12345;
        size_t n = 8 + (seed >> 16) % 3000;
        unsigned char *p = malloc(n + 1);
        p[0] = (unsigned char)n;
        p[n] = 0x5a;
        /* Swap it with a block another thread may have left: freed here, made there. */
        unsigned char *old = atomic_exchange(&shared[(seed >> 8) % SLOTS], p);
        if (old) {
            h += old[0];
            free(old);
        }
    }
    return (void *)(uintptr_t)(h != 0);
}

static void threads(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i + 1));
    int ok = 1;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        ok &= r != NULL;
    }
    for (int i = 0; i < SLOTS; i++)
        free(shared[i]);
    printf("threads: ok %d\n", ok);
}

static void forked(void)
{
    char *before = strdup("made before fork");
    pid_t pid = fork();
    if (pid == 0) {
        char *p = malloc(5000);
        snprintf(p, 5000, "%s, freed in the child", before);
        int ok = strcmp(p, "made before fork, freed in the child") == 0;
        free(p);
        free(before);
        _exit(ok ? 42 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("fork: child exit %d, parent's copy \"%s\"\n", WEXITSTATUS(status), before);
    free(before);
}

static sigjmp_buf jb;
static void on_segv(int sig)
{
    siglongjmp(jb, sig);
}

static void protect(void)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *p = NULL;
    if (posix_memalign((void **)&p, (size_t)page, (size_t)page * 3) != 0)
        return;
    memset(p, 0x11, (size_t)page * 3);
    printf("mprotect(read-only): %d\n", mprotect(p + page, (size_t)page, PROT_READ));
    signal(SIGSEGV, on_segv);
    volatile int faulted = 0;
    if (sigsetjmp(jb, 1) == 0)
        p[page + 5] = 1;
    else
        faulted = 1;
    signal(SIGSEGV, SIG_DFL);
    printf("write to it: %s, still reads %d\n", faulted ? "SIGSEGV" : "no fault", p[page + 5]);
    printf("mprotect(read-write): %d\n", mprotect(p + page, (size_t)page, PROT_READ | PROT_WRITE));
    p[page + 5] = 2;
    printf("madvise(DONTNEED): %d, then reads %d %d\n",
           madvise(p + page, (size_t)page, MADV_DONTNEED), p[page + 5], p[0]);
    free(p);
}

static int cmp(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static void library(void)
{
    char *s = strdup("duplicated");
    char *t = NULL;
    int n = asprintf(&t, "%s %d", s, 42);
    enum { N = 100000 };
    int *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = (i * 7919) % N;
    qsort(v, N, sizeof *v, cmp); /* glibc sorts through a malloc'd buffer this large */
    int sorted = 1;
    for (int i = 1; i < N; i++)
        sorted &= v[i - 1] <= v[i];
    FILE *f = fopen("/proc/self/stat", "r");
    int c = f ? fgetc(f) : -1;
    printf("library: \"%s\" %d, sorted %d, read a file %d\n", t, n, sorted, f && c != EOF);
    if (f)
        fclose(f);
    free(v);
    free(t);
    free(s);
}

int main(void)
{
    sizes();
    alignments();
    errors();
    threads();
    forked();
    protect();
    library();
    return 0;
}
