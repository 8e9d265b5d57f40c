/* Memory syscalls: the guest may only map, unmap or change its own ranges, never the runtime's;
 * its break is emulated next to its image (mem.c). Code in a range that becomes writable, or is
 * unmapped or mapped over, may change: its translations are given up (smc.c). */
#include "rt.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>

long sys_brk(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return (long)rt_brk(a[0]);
}

/* Whether a system call's result is an address (mmap, mremap, shmat), not an error. */
static bool mapped(long r)
{
    return r >= 0 || r < -4095;
}

long sys_mmap(struct cpu *c, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], flags = a[3];
    if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) && !rt_guest_range_ok(addr, len))
        return -ENOMEM;
    long r =
        rt_host_syscall(SYS_mmap, addr, len, (uint64_t)rt_host_prot((int)a[2]), flags, a[4], a[5]);
    if (mapped(r)) {
        rt_mem_track((uint64_t)r, len, true);
        if (flags & MAP_FIXED)
            rt_code_may_change(c, (uint64_t)r, len);
    }
    return r;
}

long sys_munmap(struct cpu *c, const uint64_t *a)
{
    if (!rt_guest_range_ok(a[0], a[1]))
        return -EINVAL;
    long r = rt_host_syscall(SYS_munmap, a[0], a[1], 0, 0, 0, 0);
    if (r == 0) {
        rt_mem_track(a[0], a[1], false);
        rt_code_may_change(c, a[0], a[1]);
    }
    return r;
}

long sys_mprotect(struct cpu *c, const uint64_t *a)
{
    if (!rt_guest_range_ok(a[0], a[1]) && !rt_host_heap_range_ok(a[0], a[1]))
        return -ENOMEM;
    long r = rt_host_syscall(SYS_mprotect, a[0], a[1], (uint64_t)rt_host_prot((int)a[2]), 0, 0, 0);
    if (r == 0 && (a[2] & PROT_WRITE))
        rt_code_may_change(c, a[0], a[1]);
    return r;
}

long sys_mremap(struct cpu *c, const uint64_t *a)
{
    uint64_t old = a[0], oldlen = a[1], newlen = a[2], flags = a[3], newaddr = a[4];
    if (!rt_guest_range_ok(old, oldlen))
        return -EFAULT;
    if ((flags & MREMAP_FIXED) && !rt_guest_range_ok(newaddr, newlen))
        return -ENOMEM;
    long r = rt_host_syscall(SYS_mremap, old, oldlen, newlen, flags, newaddr, 0);
    if (mapped(r)) {
        rt_mem_track(old, oldlen, false);
        rt_mem_track((uint64_t)r, newlen, true);
        rt_code_may_change(c, old, oldlen);
        rt_code_may_change(c, (uint64_t)r, newlen);
    }
    return r;
}

/* Advice that discards contents (MADV_DONTNEED, MADV_FREE, ...) must not reach runtime memory. */
long sys_madvise(struct cpu *c, const uint64_t *a)
{
    (void)c;
    if (a[1] && !rt_guest_range_ok(a[0], a[1]) && !rt_host_heap_range_ok(a[0], a[1]))
        return -EINVAL;
    return rt_host_syscall(SYS_madvise, a[0], a[1], a[2], 0, 0, 0);
}

/* System V shared memory: the attached segment is guest memory; struct shmid64_ds is laid out
 * alike on both sides, so shmctl passes. */
long sys_shmat(struct cpu *c, const uint64_t *a)
{
    struct shmid_ds ds;
    if (a[1] && (a[2] & SHM_REMAP) && !rt_guest_range_ok(a[1], 1))
        return -EINVAL;
    long r = rt_host_syscall(SYS_shmat, a[0], a[1], a[2], 0, 0, 0);
    if (mapped(r) && shmctl((int)a[0], IPC_STAT, &ds) == 0) {
        rt_mem_track((uint64_t)r, ds.shm_segsz, true);
        rt_code_may_change(c, (uint64_t)r, ds.shm_segsz);
    }
    return r;
}

long sys_shmdt(struct cpu *c, const uint64_t *a)
{
    (void)c;
    if (!rt_guest_range_ok(a[0], 1))
        return -EINVAL;
    return rt_host_syscall(SYS_shmdt, a[0], 0, 0, 0, 0, 0);
}

/* struct semid64_ds: x86-64 has a padding word after each time, arm64 none. */
struct guest_semid64_ds {
    uint8_t perm[48]; /* struct ipc64_perm: the same on both sides */
    int64_t otime, ctime;
    uint64_t nsems, unused3, unused4;
};

long sys_semctl(struct cpu *c, const uint64_t *a)
{
    (void)c;
    int cmd = (int)a[2] & ~0x100; /* IPC_64 is implied on 64-bit */
    bool out = cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY;
    if (!out && cmd != IPC_SET)
        return rt_host_syscall(SYS_semctl, a[0], a[1], (uint64_t)cmd, a[3], 0, 0);
    struct semid_ds h;
    struct guest_semid64_ds g;
    _Static_assert(sizeof h.sem_perm == sizeof g.perm, "ipc64_perm");
    memset(&h, 0, sizeof h);
    if (cmd == IPC_SET) {
        if (rt_copy_in(&g, a[3], sizeof g))
            return -EFAULT;
        memcpy(&h.sem_perm, g.perm, sizeof g.perm);
    }
    long r = rt_host_syscall(SYS_semctl, a[0], a[1], (uint64_t)cmd, (uint64_t)(uintptr_t)&h, 0, 0);
    if (r < 0 || !out)
        return r;
    memcpy(g.perm, &h.sem_perm, sizeof g.perm);
    g.otime = h.sem_otime;
    g.ctime = h.sem_ctime;
    g.nsems = h.sem_nsems;
    g.unused3 = g.unused4 = 0;
    return rt_copy_out(a[3], &g, sizeof g) ? -EFAULT : r;
}
