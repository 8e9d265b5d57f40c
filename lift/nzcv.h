/* Private to lift/: liveness of the guest's condition flags (nzcv.c). */
#ifndef XLATE_LIFT_NZCV_H
#define XLATE_LIFT_NZCV_H

#include "lift.h"

/* True when no path of f from va reads N, Z, C or V before setting all four (or before a call or
 * a return, which leave them undefined); false when one may, or when that is not known. */
bool lift_nzcv_dead(const struct lift_func *f, struct lift_reader rd, uint64_t va);

#endif
