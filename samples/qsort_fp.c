/*
 * qsort_fp: indirect calls -- qsort and bsearch calling back into guest comparators (ints,
 * multi-key structs, strings through a pointer table, doubles), a table of function pointers
 * indexed by data, function pointers returned from functions and stored in structs, and a
 * callback that calls a callback. Indirect branches whose targets the translator must find in
 * data or resolve at run time.
 * Exit status: 0 if every array came out sorted, else the number of unsorted arrays.
 */
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_int_desc(const void *a, const void *b)
{
    return cmp_int(b, a);
}

struct rec {
    int key;
    unsigned char tag;
    double weight;
    char name[12];
};

/* Total order: key ascending, tag descending, then name. */
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->tag != y->tag)
        return x->tag > y->tag ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Unsigned, so that overflow wraps instead of being undefined. */
typedef unsigned long (*binop)(unsigned long, unsigned long);
static unsigned long op_add(unsigned long a, unsigned long b)
{
    return a + b;
}
static unsigned long op_sub(unsigned long a, unsigned long b)
{
    return a - b;
}
static unsigned long op_mul(unsigned long a, unsigned long b)
{
    return a * b;
}
static unsigned long op_xor(unsigned long a, unsigned long b)
{
    return a ^ b;
}
static unsigned long op_min(unsigned long a, unsigned long b)
{
    return a < b ? a : b;
}
static unsigned long op_shl(unsigned long a, unsigned long b)
{
    return a << (b & 15);
}
static binop const ops[] = {op_add, op_sub, op_mul, op_xor, op_min, op_shl};

static binop pick(const char *name)
{
    static const struct {
        const char *name;
        binop fn;
    } by_name[] = {{"add", op_add}, {"sub", op_sub}, {"mul", op_mul}, {"xor", op_xor}};
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (!strcmp(by_name[i].name, name))
            return by_name[i].fn;
    return op_min;
}

struct visitor {
    void (*visit)(struct visitor *, int);
    unsigned long acc;
};
static void visit_sum(struct visitor *v, int x)
{
    v->acc += (unsigned long)(long)x;
}
static void visit_hash(struct visitor *v, int x)
{
    v->acc = v->acc * 1000003 ^ (unsigned)x;
}
static void each(const int *a, size_t n, struct visitor *v)
{
    for (size_t i = 0; i < n; i++)
        v->visit(v, a[i]);
}

static int sorted(const void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    const char *p = base;
    for (size_t i = 1; i < n; i++)
        if (cmp(p + (i - 1) * size, p + i * size) > 0)
            return 0;
    return 1;
}

int main(void)
{
    uint64_t s = 2024;
    int unsorted = 0;

    enum { NI = 5000 };
    static int ints[NI];
    for (int i = 0; i < NI; i++)
        ints[i] = (int)rng_below(&s, 100000) - 50000;
    qsort(ints, NI, sizeof ints[0], cmp_int);
    unsorted += !sorted(ints, NI, sizeof ints[0], cmp_int);
    printf("ints: min %d max %d median %d hash %016llx\n", ints[0], ints[NI - 1], ints[NI / 2],
           (unsigned long long)fnv(FNV_INIT, ints, sizeof ints));
    int found = 0;
    for (int k = -50000; k < 50000; k += 37)
        found += bsearch(&k, ints, NI, sizeof ints[0], cmp_int) != NULL;
    printf("bsearch found %d of %d keys\n", found, (100000 + 36) / 37);
    qsort(ints, NI, sizeof ints[0], cmp_int_desc);
    unsorted += !sorted(ints, NI, sizeof ints[0], cmp_int_desc);
    printf("desc: first %d last %d\n", ints[0], ints[NI - 1]);

    enum { NR = 700 };
    static struct rec recs[NR];
    for (int i = 0; i < NR; i++) {
        recs[i].key = (int)rng_below(&s, 50);
        recs[i].tag = (unsigned char)rng_below(&s, 4);
        recs[i].weight = (double)rng_below(&s, 1000) / 8;
        snprintf(recs[i].name, sizeof recs[i].name, "r%05u", rng_below(&s, 100000));
    }
    qsort(recs, NR, sizeof recs[0], cmp_rec);
    unsorted += !sorted(recs, NR, sizeof recs[0], cmp_rec);
    for (int i = 0; i < NR; i += 100)
        printf("rec[%d] = {%d, %u, %g, %s}\n", i, recs[i].key, recs[i].tag, recs[i].weight,
               recs[i].name);

    static const char *const words[] = {"pear",   "apple",  "fig",   "banana", "kiwi",  "cherry",
                                        "date",   "grape",  "lemon", "mango",  "melon", "olive",
                                        "papaya", "quince", "apple", "Zebra",  "",      "a",
                                        "ab",     "abc",    "abd",   "abcd",   "lime",  "lychee"};
    enum { NW = sizeof words / sizeof words[0] };
    const char *w[NW];
    memcpy(w, words, sizeof w);
    qsort(w, NW, sizeof w[0], cmp_str);
    unsorted += !sorted(w, NW, sizeof w[0], cmp_str);
    for (int i = 0; i < NW; i++)
        printf("%s%s", w[i][0] ? w[i] : "(empty)", i + 1 < NW ? " " : "\n");

    enum { ND = 1000 };
    static double d[ND];
    for (int i = 0; i < ND; i++)
        d[i] = ((double)rng_below(&s, 1u << 20) - (1 << 19)) / 1024;
    qsort(d, ND, sizeof d[0], cmp_double);
    unsorted += !sorted(d, ND, sizeof d[0], cmp_double);
    printf("doubles: %g %g %g\n", d[0], d[ND / 2], d[ND - 1]);

    unsigned long acc = 1;
    for (int i = 0; i < 1000; i++)
        acc = ops[rng_below(&s, sizeof ops / sizeof ops[0])](acc, rng_below(&s, 1000) + 1);
    printf("op table: %lu\n", acc);
    static const char *const names[] = {"add", "sub", "mul", "xor", "other"};
    for (int i = 0; i < 5; i++)
        printf("%s(1234,56)=%lu ", names[i], pick(names[i])(1234, 56));
    printf("\n");

    struct visitor sum = {visit_sum, 0}, hash = {visit_hash, 7};
    each(ints, NI, &sum);
    each(ints, NI, &hash);
    printf("visitors: sum %ld hash %lu\n", (long)sum.acc, hash.acc);
    printf("unsorted arrays: %d\n", unsorted);
    return unsorted;
}
