/* Memory syscalls: the guest may only map, unmap or change its own ranges, never the runtime's;
 * its break is emulated next to its image (mem.c). */
#include "rt.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>

long sys_brk(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return (long)rt_brk(a[0]);
}

long sys_mmap(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint64_t addr = a[0], len = a[1], flags = a[3];
    if ((flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE) && !rt_guest_range_ok(addr, len))
        return -ENOMEM;
    long r =
        rt_host_syscall(SYS_mmap, addr, len, (uint64_t)rt_host_prot((int)a[2]), flags, a[4], a[5]);
    if (r >= 0 || r < -4095)
        rt_mem_track((uint64_t)r, len, true);
    return r;
}

long sys_munmap(struct cpu *c, const uint64_t *a)
{
    (void)c;
    if (!rt_guest_range_ok(a[0], a[1]))
        return -EINVAL;
    long r = rt_host_syscall(SYS_munmap, a[0], a[1], 0, 0, 0, 0);
    if (r == 0)
        rt_mem_track(a[0], a[1], false);
    return r;
}

long sys_mprotect(struct cpu *c, const uint64_t *a)
{
    (void)c;
    if (!rt_guest_range_ok(a[0], a[1]))
        return -ENOMEM;
    return rt_host_syscall(SYS_mprotect, a[0], a[1], (uint64_t)rt_host_prot((int)a[2]), 0, 0, 0);
}

long sys_mremap(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint64_t old = a[0], oldlen = a[1], newlen = a[2], flags = a[3], newaddr = a[4];
    if (!rt_guest_range_ok(old, oldlen))
        return -EFAULT;
    if ((flags & MREMAP_FIXED) && !rt_guest_range_ok(newaddr, newlen))
        return -ENOMEM;
    long r = rt_host_syscall(SYS_mremap, old, oldlen, newlen, flags, newaddr, 0);
    if (r >= 0 || r < -4095) {
        rt_mem_track(old, oldlen, false);
        rt_mem_track((uint64_t)r, newlen, true);
    }
    return r;
}
