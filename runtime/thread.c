/*
 * Guest threads. Each guest thread is a host thread (a host pthread, so the host libc the
 * runtime calls has valid thread state) with its own register file, signal state and a large
 * host stack: translated guest calls are host calls.
 *
 * clone(CLONE_VM | CLONE_THREAD | ...) is emulated as the kernel does it: the child starts after
 * the svc with x0 = 0, the given stack and TPIDR_EL0, the parent gets the child's tid, which is a
 * real host tid (so tgkill, futexes and /proc work unchanged). The child is held back until the
 * parent has stored its tid (CLONE_PARENT_SETTID), as the kernel stores it before the child
 * runs. On exit, CLONE_CHILD_CLEARTID's word is cleared and woken, then the host thread leaves
 * with the exit system call, through the host libc's thread exit for the threads started here --
 * so the process ends exactly when the kernel says (the last thread's exit), with the status the
 * kernel computes (the main thread's; the others' exit codes are nobody's to see). Robust futex
 * lists are registered with the host kernel itself (set_robust_list passes through): it walks them
 * when the thread dies, as it would for the guest. The host stack of an exited thread is freed once
 * the host kernel has cleared the pthread's tid (pthread_tryjoin_np), at the next clone.
 */
#include "rt.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREAD_HOST_STACK (512ull << 20) /* reserved, not committed */
#define HOST_GUARD        (64ull << 10)

__thread struct rt_thread *rt_self_tls;
static struct rt_thread *exited; /* waiting for their host stacks to be freed */
static pthread_mutex_t exited_lock = PTHREAD_MUTEX_INITIALIZER;

void rt_set_self(struct rt_thread *t)
{
    rt_self_tls = t;
}

static struct rt_thread *alloc_thread(void)
{
    struct rt_thread *t;
    if (posix_memalign((void **)&t, 64, sizeof *t))
        rt_fatal("out of memory creating a thread");
    memset(t, 0, sizeof *t);
    t->cpu.excl_addr = ~0ull;
    a64_fp_gate_sync(&t->cpu);
    t->altstack_flags = 2; /* SS_DISABLE */
    return t;
}

struct rt_thread *rt_thread_copy(const struct cpu *c)
{
    struct rt_thread *t = alloc_thread();
    t->cpu = *c;
    t->cpu.excl_addr = ~0ull;
    t->blocked = rt_thread_of((struct cpu *)c)->blocked;
    return t;
}

struct rt_thread *rt_thread_main(void)
{
    struct rt_thread *t = alloc_thread();
    t->tid = (int)syscall(SYS_gettid);
    rt_self_tls = t;
    return t;
}

