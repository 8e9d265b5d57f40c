/*
 * threads: POSIX threads on guest clone/futex/robust lists, with deterministic output.
 *   - a thread pool of 8 workers fed through a mutex + condition variable queue
 *   - C11 atomics: fetch_add, compare-exchange loops, a spin lock on test-and-set
 *   - thread-local variables (initialised TLS, per-thread values) and pthread keys with
 *     destructors
 *   - barriers, once, rwlocks, semaphores, detached threads, pthread_exit values
 *   - a robust mutex whose owner dies: the next locker gets EOWNERDEAD (the kernel walks the
 *     dead thread's robust list)
 *   - signals aimed at one thread (pthread_kill) and per-thread masks (a process-directed
 *     signal goes to the one thread that does not block it); signals aimed at threads spinning
 *     in loops without calls, which only the loop's own poll lets in
 *   - pthread_cancel (glibc's SIGCANCEL) of a thread blocked in a condition wait
 *   - many short-lived threads (creation and reaping)
 * Lines starting "kernel-only:" are what qemu-aarch64 cannot do (it has no robust lists); the
 * test driver leaves them out of the comparison and the exit status, and requires the
 * translation's not to say FAILED.
 * Exit status: the number of failed checks.
 */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int failures;
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

/* ---- thread pool ---- */

#define NWORKERS 8
#define NJOBS    400

struct job {
    int n;
    long result;
};

static struct job jobs[NJOBS];
static int next_job, jobs_done;
static int queue_closed;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER, done_cond = PTHREAD_COND_INITIALIZER;
static int queued;
static __thread int tls_jobs = 0;
static __thread long tls_init = 1234567;
static int per_worker_jobs[NWORKERS];

static long collatz_steps(long n)
{
    long steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    if (tls_init != 1234567 || tls_jobs != 0)
        return (void *)-1L;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (next_job == queued && !queue_closed)
            pthread_cond_wait(&qcond, &qlock);
        if (next_job == queued && queue_closed) {
            pthread_mutex_unlock(&qlock);
            break;
        }
        struct job *j = &jobs[next_job++];
        pthread_mutex_unlock(&qlock);
        j->result = collatz_steps(j->n);
        tls_jobs++;
        pthread_mutex_lock(&qlock);
        if (++jobs_done == NJOBS)
            pthread_cond_signal(&done_cond);
        pthread_mutex_unlock(&qlock);
    }
    per_worker_jobs[id] = tls_jobs;
    tls_init = id;
    return (void *)(long)(id * 100);
}

static void test_pool(void)
{
    pthread_t t[NWORKERS];
    for (long i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < NJOBS; i++) {
        pthread_mutex_lock(&qlock);
        jobs[i].n = 1000 + i * 7;
        queued++;
        pthread_cond_signal(&qcond);
        pthread_mutex_unlock(&qlock);
    }
    pthread_mutex_lock(&qlock);
    while (jobs_done < NJOBS)
        pthread_cond_wait(&done_cond, &qlock);
    queue_closed = 1;
    pthread_cond_broadcast(&qcond);
    pthread_mutex_unlock(&qlock);
    long rets = 0;
    for (int i = 0; i < NWORKERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        rets += (long)r;
    }
    long sum = 0;
    int njobs = 0;
    for (int i = 0; i < NJOBS; i++)
        sum += jobs[i].result;
    for (int i = 0; i < NWORKERS; i++)
        njobs += per_worker_jobs[i];
    printf("pool: sum of steps %ld, jobs %d, join values %ld, main tls %ld\n", sum, njobs, rets,
           tls_init);
    check(njobs == NJOBS && rets == 2800 && tls_init == 1234567, "thread pool");
}

/* ---- atomics ---- */

static atomic_long counter;
static atomic_long cas_counter;
static atomic_flag spin = ATOMIC_FLAG_INIT;
static long spin_protected;
static _Atomic unsigned long long wide;

static void *atomics_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
        long old = atomic_load(&cas_counter);
        while (!atomic_compare_exchange_weak(&cas_counter, &old, old + 3))
            ;
        while (atomic_flag_test_and_set_explicit(&spin, memory_order_acquire))
            ;
        spin_protected += 2;
        atomic_flag_clear_explicit(&spin, memory_order_release);
        atomic_fetch_xor(&wide, 0x8000000000000001ull);
    }
    return NULL;
}

