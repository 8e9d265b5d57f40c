/* The pass pipeline: inline the semantics and fold the constant instruction records, then the
 * passes for the requested level. */
#include "optimize.h"

#include <llvm-c/Error.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <llvm-c/Support.h>
#include <stdio.h>
#include <string.h>

void optimize_configure(const char *extra)
{
    /* Guest registers stay in host registers only while alias analysis can tell the register
     * file (a noalias argument that is never captured) from guest memory (pointers made from
     * integers). Proving "never captured" walks every use of the register file's pointer, and
     * LLVM gives up after 100 uses, which a lifted function passes within a few instructions:
     * then every guest load and store may alias every register, and no register is promoted out
     * of a loop (a matrix multiply ran 2.8 times slower). The walk is repeated for each query
     * outside a batch, so its cost grows with the square of a function's size: with no limit a
     * batch of 196 AdvSIMD intrinsics tests (huge functions) took several times longer to
     * optimize; 10000 uses cost it 60% (63 -> 101 s) and cover the functions loops live in.
     * LICM also promotes nothing in a loop with more than 250 memory accesses, which a loop of
     * a few dozen guest blocks has (register writes are accesses): a switch-heavy lexer loop kept
     * every register in memory until the limit was raised. DSE looks for a register store that
     * a later one overwrites on every path among 150 accesses and 50 blocks, which the many small
     * blocks of lifted code (each indirect call adds three) exceed: with LLVM's limits bench
     * malloc ran 2.3% more instructions. Its MemorySSA walk stays at LLVM's 90 steps: raised to
     * 1000 it doubled the pass's time (10.8 s of fsm's 36 s of optimization) and saved under
     * 1.5% of any benchmark's instructions but zstd's (3.9% compressing, 1.8% decompressing),
     * now that fields.c keeps NZCV and pc out of memory; at 300 zstd ran 2.7% and 3.1% fewer
     * instructions for 60% more time in DSE (fsm, on a loaded machine).
     * Code generation tracks variable locations by instruction reference, the default for
     * x86-64, and its LiveDebugValues pass then analyses every function that has debug info even
     * when, as here, the line table is all there is: 2.3% of a static glibc program's whole
     * translation (perf). The other implementation has nothing to do without variables, and the
     * executable comes out byte-identical. */
    static char buf[1024];
    static const char *args[64] = {"xlate",
                                   "-capture-tracking-max-uses-to-explore=10000",
                                   "-licm-mssa-max-acc-promotion=5000",
                                   "-dse-memoryssa-scanlimit=1000",
                                   "-dse-memoryssa-path-check-limit=500",
                                   "-experimental-debug-variable-locations=false"};
    int n = 6;
    snprintf(buf, sizeof buf, "%s", extra ? extra : "");
    for (char *save, *t = strtok_r(buf, " ", &save); t && n < 63; t = strtok_r(NULL, " ", &save))
        args[n++] = t;
    LLVMParseCommandLineOptions(n, args, NULL);
}

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

int optimize_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                    const struct optimize_slots *vregs, const struct optimize_fields *fields,
                    char *err, size_t errlen)
{
    /* Lifted code is compiler output already: what pays is folding the inlined semantics,
     * forwarding and deleting register-file loads and stores (GVN, DSE; LICM keeps registers in
     * host registers across loops), removing dead flags and simplifying control flow. Loop
     * transformations, inlining heuristics and vectorizers cost a lot on the long blocks lifting
     * produces and buy little, so -O1/-O2 name their passes; -O3 runs LLVM's full pipeline for
     * those who want to pay for it.
     * Where -O2 goes on a static glibc program (callgrind on single parts, 2026-11): inlining
     * the semantics and its clean-up about 20% (nearly all of it LLVM cloning the semantics'
     * bodies), the pass list below 35%, code generation 40% (half of it DAG instruction
     * selection). -O2's EarlyCSE does without MemorySSA: with it, it took 20% of the list, each
     * clobber query repeating the capture walk over the register file's uses, and GVN forwards
     * the loads it would have (2026-11-30, callgrind: every benchmark within 0.9% of the
     * MemorySSA form but sieve, 6.5% fewer, and zstd decompressing, 2.2% more; an earlier
     * pipeline had lost 1.4% on nbody). -O1 has no GVN and keeps it. */
    /* SROA first at -O1 and -O2: it turns fields.c's local variables into SSA values. -O2's
     * second LICM hoists what the first could not before DSE and InstCombine had cleaned up the
     * loop: a loop-invariant register in fft's inner loop was loaded on every iteration, and
     * LICM run again on the finished IR hoisted it. With it and the clean-up after it
     * (callgrind, 2026-11-30): nbody 55.9M -> 51.2M instructions, matmul 68.7M -> 60.8M, fft
     * 247.3M -> 238.5M, memops 34.2M -> 33.2M, the other kernels within 0.4%; without the
     * clean-up hash, memops and sort ran 2-5% more instead.
     * Each LICM starts a run of its own, after slots.c has given the vector registers' accesses
     * one type again: LICM keeps a location in a register only when every access in the loop
     * has one type, and InstCombine gives each store the type of its value and each load the
     * type of its use (a <2 x double> store, a double load). nbody's three accumulators went to
     * memory and back on every iteration of its inner loop. */
    static const char *const levels[][3] = {
        {"function(simplifycfg)"},
        {"function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,dse,adce)"},
        {"function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg,sccp,"
         "jump-threading,correlated-propagation,gvn)",
         "function(loop-mssa(licm),dse,instcombine<no-verify-fixpoint>,simplifycfg)",
         "function(loop-mssa(licm),instcombine<no-verify-fixpoint>,simplifycfg,adce)"},
        {"default<O3>"},
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
    if (level > 0) {
        optimize_selects(mod);
        optimize_slots(mod, vregs);
        optimize_fields(mod, fields);
    }
    for (size_t i = 0; i < sizeof *levels / sizeof **levels && levels[level][i]; i++) {
        if (i > 0)
            optimize_slots(mod, vregs);
        if (run(mod, tm, levels[level][i], err, errlen) != 0)
            return -1;
    }
    if (level > 0)
        optimize_fp_views(mod);
    return 0;
}
