/*
 * The guest address space. Guest addresses are host addresses, so the guest image is mapped at
 * its own addresses and guest memory calls go to the host kernel -- but guest and runtime share
 * one address space, so the runtime keeps track of which ranges are the guest's: a guest
 * MAP_FIXED or munmap must never land on the runtime's own memory.
 *
 * Guest pages are never executable on the host (the host runs only translated code); a guest
 * page with PROT_EXEC is readable instead, so the interpreter can fetch from it.
 */
#include "rt.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BRK_MAX (1ull << 36) /* how far the emulated break may grow */

static uint64_t page_down(uint64_t v)
{
    return v & ~(RT_PAGE - 1);
}
static uint64_t page_up(uint64_t v)
{
    return (v + RT_PAGE - 1) & ~(RT_PAGE - 1);
}

/* Sorted, disjoint [start, end) ranges owned by the guest. */
static struct range {
    uint64_t start, end;
} * ranges;
static size_t nranges, capranges;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t brk_start, brk_cur, brk_mapped;

static void ensure_cap(size_t n)
{
    if (n <= capranges)
        return;
    while (capranges < n)
        capranges = capranges ? capranges * 2 : 64;
    ranges = realloc(ranges, capranges * sizeof *ranges);
    if (!ranges)
        rt_fatal("out of memory tracking guest mappings");
}

static void ranges_remove(uint64_t start, uint64_t end)
{
    /* At most one range is split in two: find it first, so the rest can be compacted in place. */
    for (size_t i = 0; i < nranges; i++)
        if (ranges[i].start < start && ranges[i].end > end) {
            ensure_cap(nranges + 1);
            memmove(&ranges[i + 2], &ranges[i + 1], (nranges - i - 1) * sizeof *ranges);
            ranges[i + 1] = (struct range){end, ranges[i].end};
            ranges[i].end = start;
            nranges++;
            return;
        }
    size_t out = 0;
    for (size_t i = 0; i < nranges; i++) {
        struct range r = ranges[i];
        if (r.start < start && r.end > start)
            r.end = start;
        else if (r.start < end && r.end > end)
            r.start = end;
        else if (r.start >= start && r.end <= end)
            continue;
        ranges[out++] = r;
    }
    nranges = out;
}

static void ranges_add(uint64_t start, uint64_t end)
{
    ranges_remove(start, end);
    ensure_cap(nranges + 1);
    size_t i = nranges;
    while (i > 0 && ranges[i - 1].start > start) {
        ranges[i] = ranges[i - 1];
        i--;
    }
    ranges[i] = (struct range){start, end};
    nranges++;
}

/* True when every byte of [va, va + len) is guest memory or unmapped by anyone. Unmapped-ness of
 * host memory is checked by the caller with MAP_FIXED_NOREPLACE; here only runtime ranges we
 * know of are excluded: everything that is not the guest's and is mapped. */
bool rt_guest_range_ok(uint64_t va, uint64_t len)
{
    if (len == 0 || va + len < va)
        return false;
    pthread_mutex_lock(&lock);
    uint64_t at = va, end = va + len;
    for (size_t i = 0; i < nranges && at < end; i++) {
        if (ranges[i].end <= at)
            continue;
        if (ranges[i].start > at)
            break;
        at = ranges[i].end;
    }
    pthread_mutex_unlock(&lock);
    if (at >= end)
        return true;
    /* Not all ours: allowed only where nothing is mapped at all. */
    for (uint64_t p = page_down(at); p < end; p += RT_PAGE) {
        unsigned char v;
        if (mincore((void *)(uintptr_t)p, RT_PAGE, &v) == 0 || errno != ENOMEM)
            return false;
    }
    return true;
}

/* The host's allocator serves the guest's malloc (lift/routines.c), and the guest may change the
 * protection of what it got, or give its pages back, as with its own allocator's blocks. That
 * memory is the host's heap or anonymous mappings, so they are accepted for mprotect and madvise,
 * never stacks or mapped files. The runtime's own anonymous mappings pass as well: only a guest
 * that reaches them by a wild pointer would ask. The maps are read without stdio, whose buffer
 * would come from the heap the guest allocates from. */
