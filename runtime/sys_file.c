/* File syscalls whose arguments differ between arm64 and x86-64: open flags and struct stat;
 * and paths naming /proc/self/exe, which must be the guest's executable. */
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

/* A guest path argument, for the few calls that look at it: copied, and /proc/self/exe made the
 * guest's executable. Returns the host pointer to use, or NULL with *err set. */
static const char *guest_path(uint64_t va, char *buf, size_t size, long *err)
{
    long n = rt_copy_str(buf, (const char *)(uintptr_t)va, size);
    if (n < 0) {
        *err = n;
        return NULL;
    }
    return rt_guest_path(buf);
}

static long open_file(uint64_t dirfd, uint64_t path_va, uint64_t flags, uint64_t mode)
{
    char buf[4096];
    long err = 0;
    const char *path = guest_path(path_va, buf, sizeof buf, &err);
    if (!path)
        return err;
    /* Opening a FIFO blocks. */
    return rt_block_syscall(SYS_openat, dirfd, (uint64_t)(uintptr_t)path, flags_to_host(flags),
                            mode, 0, 0);
}

long sys_openat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return open_file(a[0], a[1], a[2], a[3]);
}

/* struct open_how (include/uapi/linux/openat2.h), the same everywhere but for the flag values. */
long sys_openat2(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint64_t how[3] = {0};
    if (a[3] < 24)
        return -EINVAL;
    if (rt_copy_in(how, a[2], sizeof how))
        return -EFAULT;
    char buf[4096];
    long err = 0;
    const char *path = guest_path(a[1], buf, sizeof buf, &err);
    if (!path)
        return err;
    how[0] = flags_to_host(how[0]);
    return rt_block_syscall(SYS_openat2, a[0], (uint64_t)(uintptr_t)path, (uint64_t)(uintptr_t)how,
                            sizeof how, 0, 0);
}

long sys_open_by_handle_at(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_block_syscall(SYS_open_by_handle_at, a[0], a[1], flags_to_host(a[2]), 0, 0, 0);
}

/* pipe2's O_DIRECT (packet mode) is one of the moved flags. */
long sys_pipe2(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_host_syscall(SYS_pipe2, a[0], flags_to_host(a[1]), 0, 0, 0, 0);
}

/* The second argument holds open flags for the event file descriptors. */
long sys_fanotify_init(struct cpu *c, const uint64_t *a)
{
    (void)c;
    return rt_host_syscall(SYS_fanotify_init, a[0], flags_to_host(a[1]), 0, 0, 0, 0);
}

long sys_readlinkat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    char buf[4096];
    long err = 0;
    const char *path = guest_path(a[1], buf, sizeof buf, &err);
    if (!path)
        return err;
    if (path != buf) { /* the guest's executable: its path, not the runtime's */
        size_t n = strlen(path);
        if ((int64_t)a[3] <= 0)
            return -EINVAL;
        if (n > a[3])
            n = a[3];
        return rt_copy_out(a[2], path, n) ? -EFAULT : (long)n;
    }
    return rt_host_syscall(SYS_readlinkat, a[0], (uint64_t)(uintptr_t)path, a[2], a[3], 0, 0);
}

long sys_fcntl(struct cpu *c, const uint64_t *a)
{
    (void)c;
    uint64_t arg = a[2];
    if (a[1] == F_SETFL)
        arg = flags_to_host(arg);
    /* F_SETLKW and F_OFD_SETLKW wait. */
    long r = rt_block_syscall(SYS_fcntl, a[0], a[1], arg, 0, 0, 0);
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
    return rt_copy_out(va, &g, sizeof g) ? -EFAULT : r;
}

long sys_newfstatat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    char buf[4096];
    long err = 0;
    const char *path = guest_path(a[1], buf, sizeof buf, &err);
    if (!path)
        return err;
    struct stat h;
    long r = rt_host_syscall(SYS_newfstatat, a[0], (uint64_t)(uintptr_t)path,
                             (uint64_t)(uintptr_t)&h, a[3], 0, 0);
    return put_stat(r, &h, a[2]);
}

long sys_fstat(struct cpu *c, const uint64_t *a)
{
    (void)c;
    struct stat h;
    long r = rt_host_syscall(SYS_fstat, a[0], (uint64_t)(uintptr_t)&h, 0, 0, 0, 0);
    return put_stat(r, &h, a[1]);
}
