/*
 * optimize/: the LLVM pass pipeline for a lifted module. Knows nothing of ELF, instructions or the
 * command line.
 */
#ifndef XLATE_OPTIMIZE_H
#define XLATE_OPTIMIZE_H

#include <llvm-c/TargetMachine.h>
#include <stdbool.h>
#include <stddef.h>

/* Sets LLVM's global options for lifted code, then those in `extra` (space-separated, LLVM's own
 * syntax; may be NULL). Call once, before any module is optimized. */
void optimize_configure(const char *extra);

/* `count` 16-byte vector registers from byte `offset` of the register file, which every lifted
 * function receives as its first argument (noalias). */
struct optimize_slots {
    unsigned offset, count;
};

/* Fields of the register file (byte offset and size each) that lifted functions keep in SSA
 * between the calls handed the register file and their returns (fields.c). Calls that carry the
 * string attribute call_attr do not read the fields in call_dead (bit i: field i), which are
 * therefore not stored for them. The fields in `passed` travel as arguments and results instead:
 * a function sets them itself at its start, passes and takes them explicitly at calls that carry
 * call_attr, and returns them, so neither of those stores or loads them. */
enum { OPTIMIZE_MAX_FIELDS = 16 };
struct optimize_fields {
    unsigned long long offsets[OPTIMIZE_MAX_FIELDS], sizes[OPTIMIZE_MAX_FIELDS];
    unsigned count;
    const char *call_attr;
    unsigned call_dead, passed;
};

/* Runs the pipeline for level 0..3. On failure returns -1 and describes it in err. */
int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                    const struct optimize_slots *vregs, const struct optimize_fields *fields,
                    char *err, size_t errlen);

/* Parts of optimize_module: a load through a choice of two register addresses becomes two loads
 * (selects.c); every access to a vector register gets one type (slots.c); fields move to local
 * variables (fields.c). */
void optimize_selects(LLVMModuleRef mod);
void optimize_slots(LLVMModuleRef mod, const struct optimize_slots *s);
void optimize_fields(LLVMModuleRef mod, const struct optimize_fields *f);
/* After the passes: integer loads and lanes cast to floating point are read as such
 * (fp_views.c). */
void optimize_fp_views(LLVMModuleRef mod);
/* The register file a lifted function receives, its first parameter (a noalias pointer, so no
 * other pointer or thread sees it); NULL for any other function (slots.c). */
LLVMValueRef optimize_cpu_param(LLVMValueRef fn);
/* The constant byte offset of p from the register file pointer cpu, if it has one (slots.c). */
bool optimize_cpu_offset(LLVMValueRef cpu, LLVMValueRef p, unsigned long long *off);

#endif
