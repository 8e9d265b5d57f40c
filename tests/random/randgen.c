/*
 * Random material for the differential tests (difftest.py): instruction words drawn from the
 * decoder table, and initial register states. Everything follows from the seed (splitmix64), so
 * a run is reproduced by its seed alone.
 *
 *   randgen words SEED COUNT [--len L] [--mem]
 *                                      COUNT lines "WORD NAME": random encodings of eligible
 *                                      rows (below), each decoding to an eligible row, in
 *                                      sequences of L
 *   randgen states SEED COUNT FILE [--mem]
 *                                      COUNT initial states (struct rstate) to FILE
 *   randgen rows [--mem]               the eligible rows, one name a line
 *
 * Eligible: rows of the data-processing, floating-point, AdvSIMD and crypto groups and the
 * PSTATE flag instructions; no branches, no runtime calls (F_RT), no system register moves (the
 * test's own scaffolding uses them). With --mem also the loads, stores and atomics of ldst.def,
 * simd_ldst.def and atomic.def, addressed through SP only (the scaffolding points SP into a
 * scratch buffer).
 */
#include "../../lift/a64/a64.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rstate.h"

/* ---- which rows: the groups, by including their .def files ---- */

#define A64(name, mask, value, sem, flags, check) #name,
static const char *const compute_rows[] = {
#include "../../lift/a64/insn/dp_imm.def"
#include "../../lift/a64/insn/dp_reg.def"
#include "../../lift/a64/insn/fp.def"
#include "../../lift/a64/insn/simd_fp.def"
#include "../../lift/a64/insn/simd_int.def"
#include "../../lift/a64/insn/simd_perm.def"
#include "../../lift/a64/insn/crypto.def"
    "CFINV_M_pstate",
    "XAFLAG_M_pstate",
    "AXFLAG_M_pstate",
};
static const char *const memory_rows[] = {
#include "../../lift/a64/insn/ldst.def"
#include "../../lift/a64/insn/simd_ldst.def"
#include "../../lift/a64/insn/atomic.def"
};
#undef A64

static bool eligible[A64_NUM_OPS];
static bool is_memory[A64_NUM_OPS];

static unsigned op_named(const char *name)
{
    for (unsigned op = 1; op < A64_NUM_OPS; op++)
        if (!strcmp(a64_rows[op].name, name))
            return op;
    return A64_UNALLOCATED;
}

/* Memory rows whose address is not [SP + small constant]: literal loads are PC-relative (LDR of
 * a Q register reads past the code into anything), register offsets and register post-index
 * forms add a random register; PRFM only hints. The AdvSIMD post-index rows with Rm fixed to 31
 * (the mask covers bits 20:16) are the immediate forms. */
static bool memory_row_ok(const struct a64_row *r)
{
    static const char *const excluded[] = {"loadlit", "regoff", "PRFM", "PRFUM"};
    for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
        if (strstr(r->name, excluded[i]))
            return false;
    if (strstr(r->name, "asisdlsep") || strstr(r->name, "asisdlsop"))
        return (r->mask >> 16 & 31) == 31;
    return true;
}

static void select_rows(bool mem)
{
    const uint32_t flow = F_RT | F_JUMP | F_COND | F_CALL | F_ICALL | F_IJUMP | F_RET;
    for (size_t i = 0; i < sizeof compute_rows / sizeof compute_rows[0]; i++) {
        unsigned op = op_named(compute_rows[i]);
        if (op && !(a64_rows[op].flags & flow))
            eligible[op] = true;
    }
    for (size_t i = 0; mem && i < sizeof memory_rows / sizeof memory_rows[0]; i++) {
        unsigned op = op_named(memory_rows[i]);
        if (op && !(a64_rows[op].flags & flow) && memory_row_ok(&a64_rows[op]))
            eligible[op] = is_memory[op] = true;
    }
}

/* ---- the generator ---- */

static uint64_t rng;

/* splitmix64 (Steele, Lea, Flood 2014): small, fast, and every seed gives a good stream. */
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}
static uint64_t pick(const uint64_t *v, size_t n)
{
    return v[below((unsigned)n)];
}
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]))

static uint32_t with_field(uint32_t w, unsigned lo, unsigned width, uint32_t v)
{
    uint32_t m = ((1u << width) - 1) << lo;
    return (w & ~m) | ((v << lo) & m);
}

/* Memory words address [SP + offset] and keep the offset small, so that a sequence stays inside
 * the scratch buffer (difftest.py puts SP in its middle): imm12 (unsigned, scaled by at most 16)
 * below 32, imm9 within +-32 bytes, imm7 (scaled by at most 16) within +-8. Writeback moves SP
 * by multiples of 16 (but for AdvSIMD post-index, by the transfer size): atomics and exclusives
 * at a misaligned SP fault under qemu, and such runs are not compared. */
