/*
 * Bitcode only: the semantics of the scalar groups, specialized per decoder row. The lifter calls
 * sem_row_NAME where this file defines one, sem_SEM otherwise. LLVM's inliner clones a semantics
 * function at every guest instruction and prunes the clone with the constant instruction record:
 * a row's function has already lost the branches and field extractions that tell its class's
 * rows apart, so each clone starts smaller (the inlining of a 5769-call part of a static glibc
 * program: 0.26-0.33 s -> 0.20-0.22 s, and 8% less IR after it). These groups hold most of the
 * instructions of compiled code; a copy per row of the SIMD and FP groups' large functions would
 * swell the bitcode that every part of a translation parses.
 *
 * One translation unit with the groups' sources, compiled with an inline threshold that puts
 * every helper into the rows (CMakeLists.txt): a helper left as a call would be handed the
 * record's copy on the stack, which the lifter's inlining could not prune.
 */
#include "branch.c"
#include "dp_imm.c"
#include "dp_reg.c"
#include "ldst.c"

#define A64(name, mask, value, sem, flags, check)                                                  \
    void sem_row_##name(struct cpu *c, const struct insn *in)                                      \
    {                                                                                              \
        const struct insn k = {in->pc, (in->word & ~(uint32_t)(mask)) | (uint32_t)(value),         \
                               in->op};                                                            \
        sem_##sem(c, &k);                                                                          \
    }
#include "../insn/branch.def"
#include "../insn/dp_imm.def"
#include "../insn/dp_reg.def"
#include "../insn/ldst.def"
#undef A64
