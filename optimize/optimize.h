/*
 * optimize/: the LLVM pass pipeline for a lifted module. Knows nothing of ELF, instructions or the
 * command line.
 */
#ifndef XLATE_OPTIMIZE_H
#define XLATE_OPTIMIZE_H

#include <llvm-c/TargetMachine.h>
#include <stddef.h>

/* Runs the pipeline for level 0..3. On failure returns -1 and describes it in err. */
int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level, char *err,
                    size_t errlen);

#endif
