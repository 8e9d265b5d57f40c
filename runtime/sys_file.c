/* File syscalls whose arguments differ between arm64 and x86-64: open flags and struct stat. */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

/* arch/arm64/include/uapi/asm/fcntl.h moves four flags relative to x86-64. */
#define G_O_DIRECTORY 0040000
#define G_O_NOFOLLOW  0100000
#define G_O_DIRECT    0200000
#define G_O_LARGEFILE 0400000
#define G_MOVED       (G_O_DIRECTORY | G_O_NOFOLLOW | G_O_DIRECT | G_O_LARGEFILE)
#define H_MOVED       (O_DIRECTORY | O_NOFOLLOW | O_DIRECT | 0100000 /* O_LARGEFILE */)

static uint64_t flags_to_host(uint64_t g)
{
    uint64_t h = g & ~(uint64_t)G_MOVED;
    if (g & G_O_DIRECTORY)
        h |= O_DIRECTORY;
    if (g & G_O_NOFOLLOW)
        h |= O_NOFOLLOW;
    if (g & G_O_DIRECT)
        h |= O_DIRECT;
    if (g & G_O_LARGEFILE)
        h |= 0100000;
    return h;
}

static uint64_t flags_to_guest(uint64_t h)
{
    uint64_t g = h & ~(uint64_t)H_MOVED;
    if (h & O_DIRECTORY)
        g |= G_O_DIRECTORY;
    if (h & O_NOFOLLOW)
        g |= G_O_NOFOLLOW;
    if (h & O_DIRECT)
        g |= G_O_DIRECT;
    if (h & 0100000)
        g |= G_O_LARGEFILE;
    return g;
}

long sys_openat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_host_syscall(SYS_openat, a[0], a[1], flags_to_host(a[2]), a[3], 0, 0);
}

long sys_fcntl(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint64_t arg = a[2];
    if (a[1] == F_SETFL)
        arg = flags_to_host(arg);
    long r = rt_host_syscall(SYS_fcntl, a[0], a[1], arg, 0, 0, 0);
    if (a[1] == F_GETFL && r >= 0)
        r = (long)flags_to_guest((uint64_t)r);
    return r;
}

/* asm-generic struct stat, as arm64 user space sees it. */
struct guest_stat {
    uint64_t st_dev, st_ino;
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev, pad1;
    int64_t st_size;
    int32_t st_blksize, pad2;
    int64_t st_blocks;
    int64_t st_atime_sec;
    uint64_t st_atime_nsec;
    int64_t st_mtime_sec;
    uint64_t st_mtime_nsec;
    int64_t st_ctime_sec;
    uint64_t st_ctime_nsec;
    uint32_t unused[2];
};
_Static_assert(sizeof(struct guest_stat) == 128, "arm64 struct stat");

static long put_stat(long r, const struct stat *h, uint64_t va)
{
    if (r < 0)
        return r;
    struct guest_stat g = {
        .st_dev = h->st_dev,
        .st_ino = h->st_ino,
        .st_mode = h->st_mode,
        .st_nlink = (uint32_t)h->st_nlink,
        .st_uid = h->st_uid,
        .st_gid = h->st_gid,
        .st_rdev = h->st_rdev,
        .st_size = h->st_size,
        .st_blksize = (int32_t)h->st_blksize,
        .st_blocks = h->st_blocks,
        .st_atime_sec = h->st_atim.tv_sec,
        .st_atime_nsec = (uint64_t)h->st_atim.tv_nsec,
        .st_mtime_sec = h->st_mtim.tv_sec,
        .st_mtime_nsec = (uint64_t)h->st_mtim.tv_nsec,
        .st_ctime_sec = h->st_ctim.tv_sec,
        .st_ctime_nsec = (uint64_t)h->st_ctim.tv_nsec,
    };
    memcpy((void *)(uintptr_t)va, &g, sizeof g);
    return r;
}

long sys_newfstatat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct stat h;
    long r = rt_host_syscall(SYS_newfstatat, a[0], a[1], (uint64_t)(uintptr_t)&h, a[3], 0, 0);
    return put_stat(r, &h, a[2]);
}

long sys_fstat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct stat h;
    long r = rt_host_syscall(SYS_fstat, a[0], (uint64_t)(uintptr_t)&h, 0, 0, 0, 0);
    return put_stat(r, &h, a[1]);
}
