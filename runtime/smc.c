/*
 * Self-modifying code: a translation is valid while the guest code it came from is unchanged
 * (DESIGN.md, decision 9). The guest's code pages start out not writable, so its code can change
 * only after a system call that makes it writable or maps something else there (sys_mem.c). From
 * that call on, every translated function with code in the range is stale, for good:
 *  - the dispatch table sends its addresses to the interpreter, which reads the code as it is;
 *  - calls and jumps from other translations, which do not look in the table, reach its first
 *    instruction, a 5-byte no-op the translator leaves in every translation they may reach
 *    (lift.c; cfg.c finds which). It becomes a call of
 *    rt_stale_code (translated_call.S), which leaves the translation before it does anything,
 *    with the guest pc at the function: the caller, finding that pc is not its return address,
 *    returns to the dispatcher;
 *  - the thread that made the call gives up its host frames as the call returns (syscall.c), as
 *    any of them may be running a stale translation.
 * Another thread already inside a stale translation runs it to its end, as another Arm core may
 * run the code it fetched until a context synchronization event.
 *
 * Host code is never writable and executable at once: its page is copied into a new writable
 * one, changed there, made executable and moved over the old one.
 */
#include "rt.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { PATCH = 5 };

/* What LLVM puts at every translation's start for the translator: nopl 0x8(%rax,%rax,1). */
static const uint8_t entry_nop[PATCH] = {0x0f, 0x1f, 0x44, 0x00, 0x08};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool *stale;               /* per rt_img->spans entry */
static uint64_t code_lo, code_hi; /* the union of the spans */
static rt_fn **gone;              /* the stale translations, sorted */
static size_t ngone, gone_cap;

static int fn_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(rt_fn *const *)a, y = (uintptr_t)*(rt_fn *const *)b;
    return x < y ? -1 : x > y;
}

static bool is_gone(rt_fn *fn)
{
    return bsearch(&fn, gone, ngone, sizeof *gone, fn_cmp) != NULL;
}

/* The translation at `at` calls rt_stale_code first. */
static void patch(uint8_t *at)
{
    if (memcmp(at, entry_nop, PATCH) != 0)
        rt_fatal("guest code changed, and its translation at %p cannot be disabled", (void *)at);
    uint8_t insn[PATCH] = {0xe8}; /* call rel32 */
    int32_t rel = (int32_t)((intptr_t)&rt_stale_code - (intptr_t)(at + PATCH));
    memcpy(insn + 1, &rel, sizeof rel);
    uintptr_t lo = (uintptr_t)at & -(uintptr_t)RT_PAGE;
    size_t len = (((uintptr_t)at + PATCH + RT_PAGE - 1) & -(uintptr_t)RT_PAGE) - lo;
    uint8_t *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy == MAP_FAILED)
        rt_fatal("out of memory disabling a stale translation");
    memcpy(copy, (void *)lo, len);
    memcpy(copy + ((uintptr_t)at - lo), insn, PATCH);
    if (mprotect(copy, len, PROT_READ | PROT_EXEC) != 0 ||
        mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo) == MAP_FAILED)
        rt_fatal("cannot disable the stale translation at %p", (void *)at);
}

static void first_use(void)
{
    stale = calloc(rt_img->nspans, sizeof *stale);
    if (!stale)
        rt_fatal("out of memory");
    code_lo = UINT64_MAX;
    for (uint32_t i = 0; i < rt_img->nspans; i++) {
        code_lo = rt_img->spans[i].lo < code_lo ? rt_img->spans[i].lo : code_lo;
        code_hi = rt_img->spans[i].hi > code_hi ? rt_img->spans[i].hi : code_hi;
    }
}

void rt_code_may_change(struct cpu *c, uint64_t addr, uint64_t len)
{
    if (rt_img->nspans == 0 || len == 0 || addr + len < addr)
        return;
    uint64_t end = addr + len;
    pthread_mutex_lock(&lock);
    if (!stale)
        first_use();
    if (addr >= code_hi || end <= code_lo) {
        pthread_mutex_unlock(&lock);
        return;
    }
    size_t before = ngone;
    for (uint32_t i = 0; i < rt_img->nspans; i++) {
        const struct rt_span *s = &rt_img->spans[i];
        if (stale[i] || s->hi <= addr || s->lo >= end)
            continue;
        if (ngone == gone_cap) {
            gone_cap = gone_cap ? 2 * gone_cap : 64;
            gone = realloc(gone, gone_cap * sizeof *gone);
            if (!gone)
                rt_fatal("out of memory");
        }
        stale[i] = true;
        if (s->patchable)
            patch((uint8_t *)s->fn);
        gone[ngone++] = s->fn;
    }
    if (ngone != before) {
        qsort(gone, ngone, sizeof *gone, fn_cmp);
        rt_dispatch_forget(is_gone);
        rt_thread_of(c)->code_changed = true;
    }
    pthread_mutex_unlock(&lock);
}

void rt_stale(struct cpu *c, uint64_t va)
{
    c->pc = va;
}
