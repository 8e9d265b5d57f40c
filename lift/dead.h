/* Private to lift/: what a loop head's way out to the dispatcher need not keep, the condition
 * flags and registers dead there (dead.c). */
#ifndef XLATE_LIFT_DEAD_H
#define XLATE_LIFT_DEAD_H

#include "lift.h"

/* True when no path of f from va reads N, Z, C or V before setting all four (or before a call or
 * a return, which leave them undefined); false when one may, or when that is not known. */
bool lift_nzcv_dead(const struct lift_func *f, struct lift_reader rd, uint64_t va);

/* The registers the block at va writes whole before reading them (a64_reg_use's bits: X0-X30,
 * then V0-V31 from bit 32). The scan stops at the block's end or at the first instruction whose
 * registers are not known, so every register is either in the set or maybe live. */
uint64_t lift_regs_dead(const struct lift_func *f, struct lift_reader rd, uint64_t va);

#endif
