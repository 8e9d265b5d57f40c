/* The host target machine and object emission. */
#include "emit.h"

#include <llvm-c/Target.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define HOST_TRIPLE "x86_64-pc-linux-gnu"

static void init_x86(void)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    /* Semantics may contain inline assembly (lock cmpxchg16b in sem/atomic.c), which the object
     * streamer parses. */
    LLVMInitializeX86AsmParser();
}

/* The CPUs --host-cpu accepts, by LLVM's names, with the vector extension the semantics' host
 * helpers may use (fp_tests.c). */
static const struct {
    const char *name;
    enum emit_isa isa;
} cpus[] = {
    {"x86-64", EMIT_ISA_SSE2},        {"generic", EMIT_ISA_SSE2},
    {"core2", EMIT_ISA_SSE2},         {"x86-64-v2", EMIT_ISA_SSE41},
    {"nehalem", EMIT_ISA_SSE41},      {"westmere", EMIT_ISA_SSE41},
    {"x86-64-v3", EMIT_ISA_AVX},      {"x86-64-v4", EMIT_ISA_AVX},
    {"sandybridge", EMIT_ISA_AVX},    {"ivybridge", EMIT_ISA_AVX},
    {"haswell", EMIT_ISA_AVX},        {"broadwell", EMIT_ISA_AVX},
    {"skylake", EMIT_ISA_AVX},        {"skylake-avx512", EMIT_ISA_AVX},
    {"cascadelake", EMIT_ISA_AVX},    {"icelake-client", EMIT_ISA_AVX},
    {"icelake-server", EMIT_ISA_AVX}, {"tigerlake", EMIT_ISA_AVX},
    {"alderlake", EMIT_ISA_AVX},      {"sapphirerapids", EMIT_ISA_AVX},
    {"znver1", EMIT_ISA_AVX},         {"znver2", EMIT_ISA_AVX},
    {"znver3", EMIT_ISA_AVX},         {"znver4", EMIT_ISA_AVX},
    {"btver2", EMIT_ISA_AVX},         {"bdver4", EMIT_ISA_AVX},
};

/* Whether LLVM's feature list ("+sse2,-avx512f,...") enables `name`. */
static bool has_feature(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p; p = strchr(p, ','), p = p ? p + 1 : NULL)
        if (p[0] == '+' && !strncmp(p + 1, name, n) && (p[n + 1] == ',' || p[n + 1] == '\0'))
            return true;
    return false;
}

int emit_cpu_isa(const char *cpu)
{
    if (!strcmp(cpu, "native")) {
        char *f = LLVMGetHostCPUFeatures();
        int isa = has_feature(f, "avx")      ? EMIT_ISA_AVX
                  : has_feature(f, "sse4.1") ? EMIT_ISA_SSE41
                                             : EMIT_ISA_SSE2;
        LLVMDisposeMessage(f);
        return isa;
    }
    for (size_t i = 0; i < sizeof cpus / sizeof *cpus; i++)
        if (!strcmp(cpus[i].name, cpu))
            return (int)cpus[i].isa;
    return -1;
}

LLVMTargetMachineRef emit_target_machine(const char *cpu, int level, char *err, size_t errlen)
{
    /* Once per process, not per call: parts are translated on several threads, and two threads
     * registering the target at once could link LLVM's target list into a cycle (a translation
     * once spun forever in TargetRegistry::lookupTarget). */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_x86);
    LLVMTargetRef target;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(HOST_TRIPLE, &target, &msg)) {
        snprintf(err, errlen, "internal: no x86-64 target: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return NULL;
    }
    static const LLVMCodeGenOptLevel opt[] = {LLVMCodeGenLevelNone, LLVMCodeGenLevelLess,
                                              LLVMCodeGenLevelDefault, LLVMCodeGenLevelAggressive};
    /* "native" asks for this machine's CPU and features (the output then runs only on such). */
    char *host_cpu = NULL, *host_features = NULL;
    const char *features = "";
    if (!strcmp(cpu, "native")) {
        cpu = host_cpu = LLVMGetHostCPUName();
        features = host_features = LLVMGetHostCPUFeatures();
    }
    int lv = level < 0 ? 0 : level > 3 ? 3 : level;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, HOST_TRIPLE, cpu, features, opt[lv],
                                                      LLVMRelocPIC, LLVMCodeModelDefault);
    if (!tm)
        snprintf(err, errlen, "cannot create a target machine for CPU '%s'", cpu);
    LLVMDisposeMessage(host_cpu);
    LLVMDisposeMessage(host_features);
    return tm;
}

void emit_configure_module(LLVMModuleRef mod, LLVMTargetMachineRef tm)
{
    char *triple = LLVMGetTargetMachineTriple(tm);
    LLVMSetTarget(mod, triple);
    LLVMDisposeMessage(triple);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
    char *layout = LLVMCopyStringRepOfTargetData(td);
    LLVMSetDataLayout(mod, layout);
    LLVMDisposeMessage(layout);
    LLVMDisposeTargetData(td);
    /* Code generation merges two adjacent 8-byte loads whose values go to adjacent stores into
     * one 16-byte load and store, up to the preferred vector width. Restoring x19/x20 with LDP
     * became one such load from the guest stack, where the prologue had stored the two
     * registers separately (one of them from a host register), and a load that spans two
     * stores waits until they reach the cache: in lua's realloc, returning at once for a null
     * pointer, that load was 60% of the function's samples. With no merge wider than 64 bits
     * bench lua-objects took 7% less time (0.715 against 0.772 s, best of 7) for 3% more
     * instructions; explicit vector operations keep their width. */
    LLVMAttributeRef width =
        LLVMCreateStringAttribute(LLVMGetModuleContext(mod), "prefer-vector-width", 19, "64", 2);
    for (LLVMValueRef fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, width);
}

int emit_object(LLVMTargetMachineRef tm, LLVMModuleRef mod, const char *path, char *err,
                size_t errlen)
{
    char *msg = NULL;
    if (LLVMTargetMachineEmitToFile(tm, mod, (char *)path, LLVMObjectFile, &msg)) {
        snprintf(err, errlen, "internal: code generation failed: %s", msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return -1;
    }
    return 0;
}
