/*
 * Processes: fork and vfork, execve.
 *
 * fork is the host's fork: the child is this translated program, running on.
 *
 * vfork (CLONE_VM | CLONE_VFORK, as posix_spawn and system() use it) is a real vfork: the child
 * shares our memory -- so what it writes before execve, like posix_spawn's report of a failed
 * execve, reaches the parent -- and the parent waits until the child has called execve or
 * exited. The child runs the runtime on a host stack of its own, with its own thread state and
 * its own copy of the signal dispositions (the kernel gives a vfork child its own handler
 * table); it shares the calling host thread's thread-local storage, which the parent takes back
 * when it resumes.
 *
 * execve of a host executable passes through. execve of an AArch64 ELF runs it under this same
 * runtime with no translated code: the runtime re-executes itself (/proc/self/exe) with
 * XLATE_GUEST naming the guest file; start-up then loads that file and interprets it. A script
 * whose #! interpreter is an AArch64 ELF is handled the same way, as the kernel's binfmt_script
 * would: interpreter, its optional argument, the script's path, then the remaining arguments.
 */
#include "rt.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif

#define VFORK_HOST_STACK (64ull << 20) /* reserved, not committed */
#define VFORK_GUARD      (64ull << 10)

/* long rt_clone_vfork(unsigned long flags, void *stack_top, void (*fn)(void *), void *arg):
 * clone on a new host stack; the child calls fn(arg), which does not return. */
__asm__(".text\n"
        ".globl rt_clone_vfork\n"
        ".hidden rt_clone_vfork\n"
        ".type rt_clone_vfork,@function\n"
        "rt_clone_vfork:\n"
        "  mov %rdx, -8(%rsi)\n"
        "  mov %rcx, -16(%rsi)\n"
        "  sub $16, %rsi\n"
        "  xor %edx, %edx\n"   /* parent_tid */
        "  xor %r10d, %r10d\n" /* child_tid */
        "  xor %r8d, %r8d\n"   /* tls */
        "  mov $56, %eax\n"    /* SYS_clone */
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jz 1f\n"
        "  ret\n"
        "1:\n"
        "  pop %rdi\n"
        "  pop %rax\n"
        "  xor %ebp, %ebp\n"
        "  call *%rax\n"
        "  hlt\n");
long rt_clone_vfork(unsigned long flags, void *stack_top, void (*fn)(void *), void *arg);

struct vfork_child {
    struct rt_thread *t;
    uint64_t flags, ctid;
};

static void vfork_child_main(void *arg)
{
    struct vfork_child *v = arg;
    struct rt_thread *t = v->t;
    rt_set_self(t);
    /* The pending flag is the shared thread's too: the child starts with none, as a new thread
     * does, and the parent looks at its own queue when vfork returns (rt_syscall). */
    rt_pending_clear();
    t->tid = (int)syscall(SYS_gettid);
    rt_signal_own_actions(true);
    if (v->flags & CLONE_CHILD_SETTID)
        rt_copy_out(v->ctid, &t->tid, sizeof t->tid);
    if (v->flags & CLONE_CHILD_CLEARTID)
        t->clear_tid = v->ctid;
    rt_signal_thread_start(t);
    rt_run(&t->cpu);
}

static long vfork_vm(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t tls, uint64_t ctid,
                     uint64_t exit_signal)
{
    struct rt_thread *parent = rt_thread_of(c);
    struct vfork_child v = {rt_thread_copy(c), flags, ctid};
    struct rt_thread *t = v.t;
    /* A vfork child keeps the alternate signal stack (copy_process resets it only for CLONE_VM
     * without CLONE_VFORK). */
    t->altstack_sp = parent->altstack_sp;
    t->altstack_size = parent->altstack_size;
    t->altstack_flags = parent->altstack_flags;
    t->cpu.x[0] = 0;
    if (sp)
        t->cpu.x[31] = sp;
    if (flags & CLONE_SETTLS)
        t->cpu.tpidr = tls;
    char *stack = mmap(NULL, VFORK_HOST_STACK, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED ||
        mprotect(stack + VFORK_GUARD, VFORK_HOST_STACK - VFORK_GUARD, PROT_READ | PROT_WRITE)) {
        free(t);
        return -EAGAIN;
    }
    /* The child starts with every signal blocked, until it knows its thread state. */
    uint64_t all = ~0ull, old;
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&all,
                    (uint64_t)(uintptr_t)&old, 8, 0, 0);
    long pid = rt_clone_vfork(CLONE_VM | CLONE_VFORK | (exit_signal & 0xff),
                              stack + VFORK_HOST_STACK, vfork_child_main, &v);
    /* The child has called execve or exited: its uses of our thread-local storage end. */
    rt_set_self(parent);
    rt_signal_own_actions(false);
    rt_host_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (uint64_t)(uintptr_t)&old, 0, 8, 0, 0);
    munmap(stack, VFORK_HOST_STACK);
    free(t);
    return pid;
}

