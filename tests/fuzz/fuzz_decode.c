/*
 * libFuzzer target: the decoder and the control-flow facts the CFG builder takes from it. The
 * input is guest memory at GUEST_VA, read as instruction words:
 *  - a64_decode must return a row whose mask, value and check match the word, or UNALLOCATED,
 *    and the same row every time (that it is the most specific row, tests/decoder checks);
 *  - a64_flow, the constant tracker and jump-table recovery run over every word, with the input
 *    as the memory they may read, and must not misbehave whatever the bytes.
 */
#include "../../lift/a64/a64.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST_VA 0x400000ull

#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_decode: %s:%d: promise broken: %s\n", __FILE__, __LINE__,        \
                    #cond);                                                                        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct mem {
    const uint8_t *data;
    size_t size;
};

static bool read_mem(void *ctx, uint64_t va, void *buf, size_t n)
{
    const struct mem *m = ctx;
    if (va < GUEST_VA || va - GUEST_VA > m->size || n > m->size - (va - GUEST_VA))
        return false;
    memcpy(buf, m->data + (va - GUEST_VA), n);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mem m = {data, size};
    struct a64_consts k;
    a64_consts_reset(&k);
    for (size_t off = 0; off + 4 <= size; off += 4) {
        uint32_t w;
        memcpy(&w, data + off, 4);
        unsigned op = a64_decode(w);
        REQUIRE(op < A64_NUM_OPS);
        REQUIRE(a64_decode(w) == op);
        if (op != A64_UNALLOCATED) {
            const struct a64_row *r = &a64_rows[op];
            REQUIRE((w & r->mask) == r->value && r->check(w));
        }
        struct insn in = {GUEST_VA + off, w, op};
        struct a64_flow fl;
        a64_flow(&in, &fl);
        REQUIRE(fl.reg < 32);
        uint64_t va;
        (void)a64_consts_step(&k, &in, &va);
        if (fl.kind == FLOW_IJUMP) {
            uint64_t targets[64];
            unsigned n = a64_jump_table(read_mem, &m, in.pc, targets, 64);
            REQUIRE(n <= 64);
        }
    }
    return 0;
}