static void test_atomics(void)
{
    pthread_t t[NWORKERS];
    for (int i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, atomics_worker, NULL);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(t[i], NULL);
    printf("atomics: counter %ld, cas %ld, spin %ld, xor %llx\n", atomic_load(&counter),
           atomic_load(&cas_counter), spin_protected, (unsigned long long)atomic_load(&wide));
    check(atomic_load(&counter) == 160000 && atomic_load(&cas_counter) == 480000 &&
              spin_protected == 320000 && atomic_load(&wide) == 0,
          "atomics across 8 threads");
}

/* ---- keys, once, barrier, rwlock, semaphore ---- */

static pthread_key_t key;
static atomic_int destructed;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static pthread_barrier_t barrier;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_value;
static sem_t sem;
static atomic_int serial_seen;

static void destructor(void *p)
{
    atomic_fetch_add(&destructed, (int)(long)p);
}

static void once_fn(void)
{
    atomic_fetch_add(&once_runs, 1);
}

static void *misc_worker(void *arg)
{
    long id = (long)arg;
    pthread_setspecific(key, (void *)(id + 1));
    pthread_once(&once, once_fn);
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
        atomic_fetch_add(&serial_seen, 1);
    for (int i = 0; i < 1000; i++) {
        pthread_rwlock_wrlock(&rw);
        rw_value++;
        pthread_rwlock_unlock(&rw);
        pthread_rwlock_rdlock(&rw);
        long v = rw_value;
        pthread_rwlock_unlock(&rw);
        (void)v;
    }
    sem_post(&sem);
    if (id == 3)
        pthread_exit((void *)33L);
    return (void *)id;
}

static void test_misc(void)
{
    pthread_key_create(&key, destructor);
    pthread_barrier_init(&barrier, NULL, NWORKERS);
    sem_init(&sem, 0, 0);
    pthread_t t[NWORKERS];
    for (long i = 0; i < NWORKERS; i++)
        pthread_create(&t[i], NULL, misc_worker, (void *)i);
    for (int i = 0; i < NWORKERS; i++)
        sem_wait(&sem);
    long rets = 0;
    for (int i = 0; i < NWORKERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        rets += (long)r;
    }
    printf("misc: destructors %d, once %d, serial %d, rwlock %ld, returns %ld\n",
           atomic_load(&destructed), atomic_load(&once_runs), atomic_load(&serial_seen), rw_value,
           rets);
    check(atomic_load(&destructed) == 36 && atomic_load(&once_runs) == 1 &&
              atomic_load(&serial_seen) == 1 && rw_value == 8000 && rets == 58,
          "keys, once, barrier, rwlock, semaphore, pthread_exit");
}

/* ---- robust mutex ---- */

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL; /* exits with the mutex held */
}

static void test_robust(void)
{
    /* qemu-aarch64 does not implement robust lists (ENOSYS): the lock would wait forever. */
    void *head;
    size_t len;
    if (syscall(SYS_get_robust_list, 0, &head, &len) != 0) {
        printf("kernel-only: robust: no robust futex lists here (%s)\n", strerror(errno));
        return;
    }
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_t t;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("kernel-only: robust: lock after owner died = %s\n",
           r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    if (r == EOWNERDEAD)
        pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);
    printf("kernel-only: %s: robust mutex of a dead owner\n", r == EOWNERDEAD ? "ok" : "FAILED");
}

/* ---- signals and threads ---- */

static __thread volatile int got_usr1;
static atomic_int usr1_tid_ok, usr2_receivers;
static pid_t target_tid;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1++;
    if (syscall(SYS_gettid) == target_tid)
        atomic_fetch_add(&usr1_tid_ok, 1);
}

static void on_usr2(int sig)
{
    (void)sig;
    atomic_fetch_add(&usr2_receivers, 1);
}

static atomic_int phase;

static void *sig_worker(void *arg)
{
    long id = (long)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    /* Only worker 0 takes SIGUSR2. */
    pthread_sigmask(id == 0 ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL);
    if (id == 1)
        target_tid = (pid_t)syscall(SYS_gettid);
    atomic_fetch_add(&phase, 1);
    while (atomic_load(&phase) < 100)
        sched_yield();
    return (void *)(long)got_usr1;
}

static void test_thread_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, sig_worker, (void *)i);
    while (atomic_load(&phase) < 3)
        sched_yield();
    pthread_kill(t[1], SIGUSR1);
    kill(getpid(), SIGUSR2);
    while (atomic_load(&usr1_tid_ok) < 1 || atomic_load(&usr2_receivers) < 1)
        sched_yield();
    atomic_store(&phase, 100);
    long got[3];
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        got[i] = (long)r;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    printf("thread signals: usr1 per thread %ld %ld %ld, on target %d, usr2 %d, main %d\n", got[0],
           got[1], got[2], atomic_load(&usr1_tid_ok), atomic_load(&usr2_receivers), got_usr1);
    check(got[0] == 0 && got[1] == 1 && got[2] == 0 && atomic_load(&usr2_receivers) == 1,
          "pthread_kill and per-thread masks");
}

