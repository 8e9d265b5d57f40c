/*
 * emit/: from an optimized module to a host executable -- the target machine, object emission,
 * the guest image and entry table as data, linking with the runtime -- and the xlate CLI.
 */
#ifndef XLATE_EMIT_H
#define XLATE_EMIT_H

#include "../lift/lift.h"

#include <llvm-c/TargetMachine.h>

#define EMIT_DEFAULT_CPU "x86-64-v3"

/* The vector extensions a host CPU has, as far as the translated code cares. */
enum emit_isa { EMIT_ISA_SSE2, EMIT_ISA_SSE41, EMIT_ISA_AVX };
/* The extension level of `cpu` (an LLVM CPU name or "native"), or -1 for a CPU we do not know. */
int emit_cpu_isa(const char *cpu);
/* Define the host helpers the semantics declare (sem/fp_ops.h) for that level. */
void emit_fp_tests(LLVMModuleRef mod, enum emit_isa isa);
/* Routes the semantics' calls of the FP slow paths to the runtime's register-saving entries. */
void emit_fp_slow_calls(LLVMModuleRef mod);
/* An x86-64 Linux target machine for `cpu` at optimization level 0..3. */
LLVMTargetMachineRef emit_target_machine(const char *cpu, int level, char *err, size_t errlen);
/* Give the module the machine's triple and data layout, and its functions the code generation
 * preferences for lifted code. */
void emit_configure_module(LLVMModuleRef mod, LLVMTargetMachineRef tm);
/* Add `xlate_image` (runtime/rt.h): segments, entry table, start-up facts. */
void emit_image(LLVMModuleRef mod, const struct lift_image *img, const struct lift_program *prog,
                const struct lift_entry *entries, unsigned nentries);

/* What translate() needs and reports. */
struct emit_job {
    const struct lift_image *img;
    const struct lift_program *prog;
    const char *host_cpu;
    int level;
    unsigned threads;   /* worker threads; the output does not depend on it */
    bool want_ir;       /* keep each part's optimized IR as text in ir[] */
    const char *tmpdir; /* where the objects go */
    /* results */
    unsigned nparts;
    char **objects; /* nparts + 1 object files: the parts, then the image */
    char **ir;
    double lift_s, opt_s, codegen_s; /* summed over parts */
};

/* Lift, optimize and compile the program in parts on worker threads, plus the image object.
 * Returns 0, or -1 with a message in err (exit status 2 material: nothing here is bad input). */
int emit_translate(struct emit_job *job, char *err, size_t errlen);
int emit_object(LLVMTargetMachineRef tm, LLVMModuleRef mod, const char *path, char *err,
                size_t errlen);
/* Link the object with the runtime library into a PIE executable at `out`. */
int emit_link(char *const *objects, unsigned nobjects, const char *out, const char *runtime_lib,
              char *err, size_t errlen);

#endif
