/*
 * optimize/: the LLVM pass pipeline for a lifted module, and our own IR passes. Knows nothing of
 * ELF, instructions or the command line; it only relies on the lifter's contract that
 * @xlate.sync_in/@xlate.sync_out(shadow, cpu) mark where a function's private register file
 * meets the real one.
 */
#ifndef XLATE_OPTIMIZE_H
#define XLATE_OPTIMIZE_H

#include <llvm-c/TargetMachine.h>
#include <stdbool.h>
#include <stddef.h>

struct optimize_stats {
    unsigned functions;  /* functions with a shadow register file */
    unsigned unpromoted; /* of those, ones whose shadow had to be copied whole */
};

/* Runs the pipeline for level 0..3. On failure returns -1 and describes it in err. */
int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                    struct optimize_stats *stats, char *err, size_t errlen);

/* Replaces the sync markers by copies of the registers each function reads or writes. */
void optimize_promote_state(LLVMModuleRef mod, struct optimize_stats *stats);

#endif
