/* Process-level syscalls: threads and processes, exit, identity of the machine, signals. */
#include "rt.h"

#include <errno.h>
#include <linux/prctl.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

long sys_exit(struct cpu *c, const uint64_t *a)
{
    rt_thread_exit(c, (int)a[0]);
}

long sys_exit_group(struct cpu *c, const uint64_t *a)
{
    (void)c;
    for (;;)
        rt_host_syscall(SYS_exit_group, a[0], 0, 0, 0, 0, 0);
}

/* arm64 passes clone's arguments as flags, stack, parent_tid, tls, child_tid
 * (CONFIG_CLONE_BACKWARDS); the low byte of flags is the exit signal. */
long sys_clone(struct cpu *c, const uint64_t *a)
{
    return rt_clone(c, a[0] & ~0xffull, a[1], a[2], a[3], a[4], a[0] & 0xff);
}

/* include/uapi/linux/sched.h, the same on every architecture. */
struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
};

long sys_clone3(struct cpu *c, const uint64_t *a)
{
    struct clone_args_v2 ca = {0};
    uint64_t size = a[1];
    if (size < 64 || size > 4096)
        return -EINVAL;
    if (rt_copy_in(&ca, a[0], size < sizeof ca ? size : sizeof ca))
        return -EFAULT;
    if (ca.set_tid_size || (ca.flags & 0x200000000ull /* CLONE_INTO_CGROUP */) ||
        ca.exit_signal > 64 || (ca.flags & CSIGNAL))
        return -EINVAL;
    if (!ca.stack != !ca.stack_size)
        return -EINVAL;
    /* clone's CLONE_PIDFD writes to parent_tid; clone3 has a field of its own. */
    uint64_t ptid = (ca.flags & CLONE_PIDFD) ? ca.pidfd : ca.parent_tid;
    if ((ca.flags & CLONE_PIDFD) && (ca.flags & CLONE_PARENT_SETTID))
        return -EINVAL; /* this emulation has one place to write to */
    return rt_clone(c, ca.flags, ca.stack ? ca.stack + ca.stack_size : 0, ptid, ca.tls,
                    ca.child_tid, ca.exit_signal);
}

long sys_uname(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct utsname u;
    long r = rt_host_syscall(SYS_uname, (uint64_t)(uintptr_t)&u, 0, 0, 0, 0, 0);
    if (r < 0)
        return r;
    strcpy(u.machine, "aarch64");
    return rt_copy_out(a[0], &u, sizeof u);
}

long sys_set_tid_address(struct cpu *c, const uint64_t *a)
{
    struct rt_thread *t = rt_thread_of(c);
    t->clear_tid = a[0];
    return t->tid;
}

/* Restartable sequences need the kernel to know the guest's pc: not offered. */
long sys_rseq(struct cpu *c, const uint64_t *a)
{
    (void)c;
    (void)a;
    return -ENOSYS;
}

/* The options that mean the same for any architecture pass; the arm64 ones (SVE, pointer
 * authentication, tagged addresses, ...) are features this CPU does not have, and a seccomp
 * filter would judge host syscalls by guest numbers. */
long sys_prctl(struct cpu *c, const uint64_t *a)
{
    (void)c;
    switch (a[0]) {
    case PR_SET_PDEATHSIG:
    case PR_GET_PDEATHSIG:
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS:
    case PR_SET_NAME:
    case PR_GET_NAME:
    case PR_GET_SECCOMP:
    case PR_CAPBSET_READ:
    case PR_CAPBSET_DROP:
    case PR_GET_SECUREBITS:
    case PR_SET_SECUREBITS:
    case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK:
    case PR_SET_CHILD_SUBREAPER:
    case PR_GET_CHILD_SUBREAPER:
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
    case PR_GET_TID_ADDRESS:
    case PR_SET_THP_DISABLE:
    case PR_GET_THP_DISABLE:
    case PR_CAP_AMBIENT:
    case 0x53564d41: /* PR_SET_VMA: naming anonymous mappings */
        return rt_host_syscall(SYS_prctl, a[0], a[1], a[2], a[3], a[4], 0);
    default: return -EINVAL;
    }
}

/* Only the Linux personality and its flags: PER_LINUX32 would mean AArch32. */
long sys_personality(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint32_t p = (uint32_t)a[0];
    if (p != 0xffffffffu && (p & 0xff) != 0 /* PER_LINUX */)
        return -EINVAL;
    return rt_host_syscall(SYS_personality, p, 0, 0, 0, 0, 0);
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

long sys_rt_sigsuspend(struct cpu *c, const uint64_t *a)
{
    return rt_sigsuspend(c, a[0], a[1]);
}

long sys_rt_sigpending(struct cpu *c, const uint64_t *a)
{
    return rt_sigpending(c, a[0], a[1]);
}

long sys_rt_sigtimedwait(struct cpu *c, const uint64_t *a)
{
    return rt_sigtimedwait(c, a[0], a[1], a[2], a[3]);
}
