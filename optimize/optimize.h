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

/* Runs the pipeline for level 0..3. On failure returns -1 and describes it in err. */
int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level, char *err,
                    size_t errlen);

#endif
