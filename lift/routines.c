/*
 * C library routines that the translation leaves to the host's C library. A guest memcpy is a
 * loop of 16-byte loads and stores that translates into 8-byte host ones; the host's memmove
 * picks the widest vectors and `rep movsb` the machine has, as a native build would, so for
 * copies of kilobytes the translation ran at half the native speed (bench/README.md, memops).
 *
 * Only glibc's own implementations are recognized, by the names of its per-CPU variants: those
 * names start with two underscores, which C reserves for the implementation, so no program's
 * own function can be taken for one. A program that defines `memcpy` itself keeps it.
 *
 * What the caller sees is the same: the result in x0 (the destination), and memory changed as the
 * guest's routine changes it. C leaves memcpy of overlapping buffers undefined; glibc's generic
 * and SIMD memcpy copy them as memmove does, so memmove serves both.
 * The registers the guest routine would have used as scratch keep their values, which the
 * procedure call standard allows; a fault inside the host routine is reported near the guest
 * routine's address.
 *
 * The allocator (malloc, free and the rest of glibc's malloc.c) is the host's too: translated,
 * glibc's malloc ran 1.4 to 1.8 times slower than natively (bench: malloc; in lua-objects it was
 * 12% of the translated time). They are recognized by names only glibc's malloc.c defines
 * (`__libc_malloc` and the like; `malloc` is an alias of it there) and only all together: a
 * block from one allocator must never reach the other, so when any of them is missing, or the
 * program reaches a function that reports the allocator's state (mallinfo, malloc_stats,
 * malloc_info, which would describe the guest's unused arena), the guest keeps its own
 * (seeds.c, cfg.c). What differs from the guest's allocator:
 *   - errno: the host's errors reach the guest's errno, whose place the symbol table gives
 *     (an image without it keeps its allocator);
 *   - addresses: blocks come from the host's heap instead of the guest's break, so sbrk(0)
 *     does not move with malloc (both are allowed to differ from run to run anyway).
 * The runtime keeps its own freed blocks out of the guest's first allocations (runtime/start.c)
 * and ends guest threads through the host libc, which gives their allocator caches back
 * (runtime/thread.c).
 */
#include "lift.h"

#include <string.h>

struct named {
    const char *name;
    enum lift_routine routine;
};

/* Prefixes of glibc's string routines' variants. */
static const struct named families[] = {
    {"__memcpy_", LIFT_MEMMOVE},
    {"__memmove_", LIFT_MEMMOVE},
    {"__memset_", LIFT_MEMSET},
};

/* glibc's variants (sysdeps/aarch64/multiarch): the suffixes its IFUNC resolvers choose among.
 * __memcpy_chk and the like are not among them: they check a size and may abort. */
static const char *const variants[] = {"generic", "simd",     "sve",       "mops", "a64fx",
                                       "falkor",  "thunderx", "thunderx2", "emag", "kunpeng",
                                       "zva64",   "oryon1",   "sve_zva64"};

/* glibc's malloc.c (as in 2.36): the name it gives each entry point beside the public one. A
 * glibc with an entry point this list lacks keeps its allocator: see lift_routine_allocator_entry.
 */
static const struct named allocator[] = {
    {"__libc_malloc", LIFT_MALLOC},
    {"__libc_free", LIFT_FREE},
    {"__libc_realloc", LIFT_REALLOC},
    {"__libc_calloc", LIFT_CALLOC},
    {"__libc_memalign", LIFT_MEMALIGN},
    {"__libc_valloc", LIFT_VALLOC},
    {"__libc_pvalloc", LIFT_PVALLOC},
    {"__posix_memalign", LIFT_POSIX_MEMALIGN},
    {"__malloc_usable_size", LIFT_MALLOC_USABLE_SIZE},
    {"__malloc_trim", LIFT_MALLOC_TRIM},
    {"__libc_mallopt", LIFT_MALLOPT},
    {"__libc_mallinfo", LIFT_ALLOC_REPORT},
    {"__libc_mallinfo2", LIFT_ALLOC_REPORT},
    {"__malloc_stats", LIFT_ALLOC_REPORT},
    {"__malloc_info", LIFT_ALLOC_REPORT},
};

static const struct lift_host_call calls[LIFT_NUM_ROUTINES] = {
    [LIFT_MEMMOVE] = {"memmove", 3, 64, 64},
    [LIFT_MEMSET] = {"memset", 3, 64, 64},
    [LIFT_MALLOC] = {"malloc", 1, 64, 64},
    [LIFT_FREE] = {"free", 1, 64, 0},
    [LIFT_REALLOC] = {"realloc", 2, 64, 64},
    [LIFT_CALLOC] = {"calloc", 2, 64, 64},
    [LIFT_MEMALIGN] = {"memalign", 2, 64, 64},
    [LIFT_VALLOC] = {"valloc", 1, 64, 64},
    [LIFT_PVALLOC] = {"pvalloc", 1, 64, 64},
    [LIFT_POSIX_MEMALIGN] = {"posix_memalign", 3, 64, 32},
    [LIFT_MALLOC_USABLE_SIZE] = {"malloc_usable_size", 1, 64, 64},
    [LIFT_MALLOC_TRIM] = {"malloc_trim", 1, 64, 32},
    [LIFT_MALLOPT] = {"mallopt", 2, 32, 32},
};

enum lift_routine lift_routine_of(const char *name)
{
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        size_t n = strlen(families[i].name);
        if (strncmp(name, families[i].name, n) != 0)
            continue;
        for (size_t k = 0; k < sizeof variants / sizeof *variants; k++)
            if (!strcmp(name + n, variants[k]))
                return families[i].routine;
    }
    for (size_t i = 0; i < sizeof allocator / sizeof *allocator; i++)
        if (!strcmp(name, allocator[i].name))
            return allocator[i].routine;
    return LIFT_ROUTINE_NONE;
}

/* The public names of the allocator's entry points, in any glibc: each must be one of the
 * routines above for the host's allocator to stand in (seeds.c). */
static const char *const entries[] = {"malloc",
                                      "free",
                                      "cfree",
                                      "realloc",
                                      "calloc",
                                      "memalign",
                                      "aligned_alloc",
                                      "valloc",
                                      "pvalloc",
                                      "posix_memalign",
                                      "malloc_usable_size",
                                      "malloc_trim",
                                      "mallopt"};

bool lift_routine_allocator_entry(const char *name)
{
    for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
        if (!strcmp(name, entries[i]))
            return true;
    return false;
}

bool lift_routine_by_host(enum lift_routine r)
{
    return r != LIFT_ROUTINE_NONE && r != LIFT_ALLOC_REPORT;
}

bool lift_routine_allocates(enum lift_routine r)
{
    return r >= LIFT_MALLOC && r <= LIFT_ALLOC_REPORT;
}

const struct lift_host_call *lift_routine_host(enum lift_routine r)
{
    return r < LIFT_NUM_ROUTINES && calls[r].name ? &calls[r] : NULL;
}