long rt_fork(struct cpu *c, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls, uint64_t ctid,
             uint64_t exit_signal)
{
    struct rt_thread *t = rt_thread_of(c);
    long pid;
    if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK)) {
        pid = vfork_vm(c, flags, sp, tls, ctid, exit_signal);
    } else {
        rt_mem_fork(0);
        if (exit_signal == SIGCHLD)
            pid = fork();
        else /* the host libc only knows SIGCHLD; its per-thread state is then not renewed */
            pid = syscall(SYS_clone, (long)(exit_signal & 0xff), 0L, NULL, NULL, 0L);
        if (pid < 0)
            pid = -errno;
        rt_mem_fork(pid == 0 ? 2 : 1);
        if (pid == 0) {
            rt_thread_fork_child(t);
            rt_signal_fork_child(t);
            c->x[0] = 0;
            if (sp)
                c->x[31] = sp;
            if (flags & CLONE_SETTLS)
                c->tpidr = tls;
            int tid = t->tid;
            if (flags & CLONE_CHILD_SETTID)
                rt_copy_out(ctid, &tid, sizeof tid);
            if (flags & CLONE_CHILD_CLEARTID)
                t->clear_tid = ctid;
            return 0;
        }
    }
    if (pid > 0) {
        int p = (int)pid;
        if (flags & CLONE_PIDFD) {
            int fd = (int)syscall(SYS_pidfd_open, p, 0);
            rt_copy_out(ptid, &fd, sizeof fd);
        } else if (flags & CLONE_PARENT_SETTID) {
            rt_copy_out(ptid, &p, sizeof p);
        }
    }
    return pid;
}

/* ---- execve ---- */

static bool is_self_exe(const char *p)
{
    char own[32];
    snprintf(own, sizeof own, "/proc/%d/exe", (int)getpid());
    return !strcmp(p, "/proc/self/exe") || !strcmp(p, "/proc/thread-self/exe") || !strcmp(p, own);
}

const char *rt_guest_path(const char *p)
{
    return rt_exe_path && is_self_exe(p) ? rt_exe_path : p;
}

/* 1: an AArch64 ELF file; 0: something else (the host decides); -errno: cannot be read. */
static int is_guest_elf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    Elf64_Ehdr e;
    ssize_t n = pread(fd, &e, sizeof e, 0);
    close(fd);
    return n == (ssize_t)sizeof e && !memcmp(e.e_ident, ELFMAG, SELFMAG) &&
           e.e_ident[EI_CLASS] == ELFCLASS64 && e.e_machine == EM_AARCH64;
}

/* Reads a NULL-terminated guest array of string pointers (argv, envp). */
static long guest_strings(uint64_t va, char ***out, size_t *count, size_t extra)
{
    size_t n = 0, cap = 16;
    char **v = malloc((cap + extra) * sizeof *v);
    for (;; n++) {
        uint64_t p = 0;
        if (!v)
            return -ENOMEM;
        if (va && rt_copy_in(&p, va + 8 * n, 8)) {
            free(v);
            return -EFAULT;
        }
        if (!va || !p)
            break;
        if (n + 1 >= cap) {
            char **w = realloc(v, (cap * 2 + extra) * sizeof *v);
            if (!w)
                free(v);
            v = w;
            cap *= 2;
            if (!v)
                return -ENOMEM;
        }
        v[n] = (char *)(uintptr_t)p;
    }
    v[n] = NULL;
    *out = v;
    *count = n;
    return 0;
}

