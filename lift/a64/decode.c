/*
 * Table-driven decoder. insn.def holds one mask/value row per encoding; a word matches a row when
 * (word & mask) == value and the row's check (reserved-value constraints) holds. Rows are bucketed
 * by bits [31:21] at init, most specific mask first, so a lookup scans a handful of rows.
 */
#include "a64.h"

#include <pthread.h>
#include <stdlib.h>

#define BITS(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(w, n)       (((w) >> (n)) & 1u)

#define A64(name, mask, value, sem, flags, check)                                                  \
    static bool chk_##name(uint32_t w)                                                             \
    {                                                                                              \
        (void)w;                                                                                   \
        return (check);                                                                            \
    }
#include "insn.def"
#undef A64

const struct a64_row a64_rows[A64_NUM_OPS] = {
    [A64_UNALLOCATED] = {"UNALLOCATED", "sem_unallocated", 0, 0, F_RT, NULL},
#define A64(name, mask, value, sem, flags, check)                                                  \
    [A64_##name] = {#name, "sem_" #sem, mask, value, flags, chk_##name},
#include "insn.def"
#undef A64
};

#define BUCKET_SHIFT 21
#define NBUCKETS     (1u << (32 - BUCKET_SHIFT))

static uint16_t *bucket_rows[NBUCKETS]; /* row indices, zero-terminated */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static int more_specific_first(const void *a, const void *b)
{
    unsigned ra = *(const uint16_t *)a, rb = *(const uint16_t *)b;
    int pa = __builtin_popcount(a64_rows[ra].mask), pb = __builtin_popcount(a64_rows[rb].mask);
    if (pa != pb)
        return pb - pa;
    return (int)ra - (int)rb;
}

static void build_buckets(void)
{
    static uint16_t order[A64_NUM_OPS];
    static unsigned count[NBUCKETS];
    unsigned n = 0;
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        order[n++] = (uint16_t)op;
    qsort(order, n, sizeof order[0], more_specific_first);

    for (int pass = 0; pass < 2; pass++) {
        for (unsigned b = 0; b < NBUCKETS; b++) {
            if (pass == 1) {
                bucket_rows[b] = calloc(count[b] + 1, sizeof(uint16_t));
                if (!bucket_rows[b])
                    abort();
            }
            count[b] = 0;
        }
        for (unsigned i = 0; i < n; i++) {
            const struct a64_row *r = &a64_rows[order[i]];
            uint32_t m = r->mask >> BUCKET_SHIFT, v = r->value >> BUCKET_SHIFT;
            /* Enumerate every bucket whose fixed bits agree with the row: walk the free bits. */
            uint32_t freebits = ~m & (NBUCKETS - 1), sub = 0;
            do {
                unsigned b = v | sub;
                if (pass == 1)
                    bucket_rows[b][count[b]] = order[i];
                count[b]++;
                sub = (sub - freebits) & freebits;
            } while (sub);
        }
    }
}

void a64_decode_init(void)
{
    pthread_once(&init_once, build_buckets);
}

unsigned a64_decode(uint32_t word)
{
    a64_decode_init();
    for (const uint16_t *p = bucket_rows[word >> BUCKET_SHIFT]; *p; p++) {
        const struct a64_row *r = &a64_rows[*p];
        if ((word & r->mask) == r->value && r->check(word))
            return *p;
    }
    return A64_UNALLOCATED;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

void a64_flow(const struct insn *in, struct a64_flow *out)
{
    uint32_t w = in->word, f = a64_rows[in->op].flags;
    out->kind = FLOW_NEXT;
    out->target = 0;
    out->reg = BITS(w, 9, 5);
    if (f & (F_JUMP | F_CALL)) {
        out->kind = f & F_CALL ? FLOW_CALL : FLOW_JUMP;
        out->target = in->pc + (sext(BITS(w, 25, 0), 26) << 2);
    } else if (f & F_COND) {
        out->kind = FLOW_COND;
        /* C4.1.65: TBZ/TBNZ carry imm14 at [18:5]; B.cond, CBZ and CBNZ carry imm19 at [23:5]. */
        if (BITS(w, 30, 25) == 0x1b)
            out->target = in->pc + (sext(BITS(w, 18, 5), 14) << 2);
        else
            out->target = in->pc + (sext(BITS(w, 23, 5), 19) << 2);
    } else if (f & F_ICALL) {
        out->kind = FLOW_ICALL;
    } else if (f & F_IJUMP) {
        out->kind = FLOW_IJUMP;
    } else if (f & F_RET) {
        out->kind = FLOW_RET;
    }
}
