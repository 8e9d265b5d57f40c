/*
 * optimize/: the LLVM pass pipeline for a lifted module. Knows nothing of ELF, instructions or the
 * command line.
 */
#ifndef XLATE_OPTIMIZE_H
#define XLATE_OPTIMIZE_H

#include <llvm-c/TargetMachine.h>
#include <stddef.h>

/* Sets LLVM's global options for lifted code, then those in `extra` (space-separated, LLVM's own
 * syntax; may be NULL). Call once, before any module is optimized. */
void optimize_configure(const char *extra);

/* `count` 16-byte vector registers from byte `offset` of the register file, which every lifted
 * function receives as its first argument (noalias). */
struct optimize_slots {
    unsigned offset, count;
};

/* Runs the pipeline for level 0..3. On failure returns -1 and describes it in err. */
int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                    const struct optimize_slots *vregs, char *err, size_t errlen);

/* Gives every access to a vector register one type (slots.c); part of optimize_module. */
void optimize_slots(LLVMModuleRef mod, const struct optimize_slots *s);

#endif