static uint32_t constrain_memory(uint32_t w, unsigned op)
{
    const char *name = a64_rows[op].name;
    w = with_field(w, 5, 5, 31);
    if (strstr(name, "ldst_pos"))
        w = with_field(w, 10, 12, below(32));
    else if (strstr(name, "ldst_imm"))
        w = with_field(w, 12, 9, 16 * (below(4) - 2));
    else if (strstr(name, "ldapstl")) /* aligned: LDAPUR and STLUR fault otherwise */
        w = with_field(w, 12, 9, 8 * (below(8) - 4));
    else if (strstr(name, "_unscaled") || strstr(name, "ldst_unpriv"))
        w = with_field(w, 12, 9, below(64) - 32);
    else if (strstr(name, "ldstpair_pre") || strstr(name, "ldstpair_post"))
        w = with_field(w, 15, 7, 4 * (below(4) - 2));
    else if (strstr(name, "pair"))
        w = with_field(w, 15, 7, below(16) - 8);
    return w;
}

/* CONSTRAINED UNPREDICTABLE register overlaps, where the oracle picks one behaviour and we may
 * pick another: LDP, LDNP, LDPSW, LDXP and LDAXP with Rt == Rt2 (an UNKNOWN value), and the
 * store-exclusives with the status register Rs equal to Rt or Rt2 (C6.2.341 STXR and friends). */
static bool unpredictable(uint32_t w, unsigned op)
{
    const char *name = a64_rows[op].name;
    unsigned t = w & 31, t2 = (w >> 10) & 31, s = (w >> 16) & 31;
    bool load = name[0] == 'L';
    bool pair = strstr(name, "pair") || strstr(name, "exclp");
    if (load && pair && t == t2)
        return true;
    if (!load && strstr(name, "ldstexcl"))
        return s == t || (strstr(name, "exclp") && s == t2);
    return false;
}

/* With memory, SP is the base of every access and must stay in the scratch buffer: no ADD, SUB
 * (immediate, extended register), AND, ORR or EOR (immediate) that writes SP (Rd = 31). */
static bool writes_sp(uint32_t w, unsigned op)
{
    const char *name = a64_rows[op].name;
    bool sp_form =
        ((!strncmp(name, "ADD_", 4) || !strncmp(name, "SUB_", 4)) &&
         (strstr(name, "addsub_imm") || strstr(name, "addsub_ext"))) ||
        ((!strncmp(name, "AND_", 4) || !strncmp(name, "ORR_", 4) || !strncmp(name, "EOR_", 4)) &&
         strstr(name, "log_imm"));
    return sp_form && (w & 31) == 31;
}

/* The monitor a store-exclusive meets: the class (size bits 31:30, pair bit 21) of the last
 * load-exclusive of the sequence, or -1 (the program clears the monitor before each run). A
 * store-exclusive of another size than the load-exclusive succeeds or fails as the
 * implementation likes (B2.9.5, CONSTRAINED UNPREDICTABLE), so only matching ones are made. */
static int excl_class(uint32_t w)
{
    return (int)((w >> 30) << 1 | ((w >> 21) & 1));
}

static bool monitor_ok(uint32_t w, unsigned op, int *monitor)
{
    if (!strstr(a64_rows[op].name, "ldstexcl"))
        return true;
    bool load = a64_rows[op].name[0] == 'L';
    if (load)
        *monitor = excl_class(w);
    return load || *monitor < 0 || *monitor == excl_class(w);
}

static uint32_t random_word(unsigned *op_out, bool mem, int *monitor)
{
    static unsigned ops[A64_NUM_OPS], nops;
    if (!nops)
        for (unsigned op = 1; op < A64_NUM_OPS; op++)
            if (eligible[op])
                ops[nops++] = op;
    for (;;) {
        unsigned want = ops[below(nops)];
        const struct a64_row *r = &a64_rows[want];
        for (int tries = 0; tries < 64; tries++) {
            uint32_t w = r->value | ((uint32_t)next() & ~r->mask);
            if (is_memory[want])
                w = constrain_memory(w, want);
            unsigned got = a64_decode(w);
            if (got != A64_UNALLOCATED && eligible[got] && !unpredictable(w, got) &&
                !(mem && writes_sp(w, got)) && monitor_ok(w, got, monitor)) {
                *op_out = got;
                return w;
            }
        }
    }
}

/* ---- initial states ---- */

/* Values worth trying: integer edges, and FP64/FP32/FP16 zeros, infinities, quiet and signalling
 * NaNs, denormals, the smallest normals, the largest finite values, ones, halves, values that round
 * to even, and conversion limits (2^31, 2^63, 2^64, ...). */
/* clang-format off */
static const uint64_t int_specials[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0xfffffffffffffffeull, 0xffffffff80000000ull, 0x00000000ffff0000ull, 0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull, 63, 64, 31, 32};
static const uint64_t f64_specials[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000001ull, 0x7ff0000000000001ull, 0x7ff4000000000123ull,
    0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
    0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull, 0x4004000000000000ull,
    0xc004000000000000ull, 0x41e0000000000000ull, 0xc1e0000000000000ull, 0x43e0000000000000ull,
    0x43f0000000000000ull, 0x41efffffffe00000ull, 0x3ff8000000000000ull, 0x0008000000000000ull};
