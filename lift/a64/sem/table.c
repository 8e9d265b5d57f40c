/* The interpreter's view of the semantics: one function per decoder row. Not part of the
 * bitcode -- the lifter finds each function by the name in the row. */
#include "sem.h"

sem_fn *const a64_sem[A64_NUM_OPS] = {
    [A64_UNALLOCATED] = sem_unallocated,
#define A64(name, mask, value, sem, flags, check) [A64_##name] = sem_##sem,
#include "../insn.def"
#undef A64
};