/* Runs the guest ELF `guest` under this runtime: argv as given, the guest's environment plus
 * XLATE_GUEST (and our own XLATE_STRACE, for tracing across exec). */
static long exec_guest(const char *guest, char **argv, uint64_t envp_va)
{
    char **envp;
    size_t nenv;
    long r = guest_strings(envp_va, &envp, &nenv, 2);
    if (r)
        return r;
    size_t len = strlen(guest) + sizeof "XLATE_GUEST=";
    char *var = malloc(len);
    if (!var) {
        free(envp);
        return -ENOMEM;
    }
    snprintf(var, len, "XLATE_GUEST=%s", guest);
    envp[nenv++] = var;
    for (char **e = environ; *e; e++)
        if (!strncmp(*e, "XLATE_STRACE=", 13))
            envp[nenv++] = *e;
    envp[nenv] = NULL;
    rt_signal_before_exec();
    r = rt_host_syscall(SYS_execve, (uint64_t)(uintptr_t) "/proc/self/exe",
                        (uint64_t)(uintptr_t)argv, (uint64_t)(uintptr_t)envp, 0, 0, 0);
    free(var);
    free(envp);
    return r;
}

/* The #! line of a script: interpreter and optional argument, in place in buf. */
static bool script_interp(const char *path, char *buf, size_t size, char **interp, char **arg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = pread(fd, buf, size - 1, 0);
    close(fd);
    if (n < 3 || buf[0] != '#' || buf[1] != '!')
        return false;
    buf[n] = 0;
    char *end = strchr(buf, '\n');
    if (end)
        *end = 0;
    char *p = buf + 2;
    while (*p == ' ' || *p == '\t')
        p++;
    *interp = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    *arg = NULL;
    if (*p) {
        *p++ = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = 0;
        if (*p)
            *arg = p;
    }
    return **interp != 0;
}

static long do_exec(const char *path, uint64_t argv_va, uint64_t envp_va)
{
    path = rt_guest_path(path);
    int kind = is_guest_elf(path);
    if (kind == 1) {
        if (access(path, X_OK) != 0)
            return -errno;
        char **argv;
        size_t argc;
        long r = guest_strings(argv_va, &argv, &argc, 0);
        if (r)
            return r;
        r = exec_guest(path, argv, envp_va);
        free(argv);
        return r;
    }
    char line[256], *interp, *arg;
    if (kind == 0 && access(path, X_OK) == 0 &&
        script_interp(path, line, sizeof line, &interp, &arg) && is_guest_elf(interp) == 1) {
        char **argv;
        size_t argc;
        long r = guest_strings(argv_va, &argv, &argc, 3);
        if (r)
            return r;
        size_t skip = argc ? 1 : 0, pre = arg ? 3 : 2;
        memmove(argv + pre, argv + skip, (argc - skip + 1) * sizeof *argv);
        argv[0] = interp;
        if (arg)
            argv[1] = arg;
        argv[pre - 1] = (char *)path;
        r = exec_guest(interp, argv, envp_va);
        free(argv);
        return r;
    }
    rt_signal_before_exec();
    return rt_host_syscall(SYS_execve, (uint64_t)(uintptr_t)path, argv_va, envp_va, 0, 0, 0);
}

long sys_execve(struct cpu *c, const uint64_t *a)
{
    (void)c;
    char path[PATH_MAX];
    long n = rt_copy_str(path, (const char *)(uintptr_t)a[0], sizeof path);
    if (n < 0)
        return n;
    return do_exec(path, a[1], a[2]);
}

long sys_execveat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    char rel[PATH_MAX], path[PATH_MAX + 32];
    long n = rt_copy_str(rel, (const char *)(uintptr_t)a[1], sizeof rel);
    if (n < 0)
        return n;
    int dirfd = (int)a[0], flags = (int)a[4];
    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
        return -EINVAL;
    if (rel[0] == '/' || dirfd == AT_FDCWD)
        snprintf(path, sizeof path, "%s", rel);
    else if (!rel[0] && (flags & AT_EMPTY_PATH))
        snprintf(path, sizeof path, "/proc/self/fd/%d", dirfd);
    else
        snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dirfd, rel);
    return do_exec(path, a[2], a[3]);
}
