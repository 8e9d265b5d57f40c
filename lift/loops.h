/* Private to lift/: safe points at loop heads (loops.c). */
#ifndef XLATE_LIFT_LOOPS_H
#define XLATE_LIFT_LOOPS_H

#include "lift.h"
#include "u64set.h"

/* f's blocks with their successor edges (block indices: edges first[b]..first[b + 1] - 1 of to[])
 * and the blocks execution enters f at (its start and address-taken labels): marks the blocks
 * that poll (lift_block.poll) and appends them to entries. -1 when out of memory. */
int lift_safe_points(struct lift_func *f, const unsigned *first, const unsigned *to,
                     const unsigned *roots, unsigned nroots, struct u64vec *entries);

#endif
