/* The pass pipeline: inline the semantics and fold the constant instruction records, then the
 * passes for the requested level. */
#include "optimize.h"

#include <llvm-c/Error.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdio.h>

static int run(LLVMModuleRef mod, LLVMTargetMachineRef tm, const char *passes, char *err,
               size_t errlen)
{
    LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
    /* The SLP vectorizer took 60% of -O2 on a static glibc program (its search is superlinear
     * in the long blocks lifted code has) and guest code arrives already vectorized where the
     * guest compiler saw fit. */
    LLVMPassBuilderOptionsSetSLPVectorization(opts, 0);
    LLVMErrorRef e = LLVMRunPasses(mod, passes, tm, opts);
    LLVMDisposePassBuilderOptions(opts);
    if (!e)
        return 0;
    char *msg = LLVMGetErrorMessage(e);
    snprintf(err, errlen, "internal: pass pipeline \"%s\" failed: %s", passes, msg);
    LLVMDisposeErrorMessage(msg);
    return -1;
}

int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level, char *err,
                    size_t errlen)
{
    /* Lifted code is compiler output already: what pays is folding the inlined semantics,
     * forwarding and deleting register-file loads and stores (GVN, DSE; LICM keeps registers in
     * host registers across loops), removing dead flags and simplifying control flow. Loop
     * transformations, inlining heuristics and vectorizers cost a lot on the long blocks lifting
     * produces and buy little, so -O1/-O2 name their passes; -O3 runs LLVM's full pipeline for
     * those who want to pay for it. */
    static const char *const levels[] = {
        "function(simplifycfg)",
        "function(early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,dse,adce)",
        "function(early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,sccp,"
        "jump-threading,correlated-propagation,gvn,loop-mssa(licm),dse,"
        "instcombine<no-verify-fixpoint>,simplifycfg,adce)",
        "default<O3>",
    };
    /* Inline the semantics and fold the constant instruction records into plain IR. */
    if (run(mod, tm,
            "always-inline,globaldce,function(sroa,instcombine<no-verify-fixpoint>,simplifycfg)",
            err, errlen) != 0)
        return -1;
    if (level < 0)
        level = 0;
    if (level > 3)
        level = 3;
    return run(mod, tm, levels[level], err, errlen);
}