/* ---- signals into loops without calls ---- */

#define NSPIN 3
static volatile int spin_stop[NSPIN];
static __thread int spin_id;
static atomic_int spin_ready;

static void on_spin(int sig)
{
    (void)sig;
    spin_stop[spin_id] = 1;
}

static void *spin_worker(void *arg)
{
    spin_id = (int)(long)arg;
    atomic_fetch_add(&spin_ready, 1);
    unsigned long spins = 0;
    while (!spin_stop[spin_id])
        spins++;
    return (void *)(spins != 0);
}

/* Each spinning thread in turn gets its own signal: it must stop (within 10 s), and the others
 * must go on spinning. */
static void test_loop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_spin;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t[NSPIN];
    for (long i = 0; i < NSPIN; i++)
        pthread_create(&t[i], NULL, spin_worker, (void *)i);
    while (atomic_load(&spin_ready) < NSPIN)
        sched_yield();
    int stopped = 0, others_spinning = 1;
    for (int i = 0; i < NSPIN; i++) {
        pthread_kill(t[i], SIGUSR1);
        struct timespec limit;
        clock_gettime(CLOCK_REALTIME, &limit);
        limit.tv_sec += 10;
        void *r;
        if (pthread_timedjoin_np(t[i], &r, &limit) != 0)
            break;
        stopped++;
        for (int j = i + 1; j < NSPIN; j++)
            others_spinning &= !spin_stop[j];
    }
    for (int i = stopped; i < NSPIN; i++) /* let the rest go, so that the process can end */
        spin_stop[i] = 1;
    printf("loop signals: %d of %d spinning threads stopped by their own signal, the others "
           "spinning on: %s\n",
           stopped, NSPIN, others_spinning ? "yes" : "no");
    check(stopped == NSPIN && others_spinning, "pthread_kill into loops without calls");
}

/* ---- cancellation ---- */

static pthread_mutex_t cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static atomic_int cleanup_ran, waiting;

static void cleanup(void *p)
{
    (void)p;
    atomic_store(&cleanup_ran, 1);
    pthread_mutex_unlock(&cancel_lock);
}

static void *cancel_victim(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cancel_lock);
    pthread_cleanup_push(cleanup, NULL);
    atomic_store(&waiting, 1);
    for (;;)
        pthread_cond_wait(&never, &cancel_lock);
    pthread_cleanup_pop(1);
    return NULL;
}

static void test_cancel(void)
{
    pthread_t t;
    pthread_create(&t, NULL, cancel_victim, NULL);
    while (!atomic_load(&waiting))
        sched_yield();
    pthread_mutex_lock(&cancel_lock); /* the victim is inside the wait */
    pthread_mutex_unlock(&cancel_lock);
    pthread_cancel(t);
    void *r;
    pthread_join(t, &r);
    printf("cancel: %s, cleanup %d\n", r == PTHREAD_CANCELED ? "canceled" : "returned",
           atomic_load(&cleanup_ran));
    check(r == PTHREAD_CANCELED && atomic_load(&cleanup_ran), "pthread_cancel in a wait");
}

/* ---- many threads ---- */

static atomic_int detached_done;

static void *tiny(void *arg)
{
    return (void *)((long)arg * 2);
}

static void *detached(void *arg)
{
    (void)arg;
    atomic_fetch_add(&detached_done, 1);
    return NULL;
}

static void test_many(void)
{
    long sum = 0;
    for (long round = 0; round < 25; round++) {
        pthread_t t[8];
        for (long i = 0; i < 8; i++)
            pthread_create(&t[i], NULL, tiny, (void *)(round * 8 + i));
        for (int i = 0; i < 8; i++) {
            void *r;
            pthread_join(t[i], &r);
            sum += (long)r;
        }
    }
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 20; i++) {
        pthread_t t;
        pthread_create(&t, &a, detached, NULL);
    }
    while (atomic_load(&detached_done) < 20)
        sched_yield();
    printf("many: 200 joined threads sum %ld, 20 detached done\n", sum);
    check(sum == 39800, "200 short-lived threads");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_pool();
    test_atomics();
    test_misc();
    test_robust();
    test_thread_signals();
    test_loop_signals();
    test_cancel();
    test_many();
    printf("failures: %d\n", failures);
    return failures;
}
