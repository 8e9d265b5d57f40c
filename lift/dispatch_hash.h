/*
 * The hash of the runtime's dispatch table (guest address -> translated function): the contract
 * between the lifter, whose indirect branches probe the table inline (lift.c, gen_lookup), and
 * the runtime, which builds and searches it (runtime/dispatch.c). No LLVM here: both sides
 * include it. Fibonacci hashing: the slot is the top bits of the product, so a table of
 * 2^(64 - shift) slots needs no mask.
 */
#ifndef XLATE_DISPATCH_HASH_H
#define XLATE_DISPATCH_HASH_H

#include <stdint.h>

#define DISPATCH_HASH_MUL 0x9e3779b97f4a7c15ull

static inline uint64_t dispatch_slot(uint64_t va, uint64_t shift)
{
    return va * DISPATCH_HASH_MUL >> shift;
}

/* The shift of a table for up to n entries: 2^(64 - shift) slots, a power of two at least 2n
 * and 16. The translator fixes it (translated code probes with it as a constant) and the image
 * hands it to the runtime, which builds the table that size. */
static inline unsigned dispatch_shift(uint64_t n)
{
    unsigned shift = 60;
    while ((1ull << (64 - shift)) < 2 * n)
        shift--;
    return shift;
}

#endif
