/*
 * Where code starts, as far as the file tells: the entry point, function symbols, and pointers
 * into executable segments found anywhere in the loaded data (.init_array, .fini_array, IRELATIVE
 * resolvers, vtables and function-pointer tables, computed-goto label tables, and literal pools).
 * A false positive costs translation time, never correctness: translated code runs only when
 * control actually reaches its address.
 */
#include "lift.h"
#include "u64set.h"

#include <string.h>

/* The function symbol whose [va, va + size) strictly contains va, or NULL. */
static const struct lift_symbol *containing_symbol(const struct lift_image *img, uint64_t va)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) { /* last symbol starting at or below va */
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].va <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i-- > 0;) {
        const struct lift_symbol *s = &img->syms[i];
        if (s->va == va)
            return NULL;
        if (va - s->va < s->size)
            return s;
        if (lo - i > 8) /* nested symbols are rare; don't scan far back */
            break;
    }
    return NULL;
}

static bool is_code(const struct lift_image *img, uint64_t va)
{
    const struct lift_segment *s = lift_image_segment(img, va);
    return s && (s->flags & SEG_X) && !(va & 3) && va - s->va + 4 <= s->filesz;
}

static uint64_t headers_end(const struct lift_image *img)
{
    uint64_t phoff;
    memcpy(&phoff, img->file + 32, 8); /* e_phoff; the loader checked the header is there */
    return phoff + (uint64_t)img->phnum * img->phentsize;
}

static bool add(struct lift_seed **v, unsigned *n, size_t *cap, uint64_t va, uint64_t owner,
                bool root, enum lift_routine routine)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        struct lift_seed *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = (struct lift_seed){va, owner, root, routine};
    return true;
}

static int seed_cmp(const void *a, const void *b)
{
    const struct lift_seed *x = a, *y = b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    return x->owner < y->owner ? -1 : x->owner > y->owner;
}

enum lift_routine lift_seed_routine(const struct lift_seed *v, unsigned n, uint64_t va)
{
    unsigned lo = 0, hi = n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (v[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && v[lo].va == va; lo++)
        if (v[lo].routine != LIFT_ROUTINE_NONE)
            return v[lo].routine;
    return LIFT_ROUTINE_NONE;
}

/* The host's allocator stands in for all of the guest's or for none (routines.c): every routine
 * found, every public entry point one of them, and the guest's errno located. */
static void keep_allocator_whole(const struct lift_image *img, struct lift_seed *v, unsigned n)
{
    bool have[LIFT_NUM_ROUTINES] = {0}, whole = img->errno_tp != 0;
    for (unsigned i = 0; i < n; i++)
        have[v[i].routine] = true;
    for (unsigned r = LIFT_MALLOC; r < LIFT_ALLOC_REPORT; r++)
        whole &= have[r];
    for (unsigned i = 0; whole && i < img->nsyms; i++)
        if (lift_routine_allocator_entry(img->syms[i].name)) {
            enum lift_routine r = lift_seed_routine(v, n, img->syms[i].va);
            whole = lift_routine_allocates(r) && lift_routine_by_host(r);
        }
    for (unsigned i = 0; !whole && i < n; i++)
        if (lift_routine_allocates(v[i].routine))
            v[i].routine = LIFT_ROUTINE_NONE;
}

int lift_seeds(const struct lift_image *img, struct lift_seed **seeds, unsigned *nseeds,
               struct lift_error *err)
{
    struct lift_seed *v = NULL;
    unsigned n = 0;
    size_t cap = 0;
    bool ok = add(&v, &n, &cap, img->entry, img->entry, true, LIFT_ROUTINE_NONE);
    for (unsigned i = 0; ok && i < img->nsyms; i++)
        ok = add(&v, &n, &cap, img->syms[i].va, img->syms[i].va, false,
                 lift_routine_of(img->syms[i].name));
    for (unsigned i = 0; ok && i < img->nsegs; i++) {
        const struct lift_segment *s = &img->segs[i];
        uint64_t first = (s->va + 7) & ~7ull;
        /* The ELF and program headers are mapped too; their addresses are not code pointers. */
        if (s->file_off == 0)
            first = (s->va + headers_end(img) + 7) & ~7ull;
        for (uint64_t va = first; ok && va + 8 <= s->va + s->filesz; va += 8) {
            uint64_t p;
            memcpy(&p, s->data + (va - s->va), 8);
            p += img->bias;
            if (!is_code(img, p))
                continue;
            const struct lift_symbol *sym = containing_symbol(img, p);
            ok = add(&v, &n, &cap, p, sym ? sym->va : p, true, LIFT_ROUTINE_NONE);
        }
    }
    if (!ok) {
        free(v);
        err->has_va = false;
        strcpy(err->msg, "out of memory collecting code addresses");
        return -1;
    }
    qsort(v, n, sizeof *v, seed_cmp);
    unsigned m = 0;
    for (unsigned i = 0; i < n; i++)
        if (m == 0 || v[m - 1].va != v[i].va || v[m - 1].owner != v[i].owner)
            v[m++] = v[i];
        else {
            v[m - 1].root |= v[i].root;
            /* Aliases: the routine any of the names says. */
            if (v[i].routine != LIFT_ROUTINE_NONE)
                v[m - 1].routine = v[i].routine;
        }
    keep_allocator_whole(img, v, m);
    *seeds = v;
    *nseeds = m;
    return 0;
}