bool rt_host_heap_range_ok(uint64_t va, uint64_t len)
{
    if (len == 0 || va + len < va)
        return false;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[4096];
    size_t have = 0;
    uint64_t at = page_down(va), end = page_up(va + len);
    bool done = false;
    while (!done && at < end) {
        ssize_t got = read(fd, buf + have, sizeof buf - 1 - have);
        if (got <= 0)
            break;
        have += (size_t)got;
        buf[have] = 0;
        char *line = buf, *nl;
        while (!done && at < end && (nl = strchr(line, '\n'))) {
            *nl = 0;
            unsigned long long lo, hi, inode;
            int path = 0;
            if (sscanf(line, "%llx-%llx %*s %*s %*s %llu %n", &lo, &hi, &inode, &path) < 3)
                done = true;
            else if (hi > at) {
                const char *name = line + path;
                bool anon = inode == 0 && (!name[0] || !strcmp(name, "[heap]"));
                if (lo > at || !anon)
                    done = true;
                else
                    at = hi;
            }
            line = nl + 1;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
        if (have == sizeof buf - 1)
            break; /* a line longer than the buffer: not a mapping we accept */
    }
    close(fd);
    return at >= end;
}

void rt_mem_track(uint64_t va, uint64_t len, bool mapped)
{
    pthread_mutex_lock(&lock);
    if (mapped)
        ranges_add(page_down(va), page_up(va + len));
    else
        ranges_remove(page_down(va), page_up(va + len));
    pthread_mutex_unlock(&lock);
}

void rt_mem_fork(int phase)
{
    /* No other thread may hold the lock across fork: the child would inherit it locked. */
    if (phase == 0)
        pthread_mutex_lock(&lock);
    else
        pthread_mutex_unlock(&lock);
}

int rt_host_prot(int guest_prot)
{
    int p = guest_prot & (PROT_READ | PROT_WRITE);
    if (guest_prot & PROT_EXEC)
        p |= PROT_READ;
    return p;
}

static void *map_fixed_new(uint64_t va, uint64_t len, int prot)
{
    void *want = (void *)(uintptr_t)va;
    void *p = mmap(want, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED && p != want) { /* kernels before 4.17 treat the flag as a hint */
        munmap(p, len);
        p = MAP_FAILED;
    }
    return p;
}

int rt_mem_init(const struct rt_image *img)
{
    /* Pages may be shared by two segments: map the union of their pages once, writable, copy,
     * then give each page the union of its segments' permissions. */
    uint64_t end_all = 0;
    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct rt_segment *s = &img->segs[i];
        uint64_t start = page_down(s->va), end = page_up(s->va + s->memsz);
        for (uint32_t j = 0; j < i; j++) { /* skip pages an earlier segment mapped */
            uint64_t pe = page_up(img->segs[j].va + img->segs[j].memsz);
            if (pe > start && page_down(img->segs[j].va) < end)
                start = pe;
        }
        if (start < end && map_fixed_new(start, end - start, PROT_READ | PROT_WRITE) == MAP_FAILED)
            return -1;
        if (s->filesz)
            memcpy((void *)(uintptr_t)s->va, s->data, s->filesz);
        if (s->va + s->memsz > end_all)
            end_all = s->va + s->memsz;
    }
    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct rt_segment *s = &img->segs[i];
        int prot = 0;
        uint64_t start = page_down(s->va), end = page_up(s->va + s->memsz);
        for (uint32_t j = 0; j < img->nsegs; j++) {
            const struct rt_segment *o = &img->segs[j];
            if (page_up(o->va + o->memsz) > start && page_down(o->va) < end)
                prot |= (o->flags & PF_R ? PROT_READ : 0) | (o->flags & PF_W ? PROT_WRITE : 0) |
                        (o->flags & PF_X ? PROT_EXEC : 0);
        }
        mprotect((void *)(uintptr_t)start, end - start, rt_host_prot(prot));
        rt_mem_track(start, end - start, true);
    }
    brk_start = brk_cur = brk_mapped = page_up(end_all);
    return 0;
}

uint64_t rt_brk(uint64_t want)
{
    pthread_mutex_lock(&lock);
    uint64_t r = brk_cur;
    if (want >= brk_start && want - brk_start <= BRK_MAX) {
        uint64_t need = page_up(want);
        if (need > brk_mapped) {
            if (map_fixed_new(brk_mapped, need - brk_mapped, PROT_READ | PROT_WRITE) !=
                MAP_FAILED) {
                ranges_add(brk_mapped, need);
                brk_mapped = need;
                brk_cur = r = want;
            }
        } else {
            if (need < brk_mapped) {
                munmap((void *)(uintptr_t)need, brk_mapped - need);
                ranges_remove(need, brk_mapped);
                brk_mapped = need;
            }
            brk_cur = r = want;
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}
