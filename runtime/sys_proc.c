/* Process-level syscalls: exit, identity of the machine, and what glibc's start-up registers. */
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

long sys_exit(struct cpu *c, const uint64_t *a)
{
    (void)c;
    /* One guest thread per process so far: the last thread's exit ends the process. */
    rt_host_syscall(SYS_exit_group, a[0], 0, 0, 0, 0, 0);
    return 0;
}

long sys_exit_group(struct cpu *c, const uint64_t *a)
{
    (void)c;
    rt_host_syscall(SYS_exit_group, a[0], 0, 0, 0, 0, 0);
    return 0;
}

long sys_uname(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct utsname u;
    long r = rt_host_syscall(SYS_uname, (uint64_t)(uintptr_t)&u, 0, 0, 0, 0, 0);
    if (r < 0)
        return r;
    strcpy(u.machine, "aarch64");
    memcpy((void *)(uintptr_t)a[0], &u, sizeof u);
    return 0;
}

long sys_set_tid_address(struct cpu *c, const uint64_t *a)
{
    (void)a;
    return rt_thread_of(c)->tid;
}

/* The host kernel must not walk a guest list at thread exit with the host's rules in mind; the
 * list is kept for the runtime's own thread exit handling. */
long sys_set_robust_list(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return a[1] == 24 ? 0 : -EINVAL;
}

/* Restartable sequences need the kernel to know the guest's pc: not offered. */
long sys_rseq(struct cpu *c, const uint64_t *a)
{
    (void)c;
    (void)a;
    return -ENOSYS;
}

long sys_rt_sigaction(struct cpu *c, const uint64_t *a)
{
    return rt_sigaction(c, (int)a[0], a[1], a[2], a[3]);
}

long sys_rt_sigprocmask(struct cpu *c, const uint64_t *a)
{
    return rt_sigprocmask(c, (int)a[0], a[1], a[2], a[3]);
}

long sys_rt_sigreturn(struct cpu *c, const uint64_t *a)
{
    (void)a;
    return rt_sigreturn(c);
}

long sys_sigaltstack(struct cpu *c, const uint64_t *a)
{
    return rt_sigaltstack(c, a[0], a[1]);
}