static void futex_wait(volatile int *addr, int val)
{
    syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(volatile int *addr)
{
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void reap_exited(void)
{
    pthread_mutex_lock(&exited_lock);
    for (struct rt_thread **p = &exited; *p;) {
        struct rt_thread *t = *p;
        if (pthread_tryjoin_np((pthread_t)t->host_thread, NULL) == 0) {
            *p = t->next;
            munmap(t->host_stack, t->host_stack_size);
            free(t);
        } else {
            p = &t->next;
        }
    }
    pthread_mutex_unlock(&exited_lock);
}

/* Where a thread started by thread_main goes when its guest thread exits. */
static __thread jmp_buf leave_to;

static void *thread_main(void *arg)
{
    struct rt_thread *t = arg;
    rt_self_tls = t;
    rt_dispatch_thread(false);
    t->tid = (int)syscall(SYS_gettid);
    __atomic_store_n(&t->start, 1, __ATOMIC_SEQ_CST);
    futex_wake(&t->start);
    while (__atomic_load_n(&t->start, __ATOMIC_SEQ_CST) != 2)
        futex_wait(&t->start, 1);
    rt_signal_thread_start(t); /* all host signals were blocked until self was set */
    if (setjmp(leave_to) == 0)
        rt_run(&t->cpu);
    return NULL;
}

/* The kernel's rules for clone flags (kernel/fork.c: copy_process). */
static long check_flags(uint64_t flags)
{
    if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
        return -EINVAL;
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -EINVAL;
    return 0;
}

static long clone_thread(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
                         uint64_t ctid)
{
    reap_exited();
    struct rt_thread *t = rt_thread_copy(c); /* without the alternate stack, as CLONE_VM says */
    t->cpu.x[0] = 0;
    if (sp)
        t->cpu.x[31] = sp;
    if (flags & CLONE_SETTLS)
        t->cpu.tpidr = tls;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_tid = ctid;
    t->host_stack_size = THREAD_HOST_STACK;
    t->host_stack = mmap(NULL, t->host_stack_size, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (t->host_stack == MAP_FAILED) {
        free(t);
        return -EAGAIN;
    }
    /* All but a guard gap at the bottom. */
    char *usable = (char *)t->host_stack + HOST_GUARD;
    mprotect(usable, t->host_stack_size - HOST_GUARD, PROT_READ | PROT_WRITE);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, usable, t->host_stack_size - HOST_GUARD);
    /* The new thread starts with every signal blocked (the raw call: pthread_sigmask would
     * leave the host libc's own two open, and the guest uses them) until it knows its self. */
    uint64_t all = ~0ull, old;
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&all,
                    (uint64_t)(uintptr_t)&old, 8, 0, 0);
    pthread_t h;
    int err = pthread_create(&h, &attr, thread_main, t);
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&old, 0, 8, 0, 0);
    pthread_attr_destroy(&attr);
    if (err) {
        munmap(t->host_stack, t->host_stack_size);
        free(t);
        return -err;
    }
    t->host_thread = (unsigned long)h;
    while (__atomic_load_n(&t->start, __ATOMIC_SEQ_CST) != 1)
        futex_wait(&t->start, 0);
    int tid = t->tid;
    if (flags & CLONE_PARENT_SETTID)
        rt_copy_out(ptid, &tid, sizeof tid);
    if (flags & CLONE_CHILD_SETTID)
        rt_copy_out(ctid, &tid, sizeof tid);
    __atomic_store_n(&t->start, 2, __ATOMIC_SEQ_CST);
    futex_wake(&t->start);
    return tid;
}

long rt_clone(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
              uint64_t ctid, uint64_t exit_signal)
{
    long r = check_flags(flags);
    if (r)
        return r;
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return clone_thread(c, flags, sp, ptid, tls, ctid);
    return rt_fork(c, flags, sp, ptid, tls, ctid, exit_signal);
}

_Noreturn void rt_thread_exit(struct cpu *c, int code)
{
    struct rt_thread *t = rt_thread_of(c);
    /* From here on, signals for the process go to the other threads (the kernel's choice);
     * what this one had caught was delivered at the exit syscall's entry. Faults stay open:
     * clearing the tid word may fault (rt_copy_out). */
    uint64_t all = ~((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)));
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&all, 0, 8, 0, 0);
    if (t->clear_tid) {
        int zero = 0;
        if (rt_copy_out(t->clear_tid, &zero, sizeof zero) == 0)
            syscall(SYS_futex, (void *)(uintptr_t)t->clear_tid, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
    if (t->host_stack) {
        pthread_mutex_lock(&exited_lock);
        t->next = exited;
        exited = t;
        pthread_mutex_unlock(&exited_lock);
        /* Out through the host libc's thread exit, which gives back the thread's state: the
         * allocator's per-thread cache holds blocks the guest freed (lift/routines.c), and a
         * bare exit leaked them, 34 KB a thread in a test freeing 64 sizes. It ends with the
         * same exit system call: glibc exits the process only when its count of threads reaches
         * zero, and the main thread, which never leaves that way, stays counted. */
        longjmp(leave_to, 1);
    }
    for (;;)
        rt_host_syscall(SYS_exit, (uint64_t)code, 0, 0, 0, 0, 0);
}

void rt_thread_fork_child(struct rt_thread *t)
{
    /* Only the calling thread exists in the child; the others' stacks are the parent's. */
    t->tid = (int)syscall(SYS_gettid);
    exited = NULL;
    pthread_mutex_init(&exited_lock, NULL);
}