static const uint64_t f32_specials[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001,
    0x7fa00123, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x3f800000, 0xbf800000,
    0x3f000000, 0x40200000, 0xc0200000, 0x4f000000, 0xcf000000, 0x5f000000, 0x4f800000,
    0x3fc00000, 0x00400000, 0x4effffff};
static const uint64_t f16_specials[] = {
    0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x7c01, 0x7d23, 0x0001, 0x83ff,
    0x0400, 0x7bff, 0x3c00, 0xbc00, 0x3800, 0x4100, 0xc100, 0x3e00, 0x0200, 0x5bff};
/* clang-format on */

/* A value for a general register or a 64-bit lane. */
static uint64_t random_x(void)
{
    switch (below(8)) {
    case 0:
    case 1:
    case 2: return next();
    case 3: return PICK(int_specials);
    case 4: return (uint64_t)(int64_t)(int)(below(33) - 16);
    case 5: return (uint32_t)next();
    case 6: return PICK(f64_specials) ^ (below(4) ? 0 : next() & 0xfffff);
    default: return next() >> below(64);
    }
}

/* A 64-bit half of a vector register: lanes of one element size, each special or random. */
static uint64_t random_half(void)
{
    unsigned esize = 8u << below(4); /* 8, 16, 32, 64 */
    if (below(3) == 0)
        return next();
    uint64_t v = 0;
    for (unsigned lo = 0; lo < 64; lo += esize) {
        uint64_t e;
        switch (esize) {
        case 64: e = below(2) ? PICK(f64_specials) : random_x(); break;
        case 32: e = below(2) ? PICK(f32_specials) : PICK(int_specials); break;
        case 16: e = below(2) ? PICK(f16_specials) : next(); break;
        default: e = below(2) ? PICK(int_specials) : next(); break;
        }
        if (below(4) == 0)
            e = next();
        v |= (e & (esize == 64 ? ~0ull : (1ull << esize) - 1)) << lo;
    }
    return v;
}

static void random_state(struct rstate *s, bool mem)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 31; i++)
        s->x[i] = random_x();
    /* SP: anywhere (only ADD/SUB read it) unless loads and stores use it as their base. */
    s->sp = mem ? RSTATE_SP_OFFSET : random_x();
    s->nzcv = (uint64_t)below(16) << 28;
    /* FPCR: the writable bits only (AHP, DN, FZ, RMode, FZ16), the default half the time. */
    if (below(2))
        s->fpcr = (uint64_t)below(4) << 22 | (uint64_t)below(2) << 24 | (uint64_t)below(2) << 25 |
                  (uint64_t)below(2) << 26 | (uint64_t)below(2) << 19;
    /* FPSR: clear, or some cumulative flags (IOC DZC OFC UFC IXC IDC, QC) already set. */
    if (below(4) == 0)
        s->fpsr = next() & 0x0800009full;
    for (int i = 0; i < 32; i++) {
        s->v[i][0] = random_half();
        s->v[i][1] = below(4) ? random_half() : s->v[i][0];
    }
    if (mem)
        for (size_t i = 0; i < RSTATE_MEM / 8; i++)
            s->mem[i] = below(2) ? random_x() : random_half();
}

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: randgen words SEED COUNT [--len L] [--mem]\n"
                    "       randgen states SEED COUNT FILE [--mem]\n"
                    "       randgen rows [--mem]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    bool mem = false;
    unsigned long len = 0;
    char *pos[4];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mem"))
            mem = true;
        else if (!strcmp(argv[i], "--len") && i + 1 < argc)
            len = strtoul(argv[++i], NULL, 0);
        else if (npos < 4)
            pos[npos++] = argv[i];
        else
            usage();
    }
    if (npos < 1)
        usage();
    select_rows(mem);
    if (!strcmp(pos[0], "rows") && npos == 1) {
        for (unsigned op = 1; op < A64_NUM_OPS; op++)
            if (eligible[op])
                printf("%s\n", a64_rows[op].name);
        return 0;
    }
    if (npos < 3)
        usage();
    /* The seed picks the stream; words and states use different streams of it. */
    uint64_t seed = strtoull(pos[1], NULL, 0);
    unsigned long count = strtoul(pos[2], NULL, 0);
    if (!strcmp(pos[0], "words") && npos == 3) {
        rng = seed * 2;
        int monitor = -1;
        for (unsigned long i = 0; i < count; i++) {
            unsigned op;
            if (len && i % len == 0)
                monitor = -1;
            uint32_t w = random_word(&op, mem, &monitor);
            printf("%08" PRIx32 " %s\n", w, a64_rows[op].name);
        }
        return 0;
    }
    if (!strcmp(pos[0], "states") && npos == 4) {
        rng = seed * 2 + 1;
        FILE *f = fopen(pos[3], "wb");
        if (!f) {
            perror(pos[3]);
            return 2;
        }
        struct rstate s;
        size_t size = mem ? sizeof s : offsetof(struct rstate, mem);
        for (unsigned long i = 0; i < count; i++) {
            random_state(&s, mem);
            if (fwrite(&s, size, 1, f) != 1) {
                perror(pos[3]);
                return 2;
            }
        }
        return fclose(f) ? 2 : 0;
    }
    usage();
}
