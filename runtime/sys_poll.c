/*
 * Waiting on descriptors. struct epoll_event is packed to 12 bytes on x86-64 and 16 bytes
 * (naturally aligned) on arm64, so epoll's events are converted here. The calls with a signal
 * mask argument (ppoll, pselect6, epoll_pwait) install the guest mask for their duration through
 * the signal code, which also knows which mask a handler that interrupts them must restore.
 */
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

struct guest_epoll_event {
    uint32_t events, pad;
    uint64_t data;
};

#define EP_BATCH 256 /* events converted per call: fewer than asked for is a valid answer */

long sys_epoll_ctl(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct epoll_event h, *hp = NULL;
    if (a[1] != EPOLL_CTL_DEL || a[3]) {
        struct guest_epoll_event g;
        if (rt_copy_in(&g, a[3], sizeof g))
            return -EFAULT;
        h.events = g.events;
        h.data.u64 = g.data;
        hp = &h;
    }
    return rt_host_syscall(SYS_epoll_ctl, a[0], a[1], a[2], (uint64_t)(uintptr_t)hp, 0, 0);
}

/* a: epfd, events, maxevents, timeout (ms, or a struct timespec * for epoll_pwait2). */
static long epoll_wait_common(const uint64_t *a, bool ts)
{
    int max = (int)a[2];
    if (max <= 0 || max > 0x7fffffff / (int)sizeof(struct guest_epoll_event))
        return -EINVAL;
    struct epoll_event h[EP_BATCH];
    if (max > EP_BATCH)
        max = EP_BATCH;
    long n = rt_block_syscall(ts ? SYS_epoll_pwait2 : SYS_epoll_pwait, a[0], (uint64_t)(uintptr_t)h,
                              (uint64_t)max, a[3], 0, 8);
    for (long i = 0; i < n; i++) {
        struct guest_epoll_event g = {h[i].events, 0, h[i].data.u64};
        if (rt_copy_out(a[1] + (uint64_t)i * sizeof g, &g, sizeof g))
            return -EFAULT;
    }
    return n;
}

static long epoll_wait_ms(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return epoll_wait_common(a, false);
}

static long epoll_wait_ts(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return epoll_wait_common(a, true);
}

long sys_epoll_pwait(struct cpu *c, const uint64_t *a)
{
    return rt_with_sigmask(c, a[4], a[5], epoll_wait_ms, a);
}

long sys_epoll_pwait2(struct cpu *c, const uint64_t *a)
{
    return rt_with_sigmask(c, a[4], a[5], epoll_wait_ts, a);
}

static long ppoll_call(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_block_syscall(SYS_ppoll, a[0], a[1], a[2], 0, 8, 0);
}

long sys_ppoll(struct cpu *c, const uint64_t *a)
{
    return rt_with_sigmask(c, a[3], a[4], ppoll_call, a);
}

static long pselect_call(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_block_syscall(SYS_pselect6, a[0], a[1], a[2], a[3], a[4], 0);
}

/* The sixth argument points to {const sigset_t *set; size_t size}. */
long sys_pselect6(struct cpu *c, const uint64_t *a)
{
    uint64_t sig[2] = {0, 0};
    if (a[5] && rt_copy_in(sig, a[5], sizeof sig))
        return -EFAULT;
    return rt_with_sigmask(c, sig[0], sig[1], pselect_call, a);
}
