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

#endif
